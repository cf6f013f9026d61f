/*
 * HTTPRoute and GRPCRoute rules, per parent ([l7.backend-ref] [direct.first-case-wins]
 * [grpc.not-invalid]) and the rebalance rule ([rebalance.exclude]):
 *
 *   a rule whose IR routes cannot be built is dropped (rule_build.c);
 *   for each backendRef: its setting (setting.c); errors into statuses;
 *   weight 0 skipped; [rebalance] zero-endpoint settings that are not
 *   invalid, dynamic-resolver or custom are excluded; the rest weighed into
 *   the Valid / Invalid / NoEndpoints buckets ([bucket.classify]); then the ordered
 *   direct-response decision ([direct.first-case-wins]) on the weights that remain.
 *
 * Rules: [l7.filters-first] [l7.keep] [weight.default] [weight.zero]
 * [bucket.members] [direct.filter-error] [direct.invalid]
 * [direct.no-endpoints] [direct.nothing-valid] [direct.dr-path-regex]
 * [direct.dr-multi] [direct.filter-status] [direct.no-destination]
 * [dynres.counts-valid] [dynres.http-multi] [dynres.path-regex]
 * [grpc.no-multi-dr-check] [rebalance.exclude.what] [rebalance.exclude.status]
 * [rebalance.no-empty-bucket] [failover.restored].
 */
#include <stdint.h>
#include <string.h>

#include "core/strutil.h"
#include "rebalance/errors.h"
#include "translate/tr.h"

/* Bucket of one kept setting ([bucket.classify]): the first matching case wins. */
rb_weight_bucket rb__weight_bucket(const rb__ir_setting *s)
{
	if (s->invalid)
		return RB_WEIGHT_INVALID;
	if (s->dynamic_resolver || s->custom_backend || s->endpoint_count)
		return RB_WEIGHT_VALID;
	return RB_WEIGHT_NO_ENDPOINTS;
}

/* Serves traffic on its own: not invalid, and DR, custom, or a non-draining endpoint. */
static bool serves(const rb__ir_setting *s)
{
	if (s->invalid)
		return false;
	if (s->dynamic_resolver || s->custom_backend)
		return true;
	return s->endpoint_count && !s->all_draining;
}

typedef struct rule_state {
	rb__ir_ref *refs;
	rb__ir_setting *settings; /* kept, in order */
	size_t setting_count;
	rb__ir_excluded *excluded;
	size_t excluded_count;
	uint32_t weights[3];
	bool dest_error;
	bool no_ready_endpoints;
	bool has_dynamic_resolver;
} rule_state;

static bool is_excluded(const rb__ir_ref *ref)
{
	return ref->state == RB_REF_EXCLUDED || ref->state == RB_REF_EXCLUDED_DRAINING;
}

/*
 * Decide the fate of every weighed ref (ref->setting set, state not yet
 * final): [rebalance] zero endpoints -> excluded; [strict readiness] every
 * endpoint draining while another setting serves -> excluded.
 */
static void decide(rule_state *st, size_t n, bool rebalance, bool not_ready)
{
	bool any_serving = false;
	for (size_t j = 0; j < n; j++) {
		rb__ir_ref *ref = &st->refs[j];
		const rb__ir_setting *ds = ref->setting;
		if (ref->state == RB_REF_ZERO_WEIGHT)
			continue;
		if (rebalance && !ds->endpoint_count && !ds->dynamic_resolver && !ds->custom_backend &&
		    !ds->invalid) {
			ref->state = RB_REF_EXCLUDED; /* PR 9075: no endpoints, weight not counted */
			continue;
		}
		ref->state = ds->invalid                           ? RB_REF_INVALID
		             : rb__weight_bucket(ds) == RB_WEIGHT_NO_ENDPOINTS ? RB_REF_NO_ENDPOINTS
		                                                    : RB_REF_SERVING;
		any_serving |= serves(ds);
	}
	if (!not_ready || !any_serving)
		return;
	for (size_t j = 0; j < n; j++) {
		rb__ir_ref *ref = &st->refs[j];
		if (ref->state == RB_REF_SERVING && ref->setting->all_draining)
			ref->state = RB_REF_EXCLUDED_DRAINING;
	}
}

/*
 * Kept settings and excluded entries, both in backendRef order, and the weights.
 * Each ref's setting was built in st->settings[j] (translate_rule), so the kept
 * ones move down in place (k <= j: slot j is written only once ref j is done);
 * the setting of a ref that is not kept is first moved out to an allocation of
 * its own, where ref->setting still finds it. One setting per kept ref, not a
 * setting per ref and a copy per kept one (at 8,000 routes, 1.7 MB less).
 */
