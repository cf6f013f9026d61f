/*
 * The walk: every route kind in a fixed order (HTTP, GRPC, TLS, TCP, UDP),
 * every route in input order, every relevant parentRef in spec order
 * ([attach.per-parent]): attach, compute the destinations of that parent, its status.
 * A destination reaches the output only through a programmed listener, once
 * per Gateway and distinct content: parents of one Gateway sharing a result
 * share a destination, with their listeners ([name.key]).
 */
#include "translate/translate.h"

#include <string.h>

#include "core/strutil.h"
#include "ir/ir_same.h"
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

static bool destination_equal(const rb__ir_destination *a, const rb__ir_destination *b)
{
	if (strcmp(a->name, b->name) || a->direct_response != b->direct_response ||
	    a->setting_count != b->setting_count || a->excluded_count != b->excluded_count ||
	    memcmp(a->weights, b->weights, sizeof a->weights))
		return false;
	for (size_t i = 0; i < a->setting_count; i++)
		if (!rb__ir_setting_same(&a->settings[i], &b->settings[i]))
			return false;
	for (size_t i = 0; i < a->excluded_count; i++)
		if (strcmp(a->excluded[i].name, b->excluded[i].name) ||
		    a->excluded[i].weight != b->excluded[i].weight ||
		    strcmp(a->excluded[i].reason, b->excluded[i].reason))
			return false;
	return true;
}

/* "ns/name" in t->out, shared with *last when it reads the same (as
 * rb__arena_share, but compared in place: this runs for every parent). */
static const char *shared_ns_name(rb__tr *t, rb__arena_last *last, const char *ns,
                                  const char *name)
{
	const char *s = last->items;
	size_t n = strlen(ns);
	if (s && !strncmp(s, ns, n) && s[n] == '/' && !strcmp(s + n + 1, name))
		return s;
	s = rb__arena_printf(t->out, "%s/%s", ns, name);
	if (s)
		*last = (rb__arena_last){s, strlen(s) + 1};
	return s;
}

static bool listener_same(const void *pa, const void *pb)
{
	const rb__ir_listener_ref *a = pa, *b = pb;
	return !strcmp(a->name, b->name) && a->port == b->port && rb__str_same(a->listener_set, b->listener_set);
}

/* The i-th listener of parent p that programs it, as the IR names it; ls is
 * the ListenerSet's "ns/name" (NULL without one). */
static rb__ir_listener_ref parent_listener(const rb__parent *p, size_t i, const char *ls)
{
	const rb__gateway *g = p->gateway;
	const rb__listener *l = RB_VEC_AT(&p->programming, const rb__listener *, i);
	bool own = l >= g->listeners && l < g->listeners + g->listener_count;
	return (rb__ir_listener_ref){l->name ? l->name : "", l->port, own ? NULL : ls};
}

/* The listeners of parent p that program it, as the IR names them, shared
 * with the previous parent's when they read the same. */
static int parent_listeners(rb__tr *t, const rb__parent *p, const rb__ir_listener_ref **out,
                            size_t *n)
{
	*n = p->programming.len;
	*out = NULL;
	const char *ls = NULL;
	if (p->listener_set &&
	    !(ls = shared_ns_name(t, &t->last_listener_set, p->listener_set->meta.namespace_,
	                                  p->listener_set->meta.name)))
		return RB_ENOMEM;
	if (!*n)
		return RB_OK;
	/* Made in the route's temporary arena, kept in t->out only when new. */
	rb__ir_listener_ref *refs = rb__arena_calloc(&t->temp, *n, sizeof(*refs));
	if (!refs)
		return RB_ENOMEM;
	for (size_t i = 0; i < *n; i++)
		refs[i] = parent_listener(p, i, ls);
	*out = rb__arena_share(t->out, &t->last_listeners, refs, *n, sizeof(*refs), listener_same);
	return *out ? RB_OK : RB_ENOMEM;
}

/* Another parent of the same Gateway with the same result: its listeners join d's. */
static int join_listeners(rb__tr *t, rb__ir_destination *d, const rb__ir_listener_ref *add,
                          size_t n)
{
	rb__ir_listener_ref *all =
	    rb__arena_calloc(t->out, d->listener_count + n ? d->listener_count + n : 1, sizeof(*all));
	if (!all)
		return RB_ENOMEM;
	size_t count = d->listener_count;
	if (count)
		memcpy(all, d->listeners, count * sizeof(*all));
	for (size_t i = 0; i < n; i++) {
		bool known = false;
		for (size_t k = 0; k < count && !known; k++)
			known = listener_same(&all[k], &add[i]);
		if (!known)
			all[count++] = add[i];
	}
	d->listeners = all;
	d->listener_count = (uint32_t)count; /* a Gateway's listeners: far below 2^32 */
	return RB_OK;
}

