/*
 * rb_explain and rb_xds (include/rebalance/explain.h, xds.h): the two sides,
 * the what-if transformation, the accessors, and the serialized forms.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "explain/explain.h"
#include "rebalance/rebalance.h"
#include "testutil.h"

/* 90/10 canary; the canary has endpoints, `spare` has none; a fallback Backend. */
static const char INPUT[] =
	"gateways:\n"
	"- metadata: {namespace: infra, name: eg}\n"
	"  spec:\n"
	"    gatewayClassName: envoy-gateway-class\n"
	"    listeners: [{name: http, protocol: HTTP, port: 80, allowedRoutes: {namespaces: {from: All}}}]\n"
	"httpRoutes:\n"
	"- metadata: {namespace: shop, name: r}\n"
	"  spec:\n"
	"    parentRefs: [{namespace: infra, name: eg}]\n"
	"    rules:\n"
	"    - backendRefs: [{name: stable, port: 8080, weight: 90}, {name: canary, port: 8080, weight: 10}]\n"
	"    - backendRefs: [{name: canary, port: 8080}, {group: gateway.envoyproxy.io, kind: Backend, name: passive}]\n"
	"services:\n"
	"- metadata: {namespace: shop, name: stable}\n"
	"  spec: {clusterIP: 10.0.0.1, ports: [{name: http, port: 8080}]}\n"
	"- metadata: {namespace: shop, name: canary}\n"
	"  spec: {clusterIP: 10.0.0.2, ports: [{name: http, port: 8080}]}\n"
	"endpointSlices:\n"
	"- metadata: {namespace: shop, name: stable-1, labels: {kubernetes.io/service-name: stable}}\n"
	"  addressType: IPv4\n"
	"  ports: [{name: http, port: 3000}]\n"
	"  endpoints: [{addresses: [1.1.1.1]}]\n"
	"- metadata: {namespace: shop, name: canary-1, labels: {kubernetes.io/service-name: canary}}\n"
	"  addressType: IPv4\n"
	"  ports: [{name: http, port: 3000}]\n"
	"  endpoints: [{addresses: [2.2.2.1, 2.2.2.2]}]\n"
	"- metadata: {namespace: shop, name: canary-2, labels: {kubernetes.io/service-name: canary}}\n"
	"  addressType: IPv4\n"
	"  ports: [{name: http, port: 3000}]\n"
	"  endpoints: [{addresses: [2.2.2.3], conditions: {ready: false}}]\n"
	"backends:\n"
	"- metadata: {namespace: shop, name: passive}\n"
	"  spec: {fallback: true, endpoints: [{ip: {address: 9.9.9.9, port: 3001}}]}\n";

typedef struct fixture {
	rb_ctx *ctx;
	rb_input *in;
	rb_explanation *ex;
} fixture;

static fixture load(void)
{
	fixture f = {NULL, NULL, NULL};
	ck_assert_int_eq(rb_ctx_new(&f.ctx, NULL), RB_OK);
	ck_assert_int_eq(rb_input_new(&f.in, f.ctx), RB_OK);
	ck_assert_int_eq(rb_input_add_buffer(f.in, INPUT, strlen(INPUT), "t.yaml", RB_INPUT_YAML),
	                 RB_OK);
	return f;
}

static void explain(fixture *f, const rb_translate_options *o, const char *const *what_if,
                    size_t n)
{
	rb_explanation_free(f->ex);
	f->ex = NULL;
	rb_explain_options eo = RB_EXPLAIN_OPTIONS_INIT;
	eo.what_if = what_if;
	eo.what_if_count = n;
	ck_assert_int_eq(rb_explain(&f->ex, f->in, o, &eo), RB_OK);
}

static void done(fixture *f)
{
	rb_explanation_free(f->ex);
	rb_input_free(f->in);
	rb_ctx_free(f->ctx);
}

#define ck_share(got, want) ck_assert_msg(fabs((got) - (want)) < 1e-9, "share %f, expected %f", (got), (double)(want))

