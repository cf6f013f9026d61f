/* rebalance: the command-line tool. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

typedef struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} command;

static const command COMMANDS[] = {
	{"translate", cmd_translate, "print the destination IR and route statuses"},
	{"explain", cmd_explain, "show each backendRef's share of requests, upstream and rebalanced"},
	{"xds", cmd_xds, "print the Envoy route actions and load assignments per rule"},
};

static void usage(FILE *f)
{
	fprintf(f, "Usage: rebalance COMMAND [OPTIONS] FILE...\n\nCommands:\n");
	for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++)
		fprintf(f, "  %-10s %s\n", COMMANDS[i].name, COMMANDS[i].summary);
	fprintf(f, "\nrebalance COMMAND --help describes a command. rebalance --version prints the "
	           "version.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return CLI_USAGE;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
		usage(stdout);
		return CLI_OK;
	}
	if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
		printf("rebalance %s\n", rb_version_string());
		return CLI_OK;
	}
	for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++)
		if (!strcmp(cmd, COMMANDS[i].name))
			return COMMANDS[i].run(argc - 1, argv + 1);
	return cli_usage_error(NULL, "unknown command '%s'", cmd);
}
