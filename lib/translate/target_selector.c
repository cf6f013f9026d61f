/*
 * A policy's targetSelectors: the Gateways and routes of the policy's own
 * namespace whose labels a selector matches (Envoy Gateway's
 * getPolicyTargetRefs, which resolvePolicyTargets uses for every policy kind).
 * One walk for the routing-type scopes (routing.c) and the fail-closed claims
 * (policy_claims.c).
 */
#include <string.h>

#include "translate/tr.h"

int rb__for_each_selected(rb__tr *t, const char *ns, const rb__target_selector *s,
                          rb__selected_fn fn, const void *ud)
{
	if (!strcmp(s->kind, RB_KIND_GATEWAY)) {
		for (size_t i = 0; i < t->m->gateways.len; i++) {
			const rb__gateway *g = RB_VEC_AT(&t->m->gateways, const rb__gateway *, i);
			if (!strcmp(g->meta.namespace_, ns) &&
			    rb__label_selector_matches(&s->selector, g->meta.labels, g->meta.label_count)) {
				int rc = fn(t, ud, RB_KIND_GATEWAY, g->meta.name);
				if (rc)
					return rc;
			}
		}
		return RB_OK;
	}
	for (int k = 0; k < RB_ROUTE_KIND_COUNT; k++) {
		if (strcmp(s->kind, rb__route_kind_name((rb__route_kind)k)))
			continue;
		const rb__vec *routes = &t->m->routes[k];
		for (size_t i = 0; i < routes->len; i++) {
			const rb__route *r = RB_VEC_AT(routes, const rb__route *, i);
			if (!strcmp(r->meta.namespace_, ns) &&
			    rb__label_selector_matches(&s->selector, r->meta.labels, r->meta.label_count)) {
				int rc = fn(t, ud, s->kind, r->meta.name);
				if (rc)
					return rc;
			}
		}
	}
	return RB_OK;
}
