/*
 * Routes defined twice in the input (lib/translate/route_copies.c): both
 * copies are translated, the route reports its later copy's status only, a
 * warning names the later copy, and the incremental engine agrees with a full
 * translation once a change replaces the copies.
 */
#include "rebalance/rebalance.h"
#include "testutil.h"

#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEAD                                                                                       \
	"gateways:\n"                                                                              \
	"- metadata: {namespace: infra, name: a}\n"                                                \
	"  spec:\n"                                                                                \
	"    gatewayClassName: envoy-gateway-class\n"                                              \
	"    listeners: [{name: http, protocol: HTTP, port: 80, allowedRoutes: {namespaces: "      \
	"{from: All}}}]\n"                                                                         \
	"- metadata: {namespace: infra, name: b}\n"                                                \
	"  spec:\n"                                                                                \
	"    gatewayClassName: envoy-gateway-class\n"                                              \
	"    listeners: [{name: http, protocol: HTTP, port: 80, allowedRoutes: {namespaces: "      \
	"{from: All}}}]\n"                                                                         \
	"services:\n"                                                                              \
	"- metadata: {namespace: shop, name: app}\n"                                               \
	"  spec: {clusterIP: 10.0.0.1, ports: [{name: http, port: 80}]}\n"                         \
	"httpRoutes:\n"

/* HTTPRoute shop/web on Gateway gw. */
#define WEB(gw)                                                                                    \
	"- metadata: {namespace: shop, name: web}\n"                                               \
	"  spec:\n"                                                                                \
	"    parentRefs: [{namespace: infra, name: " gw "}]\n"                                     \
	"    rules: [{backendRefs: [{name: app, port: 80}]}]\n"

static rb_input *input(rb_ctx *ctx, const char *doc)
{
	rb_input *in;
	ck_assert_int_eq(rb_input_new(&in, ctx), RB_OK);
	ck_assert_int_eq(rb_input_add_buffer(in, doc, strlen(doc), "in.yaml", RB_INPUT_YAML),
	                 RB_OK);
	return in;
}

/* [input.duplicates.routes] [warn.duplicate-object] */
START_TEST(both_copies_translated_one_status_a_warning)
{
	static const char DOC[] = HEAD WEB("a") WEB("b");
	rb_ctx *ctx;
	ck_assert_int_eq(rb_ctx_new(&ctx, NULL), RB_OK);
	rb_input *in = input(ctx, DOC);
	rb_translate_options o = RB_TRANSLATE_OPTIONS_INIT;
	rb_result *res;
	ck_assert_int_eq(rb_translate(&res, in, &o), RB_OK);
	/* One destination per copy (each on its Gateway)... */
	ck_assert_uint_eq(rb_result_destination_count(res), 2);
	/* ...and one status: the later copy's, for Gateway b. */
	ck_assert_uint_eq(rb_result_route_status_count(res), 1);
	char *yaml = tu_render(res, RB_FORMAT_YAML);
	ck_assert_ptr_nonnull(strstr(yaml, "parentRef: {namespace: infra, name: b}"));
	ck_assert_ptr_null(strstr(yaml, "parentRef: {namespace: infra, name: a}"));
	free(yaml);
	bool warned = false;
	for (size_t i = 0; i < rb_result_warning_count(res); i++) {
		char msg[1024];
		rb_diag_format(rb_result_warning(res, i), msg, sizeof msg);
		warned |= strstr(msg, "HTTPRoute shop/web is defined again at in.yaml:") != NULL;
	}
	ck_assert_msg(warned, "no warning about the second copy");
	rb_result_free(res);
	rb_input_free(in);
	rb_ctx_free(ctx);
}
END_TEST

/* [input.duplicates.routes] */
START_TEST(engine_replaces_the_copies)
{
	static const char DOC[] = HEAD WEB("a") WEB("b");
	/* A change takes the first copy's place and removes the later ones (engine.h). */
	static const char AFTER[] = HEAD WEB("b");
	static const char CHANGE[] = "apiVersion: gateway.networking.k8s.io/v1\n"
	                             "kind: HTTPRoute\n"
	                             "metadata: {namespace: shop, name: web}\n"
	                             "spec:\n"
	                             "  parentRefs: [{namespace: infra, name: b}]\n"
	                             "  rules: [{backendRefs: [{name: app, port: 80}]}]\n";
	rb_ctx *ctx;
	ck_assert_int_eq(rb_ctx_new(&ctx, NULL), RB_OK);
	rb_input *in = input(ctx, DOC), *after = input(ctx, AFTER);
	rb_engine *e;
	const rb_result *got;
	rb_result *want;
	rb_translate_options o = RB_TRANSLATE_OPTIONS_INIT;
	ck_assert_int_eq(rb_engine_new(&e, in, NULL), RB_OK);
	ck_assert_int_eq(rb_engine_translate(e, &got), RB_OK);
	ck_assert_uint_eq(rb_result_route_status_count(got), 1);
	ck_assert_int_eq(rb_engine_apply_buffer(e, CHANGE, strlen(CHANGE), "c.yaml", RB_INPUT_YAML),
	                 RB_OK);
	ck_assert_int_eq(rb_engine_translate(e, &got), RB_OK);
	ck_assert_int_eq(rb_translate(&want, after, &o), RB_OK);
	char *a = tu_render(got, RB_FORMAT_YAML), *b = tu_render(want, RB_FORMAT_YAML);
	ck_assert_str_eq(a, b);
	free(a);
	free(b);
	rb_result_free(want);
	rb_engine_free(e);
	rb_input_free(after);
	rb_input_free(in);
	rb_ctx_free(ctx);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("route_copies");
	TCase *tc = tcase_create("copies");
	tcase_add_test(tc, both_copies_translated_one_status_a_warning);
	tcase_add_test(tc, engine_replaces_the_copies);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
