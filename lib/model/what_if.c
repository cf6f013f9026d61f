/*
 * "What if ...?" (explain --what-if, model/what_if.h): a view of a model in
 * which a Service has N ready endpoints (0: scaled to zero), a backendRef
 * another weight, or a backendRef to a Service is served through a fallback
 * Backend at the Service's clusterIP. The translator then sees exactly what
 * it would see in the cluster after that change; it has no special case.
 *
 * A Service scaled to zero keeps its EndpointSlices, emptied -- what
 * Kubernetes leaves behind (so the address type does not change). A Service
 * given N endpoints gets them in its first EndpointSlice (its other slices
 * emptied), ready and serving, at addresses of the documentation and
 * benchmark ranges (198.18.0.0/15, 2001:db8::/32); without any slice, one is
 * made from the Service's ports.
 */
#include "model/what_if.h"

#include "model/vocab.h"
#include "rebalance/errors.h"

#include <string.h>

enum { WHAT_IF_MAX = 1000000 };

typedef struct target {
	bool ref;       /* NS/ROUTE:RULE:REF=..., else a Service */
	bool fallback;  /* NS/ROUTE:RULE:REF=fallback, else =weight:W */
	const char *ns; /* not NUL-terminated: ns_len, name_len */
	size_t ns_len;
	const char *name;
	size_t name_len;
	const char *rule; /* name or index, rule_len */
	size_t rule_len;
	uint32_t ref_index;
	uint32_t value; /* endpoints, or the weight */
} target;

/* Decimal digits [p, end) as a number up to WHAT_IF_MAX. */
static bool number(const char *p, const char *end, uint32_t *v)
{
	if (p == end)
		return false;
	uint32_t x = 0;
	for (; p < end; p++) {
		if (*p < '0' || *p > '9')
			return false;
		x = x * 10 + (uint32_t)(*p - '0');
		if (x > WHAT_IF_MAX)
			return false;
	}
	*v = x;
	return true;
}

static bool parse(const char *s, target *t)
{
	memset(t, 0, sizeof *t);
	if (!s)
		return false;
	const char *slash = strchr(s, '/');
	if (!slash || slash == s)
		return false;
	t->ns = s;
	t->ns_len = (size_t)(slash - s);
	t->name = slash + 1;
	const char *eq = strchr(t->name, '=');
	const char *colon = strchr(t->name, ':');
	const char *name_end = colon && (!eq || colon < eq) ? colon
	                       : eq                         ? eq
	                                                    : t->name + strlen(t->name);
	t->name_len = (size_t)(name_end - t->name);
	if (!t->name_len || memchr(t->name, '/', t->name_len))
		return false;
	if (*name_end == '\0')
		return true; /* NS/SERVICE: scale to zero */
	if (*name_end == '=')
		return number(name_end + 1, name_end + 1 + strlen(name_end + 1), &t->value);
	/* NS/ROUTE:RULE:REF=weight:W or NS/ROUTE:RULE:REF=fallback */
	t->ref = true;
	t->rule = name_end + 1;
	const char *c2 = strchr(t->rule, ':');
	if (!c2 || c2 == t->rule || !eq || eq < c2)
		return false;
	t->rule_len = (size_t)(c2 - t->rule);
	if (memchr(t->rule, '/', t->rule_len) || !number(c2 + 1, eq, &t->ref_index))
		return false;
	if (!strcmp(eq + 1, "fallback")) {
		t->fallback = true;
		return true;
	}
	if (strncmp(eq + 1, "weight:", 7))
		return false;
	return number(eq + 8, eq + 8 + strlen(eq + 8), &t->value);
}

bool rb__what_if_target_ok(const char *target_text)
{
	target t;
	return parse(target_text, &t);
}

bool rb__what_if_is_backend_ref(const char *target_text)
{
	target t;
	return parse(target_text, &t) && t.ref;
}

static bool is(const char *s, const char *part, size_t n)
{
	return strlen(s) == n && !strncmp(s, part, n);
}

