/*
 * What the rebalance commands share: parsing flags, reading inputs, reporting errors (cli.h).
 *
 * Rules: [warn.strict].
 */
#include "cli.h"

#include "options.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* The --limit names, indexed by rb_limit. */
static const char *const LIMIT_NAMES[] = {
    [RB_LIMIT_INPUT_BYTES] = "input-bytes", [RB_LIMIT_DOCUMENTS] = "documents",
    [RB_LIMIT_DEPTH] = "depth",             [RB_LIMIT_SCALAR_BYTES] = "scalar-bytes",
    [RB_LIMIT_NODES] = "nodes",             [RB_LIMIT_ALIAS_EXPANSION] = "aliases",
};

/* The output budget is the CLI's own (cli_emit): not a limit of the library's context. */
#define OUTPUT_BYTES_NAME "output-bytes"
#define LIMIT_OUTPUT_BYTES ((rb_limit)(RB_LIMIT_ALIAS_EXPANSION + 1))

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
	if (n == strlen(OUTPUT_BYTES_NAME) && !strncmp(v, OUTPUT_BYTES_NAME, n))
		*limit = LIMIT_OUTPUT_BYTES;
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

/* The table row `arg` names for `command`, with its value; NULL when none matches. */
static const cli_option *match_option(unsigned command, int argc, char **argv, int *i,
                                      const char **value, bool *missing)
{
	const char *arg = argv[*i];
	const char *inline_value = NULL;
	const cli_option *found = NULL;
	*value = NULL;
	*missing = false;
	for (size_t k = 0; k < CLI_OPTION_COUNT; k++) {
		const cli_option *opt = &CLI_OPTIONS[k];
		if (!(opt->commands & command))
			continue;
		if (arg[1] == '-') {
			size_t n = strlen(opt->long_name);
			if (strncmp(arg + 2, opt->long_name, n) ||
			    (arg[2 + n] && arg[2 + n] != '='))
				continue;
			if (arg[2 + n] == '=')
				inline_value = arg + 3 + n;
		} else {
			if (!opt->short_name || arg[1] != opt->short_name)
				continue;
			/* -oyaml and -o=json as kubectl accepts them */
			if (arg[2])
				inline_value = arg[2] == '=' ? arg + 3 : arg + 2;
		}
		found = opt;
		break;
	}
	if (!found)
		return NULL;
	if (found->value == VALUE_NONE) {
		if (inline_value)
			return NULL; /* --strict=x, -Rx: not ours */
		return found;
	}
	if (inline_value)
		*value = inline_value;
	else if (*i + 1 < argc)
		*value = argv[++*i];
	else
		*missing = true;
	return found;
}

static int apply_output(const char *command, const cli_command *cmd, cli_options *o,
                        const char *v)
{
	bool text_ok = cmd && cmd->output == OUTPUT_TEXT; /* also text for people */
	o->format_set = true;
	o->text = false;
	if (!strcmp(v, "yaml"))
		o->format = RB_FORMAT_YAML;
	else if (!strcmp(v, "json"))
		o->format = RB_FORMAT_JSON;
	else if (text_ok && (!strcmp(v, "text") || !strcmp(v, "wide")))
		o->text = true, o->wide = !strcmp(v, "wide");
	else
		return cli_usage_error(command, "unknown output format '%s' (%s)", v,
		                       text_ok ? "text, wide, yaml or json" : "yaml or json");
	return CLI_OK;
}

static int apply_limit(const char *command, cli_options *o, const char *v)
{
	rb_limit limit;
	uint64_t value;
	if (!parse_limit(v, &limit, &value))
		return cli_usage_error(command,
		                       "--limit takes NAME=N with NAME one of input-bytes, "
		                       "documents, depth, scalar-bytes, nodes, aliases, "
		                       "output-bytes, and N a number (bytes: also with Ki, Mi, Gi)");
	if (value == 0 && limit != RB_LIMIT_ALIAS_EXPANSION)
		return cli_usage_error(command, "--limit %s=0: only aliases can be 0",
		                       limit == LIMIT_OUTPUT_BYTES ? OUTPUT_BYTES_NAME
		                                                   : LIMIT_NAMES[limit]);
	if (limit == LIMIT_OUTPUT_BYTES) {
		o->output_bytes = value;
		return CLI_OK;
	}
	o->limits[limit] = value;
	o->limit_set[limit] = true;
	return CLI_OK;
}

