/*
 * Overlapping routes (lib/translate/overlap.c): routes of different objects
 * whose rules match the same requests on one listener get
 * RouteRulesOverlap=True naming each other; the incremental engine agrees
 * with a full translation as routes start and stop overlapping.
 */
#include "rebalance/rebalance.h"
#include "testutil.h"

#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GATEWAY(hostname)                                                                          \
	"gateways:\n"                                                                              \
	"- metadata: {namespace: infra, name: eg}\n"                                               \
	"  spec:\n"                                                                                \
	"    gatewayClassName: envoy-gateway-class\n"                                              \
	"    listeners:\n"                                                                         \
	"    - {name: http, protocol: HTTP, port: 80, " hostname                                   \
	" allowedRoutes: {namespaces: {from: All}}}\n"                                             \
	"services:\n"                                                                              \
	"- metadata: {namespace: shop, name: app}\n"                                               \
	"  spec: {clusterIP: 10.0.0.1, ports: [{name: http, port: 80}]}\n"

/* An HTTPRoute of namespace shop; `spec` goes after its parentRefs. */
#define ROUTE(name, spec)                                                                          \
	"- metadata: {namespace: shop, name: " name "}\n"                                          \
	"  spec:\n"                                                                                \
	"    parentRefs: [{namespace: infra, name: eg}]\n" spec

#define RULE(matches) "    rules: [{matches: " matches ", backendRefs: [{name: app, port: 80}]}]\n"

/* The RouteRulesOverlap message of a route's (first) status, or NULL. */
static const char *overlap(const rb_result *res, const char *route)
{
	for (size_t i = 0; i < rb_result_route_status_count(res); i++) {
		const rb_route_status *rs = rb_result_route_status(res, i);
		if (strcmp(rb_route_status_name(rs), route))
			continue;
		for (size_t c = 0; c < rb_route_status_condition_count(rs); c++) {
			const rb_condition *cond = rb_route_status_condition(rs, c);
			if (!strcmp(rb_condition_type(cond), "RouteRulesOverlap")) {
				ck_assert_str_eq(rb_condition_status(cond), "True");
				ck_assert_str_eq(rb_condition_reason(cond), "RouteRulesOverlap");
				return rb_condition_message(cond);
			}
		}
		return NULL;
	}
	ck_abort_msg("no status for %s", route);
	return NULL;
}

#define NAMES(list) "Overlapping match conditions with route(s): " list

/* [status.rules-overlap] */
START_TEST(identical_matches_on_one_listener_overlap)
{
	tu_fixture f = tu_translate(
	    GATEWAY("") "httpRoutes:\n" ROUTE("a", RULE("[{path: {type: Exact, value: /pay}}]"))
	        ROUTE("b", RULE("[{path: {type: Exact, "
	                        "value: /pay}}]")));
	ck_assert_str_eq(overlap(f.res, "a"), NAMES("HTTPRoute shop/b"));
	ck_assert_str_eq(overlap(f.res, "b"), NAMES("HTTPRoute shop/a"));
	tu_done(&f);
}
END_TEST

START_TEST(rules_without_matches_overlap_on_slash)
{
	tu_fixture f =
	    tu_translate(GATEWAY("") "httpRoutes:\n" ROUTE("a", RULE("[]"))
	                     ROUTE("b", "    rules: [{backendRefs: [{name: app, port: 80}]}]\n")
	                         ROUTE("c", RULE("[{path: {value: /}}]")));
	ck_assert_str_eq(overlap(f.res, "a"), NAMES("HTTPRoute shop/b, HTTPRoute shop/c"));
	ck_assert_str_eq(overlap(f.res, "c"), NAMES("HTTPRoute shop/a, HTTPRoute shop/b"));
	tu_done(&f);
}
END_TEST

