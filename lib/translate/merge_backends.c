/*
 * EnvoyProxy mergeBackends (docs/merge-backends.md): backendRefs that point
 * at the same backend port with the same protocol share one cluster per
 * Gateway instead of one cluster per route rule.
 *
 *   which Gateways have it on   mergeBackendsConfigForGateway: the Gateway's
 *                               own EnvoyProxy, the GatewayClass one, the
 *                               EnvoyGateway default spec
 *   the mergeGateways clash     GetRelevantGateways rejects the Gateway
 *   which refs qualify          shouldMergeBackend (per ref and per rule),
 *                               then routeDestinationForListener (per listener:
 *                               hasClusterSettingsBelowGateway)
 *   what the IR shows           a merged ref becomes a setting named by its
 *                               shared cluster, with the ref's weight, after
 *                               the refs that stay inline; `sharedCluster: true`
 *
 * The destinations of a parent are computed once (rule_l7.c, rule_l4.c);
 * this file rewrites them as the listeners that program the route see them.
 * A listener either merges every qualifying ref of a rule or none, so a rule
 * has at most two forms: merged and inline.
 *
 * Rules: [mergebe.enable] [mergebe.which-proxy] [mergebe.merge-gateways-clash]
 * [mergebe.eligible] [mergebe.per-listener] [mergebe.cluster-name]
 * [mergebe.ir-form] [mergebe.rebalance].
 */
#include <string.h>

#include "core/strutil.h"
#include "rebalance/errors.h"
#include "translate/tr.h"


/* ---- which Gateways merge ---- */

typedef struct merge_config {
	bool on;
	const rb__label_selector *selector; /* NULL: every backend qualifies */
} merge_config;

static bool proxy_merges(const rb__envoy_proxy *ep)
{
	return ep->merge_type && strcmp(ep->merge_type, "Replace");
}

static merge_config config_of(const rb__envoy_proxy *ep)
{
	merge_config c = {true,
	                  ep->has_merge_backends_selector ? &ep->merge_backends_selector : NULL};
	return c;
}

/*
 * mergeBackendsConfigForGateway: the EnvoyProxy attached to the Gateway is
 * its own one over the GatewayClass one (reached only when the own one
 * merges, as mergeType says) over the EnvoyGateway default spec, which
 * always lies underneath (ResolveMergeBackendsConfig).
 */
static merge_config gateway_config(rb__tr *t, const rb__gateway *g)
{
	merge_config off = {false, NULL};
	const rb__envoy_proxy *own = rb__gateway_own_envoy_proxy(t, g);
	const rb__envoy_proxy *cls = rb__class_envoy_proxy(t, g);
	const rb__envoy_proxy *def = t->m->envoy_proxy_default;
	if (own && own->has_merge_backends)
		return config_of(own);
	if (cls && (!own || proxy_merges(own)) && cls->has_merge_backends)
		return config_of(cls);
	if (def && def->has_merge_backends)
		return config_of(def);
	return off;
}

bool rb__merge_backends_rejects(rb__tr *t, const rb__gateway *g)
{
	const rb__envoy_proxy *cls = rb__class_envoy_proxy(t, g);
	const rb__envoy_proxy *def = t->m->envoy_proxy_default;
	rb__tri mg = cls ? cls->merge_gateways : RB_TRI_UNSET;
	if (mg == RB_TRI_UNSET && def)
		mg = def->merge_gateways;
	return mg == RB_TRI_TRUE && gateway_config(t, g).on;
}

/* ---- which refs qualify, whatever the listener (shouldMergeBackend) ---- */

/* The labels of the object a ref names, or false when it does not exist. */
static bool target_labels(rb__tr *t, const rb__ir_target *tg, const rb__kv **labels, size_t *n)
{
	const rb__objmeta *m = NULL;
	if (!strcmp(tg->kind, RB_KIND_SERVICE)) {
		const rb__service *s = rb__find_service(t, tg->namespace_, tg->name);
		m = s ? &s->meta : NULL;
	} else if (!strcmp(tg->kind, RB_KIND_SERVICE_IMPORT)) {
		const rb__service_import *s = rb__find_service_import(t, tg->namespace_, tg->name);
		m = s ? &s->meta : NULL;
	} else if (!strcmp(tg->kind, RB_KIND_BACKEND)) {
		const rb__backend *b = rb__find_backend(t, tg->namespace_, tg->name);
		m = b ? &b->meta : NULL;
	}
	if (!m)
		return false;
	*labels = m->labels;
	*n = m->label_count;
	return true;
}