/*
 * Append the destinations of one parent. A parent of a Gateway the route
 * already has an equal destination for adds its listeners to it; each
 * Gateway keeps its own copy (its data plane is its own).
 */
static int emit_destinations(rb__tr *t, size_t route_first, const rb__parent *p, const rb__vec *dests)
{
	const char *gw = shared_ns_name(t, &t->last_gateway, p->gateway->meta.namespace_,
	                                        p->gateway->meta.name);
	const rb__ir_listener_ref *listeners;
	size_t listener_count;
	int rc = gw ? parent_listeners(t, p, &listeners, &listener_count) : RB_ENOMEM;
	for (size_t i = 0; i < dests->len && !rc; i++) {
		rb__ir_destination *d = &RB_VEC_AT(dests, rb__ir_destination, i);
		rb__ir_destination *same = NULL;
		for (size_t k = route_first; k < t->dests.len && !same; k++) {
			rb__ir_destination *e = &RB_VEC_AT(&t->dests, rb__ir_destination, k);
			if (!strcmp(e->gateway, gw) && destination_equal(e, d))
				same = e;
		}
		if (same) {
			rc = join_listeners(t, same, listeners, listener_count);
			continue;
		}
		d->gateway = gw;
		d->gateway_namespace = p->gateway->meta.namespace_;
		d->gateway_name = p->gateway->meta.name;
		d->listeners = listeners;
		d->listener_count = (uint32_t)listener_count;
		rb__ir_destination *slot = rb__vec_push(t->mem, &t->dests, sizeof(*slot));
		if (!slot)
			return RB_ENOMEM;
		*slot = *d;
	}
	return rc;
}

/* "gateway/name", unless the Gateway has several results for the rule: then
 * "#" and the listeners tell them apart. */
static int destination_keys(rb__tr *t, size_t route_first)
{
	for (size_t i = route_first; i < t->dests.len; i++) {
		rb__ir_destination *d = &RB_VEC_AT(&t->dests, rb__ir_destination, i);
		bool twin = false;
		for (size_t k = route_first; k < t->dests.len && !twin; k++) {
			const rb__ir_destination *e = &RB_VEC_AT(&t->dests, rb__ir_destination, k);
			twin = k != i && !strcmp(e->gateway, d->gateway) && !strcmp(e->name, d->name);
		}
		/* The rule's translation made the key with the name at its end
		 * (rb__destination_name_in_key): kept when it is this Gateway's. */
		size_t glen = strlen(d->gateway);
		if (!twin && d->key && !strncmp(d->key, d->gateway, glen) && d->key[glen] == '/' &&
		    d->name == d->key + glen + 1)
			continue;
		rb__buf b;
		rb__buf_init(&b, t->mem);
		rb__buf_puts(&b, d->gateway);
		rb__buf_putc(&b, '/');
		rb__buf_puts(&b, d->name);
		for (size_t l = 0; twin && l < d->listener_count; l++) {
			rb__buf_putc(&b, l ? ',' : '#');
			if (d->listeners[l].listener_set) {
				rb__buf_puts(&b, d->listeners[l].listener_set);
				rb__buf_putc(&b, '/');
			}
			rb__buf_puts(&b, d->listeners[l].name);
		}
		d->key = b.failed ? NULL : rb__arena_strndup(t->out, b.data, b.len);
		rb__buf_free(&b);
		if (!d->key)
			return RB_ENOMEM;
	}
	return RB_OK;
}

static int translate_route(rb__tr *t, const rb__route *r)
{
	size_t route_first = t->dests.len;
	rb__arena_mark temp = rb__arena_get_mark(&t->temp);
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
		/* The previous parent's vectors, emptied: their storage is kept (rb__tr). */
		rb__vec dests = t->parent_dests, errors = t->parent_errors;
		dests.len = errors.len = 0;
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
		t->parent_dests = dests;
		t->parent_errors = errors;
		rb__vec_free(t->mem, &p.listeners);
		rb__vec_free(t->mem, &p.idle);
		rb__vec_free(t->mem, &p.programming);
	}
	rb__arena_rewind(&t->temp, temp);
	return rc ? rc : destination_keys(t, route_first);
}