START_TEST(what_tells_matches_apart)
{
	tu_fixture f = tu_translate(
	    GATEWAY("") "httpRoutes:\n" ROUTE("get", RULE("[{path: {value: /x}, method: GET}]"))
	        ROUTE("post", RULE("[{path: {value: /x}, method: POST}]"))
	            ROUTE("exact", RULE("[{path: {type: Exact, value: /x}, method: GET}]")) ROUTE(
	                "hdr", RULE("[{headers: [{name: v, value: '1'}, {name: w, value: '2'}]}]"))
	                ROUTE("hdr-swapped",
	                      RULE("[{headers: [{name: w, value: '2'}, {name: v, value: '1'}]}]"))
	                    ROUTE("hdr-other", RULE("[{headers: [{name: v, value: '9'}]}]")));
	ck_assert_ptr_null(overlap(f.res, "get"));
	ck_assert_ptr_null(overlap(f.res, "post"));
	ck_assert_ptr_null(overlap(f.res, "exact"));
	ck_assert_str_eq(overlap(f.res, "hdr"), NAMES("HTTPRoute shop/hdr-swapped"));
	ck_assert_ptr_null(overlap(f.res, "hdr-other"));
	tu_done(&f);
}
END_TEST

START_TEST(hostnames_are_intersected_with_the_listener)
{
	tu_fixture f = tu_translate(
	    GATEWAY("hostname: '*.example.com',") "httpRoutes:\n" ROUTE(
	        "wild", "    hostnames: ['*.example.com']\n" RULE("[]"))
	        ROUTE("a", "    hostnames: [a.example.com]\n" RULE("[]"))
	            ROUTE("a-too", "    hostnames: [a.example.com, c.example.com]\n" RULE("[]"))
	                ROUTE("b", "    hostnames: [b.example.com]\n" RULE("[]"))
	                    ROUTE("none", RULE("[]")));
	/* No hostname on the route: the listener's wildcard, as the wildcard route. */
	ck_assert_str_eq(overlap(f.res, "wild"), NAMES("HTTPRoute shop/none"));
	ck_assert_str_eq(overlap(f.res, "a"), NAMES("HTTPRoute shop/a-too"));
	ck_assert_ptr_null(overlap(f.res, "b"));
	tu_done(&f);
}
END_TEST

START_TEST(only_other_routes_and_only_kept_rules_count)
{
	tu_fixture f = tu_translate(
	    GATEWAY("") "httpRoutes:\n" ROUTE("twice",
	                                      "    rules:\n"
	                                      "    - matches: [{path: {value: /t}}]\n"
	                                      "      backendRefs: [{name: app, port: 80}]\n"
	                                      "    - matches: [{path: {value: /t}}]\n"
	                                      "      backendRefs: [{name: app, port: 80}]\n")
	        ROUTE("dropped", "    rules:\n"
	                         "    - matches: [{path: {value: /t}, headers: [{type: "
	                         "RegularExpression, name: x, value: '(('}]}]\n"
	                         "      backendRefs: [{name: app, port: 80}]\n"
	                         "    - matches: [{path: {value: /d}}]\n"
	                         "      backendRefs: [{name: app, port: 80}]\n")
	            ROUTE("same-as-dropped", "    rules:\n"
	                                     "    - matches: [{path: {value: /t}, headers: [{type: "
	                                     "RegularExpression, name: x, value: '(('}]}]\n"
	                                     "      backendRefs: [{name: app, port: 80}]\n"
	                                     "    - matches: [{path: {value: /s}}]\n"
	                                     "      backendRefs: [{name: app, port: 80}]\n"));
	ck_assert_ptr_null(overlap(f.res, "twice"));
	ck_assert_ptr_null(overlap(f.res, "dropped"));
	ck_assert_ptr_null(overlap(f.res, "same-as-dropped"));
	tu_done(&f);
}
END_TEST

START_TEST(grpc_routes_overlap_on_service_and_method)
{
	tu_fixture f = tu_translate(
	    GATEWAY("") "grpcRoutes:\n" ROUTE("g1",
	                                      RULE("[{method: {service: pay.V1, method: Charge}}]"))
	        ROUTE("g2", RULE("[{method: {service: pay.V1, method: Charge}}]"))
	            ROUTE("g3", RULE("[{method: {service: pay.V1, method: Refund}}]")));
	ck_assert_str_eq(overlap(f.res, "g1"), NAMES("GRPCRoute shop/g2"));
	ck_assert_ptr_null(overlap(f.res, "g3"));
	tu_done(&f);
}
END_TEST

