#include "cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const char CLI_COMMON_FLAGS_HELP[] =
	"  -o, --output FORMAT        yaml or json (explain: also text)\n"
	"      --compat envoy-gateway reproduce Envoy Gateway exactly (no rebalancing)\n"
	"      --config FILE          an EnvoyGateway configuration document: Backend API\n"
	"                             enablement, extension kinds (custom backends)\n"
	"      --disable-backend-api  Backend resources are disabled (BackendEnabled=false)\n"
	"      --running-on-host      allow loopback Backend addresses (RunningOnHost=true)\n"
	"      --rebalance-not-ready  also rebalance away from backends whose endpoints are\n"
	"                             all not ready, while another backend serves\n"
	"      --honor-policy         in compat mode, honour the BackendTrafficPolicy\n"
	"                             fields rebalanceOnNoEndpoints and\n"
	"                             rebalanceOnNoReadyEndpoints\n"
	"      --ignore-policy        never read those two fields, in any mode\n"
	"      --gateway-class NAME   a GatewayClass whose Gateways are ours (repeatable);\n"
	"                             added to the input's GatewayClasses of Envoy\n"
	"                             Gateway's controller (with neither, the class is\n"
	"                             envoy-gateway-class, as in Envoy Gateway's tests)\n"
	"      --controller-name NAME the controller whose GatewayClasses are ours\n"
	"                             (gateway.envoyproxy.io/gatewayclass-controller)\n"
	"  -n, --namespace NS         the namespace of manifest objects without one, as\n"
	"                             kubectl applies them (default: default)\n"
	"      --assume-secrets       a listener Secret missing from the input counts as\n"
	"                             valid (dumps without Secrets)\n"
	"      --strict               warnings are errors: exit 2, nothing on stdout\n"
	"      --limit NAME=N         raise or lower an input limit (repeatable); N is a\n"
	"                             count, or bytes with a Ki, Mi or Gi suffix. NAME:\n"
	"                             input-bytes (64Mi), documents (100000), depth (64),\n"
	"                             scalar-bytes (1Mi), nodes (1048576), aliases (0: YAML\n"
	"                             aliases refused; N: allowed up to N expanded nodes)\n"
	"  FILE...                    inputs: manifests, kind: List, or the Envoy Gateway\n"
	"                             testdata layout, as YAML or JSON; - reads stdin\n";

int cli_usage_error(const char *command, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "rebalance%s%s: ", command ? " " : "", command ? command : "");
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'rebalance %s%s--help'.\n", command ? command : "", command ? " " : "");
	return CLI_USAGE;
}

