/*
 * Listener readiness: may a listener program the routes attached to it?
 * Envoy Gateway decides it in ProcessListeners, in three phases:
 *
 *   1. validateListenerSpec: allowed namespaces, allowed route kinds (or an
 *      unsupported protocol), TLS configuration and certificate Secrets,
 *      hostname. A failure makes the listener invalid.
 *   2. the conflict checks (validateConflictedProtocolsListeners,
 *      validateConflictedHostnameListeners, validateConflictedLayer4Listeners)
 *      among the listeners that passed phase 1, on the same port.
 *   3. only a listener with Programmed=True is added to the xDS IR.
 *
 * Attachment is decided elsewhere (attach.c) and does not depend on any of
 * this: a route on a listener that is not ready is Accepted and counted in
 * attachedRoutes, but gets no destination. docs/listeners.md tells users.
 *
 * The lookups a verdict makes (Gateways, Namespaces, ReferenceGrants) are
 * dependencies of every route that reads it, for the incremental engine (see
 * the cache at the end). Secrets and ListenerSets are kinds whose changes make
 * the engine translate everything.
 *
 * Rules: [listener.spec-checks] [listener.kinds-group] [listener.certificates]
 * [listener.conflict.ignore-invalid] [listener.conflict.protocol]
 * [listener.conflict.hostname] [listener.conflict.l4]
 * [listener.listenerset.admit] [listener.listenerset.precedence]
 * [listener.merge-gateways] [listener.unnamed].
 */
#include "core/invariant.h"
#include "core/strutil.h"
#include "rebalance/errors.h"
#include "translate/tr.h"

#include <string.h>


/* ---- which ListenerSets a Gateway takes in (processListenerSet) ---- */

/* Does the Gateway accept ListenerSets from this namespace (spec.allowedListeners; none by
 * default)? */
static bool allows_listener_set(rb__tr *t, const rb__gateway *g, const rb__listener_set *ls)
{
	const char *from = g->allowed_listeners_from;
	if (rb__str_eq(from, "All"))
		return true;
	if (rb__str_eq(from, "Same"))
		return !strcmp(ls->meta.namespace_, g->meta.namespace_);
	if (rb__str_eq(from, "Selector") && g->has_allowed_listeners_selector)
		return rb__namespace_selected(t, &g->allowed_listeners_selector,
		                              ls->meta.namespace_);
	return false;
}

const rb__gateway *rb__listener_set_gateway(rb__tr *t, const rb__listener_set *ls)
{
	if ((ls->parent_kind && strcmp(ls->parent_kind, RB_KIND_GATEWAY)) ||
	    (ls->parent_group && strcmp(ls->parent_group, RB_GROUP_GATEWAY)))
		return NULL;
	const char *gns =
	    rb__str_empty(ls->parent_namespace) ? ls->meta.namespace_ : ls->parent_namespace;
	const rb__gateway *g = rb__our_gateway(t, gns, ls->parent_name);
	return g && allows_listener_set(t, g, ls) ? g : NULL;
}

/* ---- route kinds (validateAllowedRoutes, AllowsKind) ---- */

static bool known_protocol(const char *p)
{
	return !strcmp(p, "HTTP") || !strcmp(p, "HTTPS") || !strcmp(p, "TLS") ||
	       !strcmp(p, "TCP") || !strcmp(p, "UDP");
}

/* Route kinds a listener protocol can carry (allowedRouteKindsForProtocol). */
static bool protocol_supports(const rb__listener *l, rb__route_kind k)
{
	const char *p = l->protocol;
	if (!strcmp(p, "HTTP") || !strcmp(p, "HTTPS"))
		return k == RB_ROUTE_HTTP || k == RB_ROUTE_GRPC;
	if (!strcmp(p, "TLS")) {
		if (rb__str_eq(l->tls_mode, "Passthrough"))
			return k == RB_ROUTE_TLS;
		return k == RB_ROUTE_TCP || k == RB_ROUTE_TLS;
	}
	if (!strcmp(p, "TCP"))
		return k == RB_ROUTE_TCP;
	if (!strcmp(p, "UDP"))
		return k == RB_ROUTE_UDP;
	return false;
}

