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
		free(o.inputs);
		return rc;
	}
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
		err = rb_result_to_buffer(res, o.format, &out, &len);
	if (err) {
		fprintf(stderr, "rebalance translate: %s\n", rb_strerror(err));
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