static const char *service_label(const rb__objmeta *meta)
{
	for (size_t i = 0; i < meta->label_count; i++)
		if (!strcmp(meta->labels[i].key, "kubernetes.io/service-name"))
			return meta->labels[i].value;
	return NULL;
}

/* The last Service target naming the slice's Service, or -1. */
static ptrdiff_t service_target(const target *t, size_t n, const rb__endpoint_slice *s)
{
	const char *owner = service_label(&s->meta);
	ptrdiff_t found = -1;
	for (size_t i = 0; owner && i < n; i++)
		if (!t[i].ref && is(s->meta.namespace_, t[i].ns, t[i].ns_len) &&
		    is(owner, t[i].name, t[i].name_len))
			found = (ptrdiff_t)i;
	return found;
}

/* `count` ready endpoints of the slice's address type (zone of `like`, if any). */
static int ready_endpoints(rb__arena *a, rb__endpoint_slice *s, uint32_t count,
                           const rb__slice_endpoint *like)
{
	s->endpoint_count = count;
	s->endpoints = count ? rb__arena_calloc(a, count, sizeof(*s->endpoints)) : NULL;
	if (count && !s->endpoints)
		return RB_ENOMEM;
	bool v6 = s->address_type && !strcmp(s->address_type, "IPv6");
	bool fqdn = s->address_type && !strcmp(s->address_type, "FQDN");
	for (uint32_t i = 0; i < count; i++) {
		rb__slice_endpoint *e = &s->endpoints[i];
		const char **addr = rb__arena_calloc(a, 1, sizeof(*addr));
		if (!addr)
			return RB_ENOMEM;
		addr[0] = v6     ? rb__arena_printf(a, "2001:db8::%x", (unsigned)i + 1)
		          : fqdn ? rb__arena_printf(a, "endpoint-%u.what-if.invalid", (unsigned)i)
		                 : rb__arena_printf(a, "198.%u.%u.%u", 18 + (unsigned)(i >> 16),
		                                    (unsigned)(i >> 8) & 255, (unsigned)i & 255);
		if (!addr[0])
			return RB_ENOMEM;
		e->addresses = addr;
		e->address_count = 1;
		e->ready = e->serving = RB_TRI_TRUE;
		e->terminating = RB_TRI_FALSE;
		e->zone = like ? like->zone : NULL;
	}
	return RB_OK;
}

/* An EndpointSlice for a Service that has none: its ports, IPv4. */
static rb__endpoint_slice *slice_for(rb__arena *a, const rb__service *svc)
{
	rb__endpoint_slice *s = rb__arena_calloc(a, 1, sizeof(*s));
	rb__kv *label = rb__arena_calloc(a, 1, sizeof(*label));
	if (!s || !label)
		return NULL;
	label->key = "kubernetes.io/service-name";
	label->value = svc->meta.name;
	s->meta = svc->meta;
	s->meta.kind = "EndpointSlice";
	s->meta.labels = label;
	s->meta.label_count = 1;
	s->meta.annotations = NULL;
	s->meta.annotation_count = 0;
	s->meta.name = rb__arena_printf(a, "%s-what-if", svc->meta.name);
	s->address_type = "IPv4";
	s->port_count = svc->port_count;
	s->ports = svc->port_count ? rb__arena_calloc(a, svc->port_count, sizeof(*s->ports)) : NULL;
	if (!s->meta.name || (svc->port_count && !s->ports))
		return NULL;
	for (size_t i = 0; i < svc->port_count; i++) {
		s->ports[i].name = svc->ports[i].name;
		s->ports[i].has_port = svc->ports[i].has_port;
		s->ports[i].port =
		    svc->ports[i].port; /* the Service port stands for its targetPort */
		s->ports[i].protocol = svc->ports[i].protocol;
	}
	return s;
}

