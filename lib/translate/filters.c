/*
 * HTTPRoute and GRPCRoute filters, as far as they change destinations
 * (SPEC.md 2.13, 3.1 step 1, 3.3 cases 1 and 5):
 *
 *  - rule filters: an error whose type is not BackendsAvailable makes the
 *    whole rule answer 500 (a mirror to a Service without endpoints is the
 *    non-fatal BackendsAvailable kind); a RequestRedirect leaves the rule
 *    without a destination; an HTTPRouteFilter rewriting the host from the
 *    path cannot be combined with a dynamic resolver;
 *  - backendRef filters: header modifiers checked the same way, errors
 *    reported as InvalidBackendFilters.
 *
 * Only the checks that decide validity are modelled; what the filters do to
 * requests is the data plane's business.
 */
#include <stdio.h>
#include <string.h>

#include "core/strutil.h"
#include "rebalance/errors.h"
#include "translate/tr.h"

#define EG_GROUP "gateway.envoyproxy.io"

/* Header names Envoy cannot take from a header modifier. */
static const char *header_name_error(rb__tr *t, const char *filter, const char *name)
{
	if (rb__str_empty(name))
		return rb__arena_printf(t->out, "%s Filter cannot add or set a header with an empty name",
		                        filter);
	if (strchr(name, '/') || strchr(name, ':'))
		return rb__arena_printf(t->out,
		                        "%s Filter cannot set headers with a '/' or ':' character in "
		                        "them. Header: \"%s\"",
		                        filter, name);
	return NULL;
}

static const char *header_modifier_error(rb__tr *t, const char *filter,
                                         const rb__header_modifier *m)
{
	const char *err = NULL;
	for (size_t i = 0; i < m->set_count && !err; i++)
		err = header_name_error(t, filter, m->set[i].name);
	for (size_t i = 0; i < m->add_count && !err; i++)
		err = header_name_error(t, filter, m->add[i].name);
	for (size_t i = 0; i < m->remove_count && !err; i++)
		if (rb__str_empty(m->remove[i]))
			err = rb__arena_printf(t->out, "%s Filter cannot remove a header with an empty name",
			                       filter);
	return err;
}

const char *rb__filter_header_error(rb__tr *t, const rb__filter *f)
{
	const char *err = NULL;
	if (f->has_request_header_modifier)
		err = header_modifier_error(t, "RequestHeaderModifier", &f->request_header_modifier);
	if (!err && f->has_response_header_modifier)
		err = header_modifier_error(t, "ResponseHeaderModifier", &f->response_header_modifier);
	return err;
}

static const rb__http_route_filter *find_http_route_filter(rb__tr *t, const char *ns,
                                                           const char *name)
{
	const rb__vec *v = &t->m->http_route_filters;
	const rb__http_route_filter *found = NULL;
	for (size_t i = 0; i < v->len; i++) {
		const rb__http_route_filter *f = RB_VEC_AT(v, const rb__http_route_filter *, i);
		if (!strcmp(f->meta.namespace_, ns) && !strcmp(f->meta.name, name))
			found = f; /* the last definition wins */
	}
	return found;
}

/* The group of an unstructured object for an ExtensionRef filter: apiVersion
 * up to the first '/', or all of it when it has none (unlike custom backends, 2.4). */
static bool filter_object_group_is(const char *api_version, const char *group)
{
	const char *v = api_version ? api_version : "";
	const char *slash = strchr(v, '/');
	size_t n = slash ? (size_t)(slash - v) : strlen(v);
	const char *g = group ? group : "";
	return strlen(g) == n && !memcmp(v, g, n);
}

static bool extension_object_exists(rb__tr *t, const rb__object_ref *ref, const char *ns)
{
	const rb__vec *v = &t->m->extension_objects;
	for (size_t i = 0; i < v->len; i++) {
		const rb__unstructured *u = RB_VEC_AT(v, const rb__unstructured *, i);
		if (rb__str_eq(u->meta.kind, ref->kind) && !strcmp(u->meta.name, ref->name) &&
		    !strcmp(u->meta.namespace_, ns) &&
		    filter_object_group_is(u->meta.api_version, ref->group))
			return true;
	}
	return false;
}

static bool is_extension_kind(rb__tr *t, const char *group, const char *kind)
{
	for (size_t i = 0; i < t->o->extension_kind_count; i++)
		if (rb__str_eq(t->o->extension_kinds[i].group, group) &&
		    rb__str_eq(t->o->extension_kinds[i].kind, kind))
			return true;
	return false;
}

