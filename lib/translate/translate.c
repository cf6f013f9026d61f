/*
 * The walk: every route kind in a fixed order (HTTP, GRPC, TLS, TCP, UDP),
 * every route in input order, every relevant parentRef in spec order
 * ([attach.per-parent]): attach, compute the destinations of that parent, its status.
 * A destination reaches the output only through a programmed listener, and
 * once per distinct content (parents sharing a result share a destination).
 */
#include "translate/translate.h"

#include <string.h>

#include "core/strutil.h"
#include "rebalance/errors.h"
#include "translate/lua_sandbox.h"
#include "translate/tr.h"


const rb__gateway *rb__our_gateway(rb__tr *t, const char *ns, const char *name)
{
	const rb__gateway *g = rb__find_gateway(t, ns, name);
	if (!g || !rb__class_is_ours(t, g->gateway_class_name))
		return NULL;
	/* mergeGateways with mergeBackends: the Gateway is rejected, never translated. */
	return rb__merge_backends_rejects(t, g) ? NULL : g;
}

/*
 * The Gateway of ours a parentRef points to -- directly, or through a
 * ListenerSet the Gateway accepts -- or NULL: the parent is not relevant.
 */
static const rb__gateway *parent_gateway(rb__tr *t, const rb__route *r, const rb__parent_ref *ref,
                                         const rb__listener_set **ls_out)
{
	*ls_out = NULL;
	const char *ns = rb__str_empty(ref->namespace_) ? r->meta.namespace_ : ref->namespace_;
	const char *group = ref->group ? ref->group : RB_GROUP_GATEWAY;
	const char *kind = ref->kind ? ref->kind : RB_KIND_GATEWAY;
	if (!strcmp(group, RB_GROUP_GATEWAY) && !strcmp(kind, RB_KIND_GATEWAY))
		return rb__our_gateway(t, ns, ref->name);
	/* Only the Gateway API's ListenerSet (Envoy Gateway reads no XListenerSet). */
	if (strcmp(group, RB_GROUP_GATEWAY) || strcmp(kind, RB_KIND_LISTENER_SET))
		return NULL;
	const rb__listener_set *ls = rb__find_listener_set(t, ns, ref->name);
	const rb__gateway *g = ls ? rb__listener_set_gateway(t, ls) : NULL;
	if (g)
		*ls_out = ls;
	return g;
}

