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
		free(o.inputs);
		return rc;
	}
	if (!o.format_set)
		o.format = RB_FORMAT_JSON;
	rb_ctx *ctx = NULL;
	rb_input *in = NULL;
	rb_result *res = NULL;
	char *out = NULL;
	size_t len = 0;
	if (rb_ctx_new(&ctx, NULL) != RB_OK) {
		rc = CLI_FAILURE;
		goto done;
	}
	rc = cli_read_inputs(ctx, &o, &in);
	if (rc)
		goto done;
	int err = rb_translate(&res, in, &o.translate);
	if (!err)
		err = rb_xds_to_buffer(res, o.format, &out, &len);
	if (err) {
		fprintf(stderr, "rebalance xds: %s\n", rb_strerror(err));
		rc = CLI_FAILURE;
		goto done;
	}
	rc = cli_write_stdout(out, len);
done:
	if (out)
		rb_free(ctx, out);
	rb_result_free(res);
	rb_input_free(in);
	rb_ctx_free(ctx);
	free(o.inputs);
	return rc;
}
