/*
 * Route filter rules that are easy to get wrong (docs/filters.md), through
 * the public API: which rules answer 500, which answer a filter's own status,
 * and which condition says so.
 */
#include "rebalance/rebalance.h"
#include "testutil.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char BASE[] =
    "gateways:\n"
    "- metadata: {namespace: default, name: gw}\n"
    "  spec:\n"
    "    gatewayClassName: envoy-gateway-class\n"
    "    listeners:\n"
    "    - {name: http, protocol: HTTP, port: 80, allowedRoutes: {namespaces: {from: All}}}\n"
    "services:\n"
    "- metadata: {namespace: default, name: web}\n"
    "  spec: {clusterIP: 10.0.0.1, ports: [{name: http, port: 80}]}\n"
    "endpointSlices:\n"
    "- metadata: {namespace: default, name: web-a, labels: {kubernetes.io/service-name: web}}\n"
    "  addressType: IPv4\n"
    "  ports: [{name: http, port: 8080}]\n"
    "  endpoints: [{addresses: [10.1.0.1]}]\n"
    "httpFilters:\n"
    "- metadata: {namespace: default, name: teapot}\n"
    "  spec: {directResponse: {statusCode: 418}}\n";

/* An HTTPRoute "r" (or a GRPCRoute "g") whose only rule has `filters` and a backendRef to web. */
#define ROUTE(key, name, filters)                                                                  \
	key ":\n"                                                                                  \
	    "- metadata: {namespace: default, name: " name "}\n"                                   \
	    "  spec:\n"                                                                            \
	    "    parentRefs: [{name: gw}]\n"                                                       \
	    "    rules:\n"                                                                         \
	    "    - backendRefs: [{name: web, port: 80}]\n"                                         \
	    "      filters: " filters "\n"
#define HTTP(filters) ROUTE("httpRoutes", "r", filters)
#define GRPC(filters) ROUTE("grpcRoutes", "g", filters)

#define HEADERS(values) "[{type: RequestHeaderModifier, requestHeaderModifier: {set: " values "}}]"
#define TEAPOT                                                                                     \
	"{type: ExtensionRef, extensionRef: {group: gateway.envoyproxy.io, "                       \
	"kind: HTTPRouteFilter, name: teapot}}"

typedef struct fixture {
	rb_ctx *ctx;
	rb_input *in;
	rb_result *res;
} fixture;

static fixture translate(const char *routes)
{
	fixture f = {NULL, NULL, NULL};
	size_t n = strlen(BASE) + strlen(routes) + 1;
	char *doc = malloc(n);
	snprintf(doc, n, "%s%s", BASE, routes);
	ck_assert_int_eq(rb_ctx_new(&f.ctx, NULL), RB_OK);
	ck_assert_int_eq(rb_input_new(&f.in, f.ctx), RB_OK);
	ck_assert_int_eq(rb_input_add_buffer(f.in, doc, strlen(doc), "test.yaml", RB_INPUT_YAML),
	                 RB_OK);
	ck_assert_int_eq(rb_translate(&f.res, f.in, NULL), RB_OK);
	free(doc);
	return f;
}

static void done(fixture *f)
{
	rb_result_free(f->res);
	rb_input_free(f->in);
	rb_ctx_free(f->ctx);
}

/* The direct response of the only destination, or -1 when there is none. */
static long answer(const fixture *f)
{
	if (rb_result_destination_count(f->res) == 0)
		return -1;
	return (long)rb_destination_direct_response(rb_result_destination(f->res, 0));
}

static const char *accepted(const fixture *f)
{
	const rb_route_status *rs = rb_result_route_status(f->res, 0);
	ck_assert_ptr_nonnull(rs);
	return rb_condition_status(rb_route_status_condition(rs, 0));
}

static long answer_of(const char *routes)
{
	fixture f = translate(routes);
	long code = answer(&f);
	done(&f);
	return code;
}

