/* rebalance translate: print the destination IR (SPEC.md R.2, R.3). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char HELP[] =
	"Usage: rebalance translate [OPTIONS] FILE...\n"
	"\n"
	"Compute, for every route rule, the destination settings Envoy Gateway would\n"
	"compute, and the route status conditions, and print them as YAML or JSON.\n"
	"By default backendRefs without endpoints are rebalanced onto their peers\n"
	"(Envoy Gateway PR 9075); --compat envoy-gateway reproduces Envoy Gateway.\n"
	"YAML unless -o json.\n"
	"\n"
	"Options:\n";

static int help(void *ud, int argc, char **argv, int i)
{
	(void)ud;
	(void)argc;
	if (strcmp(argv[i], "-h") && strcmp(argv[i], "--help"))
		return 0;
	printf("%s%s", HELP, CLI_COMMON_FLAGS_HELP);
	printf("\nExit status: 0 translated; 2 unusable input or arguments (FILE:LINE:COL: message\n"
	       "on stderr, nothing on stdout); 1 the output could not be written.\n");
	exit(CLI_OK);
}

int cmd_translate(int argc, char **argv)
{
	cli_options o;
	int rc = cli_parse("translate", argc, argv, &o, help, NULL);
	if (rc) {
		cli_options_free(&o);
		return rc;
	}
	rc = cli_translate_and_print("translate", &o, rb_result_to_buffer);
	cli_options_free(&o);
	return rc;
}