START_TEST(both_sides_and_accessors)
{
	fixture f = load();
	explain(&f, NULL, NULL, 0);
	ck_assert_uint_eq(rb_explanation_rule_count(f.ex), 2);
	const rb_explained_rule *r = rb_explanation_rule(f.ex, 0);
	ck_assert_str_eq(rb_destination_name(rb_explained_rule_destination(r, RB_SIDE_SELECTED)),
	                 "httproute/shop/r/rule/0");
	ck_assert_str_eq(rb_destination_gateway(rb_explained_rule_destination(r, RB_SIDE_UPSTREAM)),
	                 "infra/eg");
	ck_assert_int_eq(rb_explained_rule_routing(r, RB_SIDE_SELECTED), RB_ROUTING_CLUSTER);
	ck_assert_uint_eq(rb_explained_rule_ref_count(r), 2);
	const rb_explained_ref *canary = rb_explained_rule_ref(r, 1);
	ck_assert_str_eq(rb_explained_ref_kind(canary), "Service");
	ck_assert_str_eq(rb_explained_ref_namespace(canary), "shop");
	ck_assert_str_eq(rb_explained_ref_backend_name(canary), "canary");
	ck_assert_uint_eq(rb_explained_ref_port(canary), 8080);
	ck_assert_ptr_null(rb_explained_ref_group(canary));
	ck_assert_uint_eq(rb_explained_ref_weight(canary), 10);
	ck_assert_uint_eq(rb_explained_ref_endpoint_count(canary), 3);
	ck_assert_uint_eq(rb_explained_ref_draining_count(canary), 1);
	ck_assert_int_eq(rb_explained_ref_state(canary, RB_SIDE_UPSTREAM), RB_REF_STATE_SERVING);
	ck_share(rb_explained_ref_share(canary, RB_SIDE_UPSTREAM), 0.1);
	ck_share(rb_explained_rule_share(r, RB_SIDE_UPSTREAM, RB_OUTCOME_SERVED), 1);
	/* rule 1: the fallback stands by */
	r = rb_explanation_rule(f.ex, 1);
	const rb_explained_ref *passive = rb_explained_rule_ref(r, 1);
	ck_assert_str_eq(rb_explained_ref_group(passive), "gateway.envoyproxy.io");
	ck_assert_uint_eq(rb_explained_ref_priority(passive), 1);
	ck_assert_uint_eq(rb_explained_ref_port(passive), 0);
	ck_assert_int_eq(rb_explained_ref_state(passive, RB_SIDE_SELECTED), RB_REF_STATE_STANDBY);
	/* out of range and NULL */
	ck_assert_ptr_null(rb_explanation_rule(f.ex, 2));
	ck_assert_ptr_null(rb_explained_rule_ref(r, 2));
	ck_assert_int_eq(rb_explained_ref_state(NULL, RB_SIDE_SELECTED), 0);
	ck_assert_int_eq(rb_explained_rule_routing(r, (rb_side)7), RB_ROUTING_NONE);
	ck_assert_str_eq(rb_ref_state_name(RB_REF_STATE_EXCLUDED_NOT_READY), "excludedNotReady");
	ck_assert_str_eq(rb_ref_state_name((rb_ref_state)99), "");
	ck_assert_str_eq(rb_routing_name(RB_ROUTING_WEIGHTED_CLUSTERS), "weightedClusters");
	done(&f);
}
END_TEST

START_TEST(upstream_side_keeps_only_environment_flags)
{
	/* --rebalance-not-ready changes the selected side only; Backend disabled, both. */
	fixture f = load();
	rb_translate_options o = RB_TRANSLATE_OPTIONS_INIT;
	o.flags = RB_OPT_REBALANCE_NOT_READY | RB_OPT_DISABLE_BACKEND_API;
	explain(&f, &o, NULL, 0);
	const rb_result *up = rb_explanation_result(f.ex, RB_SIDE_UPSTREAM);
	const rb_result *sel = rb_explanation_result(f.ex, RB_SIDE_SELECTED);
	ck_assert_int_eq(rb_destination_knob(rb_result_destination(up, 0), RB_KNOB_NOT_READY), 0);
	ck_assert_int_eq(rb_destination_knob(rb_result_destination(sel, 0), RB_KNOB_NOT_READY), 1);
	const rb_explained_rule *r = rb_explanation_rule(f.ex, 1);
	ck_assert_str_eq(rb_explained_ref_reason(rb_explained_rule_ref(r, 1)), "UnsupportedValue");
	const rb_destination *u = rb_explained_rule_destination(r, RB_SIDE_UPSTREAM);
	ck_assert_uint_eq(rb_destination_backend_weight(u, RB_WEIGHT_INVALID), 1);
	done(&f);
}
END_TEST

