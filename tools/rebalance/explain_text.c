/*
 * explain's text (docs/explain.md, "The text"):
 *
 *   summary      how many rules answer 5xx on each side, the mean shares,
 *                and the worst rules (at most SUMMARY_ROWS of them)
 *   detail       per rule (those that answer 5xx; every rule with --all):
 *                its route, rule name, Gateway and listeners, how Envoy
 *                routes it on each side, and per backendRef what becomes of
 *                the requests its weight brings -- served, answered 503,
 *                answered 500 -- on each side, then the totals and advice
 *   legend       the words used, once
 *
 * Everything taken from the input is shown through rb_escape_text (one
 * escaping rule for every output: docs/escaping.md). Lines fit the layout's
 * width; text that does not is wrapped at spaces, never cut inside a word.
 */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include "explain_text.h"

#include "cli.h"

#include <stdlib.h>
#include <string.h>

enum { INDENT = 4, GAP = 2, STATE_W = 22, SHARE_W = 6, BAR_MAX = 40, SUMMARY_ROWS = 20 };
enum { WARNINGS_FIRST = 5 }; /* more go after the rules */

/* ---- the columns of a rule's detail ---- */

typedef struct cols {
	size_t block; /* width of one side's block */
	size_t col2;  /* where the selected side starts */
	size_t bar;   /* bar cells */
} cols;

static cols columns(const explain_layout *lay)
{
	cols c;
	c.block = (lay->width - INDENT - GAP) / 2;
	c.col2 = INDENT + c.block + GAP;
	size_t fixed = STATE_W + 1 + SHARE_W + 1;
	c.bar = c.block > fixed ? c.block - fixed : 0;
	if (c.bar > BAR_MAX)
		c.bar = BAR_MAX;
	return c;
}

/* One side's cell: a label, optionally a share and its bar. */
static void cell(text_line *l, const cols *c, size_t at, const char *label, const char *color,
                 double share, bool with_share, const char *bar_color)
{
	text_pad_to(l, at);
	text_put(l, label, color);
	if (!with_share)
		return;
	char p[16];
	text_pct(share, p, false);
	text_put_right(l, at + STATE_W + 1 + SHARE_W, p, NULL);
	text_pad_to(l, at + STATE_W + 1 + SHARE_W + 1);
	text_bar(l, share, c->bar, bar_color);
}

/* ---- words ---- */

static const char *side_name(const explain_selection *s, rb_side side)
{
	return side == RB_SIDE_UPSTREAM ? "compat" : s->selected_title;
}

/* How Envoy routes the rule, in plain words (Envoy's with -o wide). */
static void routing_words(const explain_layout *lay, const rb_explained_rule *r, rb_side side,
                          char out[96])
{
	const rb_destination *d = rb_explained_rule_destination(r, side);
	uint32_t code = rb_explained_rule_status_code(r, side);
	switch (rb_explained_rule_routing(r, side)) {
	case RB_ROUTING_DIRECT_RESPONSE:
		snprintf(out, 96, lay->wide ? "direct response %u" : "answers all with %u",
		         (unsigned)code);
		return;
	case RB_ROUTING_CLUSTER:
		snprintf(out, 96, "%s", lay->wide ? "one cluster" : "one pool");
		return;
	case RB_ROUTING_WEIGHTED_CLUSTERS:
		if (lay->wide && (rb_destination_backend_weight(d, RB_WEIGHT_INVALID) ||
		                  rb_destination_backend_weight(d, RB_WEIGHT_NO_ENDPOINTS)))
			snprintf(out, 96, "weighted clusters, not found %u", (unsigned)code);
		else
			snprintf(out, 96, "%s",
			         lay->wide ? "weighted clusters" : "split by weight");
		return;
	case RB_ROUTING_L4_CLUSTER:
		snprintf(out, 96, "%s (%s)", lay->wide ? "one cluster" : "one pool",
		         strcmp(rb_destination_route_kind(d), "UDPRoute") ? "TCP" : "UDP");
		return;
	case RB_ROUTING_NONE:
		break;
	}
	snprintf(out, 96, "-");
}

/* Why Envoy Gateway splits by weight, in plain words. */
static const char *split_reason(const char *why)
{
	static const struct {
		const char *envoy, *plain;
	} words[] = {
	    {"no-endpoint weight", "a backendRef has no endpoints"},
	    {"invalid weight", "a backendRef is invalid"},
	    {"invalid and no-endpoint weight",
	     "a backendRef is invalid and another has no endpoints"},
	};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (!strcmp(why, words[i].envoy))
			return words[i].plain;
	return why;
}

/* The fate of a ref that takes no share on a side: its state in words. */
static const char *idle_words(rb_ref_state s)
{
	switch (s) {
	case RB_REF_STATE_SERVING:
	case RB_REF_STATE_PANIC:
		return "served";
	case RB_REF_STATE_STANDBY:
		return "standby (fallback)";
	case RB_REF_STATE_DRAINING:
		return "draining: skipped";
	case RB_REF_STATE_NO_ENDPOINTS:
		return "no endpoints";
	case RB_REF_STATE_INVALID:
		return "invalid";
	case RB_REF_STATE_EXCLUDED:
		return "excluded: no endpoints";
	case RB_REF_STATE_EXCLUDED_NOT_READY:
		return "excluded: not ready";
	case RB_REF_STATE_ZERO_WEIGHT:
		return "weight 0";
	case RB_REF_STATE_DROPPED:
		return "dropped";
	case RB_REF_STATE_UNROUTED:
		return "not routed";
	}
	return "-";
}