static int assemble(rb__tr *t, rule_state *st, size_t n)
{
	for (size_t j = 0; j < n; j++) {
		rb__ir_ref *ref = &st->refs[j];
		if (ref->state == RB_REF_ZERO_WEIGHT || is_excluded(ref)) {
			rb__ir_setting *own = rb__arena_alloc(t->out, sizeof(*own));
			if (!own)
				return RB_ENOMEM;
			*own = *ref->setting;
			ref->setting = own;
		}
		if (ref->state == RB_REF_ZERO_WEIGHT)
			continue;
		if (is_excluded(ref)) {
			if (!st->excluded) {
				st->excluded = rb__arena_calloc(t->out, n, sizeof(*st->excluded));
				if (!st->excluded)
					return RB_ENOMEM;
			}
			rb__ir_excluded *x = &st->excluded[st->excluded_count++];
			x->name = ref->name;
			x->weight = ref->weight;
			x->reason = ref->state == RB_REF_EXCLUDED ? "NoReadyEndpoints" : "AllEndpointsDraining";
			continue;
		}
		rb__ir_setting *s = &st->settings[st->setting_count++];
		if (s != ref->setting)
			*s = *ref->setting;
		ref->setting = s;
		st->weights[rb__weight_bucket(s)] += s->weight;
	}
	return RB_OK;
}

/*
 * The rule's refs and kept settings, built in t->temp, copied to the result:
 * the kept settings exactly (the slots of the others held them while their
 * fate was decided; assemble gave those their own copy), and nothing for a
 * rule that makes no destination (dropped, redirecting).
 */
static int keep_rule(rb__tr *t, rule_state *st, size_t n)
{
	size_t kept = st->setting_count;
	rb__ir_ref *refs = rb__arena_alloc(t->out, (n ? n : 1) * sizeof(*refs));
	rb__ir_setting *settings = rb__arena_alloc(t->out, (kept ? kept : 1) * sizeof(*settings));
	if (!refs || !settings)
		return RB_ENOMEM;
	memcpy(refs, st->refs, (n ? n : 1) * sizeof(*refs));
	if (kept)
		memcpy(settings, st->settings, kept * sizeof(*settings));
	uintptr_t from = (uintptr_t)st->settings, to = from + kept * sizeof(*settings);
	for (size_t j = 0; j < n; j++) {
		uintptr_t s = (uintptr_t)refs[j].setting;
		if (s >= from && s < to)
			refs[j].setting = settings + (s - from) / sizeof(*settings);
	}
	st->refs = refs;
	st->settings = settings;
	return RB_OK;
}

typedef enum rule_error {
	RULE_OK = 0,
	RULE_DR_HOST_FROM_PATH = 5, /* case 5 */
	RULE_DR_MULTIPLE = 6        /* case 6 */
} rule_error;

/* The direct response of a rule and who decided it. */
typedef struct rule_answer {
	uint32_t code; /* 0: none (a redirect, or the backends) */
	const char *by;
	const char *why;
	rule_error err; /* the dynamic-resolver cases also report an error */
} rule_answer;

/* What the backends make of the rule (processHTTPRouteRules after the filter case), or 0. */
static uint32_t backend_answer(const rb__parent *p, const rb__route_rule *rule,
                               const rule_state *st, const rb__rule_filters *rf, rule_error *err)
{
	if (st->dest_error && st->weights[RB_WEIGHT_VALID] == 0)
		return 500;
	if (st->no_ready_endpoints && st->weights[RB_WEIGHT_VALID] == 0)
		return 503;
	if (st->weights[RB_WEIGHT_VALID] == 0)
		return 500;
	if (st->has_dynamic_resolver && rf->host_from_path) {
		*err = RULE_DR_HOST_FROM_PATH;
		return 500;
	}
	/* Case 6: HTTP only, counting every backendRef of the spec. */
	if (p->route->kind == RB_ROUTE_HTTP && st->has_dynamic_resolver &&
	    rule->backend_ref_count > 1) {
		*err = RULE_DR_MULTIPLE;
		return 500;
	}
	return 0;
}

/*
 * The direct response of a rule, in order. A filter error answers 500;
 * an HTTPRoute's overrides what a filter answered (a directResponse, a
 * redirect), a GRPCRoute's keeps it. Otherwise what a filter answered wins
 * over what the backends would make of the rule (processHTTPRouteRules skips
 * routes that already answer).
 */
