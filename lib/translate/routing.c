/*
 * Endpoint routing or Service (cluster IP) routing, per parent and rule
 * ([routing.order]): the BackendTrafficPolicy routing type resolved for the rule
 * wins; otherwise the effective EnvoyProxy's routingType; default endpoints.
 *
 * Rules: [routing.envoyproxy] [routing.btp.scopes] [routing.btp.first-wins]
 * [routing.btp.effective] [routing.btp.lookup].
 */
#include <string.h>

#include "core/strutil.h"
#include "rebalance/errors.h"
#include "translate/tr.h"

typedef struct btp_scope {
	const char *routing_type; /* NULL: not set */
	bool effective;
	const rb__backend_traffic_policy *policy; /* the claimant (policy.c reads its other fields) */
} btp_scope;

/* First writer wins per scope, even when it sets no routing type. */
static int claim(rb__tr *t, const char *key, const rb__backend_traffic_policy *p, bool effective)
{
	if (!key)
		return RB_ENOMEM;
	void **slot = rb__map_slot_for(&t->btp_scopes, key, strlen(key));
	if (!slot)
		return RB_ENOMEM;
	if (*slot)
		return RB_OK;
	btp_scope *s = rb__arena_calloc(&t->scratch, 1, sizeof(*s));
	if (!s)
		return RB_ENOMEM;
	s->routing_type = p->routing_type;
	s->effective = effective;
	s->policy = p;
	*slot = s;
	return RB_OK;
}

static int add_target(rb__tr *t, const rb__backend_traffic_policy *p, const char *kind,
                      const char *name, const char *section)
{
	const char *ns = p->meta.namespace_;
	bool has_type = p->routing_type != NULL;
	if (!strcmp(kind, RB_KIND_GATEWAY)) {
		if (section)
			return claim(t, rb__arena_printf(&t->scratch, "L:%s/%s/%s", ns, name, section), p,
			             has_type);
		return claim(t, rb__arena_printf(&t->scratch, "G:%s/%s", ns, name), p, true);
	}
	/* ListenerSet and its listeners: effective only with a routing type, like listeners. */
	if (!strcmp(kind, "XListenerSet") || !strcmp(kind, RB_KIND_LISTENER_SET)) {
		if (section)
			return claim(t, rb__arena_printf(&t->scratch, "LSL:%s/%s/%s", ns, name, section),
			             p, has_type);
		return claim(t, rb__arena_printf(&t->scratch, "LS:%s/%s", ns, name), p, has_type);
	}
	/* Route and route-rule scopes: effective with a routing type, or without a mergeType. */
	bool effective = has_type || !p->merge_type;
	if (section)
		return claim(t, rb__arena_printf(&t->scratch, "RR:%s:%s/%s/%s", kind, ns, name, section),
		             p, effective);
	return claim(t, rb__arena_printf(&t->scratch, "R:%s:%s/%s", kind, ns, name), p, effective);
}

static int add_selected_target(rb__tr *t, const void *policy, const char *kind, const char *name)
{
	return add_target(t, policy, kind, name, NULL);
}

int rb__routing_build(rb__tr *t)
{
	const rb__vec *btps = &t->m->backend_traffic_policies;
	for (size_t i = 0; i < btps->len; i++) {
		const rb__backend_traffic_policy *p =
			RB_VEC_AT(btps, const rb__backend_traffic_policy *, i);
		for (size_t j = 0; j < p->targets.ref_count; j++) {
			const rb__policy_target *tr = &p->targets.refs[j];
			int rc = add_target(t, p, tr->kind, tr->name, tr->section_name);
			if (rc)
				return rc;
		}
		for (size_t j = 0; j < p->targets.selector_count; j++) {
			int rc = rb__for_each_selected(t, p->meta.namespace_, &p->targets.selectors[j],
			                               add_selected_target, p);
			if (rc)
				return rc;
		}
	}
	return RB_OK;
}

static const btp_scope *scope(rb__tr *t, const char *key)
{
	return key ? rb__map_get(&t->btp_scopes, key, strlen(key)) : NULL;
}

/*
 * The BackendTrafficPolicy answer. The first effective scope answers, with
 * its value; NULL (no scope, or a scope that pins "not set") means: ask the
 * EnvoyProxy.
 */