/* [filter.headers] */
START_TEST(header_values_are_visible_ascii_words_with_single_blanks)
{
	ck_assert_int_eq(answer_of(HTTP(HEADERS("[{name: x, value: \"a b\\tc\"}]"))), 0);
	ck_assert_int_eq(answer_of(HTTP(HEADERS("[{name: x, value: \"a  b\"}]"))), 500);
	ck_assert_int_eq(answer_of(HTTP(HEADERS("[{name: x, value: \" a\"}]"))), 500);
	ck_assert_int_eq(answer_of(HTTP(HEADERS("[{name: x, value: \"\"}]"))), 500);
	ck_assert_int_eq(answer_of(HTTP(HEADERS("[{name: x, value: \"caf\\u00e9\"}]"))), 500);
}
END_TEST

/* [filter.headers] */
START_TEST(host_and_pseudo_headers_cannot_be_modified)
{
	ck_assert_int_eq(answer_of(HTTP(HEADERS("[{name: HoSt, value: a}]"))), 500);
	ck_assert_int_eq(answer_of(HTTP(HEADERS("[{name: \":path\", value: a}]"))), 500);
	ck_assert_int_eq(answer_of(HTTP(HEADERS("[{name: hosts, value: a}]"))), 0);
}
END_TEST

/* [filter.validate-type] [filter.error-classes] */
START_TEST(invalid_filter_unaccepts_the_rule_and_says_which)
{
	fixture f = translate(HTTP(HEADERS("[{name: \"a/b\", value: a}, {name: ok, value: a}]")));
	ck_assert_int_eq(answer(&f), 500);
	ck_assert_str_eq(accepted(&f), "False");
	const rb_destination *d = rb_result_destination(f.res, 0);
	ck_assert_str_eq(rb_destination_direct_response_by(d), "RequestHeaderModifier");
	ck_assert_ptr_nonnull(strstr(rb_destination_direct_response_reason(d), "\"a/b\""));
	done(&f);
}
END_TEST

/* [filter.order] [direct.filter-status] */
START_TEST(direct_response_keeps_its_status_and_stops_later_filters)
{
	/* The invalid header modifier after the direct response is never looked at. */
	fixture f = translate(HTTP("[" TEAPOT ", {type: RequestHeaderModifier, "
	                           "requestHeaderModifier: {set: [{name: host, value: a}]}}]"));
	ck_assert_int_eq(answer(&f), 418);
	ck_assert_str_eq(accepted(&f), "True");
	ck_assert_str_eq(rb_destination_direct_response_by(rb_result_destination(f.res, 0)),
	                 "HTTPRouteFilter default/teapot");
	done(&f);
}
END_TEST

/* [filter.http-overrides] [direct.filter-error] */
START_TEST(http_filter_error_overrides_a_direct_response_grpc_keeps_it)
{
	/* The error comes first, so the direct response is still reached. */
#define ERROR_THEN_TEAPOT                                                                          \
	"[{type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: host, value: "        \
	"a}]}}, " TEAPOT "]"
	ck_assert_int_eq(answer_of(HTTP(ERROR_THEN_TEAPOT)), 500);
	/* gRPC keeps a direct response made by a filter (418 is not 2xx). A second,
	 * valid rule keeps the route accepted, hence programmed. */
	fixture f =
	    translate(GRPC(ERROR_THEN_TEAPOT) "    - backendRefs: [{name: web, port: 80}]\n");
	ck_assert_int_eq(answer(&f), 418);
	done(&f);
}
END_TEST

/* [filter.rewrite] */
START_TEST(any_two_core_rewrites_conflict)
{
	ck_assert_int_eq(
	    answer_of(HTTP("[{type: URLRewrite, urlRewrite: {hostname: a.example.com}}, "
	                   "{type: URLRewrite, urlRewrite: {path: {type: "
	                   "ReplaceFullPath, replaceFullPath: /x}}}]")),
	    500);
	ck_assert_int_eq(answer_of(HTTP("[{type: URLRewrite, urlRewrite: {hostname: a.example.com, "
	                                "path: {type: ReplaceFullPath, replaceFullPath: /x}}}]")),
	                 0);
}
END_TEST