static int route_kind_of(const char *name)
{
	for (int k = 0; k < RB_ROUTE_KIND_COUNT; k++)
		if (!strcmp(name, rb__route_kind_name((rb__route_kind)k)))
			return k;
	return -1;
}

/*
 * An allowedRoutes.kinds entry is kept in supportedKinds when its group is
 * absent or the Gateway API group, and its kind is one the protocol carries.
 * An absent group stands for the Gateway API group (the CRD default; Envoy
 * Gateway's GroupDerefOr). An empty group "" is present and differs.
 */
static bool kind_entry_valid(const rb__listener *l, const rb__group_kind *gk)
{
	if (gk->group && strcmp(gk->group, RB_GROUP_GATEWAY))
		return false;
	int k = route_kind_of(gk->kind);
	return k >= 0 && protocol_supports(l, (rb__route_kind)k);
}

bool rb__listener_allows_kind(const rb__listener *l, rb__route_kind k)
{
	if (!protocol_supports(l, k))
		return false;
	if (!l->allowed_kind_count)
		return true;
	for (size_t i = 0; i < l->allowed_kind_count; i++) {
		const rb__group_kind *gk = &l->allowed_kinds[i];
		if (kind_entry_valid(l, gk) && !strcmp(gk->kind, rb__route_kind_name(k)))
			return true;
	}
	return false;
}

/* ---- phase 1: the listener on its own ---- */

static bool fail(rb__listener_verdict *v, const char *reason, const char *message)
{
	v->ready = false;
	v->reason = reason;
	v->message = message ? message : reason; /* out of memory for the details */
	return true;
}

/* A namespace selector that Kubernetes' LabelSelectorAsSelector would refuse. */
static bool selector_invalid(const rb__label_selector *s)
{
	for (size_t i = 0; i < s->match_expression_count; i++) {
		const rb__label_requirement *r = &s->match_expressions[i];
		bool set_op = !strcmp(r->op, "In") || !strcmp(r->op, "NotIn");
		bool exist_op = !strcmp(r->op, "Exists") || !strcmp(r->op, "DoesNotExist");
		if ((!set_op && !exist_op) || (set_op && !r->value_count) ||
		    (exist_op && r->value_count))
			return true;
	}
	return false;
}

/* Why a certificate reference cannot be used (validateTerminateModeAndGetTLSSecrets). */
typedef enum cert_problem {
	CERT_OK = 0,
	CERT_UNSUPPORTED_KIND,
	CERT_NOT_PERMITTED,
	CERT_MISSING,
	CERT_WRONG_TYPE,
	CERT_NO_KEY_PAIR
} cert_problem;

static cert_problem certificate_ref_problem(rb__tr *t, const rb__objmeta *owner,
                                            const char *owner_kind, const rb__secret_ref *ref,
                                            const char **ns_out)
{
	const char *ns = rb__str_empty(ref->namespace_) ? owner->namespace_ : ref->namespace_;
	*ns_out = ns;
	if (!rb__str_empty(ref->group) || (ref->kind && strcmp(ref->kind, "Secret")))
		return CERT_UNSUPPORTED_KIND;
	/* The grant is looked for from the kind that declares the listener. */
	if (strcmp(ns, owner->namespace_) &&
	    !rb__grant_permits(t, owner_kind, owner->namespace_, "", "Secret", ns, ref->name))
		return CERT_NOT_PERMITTED;
	const rb__secret *s = rb__find_secret(t, ns, ref->name);
	if (!s) /* --assume-secrets: a dump without Secrets, trust the reference */
		return t->o->assume_secrets ? CERT_OK : CERT_MISSING;
	if (!rb__str_eq(s->type, "kubernetes.io/tls"))
		return CERT_WRONG_TYPE;
	return s->has_tls_crt && s->has_tls_key ? CERT_OK : CERT_NO_KEY_PAIR;
}

