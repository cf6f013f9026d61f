/*
 * Attachment (SPEC.md 1.9): which listeners of a parent Gateway accept a
 * route, and the Accepted condition of that parentRef. Destinations and
 * backend statuses are computed for every relevant parentRef, attached or
 * not; they reach the data plane only through a programmed listener.
 */
#include <string.h>

#include "core/strutil.h"
#include "rebalance/errors.h"
#include "translate/tr.h"

#define GATEWAY_GROUP "gateway.networking.k8s.io"

bool rb__label_selector_matches(const rb__label_selector *s, const rb__kv *labels, size_t n)
{
	for (size_t i = 0; i < s->match_label_count; i++) {
		bool found = false;
		for (size_t j = 0; j < n && !found; j++)
			found = !strcmp(labels[j].key, s->match_labels[i].key) &&
			        !strcmp(labels[j].value, s->match_labels[i].value);
		if (!found)
			return false;
	}
	for (size_t i = 0; i < s->match_expression_count; i++) {
		const rb__label_requirement *r = &s->match_expressions[i];
		const char *value = NULL;
		for (size_t j = 0; j < n && !value; j++)
			if (!strcmp(labels[j].key, r->key))
				value = labels[j].value;
		bool in = false;
		for (size_t k = 0; value && k < r->value_count && !in; k++)
			in = !strcmp(value, r->values[k]);
		bool ok;
		if (!strcmp(r->op, "In"))
			ok = in;
		else if (!strcmp(r->op, "NotIn"))
			ok = !in;
		else if (!strcmp(r->op, "Exists"))
			ok = value != NULL;
		else if (!strcmp(r->op, "DoesNotExist"))
			ok = value == NULL;
		else
			ok = false; /* an unknown operator selects nothing */
		if (!ok)
			return false;
	}
	return true;
}

/* Route kinds a listener protocol can carry (SPEC.md 1.9). */
static bool protocol_supports(const rb__listener *l, rb__route_kind k)
{
	const char *p = l->protocol;
	if (!strcmp(p, "HTTP") || !strcmp(p, "HTTPS"))
		return k == RB_ROUTE_HTTP || k == RB_ROUTE_GRPC;
	if (!strcmp(p, "TLS")) {
		if (l->tls_mode && !strcmp(l->tls_mode, "Passthrough"))
			return k == RB_ROUTE_TLS;
		return k == RB_ROUTE_TCP || k == RB_ROUTE_TLS;
	}
	if (!strcmp(p, "TCP"))
		return k == RB_ROUTE_TCP;
	if (!strcmp(p, "UDP"))
		return k == RB_ROUTE_UDP;
	return false;
}

static bool allows_kind(const rb__listener *l, rb__route_kind k)
{
	if (!protocol_supports(l, k))
		return false;
	if (!l->allowed_kind_count)
		return true;
	/* Nothing defaults the group here: a kind listed without one never matches
	 * (tlsroute-invalid-reference-grant: NotAllowedByListeners). */
	for (size_t i = 0; i < l->allowed_kind_count; i++) {
		const rb__group_kind *gk = &l->allowed_kinds[i];
		if (rb__str_eq(gk->group, GATEWAY_GROUP) && !strcmp(gk->kind, rb__route_kind_name(k)))
			return true;
	}
	return false;
}

/* `owner_ns`: the namespace of the Gateway or ListenerSet that declares the listener. */
static bool allows_namespace(rb__tr *t, const rb__listener *l, const char *owner_ns,
                             const rb__route *r)
{
	const char *from = l->allowed_from ? l->allowed_from : "Same";
	if (!strcmp(from, "All"))
		return true;
	if (!strcmp(from, "Same"))
		return !strcmp(r->meta.namespace_, owner_ns);
	if (!strcmp(from, "Selector")) {
		if (!l->has_allowed_selector)
			return false;
		const rb__namespace *ns = rb__find_namespace(t, r->meta.namespace_);
		if (!ns)
			return false;
		return rb__label_selector_matches(&l->allowed_selector, ns->meta.labels,
		                                  ns->meta.label_count);
	}
	return false;
}

/* Gateway API hostname intersection: exact, or a wildcard covering the other side. */
static bool wildcard_covers(const char *wild, const char *host)
{
	/* "*.example.com" covers "a.example.com" and "a.b.example.com", not "example.com". */
	const char *suffix = wild + 1;
	size_t ns = strlen(suffix), nh = strlen(host);
	return nh > ns && !strcmp(host + nh - ns, suffix);
}

static bool hosts_intersect(const char *a, const char *b)
{
	if (!strcmp(a, b))
		return true;
	bool wa = rb__has_prefix(a, "*."), wb = rb__has_prefix(b, "*.");
	if (wa && !wb)
		return wildcard_covers(a, b);
	if (wb && !wa)
		return wildcard_covers(b, a);
	if (wa && wb)
		return wildcard_covers(a, b + 1) || wildcard_covers(b, a + 1) || !strcmp(a, b);
	return false;
}

static bool hostname_matches(const rb__listener *l, const rb__route *r)
{
	if (r->kind == RB_ROUTE_TCP || r->kind == RB_ROUTE_UDP)
		return true;
	if (!l->hostname || !l->hostname[0] || !r->hostname_count)
		return true;
	for (size_t i = 0; i < r->hostname_count; i++)
		if (hosts_intersect(l->hostname, r->hostnames[i]))
			return true;
	return false;
}

