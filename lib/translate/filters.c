/*
 * A rule's filters, in order (Envoy Gateway's ProcessHTTPFilters and
 * ProcessGRPCFilters), as far as they decide what the rule answers:
 *
 *  - once a filter answers on its own (an HTTPRouteFilter directResponse, or
 *    the 500 of a filter that is invalid or unresolved), later filters are
 *    not looked at;
 *  - a filter whose type or kind is not supported makes the rule unaccepted
 *    (processInvalidHTTPFilter); every other error is the filter's own;
 *  - any error whose type is not BackendsAvailable makes the rule answer 500
 *    (a mirror to a Service without endpoints is the non-fatal kind);
 *  - after the loop: a mirror cannot go with a direct response or a
 *    redirect; a gRPC rule cannot answer 2xx on its own.
 *
 * What the filters do to requests (header values, rewrites) is the data
 * plane's business: only the checks that decide validity are modelled.
 *
 * Rules: [filter.order] [filter.validate-type] [filter.error-classes]
 * [filter.mirror] [filter.http-overrides] [filter.grpc-2xx]
 * [filter.backend-ref].
 */
#include "translate/filters.h"

#include "core/strutil.h"
#include "rebalance/errors.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>


int rb__filter_fail(rb__filter_pass *fp, rb__cond_type type, const char *reason, const char *filter,
                    const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = rb__arena_vprintf(fp->t->out, fmt, ap);
	va_end(ap);
	if (!msg)
		return RB_ENOMEM;
	rb__rule_filters *out = fp->out;
	if (type != RB_COND_BACKENDS_AVAILABLE && !out->filter_error) {
		out->filter_error = true;
		out->error_filter = filter;
		out->error_message = msg;
	}
	int32_t rule = type == RB_COND_ACCEPTED ? (int32_t)fp->rule_index : -1;
	return rb__add_error(fp->t, fp->errors, type, reason, rule, "%s", msg);
}

void rb__filter_answer(rb__filter_pass *fp, uint32_t status, const char *filter, const char *why)
{
	fp->out->direct_response = status;
	fp->out->answer_filter = filter;
	fp->out->answer_message = why;
}

/* ValidateHTTPRouteFilter / ValidateGRPCRouteFilter: the error text, or NULL. */
static const char *validation_error(rb__filter_pass *fp, const rb__filter *f)
{
	static const char *const http_types[] = {"RequestMirror",          "URLRewrite",
	                                         "RequestRedirect",        "RequestHeaderModifier",
	                                         "ResponseHeaderModifier", "CORS"};
	size_t n = fp->grpc ? 0 : sizeof http_types / sizeof http_types[0];
	for (size_t i = 0; i < n; i++)
		if (!strcmp(f->type, http_types[i]))
			return NULL;
	if (fp->grpc &&
	    (!strcmp(f->type, "RequestMirror") || !strcmp(f->type, "RequestHeaderModifier") ||
	     !strcmp(f->type, "ResponseHeaderModifier")))
		return NULL;
	if (strcmp(f->type, "ExtensionRef"))
		return rb__arena_printf(fp->t->out, "unsupported filter type %s", f->type);
	if (!f->has_extension_ref)
		return "extensionRef field must be specified for an extended filter";
	const rb__object_ref *e = &f->extension_ref;
	if (rb__is_known_filter_ref(fp->t, e))
		return NULL;
	return rb__arena_printf(fp->t->out, "unknown kind %s/%s", e->group ? e->group : "",
	                        e->kind ? e->kind : "");
}

/* processInvalidHTTPFilter: Accepted/UnsupportedValue, and the filter answers 500. */
static int invalid_filter(rb__filter_pass *fp, const char *filter_type, const char *err)
{
	if (!err)
		return RB_ENOMEM;
	int rc = rb__filter_fail(fp, RB_COND_ACCEPTED, RB_REASON_UNSUPPORTED_VALUE, filter_type,
	                         "invalid filter %s: %s", filter_type, err);
	if (!rc)
		rb__filter_answer(fp, 500, fp->out->error_filter, fp->out->error_message);
	return rc;
}

/*
 * processRequestMirrorFilter: the mirror's backendRef is validated and
 * processed like a backendRef. No ready endpoints only leaves the mirror out
 * (BackendsAvailable); any other failure is a ResolvedRefs error (500).
 * gRPC mirrors are always named after rule 0 (ProcessGRPCFilters never sets
 * the rule index).
 */
static int mirror(rb__filter_pass *fp, size_t filter_index, const rb__filter *f)
{
	rb__tr *t = fp->t;
	const rb__route_rule *rule = &fp->p->route->rules[fp->rule_index];
	rb__backend_ref br;
	memset(&br, 0, sizeof br);
	br.ref = f->mirror_backend;
	int32_t named_rule = fp->grpc ? 0 : (int32_t)fp->rule_index;
	const char *dest = rb__destination_name(t, fp->p->route, named_rule);
	const char *name =
	    dest ? rb__arena_printf(t->out, "%s-mirror-%zu/backend/-1", dest, filter_index) : NULL;
	if (!name)
		return RB_ENOMEM;
	rb__ref_result res;
	int rc = rb__process_backend_ref(t, fp->p, rule, &br, name, &res);
	if (rc)
		return rc;
	if (!res.reason) {
		fp->out->mirror_count++;
		return RB_OK;
	}
	return rb__filter_fail(
	    fp, rb__ref_condition(res.reason), rb__ref_reason_name(res.reason),
	    "RequestMirror", "failed to validate the RequestMirror filter: %s", res.message);
}

