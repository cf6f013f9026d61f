/*
 * The rebalance knobs ([rebalance.policy.scopes]; lib/translate/policy.c): which
 * BackendTrafficPolicy decides spec.rebalanceOnNoEndpoints and
 * spec.rebalanceOnNoReadyEndpoints for a rule, and how the options compose
 * with the modes. Through the public API.
 */
#include <check.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rebalance/rebalance.h"
#include "testutil.h"

static const char BASE[] =
	"gateways:\n"
	"- metadata: {namespace: infra, name: eg}\n"
	"  spec:\n"
	"    gatewayClassName: envoy-gateway-class\n"
	"    listeners:\n"
	"    - {name: http, protocol: HTTP, port: 80, allowedRoutes: {namespaces: {from: All}}}\n"
	"    - {name: tcp, protocol: TCP, port: 90, allowedRoutes: {namespaces: {from: All}}}\n"
	"services:\n"
	"- metadata: {namespace: shop, name: stable}\n"
	"  spec: {clusterIP: 10.0.0.1, ports: [{name: http, port: 8080}]}\n"
	"- metadata: {namespace: shop, name: empty}\n"
	"  spec: {clusterIP: 10.0.0.2, ports: [{name: http, port: 8080}]}\n"
	"- metadata: {namespace: shop, name: draining}\n"
	"  spec: {clusterIP: 10.0.0.3, ports: [{name: http, port: 8080}]}\n"
	"endpointSlices:\n"
	"- metadata: {namespace: shop, name: stable-1, labels: {kubernetes.io/service-name: stable}}\n"
	"  addressType: IPv4\n"
	"  ports: [{name: http, port: 3000}]\n"
	"  endpoints: [{addresses: [1.1.1.1]}]\n"
	"- metadata: {namespace: shop, name: empty-1, labels: {kubernetes.io/service-name: empty}}\n"
	"  addressType: IPv4\n"
	"  ports: [{name: http, port: 3000}]\n"
	"  endpoints: []\n"
	"- metadata: {namespace: shop, name: draining-1, labels: {kubernetes.io/service-name: draining}}\n"
	"  addressType: IPv4\n"
	"  ports: [{name: http, port: 3000}]\n"
	"  endpoints: [{addresses: [3.3.3.3], conditions: {ready: false}}]\n"
	"httpRoutes:\n"
	"- metadata: {namespace: shop, name: r}\n"
	"  spec:\n"
	"    parentRefs: [{namespace: infra, name: eg}]\n"
	"    rules:\n"
	"    - name: main\n"
	"      backendRefs: [{name: stable, port: 8080}, {name: empty, port: 8080}]\n"
	"    - backendRefs: [{name: stable, port: 8080}, {name: draining, port: 8080}]\n"
	"grpcRoutes:\n"
	"- metadata: {namespace: shop, name: g}\n"
	"  spec:\n"
	"    parentRefs: [{namespace: infra, name: eg}]\n"
	"    rules:\n"
	"    - backendRefs: [{name: stable, port: 8080}, {name: missing, port: 8080}]\n"
	"tcpRoutes:\n"
	"- metadata: {namespace: shop, name: t}\n"
	"  spec:\n"
	"    parentRefs: [{namespace: infra, name: eg, sectionName: tcp}]\n"
	"    rules:\n"
	"    - backendRefs: [{name: stable, port: 8080}]\n";

#define BTP(ns, name, target, field)                                                           \
	"- metadata: {namespace: " ns ", name: " name "}\n"                                        \
	"  spec:\n"                                                                                \
	"    targetRefs: [" target "]\n"                                                           \
	"    " field "\n"

#define GATEWAY_TARGET "{group: gateway.networking.k8s.io, kind: Gateway, name: eg}"
#define ROUTE_TARGET "{group: gateway.networking.k8s.io, kind: HTTPRoute, name: r}"
#define RULE_TARGET "{group: gateway.networking.k8s.io, kind: HTTPRoute, name: r, sectionName: main}"
#define GRPC_TARGET "{group: gateway.networking.k8s.io, kind: GRPCRoute, name: g}"

typedef struct fixture {
	rb_ctx *ctx;
	rb_input *in;
	rb_result *res;
} fixture;

