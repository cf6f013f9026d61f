/*
 * The translation's warnings: what makes a result look like an outage or an
 * empty answer when the input, not the cluster, is the cause. Envoy Gateway
 * sees the whole cluster; a file or a `kubectl get` dump may lack what its
 * provider would have read, or name a class that is not ours. Each warning
 * points at the object it is about (source, line, column, JSON pointer).
 *
 *  - no class of ours in the input and none named: the fallback class is
 *    used, and the Gateways use others (which, and how to pick one);
 *  - nothing reached a Gateway of ours (the classes seen and used);
 *  - a route whose parentRefs name no Gateway of ours (or only Gateways
 *    rejected for mergeGateways with mergeBackends);
 *  - a Service without any EndpointSlice (with legacy Endpoints, or none);
 *  - a listener certificate Secret absent from the input (unless assumed).
 *
 * Rules: [warn.no-endpoint-slices] [warn.secret-absent] [warn.route-not-ours]
 * [warn.class] [warn.duplicate-object].
 */
#include <stdio.h>
#include <string.h>

#include "core/strutil.h"
#include "core/suggest.h"
#include "rebalance/errors.h"
#include "rebalance/options.h"
#include "translate/tr.h"


static int warn_at(rb__tr *t, const rb__objmeta *meta, const char *sub_path, const char *msg)
{
	rb__diags *w = t->o->warnings;
	const rb__origin *o = &meta->origin;
	const char *at = rb__origin_path(o);
	char *raw = o->has_index ? rb__arena_printf(w->arena, "%s/%zu%s", at, (size_t)o->index, sub_path)
	                         : rb__arena_printf(w->arena, "%s%s", at, sub_path);
	char *path = raw ? rb__escape_dup(w->arena, raw) : NULL;
	if (!path || !rb__diag_add(w, RB_OK, rb__origin_source(o), o->line, o->column, 0,
	                           path, "%s", msg))
		return RB_ENOMEM;
	return RB_OK;
}

/* "\"a\", \"b\"" (escaped, at most a few, then "..."). */
static void join_names(char *out, size_t cap, const char *const *names, size_t n)
{
	size_t o = 0;
	out[0] = '\0';
	for (size_t i = 0; i < n && o + 8 < cap; i++) {
		char esc[96];
		rb__escape_text(esc, sizeof esc, names[i], strlen(names[i]));
		int k = snprintf(out + o, cap - o, "%s\"%s\"", i ? ", " : "", esc);
		if (k < 0 || (size_t)k >= cap - o) {
			snprintf(out + o, cap - o, "...");
			return;
		}
		o += (size_t)k;
	}
}

/* The distinct class names the Gateways use, not ours, in input order. */
static size_t foreign_classes(rb__tr *t, const char **out, size_t cap)
{
	size_t n = 0;
	const rb__vec *v = &t->m->gateways;
	for (size_t i = 0; i < v->len && n < cap; i++) {
		const char *c = RB_VEC_AT(v, const rb__gateway *, i)->gateway_class_name;
		c = c ? c : "";
		if (rb__class_is_ours(t, c))
			continue;
		bool seen = false;
		for (size_t j = 0; j < n && !seen; j++)
			seen = !strcmp(out[j], c);
		if (!seen)
			out[n++] = c;
	}
	return n;
}

static const rb__gateway *first_foreign_gateway(rb__tr *t)
{
	const rb__vec *v = &t->m->gateways;
	for (size_t i = 0; i < v->len; i++) {
		const rb__gateway *g = RB_VEC_AT(v, const rb__gateway *, i);
		if (!rb__class_is_ours(t, g->gateway_class_name))
			return g;
	}
	return NULL;
}