static const char *state_color(rb_ref_state s)
{
	switch (s) {
	case RB_REF_STATE_SERVING:
		return GREEN;
	case RB_REF_STATE_STANDBY:
		return CYAN;
	case RB_REF_STATE_NO_ENDPOINTS:
	case RB_REF_STATE_INVALID:
		return RED;
	case RB_REF_STATE_ZERO_WEIGHT:
	case RB_REF_STATE_UNROUTED:
	case RB_REF_STATE_DROPPED:
		return DIM;
	default:
		return YELLOW;
	}
}

/* The rows of a ref's fate on one side: each outcome it causes, or its state. */
typedef struct fate {
	const char *label;
	const char *color;
	double share;
	bool with_share;
} fate;

static size_t fates(const rb_explained_ref *ref, rb_side side, fate out[4])
{
	rb_ref_state st = rb_explained_ref_state(ref, side);
	size_t n = 0;
	double served = rb_explained_ref_outcome(ref, side, RB_OUTCOME_SERVED);
	if (served > 0) {
		const char *label = st == RB_REF_STATE_PANIC         ? "served (panic)"
		                    : rb_explained_ref_priority(ref) ? "served (fallback)"
		                                                     : "served";
		out[n++] = (fate){label, st == RB_REF_STATE_PANIC ? YELLOW : GREEN, served, true};
	}
	static const struct {
		rb_outcome o;
		const char *label;
	} bad[] = {{RB_OUTCOME_503, "answered 503"},
	           {RB_OUTCOME_500, "answered 500"},
	           {RB_OUTCOME_RESET, "reset"}};
	for (size_t i = 0; i < 3; i++) {
		double s = rb_explained_ref_outcome(ref, side, bad[i].o);
		if (s > 0)
			out[n++] = (fate){bad[i].label, RED, s, true};
	}
	if (!n)
		out[n++] = (fate){idle_words(st), state_color(st), 0, false};
	return n;
}

/* ---- detail ---- */

/* "HTTPRoute shop/checkout, rule api (#1)" (escaped, malloc'd). */
static char *rule_title(const rb_explained_rule *r, bool kind_always)
{
	const rb_destination *d = rb_explained_rule_destination(r, RB_SIDE_SELECTED);
	char *ns = text_escaped(rb_destination_route_namespace(d)),
	     *name = text_escaped(rb_destination_route_name(d));
	char *rn = text_escaped(rb_explained_rule_name(r));
	const char *kind = rb_destination_route_kind(d);
	char *t = NULL;
	if (ns && name && rn) {
		size_t n = strlen(ns) + strlen(name) + strlen(rn) + strlen(kind) + 64;
		t = malloc(n);
		if (t) {
			int k = snprintf(
			    t, n, "%s%s%s/%s", kind_always || strcmp(kind, "HTTPRoute") ? kind : "",
			    kind_always || strcmp(kind, "HTTPRoute") ? " " : "", ns, name);
			int32_t idx = rb_destination_rule(d);
			if (idx >= 0 && *rn)
				snprintf(t + k, n - (size_t)k, ", rule %s (#%d)", rn, (int)idx);
			else if (idx >= 0)
				snprintf(t + k, n - (size_t)k, ", rule #%d", (int)idx);
		}
	}
	free(ns);
	free(name);
	free(rn);
	return t;
}

static void ref_heading(text_line *l, size_t j, const rb_explained_ref *ref)
{
	char text[4096];
	char *ns = text_escaped(rb_explained_ref_namespace(ref));
	char *name = text_escaped(rb_explained_ref_backend_name(ref));
	int n = snprintf(text, sizeof text, "%zu %s %s/%s", j, rb_explained_ref_kind(ref),
	                 ns ? ns : "", name ? name : "");
	free(ns);
	free(name);
	size_t k = n > 0 ? (size_t)n : 0;
	if (rb_explained_ref_port(ref) && k < sizeof text)
		k += (size_t)snprintf(text + k, sizeof text - k, ":%u",
		                      (unsigned)rb_explained_ref_port(ref));
	if (k < sizeof text)
		k += (size_t)snprintf(text + k, sizeof text - k, ", weight %u",
		                      (unsigned)rb_explained_ref_weight(ref));
	if (rb_explained_ref_priority(ref) && k < sizeof text)
		k += (size_t)snprintf(text + k, sizeof text - k, ", priority %u",
		                      (unsigned)rb_explained_ref_priority(ref));

	size_t eps = rb_explained_ref_endpoint_count(ref),
	       dr = rb_explained_ref_draining_count(ref);
	const char *reason = rb_explained_ref_reason(ref);
	uint32_t flags = rb_setting_flags(rb_explained_ref_setting(ref));
	char detail[2048] = "";
	if (reason && !strcmp(reason, "EndpointsNotFound"))
		snprintf(detail, sizeof detail, "no endpoints");
	else if (reason && rb_explained_ref_message(ref)) {
		char *m = text_escaped(rb_explained_ref_message(ref));
		snprintf(detail, sizeof detail, "%s: %s", reason, m ? m : "");
		free(m);
	} else if (rb_explained_ref_state(ref, RB_SIDE_SELECTED) == RB_REF_STATE_ZERO_WEIGHT)
		detail[0] = '\0';
	else if (flags & RB_SETTING_DYNAMIC_RESOLVER)
		snprintf(detail, sizeof detail, "dynamic resolver");
	else if (flags & RB_SETTING_CUSTOM_BACKEND)
		snprintf(detail, sizeof detail, "custom backend");
	else if (!eps)
		snprintf(detail, sizeof detail, "no endpoints");
	else if (dr == eps)
		snprintf(detail, sizeof detail, "%zu endpoint%s, all draining", eps,
		         eps == 1 ? "" : "s");
	else if (dr)
		snprintf(detail, sizeof detail, "%zu endpoints, %zu draining", eps, dr);
	else
		snprintf(detail, sizeof detail, "%zu endpoint%s", eps, eps == 1 ? "" : "s");
	if (detail[0] && (flags & RB_SETTING_SHARED_CLUSTER)) {
		char *s = text_escaped(rb_setting_name(rb_explained_ref_setting(ref)));
		size_t m = strlen(detail);
		snprintf(detail + m, sizeof detail - m, " (shared cluster %s)", s ? s : "");
		free(s);
	}
	if (l->lay->wide && k < sizeof text) {
		/* the name Envoy knows it by: the locality or weighted-cluster entry */
		char *s = text_escaped(rb_explained_ref_name(ref));
		k += (size_t)snprintf(text + k, sizeof text - k, " [%s]", s ? s : "");
		free(s);
	}
	if (detail[0] && k < sizeof text)
		snprintf(text + k, sizeof text - k, ": %s", detail);
	text_para_escaped(l, 2, INDENT, text, NULL);
}

