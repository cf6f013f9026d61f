/*
 * "What if ...?" (explain --what-if, model/what_if.h): a view of a model in
 * which a Service has N ready endpoints (0: scaled to zero) or a backendRef
 * another weight. The translator then sees exactly what it would see in the
 * cluster after that change; it has no special case.
 *
 * A Service scaled to zero keeps its EndpointSlices, emptied -- what
 * Kubernetes leaves behind (so the address type does not change). A Service
 * given N endpoints gets them in its first EndpointSlice (its other slices
 * emptied), ready and serving, at addresses of the documentation and
 * benchmark ranges (198.18.0.0/15, 2001:db8::/32); without any slice, one is
 * made from the Service's ports.
 */
#include "model/what_if.h"

#include "rebalance/errors.h"

#include <string.h>

enum { WHAT_IF_MAX = 1000000 };

typedef struct target {
	bool weight;    /* NS/ROUTE:RULE:REF=weight:W, else a Service */
	const char *ns; /* not NUL-terminated: ns_len, name_len */
	size_t ns_len;
	const char *name;
	size_t name_len;
	const char *rule; /* name or index, rule_len */
	size_t rule_len;
	uint32_t ref;
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
	/* NS/ROUTE:RULE:REF=weight:W */
	t->weight = true;
	t->rule = name_end + 1;
	const char *c2 = strchr(t->rule, ':');
	if (!c2 || c2 == t->rule || !eq || eq < c2)
		return false;
	t->rule_len = (size_t)(c2 - t->rule);
	if (memchr(t->rule, '/', t->rule_len) || !number(c2 + 1, eq, &t->ref))
		return false;
	if (strncmp(eq + 1, "weight:", 7))
		return false;
	return number(eq + 8, eq + 8 + strlen(eq + 8), &t->value);
}

bool rb__what_if_target_ok(const char *target_text)
{
	target t;
	return parse(target_text, &t);
}

bool rb__what_if_is_weight(const char *target_text)
{
	target t;
	return parse(target_text, &t) && t.weight;
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
		if (!t[i].weight && is(s->meta.namespace_, t[i].ns, t[i].ns_len) &&
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
		if (t[k].weight || filled[k] || !t[k].value)
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

/* The rule a weight target names: by name, else by index; -1 when none. */
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

/* Set the weight in the view's copy of route `i` of kind `kind` (copied on first change). */
static int set_weight(const rb__model *m, rb__model *view, rb__arena *a, int kind, size_t i,
                      size_t rule, const target *t)
{
	const rb__route *orig = RB_VEC_AT(&m->routes[kind], const rb__route *, i);
	rb__route *r = RB_VEC_AT(&view->routes[kind], rb__route *, i);
	if ((const rb__route *)r == orig) {
		r = rb__arena_alloc(a, sizeof(*r));
		rb__route_rule *rules = rb__arena_calloc(a, orig->rule_count, sizeof(*rules));
		if (!r || !rules)
			return RB_ENOMEM;
		*r = *orig;
		memcpy(rules, orig->rules, orig->rule_count * sizeof(*rules));
		r->rules = rules;
		RB_VEC_AT(&view->routes[kind], rb__route *, i) = r;
	}
	rb__route_rule *rr = &r->rules[rule];
	if (rr->backend_refs == orig->rules[rule].backend_refs) {
		rb__backend_ref *refs = rb__arena_calloc(a, rr->backend_ref_count, sizeof(*refs));
		if (!refs)
			return RB_ENOMEM;
		memcpy(refs, rr->backend_refs, rr->backend_ref_count * sizeof(*refs));
		rr->backend_refs = refs;
	}
	rr->backend_refs[t->ref].has_weight = true;
	rr->backend_refs[t->ref].weight = t->value;
	return RB_OK;
}

static int apply_weights(const rb__model *m, const target *t, size_t n, rb__arena *a,
                         rb__model *view, rb__what_if_match *match)
{
	for (int k = 0; k < RB_ROUTE_KIND_COUNT; k++) {
		memset(&view->routes[k], 0, sizeof view->routes[k]);
		for (size_t i = 0; i < m->routes[k].len; i++)
			if (!rb__vec_push_ptr(m->mem, &view->routes[k],
			                      RB_VEC_AT(&m->routes[k], void *, i)))
				return RB_ENOMEM;
	}
	for (size_t w = 0; w < n; w++) {
		if (!t[w].weight)
			continue;
		for (int k = 0; k < RB_ROUTE_KIND_COUNT; k++) {
			for (size_t i = 0; i < m->routes[k].len; i++) {
				const rb__route *r = RB_VEC_AT(&m->routes[k], const rb__route *, i);
				if (!is(r->meta.namespace_, t[w].ns, t[w].ns_len) ||
				    !is(r->meta.name, t[w].name, t[w].name_len))
					continue;
				ptrdiff_t rule = rule_index(r, &t[w]);
				if (rule < 0 || t[w].ref >= r->rules[rule].backend_ref_count)
					continue;
				int rc = set_weight(m, view, a, k, i, (size_t)rule, &t[w]);
				if (rc)
					return rc;
				match[w].service_found = true; /* the backendRef exists */
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
	for (int k = 0; k < RB_ROUTE_KIND_COUNT; k++)
		memset(&view->routes[k], 0, sizeof view->routes[k]);
	target *t = rb__arena_calloc(arena, n ? n : 1, sizeof(*t));
	if (!t)
		return RB_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		parse(targets[i], &t[i]);
		match[i].slices = 0;
		match[i].service_found = false;
		for (size_t s = 0; !t[i].weight && s < m->services.len && !match[i].service_found;
		     s++) {
			const rb__service *svc = RB_VEC_AT(&m->services, const rb__service *, s);
			match[i].service_found = is(svc->meta.namespace_, t[i].ns, t[i].ns_len) &&
			                         is(svc->meta.name, t[i].name, t[i].name_len);
		}
	}
	int rc = apply_services(m, t, n, arena, view, match);
	if (!rc)
		rc = apply_weights(m, t, n, arena, view, match);
	if (rc)
		rb__model_view_free(view);
	return rc;
}

void rb__model_view_free(rb__model *view)
{
	rb__vec_free(view->mem, &view->endpoint_slices);
	for (int k = 0; k < RB_ROUTE_KIND_COUNT; k++)
		rb__vec_free(view->mem, &view->routes[k]);
}
