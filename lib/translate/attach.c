/*
 * Attachment (processAllowedListenersForParentRefs, GetReferencedListeners):
 * which listeners of a parent Gateway or ListenerSet accept a route, and the
 * Accepted condition of that parentRef. Destinations and backend statuses are
 * computed for every relevant parentRef, attached or not; they reach the data
 * plane only through a listener that is ready (listeners.c).
 *
 * Rules: [input.route.relevant] [attach.select] [attach.no-matching-parent]
 * [attach.allowed-routes] [attach.namespace-exists] [attach.kinds-by-protocol]
 * [attach.hostnames] [attach.accepted] [attach.unattached-still-evaluated]
 * [attach.not-ready-listener] [attach.l4-first-route].
 */
#include <string.h>

#include "core/strutil.h"
#include "rebalance/errors.h"
#include "translate/tr.h"


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

bool rb__namespace_exists(rb__tr *t, const char *name, const rb__namespace **ns)
{
	/*
	 * Envoy Gateway allows nothing from a namespace whose Namespace object it
	 * cannot find. Input that lists no Namespace at all is a set of manifests:
	 * every namespace is taken to exist, without labels, as egctl's file
	 * loader invents them.
	 */
	*ns = rb__find_namespace(t, name);
	return *ns || !t->m->namespaces.len;
}

bool rb__namespace_selected(rb__tr *t, const rb__label_selector *s, const char *name)
{
	const rb__namespace *ns;
	if (!rb__namespace_exists(t, name, &ns))
		return false;
	return ns ? rb__label_selector_matches(s, ns->meta.labels, ns->meta.label_count)
	          : rb__label_selector_matches(s, NULL, 0);
}

/* AllowsNamespace. `owner_ns`: the namespace of the Gateway or ListenerSet that declares the listener. */
static bool allows_namespace(rb__tr *t, const rb__listener *l, const char *owner_ns,
                             const rb__route *r)
{
	const rb__namespace *ns;
	if (!rb__namespace_exists(t, r->meta.namespace_, &ns))
		return false;
	const char *from = l->allowed_from ? l->allowed_from : "Same";
	if (!strcmp(from, "All"))
		return true;
	if (!strcmp(from, "Same"))
		return !strcmp(r->meta.namespace_, owner_ns);
	if (!strcmp(from, "Selector"))
		return l->has_allowed_selector &&
		       rb__namespace_selected(t, &l->allowed_selector, r->meta.namespace_);
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

/*
 * The hostname the route serves on the listener for one of its hostnames
 * (computeHosts): the more specific side of an intersection, or NULL when the
 * two do not intersect. An empty listener hostname takes the route's.
 */
const char *rb__served_hostname(const char *listener_host, const char *route_host)
{
	if (rb__str_empty(listener_host) || !strcmp(listener_host, route_host))
		return route_host;
	if (!hosts_intersect(listener_host, route_host))
		return NULL;
	bool wl = rb__has_prefix(listener_host, "*."), wr = rb__has_prefix(route_host, "*.");
	if (wl != wr)
		return wl ? route_host : listener_host;
	return strlen(listener_host) > strlen(route_host) ? listener_host : route_host;
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
		if (!rb__listener_allows_kind(l, r->kind) || !allows_namespace(t, l, owner->namespace_, r))
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
		rb__listener_verdict v;
		int rc = rb__listener_readiness(t, p->gateway, ls, l, &v);
		if (rc)
			return rc;
		if (!v.ready) {
			/* Accepted and counted, but this listener programs nothing (explain says why). */
			rb__ir_idle_listener *idle = rb__vec_push(t->mem, &p->idle, sizeof(*idle));
			if (!idle)
				return RB_ENOMEM;
			idle->name = l->name;
			idle->reason = v.reason;
			idle->message = v.message;
			continue;
		}
		bool ok;
		if (l4_first_route(t, p, l, &ok)) {
			p->programmed = true;
			if (!rb__vec_push_ptr(t->mem, &p->programming, l))
				return RB_ENOMEM;
		}
		if (!ok)
			return RB_ENOMEM;
	}
	return RB_OK;
}
