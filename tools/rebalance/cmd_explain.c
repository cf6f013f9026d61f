/*
 * rebalance explain: what Envoy does with each rule's requests, Envoy
 * Gateway as it is beside the selected mode. The numbers come from the
 * library (rb_explain, with its advice); this file reads the options, picks
 * the rules the filters name and hands the layout to explain_text.c.
 */
#define _POSIX_C_SOURCE 200809L /* strndup */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "explain_text.h"
#include "gate.h"

enum { MAX_GATES = 8 };

typedef struct explain_args {
	char **what_if; /* library what-if targets, malloc'd */
	size_t count;
	cli_gate gates[MAX_GATES]; /* --fail-on */
	size_t gate_count;
	const char **routes;   /* --route NS/NAME */
	size_t route_count;
	const char **gateways; /* --gateway NS/NAME */
	size_t gateway_count;
	bool all;              /* --all */
	size_t width;          /* --width; 0: from the environment */
	const char *color;     /* --color auto|always|never */
} explain_args;

/* The value of `--name V` or `--name=V` at argv[i]: the arguments used (0: not
 * this option), and *v; a missing value is a usage error (-1). */
static int option_value(const char *name, int argc, char **argv, int i, const char **v)
{
	const char *arg = argv[i];
	size_t n = strlen(name);
	if (strncmp(arg, name, n) || (arg[n] && arg[n] != '='))
		return 0;
	if (arg[n] == '=') {
		*v = arg + n + 1;
		return 1;
	}
	if (i + 1 >= argc) {
		cli_usage_error("explain", "%s needs a value", name);
		return -1;
	}
	*v = argv[i + 1];
	return 2;
}

/* "NS/NAME": one slash, both parts non-empty. */
static bool ns_name(const char *v)
{
	const char *slash = strchr(v, '/');
	return slash && slash != v && slash[1] && !strchr(slash + 1, '/');
}

static int push(const char ***list, size_t *count, const char *v)
{
	const char **grown = realloc(*list, (*count + 1) * sizeof *grown);
	if (!grown) {
		fprintf(stderr, "rebalance explain: out of memory\n");
		return -1;
	}
	*list = grown;
	grown[(*count)++] = v;
	return 0;
}

/* --route, --gateway, --all, --width, --color: the arguments used, 0, or -1. */
static int view_option(explain_args *a, int argc, char **argv, int i)
{
	const char *v = NULL;
	int used;
	if (!strcmp(argv[i], "--all")) {
		a->all = true;
		return 1;
	}
	if ((used = option_value("--route", argc, argv, i, &v)) != 0) {
		if (used > 0 && !ns_name(v))
			return cli_usage_error("explain", "--route %s: expected NAMESPACE/NAME", v), -1;
		return used < 0 || push(&a->routes, &a->route_count, v) ? -1 : used;
	}
	if ((used = option_value("--gateway", argc, argv, i, &v)) != 0) {
		if (used > 0 && !ns_name(v))
			return cli_usage_error("explain", "--gateway %s: expected NAMESPACE/NAME", v), -1;
		return used < 0 || push(&a->gateways, &a->gateway_count, v) ? -1 : used;
	}
	if ((used = option_value("--width", argc, argv, i, &v)) != 0) {
		if (used < 0)
			return -1;
		char *end;
		long w = strtol(v, &end, 10);
		if (!*v || *end || w < EXPLAIN_MIN_WIDTH || w > EXPLAIN_MAX_WIDTH)
			return cli_usage_error("explain", "--width %s: expected a number of columns, %d to %d",
			                       v, EXPLAIN_MIN_WIDTH, EXPLAIN_MAX_WIDTH),
			       -1;
		a->width = (size_t)w;
		return used;
	}
	if ((used = option_value("--color", argc, argv, i, &v)) != 0) {
		if (used > 0 && strcmp(v, "auto") && strcmp(v, "always") && strcmp(v, "never"))
			return cli_usage_error("explain", "--color %s: expected auto, always or never", v), -1;
		a->color = v;
		return used;
	}
	return 0;
}

/* --fail-on SPEC or --fail-on=SPEC: the arguments used, or -1 after a usage error. */
static int fail_on_option(explain_args *a, int argc, char **argv, int i)
{
	const char *arg = argv[i], *v;
	int used = 1;
	if (!strncmp(arg, "--fail-on=", 10))
		v = arg + 10;
	else if (i + 1 < argc)
		v = argv[i + 1], used = 2;
	else
		v = "";
	if (a->gate_count == MAX_GATES) {
		cli_usage_error("explain", "at most %d --fail-on gates", MAX_GATES);
		return -1;
	}
	if (!cli_gate_parse(v, &a->gates[a->gate_count])) {
		cli_usage_error("explain", "--fail-on '%s': expected 5xx, 503 or 500, optionally "
		                           ":PERCENT (0 to 100), e.g. 503:5",
		                v);
		return -1;
	}
	a->gate_count++;
	return used;
}