static fixture load(const char *policies)
{
	fixture f = {NULL, NULL, NULL};
	size_t n = strlen(BASE) + strlen(policies) + 64;
	char *doc = malloc(n);
	snprintf(doc, n, "%s%s%s", BASE, *policies ? "backendTrafficPolicies:\n" : "", policies);
	ck_assert_int_eq(rb_ctx_new(&f.ctx, NULL), RB_OK);
	ck_assert_int_eq(rb_input_new(&f.in, f.ctx), RB_OK);
	int rc = rb_input_add_buffer(f.in, doc, strlen(doc), "test.yaml", RB_INPUT_YAML);
	if (rc) {
		char msg[1024];
		rb_diag_format(rb_input_diag(f.in, 0), msg, sizeof msg);
		ck_abort_msg("input rejected: %s", msg);
	}
	free(doc);
	return f;
}

static void translate(fixture *f, const rb_translate_options *o)
{
	rb_result_free(f->res);
	f->res = NULL;
	ck_assert_int_eq(rb_translate(&f->res, f->in, o), RB_OK);
}

static void done(fixture *f)
{
	rb_result_free(f->res);
	rb_input_free(f->in);
	rb_ctx_free(f->ctx);
}

static const rb_destination *dest(const fixture *f, const char *name)
{
	for (size_t i = 0; i < rb_result_destination_count(f->res); i++) {
		const rb_destination *d = rb_result_destination(f->res, i);
		if (!strcmp(rb_destination_name(d), name))
			return d;
	}
	ck_abort_msg("no destination %s", name);
	return NULL;
}

#define RULE0 "httproute/shop/r/rule/0"
#define RULE1 "httproute/shop/r/rule/1"
#define GRPC0 "grpcroute/shop/g/rule/0"

static void ck_knob(const rb_destination *d, rb_knob k, int on, const char *policy,
                    const char *scope)
{
	ck_assert_int_eq(rb_destination_knob(d, k), on);
	if (policy) {
		ck_assert_str_eq(rb_destination_knob_policy(d, k), policy);
		ck_assert_str_eq(rb_destination_knob_scope(d, k), scope);
	} else {
		ck_assert_ptr_null(rb_destination_knob_policy(d, k));
		ck_assert_ptr_null(rb_destination_knob_scope(d, k));
	}
}

/* [rebalance.policy.scopes] */
START_TEST(most_specific_policy_wins)
{
	fixture f = load(BTP("infra", "gw", GATEWAY_TARGET, "rebalanceOnNoEndpoints: false")
	                 BTP("shop", "route", ROUTE_TARGET, "rebalanceOnNoEndpoints: true")
	                 BTP("shop", "rule", RULE_TARGET, "rebalanceOnNoEndpoints: false"));
	rb_translate_options o = RB_TRANSLATE_OPTIONS_INIT;
	translate(&f, &o);
	const rb_destination *d0 = dest(&f, RULE0), *d1 = dest(&f, RULE1);
	ck_knob(d0, RB_KNOB_NO_ENDPOINTS, 0, "shop/rule", "rule");
	ck_assert_uint_eq(rb_destination_excluded_count(d0), 0);
	ck_assert_uint_eq(rb_destination_backend_weight(d0, RB_WEIGHT_NO_ENDPOINTS), 1);
	ck_knob(d1, RB_KNOB_NO_ENDPOINTS, 1, "shop/route", "route");
	/* the GRPC route only has the Gateway policy */
	ck_knob(dest(&f, GRPC0), RB_KNOB_NO_ENDPOINTS, 0, "infra/gw", "gateway");
	/* L4 rules have no knobs */
	ck_knob(dest(&f, "tcproute/shop/t/rule/-1"), RB_KNOB_NO_ENDPOINTS, 0, NULL, NULL);
	done(&f);
}
END_TEST