static int apply_services(const rb__model *m, const target *t, size_t n, rb__arena *a,
                          rb__model *view, rb__what_if_match *match)
{
	bool *filled = rb__arena_calloc(a, n ? n : 1, sizeof(*filled)); /* first slice taken */
	if (!filled)
		return RB_ENOMEM;
	for (size_t i = 0; i < m->endpoint_slices.len; i++) {
		const rb__endpoint_slice *s =
		    RB_VEC_AT(&m->endpoint_slices, const rb__endpoint_slice *, i);
		ptrdiff_t k = service_target(t, n, s);
		if (k >= 0) {
			rb__endpoint_slice *copy = rb__arena_alloc(a, sizeof(*copy));
			if (!copy)
				return RB_ENOMEM;
			*copy = *s;
			uint32_t count = filled[k] ? 0 : t[k].value;
			filled[k] = true;
			match[k].slices++;
			if (ready_endpoints(a, copy, count,
			                    s->endpoint_count ? &s->endpoints[0] : NULL))
				return RB_ENOMEM;
			s = copy;
		}
		if (!rb__vec_push_ptr(m->mem, &view->endpoint_slices, s))
			return RB_ENOMEM;
	}
	/* N endpoints for a Service without any slice: one is made. */
	for (size_t k = 0; k < n; k++) {
		if (t[k].ref || filled[k] || !t[k].value)
			continue;
		for (size_t i = 0; i < m->services.len; i++) {
			const rb__service *svc = RB_VEC_AT(&m->services, const rb__service *, i);
			if (!is(svc->meta.namespace_, t[k].ns, t[k].ns_len) ||
			    !is(svc->meta.name, t[k].name, t[k].name_len))
				continue;
			rb__endpoint_slice *s = slice_for(a, svc);
			if (!s || ready_endpoints(a, s, t[k].value, NULL) ||
			    !rb__vec_push_ptr(m->mem, &view->endpoint_slices, s))
				return RB_ENOMEM;
			match[k].slices++;
			break;
		}
	}
	return RB_OK;
}

/* The rule a backendRef target names: by name, else by index; -1 when none. */
static ptrdiff_t rule_index(const rb__route *r, const target *t)
{
	for (size_t i = 0; i < r->rule_count; i++)
		if (r->rules[i].name && is(r->rules[i].name, t->rule, t->rule_len))
			return (ptrdiff_t)i;
	uint32_t idx;
	if (number(t->rule, t->rule + t->rule_len, &idx) && idx < r->rule_count)
		return (ptrdiff_t)idx;
	return -1;
}

/* Backendref `ref` of rule `rule` of the view's route `i` of kind `kind`,
 * writable: the route, its rules and that rule's refs are copied on the
 * first change. NULL when out of memory. */
static rb__backend_ref *writable_ref(const rb__model *m, rb__model *view, rb__arena *a, int kind,
                                     size_t i, size_t rule, size_t ref)
{
	const rb__route *orig = RB_VEC_AT(&m->routes[kind], const rb__route *, i);
	rb__route *r = RB_VEC_AT(&view->routes[kind], rb__route *, i);
	if ((const rb__route *)r == orig) {
		r = rb__arena_alloc(a, sizeof(*r));
		rb__route_rule *rules = rb__arena_calloc(a, orig->rule_count, sizeof(*rules));
		if (!r || !rules)
			return NULL;
		*r = *orig;
		memcpy(rules, orig->rules, orig->rule_count * sizeof(*rules));
		r->rules = rules;
		RB_VEC_AT(&view->routes[kind], rb__route *, i) = r;
	}
	rb__route_rule *rr = &r->rules[rule];
	if (rr->backend_refs == orig->rules[rule].backend_refs) {
		rb__backend_ref *refs = rb__arena_calloc(a, rr->backend_ref_count, sizeof(*refs));
		if (!refs)
			return NULL;
		memcpy(refs, rr->backend_refs, rr->backend_ref_count * sizeof(*refs));
		rr->backend_refs = refs;
	}
	return &rr->backend_refs[ref];
}