/* Digits [p, end), at most 1000000. */
static bool small_number(const char *p, const char *end)
{
	if (p >= end || end - p > 7)
		return false;
	long v = 0;
	for (; p < end; p++) {
		if (*p < '0' || *p > '9')
			return false;
		v = v * 10 + (*p - '0');
	}
	return v <= 1000000;
}

/* NS/SERVICE=N, NS/ROUTE:RULE:REF=weight:W or NS/ROUTE:RULE:REF=fallback
 * (names without '/', ':' or '='). */
static bool what_if_ok(const char *v)
{
	const char *slash = strchr(v, '/'), *eq = strchr(v, '=');
	if (!slash || slash == v || !eq || eq < slash + 2 || memchr(slash + 1, '/', strlen(slash + 1)))
		return false;
	const char *colon = memchr(slash + 1, ':', (size_t)(eq - slash - 1));
	if (!colon)
		return small_number(eq + 1, eq + strlen(eq));
	const char *c2 = memchr(colon + 1, ':', (size_t)(eq - colon - 1));
	if (colon == slash + 1 || !c2 || c2 == colon + 1 || !small_number(c2 + 1, eq))
		return false;
	return !strcmp(eq + 1, "fallback") ||
	       (!strncmp(eq + 1, "weight:", 7) && small_number(eq + 8, eq + strlen(eq)));
}

/* A usage error about one --what-if value; -1 tells cli_parse it is printed. */
static int what_if_error(const char *v, const char *expected)
{
	cli_usage_error("explain", "--what-if %s: %s", v, expected);
	return -1;
}

static int extra(void *ud, int argc, char **argv, int i)
{
	explain_args *a = ud;
	const char *arg = argv[i];
	const char *v;
	int used;
	if (!strcmp(arg, "--fail-on") || !strncmp(arg, "--fail-on=", 10))
		return fail_on_option(a, argc, argv, i);
	if ((used = view_option(a, argc, argv, i)) != 0)
		return used;
	if (!strncmp(arg, "--what-if=", 10)) {
		v = arg + 10;
		used = 1;
	} else if (!strcmp(arg, "--what-if")) {
		if (i + 1 >= argc)
			return what_if_error("", "needs NAMESPACE/SERVICE=N, "
			                         "NAMESPACE/ROUTE:RULE:REF=weight:W or "
			                         "NAMESPACE/ROUTE:RULE:REF=fallback");
		v = argv[i + 1];
		used = 2;
	} else {
		return 0;
	}
	if (!what_if_ok(v))
		return what_if_error(v, "expected NAMESPACE/SERVICE=N (N ready endpoints, 0: scaled to "
		                        "zero), NAMESPACE/ROUTE:RULE:REF=weight:W or "
		                        "NAMESPACE/ROUTE:RULE:REF=fallback (RULE: its name or "
		                        "index, REF: the backendRef's index), N and W up to "
		                        "1000000");
	/* NS/SERVICE=0 is the library's NS/SERVICE (scale to zero) */
	size_t n = strlen(v);
	char *target = n > 2 && !strcmp(v + n - 2, "=0") && !strchr(v, ':') ? strndup(v, n - 2)
	                                                                     : strdup(v);
	char **grown = realloc(a->what_if, (a->count + 1) * sizeof(*grown));
	if (!target || !grown) {
		free(target);
		if (grown)
			a->what_if = grown;
		fprintf(stderr, "rebalance explain: out of memory\n");
		return -1;
	}
	a->what_if = grown;
	a->what_if[a->count++] = target;
	return used;
}

/* ---- which rules ---- */

/* The library's options: the what-if targets, and the rules --route,
 * --gateway and -n (unless -A) keep. */
static rb_explain_options explain_options(const explain_args *a, const cli_options *o,
                                          char *const *what_if, size_t what_if_count)
{
	rb_explain_options eo = RB_EXPLAIN_OPTIONS_INIT;
	eo.what_if = (const char *const *)what_if;
	eo.what_if_count = what_if_count;
	eo.namespace_ = o->all_namespaces ? NULL : o->namespace_;
	eo.routes = a->routes;
	eo.route_count = a->route_count;
	eo.gateways = a->gateways;
	eo.gateway_count = a->gateway_count;
	eo.advice = 1; /* in the text, and in -o json|yaml */
	return eo;
}

