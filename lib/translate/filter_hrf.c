/*
 * ExtensionRef filters (Envoy Gateway's processExtensionRefHTTPFilter):
 *
 *  - gateway.envoyproxy.io/HTTPRouteFilter, looked up in the route's
 *    namespace: missing is a ResolvedRefs error and the rule answers 500;
 *    found, its sections run in order -- matches, urlRewrite,
 *    directResponse, credentialInjection -- and the first error stops it.
 *    A directResponse answers with its own status (200 when unset) and stops
 *    the rule's later filters; a body or credential that cannot be found is
 *    an invalid filter (Accepted error, 500);
 *  - an extension kind: its object must exist in the route's namespace
 *    (ResolvedRefs error and 500 otherwise).
 *
 * Rules: [filter.hrf] [filter.extension].
 */
#include "core/strutil.h"
#include "rebalance/errors.h"
#include "translate/filters.h"

#include <stdio.h>
#include <string.h>

#define HRF               RB_KIND_HTTP_ROUTE_FILTER
#define MULTIPLE_REWRITES "cannot configure multiple urlRewrite filters for a single HTTPRouteRule"

/* processUnresolvedHTTPFilter: ResolvedRefs/UnsupportedValue, and the filter answers 500. */
static int unresolved(rb__filter_pass *fp, const char *filter, const char *msg)
{
	if (!msg)
		return RB_ENOMEM;
	int rc = rb__filter_fail(fp, RB_COND_RESOLVED_REFS, RB_REASON_UNSUPPORTED_VALUE, filter, "%s", msg);
	if (!rc)
		rb__filter_answer(fp, 500, fp->out->error_filter, fp->out->error_message);
	return rc;
}

/* processInvalidHTTPFilter("HTTPRouteFilter", ...): Accepted/UnsupportedValue, and 500. */
static int invalid(rb__filter_pass *fp, const char *filter, const char *err)
{
	if (!err)
		return RB_ENOMEM;
	int rc = rb__filter_fail(fp, RB_COND_ACCEPTED, RB_REASON_UNSUPPORTED_VALUE, filter,
	                         "invalid filter HTTPRouteFilter: %s", err);
	if (!rc)
		rb__filter_answer(fp, 500, fp->out->error_filter, fp->out->error_message);
	return rc;
}

static const rb__http_route_filter *find_hrf(rb__tr *t, const char *ns, const char *name)
{
	const rb__vec *v = &t->m->http_route_filters;
	const rb__http_route_filter *found = NULL;
	for (size_t i = 0; i < v->len; i++) {
		const rb__http_route_filter *f = RB_VEC_AT(v, const rb__http_route_filter *, i);
		if (rb__str_eq(f->meta.namespace_, ns) && rb__str_eq(f->meta.name, name))
			found = f; /* the last definition wins */
	}
	return found;
}

/* The last object of a list (ConfigMaps, Secrets) named ns/name, or NULL. */
static const void *find_named(const rb__vec *v, const char *ns, const char *name)
{
	const void *found = NULL;
	for (size_t i = 0; i < v->len; i++) {
		const rb__objmeta *m = RB_VEC_AT(v, const rb__objmeta *, i);
		if (rb__str_eq(m->namespace_, ns) && rb__str_eq(m->name, name))
			found = m;
	}
	return found;
}

/*
 * Cookie matches are built with the rule's IR routes (buildCookieMatches): a
 * regular expression that does not compile, or an unknown type, drops the
 * whole rule (rule_l7.c), as a bad path or header match does.
 */
static int cookie_matches(rb__filter_pass *fp, const rb__http_route_filter *hrf)
{
	for (size_t i = 0; i < hrf->match_count && !fp->out->build_error; i++) {
		const rb__hrf_match *m = &hrf->matches[i];
		for (size_t j = 0; j < m->cookie_count && !fp->out->build_error; j++) {
			const rb__cookie_match *c = &m->cookies[j];
			const char *type = c->type ? c->type : "Exact";
			const char *err = NULL;
			if (!strcmp(type, "RegularExpression")) {
				int rc =
				    rb__regex_check(fp->t->out, c->value ? c->value : "", &err);
				if (rc)
					return rc;
			} else if (strcmp(type, "Exact")) {
				err = rb__arena_printf(fp->t->out,
				                       "unsupported cookie match type %s", type);
				if (!err)
					return RB_ENOMEM;
			}
			fp->out->build_error = err;
		}
	}
	return RB_OK;
}

/* Does Go's regexp accept re? *err set (in the result arena) when not. */
static int regex_fails(rb__filter_pass *fp, const char *re, bool *fails)
{
	const char *err = NULL;
	int rc = rb__regex_check(fp->t->out, re ? re : "", &err);
	*fails = err != NULL;
	return rc;
}