static void total_row(text_line *l, const cols *c, const rb_explained_rule *r, rb_outcome o,
                      const char *label, const char *color)
{
	double up = rb_explained_rule_share(r, RB_SIDE_UPSTREAM, o);
	double sel = rb_explained_rule_share(r, RB_SIDE_SELECTED, o);
	if (o != RB_OUTCOME_SERVED && up <= 0 && sel <= 0)
		return;
	cell(l, c, INDENT, label, NULL, up, true, color);
	cell(l, c, c->col2, label, NULL, sel, true, color);
	text_emit(l);
}

/* The knobs a policy or a flag decided (selected side), one paragraph each. */
static void knob_lines(text_line *l, const rb_explained_rule *r)
{
	const rb_destination *d = rb_explained_rule_destination(r, RB_SIDE_SELECTED);
	if (!d || rb_destination_rule(d) < 0)
		return;
	static const char *const fields[] = {"rebalanceOnNoEndpoints",
	                                     "rebalanceOnNoReadyEndpoints"};
	for (int k = RB_KNOB_NO_ENDPOINTS; k <= RB_KNOB_NOT_READY; k++) {
		const char *policy = rb_destination_knob_policy(d, (rb_knob)k);
		bool on = rb_destination_knob(d, (rb_knob)k);
		char text[1024];
		if (policy) {
			char *p = text_escaped(policy);
			snprintf(text, sizeof text,
			         "%s: %s, decided by BackendTrafficPolicy %s (%s)", fields[k],
			         on ? "true" : "false", p ? p : "",
			         rb_destination_knob_scope(d, (rb_knob)k));
			free(p);
		} else if (k == RB_KNOB_NOT_READY && on)
			snprintf(text, sizeof text, "%s: true (--rebalance-not-ready)", fields[k]);
		else
			continue;
		text_para_escaped(l, INDENT, INDENT + 2, text, DIM);
	}
}

/* "compat: split by weight because ..." / the filter or policy that answers. */
static void why_lines(text_line *l, const explain_selection *s, const rb_explained_rule *r)
{
	const char *why[2] = {rb_explained_rule_routing_reason(r, RB_SIDE_UPSTREAM),
	                      rb_explained_rule_routing_reason(r, RB_SIDE_SELECTED)};
	bool direct[2] = {
	    rb_explained_rule_routing(r, RB_SIDE_UPSTREAM) == RB_ROUTING_DIRECT_RESPONSE,
	    rb_explained_rule_routing(r, RB_SIDE_SELECTED) == RB_ROUTING_DIRECT_RESPONSE};
	if (why[0] && why[1] && direct[0] && direct[1] && !strcmp(why[0], why[1])) {
		/* one reason for both sides (e.g. the filter that answers) */
		char *e = text_escaped(why[1]);
		size_t n = strlen(e ? e : "") + 8;
		char *t = malloc(n);
		if (t) {
			snprintf(t, n, "why: %s", e ? e : "");
			text_para_escaped(l, INDENT, INDENT + 2, t, DIM);
		}
		free(t);
		free(e);
		return;
	}
	for (int side = RB_SIDE_UPSTREAM; side <= RB_SIDE_SELECTED; side++) {
		if (!why[side])
			continue;
		char *e = text_escaped(direct[side] || l->lay->wide ? why[side]
		                                                    : split_reason(why[side]));
		size_t n = strlen(e ? e : "") + 64;
		char *t = malloc(n);
		if (t) {
			snprintf(t, n, "%s: %s %s", side_name(s, (rb_side)side),
			         direct[side]   ? "answers because"
			         : l->lay->wide ? "weighted clusters because of"
			                        : "splits by weight because",
			         e ? e : "");
			text_para_escaped(l, INDENT, INDENT + 2, t, DIM);
		}
		free(t);
		free(e);
	}
}

/* "compat then serves 100.0% (503: 0.0%, 500: 0.0%)" for a rule translated again. */
static void compat_after(const rb_explained_rule *r, char *out, size_t size)
{
	char served[16], a503[16], a500[16];
	text_pct(rb_explained_rule_share(r, RB_SIDE_UPSTREAM, RB_OUTCOME_SERVED), served, false);
	text_pct(rb_explained_rule_share(r, RB_SIDE_UPSTREAM, RB_OUTCOME_503), a503, false);
	text_pct(rb_explained_rule_share(r, RB_SIDE_UPSTREAM, RB_OUTCOME_500), a500, false);
	snprintf(out, size, "compat then serves %s (503: %s, 500: %s)", served, a503, a500);
}

