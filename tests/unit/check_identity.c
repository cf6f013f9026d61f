/*
 * Which Gateway and listeners a destination is for (translate.c, emitted in
 * the IR): one destination per Gateway even when results are equal, the
 * listeners that program it, a key unique in the result, and a ListenerSet's
 * listeners named with their ListenerSet. Rules: [name.key]
 */
#include "rebalance/rebalance.h"
#include "testutil.h"

#include <check.h>
#include <string.h>

#define GATEWAY(name, listeners)                                                                   \
	"- metadata: {namespace: infra, name: " name "}\n"                                         \
	"  spec:\n"                                                                                \
	"    gatewayClassName: envoy-gateway-class\n"                                              \
	"    allowedListeners: {namespaces: {from: All}}\n"                                        \
	"    listeners:\n" listeners

#define HTTP(name, port)                                                                           \
	"    - {name: " name ", protocol: HTTP, port: " port                                       \
	", allowedRoutes: {namespaces: {from: All}}}\n"

/* Service app (ready) and canary (no endpoints). */
#define SERVICES                                                                                   \
	"services:\n"                                                                              \
	"- metadata: {namespace: shop, name: app}\n"                                               \
	"  spec: {clusterIP: 10.0.0.1, ports: [{name: http, port: 80}]}\n"                         \
	"- metadata: {namespace: shop, name: canary}\n"                                            \
	"  spec: {clusterIP: 10.0.0.2, ports: [{name: http, port: 80}]}\n"                         \
	"endpointSlices:\n"                                                                        \
	"- metadata: {namespace: shop, name: app-1, labels: {kubernetes.io/service-name: app}}\n"  \
	"  addressType: IPv4\n"                                                                    \
	"  ports: [{name: http, port: 8080}]\n"                                                    \
	"  endpoints: [{addresses: [10.1.0.1], conditions: {ready: true}}]\n"

#define RULES "    rules: [{backendRefs: [{name: app, port: 80}, {name: canary, port: 80}]}]\n"

static const rb_destination *nth(const tu_fixture *f, size_t i)
{
	ck_assert_uint_gt(rb_result_destination_count(f->res), i);
	return rb_result_destination(f->res, i);
}

START_TEST(each_gateway_has_its_own_destination)
{
	tu_fixture f = tu_translate("gateways:\n" GATEWAY("a", HTTP("http", "80"))
	                                GATEWAY("b", HTTP("web", "8080")) SERVICES
	                            "httpRoutes:\n"
	                            "- metadata: {namespace: shop, name: web}\n"
	                            "  spec:\n"
	                            "    parentRefs: [{namespace: infra, name: a}, {namespace: "
	                            "infra, name: b}]\n" RULES);
	/* Equal results, two Gateways: two destinations of the same name. */
	ck_assert_uint_eq(rb_result_destination_count(f.res), 2);
	const rb_destination *a = nth(&f, 0), *b = nth(&f, 1);
	ck_assert_str_eq(rb_destination_name(a), rb_destination_name(b));
	ck_assert_str_eq(rb_destination_gateway(a), "infra/a");
	ck_assert_str_eq(rb_destination_gateway(b), "infra/b");
	ck_assert_str_eq(rb_destination_key(a), "infra/a/httproute/shop/web/rule/0");
	ck_assert_str_eq(rb_destination_key(b), "infra/b/httproute/shop/web/rule/0");
	ck_assert_uint_eq(rb_destination_listener_count(b), 1);
	ck_assert_str_eq(rb_destination_listener_name(b, 0), "web");
	ck_assert_uint_eq(rb_destination_listener_port(b, 0), 8080);
	ck_assert_ptr_null(rb_destination_listener_set(b, 0));
	ck_assert_ptr_null(rb_destination_listener_name(b, 1));
	tu_done(&f);
}
END_TEST

