/* rebalance: the command-line tool. */
#include "cli.h"
#include "options.h"

#include <stdio.h>
#include <string.h>

typedef struct command {
	const char *name;
	int (*run)(int argc, char **argv);
} command;

static const command COMMANDS[] = {
    {"translate", cmd_translate},
    {"explain", cmd_explain},
    {"xds", cmd_xds},
};

/* rebalance help [COMMAND] */
static int help(int argc, char **argv)
{
	if (argc < 3)
		return cli_print_overview(stdout) ? CLI_FAILURE : CLI_OK;
	const cli_command *cmd = cli_find_command(argv[2]);
	if (!cmd)
		return cli_usage_error("help", "unknown command '%s'", argv[2]);
	return cli_print_help(stdout, cmd) ? CLI_FAILURE : CLI_OK;
}

/* rebalance completion bash|zsh|fish */
static int completion(int argc, char **argv)
{
	if (argc >= 3 && (!strcmp(argv[2], "-h") || !strcmp(argv[2], "--help")))
		return cli_print_help(stdout, cli_find_command("completion")) ? CLI_FAILURE
		                                                              : CLI_OK;
	if (argc != 3)
		return cli_usage_error("completion", "expected one shell: bash, zsh or fish");
	int rc = cli_print_completion(stdout, argv[2]);
	if (rc > 0)
		return cli_usage_error("completion", "unknown shell '%s' (bash, zsh or fish)",
		                       argv[2]);
	if (rc < 0) {
		fprintf(stderr, "rebalance: cannot write the output\n");
		return CLI_FAILURE;
	}
	return CLI_OK;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		cli_print_overview(stderr);
		return CLI_USAGE;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help"))
		return help(argc, argv);
	if (!strcmp(cmd, "completion"))
		return completion(argc, argv);
	if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
		printf("rebalance %s\n", rb_version_string());
		return CLI_OK;
	}
	for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++)
		if (!strcmp(cmd, COMMANDS[i].name))
			return COMMANDS[i].run(argc - 1, argv + 1);
	return cli_usage_error(NULL, "unknown command '%s'", cmd);
}
