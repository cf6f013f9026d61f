/*
 * Building an explanation: what-if view, two translations, pairing,
 * projection. The Envoy arithmetic itself lives in envoy/project.c.
 */
#include "explain/explain.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/map.h"
#include "rebalance/errors.h"

/* Flags that describe the environment, not the mode: both sides keep them. */
#define ENVIRONMENT_FLAGS \
	(RB_OPT_DISABLE_BACKEND_API | RB_OPT_RUNNING_ON_HOST | RB_OPT_GATEWAY_NAMESPACE_MODE | \
	 RB_OPT_ASSUME_SECRETS)

/*
 * The key pairing a destination with its upstream twin: name and Gateway
 * ("name\0g<gateway>", or "name\0n" without one, which only pairs with none).
 */
static const char *twin_key(rb__arena *a, const rb__ir_destination *d, size_t *len)
{
	size_t nl = strlen(d->name), gl = d->gateway ? strlen(d->gateway) : 0;
	char *k = rb__arena_alloc(a, nl + gl + 2);
	if (!k)
		return NULL;
	memcpy(k, d->name, nl);
	k[nl] = '\0';
	k[nl + 1] = d->gateway ? 'g' : 'n';
	if (gl)
		memcpy(k + nl + 2, d->gateway, gl);
	*len = nl + gl + 2;
	return k;
}

/* The upstream destinations of one name and Gateway, in order (indices + 1,
 * chained through `next`), and the next one to pair. */
typedef struct twin_chain {
	size_t head, tail, cursor;
} twin_chain;

/*
 * The upstream twin of every selected destination: the one of the same name
 * and Gateway at the same rank among those (a rule shows one form per group
 * of listeners with mergeBackends, in the same order on both sides), else the
 * first of that name and Gateway; else the first of the same name (the
 * upstream side merges parents whose destinations are identical, and keeps
 * the first Gateway). Through hash tables of the upstream destinations, so
 * that pairing stays linear in routes (a scan of every destination per
 * destination took seconds at 30,000 routes).
 */
static int pair_twins(rb_explanation *ex, const rb__ir *ups, const rb__ir *sel)
{
	rb__arena_mark mark = rb__arena_get_mark(&ex->arena);
	rb__map chains, by_name; /* key -> twin_chain; name -> index + 1 of the first */
	rb__map_init(&chains, &ex->ctx->mem);
	rb__map_init(&by_name, &ex->ctx->mem);
	size_t *next = rb__arena_calloc(&ex->arena, ups->destination_count + 1, sizeof(*next));
	int rc = next ? RB_OK : RB_ENOMEM;
	for (size_t i = 0; i < ups->destination_count && !rc; i++) {
		const rb__ir_destination *u = &ups->destinations[i];
		size_t n;
		const char *k = twin_key(&ex->arena, u, &n);
		void **c = k ? rb__map_slot_for(&chains, k, n) : NULL;
		void **b = c ? rb__map_slot_for(&by_name, u->name, strlen(u->name)) : NULL;
		if (b && !*c)
			*c = rb__arena_calloc(&ex->arena, 1, sizeof(twin_chain));
		if (!b || !*c) {
			rc = RB_ENOMEM;
			break;
		}
		twin_chain *ch = *c;
		if (ch->tail)
			next[ch->tail - 1] = i + 1;
		else
			ch->head = ch->cursor = i + 1;
		ch->tail = i + 1;
		if (!*b)
			*b = (void *)(uintptr_t)(i + 1);
	}
	for (size_t i = 0; i < ex->rule_count && !rc; i++) {
		const rb__ir_destination *d = &sel->destinations[i];
		size_t n;
		const char *k = twin_key(&ex->arena, d, &n);
		if (!k) {
			rc = RB_ENOMEM;
			break;
		}
		twin_chain *ch = rb__map_get(&chains, k, n);
		uintptr_t t = 0;
		if (ch && ch->cursor) {
			t = ch->cursor;
			ch->cursor = next[t - 1];
		} else if (ch) {
			t = ch->head; /* more forms here than upstream: the first */
		} else {
			t = (uintptr_t)rb__map_get(&by_name, d->name, strlen(d->name));
		}
		ex->rules[i].dest[RB_SIDE_UPSTREAM] = t ? &ups->destinations[t - 1] : NULL;
	}
	rb__map_free(&chains);
	rb__map_free(&by_name);
	rb__arena_rewind(&ex->arena, mark); /* the keys and chains */
	return rc;
}