static int url_rewrite(rb__filter_pass *fp, const rb__http_route_filter *hrf, const char *who)
{
	rb__rule_filters *out = fp->out;
	bool host = hrf->has_rewrite_hostname, path = hrf->has_rewrite_path;
	/* hasMultipleExtensionRewrites / hasConflictingExtensionAndCoreRewrites */
	if (out->has_url_rewrite &&
	    (((out->ext_host_rewrite || out->ext_path_rewrite) && (host || path)) ||
	     (host && out->core_host_rewrite) || (path && out->core_path_rewrite)))
		return rb__filter_fail(fp, RB_COND_ACCEPTED, RB_REASON_UNSUPPORTED_VALUE, who, "%s",
		                       MULTIPLE_REWRITES);
	out->has_url_rewrite = true;
	bool fails;
	int rc;
	if (path && rb__str_eq(hrf->rewrite_path_type, "ReplaceRegexMatch")) {
		if (rb__str_empty(hrf->rewrite_path_pattern))
			return rb__filter_fail(
			    fp, RB_COND_ACCEPTED, RB_REASON_UNSUPPORTED_VALUE, who,
			    "ReplaceRegexMatch Pattern must be set when rewrite path type "
			    "is \"ReplaceRegexMatch\"");
		if ((rc = regex_fails(fp, hrf->rewrite_path_pattern, &fails)))
			return rc;
		if (fails)
			return rb__filter_fail(
			    fp, RB_COND_ACCEPTED, RB_REASON_UNSUPPORTED_VALUE, who,
			    "ReplaceRegexMatch must be a valid RE2 regular expression");
		out->ext_path_rewrite = true;
	}
	if (!host)
		return RB_OK;
	const char *type = hrf->rewrite_hostname_type ? hrf->rewrite_hostname_type : "";
	if (!strcmp(type, "Header")) {
		if (rb__str_empty(hrf->rewrite_host_header))
			return rb__filter_fail(
			    fp, RB_COND_ACCEPTED, RB_REASON_UNSUPPORTED_VALUE, who,
			    "Header must be set when rewrite path type is \"Header\"");
		out->ext_host_rewrite = true;
	} else if (!strcmp(type, RB_KIND_BACKEND)) {
		out->ext_host_rewrite = true;
	} else if (!strcmp(type, "PathRegex")) {
		if (rb__str_empty(hrf->rewrite_host_pattern) ||
		    rb__str_empty(hrf->rewrite_host_substitution))
			return rb__filter_fail(
			    fp, RB_COND_ACCEPTED, RB_REASON_UNSUPPORTED_VALUE, who,
			    "PathRegex Pattern and Substitution must be set when rewrite "
			    "hostname type is \"PathRegex\"");
		if ((rc = regex_fails(fp, hrf->rewrite_host_pattern, &fails)))
			return rc;
		if (fails)
			return rb__filter_fail(fp, RB_COND_ACCEPTED, RB_REASON_UNSUPPORTED_VALUE, who,
			                       "PathRegex must be a valid RE2 regular expression");
		out->ext_host_rewrite = true;
		out->host_from_path = true;
	}
	return RB_OK; /* an unknown hostname type sets nothing */
}

/* getCustomResponseBody: only a ValueRef body can be missing. */
static int direct_response(rb__filter_pass *fp, const rb__http_route_filter *hrf, const char *who)
{
	rb__tr *t = fp->t;
	const char *ns = fp->p->route->meta.namespace_;
	if (rb__str_eq(hrf->body_type, "ValueRef")) {
		const char *name = hrf->has_body_value_ref ? hrf->body_value_ref_name : NULL;
		const rb__ca_holder *cm = find_named(&t->m->config_maps, ns, name ? name : "");
		if (!cm)
			return invalid(fp, who,
			               rb__arena_printf(t->out,
			                                "can't find the referenced configmap %s/%s",
			                                ns, name ? name : ""));
		if (!cm->has_response_body && !cm->has_any_data)
			return invalid(
			    fp, who,
			    rb__arena_printf(t->out,
			                     "can't find the key response.body in the referenced "
			                     "configmap %s/%s",
			                     ns, name));
	}
	uint32_t status = hrf->has_status_code ? hrf->status_code : 200;
	const char *why = rb__arena_printf(t->out, "its directResponse answers %u", status);
	if (!why)
		return RB_ENOMEM;
	rb__filter_answer(fp, status, who, why);
	return RB_OK;
}

/* A Secret in another namespace needs a ReferenceGrant from HTTPRouteFilters. */
static bool secret_granted(rb__tr *t, const char *from_ns, const char *ns, const char *name)
{
	rb__tr_dep(t, RB_DEP_GRANTS, ns, "");
	const rb__vec *grants = &t->m->reference_grants;
	for (size_t i = 0; i < grants->len; i++) {
		const rb__reference_grant *g = RB_VEC_AT(grants, const rb__reference_grant *, i);
		if (!rb__str_eq(g->meta.namespace_, ns))
			continue;
		bool from = false, to = false;
		for (size_t k = 0; k < g->from_count && !from; k++)
			from = rb__str_eq(g->from[k].group, RB_GROUP_ENVOY_GATEWAY) &&
			       rb__str_eq(g->from[k].kind, HRF) &&
			       rb__str_eq(g->from[k].namespace_, from_ns);
		for (size_t k = 0; k < g->to_count && !to; k++)
			to = rb__str_empty(g->to[k].group) && rb__str_eq(g->to[k].kind, "Secret") &&
			     (rb__str_empty(g->to[k].name) || rb__str_eq(g->to[k].name, name));
		if (from && to)
			return true;
	}
	return false;
}