static rule_answer decide_answer(const rb__parent *p, const rb__route_rule *rule,
                                 const rule_state *st, const rb__rule_filters *rf)
{
	rule_answer a = {0, NULL, NULL, RULE_OK};
	bool answered = rf->direct_response || rf->redirect;
	bool grpc = p->route->kind == RB_ROUTE_GRPC;
	if (rf->filter_error && !(grpc && answered)) {
		a.code = 500;
		a.by = rf->error_filter;
		a.why = rf->error_message;
		return a;
	}
	if (!rf->filter_error)
		a.code = backend_answer(p, rule, st, rf, &a.err);
	if (answered) {
		a.code = rf->direct_response;
		a.by = rf->answer_filter;
		a.why = rf->answer_message;
	}
	return a;
}

static bool knob_same(const void *pa, const void *pb)
{
	const rb__ir_knob *a = pa, *b = pb;
	return a->on == b->on && rb__str_eq(a->policy, b->policy) && rb__str_eq(a->scope, b->scope);
}

/* The knobs in t->out, shared with the previous rule's when they read the same. */
static const rb__ir_knob *shared_knobs(rb__tr *t, const rb__ir_knob knobs[2])
{
	return rb__arena_share(t->out, &t->last_knobs, knobs, 2, sizeof(*knobs), knob_same);
}

