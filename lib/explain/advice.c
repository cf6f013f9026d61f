/*
 * The advice of an explanation (rb_explain_options.advice, docs/explain.md
 * "Advice"): for a rule that stock Envoy Gateway answers 503 because of
 * backendRefs without endpoints while another backendRef serves, what an
 * operator can change today, and what compat would then do.
 *
 *   weight 0   `weight: 0` on each such backendRef;
 *   fallback   each such backendRef (to a Service) served through a Backend
 *              with `fallback: true` at the Service's clusterIP: the empty
 *              ref no longer forces weighted clusters, and the Backend is a
 *              priority-1 locality on standby.
 *
 * Computed, not canned: per remedy, every change it advises is applied at
 * once (rules do not share backendRefs) as what-if targets after the
 * caller's, and the input is explained again. The fallback is advised only
 * where compat then answers less 5xx *and* every new Backend stands by: a
 * share it served would go to a clusterIP whose Service has no ready
 * endpoint, which the model cannot see fail. (Making the healthy peers the
 * fallback instead never helps: the empty Service still forces weighted
 * clusters.)
 */
#include "explain/explain.h"
#include "rebalance/errors.h"

#include <string.h>

/* Is backendRef j of r one the advice is about (compat side)? */
static bool empty_and_costly(const rb_explained_rule *r, size_t j)
{
	const rb_explained_ref *ref = &r->refs[j];
	return ref->view[RB_SIDE_UPSTREAM].state == RB_REF_STATE_NO_ENDPOINTS &&
	       ref->view[RB_SIDE_UPSTREAM].caused[RB_OUTCOME_503] > 0;
}

/* Does the rule get advice at all? Not when nothing serves: weight 0
 * everywhere would answer 500 instead, and a lone fallback serves nothing. */
static bool needs_advice(const rb_explained_rule *r)
{
	const rb__ir_destination *d = r->dest[RB_SIDE_SELECTED];
	if (!d || d->rule < 0 || !(r->proj[RB_SIDE_UPSTREAM].outcome[RB_OUTCOME_SERVED] > 0))
		return false;
	for (size_t j = 0; j < r->ref_count; j++)
		if (empty_and_costly(r, j))
			return true;
	return false;
}

static double bad_share(const rb_explained_rule *r)
{
	const double *o = r->proj[RB_SIDE_UPSTREAM].outcome;
	return o[RB_OUTCOME_500] + o[RB_OUTCOME_503] + o[RB_OUTCOME_RESET];
}

/* The rule of `after` standing for rule i of `ex` (same destination and
 * Gateway), or NULL: the rules moved, no advice rather than the wrong one. */
static const rb_explained_rule *same_rule(const rb_explanation *after, size_t i,
                                          const rb_explained_rule *r)
{
	if (i >= after->rule_count)
		return NULL;
	const rb_explained_rule *c = &after->rules[i];
	const rb__ir_destination *d = r->dest[RB_SIDE_SELECTED], *cd = c->dest[RB_SIDE_SELECTED];
	bool same_gateway = d->gateway && cd->gateway ? !strcmp(d->gateway, cd->gateway)
	                                              : d->gateway == cd->gateway;
	return !strcmp(d->name, cd->name) && same_gateway && c->ref_count == r->ref_count ? c
	                                                                                  : NULL;
}

/* "NS/ROUTE:RULE:REF=weight:0" or "...=fallback" in the explanation's arena. */
static const char *target(rb_explanation *ex, const rb_explained_rule *r, size_t j,
                          rb_advice remedy)
{
	const rb__ir_destination *d = r->dest[RB_SIDE_SELECTED];
	return rb__arena_printf(&ex->arena, "%s/%s:%d:%zu=%s", d->route_namespace, d->route_name,
	                        (int)d->rule, j,
	                        remedy == RB_ADVICE_FALLBACK ? "fallback" : "weight:0");
}