static const char *certificate_message(rb__tr *t, cert_problem p, const char *ns,
                                       const rb__secret_ref *ref)
{
	const char *m;
	switch (p) {
	case CERT_UNSUPPORTED_KIND:
		m = rb__arena_printf(t->out, "Certificate ref %s/%s is not a core Secret.", ns,
		                     ref->name);
		break;
	case CERT_NOT_PERMITTED:
		m = rb__arena_printf(
		    t->out, "Certificate ref to secret %s/%s not permitted by any ReferenceGrant.",
		    ns, ref->name);
		break;
	case CERT_MISSING:
		m = rb__arena_printf(t->out, "Secret %s/%s does not exist.", ns, ref->name);
		break;
	case CERT_WRONG_TYPE:
		m = rb__arena_printf(t->out, "Secret %s/%s must be of type kubernetes.io/tls.", ns,
		                     ref->name);
		break;
	default:
		m = rb__arena_printf(t->out, "Secret %s/%s must contain tls.crt and tls.key.", ns,
		                     ref->name);
		break;
	}
	return m ? m : "invalid certificate reference";
}

/*
 * A terminating listener needs at least one usable certificate: with some
 * refs broken it is still programmed (PartiallyInvalidCertificateRef) and
 * serves the good ones; with none usable it is not. The reason is
 * RefNotPermitted only when every ref lacked a ReferenceGrant.
 */
static bool certificates_error(rb__tr *t, const rb__objmeta *owner, const char *owner_kind,
                               const rb__listener *l, rb__listener_verdict *v)
{
	if (!l->certificate_ref_count)
		return fail(v, "Invalid", "Listener must have at least 1 TLS certificate ref.");
	bool all_not_permitted = true;
	cert_problem first = CERT_OK;
	const char *first_ns = NULL;
	for (size_t i = 0; i < l->certificate_ref_count; i++) {
		const char *ns;
		cert_problem p =
		    certificate_ref_problem(t, owner, owner_kind, &l->certificate_refs[i], &ns);
		if (p == CERT_OK)
			return false; /* one usable certificate is enough */
		all_not_permitted = all_not_permitted && p == CERT_NOT_PERMITTED;
		if (first == CERT_OK) {
			first = p;
			first_ns = ns;
		}
	}
	return fail(v, all_not_permitted ? RB_REASON_REF_NOT_PERMITTED : "InvalidCertificateRef",
	            certificate_message(t, first, first_ns, &l->certificate_refs[0]));
}

/* validateTLSConfiguration */
static bool tls_error(rb__tr *t, const rb__objmeta *owner, const char *owner_kind,
                      const rb__listener *l, rb__listener_verdict *v)
{
	const char *p = l->protocol;
	if (!strcmp(p, "HTTP") || !strcmp(p, "TCP") || !strcmp(p, "UDP"))
		return l->has_tls &&
		       fail(v, "Invalid",
		            rb__arena_printf(
		                t->out, "Listener must not have TLS set when protocol is %s.", p));
	if (!l->has_tls)
		return fail(
		    v, "Invalid",
		    rb__arena_printf(t->out, "Listener must have TLS set when protocol is %s.", p));
	if (!strcmp(p, "HTTPS")) {
		if (l->tls_mode && strcmp(l->tls_mode, "Terminate"))
			return fail(v, "UnsupportedTLSMode",
			            rb__arena_printf(
			                t->out,
			                "TLS %s mode is not supported, TLS mode must be Terminate.",
			                l->tls_mode));
		return certificates_error(t, owner, owner_kind, l, v);
	}
	/* TLS: Passthrough carries no certificate; anything else terminates. */
	if (rb__str_eq(l->tls_mode, "Passthrough"))
		return l->certificate_ref_count && fail(v, "Invalid",
		                                        "Listener must not have TLS certificate "
		                                        "refs set for TLS mode Passthrough.");
	return certificates_error(t, owner, owner_kind, l, v);
}

/* validateListenerSpec: true (and *v filled in) when the listener is invalid on its own. */
static bool spec_error(rb__tr *t, const rb__objmeta *owner, const char *owner_kind,
                       const rb__listener *l, rb__listener_verdict *v)
{
	if (rb__str_eq(l->allowed_from, "Selector") &&
	    (!l->has_allowed_selector || selector_invalid(&l->allowed_selector)))
		return fail(v, "Invalid",
		            "The allowedRoutes.namespaces.selector is missing or invalid.");
	if (!known_protocol(l->protocol))
		return fail(v, "UnsupportedProtocol",
		            rb__arena_printf(t->out, "Protocol %s is unsupported.", l->protocol));
	for (size_t i = 0; i < l->allowed_kind_count; i++)
		if (!kind_entry_valid(l, &l->allowed_kinds[i]))
			return fail(v, "InvalidRouteKinds",
			            rb__arena_printf(
			                t->out, "%s%s%s is not supported by a %s listener.",
			                l->allowed_kinds[i].group ? l->allowed_kinds[i].group : "",
			                l->allowed_kinds[i].group ? "/" : "",
			                l->allowed_kinds[i].kind, l->protocol));
	if (tls_error(t, owner, owner_kind, l, v))
		return true;
	if ((!strcmp(l->protocol, "TCP") || !strcmp(l->protocol, "UDP")) && l->hostname)
		return fail(v, "Invalid",
		            rb__arena_printf(
		                t->out, "Listener must not have hostname set when protocol is %s.",
		                l->protocol));
	return false;
}

