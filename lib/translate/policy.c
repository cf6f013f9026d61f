/*
 * The rebalance knobs of a rule ([rebalance.policy.scopes]), decided per parent and rule:
 *
 *   spec.rebalanceOnNoEndpoints      exclude zero-endpoint settings ([rebalance.exclude])
 *   spec.rebalanceOnNoReadyEndpoints exclude all-draining settings while
 *                                    another setting serves (strict readiness)
 *
 * Scopes are those of every BackendTrafficPolicy field (routing.c claims
 * them, first writer per scope): route rule, route, listener (through the
 * parentRef's sectionName), Gateway. The most specific claimant that *sets*
 * the field decides; a claimant that leaves it unset passes the decision on,
 * so a policy written for timeouts does not switch rebalancing off. (Envoy
 * Gateway would replace a Gateway policy wholesale by a route policy without
 * mergeType; for a field that did not exist upstream, inheriting is what a
 * user setting it on the Gateway expects.) A later policy on a claimed scope
 * is not applied at all, as Envoy Gateway marks it Conflicted.
 *
 * Without a deciding policy, the options decide: rebalance_default (the mode's
 * default unless overridden) and RB_OPT_REBALANCE_NOT_READY. Policies are read
 * in the default mode, and in compat mode only with --honor-policy.
 */
#include "core/strutil.h"
#include "rebalance/errors.h"
#include "translate/tr.h"

static const char *const SCOPE_NAMES[RB_BTP_SCOPE_COUNT] = {"rule", "route", "listener",
                                                              "gateway"};

typedef struct knob {
	bool on;
	const rb__backend_traffic_policy *by; /* NULL: the options decided */
	int scope;
} knob;

static rb__tri field(const rb__backend_traffic_policy *p, rb_knob which)
{
	return which == RB_KNOB_NO_ENDPOINTS ? p->rebalance_on_no_endpoints
	                                     : p->rebalance_on_no_ready_endpoints;
}

static knob decide(rb__tr *t, const rb__parent *p, const rb__route_rule *rule, rb_knob which)
{
	knob k = {which == RB_KNOB_NO_ENDPOINTS ? t->o->rebalance_default : t->o->rebalance_not_ready,
	          NULL, -1};
	if (!t->o->read_policies)
		return k;
	const rb__backend_traffic_policy *chain[RB_BTP_SCOPE_COUNT];
	rb__btp_chain(t, p, rule, chain);
	for (int i = 0; i < RB_BTP_SCOPE_COUNT; i++) {
		if (!chain[i] || field(chain[i], which) == RB_TRI_UNSET)
			continue;
		k.on = field(chain[i], which) == RB_TRI_TRUE;
		k.by = chain[i];
		k.scope = i;
		break;
	}
	return k;
}

/*
 * Zone-aware load balancing from the rule's policy ([xds.per-setting-triggers]).
 * Here Envoy Gateway's own semantics apply: the most specific claimant
 * decides, and reaches further only when it merges (mergeType set).
 */
static bool rule_zone_aware(rb__tr *t, const rb__parent *p, const rb__route_rule *rule)
{
	const rb__backend_traffic_policy *chain[RB_BTP_SCOPE_COUNT];
	rb__btp_chain(t, p, rule, chain);
	for (int i = 0; i < RB_BTP_SCOPE_COUNT; i++) {
		if (!chain[i])
			continue;
		if (chain[i]->has_prefer_local)
			return true;
		if (!chain[i]->merge_type)
			return false;
	}
	return false;
}

/*
 * What the rule's policy sets that explain's Envoy model does not cover
 * (health checks, a panic threshold, ConsistentHash): Envoy Gateway's own
 * semantics, as for zone-aware load balancing -- the most specific claimant
 * decides, and reaches further only when it merges. Read in every mode:
 * Envoy Gateway applies these fields whatever the rebalance knobs say.
 */
static int unmodelled(rb__tr *t, const rb__parent *p, const rb__route_rule *rule,
                      rb__ir_notes *notes)
{
	const rb__backend_traffic_policy *chain[RB_BTP_SCOPE_COUNT];
	rb__btp_chain(t, p, rule, chain);
	notes->unmodelled = notes->unmodelled_by = NULL;
	for (int i = 0; i < RB_BTP_SCOPE_COUNT; i++) {
		if (!chain[i])
			continue;
		if (chain[i]->unmodelled) {
			notes->unmodelled = chain[i]->unmodelled;
			notes->unmodelled_by = rb__arena_printf(t->out, "%s/%s", chain[i]->meta.namespace_,
			                                        chain[i]->meta.name);
			return notes->unmodelled_by ? RB_OK : RB_ENOMEM;
		}
		if (!chain[i]->merge_type)
			break;
	}
	return RB_OK;
}

int rb__policy_knobs(rb__tr *t, const rb__parent *p, const rb__route_rule *rule,
                     rb__ir_knob knobs[2], bool *zone_aware, rb__ir_notes *notes)
{
	for (int w = RB_KNOB_NO_ENDPOINTS; w <= RB_KNOB_NOT_READY; w++) {
		knob k = decide(t, p, rule, (rb_knob)w);
		rb__ir_knob *out = &knobs[w];
		out->on = k.on;
		out->policy = NULL;
		out->scope = NULL;
		if (k.by) {
			out->policy = rb__arena_printf(t->out, "%s/%s", k.by->meta.namespace_,
			                               k.by->meta.name);
			if (!out->policy)
				return RB_ENOMEM;
			out->scope = SCOPE_NAMES[k.scope];
		}
	}
	*zone_aware = rule_zone_aware(t, p, rule);
	return unmodelled(t, p, rule, notes);
}