static int explain_rule(rb_explanation *ex, rb_explained_rule *r)
{
	const rb__ir_destination *sel = r->dest[RB_SIDE_SELECTED];
	r->ref_count = sel->ref_count;
	r->refs = rb__arena_calloc(&ex->arena, r->ref_count ? r->ref_count : 1, sizeof(*r->refs));
	if (!r->refs)
		return RB_ENOMEM;
	for (int side = RB_SIDE_UPSTREAM; side <= RB_SIDE_SELECTED; side++) {
		const rb__ir_destination *d = r->dest[side];
		if (!d)
			continue; /* routing NONE, states 0 */
		rb__ref_view *views = rb__arena_calloc(&ex->arena, d->ref_count ? d->ref_count : 1,
		                                       sizeof(*views));
		if (!views)
			return RB_ENOMEM;
		int rc = rb__envoy_project(d, &ex->ctx->mem, &r->proj[side], views);
		if (rc)
			return rc;
		/* A direct response that a filter (or a policy) decided: say which, and why. */
		const rb__ir_notes *notes = rb__ir_notes_of(d);
		if (d->direct_response && notes->direct_response_by) {
			r->proj[side].reason =
				notes->direct_response_why
					? rb__arena_printf(&ex->arena, "%s: %s", notes->direct_response_by,
					                   notes->direct_response_why)
					: notes->direct_response_by;
			if (!r->proj[side].reason)
				return RB_ENOMEM;
		}
		/* Both sides translate the same rule: the same backendRefs, in order. */
		for (size_t j = 0; j < r->ref_count && j < d->ref_count; j++) {
			r->refs[j].ir[side] = &d->refs[j];
			r->refs[j].view[side] = views[j];
		}
	}
	return RB_OK;
}

/* "kind\0namespace\0name": the key of a route (in `a`; NULL when out of memory). */
static const char *route_key(rb__arena *a, const char *kind, const char *ns, const char *name,
                             size_t *len)
{
	return rb__arena_join3(a, kind, ns, name, '\0', len);
}

/* Routes by route_key (the first of a key wins). */
static int index_routes(rb__arena *a, const rb__model *m, rb__map *index)
{
	for (int k = 0; k < RB_ROUTE_KIND_COUNT; k++) {
		for (size_t i = 0; i < m->routes[k].len; i++) {
			const rb__route *r = RB_VEC_AT(&m->routes[k], const rb__route *, i);
			size_t n;
			const char *key = route_key(a, rb__route_kind_name(r->kind), r->meta.namespace_,
			                            r->meta.name, &n);
			void **slot = key ? rb__map_slot_for(index, key, n) : NULL;
			if (!slot)
				return RB_ENOMEM;
			if (!*slot)
				*slot = (void *)(uintptr_t)r; /* the map holds void *; read back as const */
		}
	}
	return RB_OK;
}

/* The listeners of `gateway` ("ns/name") the route's parentRefs name: their
 * sectionNames (or ports), "all" for a parentRef naming the Gateway alone. */
static const char *listeners_of(rb__arena *a, const rb__route *r, const char *gateway)
{
	const char *out = NULL;
	for (size_t i = 0; gateway && i < r->parent_ref_count; i++) {
		const rb__parent_ref *p = &r->parent_refs[i];
		if (p->kind && strcmp(p->kind, "Gateway"))
			continue;
		const char *ns = p->namespace_ && *p->namespace_ ? p->namespace_ : r->meta.namespace_;
		size_t nl = strlen(ns);
		if (strncmp(gateway, ns, nl) || gateway[nl] != '/' || strcmp(gateway + nl + 1, p->name))
			continue;
		const char *one = p->section_name ? rb__arena_strdup(a, p->section_name)
		                  : p->has_port   ? rb__arena_printf(a, "port %u", (unsigned)p->port)
		                                  : "all";
		if (!one)
			return NULL;
		out = out ? rb__arena_printf(a, "%s, %s", out, one) : one;
		if (!out)
			return NULL;
	}
	return out;
}

/* route_key and "#rule": the key of one rule in the overlap index. */
static const char *rule_key(rb__arena *a, const char *rkey, size_t n, int32_t rule, size_t *len)
{
	char suffix[16];
	int sn = snprintf(suffix, sizeof suffix, "#%d", (int)rule);
	char *out = sn > 0 ? rb__arena_alloc(a, n + (size_t)sn + 1) : NULL;
	if (!out)
		return NULL;
	memcpy(out, rkey, n); /* route_key holds NULs */
	memcpy(out + n, suffix, (size_t)sn + 1);
	*len = n + (size_t)sn;
	return out;
}