/* ---- phase 2: conflicts on a port ---- */

/* A listener of the Gateway's context: its own, then those of each ListenerSet it takes in. */
typedef struct peer {
	const rb__listener *l;
	const rb__objmeta *owner_meta; /* the Gateway or ListenerSet that declares it */
	const char *owner_kind;
	size_t gateway; /* position of its Gateway among the merged ones (else 0) */
	size_t owner;   /* 0: a Gateway; then the ListenerSets in input order */
	int family;     /* protocol family; UDP is not compared */
	bool protocol_conflict;
} peer;

enum { FAMILY_HTTP = 0, FAMILY_TLS = 1, FAMILY_TCP = 2, FAMILY_UDP = 3 };

static int family_of(const char *protocol)
{
	if (!strcmp(protocol, "HTTP"))
		return FAMILY_HTTP;
	if (!strcmp(protocol, "HTTPS") || !strcmp(protocol, "TLS"))
		return FAMILY_TLS;
	return !strcmp(protocol, "TCP") ? FAMILY_TCP : FAMILY_UDP;
}

typedef struct peer_list {
	rb__vec v; /* peer */
	uint32_t port;
	size_t owner_count; /* ListenerSets seen so far, plus one */
} peer_list;

static int add_peer(rb__tr *t, peer_list *pl, const rb__objmeta *owner_meta, const char *owner_kind,
                    size_t gateway, size_t owner, const rb__listener *l)
{
	rb__listener_verdict ignored;
	if (!l->has_port || l->port != pl->port ||
	    spec_error(t, owner_meta, owner_kind, l, &ignored))
		return RB_OK; /* invalid listeners take no part in conflicts */
	peer *p = rb__vec_push(t->mem, &pl->v, sizeof(*p));
	if (!p)
		return RB_ENOMEM;
	p->l = l;
	p->owner_meta = owner_meta;
	p->owner_kind = owner_kind;
	p->gateway = gateway;
	p->owner = owner;
	p->family = family_of(l->protocol);
	p->protocol_conflict = false;
	return RB_OK;
}

/* The Gateway's own listeners on the port, then those of each ListenerSet it takes in. */
static int add_gateway_peers(rb__tr *t, peer_list *pl, const rb__gateway *g, size_t gateway)
{
	for (size_t i = 0; i < g->listener_count; i++) {
		int rc = add_peer(t, pl, &g->meta, RB_KIND_GATEWAY, gateway, 0, &g->listeners[i]);
		if (rc)
			return rc;
	}
	const rb__vec *sets = &t->m->listener_sets;
	for (size_t i = 0; i < sets->len; i++) {
		const rb__listener_set *ls = RB_VEC_AT(sets, const rb__listener_set *, i);
		if (rb__listener_set_gateway(t, ls) != g)
			continue;
		size_t owner = pl->owner_count++;
		for (size_t j = 0; j < ls->listener_count; j++) {
			int rc = add_peer(t, pl, &ls->meta, RB_KIND_LISTENER_SET, gateway, owner,
			                  &ls->listeners[j]);
			if (rc)
				return rc;
		}
	}
	return RB_OK;
}

/*
 * The valid listeners on one port of the Gateway's context: the Gateway, or
 * every Gateway of its class in input order when the class's EnvoyProxy merges
 * them. *pos
 * receives the position of `g` among them.
 */
