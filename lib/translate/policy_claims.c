/*
 * Which policy owns which target, per policy kind (Envoy Gateway's
 * resolvePolicyTargets and the resolve*TargetRef functions): every policy's
 * targetRefs (in its own namespace) and targetSelectors (labelled objects of
 * its namespace), in input order. The first policy of a kind on a target
 * claims it; a later one is Conflicted and has no effect on routes.
 *
 * Scope keys: "RR:<kind>:<ns>/<route>/<rule>" (a rule, by sectionName),
 * "R:<kind>:<ns>/<route>", "L:<ns>/<gateway>/<listener>", "G:<ns>/<gateway>",
 * "LSL:<ns>/<set>/<listener>", "LS:<ns>/<set>". ClientTrafficPolicies only
 * take Gateways, listeners and ListenerSets.
 *
 * Rules: [policy.targets] [policy.first-claims].
 */
#include <string.h>

#include "core/strutil.h"
#include "rebalance/errors.h"
#include "translate/tr.h"

static int claim(rb__tr *t, const rb__claim *c, const char *scope)
{
	if (!scope)
		return RB_ENOMEM;
	const char *key = rb__arena_printf(&t->scratch, "%c|%s", (char)c->kind, scope);
	if (!key)
		return RB_ENOMEM;
	void **slot = rb__map_slot_for(&t->policy_claims, key, strlen(key));
	if (!slot)
		return RB_ENOMEM;
	if (!*slot)
		*slot = (void *)(uintptr_t)c;
	return RB_OK;
}

static int add_target(rb__tr *t, const rb__claim *c, const char *kind, const char *name,
                      const char *section)
{
	const char *ns = c->meta->namespace_;
	rb__arena *a = &t->scratch;
	if (!strcmp(kind, RB_KIND_GATEWAY))
		return section ? claim(t, c, rb__arena_printf(a, "L:%s/%s/%s", ns, name, section))
		               : claim(t, c, rb__arena_printf(a, "G:%s/%s", ns, name));
	if (!strcmp(kind, "XListenerSet") || !strcmp(kind, RB_KIND_LISTENER_SET))
		return section ? claim(t, c, rb__arena_printf(a, "LSL:%s/%s/%s", ns, name, section))
		               : claim(t, c, rb__arena_printf(a, "LS:%s/%s", ns, name));
	if (c->kind == RB_POLICY_CTP)
		return RB_OK;
	return section ? claim(t, c, rb__arena_printf(a, "RR:%s:%s/%s/%s", kind, ns, name, section))
	               : claim(t, c, rb__arena_printf(a, "R:%s:%s/%s", kind, ns, name));
}

static int add_selected_target(rb__tr *t, const void *claim, const char *kind, const char *name)
{
	return add_target(t, claim, kind, name, NULL);
}

static int add_policy(rb__tr *t, rb__policy_kind kind, const void *policy, const rb__objmeta *meta,
                      const char *merge_type, const rb__policy_targets *targets)
{
	rb__claim *c = rb__arena_calloc(&t->scratch, 1, sizeof(*c));
	if (!c)
		return RB_ENOMEM;
	c->kind = kind;
	c->meta = meta;
	c->merge_type = merge_type;
	c->policy = policy;
	int rc = RB_OK;
	/* Selected targets come first, as in resolvePolicyTargets. */
	for (size_t i = 0; i < targets->selector_count && !rc; i++)
		rc = rb__for_each_selected(t, c->meta->namespace_, &targets->selectors[i],
		                           add_selected_target, c);
	for (size_t i = 0; i < targets->ref_count && !rc; i++) {
		const rb__policy_target *ref = &targets->refs[i];
		rc = add_target(t, c, ref->kind, ref->name, ref->section_name);
	}
	return rc;
}

#define ADD(kind, T, list)                                                                         \
	for (size_t i = 0; i < t->m->list.len && !rc; i++) {                                       \
		const T *p = RB_VEC_AT(&t->m->list, const T *, i);                                 \
		rc = add_policy(t, kind, p, &p->meta, MERGE(p), &p->targets);                      \
	}

int rb__policy_claims_build(rb__tr *t)
{
	int rc = RB_OK;
#define MERGE(p) (p)->merge_type
	ADD(RB_POLICY_BTP, rb__backend_traffic_policy, backend_traffic_policies)
	ADD(RB_POLICY_SP, rb__security_policy, security_policies)
	ADD(RB_POLICY_EEP, rb__extension_policy, extension_policies)
#undef MERGE
#define MERGE(p) ((void)(p), (const char *)NULL)
	ADD(RB_POLICY_CTP, rb__client_traffic_policy, client_traffic_policies)
#undef MERGE
	return rc;
}

static const rb__claim *lookup(rb__tr *t, rb__policy_kind kind, const char *scope)
{
	if (!scope)
		return NULL;
	const char *key = rb__arena_printf(&t->scratch, "%c|%s", (char)kind, scope);
	return key ? rb__map_get(&t->policy_claims, key, strlen(key)) : NULL;
}

/* Is `l` one of the ListenerSet's own listeners? */
static bool in_listener_set(const rb__listener_set *ls, const rb__listener *l)
{
	return ls && l >= ls->listeners && l < ls->listeners + ls->listener_count;
}

size_t rb__policy_chain(rb__tr *t, rb__policy_kind kind, const rb__parent *p,
                        const rb__route_rule *rule, const rb__listener *listener,
                        const rb__claim *out[5])
{
	bool route_level[5];
	return rb__policy_chain_scoped(t, kind, p, rule, listener, out, route_level);
}

size_t rb__policy_chain_scoped(rb__tr *t, rb__policy_kind kind, const rb__parent *p,
                               const rb__route_rule *rule, const rb__listener *listener,
                               const rb__claim *out[5], bool route_level[5])
{
	if (!t->policy_claims.len)
		return 0;
	const rb__route *r = p->route;
	const rb__gateway *g = p->gateway;
	const char *rk = rb__route_kind_name(r->kind);
	rb__arena *a = &t->scratch;
	const char *keys[5] = {NULL, NULL, NULL, NULL, NULL};
	if (kind != RB_POLICY_CTP) {
		if (rule && rule->name)
			keys[0] = rb__arena_printf(a, "RR:%s:%s/%s/%s", rk, r->meta.namespace_,
			                           r->meta.name, rule->name);
		keys[1] = rb__arena_printf(a, "R:%s:%s/%s", rk, r->meta.namespace_, r->meta.name);
	}
	const rb__listener_set *ls = p->listener_set;
	if (in_listener_set(ls, listener)) {
		keys[2] = rb__arena_printf(a, "LSL:%s/%s/%s", ls->meta.namespace_, ls->meta.name,
		                           listener->name);
		keys[3] = rb__arena_printf(a, "LS:%s/%s", ls->meta.namespace_, ls->meta.name);
	} else if (listener) {
		keys[2] = rb__arena_printf(a, "L:%s/%s/%s", g->meta.namespace_, g->meta.name,
		                           listener->name);
	}
	keys[4] = rb__arena_printf(a, "G:%s/%s", g->meta.namespace_, g->meta.name);
	size_t n = 0;
	for (int i = 0; i < 5; i++) {
		const rb__claim *c = lookup(t, kind, keys[i]);
		if (c) {
			route_level[n] = i < 2;
			out[n++] = c;
		}
	}
	return n;
}