/*
 * The RouteRulesOverlap message of each rule of the selected side whose
 * matches another route shares ([status.rules-overlap]), by rule_key: only
 * one of the routes gets those requests, which the shares cannot show.
 * Nothing is indexed when no route overlaps (the usual case).
 */
static int index_overlaps(rb_explanation *ex, rb__map *out)
{
	const rb__ir *ir = &ex->results[RB_SIDE_SELECTED]->ir;
	for (size_t i = 0; i < ir->status_count; i++) {
		const rb__ir_route_status *st = &ir->statuses[i];
		for (size_t c = 0; c < st->condition_count && st->overlap_rule_count; c++) {
			if (strcmp(st->conditions[c].type, "RouteRulesOverlap"))
				continue;
			size_t n, kn;
			const char *key = route_key(&ex->arena, st->kind, st->namespace_, st->name, &n);
			for (size_t r = 0; key && r < st->overlap_rule_count; r++) {
				const char *rk = rule_key(&ex->arena, key, n, st->overlap_rules[r], &kn);
				void **slot = rk ? rb__map_slot_for(out, rk, kn) : NULL;
				if (!slot)
					return RB_ENOMEM;
				if (!*slot)
					*slot = (void *)(uintptr_t)st->conditions[c].message;
			}
			if (!key)
				return RB_ENOMEM;
		}
	}
	return RB_OK;
}

/* caveat, or caveat and more joined ("; "). */
static const char *add_caveat(rb__arena *a, const char *caveat, const char *more)
{
	return caveat ? rb__arena_printf(a, "%s; %s", caveat, more) : more;
}

/* Rule names, listeners and caveats: what the IR does not carry. */
static int describe_rules(rb_explanation *ex, const rb__model *m)
{
	rb__map index, overlaps;
	rb__map_init(&index, &ex->ctx->mem);
	rb__map_init(&overlaps, &ex->ctx->mem);
	int rc = index_routes(&ex->arena, m, &index);
	if (!rc)
		rc = index_overlaps(ex, &overlaps);
	for (size_t i = 0; i < ex->rule_count && !rc; i++) {
		rb_explained_rule *r = &ex->rules[i];
		const rb__ir_destination *d = r->dest[RB_SIDE_SELECTED];
		size_t n;
		const char *key = route_key(&ex->arena, d->route_kind, d->route_namespace,
		                            d->route_name, &n);
		if (!key) {
			rc = RB_ENOMEM;
			break;
		}
		const rb__route *route = rb__map_get(&index, key, n);
		if (route && d->rule >= 0 && (size_t)d->rule < route->rule_count)
			r->rule_name = route->rules[d->rule].name;
		if (route)
			r->listeners = listeners_of(&ex->arena, route, d->gateway);
		const rb__ir_notes *notes = rb__ir_notes_of(d);
		if (notes->unmodelled) {
			r->caveat = rb__arena_printf(&ex->arena,
			                             "BackendTrafficPolicy %s configures %s, which this "
			                             "model does not cover: the shares assume every ready "
			                             "endpoint passes",
			                             notes->unmodelled_by, notes->unmodelled);
			if (!r->caveat)
				rc = RB_ENOMEM;
		}
		size_t rn;
		const char *rk = overlaps.len ? rule_key(&ex->arena, key, n, d->rule, &rn) : NULL;
		if (overlaps.len && !rk) {
			rc = RB_ENOMEM;
			break;
		}
		const char *overlap = rk ? rb__map_get(&overlaps, rk, rn) : NULL;
		if (overlap && !rc) {
			const char *why = rb__arena_printf(
			    &ex->arena,
			    "%s (RouteRulesOverlap): this rule matches requests another route "
			    "matches too, and Envoy sends them to one route only: for those requests "
			    "these shares hold only if this route is the one that gets them",
			    overlap);
			r->caveat = why ? add_caveat(&ex->arena, r->caveat, why) : NULL;
			if (!r->caveat)
				rc = RB_ENOMEM;
		}
	}
	rb__map_free(&index);
	rb__map_free(&overlaps);
	return rc;
}

static int copy_targets(rb_explanation *ex, const char *const *what_if, size_t n)
{
	ex->what_if_count = n;
	ex->what_if = rb__arena_calloc(&ex->arena, n ? n : 1, sizeof(*ex->what_if));
	ex->match = rb__arena_calloc(&ex->arena, n ? n : 1, sizeof(*ex->match));
	if (!ex->what_if || !ex->match)
		return RB_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		if (!rb__what_if_target_ok(what_if[i]))
			return RB_EINVAL;
		ex->what_if[i] = rb__arena_strdup(&ex->arena, what_if[i]);
		if (!ex->what_if[i])
			return RB_ENOMEM;
	}
	return RB_OK;
}