static int collect_peers(rb__tr *t, const rb__gateway *g, peer_list *pl, size_t *pos)
{
	pl->owner_count = 1;
	*pos = 0;
	if (!rb__gateways_merged(t, g))
		return add_gateway_peers(t, pl, g, 0);
	const rb__vec *gws = &t->m->gateways;
	size_t n = 0;
	for (size_t i = 0; i < gws->len; i++) {
		const rb__gateway *o = RB_VEC_AT(gws, const rb__gateway *, i);
		/* Ours, of the same class, and not shadowed by a later definition of its name. */
		if (!rb__str_eq(o->gateway_class_name, g->gateway_class_name) ||
		    rb__our_gateway(t, o->meta.namespace_, o->meta.name) != o)
			continue;
		if (o == g)
			*pos = n;
		int rc = add_gateway_peers(t, pl, o, n++);
		if (rc)
			return rc;
	}
	return RB_OK;
}

/*
 * validateConflictedProtocolsListeners: HTTP, HTTPS+TLS and TCP are three
 * families that cannot share a port (UDP shares with anything). The Gateway's
 * own listeners decide a port's family and beat ListenerSets; among
 * ListenerSets the first in order decides. An owner that brings two families
 * to a port it decides has no winner: every listener there is conflicted.
 */
static void mark_protocol_conflicts(peer *ps, size_t n, size_t owner_count)
{
	int decided = -1; /* the family of the port; -2: nobody wins */
	for (size_t o = 0; o < owner_count; o++) {
		unsigned families = 0;
		for (size_t i = 0; i < n; i++)
			if (ps[i].owner == o && ps[i].family != FAMILY_UDP)
				families |= 1u << ps[i].family;
		if (!families)
			continue;
		if (decided == -1 && (families & (families - 1)))
			decided = -2; /* two families or more */
		for (int f = 0; decided == -1 && f <= FAMILY_UDP; f++)
			if (families == 1u << f)
				decided = f;
		for (size_t i = 0; i < n; i++)
			if (ps[i].owner == o && ps[i].family != FAMILY_UDP)
				ps[i].protocol_conflict = decided == -2 || ps[i].family != decided;
	}
}

static const char *hostname_of(const rb__listener *l)
{
	return l->hostname ? l->hostname : "";
}

/*
 * validateConflictedHostnameListeners: HTTP, HTTPS and TLS listeners on a
 * port must have distinct hostnames (exact strings, no wildcard matching).
 * Two of the same owner are both conflicted; a ListenerSet listener loses to
 * the Gateway and to earlier ListenerSets.
 */
static const peer *hostname_conflict(const peer *ps, size_t n, const peer *self)
{
	if (self->family == FAMILY_TCP || self->family == FAMILY_UDP)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		const peer *o = &ps[i];
		if (o == self || o->protocol_conflict || o->family == FAMILY_TCP ||
		    o->family == FAMILY_UDP || strcmp(hostname_of(o->l), hostname_of(self->l)))
			continue;
		if (o->gateway == self->gateway && o->owner <= self->owner)
			return o;
	}
	return NULL;
}

/* validateConflictedLayer4Listeners: the first TCP (or UDP) listener on a port keeps it. */
static const peer *layer4_conflict(const peer *ps, size_t n, const peer *self)
{
	if (self->family != FAMILY_TCP && self->family != FAMILY_UDP)
		return NULL;
	for (const peer *o = ps; o < self && o < ps + n; o++)
		if (o->gateway == self->gateway && o->family == self->family &&
		    !o->protocol_conflict)
			return o;
	return NULL;
}

/* validateConflictedMergedListeners: protocol, hostname and port must be unique
 * across merged Gateways; a later Gateway's duplicate loses. */
static const peer *merged_conflict(const peer *ps, size_t n, const peer *self)
{
	for (size_t i = 0; i < n; i++) {
		const peer *o = &ps[i];
		if (o->gateway < self->gateway && !o->protocol_conflict &&
		    !strcmp(o->l->protocol, self->l->protocol) &&
		    !strcmp(hostname_of(o->l), hostname_of(self->l)))
			return o;
	}
	return NULL;
}

/* "<message>: listener <name> of <Kind> <ns>/<name> ..." naming the other listener. */
static bool conflict(rb__tr *t, rb__listener_verdict *v, const char *reason, const char *message,
                     const peer *other)
{
	const char *m = rb__arena_printf(t->out, "%s; see listener \"%s\" of %s %s/%s", message,
	                                 other->l->name, other->owner_kind,
	                                 other->owner_meta->namespace_, other->owner_meta->name);
	return fail(v, reason, m ? m : message);
}