START_TEST(what_if_empties_the_slices_of_a_service)
{
	fixture f = load();
	const char *targets[] = {"shop/canary", "shop/nothing"};
	explain(&f, NULL, targets, 2);
	ck_assert_uint_eq(rb_explanation_what_if_count(f.ex), 2);
	ck_assert_str_eq(rb_explanation_what_if(f.ex, 0), "shop/canary");
	ck_assert_int_eq(rb_explanation_what_if_found(f.ex, 0), 1);
	ck_assert_uint_eq(rb_explanation_what_if_slices(f.ex, 0), 2);
	ck_assert_int_eq(rb_explanation_what_if_found(f.ex, 1), 0);
	ck_assert_uint_eq(rb_explanation_what_if_slices(f.ex, 1), 0);
	const rb_explained_rule *r = rb_explanation_rule(f.ex, 0);
	const rb_explained_ref *canary = rb_explained_rule_ref(r, 1);
	ck_assert_int_eq(rb_explained_ref_state(canary, RB_SIDE_UPSTREAM), RB_REF_STATE_NO_ENDPOINTS);
	ck_assert_int_eq(rb_explained_ref_state(canary, RB_SIDE_SELECTED), RB_REF_STATE_EXCLUDED);
	ck_assert_str_eq(rb_explained_ref_reason(canary), "EndpointsNotFound");
	ck_share(rb_explained_rule_share(r, RB_SIDE_UPSTREAM, RB_OUTCOME_503), 0.1);
	ck_assert_uint_eq(rb_explained_rule_status_code(r, RB_SIDE_UPSTREAM), 503);
	ck_share(rb_explained_rule_share(r, RB_SIDE_SELECTED, RB_OUTCOME_SERVED), 1);
	/* rule 1: the active ref scaled to zero, the fallback takes over (rebalance) */
	r = rb_explanation_rule(f.ex, 1);
	ck_share(rb_explained_ref_share(rb_explained_rule_ref(r, 1), RB_SIDE_SELECTED), 1);
	ck_share(rb_explained_ref_share(rb_explained_rule_ref(r, 1), RB_SIDE_UPSTREAM), 0.5);
	/* the input itself is untouched */
	rb_result *res;
	ck_assert_int_eq(rb_translate(&res, f.in, NULL), RB_OK);
	ck_assert_uint_eq(rb_setting_endpoint_count(rb_destination_setting(rb_result_destination(res, 0), 1)), 3);
	rb_result_free(res);
	done(&f);
}
END_TEST

START_TEST(bad_arguments)
{
	fixture f = load();
	rb_explanation *ex = NULL;
	const char *bad[] = {"canary", "/canary", "shop/", "a/b/c"};
	for (size_t i = 0; i < 4; i++) {
		rb_explain_options eo = RB_EXPLAIN_OPTIONS_INIT;
		eo.what_if = &bad[i];
		eo.what_if_count = 1;
		ck_assert_int_eq(rb_explain(&ex, f.in, NULL, &eo), RB_EINVAL);
		ck_assert_ptr_null(ex);
	}
	rb_explain_options eo = RB_EXPLAIN_OPTIONS_INIT;
	eo.what_if_count = 1;
	ck_assert_int_eq(rb_explain(&ex, f.in, NULL, &eo), RB_EINVAL);
	ck_assert_int_eq(rb_explain(NULL, f.in, NULL, NULL), RB_EINVAL);
	ck_assert_int_eq(rb_explain(&ex, NULL, NULL, NULL), RB_EINVAL);
	rb_translate_options o = RB_TRANSLATE_OPTIONS_INIT;
	o.mode = 9;
	ck_assert_int_eq(rb_explain(&ex, f.in, &o, NULL), RB_EINVAL);
	ck_assert_int_eq(rb_explain(&ex, f.in, NULL, NULL), RB_OK);
	char *buf = NULL;
	size_t len;
	ck_assert_int_eq(rb_explanation_to_buffer(ex, (rb_format)0, &buf, &len), RB_EINVAL);
	ck_assert_int_eq(rb_xds_to_buffer(NULL, RB_FORMAT_JSON, &buf, &len), RB_EINVAL);
	rb_explanation_free(ex);
	rb_explanation_free(NULL);
	done(&f);
}
END_TEST