/* "backendRef 1 (Service shop/canary)", "backendRefs 1 (...), 2 (...)": the
 * refs a remedy changes, after `before`. */
static size_t remedy_refs(char *buf, size_t size, const rb_explained_rule *r, rb_advice remedy,
                          const char *before)
{
	size_t count = rb_explained_rule_advice_ref_count(r, remedy);
	size_t n = (size_t)snprintf(buf, size, "%sbackendRef%s", before, count > 1 ? "s" : "");
	for (size_t i = 0; i < count && n < size; i++) {
		size_t j = rb_explained_rule_advice_ref(r, remedy, i);
		const rb_explained_ref *ref = rb_explained_rule_ref(r, j);
		char *ns = text_escaped(rb_explained_ref_namespace(ref));
		char *name = text_escaped(rb_explained_ref_backend_name(ref));
		n += (size_t)snprintf(buf + n, size - n, "%s %zu (%s %s/%s)", i ? "," : "", j,
		                      rb_explained_ref_kind(ref), ns ? ns : "", name ? name : "");
		free(ns);
		free(name);
	}
	return n < size ? n : size - 1;
}

/* "serve backendRef 1 (...) through Backend shop/canary-fallback (fallback:
 * true; one ip endpoint: ...)": what the operator writes, read from the rule
 * translated again. */
static void fallback_change(char *buf, size_t size, const rb_explained_rule *r)
{
	const rb_explained_rule *after = rb_explained_rule_advice(r, RB_ADVICE_FALLBACK);
	size_t n = remedy_refs(buf, size, r, RB_ADVICE_FALLBACK, "serve ");
	size_t count = rb_explained_rule_advice_ref_count(r, RB_ADVICE_FALLBACK);
	for (size_t i = 0; i < count && n < size; i++) {
		size_t j = rb_explained_rule_advice_ref(r, RB_ADVICE_FALLBACK, i);
		const rb_explained_ref *ref = rb_explained_rule_ref(after, j);
		const rb_setting *st = rb_explained_ref_setting(ref);
		const rb_endpoint *e =
		    st && rb_setting_endpoint_count(st) ? rb_setting_endpoint(st, 0) : NULL;
		char *ns = text_escaped(rb_explained_ref_namespace(ref));
		char *name = text_escaped(rb_explained_ref_backend_name(ref));
		n += (size_t)snprintf(buf + n, size - n,
		                      "%s Backend %s/%s (fallback: true; one ip endpoint: the "
		                      "Service's clusterIP %s, port %u)",
		                      i ? ", and" : " through", ns ? ns : "", name ? name : "",
		                      e ? rb_endpoint_host(e) : "",
		                      e ? (unsigned)rb_endpoint_port(e) : 0);
		free(ns);
		free(name);
	}
	if (n < size)
		snprintf(buf + n, size - n, ", with extensionApis.enableBackend: true in the "
		                            "EnvoyGateway configuration");
}

/*
 * The advice (computed by the library: rb_explained_rule_advice): with
 * weight 0 alone, one paragraph; with the fallback too, one line per remedy,
 * then rebalance, then what each remedy asks of the operator over time.
 */
static void advice_lines(text_line *l, const explain_selection *s, const rb_explained_rule *r)
{
	const rb_explained_rule *w0 = rb_explained_rule_advice(r, RB_ADVICE_WEIGHT_0);
	const rb_explained_rule *fb = rb_explained_rule_advice(r, RB_ADVICE_FALLBACK);
	if (!w0 && !fb)
		return;
	char text[4096], change[3072], after[128], served[16];
	text_pct(rb_explained_rule_share(r, RB_SIDE_SELECTED, RB_OUTCOME_SERVED), served, false);
	if (!fb) {
		remedy_refs(change, sizeof change, r, RB_ADVICE_WEIGHT_0, "weight: 0 on ");
		compat_after(w0, after, sizeof after);
		int k = snprintf(text, sizeof text,
		                 "advice for stock Envoy Gateway: set %s; translated again, %s",
		                 change, after);
		if (s->rebalance && k > 0 && (size_t)k < sizeof text)
			snprintf(text + k, sizeof text - (size_t)k,
			         "; rebalance serves %s as it is", served);
		text_para_escaped(l, INDENT, INDENT + 2, text, CYAN);
		return;
	}
	text_para_escaped(l, INDENT, INDENT + 2,
	                  "advice for stock Envoy Gateway, each translated again:", CYAN);
	if (w0) {
		remedy_refs(change, sizeof change, r, RB_ADVICE_WEIGHT_0, "weight: 0 on ");
		compat_after(w0, after, sizeof after);
		snprintf(text, sizeof text, "- set %s: %s", change, after);
		text_para_escaped(l, INDENT + 2, INDENT + 4, text, CYAN);
	}
	fallback_change(change, sizeof change, r);
	compat_after(fb, after, sizeof after);
	snprintf(text, sizeof text, "- %s%s: %s", w0 ? "or " : "", change, after);
	text_para_escaped(l, INDENT + 2, INDENT + 4, text, CYAN);
	if (s->rebalance) {
		snprintf(text, sizeof text, "- rebalance serves %s as it is", served);
		text_para_escaped(l, INDENT + 2, INDENT + 4, text, CYAN);
	}
	text_para_escaped(l, INDENT + 2, INDENT + 4,
	                  w0 ? "either lasts until undone: with weight 0 the Service gets "
	                       "nothing; with the fallback it gets no share while the others "
	                       "serve, and takes over when their endpoints all drain"
	                     : "the fallback lasts until undone: the Service gets no share "
	                       "while the others serve, and takes over when their endpoints "
	                       "all drain",
	                  CYAN);
}