static bool str_same(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static bool endpoints_equal(const rb__ir_setting *a, const rb__ir_setting *b)
{
	if (a->endpoint_count != b->endpoint_count)
		return false;
	if (a->endpoints == b->endpoints)
		return true;
	for (size_t i = 0; i < a->endpoint_count; i++) {
		const rb__ir_endpoint *x = &a->endpoints[i], *y = &b->endpoints[i];
		if (!str_same(x->host, y->host) || x->port != y->port || !str_same(x->zone, y->zone) ||
		    x->draining != y->draining || !str_same(x->hostname, y->hostname) ||
		    !str_same(x->path, y->path))
			return false;
	}
	return true;
}

static bool metadata_equal(const rb__ir_metadata *a, const rb__ir_metadata *b)
{
	if (!a || !b)
		return a == b;
	return str_same(a->kind, b->kind) && str_same(a->name, b->name) &&
	       str_same(a->namespace_, b->namespace_) && str_same(a->section_name, b->section_name) &&
	       a->annotation_count == b->annotation_count;
}

static bool setting_equal(const rb__ir_setting *a, const rb__ir_setting *b)
{
	bool pl = (!a->prefer_local && !b->prefer_local) ||
	          (a->prefer_local && b->prefer_local &&
	           a->prefer_local->min_endpoints_threshold == b->prefer_local->min_endpoints_threshold);
	return str_same(a->name, b->name) && a->weight == b->weight &&
	       a->has_priority == b->has_priority && a->priority == b->priority &&
	       str_same(a->protocol, b->protocol) && a->force_http1 == b->force_http1 &&
	       str_same(a->address_type, b->address_type) && str_same(a->ip_family, b->ip_family) &&
	       pl && a->invalid == b->invalid && a->dynamic_resolver == b->dynamic_resolver &&
	       a->custom_backend == b->custom_backend && a->shared_cluster == b->shared_cluster &&
	       metadata_equal(a->metadata, b->metadata) &&
	       endpoints_equal(a, b);
}

static bool destination_equal(const rb__ir_destination *a, const rb__ir_destination *b)
{
	if (strcmp(a->name, b->name) || a->direct_response != b->direct_response ||
	    a->setting_count != b->setting_count || a->excluded_count != b->excluded_count ||
	    memcmp(a->weights, b->weights, sizeof a->weights))
		return false;
	for (size_t i = 0; i < a->setting_count; i++)
		if (!setting_equal(&a->settings[i], &b->settings[i]))
			return false;
	for (size_t i = 0; i < a->excluded_count; i++)
		if (strcmp(a->excluded[i].name, b->excluded[i].name) ||
		    a->excluded[i].weight != b->excluded[i].weight ||
		    strcmp(a->excluded[i].reason, b->excluded[i].reason))
			return false;
	return true;
}

/* Append the destinations of one parent, skipping copies of what the route already has. */
static int emit_destinations(rb__tr *t, size_t route_first, const rb__parent *p, const rb__vec *dests)
{
	const char *gw = rb__key2(t, p->gateway->meta.namespace_, p->gateway->meta.name);
	for (size_t i = 0; i < dests->len; i++) {
		rb__ir_destination *d = &RB_VEC_AT(dests, rb__ir_destination, i);
		bool seen = false;
		for (size_t k = route_first; k < t->dests.len && !seen; k++)
			seen = destination_equal(&RB_VEC_AT(&t->dests, rb__ir_destination, k), d);
		if (seen)
			continue;
		d->gateway = gw ? rb__arena_strdup(t->out, gw) : NULL;
		rb__ir_destination *slot = rb__vec_push(t->mem, &t->dests, sizeof(*slot));
		if (!slot || !d->gateway)
			return RB_ENOMEM;
		*slot = *d;
	}
	return RB_OK;
}

static int translate_route(rb__tr *t, const rb__route *r)
{
	size_t route_first = t->dests.len;
	/* An earlier copy of a route defined twice: its destinations, not its status. */
	bool earlier_copy = rb__route_last_copy(t, r) != r;
	int rc = RB_OK;
	for (size_t i = 0; i < r->parent_ref_count && !rc; i++) {
		const rb__parent_ref *ref = &r->parent_refs[i];
		const rb__listener_set *ls;
		const rb__gateway *g = parent_gateway(t, r, ref, &ls);
		if (!g)
			continue;
		rb__parent p;
		memset(&p, 0, sizeof p);
		p.route = r;
		p.ref = ref;
		p.ref_index = i;
		p.gateway = g;
		p.listener_set = ls;
		rb__vec dests = RB_VEC_INIT, errors = RB_VEC_INIT;
		if ((r->kind == RB_ROUTE_TCP || r->kind == RB_ROUTE_UDP) && r->rule_count != 1) {
			/* Nothing else is computed for this parent, not even attachment
			 * ([l4.one-rule]). */
			p.invalid_rule = true;
			p.accepted_reason = "InvalidRule";
			p.accepted_message = "One and only one rule is supported";
		} else {
			rc = rb__attach(t, &p);
			if (!rc)
				rc = (r->kind == RB_ROUTE_HTTP || r->kind == RB_ROUTE_GRPC)
				             ? rb__route_l7(t, &p, &dests, &errors)
				             : rb__route_l4(t, &p, &dests, &errors);
		}
		if (!rc)
			rc = rb__route_status(t, &p, &errors);
		if (!rc && earlier_copy)
			t->statuses.len--;
		else if (!rc)
			rc = rb__overlap_record(t, &p, &errors);
		if (!rc && p.programmed)
			rc = rb__merge_backends(t, &p, &dests);
		if (!rc && p.programmed)
			rc = emit_destinations(t, route_first, &p, &dests);
		rb__vec_free(t->mem, &dests);
		rb__vec_free(t->mem, &errors);
		rb__vec_free(t->mem, &p.listeners);
		rb__vec_free(t->mem, &p.idle);
		rb__vec_free(t->mem, &p.programming);
	}
	return rc;
}

/* Every map of the translator, for init and free. */
enum { MAP_COUNT = 18 };
static void tr_maps(rb__tr *t, rb__map *out[MAP_COUNT])
{
	rb__map *maps[MAP_COUNT] = {&t->services,      &t->service_imports, &t->backends,
	                            &t->slices,        &t->gateways,        &t->listener_sets,
	                            &t->namespaces,    &t->envoy_proxies,   &t->endpoint_cache,
	                            &t->l4_listener_owner, &t->btp_scopes, &t->secrets,
	                            &t->policy_claims, &t->lua_strict_verdicts, &t->lua_syntax_verdicts,
	                            &t->gateway_verdicts, &t->listener_verdicts,
	                            &t->route_copies};
	memcpy(out, maps, sizeof maps);
}

void rb__tr_free(rb__tr *t)
{
	/* Slice groups own their vectors' storage. */
	for (size_t i = 0; i < t->slices.cap; i++)
		if (t->slices.slots[i].key)
			rb__vec_free(t->mem, t->slices.slots[i].value);
	rb__map *maps[MAP_COUNT];
	tr_maps(t, maps);
	for (size_t i = 0; i < MAP_COUNT; i++)
		rb__map_free(maps[i]);
	rb__vec_free(t->mem, &t->dests);
	rb__vec_free(t->mem, &t->statuses);
	rb__vec_free(t->mem, &t->overlap);
	rb__buf_free(&t->overlap_buf);
	rb__arena_free(&t->scratch);
}

/*
 * rb__translate in three steps, so that the incremental engine (lib/engine/)
 * can keep the state between translations and translate single routes.
 */
int rb__tr_init(rb__tr *t, const rb__model *m, const rb__tr_options *opts, const rb__mem *mem,
                rb__arena *arena)
{
	memset(t, 0, sizeof *t);
	t->m = m;
	t->o = opts;
	t->mem = mem;
	t->out = arena;
	t->lua_budget = rb__lua_budget_full();
	rb__arena_init(&t->scratch, mem);
	rb__buf_init(&t->overlap_buf, mem);
	rb__map *maps[MAP_COUNT];
	tr_maps(t, maps);
	for (size_t i = 0; i < MAP_COUNT; i++)
		rb__map_init(maps[i], mem);
	int rc = rb__our_classes_init(t);
	if (!rc)
		rc = rb__index_build(t);
	if (!rc)
		rc = rb__routing_build(t);
	if (!rc)
		rc = rb__policy_claims_build(t);
	if (!rc)
		rc = rb__route_copies_build(t);
	return rc;
}

int rb__tr_route(rb__tr *t, const rb__route *r)
{
	return translate_route(t, r);
}

static rb__ir_route_status *status_in_translation(void *ud, const rb__overlap_key *k)
{
	return &RB_VEC_AT(&((rb__tr *)ud)->statuses, rb__ir_route_status, k->status);
}

int rb__translate(const rb__model *m, const rb__tr_options *opts, const rb__mem *mem,
                  rb__arena *arena, rb__ir *out)
{
	rb__tr t;
	int rc = rb__tr_init(&t, m, opts, mem, arena);
	for (int k = 0; k < RB_ROUTE_KIND_COUNT && !rc; k++) {
		const rb__vec *routes = &m->routes[k];
		for (size_t i = 0; i < routes->len && !rc; i++)
			rc = translate_route(&t, RB_VEC_AT(routes, const rb__route *, i));
	}
	if (!rc)
		rc = rb__overlap_conditions(&t, t.overlap.data, t.overlap.len, status_in_translation, &t);
	if (!rc && opts->warnings)
		rc = rb__translation_warnings(&t);
	if (!rc) {
		memset(out, 0, sizeof *out);
		/* The result arena takes the vectors over (no copy). */
		out->destination_count = t.dests.len;
		out->destinations = rb__arena_adopt_vec(arena, &t.dests, &rc);
		out->status_count = t.statuses.len;
		out->statuses = rb__arena_adopt_vec(arena, &t.statuses, &rc);
	}
	rb__tr_free(&t);
	return rc;
}
