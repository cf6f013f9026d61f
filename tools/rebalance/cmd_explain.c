/*
 * rebalance explain: per rule, each backendRef's fate and share of requests,
 * Envoy Gateway as it is beside the selected mode (docs/cli.md). The numbers
 * come from the library (rb_explain); this file only lays them out:
 *
 *   HTTPRoute shop/checkout, rule 0 (Gateway infra/eg)
 *       envoy-gateway                         rebalance
 *       weighted clusters, not found 503      one cluster
 *     0 Service shop/stable:8080, weight 90: 2 endpoints
 *       serving                 90.0% █████▍  serving                100.0% ██████
 *
 * Two blocks of 36 columns (state 22, share 6, bar 6) after an indent of 4,
 * 2 apart: 78 columns. Colour only when stdout is a terminal and NO_COLOR is
 * unset.
 */
#define _POSIX_C_SOURCE 200809L /* isatty, fileno, strndup */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "gate.h"

enum { INDENT = 4, STATE_W = 22, SHARE_W = 6, BAR_W = 6, GAP = 2 };
enum { BLOCK_W = STATE_W + 1 + SHARE_W + 1 + BAR_W, COL2 = INDENT + BLOCK_W + GAP, LINE_MAX = 79 };

enum { MAX_GATES = 8 };

typedef struct explain_args {
	char **what_if; /* "NAMESPACE/SERVICE", malloc'd */
	size_t count;
	cli_gate gates[MAX_GATES]; /* --fail-on */
	size_t gate_count;
} explain_args;

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
	if (!strncmp(arg, "--what-if=", 10)) {
		v = arg + 10;
		used = 1;
	} else if (!strcmp(arg, "--what-if")) {
		if (i + 1 >= argc)
			return what_if_error("", "needs NAMESPACE/SERVICE=0");
		v = argv[i + 1];
		used = 2;
	} else {
		return 0;
	}
	const char *eq = strrchr(v, '=');
	if (!eq || strcmp(eq, "=0"))
		return what_if_error(v, "only NAMESPACE/SERVICE=0 (scale to zero) is supported");
	const char *slash = strchr(v, '/');
	if (!slash || slash == v || slash + 1 >= eq || memchr(slash + 1, '/', (size_t)(eq - slash - 1)))
		return what_if_error(v, "expected NAMESPACE/SERVICE=0");
	char *target = strndup(v, (size_t)(eq - v));
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

/* ---- a line of the table ---- */

typedef struct line {
	char buf[1024];
	size_t len;
	size_t col; /* display columns so far */
	bool color;
} line;