static int class_warnings(rb__tr *t, size_t route_count)
{
	enum { MAX_SHOWN = 8 };
	const char *seen[MAX_SHOWN];
	size_t n = foreign_classes(t, seen, MAX_SHOWN);
	char seen_s[512], ours_s[512], msg[1400];
	join_names(seen_s, sizeof seen_s, seen, n);
	join_names(ours_s, sizeof ours_s, t->our_classes, t->our_class_count);
	const rb__gateway *g = first_foreign_gateway(t);
	int rc = RB_OK;
	if (t->class_fallback && g) {
		snprintf(
		    msg, sizeof msg,
		    "no GatewayClass of controller %s in the input and no class named: using "
		    "class %s, but the Gateways use class %s; pick one with --gateway-class NAME "
		    "(or add its GatewayClass)",
		    t->o->controller_name ? t->o->controller_name : RB_DEFAULT_CONTROLLER_NAME,
		    ours_s, seen_s);
		rc = warn_at(t, &g->meta, "/spec/gatewayClassName", msg);
	}
	if (!rc && route_count && !t->dests.len) {
		const rb__route *r = NULL;
		for (int k = 0; k < RB_ROUTE_KIND_COUNT && !r; k++)
			if (t->m->routes[k].len)
				r = RB_VEC_AT(&t->m->routes[k], const rb__route *, 0);
		if (n)
			snprintf(
			    msg, sizeof msg,
			    "no route rule reaches a Gateway of ours: ours are of class %s, the "
			    "input's other Gateways of class %s; pick a class with "
			    "--gateway-class NAME",
			    ours_s, seen_s);
		else
			snprintf(msg, sizeof msg,
			         "no route rule reaches a Gateway of ours (class %s): the route "
			         "statuses say why; --gateway-class NAME adds a class",
			         ours_s);
		rc = warn_at(t, &r->meta, "", msg);
	}
	return rc;
}

/* Why a Gateway parentRef is not ours, or NULL when it is (or is no Gateway ref). */
static bool describe_parent(rb__tr *t, const rb__route *r, const rb__parent_ref *ref, char *out,
                            size_t cap)
{
	if ((ref->group && strcmp(ref->group, RB_GROUP_GATEWAY)) ||
	    (ref->kind && strcmp(ref->kind, RB_KIND_GATEWAY)))
		return false; /* a ListenerSet: its own rules */
	const char *ns = rb__str_empty(ref->namespace_) ? r->meta.namespace_ : ref->namespace_;
	const rb__gateway *g = rb__find_gateway(t, ns, ref->name);
	bool ours_class = g && rb__class_is_ours(t, g->gateway_class_name);
	if (ours_class && !rb__merge_backends_rejects(t, g))
		return false; /* the usual case: nothing to say, nothing to format */
	char esc_ns[96], esc_name[96], ours[512];
	rb__escape_text(esc_ns, sizeof esc_ns, ns, strlen(ns));
	rb__escape_text(esc_name, sizeof esc_name, ref->name, strlen(ref->name));
	join_names(ours, sizeof ours, t->our_classes, t->our_class_count);
	if (!g) {
		snprintf(out, cap, "Gateway %s/%s is not in the input", esc_ns, esc_name);
		return true;
	}
	if (ours_class) {
		snprintf(out, cap,
		         "Gateway %s/%s is rejected: its EnvoyProxy settings turn on both mergeGateways "
		         "and mergeBackends, which Envoy Gateway does not allow (InvalidParameters)",
		         esc_ns, esc_name);
		return true;
	}
	char esc_class[96];
	const char *c = g->gateway_class_name ? g->gateway_class_name : "";
	rb__escape_text(esc_class, sizeof esc_class, c, strlen(c));
	snprintf(out, cap, "Gateway %s/%s has class \"%s\", not ours (%s; see --gateway-class)",
	         esc_ns, esc_name, esc_class, ours);
	return true;
}

static int route_warnings(rb__tr *t, const rb__route *r)
{
	if (!r->parent_ref_count)
		return RB_OK;
	char why[1024];
	bool first = true;
	for (size_t i = 0; i < r->parent_ref_count; i++) {
		char tmp[1024];
		if (!describe_parent(t, r, &r->parent_refs[i], tmp, sizeof tmp))
			return RB_OK; /* one parent may be ours: attachment decides */
		if (first)
			memcpy(why, tmp, sizeof why);
		first = false;
	}
	char esc_ns[96], esc_name[96], msg[1400];
	rb__escape_text(esc_ns, sizeof esc_ns, r->meta.namespace_, strlen(r->meta.namespace_));
	rb__escape_text(esc_name, sizeof esc_name, r->meta.name, strlen(r->meta.name));
	snprintf(msg, sizeof msg, "%s %s/%s names no Gateway of ours: %s%s",
	         rb__route_kind_name(r->kind), esc_ns, esc_name, why,
	         r->parent_ref_count > 1 ? " (and so do its other parentRefs)" : "");
	return warn_at(t, &r->meta, "/spec/parentRefs", msg);
}