static void print_rule(text_line *l, const explain_selection *s, const rb_explained_rule *r)
{
	cols c = columns(l->lay);
	const rb_destination *d = rb_explained_rule_destination(r, RB_SIDE_SELECTED);
	char *title = rule_title(r, true);
	char *gw = text_escaped(rb_destination_gateway(d));
	char *ls = text_escaped(rb_explained_rule_listeners(r));
	size_t n = strlen(title ? title : "") + strlen(gw ? gw : "") + strlen(ls ? ls : "") + 64;
	char *head = malloc(n);
	if (head) {
		int k = snprintf(head, n, "%s, Gateway %s", title ? title : "", gw ? gw : "");
		if (rb_explained_rule_listeners(r) && k > 0 &&
		    !strcmp(rb_explained_rule_listeners(r), "all"))
			snprintf(head + k, n - (size_t)k, ", all listeners");
		else if (rb_explained_rule_listeners(r) && k > 0)
			snprintf(head + k, n - (size_t)k, ", listener%s %s",
			         strchr(rb_explained_rule_listeners(r), ',') ? "s" : "",
			         ls ? ls : "");
		text_para_escaped(l, 0, 2, head, BOLD);
	}
	free(head);
	free(title);
	free(gw);
	free(ls);
	if (rb_explained_rule_caveat(r))
		text_para(l, INDENT, INDENT + 2, rb_explained_rule_caveat(r), YELLOW);

	text_pad_to(l, INDENT);
	text_put(l, side_name(s, RB_SIDE_UPSTREAM), DIM);
	text_pad_to(l, c.col2);
	text_put(l, side_name(s, RB_SIDE_SELECTED), DIM);
	text_emit(l);
	char a[96], b[96];
	routing_words(l->lay, r, RB_SIDE_UPSTREAM, a);
	routing_words(l->lay, r, RB_SIDE_SELECTED, b);
	text_pad_to(l, INDENT);
	text_put(l, a, NULL);
	text_pad_to(l, c.col2);
	text_put(l, b, NULL);
	text_emit(l);
	why_lines(l, s, r);
	knob_lines(l, r);

	for (size_t j = 0; j < rb_explained_rule_ref_count(r); j++) {
		const rb_explained_ref *ref = rb_explained_rule_ref(r, j);
		ref_heading(l, j, ref);
		fate f[2][4];
		size_t nf[2] = {fates(ref, RB_SIDE_UPSTREAM, f[0]),
		                fates(ref, RB_SIDE_SELECTED, f[1])};
		size_t rows = nf[0] > nf[1] ? nf[0] : nf[1];
		for (size_t i = 0; i < rows; i++) {
			for (int side = 0; side < 2; side++)
				if (i < nf[side])
					cell(l, &c, side ? c.col2 : INDENT, f[side][i].label,
					     f[side][i].color, f[side][i].share,
					     f[side][i].with_share, f[side][i].color);
			text_emit(l);
		}
	}
	bool l4 = rb_destination_rule(d) < 0;
	total_row(l, &c, r, RB_OUTCOME_SERVED, "= served", GREEN);
	total_row(l, &c, r, RB_OUTCOME_500, "= answered 500", RED);
	total_row(l, &c, r, RB_OUTCOME_503, "= answered 503", RED);
	total_row(l, &c, r, RB_OUTCOME_OTHER, "= answered own status", NULL);
	if (l4)
		total_row(l, &c, r, RB_OUTCOME_RESET, "= reset", RED);
	advice_lines(l, s, r);
}

/* ---- summary ---- */

bool explain_rule_affected(const rb_explained_rule *r)
{
	for (int side = RB_SIDE_UPSTREAM; side <= RB_SIDE_SELECTED; side++)
		if (rb_explained_rule_share(r, (rb_side)side, RB_OUTCOME_500) > 0 ||
		    rb_explained_rule_share(r, (rb_side)side, RB_OUTCOME_503) > 0 ||
		    rb_explained_rule_share(r, (rb_side)side, RB_OUTCOME_RESET) > 0)
			return true;
	return false;
}

static double bad_share(const rb_explained_rule *r, rb_side side)
{
	return rb_explained_rule_share(r, side, RB_OUTCOME_500) +
	       rb_explained_rule_share(r, side, RB_OUTCOME_503) +
	       rb_explained_rule_share(r, side, RB_OUTCOME_RESET);
}

typedef struct ranked {
	const rb_explained_rule *r;
	size_t index;
} ranked;

/* Worst first: the selected side's 5xx, then compat's, then input order. */
static int by_impact(const void *pa, const void *pb)
{
	const ranked *a = pa, *b = pb;
	double sa = bad_share(a->r, RB_SIDE_SELECTED), sb = bad_share(b->r, RB_SIDE_SELECTED);
	if (sa != sb)
		return sa > sb ? -1 : 1;
	double ua = bad_share(a->r, RB_SIDE_UPSTREAM), ub = bad_share(b->r, RB_SIDE_UPSTREAM);
	if (ua != ub)
		return ua > ub ? -1 : 1;
	return a->index < b->index ? -1 : a->index > b->index;
}