int rb__listener_verdict_of(rb__tr *t, const rb__gateway *g, const rb__listener_set *ls,
                            const rb__listener *l, rb__listener_verdict *v)
{
	v->ready = true;
	v->reason = NULL;
	v->message = NULL;
	const rb__objmeta *owner_meta = ls ? &ls->meta : &g->meta;
	if (spec_error(t, owner_meta, ls ? RB_KIND_LISTENER_SET : RB_KIND_GATEWAY, l, v))
		return RB_OK;
	peer_list pl = {RB_VEC_INIT, l->port, 1};
	size_t pos;
	int rc = collect_peers(t, g, &pl, &pos);
	peer *ps = pl.v.data;
	size_t n = pl.v.len;
	const peer *self = NULL;
	if (!rc) {
		mark_protocol_conflicts(ps, n, pl.owner_count);
		for (size_t i = 0; i < n && !self; i++)
			if (ps[i].l == l && ps[i].gateway == pos)
				self = &ps[i];
	}
	/* self is NULL only when out of memory */
	const peer *other;
	if (self && self->protocol_conflict)
		fail(v, "ProtocolConflict",
		     rb__arena_printf(
		         t->out,
		         "All listeners for a given port must use a compatible protocol "
		         "(port %u)",
		         (unsigned)l->port));
	else if (self && (other = hostname_conflict(ps, n, self)))
		conflict(t, v, "HostnameConflict",
		         "All listeners for a given port must use a unique hostname", other);
	else if (self && (other = layer4_conflict(ps, n, self)))
		conflict(t, v, "ProtocolConflict",
		         !strcmp(l->protocol, "TCP")
		             ? "Only one TCP listener is allowed in a given port"
		             : "Only one UDP listener is allowed in a given port",
		         other);
	else if (self && (other = merged_conflict(ps, n, self)))
		conflict(t, v, "HostnameConflict",
		         "Port, protocol and hostname tuple must be unique for every listener",
		         other);
	rb__vec_free(t->mem, &pl.v);
	return rc;
}

/*
 * ---- verdicts per Gateway, computed once per translation ----
 *
 * A route asks about the listeners it attached to; computing a verdict looks
 * at every listener on the port, so asking afresh for each route is quadratic
 * in the listeners of a big Gateway. The verdicts of a Gateway's context are
 * computed together the first time, and the lookups that computation made are
 * kept: each later route that reads them gets the same dependencies reported
 * to the incremental engine. ReferenceGrants are the one input they depend on
 * whose changes do not make the engine translate everything: it calls
 * rb__listeners_forget then.
 */

typedef struct dep_record {
	rb__dep_kind kind;
	const char *ns;
	const char *name;
} dep_record;

typedef struct gateway_verdicts {
	const rb__gateway *key; /* the map key is the bytes of this pointer */
	const dep_record *deps;
	size_t dep_count;
} gateway_verdicts;

typedef struct listener_verdict_entry {
	const rb__listener *key; /* the map key is the bytes of this pointer */
	rb__listener_verdict verdict;
} listener_verdict_entry;

/* Forwards every dependency to the engine and keeps one copy of each. */
typedef struct dep_recorder {
	rb__tr *t;
	void (*dep)(void *ud, rb__dep_kind kind, const char *ns, const char *name);
	void *ud;
	rb__vec records; /* dep_record */
	rb__map seen;
	int rc;
} dep_recorder;

static void record_dep(void *ud, rb__dep_kind kind, const char *ns, const char *name)
{
	dep_recorder *r = ud;
	r->dep(r->ud, kind, ns, name);
	if (r->rc)
		return;
	char prefix[3] = {(char)kind, ':', '\0'};
	const char *key = rb__key3(r->t, prefix, ns, name);
	void **slot = key ? rb__map_slot_for(&r->seen, key, strlen(key)) : NULL;
	if (!slot) {
		r->rc = RB_ENOMEM;
		return;
	}
	if (*slot)
		return;
	*slot = r;
	dep_record *d = rb__vec_push(r->t->mem, &r->records, sizeof(*d));
	const char *ns_copy = rb__arena_strdup(&r->t->scratch, ns);
	const char *name_copy = rb__arena_strdup(&r->t->scratch, name);
	if (!d || !ns_copy || !name_copy) {
		r->rc = RB_ENOMEM;
		return;
	}
	d->kind = kind;
	d->ns = ns_copy;
	d->name = name_copy;
}