/* An earlier copy of a route defined twice (route_copies.c). */
static int route_copy_warning(rb__tr *t, const rb__route *r)
{
	const rb__route *last = rb__route_last_copy(t, r);
	if (last == r)
		return RB_OK;
	char esc_ns[96], esc_name[96], esc_src[300], msg[1400];
	const char *src = rb__origin_source(&last->meta.origin);
	rb__escape_text(esc_ns, sizeof esc_ns, r->meta.namespace_, strlen(r->meta.namespace_));
	rb__escape_text(esc_name, sizeof esc_name, r->meta.name, strlen(r->meta.name));
	rb__escape_text(esc_src, sizeof esc_src, src, strlen(src));
	snprintf(msg, sizeof msg,
	         "%s %s/%s is defined again at %s:%u: both copies are translated, as Envoy "
	         "Gateway translates such a file, and the route's status is the later copy's; "
	         "in a cluster the later one replaces this one",
	         rb__route_kind_name(r->kind), esc_ns, esc_name, esc_src,
	         (unsigned)last->meta.origin.line);
	return warn_at(t, &r->meta, "", msg);
}

/* The legacy Endpoints by "ns/name" (keys in the scratch arena). */
static int index_legacy_endpoints(rb__tr *t, rb__map *out)
{
	const rb__vec *v = &t->m->legacy_endpoints;
	for (size_t i = 0; i < v->len; i++) {
		const rb__legacy_endpoints *e = RB_VEC_AT(v, const rb__legacy_endpoints *, i);
		const char *k = rb__key2(t, e->meta.namespace_, e->meta.name);
		if (!k || !rb__map_put(out, k, strlen(k), (void *)(uintptr_t)e))
			return RB_ENOMEM;
	}
	return RB_OK;
}

static bool has_legacy_endpoints(const rb__map *eps, const rb__service *s)
{
	char key[1024];
	int n = rb__tr_key(key, sizeof key, "", s->meta.namespace_, s->meta.name);
	return n >= 0 && rb__map_get(eps, key, (size_t)n) != NULL;
}

static int services_without_slices(rb__tr *t, const rb__map *eps)
{
	const rb__vec *v = &t->m->services;
	for (size_t i = 0; i < v->len; i++) {
		const rb__service *s = RB_VEC_AT(v, const rb__service *, i);
		if (rb__str_eq(s->type, "ExternalName"))
			continue; /* never has endpoints */
		const rb__vec *slices = rb__find_slices(t, RB_BACKEND_SERVICE, s->meta.namespace_, s->meta.name);
		if (slices && slices->len)
			continue;
		char esc_ns[96], esc_name[96], msg[600];
		rb__escape_text(esc_ns, sizeof esc_ns, s->meta.namespace_,
		                strlen(s->meta.namespace_));
		rb__escape_text(esc_name, sizeof esc_name, s->meta.name, strlen(s->meta.name));
		snprintf(
		    msg, sizeof msg,
		    "Service %s/%s has no EndpointSlice in the input%s: it counts as having no "
		    "endpoints",
		    esc_ns, esc_name,
		    has_legacy_endpoints(eps, s) ? " (only legacy Endpoints, which are not read)"
		                                 : "");
		int rc = warn_at(t, &s->meta, "", msg);
		if (rc)
			return rc;
	}
	return RB_OK;
}

static int service_warnings(rb__tr *t)
{
	const rb__vec *v = &t->m->services;
	if (!v->len)
		return RB_OK;
	if (!t->m->endpoint_slices.len) {
		/* One warning, not one per Service of a whole-cluster dump. */
		const rb__service *s = RB_VEC_AT(v, const rb__service *, 0);
		return warn_at(
		    t, &s->meta, "",
		    "the input has no EndpointSlice (discovery.k8s.io/v1): every Service "
		    "counts as having no endpoints; add endpointslices to what you dump");
	}
	rb__map eps;
	rb__map_init(&eps, t->mem);
	int rc = index_legacy_endpoints(t, &eps);
	if (!rc)
		rc = services_without_slices(t, &eps);
	rb__map_free(&eps);
	return rc;
}