START_TEST(what_each_ref_causes)
{
	/* the canary scaled to zero: upstream its 10% are answered 503 (its
	 * weighted-cluster entry), rebalanced nothing is */
	fixture f = load();
	const char *const canary[] = {"shop/canary"};
	explain(&f, NULL, canary, 1);
	const rb_explained_rule *r = rb_explanation_rule(f.ex, 0);
	const rb_explained_ref *c = rb_explained_rule_ref(r, 1), *s = rb_explained_rule_ref(r, 0);
	ck_share(rb_explained_ref_outcome(c, RB_SIDE_UPSTREAM, RB_OUTCOME_503), 0.1);
	ck_share(rb_explained_ref_outcome(c, RB_SIDE_SELECTED, RB_OUTCOME_503), 0);
	ck_share(rb_explained_ref_outcome(s, RB_SIDE_UPSTREAM, RB_OUTCOME_SERVED), 0.9);
	ck_share(rb_explained_ref_outcome(s, RB_SIDE_UPSTREAM, RB_OUTCOME_503), 0);
	ck_share(rb_explained_ref_outcome(c, 7, RB_OUTCOME_503), 0);
	/* the parentRef names the Gateway alone: every listener; no rule name */
	ck_assert_str_eq(rb_explained_rule_listeners(r), "all");
	ck_assert_ptr_null(rb_explained_rule_name(r));
	ck_assert_ptr_null(rb_explained_rule_caveat(r));
	ck_assert_str_eq(rb_envoy_model_version(), "1.30");
	done(&f);
}
END_TEST

START_TEST(what_if_endpoints_and_weights)
{
	fixture f = load();
	/* stable given 3 ready endpoints (of 1), the canary none: compat splits 90/10 */
	const char *const scaled[] = {"shop/stable=3", "shop/canary=0"};
	explain(&f, NULL, scaled, 2);
	const rb_explained_rule *r = rb_explanation_rule(f.ex, 0);
	ck_assert_uint_eq(rb_explained_ref_endpoint_count(rb_explained_rule_ref(r, 0)), 3);
	ck_assert_uint_eq(rb_explanation_what_if_slices(f.ex, 0), 1);
	ck_share(rb_explained_rule_share(r, RB_SIDE_UPSTREAM, RB_OUTCOME_503), 0.1);
	/* ... and weight 0 on the canary (rule 0, ref 1): nothing answered 503 */
	const char *const weighed[] = {"shop/canary=0", "shop/r:0:1=weight:0"};
	explain(&f, NULL, weighed, 2);
	r = rb_explanation_rule(f.ex, 0);
	ck_assert(rb_explanation_what_if_found(f.ex, 1));
	ck_assert_uint_eq(rb_explained_ref_weight(rb_explained_rule_ref(r, 1)), 0);
	ck_share(rb_explained_rule_share(r, RB_SIDE_UPSTREAM, RB_OUTCOME_503), 0);
	ck_share(rb_explained_rule_share(r, RB_SIDE_UPSTREAM, RB_OUTCOME_SERVED), 1);
	/* rule 1 is untouched: the input's weights are not changed by the view */
	ck_assert_uint_eq(rb_explained_ref_weight(rb_explained_rule_ref(rb_explanation_rule(f.ex, 1), 0)), 1);
	/* a backendRef that does not exist is reported, not an error */
	const char *const missing[] = {"shop/r:0:9=weight:1", "shop/r:nope:0=weight:1"};
	explain(&f, NULL, missing, 2);
	ck_assert(!rb_explanation_what_if_found(f.ex, 0));
	ck_assert(!rb_explanation_what_if_found(f.ex, 1));
	/* malformed targets are RB_EINVAL */
	static const char *const bad[] = {"shop/r:0=weight:1", "shop/r:0:1=weight:", "shop/r:0:x=weight:1",
	                                  "shop/canary=-1",    "shop/canary=2000000", "shop/canary=1x",
	                                  "/canary=1",         "shop/r:0:1=w:1"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		rb_explanation *ex = NULL;
		rb_explain_options eo = RB_EXPLAIN_OPTIONS_INIT;
		eo.what_if = &bad[i];
		eo.what_if_count = 1;
		ck_assert_msg(rb_explain(&ex, f.in, NULL, &eo) == RB_EINVAL, "%s", bad[i]);
		ck_assert_ptr_null(ex);
	}
	done(&f);
}
END_TEST