/* What one common option does to the options; CLI_USAGE after printing why not. */
static int apply_option(const char *command, const cli_command *cmd, cli_options *o,
                        const cli_option *opt, const char *v)
{
	switch (opt->id) {
	case OPT_HELP:
		/* like every Unix tool: the help on stdout, then exit */
		exit(cli_print_help(stdout, cmd) ? CLI_FAILURE : CLI_OK);
	case OPT_OUTPUT:
		return apply_output(command, cmd, o, v);
	case OPT_FILENAME:
	case OPT_RECURSIVE:
		break; /* cli_parse collects them */
	case OPT_COMPAT:
		if (strcmp(v, "envoy-gateway"))
			return cli_usage_error(command, "--compat takes one value: envoy-gateway");
		o->translate.mode = RB_MODE_COMPAT_ENVOY_GATEWAY;
		break;
	case OPT_CONFIG:
		o->config_path = v;
		break;
	case OPT_GATEWAY_CLASS:
		o->gateway_classes[o->translate.gateway_class_count++] = v;
		o->translate.gateway_classes = o->gateway_classes;
		break;
	case OPT_CONTROLLER_NAME:
		o->translate.controller_name = v;
		break;
	case OPT_NAMESPACE:
		o->namespace_ = v;
		break;
	case OPT_LIMIT:
		return apply_limit(command, o, v);
	case OPT_ASSUME_SECRETS:
		o->translate.flags |= RB_OPT_ASSUME_SECRETS;
		break;
	case OPT_STRICT:
		o->strict = true;
		break;
	case OPT_DISABLE_BACKEND_API:
		o->translate.flags |= RB_OPT_DISABLE_BACKEND_API;
		break;
	case OPT_RUNNING_ON_HOST:
		o->translate.flags |= RB_OPT_RUNNING_ON_HOST;
		break;
	case OPT_REBALANCE_NOT_READY:
		o->translate.flags |= RB_OPT_REBALANCE_NOT_READY;
		break;
	case OPT_HONOR_POLICY:
		o->translate.flags |= RB_OPT_HONOR_POLICY;
		break;
	case OPT_IGNORE_POLICY:
		o->translate.flags |= RB_OPT_IGNORE_POLICY;
		break;
	case OPT_GATEWAY_NAMESPACE_MODE:
		o->translate.flags |= RB_OPT_GATEWAY_NAMESPACE_MODE;
		break;
	case OPT_ALL_NAMESPACES:
		o->all_namespaces = true;
		break;
	case OPT_WHAT_IF:
	case OPT_FAIL_ON:
	case OPT_ROUTE:
	case OPT_GATEWAY:
	case OPT_ALL:
	case OPT_WIDTH:
	case OPT_COLOR:
		break; /* the command's own (cli_parse hands them to `extra`) */
	}
	return CLI_OK;
}

/*
 * "-Rf..." where -R is a switch: the switch's row, with argv[i] rewritten to
 * "-f..." for the parser to read next, as kubectl reads bundled flags. NULL
 * when argv[i] is not such a bundle. The rewritten text lives in o->owned.
 */
static const cli_option *unbundle(unsigned command, cli_options *o, char **argv, int i)
{
	const char *a = argv[i];
	for (size_t k = 0; k < CLI_OPTION_COUNT; k++) {
		const cli_option *opt = &CLI_OPTIONS[k];
		if (!(opt->commands & command) || opt->short_name != a[1] ||
		    opt->value != VALUE_NONE)
			continue;
		size_t n = strlen(a);
		char **grown = realloc(o->owned, (o->owned_count + 1) * sizeof *grown);
		if (grown)
			o->owned = grown;
		char *rest = grown ? malloc(n) : NULL;
		if (!rest)
			return NULL;
		rest[0] = '-';
		memcpy(rest + 1, a + 2, n - 1);
		o->owned[o->owned_count++] = rest;
		argv[i] = rest;
		return opt;
	}
	return NULL;
}

static bool is_common(cli_option_id id)
{
	switch (id) {
	case OPT_WHAT_IF:
	case OPT_FAIL_ON:
	case OPT_ROUTE:
	case OPT_GATEWAY:
	case OPT_ALL:
	case OPT_WIDTH:
	case OPT_COLOR:
		return false;
	default:
		return true;
	}
}