static const char *value_of(int argc, char **argv, int *i, const char *flag)
{
	size_t n = strlen(flag);
	if (!strncmp(argv[*i], flag, n) && argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (*i + 1 >= argc)
		return NULL;
	return argv[++*i];
}

static bool is_flag(const char *arg, const char *flag)
{
	size_t n = strlen(flag);
	return !strncmp(arg, flag, n) && (arg[n] == '\0' || arg[n] == '=');
}

/* The --limit names, indexed by rb_limit. */
static const char *const LIMIT_NAMES[] = {
    [RB_LIMIT_INPUT_BYTES] = "input-bytes", [RB_LIMIT_DOCUMENTS] = "documents",
    [RB_LIMIT_DEPTH] = "depth",             [RB_LIMIT_SCALAR_BYTES] = "scalar-bytes",
    [RB_LIMIT_NODES] = "nodes",             [RB_LIMIT_ALIAS_EXPANSION] = "aliases",
};

/* "NAME=N" -> limit and value; N decimal digits, optionally Ki, Mi or Gi. */
static bool parse_limit(const char *v, rb_limit *limit, uint64_t *value)
{
	const char *eq = strchr(v, '=');
	if (!eq)
		return false;
	size_t n = (size_t)(eq - v);
	*limit = 0;
	for (size_t i = 1; i < sizeof LIMIT_NAMES / sizeof *LIMIT_NAMES; i++)
		if (strlen(LIMIT_NAMES[i]) == n && !strncmp(v, LIMIT_NAMES[i], n))
			*limit = (rb_limit)i;
	const char *p = eq + 1;
	if (!*limit || *p < '0' || *p > '9')
		return false;
	uint64_t x = 0;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (x > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
			return false;
		x = x * 10 + (uint64_t)(*p - '0');
	}
	unsigned shift = !strcmp(p, "Ki") ? 10 : !strcmp(p, "Mi") ? 20 : !strcmp(p, "Gi") ? 30 : 0;
	if ((*p && !shift) || (shift && x > (UINT64_MAX >> shift)))
		return false;
	*value = x << shift;
	return true;
}

int cli_parse(const char *command, int argc, char **argv, cli_options *o, cli_extra_fn extra,
              void *ud)
{
	memset(o, 0, sizeof *o);
	o->format = RB_FORMAT_YAML;
	rb_translate_options_init(&o->translate, sizeof o->translate);
	o->inputs = calloc((size_t)argc + 1, sizeof(*o->inputs));
	o->gateway_classes = calloc((size_t)argc + 1, sizeof(*o->gateway_classes));
	if (!o->inputs || !o->gateway_classes)
		return CLI_FAILURE;
	bool only_files = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (only_files || a[0] != '-' || !strcmp(a, "-")) {
			o->inputs[o->input_count++] = a;
			continue;
		}
		if (!strcmp(a, "--")) {
			only_files = true;
		} else if (is_flag(a, "-o") || is_flag(a, "--output")) {
			const char *v = value_of(argc, argv, &i, is_flag(a, "-o") ? "-o" : "--output");
			if (!v)
				return cli_usage_error(command, "%s needs a value: yaml or json", a);
			/* explain also prints a table for people */
			bool text_ok = !strcmp(command, "explain");
			o->format_set = true;
			o->text = false;
			if (!strcmp(v, "yaml"))
				o->format = RB_FORMAT_YAML;
			else if (!strcmp(v, "json"))
				o->format = RB_FORMAT_JSON;
			else if (text_ok && !strcmp(v, "text"))
				o->text = true;
			else
				return cli_usage_error(command, "unknown output format '%s' (%s)", v,
				                       text_ok ? "text, yaml or json" : "yaml or json");
		} else if (is_flag(a, "--compat")) {
			const char *v = value_of(argc, argv, &i, "--compat");
			if (!v || strcmp(v, "envoy-gateway"))
				return cli_usage_error(command, "--compat takes one value: envoy-gateway");
			o->translate.mode = RB_MODE_COMPAT_ENVOY_GATEWAY;
		} else if (is_flag(a, "--config")) {
			o->config_path = value_of(argc, argv, &i, "--config");
			if (!o->config_path)
				return cli_usage_error(command, "--config needs a file");
		} else if (is_flag(a, "--gateway-class")) {
			const char *v = value_of(argc, argv, &i, "--gateway-class");
			if (!v || !*v)
				return cli_usage_error(command, "--gateway-class needs a name");
			o->gateway_classes[o->translate.gateway_class_count++] = v;
			o->translate.gateway_classes = o->gateway_classes;
		} else if (is_flag(a, "--controller-name")) {
			o->translate.controller_name =
			    value_of(argc, argv, &i, "--controller-name");
			if (!o->translate.controller_name || !*o->translate.controller_name)
				return cli_usage_error(command, "--controller-name needs a name");
		} else if (is_flag(a, "-n") || is_flag(a, "--namespace")) {
			o->namespace_ =
			    value_of(argc, argv, &i, is_flag(a, "-n") ? "-n" : "--namespace");
			if (!o->namespace_ || !*o->namespace_)
				return cli_usage_error(command, "%s needs a namespace", a);
		} else if (!strcmp(a, "--assume-secrets")) {
			o->translate.flags |= RB_OPT_ASSUME_SECRETS;
		} else if (!strcmp(a, "--strict")) {
			o->strict = true;
		} else if (is_flag(a, "--limit")) {
			const char *v = value_of(argc, argv, &i, "--limit");
			rb_limit limit;
			uint64_t value;
			if (!v || !parse_limit(v, &limit, &value))
				return cli_usage_error(command,
				                       "--limit takes NAME=N with NAME one of input-bytes, "
				                       "documents, depth, scalar-bytes, nodes, aliases, "
				                       "and N a number (bytes: also with Ki, Mi, Gi)");
			if (value == 0 && limit != RB_LIMIT_ALIAS_EXPANSION)
				return cli_usage_error(command, "--limit %s=0: only aliases can be 0",
				                       LIMIT_NAMES[limit]);
			o->limits[limit] = value;
			o->limit_set[limit] = true;
		} else if (!strcmp(a, "--disable-backend-api")) {
			o->translate.flags |= RB_OPT_DISABLE_BACKEND_API;
		} else if (!strcmp(a, "--running-on-host")) {
			o->translate.flags |= RB_OPT_RUNNING_ON_HOST;
		} else if (!strcmp(a, "--rebalance-not-ready")) {
			o->translate.flags |= RB_OPT_REBALANCE_NOT_READY;
		} else if (!strcmp(a, "--honor-policy")) {
			o->translate.flags |= RB_OPT_HONOR_POLICY;
		} else if (!strcmp(a, "--ignore-policy")) {
			o->translate.flags |= RB_OPT_IGNORE_POLICY;
		} else if (!strcmp(a, "--gateway-namespace-mode")) {
			o->translate.flags |= RB_OPT_GATEWAY_NAMESPACE_MODE;
		} else {
			int used = extra ? extra(ud, argc, argv, i) : 0;
			if (used < 0)
				return CLI_USAGE;
			if (used == 0)
				return cli_usage_error(command, "unknown option '%s'", a);
			i += used - 1;
		}
	}
	if ((o->translate.flags & RB_OPT_HONOR_POLICY) && (o->translate.flags & RB_OPT_IGNORE_POLICY))
		return cli_usage_error(command, "--honor-policy and --ignore-policy contradict each other");
	if (!o->input_count)
		return cli_usage_error(command, "no input files (use - for stdin)");
	return CLI_OK;
}