START_TEST(what_if_fallback_backend)
{
	/* The canary scaled to zero and served through a fallback Backend at its
	 * clusterIP: the rule is one cluster again, the Backend stands by. */
	fixture f = load();
	const char *const fb[] = {"shop/canary", "shop/r:0:1=fallback", "shop/r:1:0=fallback",
	                          "shop/r:1:1=fallback", "shop/r:0:9=fallback", "shop/nope:0:0=fallback"};
	explain(&f, NULL, fb, 6);
	ck_assert(rb_explanation_what_if_found(f.ex, 1));
	const rb_explained_rule *r = rb_explanation_rule(f.ex, 0);
	const rb_explained_ref *c = rb_explained_rule_ref(r, 1);
	ck_assert_str_eq(rb_explained_ref_group(c), "gateway.envoyproxy.io");
	ck_assert_str_eq(rb_explained_ref_kind(c), "Backend");
	ck_assert_str_eq(rb_explained_ref_namespace(c), "shop");
	ck_assert_str_eq(rb_explained_ref_backend_name(c), "canary-fallback");
	ck_assert_uint_eq(rb_explained_ref_port(c), 0);
	ck_assert_uint_eq(rb_explained_ref_weight(c), 10); /* the ref keeps its weight */
	ck_assert_uint_eq(rb_explained_ref_priority(c), 1);
	const rb_setting *st = rb_explained_ref_setting(c);
	ck_assert_uint_eq(rb_setting_endpoint_count(st), 1);
	ck_assert_str_eq(rb_endpoint_host(rb_setting_endpoint(st, 0)), "10.0.0.2");
	ck_assert_uint_eq(rb_endpoint_port(rb_setting_endpoint(st, 0)), 8080);
	ck_assert_int_eq(rb_explained_rule_routing(r, RB_SIDE_UPSTREAM), RB_ROUTING_CLUSTER);
	ck_assert_int_eq(rb_explained_ref_state(c, RB_SIDE_UPSTREAM), RB_REF_STATE_STANDBY);
	ck_share(rb_explained_rule_share(r, RB_SIDE_UPSTREAM, RB_OUTCOME_SERVED), 1);
	ck_share(rb_explained_rule_share(r, RB_SIDE_UPSTREAM, RB_OUTCOME_503), 0);
	/* rule 1: the same Service and port, so the same Backend; beside the
	 * existing fallback at priority 1 it takes its share */
	ck_assert(rb_explanation_what_if_found(f.ex, 2));
	r = rb_explanation_rule(f.ex, 1);
	c = rb_explained_rule_ref(r, 0);
	ck_assert_str_eq(rb_explained_ref_backend_name(c), "canary-fallback");
	ck_assert_int_eq(rb_explained_ref_state(c, RB_SIDE_UPSTREAM), RB_REF_STATE_SERVING);
	/* a ref to a Backend, a ref or route that does not exist: not found */
	ck_assert(!rb_explanation_what_if_found(f.ex, 3));
	ck_assert_str_eq(rb_explained_ref_backend_name(rb_explained_rule_ref(r, 1)), "passive");
	ck_assert(!rb_explanation_what_if_found(f.ex, 4));
	ck_assert(!rb_explanation_what_if_found(f.ex, 5));
	char *buf;
	size_t len;
	ck_assert_int_eq(rb_explanation_to_buffer(f.ex, RB_FORMAT_JSON, &buf, &len), RB_OK);
	ck_assert_ptr_nonnull(strstr(buf, "{\"backendRef\": \"shop/r:0:1=fallback\", \"found\": true"));
	rb_free(f.ctx, buf);
	/* the input is untouched: without the what-if, the canary is a Service again */
	explain(&f, NULL, NULL, 0);
	ck_assert_str_eq(rb_explained_ref_kind(rb_explained_rule_ref(rb_explanation_rule(f.ex, 0), 1)),
	                 "Service");
	/* only the exact word */
	static const char *const bad[] = {"shop/r:0:1=fallbackx", "shop/r:0:1=Fallback", "shop/canary=fallback"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		rb_explanation *ex = NULL;
		rb_explain_options eo = RB_EXPLAIN_OPTIONS_INIT;
		eo.what_if = &bad[i];
		eo.what_if_count = 1;
		ck_assert_msg(rb_explain(&ex, f.in, NULL, &eo) == RB_EINVAL, "%s", bad[i]);
		ck_assert_ptr_null(ex);
	}
	done(&f);
}
END_TEST