/* The Service a backendRef of a route in `route_ns` names, or NULL (another kind, or none). */
static const rb__service *referenced_service(const rb__model *m, const rb__backend_ref *br,
                                             const char *route_ns)
{
	const char *group = br->ref.group, *kind = br->ref.kind;
	if ((group && *group && strcmp(group, RB_GROUP_CORE)) ||
	    (kind && *kind && strcmp(kind, "Service")))
		return NULL;
	const char *ns = br->ref.namespace_ && *br->ref.namespace_ ? br->ref.namespace_ : route_ns;
	for (size_t s = 0; s < m->services.len; s++) {
		const rb__service *svc = RB_VEC_AT(&m->services, const rb__service *, s);
		if (!strcmp(svc->meta.namespace_, ns) && !strcmp(svc->meta.name, br->ref.name))
			return svc;
	}
	return NULL;
}

static const rb__backend *backend_named(const rb__vec *backends, const char *ns, const char *name)
{
	for (size_t i = 0; i < backends->len; i++) {
		const rb__backend *b = RB_VEC_AT(backends, const rb__backend *, i);
		if (!strcmp(b->meta.namespace_, ns) && !strcmp(b->meta.name, name))
			return b;
	}
	return NULL;
}

/*
 * The fallback Backend an operator writes for a Service ref: in the route's
 * namespace (no ReferenceGrant needed), named SERVICE-fallback, one `ip`
 * endpoint at the Service's clusterIP and the ref's port (kube-proxy then
 * picks a pod), `fallback: true`. An existing Backend of that name is reused
 * only when it is one of ours for the same address. RB_OK and *out (NULL:
 * the change cannot be written -- no Service, no clusterIP, no port, or the
 * name is taken), or RB_ENOMEM.
 */
static int fallback_backend(const rb__model *m, rb__model *view, rb__arena *a,
                            const rb__backend_ref *br, const char *route_ns,
                            const rb__backend **out)
{
	*out = NULL;
	const rb__service *svc = referenced_service(m, br, route_ns);
	if (!svc || !svc->cluster_ip || !*svc->cluster_ip || !strcmp(svc->cluster_ip, "None") ||
	    !br->ref.has_port)
		return RB_OK;
	char *name = rb__arena_printf(a, "%s-fallback", svc->meta.name);
	if (!name)
		return RB_ENOMEM;
	const rb__backend *taken = backend_named(&view->backends, route_ns, name);
	if (taken) {
		if (!backend_named(&m->backends, route_ns, name) && taken->endpoint_count == 1 &&
		    !strcmp(taken->endpoints[0].address, svc->cluster_ip) &&
		    taken->endpoints[0].port == br->ref.port)
			*out = taken; /* ours, made for another rule's ref to the same Service */
		return RB_OK;
	}
	rb__backend *b = rb__arena_calloc(a, 1, sizeof(*b));
	rb__backend_endpoint *e = rb__arena_calloc(a, 1, sizeof(*e));
	if (!b || !e)
		return RB_ENOMEM;
	b->meta.kind = "Backend";
	b->meta.namespace_ = route_ns;
	b->meta.name = name;
	e->kind = RB_BEP_IP;
	e->has_ip = true;
	e->address = svc->cluster_ip;
	e->has_port = true;
	e->port = br->ref.port;
	b->endpoints = e;
	b->endpoint_count = 1;
	b->fallback = RB_TRI_TRUE;
	if (!rb__vec_push_ptr(m->mem, &view->backends, b))
		return RB_ENOMEM;
	*out = b;
	return RB_OK;
}

/* Apply backendRef target `t` to rule `rule` of the view's route `i` of kind
 * `kind`; *applied says whether it could be (a fallback needs a Service with
 * a clusterIP and a port). */