static const char *btp_routing_type(rb__tr *t, const rb__parent *p, const rb__route_rule *rule)
{
	/* No policy claimed any scope: nothing to look up (this runs per backendRef). */
	if (!t->btp_scopes.len)
		return NULL;
	const rb__route *r = p->route;
	const char *kind = rb__route_kind_name(r->kind);
	const btp_scope *s = NULL;
	if (rule && rule->name)
		s = scope(t, rb__arena_printf(&t->scratch, "RR:%s:%s/%s/%s", kind, r->meta.namespace_,
		                              r->meta.name, rule->name));
	if (!s)
		s = scope(t, rb__arena_printf(&t->scratch, "R:%s:%s/%s", kind, r->meta.namespace_,
		                              r->meta.name));
	if (s && s->effective)
		return s->routing_type;
	const rb__gateway *g = p->gateway;
	const rb__listener_set *ls = p->listener_set;
	if (ls) {
		/* A ListenerSet parent: its listener (by sectionName), then the ListenerSet. */
		if (p->ref->section_name) {
			s = scope(t, rb__arena_printf(&t->scratch, "LSL:%s/%s/%s", ls->meta.namespace_,
			                              ls->meta.name, p->ref->section_name));
			if (s && s->effective)
				return s->routing_type;
		}
		s = scope(t, rb__arena_printf(&t->scratch, "LS:%s/%s", ls->meta.namespace_, ls->meta.name));
		if (s && s->effective)
			return s->routing_type;
	} else if (p->ref->section_name) {
		/* Listener scopes are consulted only through the parentRef's sectionName. */
		s = scope(t, rb__arena_printf(&t->scratch, "L:%s/%s/%s", g->meta.namespace_, g->meta.name,
		                              p->ref->section_name));
		if (s && s->effective)
			return s->routing_type;
	}
	s = scope(t, rb__arena_printf(&t->scratch, "G:%s/%s", g->meta.namespace_, g->meta.name));
	return s ? s->routing_type : NULL;
}

void rb__btp_chain(rb__tr *t, const rb__parent *p, const rb__route_rule *rule,
                   const rb__backend_traffic_policy *out[RB_BTP_SCOPE_COUNT])
{
	/* No policy claimed any scope: every lookup would miss (this runs four times per rule). */
	if (!t->btp_scopes.len) {
		for (int i = 0; i < RB_BTP_SCOPE_COUNT; i++)
			out[i] = NULL;
		return;
	}
	const rb__route *r = p->route;
	const rb__gateway *g = p->gateway;
	const char *kind = rb__route_kind_name(r->kind);
	const char *keys[RB_BTP_SCOPE_COUNT] = {NULL, NULL, NULL, NULL};
	if (rule && rule->name)
		keys[RB_BTP_SCOPE_RULE] = rb__arena_printf(&t->scratch, "RR:%s:%s/%s/%s", kind,
		                                           r->meta.namespace_, r->meta.name, rule->name);
	keys[RB_BTP_SCOPE_ROUTE] =
		rb__arena_printf(&t->scratch, "R:%s:%s/%s", kind, r->meta.namespace_, r->meta.name);
	if (p->ref->section_name)
		keys[RB_BTP_SCOPE_LISTENER] = rb__arena_printf(
			&t->scratch, "L:%s/%s/%s", g->meta.namespace_, g->meta.name, p->ref->section_name);
	keys[RB_BTP_SCOPE_GATEWAY] =
		rb__arena_printf(&t->scratch, "G:%s/%s", g->meta.namespace_, g->meta.name);
	for (int i = 0; i < RB_BTP_SCOPE_COUNT; i++) {
		const btp_scope *s = scope(t, keys[i]);
		out[i] = s ? s->policy : NULL;
	}
}

void rb__btp_listener_scopes(rb__tr *t, const rb__gateway *g, const rb__listener_set *ls,
                             const char *listener, const rb__backend_traffic_policy *out[2])
{
	out[0] = out[1] = NULL;
	if (!t->btp_scopes.len)
		return;
	const btp_scope *s;
	if (ls) {
		s = scope(t, rb__arena_printf(&t->scratch, "LSL:%s/%s/%s", ls->meta.namespace_,
		                              ls->meta.name, listener));
		out[0] = s ? s->policy : NULL;
		s = scope(t, rb__arena_printf(&t->scratch, "LS:%s/%s", ls->meta.namespace_, ls->meta.name));
		out[1] = s ? s->policy : NULL;
		return;
	}
	s = scope(t, rb__arena_printf(&t->scratch, "L:%s/%s/%s", g->meta.namespace_, g->meta.name,
	                              listener));
	out[0] = s ? s->policy : NULL;
}