int cli_parse(const char *command, int argc, char **argv, cli_options *o, cli_extra_fn extra,
              void *ud)
{
	memset(o, 0, sizeof *o);
	/* Each command's default output comes from the table (options.c): xds
	 * speaks Envoy's proto3 JSON, translate YAML; explain prints text unless
	 * -o yaml|json, whose default data format is YAML. */
	const cli_command *cmd = cli_find_command(command);
	o->format = cmd && cmd->output == OUTPUT_JSON ? RB_FORMAT_JSON : RB_FORMAT_YAML;
	o->output_bytes = CLI_OUTPUT_BYTES;
	rb_translate_options_init(&o->translate, sizeof o->translate);
	o->inputs = calloc((size_t)argc + 1, sizeof(*o->inputs));
	o->gateway_classes = calloc((size_t)argc + 1, sizeof(*o->gateway_classes));
	if (!o->inputs || !o->gateway_classes)
		return CLI_FAILURE;
	unsigned bit = cmd ? cmd->bit : 0;
	bool only_files = false, recursive = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (only_files || a[0] != '-' || !strcmp(a, "-")) {
			o->inputs[o->input_count++] = a;
			continue;
		}
		if (!strcmp(a, "--")) {
			only_files = true;
			continue;
		}
		const char *v = NULL;
		bool missing = false;
		const cli_option *opt = NULL;
		int at = i;
		if (a[1] != '-' && a[2] && (opt = unbundle(bit, o, argv, i)))
			i--; /* -Rf DIR: -R now, then -f DIR */
		else
			opt = match_option(bit, argc, argv, &i, &v, &missing);
		if (!opt || !is_common(opt->id)) {
			/* the command's own options (and any it parses without the table) */
			i = at;
			int used = extra ? extra(ud, argc, argv, i) : 0;
			if (used < 0)
				return CLI_USAGE;
			if (used == 0)
				return cli_usage_error(command, "unknown option '%s'", a);
			i += used - 1;
			continue;
		}
		if (missing || (v && !*v && opt->id != OPT_CONFIG))
			return cli_usage_error(command, "%s needs a value: %s", a, opt->metavar);
		if (opt->id == OPT_FILENAME)
			o->inputs[o->input_count++] = v;
		else if (opt->id == OPT_RECURSIVE)
			recursive = true;
		else if (apply_option(command, cmd, o, opt, v) != CLI_OK)
			return CLI_USAGE;
	}
	if ((o->translate.flags & RB_OPT_HONOR_POLICY) &&
	    (o->translate.flags & RB_OPT_IGNORE_POLICY))
		return cli_usage_error(command,
		                       "--honor-policy and --ignore-policy contradict each other");
	if (!o->input_count)
		return cli_usage_error(command,
		                       "no input files (use -f FILE, -f DIR or - for stdin)");
	return cli_expand_directories(command, o, recursive);
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
			/* Read as it comes (a pipe may never end: the input-bytes limit stops it). */
			rc = rb_input_add_fd(in, STDIN_FILENO, "<stdin>", RB_INPUT_AUTO);
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
	for (size_t i = 0; i < o->owned_count; i++)
		free(o->owned[i]);
	free(o->owned);
	o->owned = NULL;
	o->owned_count = 0;
	free(o->inputs);
	free(o->gateway_classes);
	o->inputs = NULL;
	o->gateway_classes = NULL;
}

/* The view of one result, for cli_emit. */
typedef struct result_view {
	const rb_result *res;
	cli_write_view_fn write_view;
} result_view;

static int produce_result_view(const void *what, rb_format format, rb_write_fn write, void *ud)
{
	const result_view *v = what;
	return v->write_view(v->res, format, write, ud);
}

int cli_translate_and_print(const char *command, const cli_options *o, cli_write_view_fn write_view)
{
	rb_ctx *ctx = NULL;
	rb_input *in = NULL;
	rb_result *res = NULL;
	int rc;
	if (cli_new_ctx(o, &ctx) != CLI_OK)
		return CLI_FAILURE;
	rc = cli_read_inputs(ctx, o, &in);
	if (!rc) {
		int err = rb_translate(&res, in, &o->translate);
		if (!err && cli_print_warnings(o, in, res) && o->strict) {
			rc = CLI_USAGE; /* like kubectl --validate=strict: nothing on stdout */
		} else if (!err) {
			result_view v = {res, write_view};
			rc = cli_emit(command, o, produce_result_view, &v);
		}
		if (err) {
			fprintf(stderr, "rebalance %s: %s\n", command, rb_strerror(err));
			rc = CLI_FAILURE;
		}
	}
	rb_result_free(res);
	rb_input_free(in);
	rb_ctx_free(ctx);
	return rc;
}

int cli_view_command(const char *command, int argc, char **argv, cli_write_view_fn write_view)
{
	cli_options o;
	int rc = cli_parse(command, argc, argv, &o, NULL, NULL);
	if (!rc)
		rc = cli_translate_and_print(command, &o, write_view);
	cli_options_free(&o);
	return rc;
}