static int apply_ref_target(const rb__model *m, rb__model *view, rb__arena *a, int kind, size_t i,
                            size_t rule, const target *t, bool *applied)
{
	const rb__route *orig = RB_VEC_AT(&m->routes[kind], const rb__route *, i);
	const rb__backend *fb = NULL;
	*applied = false;
	if (t->fallback) {
		int rc = fallback_backend(m, view, a, &orig->rules[rule].backend_refs[t->ref_index],
		                          orig->meta.namespace_, &fb);
		if (rc || !fb)
			return rc;
	}
	rb__backend_ref *br = writable_ref(m, view, a, kind, i, rule, t->ref_index);
	if (!br)
		return RB_ENOMEM;
	if (fb) {
		/* the same weight and filters, now to the Backend */
		br->ref.group = RB_GROUP_ENVOY_GATEWAY;
		br->ref.kind = "Backend";
		br->ref.namespace_ = fb->meta.namespace_;
		br->ref.name = fb->meta.name;
		br->ref.has_port = false;
		br->ref.port = 0;
	} else {
		br->has_weight = 1;
		br->weight = t->value & 0x7fffffffu; /* a bit-field: at most WHAT_IF_MAX */
	}
	*applied = true;
	return RB_OK;
}

static int apply_refs(const rb__model *m, const target *t, size_t n, rb__arena *a, rb__model *view,
                      rb__what_if_match *match)
{
	for (int k = 0; k < RB_ROUTE_KIND_COUNT; k++) {
		memset(&view->routes[k], 0, sizeof view->routes[k]);
		for (size_t i = 0; i < m->routes[k].len; i++)
			if (!rb__vec_push_ptr(m->mem, &view->routes[k],
			                      RB_VEC_AT(&m->routes[k], void *, i)))
				return RB_ENOMEM;
	}
	for (size_t i = 0; i < m->backends.len; i++)
		if (!rb__vec_push_ptr(m->mem, &view->backends, RB_VEC_AT(&m->backends, void *, i)))
			return RB_ENOMEM;
	for (size_t w = 0; w < n; w++) {
		if (!t[w].ref)
			continue;
		for (int k = 0; k < RB_ROUTE_KIND_COUNT; k++) {
			for (size_t i = 0; i < m->routes[k].len; i++) {
				const rb__route *r = RB_VEC_AT(&m->routes[k], const rb__route *, i);
				if (!is(r->meta.namespace_, t[w].ns, t[w].ns_len) ||
				    !is(r->meta.name, t[w].name, t[w].name_len))
					continue;
				ptrdiff_t rule = rule_index(r, &t[w]);
				if (rule < 0 || t[w].ref_index >= r->rules[rule].backend_ref_count)
					continue;
				bool applied;
				int rc = apply_ref_target(m, view, a, k, i, (size_t)rule, &t[w],
				                          &applied);
				if (rc)
					return rc;
				/* the backendRef exists (a fallback: and could be served so) */
				match[w].service_found |= applied;
			}
		}
	}
	return RB_OK;
}

int rb__model_what_if(const rb__model *m, const char *const *targets, size_t n, rb__arena *arena,
                      rb__model *view, rb__what_if_match *match)
{
	*view = *m;
	memset(&view->endpoint_slices, 0, sizeof view->endpoint_slices);
	memset(&view->backends, 0, sizeof view->backends);
	for (int k = 0; k < RB_ROUTE_KIND_COUNT; k++)
		memset(&view->routes[k], 0, sizeof view->routes[k]);
	target *t = rb__arena_calloc(arena, n ? n : 1, sizeof(*t));
	if (!t)
		return RB_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		parse(targets[i], &t[i]);
		match[i].slices = 0;
		match[i].service_found = false;
		for (size_t s = 0; !t[i].ref && s < m->services.len && !match[i].service_found;
		     s++) {
			const rb__service *svc = RB_VEC_AT(&m->services, const rb__service *, s);
			match[i].service_found = is(svc->meta.namespace_, t[i].ns, t[i].ns_len) &&
			                         is(svc->meta.name, t[i].name, t[i].name_len);
		}
	}
	int rc = apply_services(m, t, n, arena, view, match);
	if (!rc)
		rc = apply_refs(m, t, n, arena, view, match);
	if (rc)
		rb__model_view_free(view);
	return rc;
}

void rb__model_view_free(rb__model *view)
{
	rb__vec_free(view->mem, &view->endpoint_slices);
	rb__vec_free(view->mem, &view->backends);
	for (int k = 0; k < RB_ROUTE_KIND_COUNT; k++)
		rb__vec_free(view->mem, &view->routes[k]);
}