START_TEST(advice_of_the_library)
{
	/* The canary scaled to zero. Rule 0 (stable + canary): weight 0 and the
	 * fallback both remove the 503 share. Rule 1 (canary + a fallback Backend
	 * already): weight 0 only -- the canary's Backend would share priority 1
	 * with `passive` and take half, which its empty Service cannot serve. */
	fixture f = load();
	const char *const canary[] = {"shop/canary"};
	explain(&f, NULL, canary, 1);
	ck_assert_ptr_null(rb_explained_rule_advice(rb_explanation_rule(f.ex, 0), RB_ADVICE_WEIGHT_0));
	rb_explanation_free(f.ex);
	f.ex = NULL;
	rb_explain_options eo = RB_EXPLAIN_OPTIONS_INIT;
	eo.what_if = canary;
	eo.what_if_count = 1;
	eo.advice = 1;
	ck_assert_int_eq(rb_explain(&f.ex, f.in, NULL, &eo), RB_OK);
	const rb_explained_rule *r = rb_explanation_rule(f.ex, 0);
	ck_share(rb_explained_rule_share(r, RB_SIDE_UPSTREAM, RB_OUTCOME_503), 0.1);
	const rb_explained_rule *w0 = rb_explained_rule_advice(r, RB_ADVICE_WEIGHT_0);
	const rb_explained_rule *fb = rb_explained_rule_advice(r, RB_ADVICE_FALLBACK);
	ck_assert_ptr_nonnull(w0);
	ck_assert_ptr_nonnull(fb);
	ck_assert_uint_eq(rb_explained_rule_advice_ref_count(r, RB_ADVICE_WEIGHT_0), 1);
	ck_assert_uint_eq(rb_explained_rule_advice_ref(r, RB_ADVICE_WEIGHT_0, 0), 1);
	ck_assert_uint_eq(rb_explained_ref_weight(rb_explained_rule_ref(w0, 1)), 0);
	ck_share(rb_explained_rule_share(w0, RB_SIDE_UPSTREAM, RB_OUTCOME_SERVED), 1);
	ck_assert_uint_eq(rb_explained_rule_advice_ref(r, RB_ADVICE_FALLBACK, 0), 1);
	ck_assert_str_eq(rb_explained_ref_backend_name(rb_explained_rule_ref(fb, 1)), "canary-fallback");
	ck_assert_int_eq(rb_explained_ref_state(rb_explained_rule_ref(fb, 1), RB_SIDE_UPSTREAM),
	                 RB_REF_STATE_STANDBY);
	ck_share(rb_explained_rule_share(fb, RB_SIDE_UPSTREAM, RB_OUTCOME_SERVED), 1);
	/* the explanation itself is unchanged by its advice */
	ck_assert_str_eq(rb_explained_ref_kind(rb_explained_rule_ref(r, 1)), "Service");
	r = rb_explanation_rule(f.ex, 1);
	ck_assert_ptr_nonnull(rb_explained_rule_advice(r, RB_ADVICE_WEIGHT_0));
	ck_assert_ptr_null(rb_explained_rule_advice(r, RB_ADVICE_FALLBACK));
	ck_assert_uint_eq(rb_explained_rule_advice_ref_count(r, RB_ADVICE_FALLBACK), 0);
	ck_assert_ptr_null(rb_explained_rule_advice(r, (rb_advice)7));
	ck_assert_ptr_null(rb_explained_rule_advice(NULL, RB_ADVICE_WEIGHT_0));
	ck_assert_uint_eq(rb_explained_rule_advice_ref(r, RB_ADVICE_WEIGHT_0, 5), 0);
	char *buf;
	size_t len;
	ck_assert_int_eq(rb_explanation_to_buffer(f.ex, RB_FORMAT_JSON, &buf, &len), RB_OK);
	ck_assert_ptr_nonnull(strstr(buf, "\"kind\": \"fallback\""));
	ck_assert_ptr_nonnull(strstr(buf, "{\"namespace\": \"shop\", \"name\": \"canary-fallback\", "
	                                  "\"address\": \"10.0.0.2\", \"port\": 8080}"));
	rb_free(f.ctx, buf);
	/* without the Backend API, the Backend would be refused: no fallback advice */
	rb_explanation_free(f.ex);
	f.ex = NULL;
	rb_translate_options o = RB_TRANSLATE_OPTIONS_INIT;
	o.flags = RB_OPT_DISABLE_BACKEND_API;
	ck_assert_int_eq(rb_explain(&f.ex, f.in, &o, &eo), RB_OK);
	r = rb_explanation_rule(f.ex, 0);
	ck_assert_ptr_nonnull(rb_explained_rule_advice(r, RB_ADVICE_WEIGHT_0));
	ck_assert_ptr_null(rb_explained_rule_advice(r, RB_ADVICE_FALLBACK));
	done(&f);
}
END_TEST