/* Every map of the translator, for init and free. */
enum { MAP_COUNT = 15 };
static void tr_maps(rb__tr *t, rb__map *out[MAP_COUNT])
{
	rb__map *maps[MAP_COUNT] = {
		&t->backends,          &t->slices,          &t->gateways,
		&t->listener_sets,     &t->namespaces,      &t->envoy_proxies,
		&t->l4_listener_owner, &t->btp_scopes,      &t->secrets,
		&t->policy_claims,     &t->lua_strict_verdicts, &t->lua_syntax_verdicts,
		&t->gateway_verdicts,  &t->listener_verdicts,   &t->route_copies,
	};
	memcpy(out, maps, sizeof maps);
}

void rb__tr_free(rb__tr *t)
{
	/* Slice groups own their vectors' storage, unless it is in scratch. */
	for (size_t i = 0; i < t->slices.cap; i++) {
		rb__slice_group *g = t->slices.slots[i].key ? t->slices.slots[i].value : NULL;
		if (g && !g->in_scratch)
			rb__vec_free(t->mem, &g->slices);
	}
	rb__map *maps[MAP_COUNT];
	tr_maps(t, maps);
	for (size_t i = 0; i < MAP_COUNT; i++)
		rb__map_free(maps[i]);
	rb__vec_free(t->mem, &t->dests);
	rb__vec_free(t->mem, &t->parent_dests);
	rb__vec_free(t->mem, &t->parent_errors);
	rb__vec_free(t->mem, &t->statuses);
	rb__vec_free(t->mem, &t->overlap);
	rb__buf_free(&t->overlap_buf);
	rb__arena_free(&t->scratch);
	rb__arena_free(&t->temp);
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
	rb__arena_init(&t->temp, mem);
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

/*
 * Room for the usual count of destinations (one per rule) and statuses (one
 * per parentRef) before the routes are translated: the vectors
 * then grow by copying rarely, where each doubling used to leave the old copy
 * behind as a hole in the heap (about 3 MB of destinations and statuses at
 * 8,000 routes, bench/README.md). Room never written costs no memory.
 */
static int reserve_outputs(rb__tr *t, const rb__model *m)
{
	size_t dests = 0, statuses = 0;
	for (int k = 0; k < RB_ROUTE_KIND_COUNT; k++) {
		const rb__vec *routes = &m->routes[k];
		for (size_t i = 0; i < routes->len; i++) {
			const rb__route *r = RB_VEC_AT(routes, const rb__route *, i);
			/* One Gateway per route, as usual: a route with several only grows
			 * the vector, and no crafted input reserves rules x parentRefs. */
			if (r->parent_ref_count)
				dests += r->rule_count ? r->rule_count : 1;
			statuses += r->parent_ref_count;
		}
	}
	/* The match keys of overlap.c: one per rule of a programmed parent, as usual. */
	if (!rb__vec_reserve(t->mem, &t->dests, dests, sizeof(rb__ir_destination)) ||
	    !rb__vec_reserve(t->mem, &t->statuses, statuses, sizeof(rb__ir_route_status)) ||
	    !rb__vec_reserve(t->mem, &t->overlap, dests, sizeof(rb__overlap_key)))
		return RB_ENOMEM;
	return RB_OK;
}

/*
 * Each rule of an HTTPRoute or GRPCRoute translated for a parent gets an
 * array of refs and one of settings in the result's arena (rule_l7.c), one of
 * each per backendRef; a route attached to a Gateway of ours has its rules
 * translated at least once. A floor only when every route is: where it is not,
 * the arena ends in a page advised for huge pages, as without the floor.
 */
size_t rb__translate_ir_floor(const rb__model *m)
{
	size_t refs = 0;
	for (int k = 0; k < RB_ROUTE_KIND_COUNT; k++) {
		const rb__vec *routes = &m->routes[k];
		for (size_t i = 0; i < routes->len; i++) {
			const rb__route *r = RB_VEC_AT(routes, const rb__route *, i);
			if ((r->kind != RB_ROUTE_HTTP && r->kind != RB_ROUTE_GRPC) || !r->parent_ref_count)
				continue;
			for (size_t j = 0; j < r->rule_count; j++)
				refs += r->rules[j].backend_ref_count ? r->rules[j].backend_ref_count : 1;
		}
	}
	size_t bytes;
	return rb__mul_size(refs, sizeof(rb__ir_ref) + sizeof(rb__ir_setting), &bytes) ? bytes
	                                                                                : SIZE_MAX;
}

int rb__translate(const rb__model *m, const rb__tr_options *opts, const rb__mem *mem,
                  rb__arena *arena, rb__ir *out)
{
	rb__tr t;
	int rc = rb__tr_init(&t, m, opts, mem, arena);
	if (!rc)
		rc = reserve_outputs(&t, m);
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