/* The right edges of the four numeric columns of the summary. */
typedef struct sum_cols {
	size_t end[4];
	size_t label_w;
} sum_cols;

/* As wide as the longest label needs (a wide terminal does not push the
 * numbers away from the names), at most the layout's width. */
static sum_cols summary_columns(const explain_layout *lay, size_t longest_label)
{
	sum_cols c;
	size_t need = 2 + (longest_label > 28 ? longest_label : 28) + 1 + 31;
	size_t right = need < lay->width ? need : lay->width;
	/* compat 503, 500 | selected 503, 500: 7 columns each, 3 between the sides */
	c.end[3] = right;
	c.end[2] = right - 7;
	c.end[1] = right - 17;
	c.end[0] = right - 24;
	c.label_w = right - 24 - 7 - 1 - 2;
	return c;
}

static void summary_numbers(text_line *l, const sum_cols *c, const rb_explained_rule *r)
{
	static const rb_outcome o[4] = {RB_OUTCOME_503, RB_OUTCOME_500, RB_OUTCOME_503,
	                                RB_OUTCOME_500};
	for (int i = 0; i < 4; i++) {
		char p[16];
		double v =
		    rb_explained_rule_share(r, i < 2 ? RB_SIDE_UPSTREAM : RB_SIDE_SELECTED, o[i]);
		if (o[i] == RB_OUTCOME_503) /* L4: a reset is the 503 of a TCP route */
			v += rb_explained_rule_share(r, i < 2 ? RB_SIDE_UPSTREAM : RB_SIDE_SELECTED,
			                             RB_OUTCOME_RESET);
		text_pct(v, p, true);
		text_put_right(l, c->end[i], p, v > 0 ? RED : DIM);
	}
	text_emit(l);
}

static size_t count_gateways(const rb_explanation *ex)
{
	/* distinct Gateways of the rules; a small set in practice */
	const char *seen[64];
	size_t n = 0;
	bool more = false;
	for (size_t i = 0; i < rb_explanation_rule_count(ex); i++) {
		const char *g = rb_destination_gateway(
		    rb_explained_rule_destination(rb_explanation_rule(ex, i), RB_SIDE_SELECTED));
		bool found = false;
		for (size_t k = 0; k < n && !found; k++)
			found = !strcmp(seen[k], g);
		if (!found && n < 64)
			seen[n++] = g;
		else if (!found)
			more = true;
	}
	return more ? 65 : n;
}

static void print_summary(text_line *l, const explain_selection *s, const rb_explanation *ex,
                          ranked *affected, size_t n_affected, size_t n_rules)
{
	size_t bad[2] = {0, 0}, caveats = 0;
	double mean[2][2] = {{0, 0}, {0, 0}}; /* side x (503, 500) */
	for (size_t i = 0; i < rb_explanation_rule_count(ex); i++) {
		const rb_explained_rule *r = rb_explanation_rule(ex, i);
		caveats += rb_explained_rule_caveat(r) != NULL;
		for (int side = 0; side < 2; side++) {
			bad[side] += bad_share(r, (rb_side)side) > 0;
			mean[side][0] +=
			    rb_explained_rule_share(r, (rb_side)side, RB_OUTCOME_503) +
			    rb_explained_rule_share(r, (rb_side)side, RB_OUTCOME_RESET);
			mean[side][1] += rb_explained_rule_share(r, (rb_side)side, RB_OUTCOME_500);
		}
	}
	size_t gws = count_gateways(ex);
	char head[256];
	snprintf(head, sizeof head, "Summary: %zu rule%s on %s%zu Gateway%s", n_rules,
	         n_rules == 1 ? "" : "s", gws > 64 ? "more than " : "", gws > 64 ? 64 : gws,
	         gws == 1 ? "" : "s");
	text_para_escaped(l, 0, 2, head, BOLD);
	size_t longest = 0;
	for (size_t i = 0; i < n_affected && i < SUMMARY_ROWS; i++) {
		char *t = rule_title(affected[i].r, false);
		size_t w = t ? text_width_of(t, strlen(t)) : 0;
		longest = w > longest ? w : longest;
		free(t);
	}
	sum_cols c = summary_columns(l->lay, longest);
	text_put_right(l, c.end[1], "compat", DIM);
	text_put_right(l, c.end[3], s->selected_title, DIM);
	text_emit(l);
	char a[32], b[32];
	text_pad_to(l, 2);
	text_put(l, "rules that answer 5xx", NULL);
	snprintf(a, sizeof a, "%zu", bad[0]);
	snprintf(b, sizeof b, "%zu", bad[1]);
	text_put_right(l, c.end[1], a, bad[0] ? RED : NULL);
	text_put_right(l, c.end[3], b, bad[1] ? RED : NULL);
	text_emit(l);
	static const char *const what[2] = {"requests answered 503 (mean)",
	                                    "requests answered 500 (mean)"};
	for (int k = 0; k < 2; k++) {
		text_pad_to(l, 2);
		text_put(l, what[k], NULL);
		text_pct(n_rules ? mean[0][k] / (double)n_rules : 0, a, false);
		text_pct(n_rules ? mean[1][k] / (double)n_rules : 0, b, false);
		text_put_right(l, c.end[1], a, NULL);
		text_put_right(l, c.end[3], b, NULL);
		text_emit(l);
	}
	if (caveats) {
		/* A caveat (routes that overlap, a policy the model does not cover) can
		 * sit on a rule that answers no 5xx, which the default view leaves out. */
		char note[200];
		snprintf(note, sizeof note,
		         "%zu rule%s carr%s a caveat: the shares may not be what Envoy does (%s)",
		         caveats, caveats == 1 ? "" : "s", caveats == 1 ? "ies" : "y",
		         s->all ? "under their headings" : "--all shows every rule");
		text_para_escaped(l, 2, 4, note, YELLOW);
	}
	if (!n_affected) {
		text_emit(l);
		text_para_escaped(l, 0, 2, "No rule answers 5xx on either side.", NULL);
		return;
	}
	text_emit(l);
	text_para_escaped(
	    l, 0, 2, "Rules that answer 5xx, worst first (share of the rule's requests):", BOLD);
	text_put_right(l, c.end[1], "compat", DIM);
	text_put_right(l, c.end[3], s->selected_title, DIM);
	text_emit(l);
	text_pad_to(l, 2);
	text_put(l, "ROUTE, RULE", DIM);
	static const char *const heads[4] = {"503", "500", "503", "500"};
	for (int i = 0; i < 4; i++)
		text_put_right(l, c.end[i], heads[i], DIM);
	text_emit(l);
	size_t shown = n_affected < SUMMARY_ROWS ? n_affected : SUMMARY_ROWS;
	for (size_t i = 0; i < shown; i++) {
		char *t = rule_title(affected[i].r, false);
		const char *label = t ? t : "";
		size_t w = text_width_of(label, strlen(label));
		if (w <= c.label_w) {
			text_pad_to(l, 2);
			text_put(l, label, NULL);
		} else {
			/* too long for its column: the name on its own lines, the numbers below */
			text_para_escaped(l, 2, 4, label, NULL);
		}
		summary_numbers(l, &c, affected[i].r);
		free(t);
	}
	if (n_affected > shown) {
		char more[160];
		snprintf(more, sizeof more,
		         "... and %zu more (in the detail below; --route NS/NAME "
		         "picks one)",
		         n_affected - shown);
		text_para_escaped(l, 2, 4, more, DIM);
	}
}