/* An allocator with a budget (negative: unlimited) that counts live blocks. */
static long g_budget = -1, g_live;
static void *budget_realloc(void *ud, void *p, size_t old, size_t n)
{
	(void)ud;
	(void)old;
	if (n == 0) {
		g_live -= p != NULL;
		free(p);
		return NULL;
	}
	if (g_budget == 0)
		return NULL;
	if (g_budget > 0)
		g_budget--;
	void *q = realloc(p, n);
	g_live += q && !p;
	return q;
}

START_TEST(advice_out_of_memory)
{
	/* Every allocation of rb_explain with advice may fail: RB_ENOMEM, no
	 * explanation, nothing left allocated; with enough, the advice is there. */
	rb_allocator a = {budget_realloc, NULL};
	rb_ctx *ctx;
	rb_input *in;
	g_budget = -1;
	ck_assert_int_eq(rb_ctx_new(&ctx, &a), RB_OK);
	ck_assert_int_eq(rb_input_new(&in, ctx), RB_OK);
	ck_assert_int_eq(rb_input_add_buffer(in, INPUT, strlen(INPUT), "t.yaml", RB_INPUT_YAML), RB_OK);
	const char *const canary[] = {"shop/canary"};
	rb_explain_options eo = RB_EXPLAIN_OPTIONS_INIT;
	eo.what_if = canary;
	eo.what_if_count = 1;
	eo.advice = 1;
	long live = g_live;
	for (long budget = 0;; budget++) {
		ck_assert_int_lt(budget, 100000);
		rb_explanation *ex = (rb_explanation *)1;
		g_budget = budget;
		int rc = rb_explain(&ex, in, NULL, &eo);
		g_budget = -1;
		if (rc == RB_ENOMEM) {
			ck_assert_ptr_null(ex);
			ck_assert_int_eq(g_live, live);
			continue;
		}
		ck_assert_int_eq(rc, RB_OK);
		ck_assert_ptr_nonnull(
		    rb_explained_rule_advice(rb_explanation_rule(ex, 0), RB_ADVICE_FALLBACK));
		rb_explanation_free(ex);
		ck_assert_int_eq(g_live, live);
		break;
	}
	rb_input_free(in);
	rb_ctx_free(ctx);
	ck_assert_int_eq(g_live, 0);
}
END_TEST