static int read_stdin(char **out, size_t *len)
{
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap);
	if (!buf)
		return -1;
	size_t got;
	while ((got = fread(buf + n, 1, cap - n, stdin)) > 0) {
		n += got;
		if (n == cap) {
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				return -1;
			}
			buf = nb;
			cap *= 2;
		}
	}
	if (ferror(stdin)) {
		free(buf);
		return -1;
	}
	*out = buf;
	*len = n;
	return 0;
}

int cli_new_ctx(const cli_options *o, rb_ctx **out)
{
	rb_ctx *ctx;
	if (rb_ctx_new(&ctx, NULL) != RB_OK)
		return CLI_FAILURE;
	for (size_t l = 1; l < sizeof o->limits / sizeof *o->limits; l++)
		if (o->limit_set[l])
			rb_ctx_set_limit(ctx, (rb_limit)l, o->limits[l]); /* cli_parse checked it */
	*out = ctx;
	return CLI_OK;
}

static void print_diags(const rb_input *in)
{
	bool limit_hit = false;
	for (size_t i = 0; i < rb_input_diag_count(in); i++) {
		const rb_diag *d = rb_input_diag(in, i);
		limit_hit |= rb_diag_code(d) == RB_ELIMIT;
		size_t n = rb_diag_format(d, NULL, 0);
		char *line = malloc(n + 1);
		if (!line)
			continue;
		rb_diag_format(d, line, n + 1);
		fprintf(stderr, "%s\n", line);
		free(line);
	}
	if (limit_hit)
		fputs("rebalance: an input limit was reached; if the input is trusted, raise it "
		      "with --limit NAME=N (see --help)\n",
		      stderr);
}