/* ---- the rest ---- */

static size_t warning_count(const rb_input *in, const rb_explanation *ex)
{
	return rb_input_warning_count(in) +
	       rb_result_warning_count(rb_explanation_result(ex, RB_SIDE_SELECTED));
}

/* The input's warnings, then the translation's, each wrapped to the width
 * (diagnostics come escaped already). */
static void print_warnings_block(text_line *l, const rb_input *in, const rb_explanation *ex)
{
	size_t n = warning_count(in, ex);
	if (!n)
		return;
	char head[64];
	snprintf(head, sizeof head, "warnings (%zu):", n);
	text_para_escaped(l, 0, 2, head, NULL);
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	if (mem) {
		cli_print_warnings_to(mem, "", in, rb_explanation_result(ex, RB_SIDE_SELECTED),
		                      false);
		fclose(mem);
	}
	for (char *s = text; s && *s;) {
		char *eol = strchr(s, '\n');
		if (eol)
			*eol = '\0';
		text_para_escaped(l, 2, 4, s, NULL);
		if (!eol)
			break;
		s = eol + 1;
	}
	free(text);
	text_emit(l);
}

/* Routes on listeners Envoy Gateway leaves out: Accepted, yet nothing is programmed for them. */
static void print_not_programmed(text_line *l, const rb_explanation *ex)
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
			if (first) {
				text_emit(l);
				text_para_escaped(
				    l, 0, 2,
				    "Not programmed (the route is Accepted, the listener "
				    "is left out):",
				    BOLD);
			}
			first = false;
			char text[2048];
			snprintf(text, sizeof text,
			         "%s %s/%s on %s %s/%s, listener %s:", rb_route_status_kind(rs),
			         rb_route_status_namespace(rs), rb_route_status_name(rs),
			         pkind ? pkind : "Gateway", pns, rb_route_status_parent_name(rs),
			         rb_route_status_idle_listener_name(rs, j));
			text_para(l, 2, 4, text, NULL);
			snprintf(text, sizeof text, "%s: %s",
			         rb_route_status_idle_listener_reason(rs, j),
			         rb_route_status_idle_listener_message(rs, j));
			text_para(l, 4, 6, text, NULL);
		}
	}
}

static void print_legend(text_line *l, const explain_selection *s)
{
	static const char *const words[] = {
	    "served: the backendRef's endpoints take that share of the rule's requests "
	    "(fallback: a Backend with fallback: true; panic: every endpoint drains, so Envoy uses "
	    "them all the same).",
	    "answered 503 / 500: Envoy answers that share itself, because of this backendRef: no "
	    "endpoint to send it to (503), or a backendRef that cannot be used (500; 503 when "
	    "another backendRef of the rule has no endpoints). A TCP, TLS or UDP route resets the "
	    "connection instead: the summary counts it as 503.",
	    "excluded: rebalance leaves out a backendRef without endpoints (not ready: whose "
	    "endpoints all drain) and its weight goes to the others.",
	    "standby: a fallback waiting while the others serve. draining: skipped, its endpoints "
	    "are terminating. weight 0: never picked. dropped: a failing backendRef of a TCP, TLS "
	    "or UDP route. not routed: the rule answers without its backends.",
	    "one pool: one cluster, requests go to the backendRefs that can take them. split by "
	    "weight: each backendRef gets its weight's share whatever its state.",
	};
	static const char *const envoy[] = {
	    "Envoy's terms: one pool = one cluster with a locality per backendRef; split by weight "
	    "= weighted clusters, the invalid-backend-cluster entry answered with "
	    "clusterNotFoundResponseCode; draining = health status DRAINING, excluded from load "
	    "balancing; panic = every priority level below the panic threshold "
	    "(recalculateLoadInTotalPanic).",
	};
	text_emit(l);
	char head[200];
	snprintf(head, sizeof head,
	         "Legend (compat: Envoy Gateway as it is; %s: the selected mode; the shares are "
	         "Envoy %s or later's, shipped by Envoy Gateway v%s and later):",
	         s->selected_title, rb_envoy_model_version(), RB_ENVOY_GATEWAY_MODEL_VERSION);
	text_para_escaped(l, 0, 2, head, BOLD);
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		text_para_escaped(l, 2, 4, words[i], DIM);
	if (l->lay->wide)
		text_para_escaped(l, 2, 4, envoy[0], DIM);
}