/* A mirror's backend goes through the same validation and processing as a backendRef. */
static int mirror(rb__tr *t, const rb__parent *p, const rb__route_rule *rule, size_t rule_index,
                  size_t filter_index, const rb__filter *f, rb__vec *errors, rb__rule_filters *out)
{
	rb__backend_ref br;
	memset(&br, 0, sizeof br);
	br.ref = f->mirror_backend;
	/* "<destination>-mirror-<filterIndex>/backend/-1" (SPEC.md 2.15) */
	const char *dest = rb__destination_name(t, p->route, (int32_t)rule_index);
	const char *name = dest ? rb__arena_printf(t->out, "%s-mirror-%zu/backend/-1", dest,
	                                           filter_index)
	                        : NULL;
	if (!name)
		return RB_ENOMEM;
	rb__ref_result res;
	int rc = rb__process_backend_ref(t, p, rule, &br, name, &res);
	if (rc || !res.reason)
		return rc;
	if (!strcmp(res.reason, "EndpointsNotFound"))
		return rb__add_error(t, errors, RB_COND_BACKENDS_AVAILABLE, res.reason, -1,
		                     "failed to find endpoints: %s", res.message);
	out->filter_error = true;
	return rb__add_error(t, errors, RB_COND_RESOLVED_REFS, res.reason, -1, "%s", res.message);
}

/*
 * An ExtensionRef rule filter. A kind that is neither Envoy Gateway's
 * HTTPRouteFilter nor registered by an extension fails the filter validation:
 * an Accepted-type error that makes the rule unaccepted (3.1 step 1, 3.4).
 * A registered kind whose object is missing is BackendNotFound. Both answer 500.
 */
static int extension_ref(rb__tr *t, const rb__parent *p, size_t rule_index, const rb__filter *f,
                         rb__vec *errors, rb__rule_filters *out)
{
	const rb__object_ref *e = &f->extension_ref;
	const char *ns = p->route->meta.namespace_;
	out->filter_error = true;
	if (rb__str_eq(e->group, EG_GROUP) && rb__str_eq(e->kind, "HTTPRouteFilter")) {
		const rb__http_route_filter *hrf = find_http_route_filter(t, ns, e->name);
		if (!hrf)
			return rb__add_error(t, errors, RB_COND_RESOLVED_REFS, "BackendNotFound", -1,
			                     "Unable to translate HTTPRouteFilter: %s/%s", ns, e->name);
		out->filter_error = false;
		if (rb__str_eq(hrf->rewrite_hostname_type, "PathRegex"))
			out->host_from_path = true;
		return RB_OK;
	}
	if (rb__str_eq(e->group, EG_GROUP) || !is_extension_kind(t, e->group, e->kind))
		return rb__add_error(t, errors, RB_COND_ACCEPTED, "UnsupportedValue", (int32_t)rule_index,
		                     "Unable to translate ExtensionRef Filter: unknown kind %s/%s",
		                     e->group ? e->group : "", e->kind);
	if (extension_object_exists(t, e, ns)) {
		out->filter_error = false;
		return RB_OK;
	}
	return rb__add_error(t, errors, RB_COND_RESOLVED_REFS, "BackendNotFound", -1,
	                     "Reference %s/%s not found for filter type: %s", ns, e->name, e->kind);
}

int rb__process_rule_filters(rb__tr *t, const rb__parent *p, size_t rule_index, rb__vec *errors,
                     rb__rule_filters *out)
{
	memset(out, 0, sizeof *out);
	const rb__route_rule *rule = &p->route->rules[rule_index];
	for (size_t i = 0; i < rule->filter_count; i++) {
		const rb__filter *f = &rule->filters[i];
		int rc = RB_OK;
		const char *err = rb__filter_header_error(t, f);
		if (err) {
			out->filter_error = true;
			rc = rb__add_error(t, errors, RB_COND_RESOLVED_REFS, "UnsupportedValue", -1, "%s", err);
		} else if (f->has_redirect || !strcmp(f->type, "RequestRedirect")) {
			out->redirect = true;
		} else if (f->has_mirror) {
			rc = mirror(t, p, rule, rule_index, i, f, errors, out);
		} else if (f->has_extension_ref && !strcmp(f->type, "ExtensionRef")) {
			rc = extension_ref(t, p, rule_index, f, errors, out);
		}
		if (rc)
			return rc;
	}
	return RB_OK;
}
