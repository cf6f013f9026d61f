/* rebalance xds: what the data plane gets, per rule (SPEC.md R.2, section 6). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char HELP[] =
	"Usage: rebalance xds [OPTIONS] FILE...\n"
	"\n"
	"Print, for every route rule, the Envoy v3 configuration Envoy Gateway derives\n"
	"from it: the route action (one cluster, weighted clusters with\n"
	"invalid-backend-cluster and clusterNotFoundResponseCode, or a direct\n"
	"response) and every cluster with its load assignment (one locality per\n"
	"backendRef: region = setting name, weight, priority; endpoints DRAINING or\n"
	"healthy). Field names are Envoy's proto3 JSON names; default values are\n"
	"omitted as protojson does. JSON unless -o yaml.\n"
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

int cmd_xds(int argc, char **argv)
{
	cli_options o;
	int rc = cli_parse("xds", argc, argv, &o, help, NULL);
	if (rc) {
		cli_options_free(&o);
		return rc;
	}
	if (!o.format_set)
		o.format = RB_FORMAT_JSON;
	rc = cli_translate_and_print("xds", &o, rb_xds_to_buffer);
	cli_options_free(&o);
	return rc;
}