START_TEST(listeners_with_one_result_share_a_destination)
{
	tu_fixture f = tu_translate(
	    "gateways:\n" GATEWAY("eg", HTTP("one", "80") HTTP("two", "81")) SERVICES
	    "httpRoutes:\n"
	    "- metadata: {namespace: shop, name: web}\n"
	    "  spec:\n"
	    "    parentRefs: [{namespace: infra, name: eg, sectionName: one},\n"
	    "                 {namespace: infra, name: eg, sectionName: two}]\n" RULES);
	ck_assert_uint_eq(rb_result_destination_count(f.res), 1);
	const rb_destination *d = nth(&f, 0);
	ck_assert_uint_eq(rb_destination_listener_count(d), 2);
	ck_assert_str_eq(rb_destination_listener_name(d, 0), "one");
	ck_assert_str_eq(rb_destination_listener_name(d, 1), "two");
	ck_assert_str_eq(rb_destination_key(d), "infra/eg/httproute/shop/web/rule/0");
	tu_done(&f);
}
END_TEST

START_TEST(listeners_with_different_results_have_keys_of_their_own)
{
	/* A policy on listener `two` turns the zero-endpoint exclusion off there. */
	tu_fixture f = tu_translate(
	    "gateways:\n" GATEWAY("eg", HTTP("one", "80") HTTP("two", "81")) SERVICES
	    "backendTrafficPolicies:\n"
	    "- metadata: {namespace: infra, name: two-off}\n"
	    "  spec:\n"
	    "    targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: eg, "
	    "sectionName: two}]\n"
	    "    rebalanceOnNoEndpoints: false\n"
	    "httpRoutes:\n"
	    "- metadata: {namespace: shop, name: web}\n"
	    "  spec:\n"
	    "    parentRefs: [{namespace: infra, name: eg, sectionName: one},\n"
	    "                 {namespace: infra, name: eg, sectionName: two}]\n" RULES);
	ck_assert_uint_eq(rb_result_destination_count(f.res), 2);
	ck_assert_str_eq(rb_destination_key(nth(&f, 0)), "infra/eg/httproute/shop/web/rule/0#one");
	ck_assert_str_eq(rb_destination_key(nth(&f, 1)), "infra/eg/httproute/shop/web/rule/0#two");
	ck_assert_str_eq(rb_destination_knob_policy(nth(&f, 1), RB_KNOB_NO_ENDPOINTS),
	                 "infra/two-off");
	tu_done(&f);
}
END_TEST

START_TEST(listener_set_listeners_name_their_set)
{
	tu_fixture f = tu_translate("gateways:\n" GATEWAY("eg", HTTP("http", "80")) SERVICES
	                            "listenerSets:\n"
	                            "- metadata: {namespace: shop, name: extra}\n"
	                            "  spec:\n"
	                            "    parentRef: {namespace: infra, name: eg}\n"
	                            "    listeners: [{name: alt, protocol: HTTP, port: 8080}]\n"
	                            "httpRoutes:\n"
	                            "- metadata: {namespace: shop, name: web}\n"
	                            "  spec:\n"
	                            "    parentRefs: [{kind: ListenerSet, group: "
	                            "gateway.networking.k8s.io, name: extra}]\n" RULES);
	const rb_destination *d = nth(&f, 0);
	ck_assert_str_eq(rb_destination_gateway(d), "infra/eg");
	ck_assert_uint_eq(rb_destination_listener_count(d), 1);
	ck_assert_str_eq(rb_destination_listener_name(d, 0), "alt");
	ck_assert_str_eq(rb_destination_listener_set(d, 0), "shop/extra");
	tu_done(&f);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("identity");
	TCase *tc = tcase_create("destinations");
	tcase_add_test(tc, each_gateway_has_its_own_destination);
	tcase_add_test(tc, listeners_with_one_result_share_a_destination);
	tcase_add_test(tc, listeners_with_different_results_have_keys_of_their_own);
	tcase_add_test(tc, listener_set_listeners_name_their_set);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