int explain_print_text(FILE *out, const explain_layout *lay, const rb_input *in,
                       const rb_explanation *ex, const explain_selection *s)
{
	text_line *l = calloc(1, sizeof *l);
	size_t rules = rb_explanation_rule_count(ex);
	ranked *affected = calloc(rules ? rules : 1, sizeof *affected);
	if (!l || !affected) {
		free(l);
		free(affected);
		return -1;
	}
	l->lay = lay;
	l->out = out;
	/* A few warnings first (they often say why a rule is missing); many would
	 * push the summary off the screen: a line, and the list after the rules. */
	bool warnings_last = warning_count(in, ex) > WARNINGS_FIRST;
	if (warnings_last) {
		char note[128];
		snprintf(note, sizeof note, "%zu warnings about the input: listed after the rules",
		         warning_count(in, ex));
		text_para_escaped(l, 0, 2, note, YELLOW);
		text_emit(l);
	} else {
		print_warnings_block(l, in, ex);
	}
	for (size_t i = 0; i < rb_explanation_what_if_count(ex); i++) {
		size_t n = rb_explanation_what_if_slices(ex, i);
		char text[1024];
		char *e = text_escaped(rb_explanation_what_if(ex, i));
		const char *eq = e ? strchr(e, '=') : NULL;
		if (!e)
			text[0] = '\0';
		else if (strchr(e, ':')) {
			/* NS/ROUTE:RULE:REF=weight:W or NS/ROUTE:RULE:REF=fallback */
			const char *c1 = strchr(e, ':'), *c2 = strchr(c1 + 1, ':');
			if (!strcmp(eq + 1, "fallback"))
				snprintf(text, sizeof text,
				         "what if: backendRef %.*s of rule %.*s of route %.*s were "
				         "served through a Backend with fallback: true at its "
				         "Service's clusterIP",
				         (int)(eq - c2 - 1), c2 + 1, (int)(c2 - c1 - 1), c1 + 1,
				         (int)(c1 - e), e);
			else
				snprintf(text, sizeof text,
				         "what if: backendRef %.*s of rule %.*s of route %.*s had "
				         "weight %s",
				         (int)(eq - c2 - 1), c2 + 1, (int)(c2 - c1 - 1), c1 + 1,
				         (int)(c1 - e), e, eq + 8);
		} else if (eq)
			snprintf(text, sizeof text,
			         "what if: Service %.*s had %s ready endpoints (%zu "
			         "EndpointSlice%s changed)",
			         (int)(eq - e), e, eq + 1, n, n == 1 ? "" : "s");
		else
			snprintf(text, sizeof text,
			         "what if: Service %s scaled to zero (%zu EndpointSlice%s emptied)",
			         e, n, n == 1 ? "" : "s");
		free(e);
		text_para_escaped(l, 0, 2, text, NULL);
	}
	if (rb_explanation_what_if_count(ex))
		text_emit(l);
	size_t n_affected = 0, n_rules = 0;
	for (size_t i = 0; i < rules; i++) {
		n_rules++;
		const rb_explained_rule *r = rb_explanation_rule(ex, i);
		if (explain_rule_affected(r))
			affected[n_affected++] = (ranked){r, i};
	}
	qsort(affected, n_affected, sizeof *affected, by_impact);
	bool filtered =
	    rb_result_destination_count(rb_explanation_result(ex, RB_SIDE_SELECTED)) > 0;
	if (!rules && filtered) {
		text_para_escaped(l, 0, 2, "no rule matches --route, --gateway or -n", NULL);
	} else if (!rules) {
		bool warned = rb_input_warning_count(in) ||
		              rb_result_warning_count(rb_explanation_result(ex, RB_SIDE_SELECTED));
		text_para_escaped(
		    l, 0, 2,
		    !warned ? "no route rule reaches a Gateway of ours"
		    : warnings_last
		        ? "no route rule reaches a Gateway of ours (see the warnings below)"
		        : "no route rule reaches a Gateway of ours (see the warnings above)",
		    NULL);
	} else {
		print_summary(l, s, ex, affected, n_affected, n_rules);
	}
	/* the detail: worst first, as in the summary; with --all every kept rule, in input order */
	size_t shown = 0;
	if (s->all) {
		for (size_t i = 0; i < rules; i++) {
			text_emit(l);
			print_rule(l, s, rb_explanation_rule(ex, i));
			shown++;
		}
	} else {
		for (size_t i = 0; i < n_affected; i++) {
			text_emit(l);
			print_rule(l, s, affected[i].r);
			shown++;
		}
	}
	print_not_programmed(l, ex);
	if (warnings_last) {
		fputc('\n', out);
		text_emit(l);
		print_warnings_block(l, in, ex);
	}
	if (shown)
		print_legend(l, s);
	free(affected);
	free(l);
	return fflush(out) || ferror(out) ? -1 : 0;
}