START_TEST(many_overlapping_routes_are_named_up_to_sixteen)
{
	char doc[16384];
	int n = snprintf(doc, sizeof doc, "%s", GATEWAY("") "httpRoutes:\n");
	for (int i = 0; i < 20; i++)
		n += snprintf(doc + n, sizeof doc - (size_t)n,
		              "- metadata: {namespace: shop, name: r%02d}\n"
		              "  spec:\n"
		              "    parentRefs: [{namespace: infra, name: eg}]\n"
		              "    rules: [{backendRefs: [{name: app, port: 80}]}]\n",
		              i);
	tu_fixture f = tu_translate(doc);
	const char *msg = overlap(f.res, "r00");
	ck_assert_ptr_nonnull(strstr(msg, "HTTPRoute shop/r16 and others"));
	ck_assert_ptr_null(strstr(msg, "r17"));
	ck_assert_ptr_null(strstr(msg, "r00"));
	tu_done(&f);
}
END_TEST

/* ---- the engine ---- */

/* The engine's result equals a full translation of the same objects. */
static void check_engine(rb_engine *e, const char *full_doc)
{
	const rb_result *res;
	ck_assert_int_eq(rb_engine_translate(e, &res), RB_OK);
	tu_fixture f = tu_translate(full_doc);
	char *a = tu_render(res, RB_FORMAT_YAML), *b = tu_render(f.res, RB_FORMAT_YAML);
	ck_assert_str_eq(a, b);
	free(a);
	free(b);
	tu_done(&f);
}

#define R_A       ROUTE("a", RULE("[{path: {value: /a}}]"))
#define R_B_APART ROUTE("b", RULE("[{path: {value: /b}}]"))
#define R_B_SAME  ROUTE("b", RULE("[{path: {value: /a}}]"))
#define R_C_SAME  ROUTE("c", RULE("[{path: {value: /a}}]"))

static void apply(rb_engine *e, const char *route_yaml)
{
	/* The list entry as one document: drop the leading "- " and dedent. */
	char doc[1024], *o = doc;
	o += sprintf(o, "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n");
	for (const char *p = route_yaml + 2; *p; p++) {
		*o++ = *p;
		if (*p == '\n' && p[1] == ' ' && p[2] == ' ')
			p += 2;
	}
	*o = '\0';
	ck_assert_int_eq(rb_engine_apply_buffer(e, doc, strlen(doc), "route.yaml", RB_INPUT_YAML),
	                 RB_OK);
}

START_TEST(engine_follows_routes_starting_and_stopping_to_overlap)
{
	static const char START[] = GATEWAY("") "httpRoutes:\n" R_A R_B_APART;
	rb_ctx *ctx;
	rb_input *in;
	rb_engine *e;
	ck_assert_int_eq(rb_ctx_new(&ctx, NULL), RB_OK);
	ck_assert_int_eq(rb_input_new(&in, ctx), RB_OK);
	ck_assert_int_eq(rb_input_add_buffer(in, START, strlen(START), "in.yaml", RB_INPUT_YAML),
	                 RB_OK);
	ck_assert_int_eq(rb_engine_new(&e, in, NULL), RB_OK);
	check_engine(e, START);

	apply(e, R_B_SAME); /* b starts to overlap a */
	check_engine(e, GATEWAY("") "httpRoutes:\n" R_A R_B_SAME);
	apply(e, R_C_SAME); /* a new route joins them */
	check_engine(e, GATEWAY("") "httpRoutes:\n" R_A R_B_SAME R_C_SAME);
	ck_assert_int_eq(rb_engine_delete(e, "HTTPRoute", "shop", "a"), RB_OK);
	check_engine(e, GATEWAY("") "httpRoutes:\n" R_B_SAME R_C_SAME);
	apply(e, R_B_APART); /* b leaves: c overlaps nothing */
	check_engine(e, GATEWAY("") "httpRoutes:\n" R_B_APART R_C_SAME);
	rb_engine_free(e);
	rb_input_free(in);
	rb_ctx_free(ctx);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("overlap");
	TCase *tc = tcase_create("translate");
	tcase_add_test(tc, identical_matches_on_one_listener_overlap);
	tcase_add_test(tc, rules_without_matches_overlap_on_slash);
	tcase_add_test(tc, what_tells_matches_apart);
	tcase_add_test(tc, hostnames_are_intersected_with_the_listener);
	tcase_add_test(tc, only_other_routes_and_only_kept_rules_count);
	tcase_add_test(tc, grpc_routes_overlap_on_service_and_method);
	tcase_add_test(tc, many_overlapping_routes_are_named_up_to_sixteen);
	suite_add_tcase(s, tc);
	tc = tcase_create("engine");
	tcase_add_test(tc, engine_follows_routes_starting_and_stopping_to_overlap);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