static bool is_fallback_backend(rb__tr *t, const rb__backend_ref *br, const char *route_ns)
{
	if (rb__backend_kind_of(br->ref.kind) != RB_BACKEND_BACKEND)
		return false;
	const char *ns = rb__str_empty(br->ref.namespace_) ? route_ns : br->ref.namespace_;
	const rb__backend *b = rb__find_backend(t, ns, br->ref.name);
	return b && b->fallback == RB_TRI_TRUE;
}

/* Rule-wide reasons to keep every ref of an L7 rule inline. */
static bool l7_rule_demerges(rb__tr *t, const rb__parent *p, const rb__route_rule *rule)
{
	if (rule->backend_ref_count <= 1)
		return false;
	if (rule->has_session_persistence)
		return true;
	for (size_t j = 0; j < rule->backend_ref_count; j++)
		if (is_fallback_backend(t, &rule->backend_refs[j], p->route->meta.namespace_))
			return true;
	const rb__backend_traffic_policy *chain[RB_BTP_SCOPE_COUNT];
	rb__btp_chain(t, p, rule, chain);
	const rb__backend_traffic_policy *gw = chain[RB_BTP_SCOPE_GATEWAY];
	return gw && gw->consistent_hash;
}

static bool ref_qualifies(rb__tr *t, const merge_config *cfg, const rb__ir_ref *ref,
                          const rb__backend_ref *br)
{
	const rb__ir_setting *s = ref->setting;
	if (ref->failure || !s || ref->weight == 0 || ref->state == RB_REF_ZERO_WEIGHT ||
	    ref->state == RB_REF_DROPPED)
		return false;
	/* Extension and custom backends, dynamic resolvers and refs with their own
	 * filters are never shared. */
	if (s->dynamic_resolver || s->custom_backend || s->has_filters || br->filter_count)
		return false;
	if (cfg->selector) {
		const rb__kv *labels;
		size_t n;
		rb__ir_target tg = rb__ir_ref_target(ref);
		if (!target_labels(t, &tg, &labels, &n) ||
		    !rb__label_selector_matches(cfg->selector, labels, n))
			return false;
	}
	return true;
}

/* ---- per listener (hasClusterSettingsBelowGateway) ---- */

static bool targets_listener(const rb__policy_target *tg, const rb__parent *p,
                             const rb__listener *l)
{
	const char *group = tg->group ? tg->group : RB_GROUP_GATEWAY;
	const rb__listener_set *ls = p->listener_set;
	if (ls) {
		bool set_kind = (!strcmp(group, RB_GROUP_GATEWAY) && !strcmp(tg->kind, RB_KIND_LISTENER_SET)) ||
		                (!strcmp(group, "gateway.networking.x-k8s.io") &&
		                 !strcmp(tg->kind, "XListenerSet"));
		return set_kind && !strcmp(tg->name, ls->meta.name) &&
		       (!tg->section_name || !strcmp(tg->section_name, l->name));
	}
	return !strcmp(group, RB_GROUP_GATEWAY) && !strcmp(tg->kind, RB_KIND_GATEWAY) &&
	       !strcmp(tg->name, p->gateway->meta.name) && tg->section_name &&
	       !strcmp(tg->section_name, l->name);
}

/* A ClientTrafficPolicy overrides HTTP/1.1 settings on this listener or its ListenerSet. */
static bool http1_override(rb__tr *t, const rb__parent *p, const rb__listener *l)
{
	const rb__objmeta *owner = p->listener_set ? &p->listener_set->meta : &p->gateway->meta;
	const rb__vec *ctps = &t->m->client_traffic_policies;
	for (size_t i = 0; i < ctps->len; i++) {
		const rb__client_traffic_policy *c = RB_VEC_AT(ctps, const rb__client_traffic_policy *, i);
		if (!c->http1_override || strcmp(c->meta.namespace_, owner->namespace_))
			continue;
		for (size_t k = 0; k < c->targets.ref_count; k++)
			if (targets_listener(&c->targets.refs[k], p, l))
				return true;
	}
	return false;
}

/* Cluster settings that would differ from the Gateway's on this listener's copy of a rule. */
static bool listener_demerges(rb__tr *t, const rb__parent *p, const rb__route_rule *rule,
                              const rb__listener *l)
{
	const rb__backend_traffic_policy *chain[RB_BTP_SCOPE_COUNT];
	rb__btp_chain(t, p, rule, chain);
	for (int s = RB_BTP_SCOPE_RULE; s <= RB_BTP_SCOPE_ROUTE; s++) {
		const rb__backend_traffic_policy *b = chain[s];
		/* Without a mergeType a route policy replaces the Gateway's settings outright. */
		if (b && (b->sets_cluster_fields || !b->merge_type))
			return true;
	}
	const rb__backend_traffic_policy *lis[2];
	rb__btp_listener_scopes(t, p->gateway, p->listener_set, l->name, lis);
	for (int i = 0; i < 2; i++)
		if (lis[i] && lis[i]->sets_cluster_fields)
			return true;
	return http1_override(t, p, l);
}