int cli_read_inputs(rb_ctx *ctx, const cli_options *o, rb_input **out)
{
	rb_input *in;
	if (rb_input_new(&in, ctx) != RB_OK)
		return CLI_FAILURE;
	if (o->namespace_ && rb_input_set_namespace(in, o->namespace_) != RB_OK) {
		rb_input_free(in);
		return CLI_FAILURE;
	}
	if (o->config_path) {
		int rc = rb_input_add_config_file(in, o->config_path);
		if (rc != RB_OK) {
			print_diags(in);
			rb_input_free(in);
			return rc == RB_ENOMEM ? CLI_FAILURE : CLI_USAGE;
		}
	}
	for (size_t i = 0; i < o->input_count; i++) {
		int rc;
		if (!strcmp(o->inputs[i], "-")) {
			char *buf;
			size_t len;
			if (read_stdin(&buf, &len)) {
				fprintf(stderr, "<stdin>: cannot read standard input\n");
				rb_input_free(in);
				return CLI_USAGE;
			}
			rc = rb_input_add_buffer(in, buf, len, "<stdin>", RB_INPUT_AUTO);
			free(buf);
		} else {
			rc = rb_input_add_file(in, o->inputs[i], RB_INPUT_AUTO);
		}
		if (rc != RB_OK) {
			print_diags(in);
			rb_input_free(in);
			return rc == RB_ENOMEM ? CLI_FAILURE : CLI_USAGE;
		}
	}
	*out = in;
	return CLI_OK;
}

static void print_warning(FILE *out, const char *indent, const rb_diag *d, bool strict)
{
	const char *path = rb_diag_path(d);
	const char *sep = path[0] ? ": " : "";
	const char *what = strict ? "error" : "warning";
	if (rb_diag_line(d))
		fprintf(out, "%s%s:%u:%u: %s: %s%s%s%s\n", indent, rb_diag_source(d), rb_diag_line(d),
		        rb_diag_column(d), what, path, sep, rb_diag_message(d),
		        strict ? " (--strict)" : "");
	else
		fprintf(out, "%s%s: %s: %s%s%s%s\n", indent, rb_diag_source(d), what, path, sep,
		        rb_diag_message(d), strict ? " (--strict)" : "");
}

size_t cli_print_warnings_to(FILE *out, const char *indent, const rb_input *in,
                             const rb_result *res, bool strict)
{
	size_t n = 0;
	for (size_t i = 0; i < rb_input_warning_count(in); i++, n++)
		print_warning(out, indent, rb_input_warning(in, i), strict);
	for (size_t i = 0; res && i < rb_result_warning_count(res); i++, n++)
		print_warning(out, indent, rb_result_warning(res, i), strict);
	return n;
}

size_t cli_print_warnings(const cli_options *o, const rb_input *in, const rb_result *res)
{
	return cli_print_warnings_to(stderr, "", in, res, o->strict);
}

void cli_options_free(cli_options *o)
{
	free(o->inputs);
	free(o->gateway_classes);
	o->inputs = NULL;
	o->gateway_classes = NULL;
}

int cli_write_stdout(const char *buf, size_t len)
{
	if (fwrite(buf, 1, len, stdout) != len || fflush(stdout) != 0) {
		fprintf(stderr, "rebalance: cannot write the output\n");
		return CLI_FAILURE;
	}
	return CLI_OK;
}

int cli_translate_and_print(const char *command, const cli_options *o, cli_to_buffer_fn to_buffer)
{
	rb_ctx *ctx = NULL;
	rb_input *in = NULL;
	rb_result *res = NULL;
	char *out = NULL;
	size_t len = 0;
	int rc;
	if (cli_new_ctx(o, &ctx) != CLI_OK)
		return CLI_FAILURE;
	rc = cli_read_inputs(ctx, o, &in);
	if (!rc) {
		int err = rb_translate(&res, in, &o->translate);
		if (!err && cli_print_warnings(o, in, res) && o->strict)
			rc = CLI_USAGE; /* like kubectl --validate=strict: nothing on stdout */
		else if (!err)
			err = to_buffer(res, o->format, &out, &len);
		if (err) {
			fprintf(stderr, "rebalance %s: %s\n", command, rb_strerror(err));
			rc = CLI_FAILURE;
		} else if (!rc) {
			rc = cli_write_stdout(out, len);
		}
	}
	if (out)
		rb_free(ctx, out);
	rb_result_free(res);
	rb_input_free(in);
	rb_ctx_free(ctx);
	return rc;
}