START_TEST(filters_keep_rules)
{
	fixture f = load();
	rb_explain_options eo = RB_EXPLAIN_OPTIONS_INIT;
	const char *const route[] = {"shop/nope", "shop/r"}, *const gw[] = {"infra/eg"};
	const char *const other[] = {"infra/other"};
	rb_explanation *ex = NULL;
	/* a namespace, routes (any of them), Gateways: every rule passes */
	eo.namespace_ = "shop";
	eo.routes = route;
	eo.route_count = 2;
	eo.gateways = gw;
	eo.gateway_count = 1;
	ck_assert_int_eq(rb_explain(&ex, f.in, NULL, &eo), RB_OK);
	ck_assert_uint_eq(rb_explanation_rule_count(ex), 2);
	rb_explanation_free(ex);
	/* another Gateway, or another namespace: none; the translations are whole */
	eo.gateways = other;
	ck_assert_int_eq(rb_explain(&ex, f.in, NULL, &eo), RB_OK);
	ck_assert_uint_eq(rb_explanation_rule_count(ex), 0);
	ck_assert_uint_eq(rb_result_destination_count(rb_explanation_result(ex, RB_SIDE_SELECTED)), 2);
	rb_explanation_free(ex);
	eo.gateway_count = 0;
	eo.namespace_ = "infra";
	ck_assert_int_eq(rb_explain(&ex, f.in, NULL, &eo), RB_OK);
	ck_assert_uint_eq(rb_explanation_rule_count(ex), 0);
	rb_explanation_free(ex);
	/* a count without its list */
	eo.namespace_ = NULL;
	eo.routes = NULL;
	ck_assert_int_eq(rb_explain(&ex, f.in, NULL, &eo), RB_EINVAL);
	done(&f);
}
END_TEST

START_TEST(serialized_forms)
{
	fixture f = load();
	explain(&f, NULL, NULL, 0);
	char *buf;
	size_t len;
	ck_assert_int_eq(rb_explanation_to_buffer(f.ex, RB_FORMAT_JSON, &buf, &len), RB_OK);
	ck_assert_uint_eq(strlen(buf), len);
	ck_assert_ptr_nonnull(strstr(buf, "\"selected\": {\"state\": \"serving\", \"share\": 90}"));
	ck_assert_ptr_nonnull(strstr(buf, "\"envoyVersion\": \">=1.30\""));
	ck_assert_ptr_nonnull(strstr(buf, "\"envoyGatewayVersion\": \">=1.1\""));
	rb_free(f.ctx, buf);
	const rb_result *sel = rb_explanation_result(f.ex, RB_SIDE_SELECTED);
	ck_assert_int_eq(rb_xds_to_buffer(sel, RB_FORMAT_YAML, &buf, &len), RB_OK);
	ck_assert_ptr_nonnull(strstr(buf, "route: {cluster: httproute/shop/r/rule/0}\n"));
	ck_assert_ptr_nonnull(strstr(buf, "healthStatus: DRAINING"));
	ck_assert_ptr_nonnull(strstr(buf, "priority: 1\n"));
	rb_free(f.ctx, buf);
	done(&f);
}
END_TEST

START_TEST(percent_format)
{
	char b[16];
	struct {
		double v;
		const char *want;
	} cases[] = {{0, "0"},        {1, "100"},     {0.9, "90"},   {1.0 / 3, "33.33"},
	             {2.0 / 3, "66.67"}, {0.125, "12.5"}, {0.00004, "0"}, {0.00005, "0.01"},
	             {-1, "0"},       {2, "100"},     {NAN, "0"}};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t n = rb__format_percent(cases[i].v, b);
		ck_assert_str_eq(b, cases[i].want);
		ck_assert_uint_eq(n, strlen(cases[i].want));
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("explain");
	TCase *tc = tcase_create("api");
	tcase_add_test(tc, both_sides_and_accessors);
	tcase_add_test(tc, upstream_side_keeps_only_environment_flags);
	tcase_add_test(tc, bad_arguments);
	suite_add_tcase(s, tc);
	tc = tcase_create("what_if");
	tcase_add_test(tc, what_if_empties_the_slices_of_a_service);
	suite_add_tcase(s, tc);
	tc = tcase_create("output");
	tcase_add_test(tc, serialized_forms);
	tcase_add_test(tc, what_each_ref_causes);
	tcase_add_test(tc, what_if_endpoints_and_weights);
	tcase_add_test(tc, what_if_fallback_backend);
	tcase_add_test(tc, advice_of_the_library);
	tcase_add_test(tc, advice_out_of_memory);
	tcase_add_test(tc, filters_keep_rules);
	tcase_add_test(tc, percent_format);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
