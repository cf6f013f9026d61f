/*
 * EnvoyProxy mergeBackends (lib/translate/merge_backends.c,
 * docs/merge-backends.md): where the setting comes from, which backendRefs
 * share a cluster, and how a merged ref shows in the IR. Through the public API.
 */
#include <check.h>
#include <stdbool.h>
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
	"    infrastructure: {parametersRef: {group: gateway.envoyproxy.io, kind: EnvoyProxy, "
	"name: own}}\n"
	"    listeners:\n"
	"    - {name: http, protocol: HTTP, port: 80, allowedRoutes: {namespaces: {from: All}}}\n"
	"services:\n"
	"- metadata: {namespace: shop, name: a}\n"
	"  spec: {clusterIP: 10.0.0.1, ports: [{name: http, port: 8080}]}\n"
	"- metadata: {namespace: shop, name: b}\n"
	"  spec: {clusterIP: 10.0.0.2, ports: [{name: http, port: 8080}]}\n"
	"endpointSlices:\n"
	"- metadata: {namespace: shop, name: a-1, labels: {kubernetes.io/service-name: a}}\n"
	"  addressType: IPv4\n"
	"  ports: [{name: http, port: 3000}]\n"
	"  endpoints: [{addresses: [1.1.1.1]}]\n"
	"- metadata: {namespace: shop, name: b-1, labels: {kubernetes.io/service-name: b}}\n"
	"  addressType: IPv4\n"
	"  ports: [{name: http, port: 3000}]\n"
	"  endpoints: [{addresses: [2.2.2.2]}]\n"
	"httpRoutes:\n"
	"- metadata: {namespace: shop, name: r}\n"
	"  spec:\n"
	"    parentRefs: [{namespace: infra, name: eg}]\n"
	"    rules:\n"
	"    - backendRefs:\n"
	"      - {name: b, port: 8080, weight: 7}\n"
	"      - name: a\n"
	"        port: 8080\n"
	"        weight: 3\n"
	"        filters: [{type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: x, "
	"value: y}]}}]\n";

typedef struct fixture {
	rb_ctx *ctx;
	rb_input *in;
	rb_result *res;
} fixture;

/* BASE plus `extra` (more top-level keys), translated in the default mode. */
static fixture run(const char *extra)
{
	fixture f = {NULL, NULL, NULL};
	size_t n = strlen(BASE) + strlen(extra) + 1;
	char *doc = malloc(n);
	snprintf(doc, n, "%s%s", BASE, extra);
	ck_assert_int_eq(rb_ctx_new(&f.ctx, NULL), RB_OK);
	ck_assert_int_eq(rb_input_new(&f.in, f.ctx), RB_OK);
	int rc = rb_input_add_buffer(f.in, doc, strlen(doc), "test.yaml", RB_INPUT_YAML);
	if (rc) {
		char msg[1024];
		rb_diag_format(rb_input_diag(f.in, 0), msg, sizeof msg);
		ck_abort_msg("input rejected: %s", msg);
	}
	free(doc);
	rb_translate_options o = RB_TRANSLATE_OPTIONS_INIT;
	ck_assert_int_eq(rb_translate(&f.res, f.in, &o), RB_OK);
	ck_assert_uint_eq(rb_result_destination_count(f.res), 1);
	return f;
}

static void done(fixture *f)
{
	rb_result_free(f->res);
	rb_input_free(f->in);
	rb_ctx_free(f->ctx);
}

static const rb_setting *setting(const fixture *f, size_t i)
{
	const rb_destination *d = rb_result_destination(f->res, 0);
	ck_assert_uint_gt(rb_destination_setting_count(d), i);
	return rb_destination_setting(d, i);
}

static bool merged(const fixture *f)
{
	const rb_setting *s = setting(f, 1);
	return (rb_setting_flags(s) & RB_SETTING_SHARED_CLUSTER) != 0;
}

/* [mergebe.ir-form] */
START_TEST(merged_refs_follow_the_inline_ones)
{
	/* b (first in spec order) is shared; a has filters and stays inline, first. */
	fixture f = run("envoyProxiesForGateways:\n"
	                "- metadata: {namespace: infra, name: own}\n"
	                "  spec: {mergeBackends: {}}\n");
	const rb_setting *inl = setting(&f, 0), *shared = setting(&f, 1);
	ck_assert_str_eq(rb_setting_name(inl), "httproute/shop/r/rule/0/backend/1");
	ck_assert_uint_eq(rb_setting_flags(inl) & RB_SETTING_SHARED_CLUSTER, 0);
	ck_assert_str_eq(rb_setting_name(shared), "service/shop/b/8080/http");
	ck_assert_uint_eq(rb_setting_weight(shared), 7);
	ck_assert_str_eq(rb_setting_metadata_name(shared), "b");
	done(&f);
}
END_TEST