/* validateSecretRef and the "credential" key. */
static int credential_injection(rb__filter_pass *fp, const rb__http_route_filter *hrf,
                                const char *who)
{
	rb__tr *t = fp->t;
	const rb__object_ref *ref = &hrf->credential_ref;
	const char *route_ns = fp->p->route->meta.namespace_;
	const char *ns = rb__str_empty(ref->namespace_) ? route_ns : ref->namespace_;
	const char *name = ref->name ? ref->name : "";
	const char *kind = ref->kind ? ref->kind : "Secret";
	if (!rb__str_empty(ref->group))
		return invalid(fp, who, "secret ref group must be unspecified/empty");
	/* A ConfigMap kind passes this check and is then looked up as a Secret. */
	if (strcmp(kind, "Secret") && strcmp(kind, "ConfigMap"))
		return invalid(fp, who, "secret ref kind must be Secret");
	if (strcmp(ns, route_ns) && !secret_granted(t, route_ns, ns, name))
		return invalid(
		    fp, who,
		    rb__arena_printf(t->out, "ref to %s %s/%s not permitted by any ReferenceGrant",
		                     kind, ns, name));
	const rb__secret *s = find_named(&t->m->secrets, ns, name);
	if (!s)
		return invalid(fp, who,
		               rb__arena_printf(t->out, "secret %s/%s does not exist", ns, name));
	if (!s->has_credential)
		return invalid(
		    fp, who,
		    rb__arena_printf(t->out, "credential key credential not found in secret %s/%s",
		                     ns, name));
	return RB_OK;
}

static int http_route_filter(rb__filter_pass *fp, const rb__object_ref *ref)
{
	rb__tr *t = fp->t;
	const char *ns = fp->p->route->meta.namespace_;
	const rb__http_route_filter *hrf = find_hrf(t, ns, ref->name);
	if (!hrf)
		return unresolved(fp, HRF,
		                  rb__arena_printf(t->out,
		                                   "Unable to translate HTTPRouteFilter: %s/%s", ns,
		                                   ref->name));
	const char *who = rb__arena_printf(t->out, "HTTPRouteFilter %s/%s", ns, ref->name);
	if (!who)
		return RB_ENOMEM;
	int rc;
	if (hrf->match_count) {
		if (fp->out->hrf_matches)
			return rb__filter_fail(
			    fp, RB_COND_ACCEPTED, RB_REASON_UNSUPPORTED_VALUE, who,
			    "only one HTTPRouteFilter with matches is supported per "
			    "HTTPRouteRule");
		fp->out->hrf_matches = true;
		if ((rc = cookie_matches(fp, hrf)))
			return rc;
	}
	if (hrf->has_url_rewrite) {
		size_t before = fp->errors->len;
		if ((rc = url_rewrite(fp, hrf, who)) || fp->errors->len != before)
			return rc;
	}
	if (hrf->has_direct_response) {
		/* A body that cannot be found answers 500: that ends this filter too. */
		size_t before = fp->errors->len;
		if ((rc = direct_response(fp, hrf, who)) || fp->errors->len != before)
			return rc;
	}
	return hrf->has_credential_injection ? credential_injection(fp, hrf, who) : RB_OK;
}

/* An extension kind: the object's group is its apiVersion up to the first '/'. */
static int extension_object(rb__filter_pass *fp, const rb__object_ref *ref)
{
	rb__tr *t = fp->t;
	const char *ns = fp->p->route->meta.namespace_;
	const rb__vec *v = &t->m->extension_objects;
	const char *group = ref->group ? ref->group : "";
	for (size_t i = 0; i < v->len; i++) {
		const rb__unstructured *u = RB_VEC_AT(v, const rb__unstructured *, i);
		if (!rb__str_eq(u->meta.kind, ref->kind) || !rb__str_eq(u->meta.name, ref->name) ||
		    !rb__str_eq(u->meta.namespace_, ns))
			continue;
		const char *api = u->api_version ? u->api_version : "";
		const char *slash = strchr(api, '/');
		if (!slash)
			return unresolved(
			    fp, ref->kind,
			    rb__arena_printf(t->out,
			                     "Unable to translate APIVersion for Extension "
			                     "Filter: kind: %s, %s/%s",
			                     ref->kind, ns, ref->name));
		if (strlen(group) == (size_t)(slash - api) && !memcmp(api, group, strlen(group)))
			return RB_OK;
	}
	return unresolved(fp, ref->kind,
	                  rb__arena_printf(t->out, "Reference %s/%s not found for filter type: %s",
	                                   ns, ref->name, ref->kind));
}

int rb__filter_extension_ref(rb__filter_pass *fp, const rb__object_ref *ref)
{
	if (rb__str_eq(ref->group, RB_GROUP_ENVOY_GATEWAY) && rb__str_eq(ref->kind, HRF))
		return http_route_filter(fp, ref);
	return extension_object(fp, ref);
}
