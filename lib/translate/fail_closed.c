/*
 * Policies that fail closed: an invalid ClientTrafficPolicy,
 * BackendTrafficPolicy, SecurityPolicy or EnvoyExtensionPolicy makes the IR
 * routes it reaches answer 500 (Envoy Gateway: applyTrafficFeatureToRoute,
 * translateSecurityPolicyForRoute / ...ForListeners,
 * translateEnvoyExtensionPolicyForRoute / ...ForListeners,
 * translateClientTrafficPolicyForListener). Decided per listener the rule is
 * attached to, kind by kind, in Envoy Gateway's order (CTP, BTP, SP, EEP):
 *
 *   ClientTrafficPolicy: the one policy of the listener (listener target
 *     first, then ListenerSet, then Gateway); invalid -> 500.
 *   The others: claimants from the most specific (rule, route, listener,
 *     Gateway). A valid claimant claims the route and the walk stops -- unless
 *     it targets the route with a mergeType, whose merged spec inherits the
 *     next claimant's errors. A SecurityPolicy claims the route even when it
 *     fails; a BackendTrafficPolicy or EnvoyExtensionPolicy that fails does
 *     not, but the 500 it set stays, so the walk stops there as well.
 *   Fail open: only ExtAuth errors with failOpen, or only failed ExtProc /
 *     Wasm entries that all fail open: the policy claims without a 500.
 *
 * A rule attached to several listeners of the parent answers 500 when one
 * of them fails (the IR has one destination per rule and parent).
 *
 * TCP and TLS routes never answer 500: an invalid ClientTrafficPolicy on
 * their listener leaves the listener without routes instead.
 *
 * Rules: [policy.most-specific] [policy.merge-type] [policy.claim-on-failure]
 * [policy.ctp-listener] [policy.ctp-l4] [policy.fail-open]
 * [policy.scope-listener] [policy.route-status-unchanged] [policy.both-modes].
 */
#include <string.h>

#include "core/strutil.h"
#include "rebalance/errors.h"
#include "translate/tr.h"

static const char *kind_name(rb__policy_kind k)
{
	switch (k) {
	case RB_POLICY_BTP:
		return "BackendTrafficPolicy";
	case RB_POLICY_SP:
		return "SecurityPolicy";
	case RB_POLICY_EEP:
		return "EnvoyExtensionPolicy";
	case RB_POLICY_CTP:
		return "ClientTrafficPolicy";
	}
	return "policy";
}

/* What failed: "<Kind> ns/name" (the rule's direct_response_by). */
static const char *policy_by(rb__tr *t, const rb__claim *c)
{
	return rb__arena_printf(t->out, "%s %s/%s", kind_name(c->kind), c->meta->namespace_,
	                        c->meta->name);
}

/* Why, as Envoy Gateway's status shows the message (status.Error2ConditionMsg:
 * first letter upper-cased, a final period). */
static const char *policy_why(rb__tr *t, const char *err)
{
	size_t n = strlen(err);
	char first = err[0] >= 'a' && err[0] <= 'z' ? (char)(err[0] - 'a' + 'A') : err[0];
	return rb__arena_printf(t->out, "%c%s%s", first, n ? err + 1 : "",
	                        n && err[n - 1] == '.' ? "" : ".");
}

/* The policy of `kind` that fails this rule on listener l (*err: why); NULL when
 * none, or when a check ran out of memory (*rc). */
static const rb__claim *kind_fails(rb__tr *t, rb__policy_kind kind, const rb__parent *p,
                                   const rb__route_rule *rule, const rb__listener *l,
                                   const char **err_out, int *rc)
{
	const rb__claim *chain[5];
	bool route_level[5];
	size_t n = rb__policy_chain_scoped(t, kind, p, rule, l, chain, route_level);
	for (size_t i = 0; i < n; i++) {
		bool fails;
		const char *err = rb__policy_error(t, chain[i], p, l, &fails, rc);
		if (*rc)
			return NULL;
		if (err && fails) {
			*err_out = err;
			return chain[i];
		}
		if (err || kind == RB_POLICY_CTP)
			return NULL; /* failed open (claimed), or the listener's one CTP is valid */
		if (!route_level[i] || !chain[i]->merge_type)
			return NULL; /* claimed */
	}
	return NULL;
}

int rb__policy_fail_closed(rb__tr *t, const rb__parent *p, const rb__route_rule *rule,
                           const char **by, const char **why)
{
	static const rb__policy_kind ORDER[4] = {RB_POLICY_CTP, RB_POLICY_BTP, RB_POLICY_SP,
	                                         RB_POLICY_EEP};
	*by = *why = NULL;
	int rc = RB_OK;
	if (!t->policy_claims.len)
		return RB_OK;
	for (size_t i = 0; i < p->listeners.len; i++) {
		const rb__listener *l = RB_VEC_AT(&p->listeners, const rb__listener *, i);
		for (int k = 0; k < 4; k++) {
			const char *err;
			const rb__claim *c = kind_fails(t, ORDER[k], p, rule, l, &err, &rc);
			if (rc)
				return rc;
			if (c) {
				*by = policy_by(t, c);
				*why = policy_why(t, err);
				return *by && *why ? RB_OK : RB_ENOMEM;
			}
		}
	}
	return RB_OK;
}

int rb__policy_l4_unprogrammed(rb__tr *t, const rb__parent *p, bool *dropped)
{
	*dropped = false;
	if (!t->policy_claims.len || !p->listeners.len)
		return RB_OK;
	for (size_t i = 0; i < p->listeners.len; i++) {
		const rb__listener *l = RB_VEC_AT(&p->listeners, const rb__listener *, i);
		const char *err;
		int rc = RB_OK;
		bool fails = kind_fails(t, RB_POLICY_CTP, p, NULL, l, &err, &rc) != NULL;
		if (rc)
			return rc;
		if (!fails)
			return RB_OK; /* served through this listener */
	}
	*dropped = true;
	return RB_OK;
}