/*
 * A listener that terminates TLS is ready only when its certificate Secrets
 * resolve: a Secret (core group) in the Gateway's namespace or granted to it,
 * of type kubernetes.io/tls with tls.crt and tls.key. A listener that is not
 * ready still counts attached routes but programs none (SPEC.md 1.9).
 */
static const rb__secret *find_secret(rb__tr *t, const char *ns, const char *name)
{
	const rb__vec *v = &t->m->secrets;
	const rb__secret *found = NULL;
	for (size_t i = 0; i < v->len; i++) {
		const rb__secret *s = RB_VEC_AT(v, const rb__secret *, i);
		if (!strcmp(s->meta.namespace_, ns) && !strcmp(s->meta.name, name))
			found = s; /* the last definition wins */
	}
	return found;
}

static bool certificate_ref_ok(rb__tr *t, const rb__objmeta *owner, const char *owner_kind,
                               const rb__secret_ref *ref)
{
	if (!rb__str_empty(ref->group) || (ref->kind && strcmp(ref->kind, "Secret")))
		return false;
	const char *ns = rb__str_empty(ref->namespace_) ? owner->namespace_ : ref->namespace_;
	if (strcmp(ns, owner->namespace_) &&
	    !rb__grant_permits(t, owner_kind, owner->namespace_, "", "Secret", ns, ref->name))
		return false;
	const rb__secret *s = find_secret(t, ns, ref->name);
	if (!s)
		return t->o->assume_secrets; /* a dump without Secrets: trust the reference */
	return rb__str_eq(s->type, "kubernetes.io/tls") && s->has_tls_crt && s->has_tls_key;
}

static bool listener_ready(rb__tr *t, const rb__objmeta *owner, const char *owner_kind,
                           const rb__listener *l)
{
	bool terminates = !strcmp(l->protocol, "HTTPS") ||
	                  (!strcmp(l->protocol, "TLS") && !rb__str_eq(l->tls_mode, "Passthrough"));
	if (!terminates)
		return true;
	if (!l->certificate_ref_count)
		return false;
	for (size_t i = 0; i < l->certificate_ref_count; i++)
		if (!certificate_ref_ok(t, owner, owner_kind, &l->certificate_refs[i]))
			return false;
	return true;
}

/* TCP and UDP listeners program only the first route attached to them. */
static bool l4_first_route(rb__tr *t, const rb__parent *p, const rb__listener *l, bool *ok)
{
	*ok = true;
	if (p->route->kind != RB_ROUTE_TCP && p->route->kind != RB_ROUTE_UDP)
		return true;
	const rb__objmeta *owner = p->listener_set ? &p->listener_set->meta : &p->gateway->meta;
	const char *key = rb__arena_printf(&t->scratch, "%s:%s/%s/%s", p->listener_set ? "LS" : "G",
	                                   owner->namespace_, owner->name, l->name);
	void **slot = key ? rb__map_slot_for(&t->l4_listener_owner, key, strlen(key)) : NULL;
	if (!slot) {
		*ok = false;
		return false;
	}
	if (!*slot)
		*slot = (void *)(uintptr_t)p->route;
	return *slot == (void *)(uintptr_t)p->route;
}

int rb__attach(rb__tr *t, rb__parent *p)
{
	const rb__route *r = p->route;
	const rb__parent_ref *ref = p->ref;
	/* A ListenerSet parent offers its own listeners, in its own namespace. */
	const rb__listener_set *ls = p->listener_set;
	const rb__objmeta *owner = ls ? &ls->meta : &p->gateway->meta;
	const char *owner_kind = ls ? "XListenerSet" : "Gateway";
	const rb__listener *listeners = ls ? ls->listeners : p->gateway->listeners;
	size_t listener_count = ls ? ls->listener_count : p->gateway->listener_count;
	bool any_selected = false, any_allowed = false;
	for (size_t i = 0; i < listener_count; i++) {
		const rb__listener *l = &listeners[i];
		if (ref->section_name && strcmp(ref->section_name, l->name))
			continue;
		if (ref->has_port && (!l->has_port || l->port != ref->port))
			continue;
		any_selected = true;
		if (!allows_kind(l, r->kind) || !allows_namespace(t, l, owner->namespace_, r))
			continue;
		any_allowed = true;
		if (!hostname_matches(l, r))
			continue;
		if (!rb__vec_push_ptr(t->mem, &p->listeners, l))
			return RB_ENOMEM;
	}
	if (!any_selected) {
		p->accepted_reason = "NoMatchingParent";
		p->accepted_message = "No listeners match this parent ref";
		return RB_OK;
	}
	if (!any_allowed) {
		p->accepted_reason = "NotAllowedByListeners";
		p->accepted_message = "No listeners included by this parent ref allowed this attachment.";
		return RB_OK;
	}
	if (!p->listeners.len) {
		p->accepted_reason = "NoMatchingListenerHostname";
		p->accepted_message = rb__arena_printf(
			t->out,
			"There were no hostname intersections between the %s and this parent ref's "
			"Listener(s).",
			rb__route_kind_name(r->kind));
		return p->accepted_message ? RB_OK : RB_ENOMEM;
	}
	p->accepted = true;
	p->accepted_reason = "Accepted";
	p->accepted_message = "Route is accepted";
	for (size_t i = 0; i < p->listeners.len; i++) {
		const rb__listener *l = RB_VEC_AT(&p->listeners, const rb__listener *, i);
		if (!listener_ready(t, owner, owner_kind, l))
			continue;
		bool ok;
		if (l4_first_route(t, p, l, &ok))
			p->programmed = true;
		if (!ok)
			return RB_ENOMEM;
	}
	return RB_OK;
}
