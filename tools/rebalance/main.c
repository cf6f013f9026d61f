/* rebalance: the command-line tool. */
#include "cli.h"
#include "options.h"

#include <stdbool.h>
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

/* CLI_OK, or CLI_FAILURE with a message when the output could not be written. */
static int written(bool failed)
{
	if (!failed)
		return CLI_OK;
	fprintf(stderr, "rebalance: cannot write the output\n");
	return CLI_FAILURE;
}

/* rebalance help [COMMAND] */
static int help(int argc, char **argv)
{
	if (argc < 3)
		return written(cli_print_overview(stdout) != 0);
	const cli_command *cmd = cli_find_command(argv[2]);
	if (!cmd)
		return cli_usage_error("help", "unknown command '%s'", argv[2]);
	return written(cli_print_help(stdout, cmd) != 0);
}

/* rebalance completion bash|zsh|fish */
static int completion(int argc, char **argv)
{
	if (argc >= 3 && (!strcmp(argv[2], "-h") || !strcmp(argv[2], "--help")))
		return written(cli_print_help(stdout, cli_find_command("completion")) != 0);
	if (argc != 3)
		return cli_usage_error("completion", "expected one shell: bash, zsh or fish");
	int rc = cli_print_completion(stdout, argv[2]);
	if (rc > 0)
		return cli_usage_error("completion", "unknown shell '%s' (bash, zsh or fish)",
		                       argv[2]);
	return written(rc < 0);
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
		/* A version nobody could read is an error, as for any output. */
		int rc = printf("rebalance %s\n", rb_version_string());
		return written(rc < 0 || fflush(stdout) != 0 || ferror(stdout));
	}
	for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++)
		if (!strcmp(cmd, COMMANDS[i].name))
			return COMMANDS[i].run(argc - 1, argv + 1);
	return cli_usage_error(NULL, "unknown command '%s'", cmd);
}