/* [rebalance.policy.scopes] [routing.btp.first-wins] */
START_TEST(first_policy_on_a_scope_claims_it)
{
	/* The first claims the route even without the field: the second is not applied,
	 * and the decision passes on to the Gateway's policy. */
	fixture f = load(BTP("infra", "gw", GATEWAY_TARGET, "rebalanceOnNoEndpoints: false")
	                 BTP("shop", "first", ROUTE_TARGET, "retry: {numRetries: 1}")
	                 BTP("shop", "second", ROUTE_TARGET, "rebalanceOnNoEndpoints: true"));
	rb_translate_options o = RB_TRANSLATE_OPTIONS_INIT;
	translate(&f, &o);
	ck_knob(dest(&f, RULE0), RB_KNOB_NO_ENDPOINTS, 0, "infra/gw", "gateway");
	done(&f);
	f = load(BTP("shop", "first", ROUTE_TARGET, "rebalanceOnNoEndpoints: false")
	         BTP("shop", "second", ROUTE_TARGET, "rebalanceOnNoEndpoints: true"));
	translate(&f, &o);
	ck_knob(dest(&f, RULE0), RB_KNOB_NO_ENDPOINTS, 0, "shop/first", "route");
	done(&f);
}
END_TEST

/* [rebalance.policy.field] [routing.btp.scopes] */
START_TEST(policies_live_in_their_own_namespace)
{
	/* A route policy in another namespace targets a route of that namespace. */
	fixture f = load(BTP("other", "elsewhere", ROUTE_TARGET, "rebalanceOnNoEndpoints: false"));
	rb_translate_options o = RB_TRANSLATE_OPTIONS_INIT;
	translate(&f, &o);
	ck_knob(dest(&f, RULE0), RB_KNOB_NO_ENDPOINTS, 1, NULL, NULL);
	done(&f);
}
END_TEST

/* [rebalance.policy.compat] */
START_TEST(compat_reads_policies_only_when_asked)
{
	fixture f = load(BTP("shop", "route", ROUTE_TARGET, "rebalanceOnNoEndpoints: true"));
	rb_translate_options o;
	ck_assert_int_eq(rb_translate_options_preset(&o, sizeof o, RB_PRESET_ENVOY_GATEWAY), RB_OK);
	translate(&f, &o);
	ck_knob(dest(&f, RULE0), RB_KNOB_NO_ENDPOINTS, 0, NULL, NULL);
	ck_assert_uint_eq(rb_destination_excluded_count(dest(&f, RULE0)), 0);
	o.flags = RB_OPT_HONOR_POLICY;
	translate(&f, &o);
	ck_knob(dest(&f, RULE0), RB_KNOB_NO_ENDPOINTS, 1, "shop/route", "route");
	ck_assert_uint_eq(rb_destination_excluded_count(dest(&f, RULE0)), 1);
	/* honour and ignore contradict each other */
	o.flags = RB_OPT_HONOR_POLICY | RB_OPT_IGNORE_POLICY;
	rb_result *res = NULL;
	ck_assert_int_eq(rb_translate(&res, f.in, &o), RB_EINVAL);
	ck_assert_ptr_null(res);
	done(&f);
}
END_TEST

START_TEST(ignore_policy_and_forced_defaults)
{
	fixture f = load(BTP("shop", "route", ROUTE_TARGET, "rebalanceOnNoEndpoints: false"));
	rb_translate_options o = RB_TRANSLATE_OPTIONS_INIT;
	o.flags = RB_OPT_IGNORE_POLICY;
	translate(&f, &o);
	ck_knob(dest(&f, RULE0), RB_KNOB_NO_ENDPOINTS, 1, NULL, NULL);
	/* forced off in the default mode: nothing excluded anywhere */
	o.rebalance_default = RB_KNOB_DEFAULT_OFF;
	translate(&f, &o);
	ck_knob(dest(&f, RULE0), RB_KNOB_NO_ENDPOINTS, 0, NULL, NULL);
	ck_assert_uint_eq(rb_destination_excluded_count(dest(&f, RULE0)), 0);
	/* but the gRPC alignment stays with the default mode */
	ck_assert_uint_eq(rb_destination_backend_weight(dest(&f, GRPC0), RB_WEIGHT_INVALID), 1);
	/* forced on in compat mode */
	o.mode = RB_MODE_COMPAT_ENVOY_GATEWAY;
	o.flags = 0;
	o.rebalance_default = RB_KNOB_DEFAULT_ON;
	translate(&f, &o);
	ck_assert_uint_eq(rb_destination_excluded_count(dest(&f, RULE0)), 1);
	o.rebalance_default = 3;
	rb_result *res = NULL;
	ck_assert_int_eq(rb_translate(&res, f.in, &o), RB_EINVAL);
	done(&f);
}
END_TEST