static int one_filter(rb__filter_pass *fp, size_t i, const rb__filter *f)
{
	if (!strcmp(f->type, "RequestHeaderModifier"))
		return f->has_request_header_modifier
		           ? rb__filter_headers(fp, &f->request_header_modifier, false)
		           : RB_OK;
	if (!strcmp(f->type, "ResponseHeaderModifier"))
		return f->has_response_header_modifier
		           ? rb__filter_headers(fp, &f->response_header_modifier, true)
		           : RB_OK;
	if (!strcmp(f->type, "URLRewrite"))
		return f->has_url_rewrite ? rb__filter_url_rewrite(fp, f) : RB_OK;
	if (!strcmp(f->type, "RequestRedirect"))
		return f->has_redirect ? rb__filter_redirect(fp, f) : RB_OK;
	if (!strcmp(f->type, "RequestMirror"))
		return f->has_mirror ? mirror(fp, i, f) : RB_OK;
	if (!strcmp(f->type, "ExtensionRef"))
		return rb__filter_extension_ref(fp, &f->extension_ref);
	return RB_OK; /* CORS: never fails */
}

/* The checks after the loop: mirrors with a direct response or a redirect, gRPC 2xx. */
static int conflicts(rb__filter_pass *fp)
{
	rb__rule_filters *out = fp->out;
	int rc = RB_OK;
	if (out->direct_response && out->mirror_count) {
		out->direct_response = 0;
		out->mirror_count = 0;
		rc = rb__filter_fail(
		    fp, RB_COND_ACCEPTED, "IncompatibleFilters", "RequestMirror",
		    "RequestMirror filter cannot be used when the rule also configures "
		    "a DirectResponse filter");
	} else if (!fp->grpc && out->redirect && out->mirror_count) {
		out->redirect = false;
		out->mirror_count = 0;
		rc = rb__filter_fail(
		    fp, RB_COND_ACCEPTED, "IncompatibleFilters", "RequestMirror",
		    "RequestMirror filter cannot be used when the rule also configures "
		    "a RequestRedirect filter");
	}
	if (rc || !fp->grpc || out->direct_response < 200 || out->direct_response >= 300)
		return rc;
	out->direct_response = 0;
	return rb__filter_fail(
	    fp, RB_COND_ACCEPTED, RB_REASON_UNSUPPORTED_VALUE, out->answer_filter,
	    "DirectResponse with a 2xx status code is not supported for GRPCRoute: "
	    "a 2xx status maps to the gRPC OK status, but a direct response "
	    "cannot carry a gRPC response message, so the client would receive "
	    "an invalid response. Use a non-2xx status code to deny or block the "
	    "request instead");
}

static int run(rb__filter_pass *fp, const rb__filter *filters, size_t count)
{
	for (size_t i = 0; i < count && !fp->out->direct_response; i++) {
		const rb__filter *f = &filters[i];
		const char *err = validation_error(fp, f);
		int rc = err ? invalid_filter(fp, f->type, err) : one_filter(fp, i, f);
		if (rc)
			return rc;
	}
	return conflicts(fp);
}

int rb__process_rule_filters(rb__tr *t, const rb__parent *p, size_t rule_index, rb__vec *errors,
                             rb__rule_filters *out)
{
	memset(out, 0, sizeof *out);
	const rb__route_rule *rule = &p->route->rules[rule_index];
	rb__filter_pass fp = {t, p, rule_index, p->route->kind == RB_ROUTE_GRPC, errors, out};
	return run(&fp, rule->filters, rule->filter_count);
}

/*
 * processDestinationFilters: the same pass over a backendRef's filters (rule
 * index 0); every error, whatever its type, is joined raw. What an
 * HTTPRouteFilter answers at this level is dropped.
 */
int rb__backend_filter_errors(rb__tr *t, const rb__parent *p, const rb__backend_ref *br,
                              const char **joined)
{
	*joined = NULL;
	if (!br->filter_count)
		return RB_OK;
	rb__vec errors = {0};
	rb__rule_filters out;
	memset(&out, 0, sizeof out);
	rb__filter_pass fp = {t, p, 0, p->route->kind == RB_ROUTE_GRPC, &errors, &out};
	int rc = run(&fp, br->filters, br->filter_count);
	for (size_t i = 0; i < errors.len && !rc; i++) {
		const char *m = RB_VEC_AT(&errors, rb__route_error, i).message;
		/* (The error texts die with the route: status.c.) */
		*joined = *joined ? rb__arena_printf(t->out, "%s\n%s", *joined, m)
		                  : rb__arena_strdup(t->out, m);
		if (!*joined)
			rc = RB_ENOMEM;
	}
	rb__vec_free(t->mem, &errors);
	return rc;
}