/* Display width of UTF-8 text: one column per code point (our text has no wide characters). */
static size_t width(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static void put(line *l, const char *raw, const char *color)
{
	/* Names and messages come from input: shown with their controls escaped. */
	char s[sizeof l->buf];
	rb_escape_text(s, sizeof s, raw);
	size_t n = strlen(s);
	size_t clen = l->color && color && *s ? strlen(color) : 0; /* 0: no colour */
	size_t need = n + (clen ? clen + 4 : 0);
	if (l->len + need + 1 > sizeof l->buf)
		return; /* cannot happen with our widths; never overflow */
	if (clen) {
		memcpy(l->buf + l->len, color, clen);
		l->len += clen;
	}
	memcpy(l->buf + l->len, s, n);
	l->len += n;
	if (clen) {
		memcpy(l->buf + l->len, "\033[0m", 4);
		l->len += 4;
	}
	l->col += width(s);
}

static void putf(line *l, const char *color, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void putf(line *l, const char *color, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	put(l, tmp, color);
}

static void pad_to(line *l, size_t col)
{
	while (l->col < col && l->len + 2 < sizeof l->buf) {
		l->buf[l->len++] = ' ';
		l->col++;
	}
}

static void emit(line *l, FILE *out)
{
	while (l->len && l->buf[l->len - 1] == ' ')
		l->len--; /* no trailing blanks */
	fwrite(l->buf, 1, l->len, out);
	fputc('\n', out);
	l->len = 0;
	l->col = 0;
}

/* ---- cells ---- */

#define GREEN "\033[32m"
#define YELLOW "\033[33m"
#define RED "\033[31m"
#define CYAN "\033[36m"
#define DIM "\033[2m"
#define BOLD "\033[1m"

/* "  90.0%": the share with one decimal, our own digits. */
static void share_text(double share, char out[16])
{
	if (!(share > 0))
		share = 0;
	if (share > 1)
		share = 1;
	unsigned v = (unsigned)(share * 1000 + 0.5);
	snprintf(out, 16, "%5u.%u%%", v / 10, v % 10);
	/* "%5u" pads the whole part: width 6 with ".d%" is 8; keep the last SHARE_W. */
	size_t n = strlen(out);
	if (n > SHARE_W) {
		size_t skip = n - SHARE_W;
		memmove(out, out + skip, n - skip + 1);
	}
}

/* A bar of BAR_W cells in eighths; a non-zero share shows at least a sliver. */
static void bar(line *l, double share, const char *color)
{
	static const char *const eighths[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
	if (!(share > 0))
		return;
	unsigned n = (unsigned)(share * BAR_W * 8 + 0.5);
	if (n > BAR_W * 8)
		n = BAR_W * 8;
	if (n == 0)
		n = 1;
	char tmp[64] = "";
	for (unsigned i = 0; i < n / 8; i++)
		strcat(tmp, "█");
	strcat(tmp, eighths[n % 8]);
	put(l, tmp, color);
}

static const char *state_color(rb_ref_state s)
{
	switch (s) {
	case RB_REF_STATE_SERVING:
		return GREEN;
	case RB_REF_STATE_STANDBY:
		return CYAN;
	case RB_REF_STATE_DRAINING:
	case RB_REF_STATE_PANIC:
	case RB_REF_STATE_EXCLUDED:
	case RB_REF_STATE_EXCLUDED_NOT_READY:
		return YELLOW;
	case RB_REF_STATE_NO_ENDPOINTS:
	case RB_REF_STATE_INVALID:
		return RED;
	default:
		return DIM;
	}
}

/* The state column, at most STATE_W columns. */
static void state_text(const rb_explained_rule *r, const rb_explained_ref *ref, rb_side side,
                       char out[64])
{
	rb_ref_state s = rb_explained_ref_state(ref, side);
	rb_routing routing = rb_explained_rule_routing(r, side);
	uint32_t code = rb_explained_rule_status_code(r, side);
	bool weighted = routing == RB_ROUTING_WEIGHTED_CLUSTERS;
	switch (s) {
	case RB_REF_STATE_SERVING:
		snprintf(out, 64, "%s", rb_explained_ref_priority(ref) ? "serving (fallback)" : "serving");
		return;
	case RB_REF_STATE_STANDBY:
		snprintf(out, 64, "fallback standby");
		return;
	case RB_REF_STATE_DRAINING:
		snprintf(out, 64, "draining (skipped)");
		return;
	case RB_REF_STATE_PANIC:
		snprintf(out, 64, "draining (panic)");
		return;
	case RB_REF_STATE_NO_ENDPOINTS:
		if (weighted)
			snprintf(out, 64, "no endpoints → %u", (unsigned)code);
		else
			snprintf(out, 64, "no endpoints");
		return;
	case RB_REF_STATE_INVALID:
		if (weighted)
			snprintf(out, 64, "invalid → %u", (unsigned)code);
		else
			snprintf(out, 64, "invalid");
		return;
	case RB_REF_STATE_EXCLUDED:
		snprintf(out, 64, "excluded: no endpoints");
		return;
	case RB_REF_STATE_EXCLUDED_NOT_READY:
		snprintf(out, 64, "excluded: not ready");
		return;
	case RB_REF_STATE_ZERO_WEIGHT:
		snprintf(out, 64, "weight 0");
		return;
	case RB_REF_STATE_DROPPED:
		snprintf(out, 64, "dropped");
		return;
	case RB_REF_STATE_UNROUTED:
		snprintf(out, 64, "not routed");
		return;
	}
	snprintf(out, 64, "-");
}

/* One block: state, share, bar, starting at column `col`. */
static void block(line *l, size_t col, const char *state, const char *color, double share,
                  const char *bar_color)
{
	char pct[16];
	pad_to(l, col);
	put(l, state, color);
	pad_to(l, col + STATE_W + 1);
	share_text(share, pct);
	put(l, pct, NULL);
	pad_to(l, col + STATE_W + 1 + SHARE_W + 1);
	bar(l, share, bar_color);
}

static const char *side_title(const rb_translate_options *o)
{
	if (o->mode == RB_MODE_REBALANCE)
		return "rebalance";
	return o->flags & (RB_OPT_HONOR_POLICY | RB_OPT_REBALANCE_NOT_READY) ||
	               o->rebalance_default == RB_KNOB_DEFAULT_ON
	           ? "compat, with options"
	           : "envoy-gateway (compat)";
}

static void routing_text(const rb_explained_rule *r, rb_side side, char out[64])
{
	const rb_destination *d = rb_explained_rule_destination(r, side);
	uint32_t code = rb_explained_rule_status_code(r, side);
	switch (rb_explained_rule_routing(r, side)) {
	case RB_ROUTING_DIRECT_RESPONSE:
		snprintf(out, 64, "direct response %u", (unsigned)code);
		return;
	case RB_ROUTING_CLUSTER:
		snprintf(out, 64, "one cluster");
		return;
	case RB_ROUTING_WEIGHTED_CLUSTERS:
		/* The not-found code matters only with an invalid-backend-cluster entry. */
		if (rb_destination_backend_weight(d, RB_WEIGHT_INVALID) ||
		    rb_destination_backend_weight(d, RB_WEIGHT_NO_ENDPOINTS))
			snprintf(out, 64, "weighted clusters, not found %u", (unsigned)code);
		else
			snprintf(out, 64, "weighted clusters");
		return;
	case RB_ROUTING_L4_CLUSTER:
		snprintf(out, 64, "one cluster (%s proxy)",
		         strcmp(rb_destination_route_kind(d), "UDPRoute") ? "TCP" : "UDP");
		return;
	case RB_ROUTING_NONE:
		break;
	}
	snprintf(out, 64, "-");
}

/* Why weighted clusters, under the routing line of a side. */
static size_t notes(const rb_explained_rule *r, rb_side side, char out[512])
{
	const char *why = rb_explained_rule_routing_reason(r, side);
	if (!why)
		return 0;
	snprintf(out, 512, "why: %s", why);
	return 1;
}

static void cut(char *s, size_t cols);

/* "why: <text>" from INDENT on, broken at spaces into lines of at most LINE_MAX columns. */
static void wrapped(line *l, const char *text, FILE *out)
{
	char buf[1024];
	snprintf(buf, sizeof buf, "why: %s", text);
	char *s = buf;
	size_t room = LINE_MAX - INDENT;
	while (*s) {
		/* A message of several errors has one per line: each starts a line. */
		size_t n = strcspn(s, "\n");
		char eol = s[n];
		s[n] = '\0';
		bool too_wide = width(s) > room;
		s[n] = eol;
		if (too_wide) {
			n = 0;
			for (size_t i = 0; i <= room && s[i]; i++)
				if (s[i] == ' ')
					n = i;
			if (!n) {
				cut(s, room); /* one word longer than the line */
				n = strlen(s);
			}
		}
		char keep = s[n];
		s[n] = '\0';
		pad_to(l, INDENT);
		put(l, s, DIM);
		emit(l, out);
		s[n] = keep;
		s += n;
		while (*s == ' ' || *s == '\n')
			s++;
	}
}

/* Cut `s` in place to at most `cols` display columns, ending in "...". */
static void cut(char *s, size_t cols)
{
	if (width(s) <= cols)
		return;
	size_t i = 0, n = 0;
	while (s[i] && n < cols - 3) {
		i++;
		while (((unsigned char)s[i] & 0xC0) == 0x80)
			i++;
		n++;
	}
	memcpy(s + i, "...", 4);
}

/* The knobs of the selected side that a policy or a flag set, one line each. */
static void knob_lines(line *l, const rb_explained_rule *r, FILE *out)
{
	const rb_destination *d = rb_explained_rule_destination(r, RB_SIDE_SELECTED);
	if (!d || rb_destination_rule(d) < 0)
		return;
	static const char *const fields[] = {"rebalanceOnNoEndpoints", "rebalanceOnNoReadyEndpoints"};
	for (int k = RB_KNOB_NO_ENDPOINTS; k <= RB_KNOB_NOT_READY; k++) {
		const char *policy = rb_destination_knob_policy(d, (rb_knob)k);
		bool on = rb_destination_knob(d, (rb_knob)k);
		char text[512];
		if (policy)
			snprintf(text, sizeof text, "%s: %s (%s policy %s)", fields[k], on ? "true" : "false",
			         rb_destination_knob_scope(d, (rb_knob)k), policy);
		else if (k == RB_KNOB_NOT_READY && on)
			snprintf(text, sizeof text, "%s: true (--rebalance-not-ready)", fields[k]);
		else
			continue;
		cut(text, LINE_MAX - INDENT);
		pad_to(l, INDENT);
		put(l, text, DIM);
		emit(l, out);
	}
}

static void ref_heading(line *l, size_t j, const rb_explained_ref *ref, FILE *out)
{
	pad_to(l, 2);
	putf(l, BOLD, "%zu", j);
	put(l, " ", NULL);
	putf(l, NULL, "%s %s/%s", rb_explained_ref_kind(ref), rb_explained_ref_namespace(ref),
	     rb_explained_ref_backend_name(ref));
	if (rb_explained_ref_port(ref))
		putf(l, NULL, ":%u", (unsigned)rb_explained_ref_port(ref));
	putf(l, NULL, ", weight %u", (unsigned)rb_explained_ref_weight(ref));
	if (rb_explained_ref_priority(ref))
		putf(l, NULL, ", priority %u", (unsigned)rb_explained_ref_priority(ref));

	char detail[512];
	size_t eps = rb_explained_ref_endpoint_count(ref), dr = rb_explained_ref_draining_count(ref);
	const char *reason = rb_explained_ref_reason(ref);
	uint32_t flags = rb_setting_flags(rb_explained_ref_setting(ref));
	if (reason && !strcmp(reason, "EndpointsNotFound"))
		snprintf(detail, sizeof detail, "no endpoints");
	else if (reason && rb_explained_ref_message(ref))
		snprintf(detail, sizeof detail, "%s: %s", reason, rb_explained_ref_message(ref));
	else if (rb_explained_ref_state(ref, RB_SIDE_SELECTED) == RB_REF_STATE_ZERO_WEIGHT)
		detail[0] = '\0';
	else if (flags & RB_SETTING_DYNAMIC_RESOLVER)
		snprintf(detail, sizeof detail, "dynamic resolver");
	else if (flags & RB_SETTING_CUSTOM_BACKEND)
		snprintf(detail, sizeof detail, "custom backend");
	else if (!eps)
		snprintf(detail, sizeof detail, "no endpoints");
	else if (dr == eps)
		snprintf(detail, sizeof detail, "%zu endpoint%s, all draining", eps, eps == 1 ? "" : "s");
	else if (dr)
		snprintf(detail, sizeof detail, "%zu endpoints, %zu draining", eps, dr);
	else
		snprintf(detail, sizeof detail, "%zu endpoint%s", eps, eps == 1 ? "" : "s");
	if (detail[0] && (flags & RB_SETTING_SHARED_CLUSTER)) {
		/* mergeBackends: say which shared cluster carries this backendRef. */
		size_t n = strlen(detail);
		snprintf(detail + n, sizeof detail - n, " (shared cluster %s)",
		         rb_setting_name(rb_explained_ref_setting(ref)));
	}
	if (!detail[0]) {
		emit(l, out);
		return;
	}
	if (l->col + 2 + width(detail) <= LINE_MAX) {
		put(l, ": ", NULL);
		put(l, detail, reason && strcmp(reason, "EndpointsNotFound") ? RED : NULL);
		emit(l, out);
		return;
	}
	/* Too long for one line: the detail below, cut to the line. */
	emit(l, out);
	pad_to(l, INDENT);
	cut(detail, LINE_MAX - INDENT);
	put(l, detail, reason ? RED : NULL);
	emit(l, out);
}

static void total_row(line *l, const rb_explained_rule *r, rb_outcome o, const char *label,
                      const char *color, FILE *out)
{
	double up = rb_explained_rule_share(r, RB_SIDE_UPSTREAM, o);
	double sel = rb_explained_rule_share(r, RB_SIDE_SELECTED, o);
	if (o != RB_OUTCOME_SERVED && up <= 0 && sel <= 0)
		return;
	block(l, INDENT, label, NULL, up, color);
	block(l, COL2, label, NULL, sel, color);
	emit(l, out);
}

static void print_rule(const rb_explained_rule *r, const rb_translate_options *o, bool color,
                       FILE *out)
{
	line l = {.len = 0, .col = 0, .color = color};
	const rb_destination *d = rb_explained_rule_destination(r, RB_SIDE_SELECTED);
	putf(&l, BOLD, "%s %s/%s", rb_destination_route_kind(d), rb_destination_route_namespace(d),
	     rb_destination_route_name(d));
	if (rb_destination_rule(d) >= 0)
		putf(&l, BOLD, ", rule %d", (int)rb_destination_rule(d));
	putf(&l, NULL, " (Gateway %s)", rb_destination_gateway(d));
	emit(&l, out);

	pad_to(&l, INDENT);
	put(&l, "envoy-gateway", DIM);
	pad_to(&l, COL2);
	put(&l, side_title(o), DIM);
	emit(&l, out);

	char a[64], b[64];
	routing_text(r, RB_SIDE_UPSTREAM, a);
	routing_text(r, RB_SIDE_SELECTED, b);
	pad_to(&l, INDENT);
	put(&l, a, NULL);
	pad_to(&l, COL2);
	put(&l, b, NULL);
	emit(&l, out);
	char na[512], nb[512];
	size_t nna = notes(r, RB_SIDE_UPSTREAM, na), nnb = notes(r, RB_SIDE_SELECTED, nb);
	bool direct = rb_explained_rule_routing(r, RB_SIDE_SELECTED) == RB_ROUTING_DIRECT_RESPONSE;
	if (nna && nnb && direct &&
	    !strcmp(rb_explained_rule_routing_reason(r, RB_SIDE_UPSTREAM),
	            rb_explained_rule_routing_reason(r, RB_SIDE_SELECTED))) {
		/* One reason for both sides (e.g. the filter that answers): across the line. */
		wrapped(&l, rb_explained_rule_routing_reason(r, RB_SIDE_SELECTED), out);
	} else if (nna || nnb) {
		pad_to(&l, INDENT);
		if (nna)
			put(&l, na, DIM);
		pad_to(&l, COL2);
		if (nnb)
			put(&l, nb, DIM);
		emit(&l, out);
	}
	knob_lines(&l, r, out);

	for (size_t j = 0; j < rb_explained_rule_ref_count(r); j++) {
		const rb_explained_ref *ref = rb_explained_rule_ref(r, j);
		ref_heading(&l, j, ref, out);
		for (int side = RB_SIDE_UPSTREAM; side <= RB_SIDE_SELECTED; side++) {
			char st[64];
			state_text(r, ref, (rb_side)side, st);
			rb_ref_state s = rb_explained_ref_state(ref, (rb_side)side);
			block(&l, side == RB_SIDE_UPSTREAM ? INDENT : COL2, st, state_color(s),
			      rb_explained_ref_share(ref, (rb_side)side), GREEN);
		}
		emit(&l, out);
	}
	bool l4 = rb_destination_rule(d) < 0;
	total_row(&l, r, RB_OUTCOME_SERVED, "= served", GREEN, out);
	total_row(&l, r, RB_OUTCOME_500, "= answered 500", RED, out);
	total_row(&l, r, RB_OUTCOME_503, "= answered 503", RED, out);
	total_row(&l, r, RB_OUTCOME_OTHER, "= answered own status", NULL, out);
	if (l4)
		total_row(&l, r, RB_OUTCOME_RESET, "= reset", RED, out);
}

/* Routes on listeners Envoy Gateway leaves out: Accepted, yet nothing is programmed for them. */
static void print_not_programmed(const rb_explanation *ex, FILE *out)
{
	const rb_result *res = rb_explanation_result(ex, RB_SIDE_SELECTED);
	bool first = true;
	for (size_t i = 0; i < rb_result_route_status_count(res); i++) {
		const rb_route_status *rs = rb_result_route_status(res, i);
		const char *pkind = rb_route_status_parent_kind(rs);
		const char *pns = rb_route_status_parent_namespace(rs);
		if (!pns || !*pns)
			pns = rb_route_status_namespace(rs);
		for (size_t j = 0; j < rb_route_status_idle_listener_count(rs); j++) {
			if (first)
				fprintf(out, "%snot programmed (the route is Accepted, the listener is left out):\n",
				        rb_explanation_rule_count(ex) ? "\n" : "");
			first = false;
			char text[2048], esc[sizeof text * 4 + 1];
			snprintf(text, sizeof text, "%s %s/%s on %s %s/%s, listener %s:",
			         rb_route_status_kind(rs), rb_route_status_namespace(rs),
			         rb_route_status_name(rs), pkind ? pkind : "Gateway", pns,
			         rb_route_status_parent_name(rs), rb_route_status_idle_listener_name(rs, j));
			fprintf(out, "  %s\n", rb_escape_text(esc, sizeof esc, text));
			snprintf(text, sizeof text, "%s: %s", rb_route_status_idle_listener_reason(rs, j),
			         rb_route_status_idle_listener_message(rs, j));
			fprintf(out, "    %s\n", rb_escape_text(esc, sizeof esc, text));
		}
	}
}

/* The "warnings" block of the text: the input's, then the translation's. */
static void print_warnings_block(const rb_input *in, const rb_explanation *ex, FILE *out)
{
	const rb_result *sel = rb_explanation_result(ex, RB_SIDE_SELECTED);
	size_t n = rb_input_warning_count(in) + rb_result_warning_count(sel);
	if (!n)
		return;
	fprintf(out, "warnings (%zu):\n", n);
	cli_print_warnings_to(out, "  ", in, sel, false);
	fputc('\n', out);
}

static void print_text(const rb_input *in, const rb_explanation *ex, const rb_translate_options *o,
                       bool color, FILE *out)
{
	print_warnings_block(in, ex, out);
	for (size_t i = 0; i < rb_explanation_what_if_count(ex); i++) {
		size_t n = rb_explanation_what_if_slices(ex, i);
		char esc[1024];
		fprintf(out, "what if: Service %s scaled to zero (%zu EndpointSlice%s emptied)\n",
		        rb_escape_text(esc, sizeof esc, rb_explanation_what_if(ex, i)), n,
		        n == 1 ? "" : "s");
	}
	if (rb_explanation_what_if_count(ex))
		fputc('\n', out);
	if (!rb_explanation_rule_count(ex))
		fprintf(out, "no route rule reaches a Gateway of ours%s\n",
		        rb_input_warning_count(in) ||
		                rb_result_warning_count(rb_explanation_result(ex, RB_SIDE_SELECTED))
		            ? " (see the warnings above)"
		            : "");
	for (size_t i = 0; i < rb_explanation_rule_count(ex); i++) {
		if (i)
			fputc('\n', out);
		print_rule(rb_explanation_rule(ex, i), o, color, out);
	}
	print_not_programmed(ex, out);
}

/* What explain prints, for cli_emit: the text table or the explanation as YAML/JSON. */
typedef struct explain_view {
	const rb_input *in;
	const rb_explanation *ex;
	const rb_translate_options *o;
	bool text;
	bool color; /* decided for stdout, the same in both passes of cli_emit */
} explain_view;

static int produce_explain(const void *what, rb_format format, rb_write_fn write, void *ud)
{
	const explain_view *v = what;
	if (!v->text)
		return rb_explanation_write(v->ex, format, write, ud);
	FILE *f = cli_sink_file(write, ud);
	if (!f)
		return RB_ENOMEM;
	print_text(v->in, v->ex, v->o, v->color, f);
	bool failed = fflush(f) || ferror(f);
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
	rb_explain_options eo = RB_EXPLAIN_OPTIONS_INIT;
	eo.what_if = (const char *const *)args.what_if;
	eo.what_if_count = args.count;
	int err = rb_explain(&ex, in, &o.translate, &eo);
	if (err) {
		fprintf(stderr, "rebalance explain: %s\n", rb_strerror(err));
		rc = CLI_FAILURE;
		goto done;
	}
	for (size_t i = 0; i < rb_explanation_what_if_count(ex); i++) {
		if (!rb_explanation_what_if_found(ex, i)) {
			rc = cli_usage_error("explain", "--what-if %s=0: no Service %s in the input",
			                     rb_explanation_what_if(ex, i), rb_explanation_what_if(ex, i));
			goto done;
		}
	}
	const rb_result *sel = rb_explanation_result(ex, RB_SIDE_SELECTED);
	if (o.strict && cli_print_warnings_to(stderr, "", in, sel, true)) {
		rc = CLI_USAGE; /* like kubectl --validate=strict: nothing on stdout */
		goto done;
	}
	explain_view view = {in, ex, &o.translate, !o.format_set || o.text,
	                     isatty(STDOUT_FILENO) && !getenv("NO_COLOR")};
	if (!view.text)
		cli_print_warnings_to(stderr, "", in, sel, false);
	rc = cli_emit("explain", &o, produce_explain, &view);
done:
	/* the gate: after the output, which shows why it tripped */
	if (rc == CLI_OK && ex && cli_gates_trip(args.gates, args.gate_count, ex, stderr))
		rc = CLI_GATE_TRIPPED;
	rb_explanation_free(ex);
	rb_input_free(in);
	rb_ctx_free(ctx);
	cli_options_free(&o);
	for (size_t i = 0; i < args.count; i++)
		free(args.what_if[i]);
	free(args.what_if);
	return rc;
}