/* [grpc.alignment] */
START_TEST(exclusion_brings_the_grpc_alignment_in_compat)
{
	/* Compat mode with the exclusion on for the GRPC rule: the misconfigured ref
	 * (no endpoints!) must become invalid (500), not be excluded. */
	fixture f = load(BTP("shop", "grpc", GRPC_TARGET, "rebalanceOnNoEndpoints: true"));
	rb_translate_options o;
	rb_translate_options_preset(&o, sizeof o, RB_PRESET_ENVOY_GATEWAY);
	translate(&f, &o);
	const rb_destination *d = dest(&f, GRPC0);
	ck_assert_uint_eq(rb_destination_backend_weight(d, RB_WEIGHT_NO_ENDPOINTS), 1);
	o.flags = RB_OPT_HONOR_POLICY;
	translate(&f, &o);
	d = dest(&f, GRPC0);
	ck_assert_uint_eq(rb_destination_excluded_count(d), 0);
	ck_assert_uint_eq(rb_destination_backend_weight(d, RB_WEIGHT_INVALID), 1);
	ck_assert_uint_eq(rb_destination_backend_weight(d, RB_WEIGHT_NO_ENDPOINTS), 0);
	done(&f);
}
END_TEST

/* [rebalance.strict] */
START_TEST(strict_readiness_by_policy)
{
	/* on by a route policy, off by a rule policy against the flag */
	fixture f = load(BTP("shop", "route", ROUTE_TARGET, "rebalanceOnNoReadyEndpoints: true"));
	rb_translate_options o = RB_TRANSLATE_OPTIONS_INIT;
	translate(&f, &o);
	const rb_destination *d1 = dest(&f, RULE1);
	ck_knob(d1, RB_KNOB_NOT_READY, 1, "shop/route", "route");
	ck_assert_uint_eq(rb_destination_excluded_count(d1), 1);
	ck_assert_str_eq(rb_destination_excluded_reason(d1, 0), "AllEndpointsDraining");
	done(&f);
	f = load(BTP("shop", "route", ROUTE_TARGET, "rebalanceOnNoReadyEndpoints: false"));
	o.flags = RB_OPT_REBALANCE_NOT_READY;
	translate(&f, &o);
	ck_assert_uint_eq(rb_destination_excluded_count(dest(&f, RULE1)), 0);
	/* the two knobs are independent: no-endpoint exclusion still on */
	ck_knob(dest(&f, RULE0), RB_KNOB_NO_ENDPOINTS, 1, NULL, NULL);
	ck_assert_uint_eq(rb_destination_excluded_count(dest(&f, RULE0)), 1);
	done(&f);
}
END_TEST

START_TEST(options_of_an_older_caller)
{
	/* A caller built before rebalance_default existed: its struct ends earlier. */
	fixture f = load("");
	rb_translate_options o;
	memset(&o, 0xff, sizeof o);
	o.size = (uint32_t)offsetof(rb_translate_options, rebalance_default);
	o.mode = RB_MODE_COMPAT_ENVOY_GATEWAY;
	o.flags = 0;
	o.gateway_class = NULL;
	translate(&f, &o);
	ck_knob(dest(&f, RULE0), RB_KNOB_NO_ENDPOINTS, 0, NULL, NULL);
	done(&f);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("policy");
	TCase *tc = tcase_create("levels");
	tcase_add_test(tc, most_specific_policy_wins);
	tcase_add_test(tc, first_policy_on_a_scope_claims_it);
	tcase_add_test(tc, policies_live_in_their_own_namespace);
	tcase_add_test(tc, strict_readiness_by_policy);
	suite_add_tcase(s, tc);
	tc = tcase_create("options");
	tcase_add_test(tc, compat_reads_policies_only_when_asked);
	tcase_add_test(tc, ignore_policy_and_forced_defaults);
	tcase_add_test(tc, exclusion_brings_the_grpc_alignment_in_compat);
	tcase_add_test(tc, options_of_an_older_caller);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