/* The certificate Secrets of one owner's listeners (a Gateway or a ListenerSet). */
static int listener_secret_warnings(rb__tr *t, const rb__objmeta *owner, const rb__listener *ls,
                                    size_t count)
{
	for (size_t l = 0; l < count; l++) {
		const rb__listener *li = &ls[l];
		for (size_t c = 0; c < li->certificate_ref_count; c++) {
			const rb__secret_ref *ref = &li->certificate_refs[c];
			if (!rb__str_empty(ref->group) ||
			    (ref->kind && strcmp(ref->kind, "Secret")))
				continue;
			const char *ns =
			    rb__str_empty(ref->namespace_) ? owner->namespace_ : ref->namespace_;
			if (rb__find_secret(t, ns, ref->name))
				continue;
			char esc_ns[96], esc_name[96], esc_l[96], msg[700], sub[96];
			rb__escape_text(esc_ns, sizeof esc_ns, ns, strlen(ns));
			rb__escape_text(esc_name, sizeof esc_name, ref->name, strlen(ref->name));
			rb__escape_text(esc_l, sizeof esc_l, li->name, strlen(li->name));
			/* With other certificates the listener may still be programmed
			 * (listeners.c: one usable certificate is enough). */
			snprintf(
			    msg, sizeof msg,
			    "listener \"%s\" needs Secret %s/%s, which is not in the input: %s (for a "
			    "dump without Secrets, use --assume-secrets)",
			    esc_l, esc_ns, esc_name,
			    li->certificate_ref_count > 1
			        ? "that certificate is left out, and without another usable one the "
			          "listener is not programmed"
			        : "the listener is not programmed and its routes get no destination");
			snprintf(sub, sizeof sub, "/spec/listeners/%zu/tls/certificateRefs/%zu", l,
			         c);
			int rc = warn_at(t, owner, sub, msg);
			if (rc)
				return rc;
		}
	}
	return RB_OK;
}

static int secret_warnings(rb__tr *t)
{
	if (t->o->assume_secrets)
		return RB_OK;
	int rc = RB_OK;
	const rb__vec *gws = &t->m->gateways;
	for (size_t i = 0; i < gws->len && !rc; i++) {
		const rb__gateway *g = RB_VEC_AT(gws, const rb__gateway *, i);
		if (rb__class_is_ours(t, g->gateway_class_name))
			rc = listener_secret_warnings(t, &g->meta, g->listeners, g->listener_count);
	}
	/* ListenerSets whose parent is a Gateway of ours (whether it accepts them or not). */
	const rb__vec *sets = &t->m->listener_sets;
	for (size_t i = 0; i < sets->len && !rc; i++) {
		const rb__listener_set *ls = RB_VEC_AT(sets, const rb__listener_set *, i);
		const char *ns = rb__str_empty(ls->parent_namespace) ? ls->meta.namespace_
		                                                     : ls->parent_namespace;
		const rb__gateway *g =
		    ls->parent_name ? rb__find_gateway(t, ns, ls->parent_name) : NULL;
		if (g && rb__class_is_ours(t, g->gateway_class_name))
			rc = listener_secret_warnings(t, &ls->meta, ls->listeners,
			                              ls->listener_count);
	}
	return rc;
}

int rb__translation_warnings(rb__tr *t)
{
	size_t route_count = 0;
	for (int k = 0; k < RB_ROUTE_KIND_COUNT; k++)
		route_count += t->m->routes[k].len;
	int rc = class_warnings(t, route_count);
	for (int k = 0; k < RB_ROUTE_KIND_COUNT && !rc; k++) {
		const rb__vec *routes = &t->m->routes[k];
		for (size_t i = 0; i < routes->len && !rc; i++)
			rc = route_warnings(t, RB_VEC_AT(routes, const rb__route *, i));
		for (size_t i = 0; i < routes->len && !rc; i++)
			rc = route_copy_warning(t, RB_VEC_AT(routes, const rb__route *, i));
	}
	if (!rc)
		rc = service_warnings(t);
	if (!rc)
		rc = secret_warnings(t);
	return rc;
}