static int translate_rule(rb__tr *t, rb__parent *p, size_t rule_index, rb__vec *dests,
                          rb__vec *errors)
{
	const rb__route *r = p->route;
	const rb__route_rule *rule = &r->rules[rule_index];
	const char *dest_key;
	const char *dest_name = rb__destination_name_in_key(t, p, (int32_t)rule_index, &dest_key);
	if (!dest_name)
		return RB_ENOMEM;
	size_t n = rule->backend_ref_count;
	rule_state st;
	memset(&st, 0, sizeof st);
	/* In t->temp until the rule makes a destination (keep_rule). */
	st.refs = rb__arena_calloc(&t->temp, n ? n : 1, sizeof(*st.refs));
	st.settings = rb__arena_calloc(&t->temp, n ? n : 1, sizeof(*st.settings));
	if (!st.refs || !st.settings)
		return RB_ENOMEM; /* st.excluded is made by assemble when a ref is excluded */
	rb__rule_filters rf;
	int frc = rb__process_rule_filters(t, p, rule_index, errors, &rf);
	if (frc)
		return frc;
	/* A rule whose IR routes cannot be built is dropped before its backendRefs
	 * are looked at: no backend statuses, no destination ([l7.rule-drop]). */
	const char *drop;
	frc = rb__rule_build_error(t, r, rule, &drop);
	if (!frc && !drop)
		drop = rf.build_error;
	if (frc || drop)
		return frc ? frc
		           : rb__add_error(t, errors, RB_COND_ACCEPTED, RB_REASON_UNSUPPORTED_VALUE,
		                           (int32_t)rule_index, "failed to process route rule %zu: %s",
		                           rule_index, drop);
	/* The knobs (policy.c); the gRPC alignment of PR 9075 ([grpc.alignment]) comes with the
	 * default mode, and wherever the exclusion is on (else a misconfigured gRPC
	 * ref, having no endpoints, would be excluded instead of answered 500). */
	rb__ir_knob knobs[2];
	bool zone_aware = false;
	rb__ir_notes notes = {NULL, NULL, NULL, NULL}; /* what explain says beyond the settings */
	memset(knobs, 0, sizeof knobs);
	int krc = rb__policy_knobs(t, p, rule, knobs, &zone_aware, &notes);
	if (krc)
		return krc;
	bool rebalance = knobs[RB_KNOB_NO_ENDPOINTS].on;
	bool flag_invalid = r->kind == RB_ROUTE_HTTP || !t->o->compat || rebalance;

	for (size_t j = 0; j < n; j++) {
		rb__ir_ref *ref = &st.refs[j];
		rb__ir_setting *ds = &st.settings[j];
		rb__ref_result res;
		int rc = rb__rule_backend_ref(t, p, rule, j, dest_name, ref, &res);
		if (rc)
			return rc;
		ref->failure = (uint8_t)res.reason;
		ref->message = res.message;
		if (res.reason && rb__ref_condition(res.reason) == RB_COND_BACKENDS_AVAILABLE) {
			rc = rb__add_error(t, errors, RB_COND_BACKENDS_AVAILABLE,
			                   rb__ref_reason_name(res.reason), -1,
			                   "failed to find endpoints: %s", res.message);
			st.no_ready_endpoints = true;
		} else if (res.reason) {
			rc = rb__add_error(t, errors, RB_COND_RESOLVED_REFS, rb__ref_reason_name(res.reason), -1,
			                   "failed to process route rule %zu backendRef %zu: %s", rule_index,
			                   j, res.message);
			res.ds.invalid = flag_invalid;
			st.dest_error = true;
		}
		if (rc)
			return rc;
		*ds = res.ds;
		ref->setting = ds;
		/* Weight 0 is skipped after the error bookkeeping ([weight.zero.after-errors]). */
		if (res.ds.weight == 0) {
			ref->state = RB_REF_ZERO_WEIGHT;
			continue;
		}
		if (ds->dynamic_resolver)
			st.has_dynamic_resolver = true;
	}
	decide(&st, n, rebalance, knobs[RB_KNOB_NOT_READY].on);
	int arc = assemble(t, &st, n);
	if (arc)
		return arc;

	rule_answer answer = decide_answer(p, rule, &st, &rf);
	uint32_t code = answer.code;
	rule_error rerr = answer.err;
	int rc = RB_OK;
	if (rerr == RULE_DR_HOST_FROM_PATH)
		rc = rb__add_error(t, errors, RB_COND_RESOLVED_REFS, RB_REASON_UNSUPPORTED_VALUE, -1,
		                   "failed to process route rule %zu: host rewrite from path (PathRegex) "
		                   "is not supported with a dynamic resolver backend",
		                   rule_index);
	else if (rerr == RULE_DR_MULTIPLE)
		rc = rb__add_error(t, errors, RB_COND_RESOLVED_REFS, RB_REASON_INVALID_BACKEND_REF, -1,
		                   "failed to process route rule %zu: dynamic resolver is not "
		                   "supported for multiple backendRefs",
		                   rule_index);
	if (rc)
		return rc;
	/* An invalid policy on the rule answers 500 whatever the backends and
	 * filters decided (fail_closed.c). */
	const char *policy_by, *policy_why;
	rc = rb__policy_fail_closed(t, p, rule, &policy_by, &policy_why);
	if (rc)
		return rc;
	if (policy_by) {
		code = 500;
		answer.by = policy_by;
		answer.why = policy_why;
	}
	/* Routes that redirect carry no destination ([l7.destination]); a filter error
	 * or a failing policy overrides the redirect with a 500. */
	if (!code && rf.redirect)
		return RB_OK;
	rc = keep_rule(t, &st, n);
	if (rc)
		return rc;

	rb__ir_destination *d =
		rb__push_destination(t, dests, r, dest_name, (int32_t)rule_index);
	if (!d)
		return RB_ENOMEM;
	d->key = dest_key;
	d->settings = st.settings;
	/* (n is at most 16: the decoder's limit of backendRefs per rule) */
	d->setting_count = code ? 0 : (uint32_t)st.setting_count;
	d->excluded = st.excluded;
	d->excluded_count = (uint32_t)st.excluded_count;
	memcpy(d->weights, st.weights, sizeof d->weights);
	d->direct_response = code;
	notes.direct_response_by = code ? answer.by : NULL;
	notes.direct_response_why = code ? answer.why : NULL;
	d->refs = st.refs;
	d->ref_count = (uint32_t)n;
	d->rebalance = rebalance;
	d->knobs = shared_knobs(t, knobs);
	d->zone_aware = zone_aware;
	if (notes.unmodelled || notes.direct_response_by || notes.direct_response_why) {
		rb__ir_notes *kept = rb__arena_alloc(t->out, sizeof(*kept));
		if (!kept)
			return RB_ENOMEM;
		*kept = notes;
		d->notes = kept;
	}
	return d->knobs ? RB_OK : RB_ENOMEM;
}

int rb__route_l7(rb__tr *t, rb__parent *p, rb__vec *dests, rb__vec *errors)
{
	for (size_t i = 0; i < p->route->rule_count; i++) {
		int rc = translate_rule(t, p, i, dests, errors);
		if (rc)
			return rc;
	}
	/* Every rule unaccepted: Accepted=False ([status.dropped-rules]). A GRPCRoute sets it
	 * before listener attachment, which skips a parent that did not accept the route: no
	 * destination. An HTTPRoute sets it after attachment, so its rules (answering 500) are
	 * programmed all the same ([attach.grpc-unaccepted-skipped]). */
	size_t rules = p->route->rule_count;
	if (p->route->kind == RB_ROUTE_GRPC && rules && rb__unaccepted_rules(errors) == rules)
		p->programmed = false;
	return RB_OK;
}