/* ---- rewriting one destination ---- */

static const char *lower(rb__tr *t, const char *s)
{
	char *out = rb__arena_strdup(t->out, s ? s : "");
	for (char *c = out; c && *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	return out;
}

/* lower(kind)/ns/name/port, then /lower(protocol) when there is one. */
static const char *cluster_name(rb__tr *t, const rb__ir_ref *ref)
{
	rb__ir_target tg = rb__ir_ref_target(ref);
	const char *kind = lower(t, tg.kind);
	const char *proto = rb__ir_protocol_name(ref->setting->protocol);
	if (!kind)
		return NULL;
	if (rb__str_empty(proto))
		return rb__arena_printf(t->out, "%s/%s/%s/%u", kind, tg.namespace_, tg.name, tg.port);
	const char *p = lower(t, proto);
	return p ? rb__arena_printf(t->out, "%s/%s/%s/%u/%s", kind, tg.namespace_, tg.name, tg.port,
	                            p)
	         : NULL;
}

/* The rule and the backendRef behind the k-th ref of a destination (L4 pools every rule). */
static void ref_origin(const rb__route *r, const rb__ir_destination *d, size_t k,
                       const rb__route_rule **rule, const rb__backend_ref **br)
{
	if (d->rule >= 0) {
		*rule = &r->rules[d->rule];
		*br = &(*rule)->backend_refs[k];
		return;
	}
	for (size_t i = 0; i < r->rule_count; i++) {
		if (k < r->rules[i].backend_ref_count) {
			*rule = &r->rules[i];
			*br = &r->rules[i].backend_refs[k];
			return;
		}
		k -= r->rules[i].backend_ref_count;
	}
	*rule = NULL;
	*br = NULL;
}

/* Which refs of d qualify whatever the listener; false when none does. */
/* Would two refs land in the same shared cluster (kind, namespace, name, port, protocol)? */
static bool same_cluster(const rb__ir_ref *a, const rb__ir_ref *b)
{
	rb__ir_target x = rb__ir_ref_target(a), y = rb__ir_ref_target(b);
	return rb__str_eq(x.kind, y.kind) && rb__str_eq(x.namespace_, y.namespace_) &&
	       rb__str_eq(x.name, y.name) && x.port == y.port &&
	       a->setting->protocol == b->setting->protocol;
}

static bool qualifying_refs(rb__tr *t, const rb__parent *p, const merge_config *cfg,
                            const rb__ir_destination *d, bool *q)
{
	const rb__route *r = p->route;
	bool l4 = d->rule < 0, baseline = rb__gateway_service_routing(t, p->gateway), any = false;
	const rb__ir_ref *first = NULL;
	bool distinct = false;
	for (size_t k = 0; k < d->ref_count; k++) {
		const rb__route_rule *rule;
		const rb__backend_ref *br;
		ref_origin(r, d, k, &rule, &br);
		q[k] = rule && ref_qualifies(t, cfg, &d->refs[k], br) &&
		       (l4 ? rule->backend_ref_count == 1 : !l7_rule_demerges(t, p, rule)) &&
		       rb__service_routing(t, p, rule) == baseline;
		if (q[k] && first && !same_cluster(first, &d->refs[k]))
			distinct = true;
		if (q[k] && !first)
			first = &d->refs[k];
		any |= q[k];
	}
	/* An L4 proxy forwards to one cluster: a TLSRoute whose rules reach
	 * different backends keeps them all inline
	 * (mergebackends-tls-multi-rule-distinct-backends), while rules that all
	 * reach the same one share it. */
	if (l4 && distinct) {
		memset(q, 0, d->ref_count * sizeof(*q));
		return false;
	}
	return any;
}

/* Excluded entries name their ref as the setting would be named. */
static const char *ref_name_of_excluded(const rb__ir_destination *d, const rb__ir_excluded *x,
                                        const char *const *names)
{
	for (size_t k = 0; k < d->ref_count; k++)
		if (d->refs[k].name == x->name && names[k])
			return names[k];
	return x->name;
}

/*
 * The merged form of d: inline settings first, in order, then one setting
 * per merged ref, named by its cluster, with the ref's weight. The refs
 * (explain, xds) follow their settings.
 */
static int merged_form(rb__tr *t, const rb__ir_destination *d, const bool *q,
                       rb__ir_destination *out)
{
	size_t n = d->ref_count;
	rb__ir_ref *refs = rb__arena_calloc(t->out, n ? n : 1, sizeof(*refs));
	rb__ir_setting *settings =
		rb__arena_calloc(t->out, d->setting_count ? d->setting_count : 1, sizeof(*settings));
	rb__ir_excluded *excluded =
		rb__arena_calloc(t->out, d->excluded_count ? d->excluded_count : 1, sizeof(*excluded));
	const char **names = rb__arena_calloc(t->out, n ? n : 1, sizeof(*names));
	if (!refs || !settings || !excluded || !names)
		return RB_ENOMEM;
	memcpy(refs, d->refs, n * sizeof(*refs));
	for (size_t k = 0; k < n; k++)
		if (q[k] && !(names[k] = cluster_name(t, &d->refs[k])))
			return RB_ENOMEM;
	size_t m = 0;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t k = 0; k < n; k++) {
			const rb__ir_setting *s = d->refs[k].setting;
			bool kept = s && s >= d->settings && s < d->settings + d->setting_count;
			if (!kept || q[k] != (pass == 1))
				continue;
			settings[m] = *s;
			if (q[k]) {
				settings[m].name = names[k];
				settings[m].weight = d->refs[k].weight;
				settings[m].shared_cluster = true;
			}
			refs[k].setting = &settings[m++];
		}
	}
	/* A merged ref is named by its cluster, also when rebalance excluded it. */
	for (size_t k = 0; k < n; k++)
		if (q[k])
			refs[k].name = names[k];
	for (size_t i = 0; i < d->excluded_count; i++) {
		excluded[i] = d->excluded[i];
		excluded[i].name = ref_name_of_excluded(d, &d->excluded[i], names);
	}
	*out = *d;
	out->settings = settings;
	out->setting_count = (uint32_t)m; /* at most d->setting_count */
	out->excluded = excluded;
	out->refs = refs;
	return RB_OK;
}