static int store_verdict(rb__tr *t, const rb__gateway *g, const rb__listener_set *ls,
                         const rb__listener *l)
{
	listener_verdict_entry *e = rb__arena_calloc(&t->scratch, 1, sizeof(*e));
	if (!e)
		return RB_ENOMEM;
	e->key = l;
	int rc = rb__listener_verdict_of(t, g, ls, l, &e->verdict);
	if (!rc && !rb__map_put(&t->listener_verdicts, (const char *)&e->key, sizeof e->key, e))
		rc = RB_ENOMEM;
	return rc;
}

static int store_gateway_verdicts(rb__tr *t, const rb__gateway *g)
{
	for (size_t i = 0; i < g->listener_count; i++) {
		int rc = store_verdict(t, g, NULL, &g->listeners[i]);
		if (rc)
			return rc;
	}
	const rb__vec *sets = &t->m->listener_sets;
	for (size_t i = 0; i < sets->len; i++) {
		const rb__listener_set *ls = RB_VEC_AT(sets, const rb__listener_set *, i);
		if (rb__listener_set_gateway(t, ls) != g)
			continue;
		for (size_t j = 0; j < ls->listener_count; j++) {
			int rc = store_verdict(t, g, ls, &ls->listeners[j]);
			if (rc)
				return rc;
		}
	}
	return RB_OK;
}

static int compute_gateway_verdicts(rb__tr *t, const rb__gateway *g)
{
	gateway_verdicts *gv = rb__arena_calloc(&t->scratch, 1, sizeof(*gv));
	if (!gv)
		return RB_ENOMEM;
	gv->key = g;
	dep_recorder rec = {t, t->dep, t->dep_ud, RB_VEC_INIT, {0}, RB_OK};
	rb__map_init(&rec.seen, t->mem);
	if (rec.dep) {
		t->dep = record_dep;
		/* Restored below, before rec goes out of scope. */
		// cppcheck-suppress autoVariables
		t->dep_ud = &rec;
	}
	int rc = store_gateway_verdicts(t, g);
	if (rec.dep) {
		t->dep = rec.dep;
		t->dep_ud = rec.ud;
	}
	if (!rc)
		rc = rec.rc;
	if (!rc && rec.records.len) {
		dep_record *deps = rb__arena_calloc(&t->scratch, rec.records.len, sizeof(*deps));
		if (deps) {
			memcpy(deps, rec.records.data, rec.records.len * sizeof(*deps));
			gv->deps = deps;
			gv->dep_count = rec.records.len;
		} else {
			rc = RB_ENOMEM;
		}
	}
	if (!rc && !rb__map_put(&t->gateway_verdicts, (const char *)&gv->key, sizeof gv->key, gv))
		rc = RB_ENOMEM;
	rb__vec_free(t->mem, &rec.records);
	rb__map_free(&rec.seen);
	return rc;
}

int rb__listener_readiness(rb__tr *t, const rb__gateway *g, const rb__listener_set *ls,
                           const rb__listener *l, rb__listener_verdict *v)
{
	const gateway_verdicts *gv = rb__map_get(&t->gateway_verdicts, (const char *)&g, sizeof g);
	if (!gv) {
		int rc = compute_gateway_verdicts(t, g);
		if (rc)
			return rc;
	} else {
		for (size_t i = 0; i < gv->dep_count; i++)
			rb__tr_dep(t, gv->deps[i].kind, gv->deps[i].ns, gv->deps[i].name);
	}
	const listener_verdict_entry *e =
	    rb__map_get(&t->listener_verdicts, (const char *)&l, sizeof l);
	if (NEVER(!e)) /* every listener of the context has its verdict */
		return rb__listener_verdict_of(t, g, ls, l, v);
	*v = e->verdict;
	return RB_OK;
}

void rb__listeners_forget(rb__tr *t)
{
	rb__map_free(&t->gateway_verdicts);
	rb__map_free(&t->listener_verdicts);
	rb__map_init(&t->gateway_verdicts, t->mem);
	rb__map_init(&t->listener_verdicts, t->mem);
}