/* "ns/name" names namespace `ns` and object `name`? */
static bool names(const char *target, const char *ns, const char *name)
{
	size_t n = strlen(ns);
	return target && !strncmp(target, ns, n) && target[n] == '/' && !strcmp(target + n + 1, name);
}

/* Does the rule pass the filters of `eo`? */
static bool selected(const rb_explain_options *eo, const rb__ir_destination *d)
{
	if (eo->namespace_ && strcmp(eo->namespace_, d->route_namespace))
		return false;
	bool route = !eo->route_count, gateway = !eo->gateway_count;
	for (size_t i = 0; i < eo->route_count && !route; i++)
		route = names(eo->routes[i], d->route_namespace, d->route_name);
	for (size_t i = 0; i < eo->gateway_count && !gateway; i++)
		gateway = eo->gateways[i] && d->gateway && !strcmp(eo->gateways[i], d->gateway);
	return route && gateway;
}

/* Keep the rules that pass the filters, in order (the others stay in the
 * results, which every rule's translation needed). */
static void keep_selected(rb_explanation *ex, const rb_explain_options *eo)
{
	if (!eo->namespace_ && !eo->route_count && !eo->gateway_count)
		return;
	size_t n = 0;
	for (size_t i = 0; i < ex->rule_count; i++)
		if (selected(eo, ex->rules[i].dest[RB_SIDE_SELECTED]))
			ex->rules[n++] = ex->rules[i];
	ex->rule_count = n;
}

int rb__explain_build(rb_explanation *ex, const rb_input *in, const rb_translate_options *opts,
                      const rb_explain_options *eo)
{
	ex->selected = *opts;
	int rc = copy_targets(ex, eo->what_if, eo->what_if_count);
	if (rc)
		return rc;
	rb__model view;
	rc = rb__model_what_if(&in->model, ex->what_if, ex->what_if_count, &ex->arena, &view, ex->match);
	if (rc)
		return rc;
	rb_translate_options up = RB_TRANSLATE_OPTIONS_INIT;
	up.mode = RB_MODE_COMPAT_ENVOY_GATEWAY;
	up.flags = opts->flags & ENVIRONMENT_FLAGS;
	up.gateway_class = opts->gateway_class; /* which Gateways are ours: the same on both sides */
	up.gateway_classes = opts->gateway_classes;
	up.gateway_class_count = opts->gateway_class_count;
	up.controller_name = opts->controller_name;
	rc = rb__translate_model(&ex->results[RB_SIDE_UPSTREAM], in, &view, &up);
	if (!rc)
		rc = rb__translate_model(&ex->results[RB_SIDE_SELECTED], in, &view, opts);
	rb__model_view_free(&view);
	if (rc)
		return rc;

	const rb__ir *sel = &ex->results[RB_SIDE_SELECTED]->ir;
	const rb__ir *ups = &ex->results[RB_SIDE_UPSTREAM]->ir;
	ex->rule_count = sel->destination_count;
	ex->rules = rb__arena_calloc(&ex->arena, ex->rule_count ? ex->rule_count : 1,
	                             sizeof(*ex->rules));
	if (!ex->rules)
		return RB_ENOMEM;
	rc = pair_twins(ex, ups, sel);
	if (rc)
		return rc;
	for (size_t i = 0; i < ex->rule_count; i++) {
		rb_explained_rule *r = &ex->rules[i];
		r->dest[RB_SIDE_SELECTED] = &sel->destinations[i];
		rc = explain_rule(ex, r);
		if (rc)
			return rc;
	}
	keep_selected(ex, eo);
	return describe_rules(ex, &in->model);
}

size_t rb__format_percent(double share, char *buf)
{
	if (!(share > 0))
		share = 0; /* also NaN */
	if (share > 1)
		share = 1;
	unsigned v = (unsigned)(share * 10000 + 0.5); /* hundredths of a percent */
	unsigned whole = v / 100, frac = v % 100;
	size_t n = 0;
	char digits[4];
	size_t nd = 0;
	do {
		digits[nd++] = (char)('0' + whole % 10);
		whole /= 10;
	} while (whole);
	while (nd)
		buf[n++] = digits[--nd];
	if (frac) {
		buf[n++] = '.';
		buf[n++] = (char)('0' + frac / 10);
		if (frac % 10)
			buf[n++] = (char)('0' + frac % 10);
	}
	buf[n] = '\0';
	return n;
}