/* Does this listener's copy of d keep every ref inline? L4 destinations pool every rule. */
static bool dest_demerged_on(rb__tr *t, const rb__parent *p, const rb__ir_destination *d,
                             const rb__listener *l)
{
	const rb__route *r = p->route;
	if (d->rule >= 0)
		return listener_demerges(t, p, &r->rules[d->rule], l);
	for (size_t i = 0; i < r->rule_count; i++)
		if (listener_demerges(t, p, &r->rules[i], l))
			return true;
	return false;
}

int rb__merge_backends(rb__tr *t, const rb__parent *p, rb__vec *dests)
{
	merge_config cfg = gateway_config(t, p->gateway);
	if (!cfg.on || !dests->len)
		return RB_OK;
	rb__vec out = RB_VEC_INIT;
	int rc = RB_OK;
	for (size_t i = 0; i < dests->len && !rc; i++) {
		const rb__ir_destination *d = &RB_VEC_AT(dests, rb__ir_destination, i);
		bool *q = rb__arena_calloc(&t->scratch, d->ref_count ? d->ref_count : 1, sizeof(*q));
		if (!q) {
			rc = RB_ENOMEM;
			break;
		}
		/* Which forms the programming listeners show, and which comes first. */
		bool inline_form = true, merged = false, merged_first = false;
		if (!d->direct_response && qualifying_refs(t, p, &cfg, d, q)) {
			inline_form = false;
			for (size_t l = 0; l < p->programming.len; l++) {
				bool demerged = dest_demerged_on(
					t, p, d, RB_VEC_AT(&p->programming, const rb__listener *, l));
				if (l == 0)
					merged_first = !demerged;
				inline_form |= demerged;
				merged |= !demerged;
			}
		}
		rb__ir_destination m;
		if (merged && (rc = merged_form(t, d, q, &m)))
			break;
		for (int pass = 0; pass < 2 && !rc; pass++) {
			bool want_merged = (pass == 0) == merged_first;
			if (want_merged ? !merged : !inline_form)
				continue;
			rb__ir_destination *slot = rb__vec_push(t->mem, &out, sizeof(*slot));
			if (!slot)
				rc = RB_ENOMEM;
			else
				*slot = want_merged ? m : *d;
		}
	}
	if (rc) {
		rb__vec_free(t->mem, &out);
		return rc;
	}
	rb__vec_free(t->mem, dests);
	*dests = out;
	return RB_OK;
}