static bool merges(const rb__envoy_proxy *ep)
{
	return ep->merge_type && strcmp(ep->merge_type, "Replace");
}

/* The Gateway's own GatewayClass (the last of that name), else the input's last one. */
static const rb__gateway_class *class_of(rb__tr *t, const rb__gateway *g)
{
	const rb__vec *v = &t->m->gateway_classes;
	for (size_t i = v->len; i-- > 0;) {
		const rb__gateway_class *gc = RB_VEC_AT(v, const rb__gateway_class *, i);
		if (rb__str_eq(gc->meta.name, g->gateway_class_name))
			return gc;
	}
	return t->m->gateway_class;
}

const rb__envoy_proxy *rb__class_envoy_proxy(rb__tr *t, const rb__gateway *g)
{
	if (t->m->envoy_proxy_for_class)
		return t->m->envoy_proxy_for_class;
	const rb__gateway_class *gc = class_of(t, g);
	if (gc && gc->params_kind && !strcmp(gc->params_kind, "EnvoyProxy") && gc->params_name)
		return rb__find_envoy_proxy(t, gc->params_namespace ? gc->params_namespace : "",
		                            gc->params_name);
	return NULL;
}

const rb__envoy_proxy *rb__gateway_own_envoy_proxy(rb__tr *t, const rb__gateway *g)
{
	const rb__envoy_proxy *cls = rb__class_envoy_proxy(t, g);
	bool merged_gateways = cls && cls->merge_gateways == RB_TRI_TRUE;
	if (merged_gateways || !g->params_kind || strcmp(g->params_kind, "EnvoyProxy") ||
	    !g->params_name || (g->params_group && strcmp(g->params_group, RB_GROUP_ENVOY_GATEWAY)))
		return NULL;
	return rb__find_envoy_proxy(t, g->meta.namespace_, g->params_name);
}

bool rb__gateways_merged(rb__tr *t, const rb__gateway *g)
{
	const rb__envoy_proxy *cls = rb__class_envoy_proxy(t, g);
	return cls && cls->merge_gateways == RB_TRI_TRUE;
}

/* The effective EnvoyProxy routingType: the most specific proxy that exists decides,
 * reaching further only when its mergeType merges. */
static const char *envoy_proxy_routing_type(rb__tr *t, const rb__gateway *g)
{
	const rb__envoy_proxy *chain[3];
	size_t n = 0;
	const rb__envoy_proxy *cls = rb__class_envoy_proxy(t, g);
	const rb__envoy_proxy *own = rb__gateway_own_envoy_proxy(t, g);
	if (own)
		chain[n++] = own;
	if (cls)
		chain[n++] = cls;
	if (t->m->envoy_proxy_default)
		chain[n++] = t->m->envoy_proxy_default;
	for (size_t i = 0; i < n; i++) {
		if (chain[i]->routing_type)
			return chain[i]->routing_type;
		if (!merges(chain[i]))
			return NULL;
	}
	return NULL;
}

bool rb__gateway_service_routing(rb__tr *t, const rb__gateway *g)
{
	const btp_scope *s = t->btp_scopes.len ? scope(t, rb__arena_printf(&t->scratch, "G:%s/%s",
	                                                                  g->meta.namespace_,
	                                                                  g->meta.name))
	                                       : NULL;
	const char *type = s ? s->routing_type : NULL;
	if (!type)
		type = envoy_proxy_routing_type(t, g);
	return type && !strcmp(type, RB_KIND_SERVICE);
}

bool rb__service_routing(rb__tr *t, const rb__parent *p, const rb__route_rule *rule)
{
	const char *type = btp_routing_type(t, p, rule);
	if (type)
		return !strcmp(type, RB_KIND_SERVICE);
	type = envoy_proxy_routing_type(t, p->gateway);
	return type && !strcmp(type, RB_KIND_SERVICE);
}