/* [mergebe.which-proxy] */
START_TEST(an_own_proxy_replaces_the_class_one_but_not_the_defaults)
{
	/* The Gateway's own EnvoyProxy without mergeType hides the class one... */
	fixture f = run("envoyProxyForGatewayClass:\n"
	                "  metadata: {namespace: envoy-gateway-system, name: cls}\n"
	                "  spec: {mergeBackends: {}}\n"
	                "envoyProxiesForGateways:\n"
	                "- metadata: {namespace: infra, name: own}\n"
	                "  spec: {routingType: Endpoint}\n");
	ck_assert(!merged(&f));
	done(&f);
	/* ...unless it merges with it... */
	f = run("envoyProxyForGatewayClass:\n"
	        "  metadata: {namespace: envoy-gateway-system, name: cls}\n"
	        "  spec: {mergeBackends: {}}\n"
	        "envoyProxiesForGateways:\n"
	        "- metadata: {namespace: infra, name: own}\n"
	        "  spec: {mergeType: StrategicMerge}\n");
	ck_assert(merged(&f));
	done(&f);
	/* ...and the EnvoyGateway default spec always lies underneath. */
	f = run("envoyProxyDefaultSpec: {mergeBackends: {}}\n"
	        "envoyProxiesForGateways:\n"
	        "- metadata: {namespace: infra, name: own}\n"
	        "  spec: {routingType: Endpoint}\n");
	ck_assert(merged(&f));
	done(&f);
}
END_TEST

/* [mergebe.eligible] */
START_TEST(selector_reads_the_backend_labels)
{
	fixture f = run("envoyProxiesForGateways:\n"
	                "- metadata: {namespace: infra, name: own}\n"
	                "  spec: {mergeBackends: {selector: {matchLabels: {tier: shared}}}}\n");
	ck_assert(!merged(&f)); /* b has no labels */
	done(&f);
	f = run("envoyProxiesForGateways:\n"
	        "- metadata: {namespace: infra, name: own}\n"
	        "  spec: {mergeBackends: {selector: {matchExpressions: [{key: tier, operator: "
	        "DoesNotExist}]}}}\n");
	ck_assert(merged(&f));
	done(&f);
}
END_TEST

/* [mergebe.eligible] */
START_TEST(gateway_consistent_hash_keeps_multi_backend_rules_inline)
{
	const char *ep = "envoyProxiesForGateways:\n"
	                 "- metadata: {namespace: infra, name: own}\n"
	                 "  spec: {mergeBackends: {}}\n";
	char doc[2048];
	snprintf(doc, sizeof doc,
	         "%sbackendTrafficPolicies:\n"
	         "- metadata: {namespace: infra, name: gw}\n"
	         "  spec:\n"
	         "    targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: eg}]\n"
	         "    loadBalancer: {type: ConsistentHash, consistentHash: {type: SourceIP}}\n",
	         ep);
	fixture f = run(doc);
	ck_assert_str_eq(rb_setting_name(setting(&f, 0)), "httproute/shop/r/rule/0/backend/0");
	ck_assert(!merged(&f));
	done(&f);
	/* A Gateway policy with other cluster settings goes onto the shared cluster. */
	snprintf(doc, sizeof doc,
	         "%sbackendTrafficPolicies:\n"
	         "- metadata: {namespace: infra, name: gw}\n"
	         "  spec:\n"
	         "    targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: eg}]\n"
	         "    circuitBreaker: {maxConnections: 5}\n",
	         ep);
	f = run(doc);
	ck_assert(merged(&f));
	done(&f);
}
END_TEST

/* [mergebe.merge-gateways-clash] */
START_TEST(merge_gateways_with_merge_backends_rejects_the_gateway)
{
	fixture f = {NULL, NULL, NULL};
	const char *doc = "envoyProxyForGatewayClass:\n"
	                  "  metadata: {namespace: envoy-gateway-system, name: cls}\n"
	                  "  spec: {mergeGateways: true}\n"
	                  "envoyProxyDefaultSpec: {mergeBackends: {}}\n";
	char *all = malloc(strlen(BASE) + strlen(doc) + 1);
	sprintf(all, "%s%s", BASE, doc);
	ck_assert_int_eq(rb_ctx_new(&f.ctx, NULL), RB_OK);
	ck_assert_int_eq(rb_input_new(&f.in, f.ctx), RB_OK);
	ck_assert_int_eq(rb_input_add_buffer(f.in, all, strlen(all), "t.yaml", RB_INPUT_YAML), RB_OK);
	free(all);
	rb_translate_options o = RB_TRANSLATE_OPTIONS_INIT;
	ck_assert_int_eq(rb_translate(&f.res, f.in, &o), RB_OK);
	ck_assert_uint_eq(rb_result_destination_count(f.res), 0);
	ck_assert_uint_eq(rb_result_route_status_count(f.res), 0);
	done(&f);
}
END_TEST

/* [mergebe.enable] */
START_TEST(merge_backends_must_be_a_mapping)
{
	rb_ctx *ctx;
	rb_input *in;
	const char *doc = "envoyProxyDefaultSpec: {mergeBackends: true}\n";
	ck_assert_int_eq(rb_ctx_new(&ctx, NULL), RB_OK);
	ck_assert_int_eq(rb_input_new(&in, ctx), RB_OK);
	ck_assert_int_ne(rb_input_add_buffer(in, doc, strlen(doc), "t.yaml", RB_INPUT_YAML), RB_OK);
	rb_input_free(in);
	rb_ctx_free(ctx);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("merge_backends");
	TCase *tc = tcase_create("merge_backends");
	tcase_add_test(tc, merged_refs_follow_the_inline_ones);
	tcase_add_test(tc, an_own_proxy_replaces_the_class_one_but_not_the_defaults);
	tcase_add_test(tc, selector_reads_the_backend_labels);
	tcase_add_test(tc, gateway_consistent_hash_keeps_multi_backend_rules_inline);
	tcase_add_test(tc, merge_gateways_with_merge_backends_rejects_the_gateway);
	tcase_add_test(tc, merge_backends_must_be_a_mapping);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