/* A new explanation of `in` with `eo` (no advice), owned by the caller. */
static int explain_again(rb_explanation **out, const rb_explanation *ex, const rb_input *in,
                         const rb_translate_options *opts, const rb_explain_options *eo)
{
	rb_explanation *after = rb__calloc(&ex->ctx->mem, 1, sizeof(*after));
	if (!after)
		return RB_ENOMEM;
	after->ctx = ex->ctx;
	rb__arena_init(&after->arena, &ex->ctx->mem);
	int rc = rb__explain_build(after, in, opts, eo);
	if (rc) {
		rb_explanation_free(after);
		return rc;
	}
	*out = after;
	return RB_OK;
}

/* Is the fallback, as translated again, worth advising for rule r? `found`
 * are the match results of r's targets, in ref order. */
static bool fallback_helps(const rb_explained_rule *r, const rb_explained_rule *after,
                           const rb__what_if_match *found)
{
	size_t k = 0;
	for (size_t j = 0; j < r->ref_count; j++) {
		if (!empty_and_costly(r, j))
			continue;
		if (!found[k++].service_found)
			return false; /* no Service with a clusterIP and a port to point at */
		if (after->refs[j].view[RB_SIDE_UPSTREAM].state != RB_REF_STATE_STANDBY)
			return false; /* it would take requests its Service cannot serve */
	}
	return bad_share(after) < bad_share(r);
}

/* One remedy for every rule that needs advice. */
static int advise(rb_explanation *ex, rb_advice remedy, const rb_input *in,
                  const rb_translate_options *opts, const rb_explain_options *eo)
{
	/* the caller's targets, then per rule its refs' (first[i]: where they start) */
	size_t n = eo->what_if_count;
	for (size_t i = 0; i < ex->rule_count; i++) {
		const rb_explained_rule *r = &ex->rules[i];
		for (size_t j = 0; needs_advice(r) && j < r->ref_count; j++)
			n += empty_and_costly(r, j);
	}
	if (n == eo->what_if_count)
		return RB_OK;
	const char **targets = rb__arena_calloc(&ex->arena, n, sizeof(*targets));
	size_t *first = rb__arena_calloc(&ex->arena, ex->rule_count, sizeof(*first));
	if (!targets || !first)
		return RB_ENOMEM;
	if (eo->what_if_count) /* what_if may be NULL when empty */
		memcpy(targets, eo->what_if, eo->what_if_count * sizeof(*targets));
	size_t k = eo->what_if_count;
	for (size_t i = 0; i < ex->rule_count; i++) {
		const rb_explained_rule *r = &ex->rules[i];
		first[i] = k;
		for (size_t j = 0; needs_advice(r) && j < r->ref_count; j++)
			if (empty_and_costly(r, j) && !(targets[k++] = target(ex, r, j, remedy)))
				return RB_ENOMEM;
	}
	rb_explain_options again = *eo;
	again.what_if = targets;
	again.what_if_count = n;
	again.advice = 0;
	int rc = explain_again(&ex->advised[remedy], ex, in, opts, &again);
	if (rc)
		return rc == RB_ENOMEM ? rc : RB_OK; /* no advice rather than no explanation */
	const rb_explanation *after = ex->advised[remedy];
	for (size_t i = 0; i < ex->rule_count; i++) {
		rb_explained_rule *r = &ex->rules[i];
		const rb_explained_rule *a = needs_advice(r) ? same_rule(after, i, r) : NULL;
		if (!a || (remedy == RB_ADVICE_FALLBACK &&
		           !fallback_helps(r, a, &after->match[first[i]])))
			continue;
		rb__advice *adv = &r->advice[remedy];
		adv->ref_count = 0;
		for (size_t j = 0; j < r->ref_count; j++)
			adv->ref_count += empty_and_costly(r, j);
		adv->refs = rb__arena_calloc(&ex->arena, adv->ref_count, sizeof(*adv->refs));
		if (!adv->refs)
			return RB_ENOMEM;
		for (size_t j = 0, m = 0; j < r->ref_count; j++)
			if (empty_and_costly(r, j))
				adv->refs[m++] = j;
		adv->after = a;
	}
	return RB_OK;
}

int rb__explain_advise(rb_explanation *ex, const rb_input *in, const rb_translate_options *opts,
                       const rb_explain_options *eo)
{
	int rc = advise(ex, RB_ADVICE_WEIGHT_0, in, opts, eo);
	return rc ? rc : advise(ex, RB_ADVICE_FALLBACK, in, opts, eo);
}