static const char *selected_title(const rb_translate_options *o)
{
	if (o->mode == RB_MODE_REBALANCE)
		return "rebalance";
	return o->flags & (RB_OPT_HONOR_POLICY | RB_OPT_REBALANCE_NOT_READY) ||
	               o->rebalance_default == RB_KNOB_DEFAULT_ON
	           ? "compat+flags"
	           : "compat";
}

/* What explain prints, for cli_emit: the text, or the explanation as YAML/JSON. */
typedef struct explain_view {
	const rb_input *in;
	const rb_explanation *ex;
	const explain_layout *lay;
	const explain_selection *pick;
	bool text;
} explain_view;

static int produce_explain(const void *what, rb_format format, rb_write_fn write, void *ud)
{
	const explain_view *v = what;
	if (!v->text)
		return rb_explanation_write(v->ex, format, write, ud);
	FILE *f = cli_sink_file(write, ud);
	if (!f)
		return RB_ENOMEM;
	bool failed = explain_print_text(f, v->lay, v->in, v->ex, v->pick) != 0;
	return fclose(f) || failed ? RB_EIO : RB_OK;
}

int cmd_explain(int argc, char **argv)
{
	explain_args args = {0};
	cli_options o;
	int rc = cli_parse("explain", argc, argv, &o, extra, &args);
	rb_ctx *ctx = NULL;
	rb_input *in = NULL;
	rb_explanation *ex = NULL;
	if (rc)
		goto done;
	if (cli_new_ctx(&o, &ctx) != CLI_OK) {
		rc = CLI_FAILURE;
		goto done;
	}
	rc = cli_read_inputs(ctx, &o, &in);
	if (rc)
		goto done;
	rb_explain_options eo = explain_options(&args, &o, args.what_if, args.count);
	int err = rb_explain(&ex, in, &o.translate, &eo);
	if (err) {
		fprintf(stderr, "rebalance explain: %s\n", rb_strerror(err));
		rc = CLI_FAILURE;
		goto done;
	}
	for (size_t i = 0; i < rb_explanation_what_if_count(ex); i++) {
		if (!rb_explanation_what_if_found(ex, i)) {
			const char *t = rb_explanation_what_if(ex, i);
			size_t tl = strlen(t);
			if (tl > 9 && !strcmp(t + tl - 9, "=fallback"))
				rc = cli_usage_error("explain",
				                     "--what-if %s: no such backendRef to a Service "
				                     "with a clusterIP and a port in the input",
				                     t);
			else if (strchr(t, ':'))
				rc = cli_usage_error("explain", "--what-if %s: no such backendRef in the input",
				                     t);
			else
				rc = cli_usage_error("explain", "--what-if %s%s: no Service %.*s in the input", t,
				                     strchr(t, '=') ? "" : "=0", (int)strcspn(t, "="), t);
			goto done;
		}
	}
	const rb_result *sel = rb_explanation_result(ex, RB_SIDE_SELECTED);
	if (o.strict && cli_print_warnings_to(stderr, "", in, sel, true)) {
		rc = CLI_USAGE; /* like kubectl --validate=strict: nothing on stdout */
		goto done;
	}
	explain_layout lay = {0};
	explain_selection pick = {0};
	bool text = !o.format_set || o.text;
	if (text) {
		/* decided for stdout, the same in both passes of cli_emit */
		explain_layout_detect(&lay, stdout, args.width, args.color, o.wide);
		pick = (explain_selection){args.all, o.translate.mode == RB_MODE_REBALANCE,
		                           selected_title(&o.translate)};
	} else {
		cli_print_warnings_to(stderr, "", in, sel, false);
	}
	explain_view view = {in, ex, &lay, &pick, text};
	rc = cli_emit("explain", &o, produce_explain, &view);
done:
	/* the gate: after the output, which shows why it tripped */
	if (rc == CLI_OK && ex && cli_gates_trip(args.gates, args.gate_count, ex, stderr))
		rc = CLI_GATE_TRIPPED;
	free(args.routes);
	free(args.gateways);
	rb_explanation_free(ex);
	rb_input_free(in);
	rb_ctx_free(ctx);
	cli_options_free(&o);
	for (size_t i = 0; i < args.count; i++)
		free(args.what_if[i]);
	free(args.what_if);
	return rc;
}