/* [filter.redirect] */
START_TEST(redirect_takes_five_codes)
{
	ck_assert_int_eq(answer_of(HTTP("[{type: RequestRedirect, requestRedirect: "
	                                "{statusCode: 308}}]")),
	                 -1); /* a redirect: no destination at all */
	ck_assert_int_eq(answer_of(HTTP("[{type: RequestRedirect, requestRedirect: "
	                                "{statusCode: 304}}]")),
	                 500);
}
END_TEST

START_TEST(plain_number_match_values_are_text)
{
	fixture f = translate(
	    "httpRoutes:\n"
	    "- metadata: {namespace: default, name: r}\n"
	    "  spec:\n"
	    "    parentRefs: [{name: gw}]\n"
	    "    rules:\n"
	    "    - matches: [{queryParams: [{name: id, value: 1234}],\n"
	    "                 headers: [{name: x, type: RegularExpression, value: 0x1F}]}]\n"
	    "      backendRefs: [{name: web, port: 80}]\n");
	ck_assert_int_eq(answer(&f), 0);
	ck_assert_str_eq(accepted(&f), "True");
	done(&f);
}
END_TEST

/* [l7.rule-drop] [filter.hrf] */
START_TEST(bad_cookie_regex_drops_the_rule_two_match_filters_conflict)
{
	const char *hrf = "- metadata: {namespace: default, name: %s}\n"
	                  "  spec: {matches: [{cookies: [{name: c, type: RegularExpression, "
	                  "value: \"%s\"}]}]}\n";
	/* BASE ends with its httpFilters list: these items continue it. */
	char doc[2048];
	int n = snprintf(doc, sizeof doc, hrf, "bad", "(");
	n += snprintf(doc + n, sizeof doc - (size_t)n, hrf, "good", "a.*");
	snprintf(doc + n, sizeof doc - (size_t)n,
	         HTTP("[{type: ExtensionRef, extensionRef: {group: gateway.envoyproxy.io, kind: "
	              "HTTPRouteFilter, name: bad}}]"));
	fixture f = translate(doc);
	ck_assert_int_eq(answer(&f), -1); /* dropped: no route, no destination */
	ck_assert_str_eq(accepted(&f), "False");
	done(&f);
	n = snprintf(doc, sizeof doc, hrf, "good", "a.*");
	snprintf(doc + n, sizeof doc - (size_t)n,
	         HTTP("[{type: ExtensionRef, extensionRef: {group: gateway.envoyproxy.io, kind: "
	              "HTTPRouteFilter, name: good}}, {type: ExtensionRef, extensionRef: {group: "
	              "gateway.envoyproxy.io, kind: HTTPRouteFilter, name: good}}]"));
	f = translate(doc);
	ck_assert_int_eq(answer(&f), 500);
	ck_assert_str_eq(accepted(&f), "False");
	done(&f);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("filters");
	TCase *tc = tcase_create("headers");
	tcase_add_test(tc, header_values_are_visible_ascii_words_with_single_blanks);
	tcase_add_test(tc, host_and_pseudo_headers_cannot_be_modified);
	suite_add_tcase(s, tc);
	tc = tcase_create("answers");
	tcase_add_test(tc, invalid_filter_unaccepts_the_rule_and_says_which);
	tcase_add_test(tc, direct_response_keeps_its_status_and_stops_later_filters);
	tcase_add_test(tc, http_filter_error_overrides_a_direct_response_grpc_keeps_it);
	tcase_add_test(tc, any_two_core_rewrites_conflict);
	tcase_add_test(tc, redirect_takes_five_codes);
	suite_add_tcase(s, tc);
	tc = tcase_create("matches");
	tcase_add_test(tc, plain_number_match_values_are_text);
	tcase_add_test(tc, bad_cookie_regex_drops_the_rule_two_match_filters_conflict);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
