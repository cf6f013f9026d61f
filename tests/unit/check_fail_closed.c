/*
 * Policies that fail closed (lib/translate/fail_closed.c and friends): the
 * value syntaxes their validation uses, and the precedence rules that decide
 * which policy reaches a rule -- most specific wins, mergeType inherits the
 * parent's errors, the first policy on a target claims it, fail open.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rebalance/rebalance.h"
#include "testutil.h"
#include "core/mem.h"
#include "model/cert_validity.h"
#include "translate/tr.h"

START_TEST(go_durations)
{
	double s;
	ck_assert(rb__parse_go_duration("0", &s) && s == 0);
	ck_assert(rb__parse_go_duration("0s", &s) && s == 0);
	ck_assert(rb__parse_go_duration("1h2m3.5s", &s) && s == 3723.5);
	ck_assert(rb__parse_go_duration("250ms", &s) && s == 0.25);
	ck_assert(rb__parse_go_duration("-1.5h", &s) && s == -5400);
	ck_assert(rb__parse_go_duration("10\xc2\xb5s", &s));
	ck_assert(!rb__parse_go_duration("", &s));
	ck_assert(!rb__parse_go_duration("10", &s));    /* a unit is needed */
	ck_assert(!rb__parse_go_duration("22mib", &s)); /* not a unit */
	ck_assert(!rb__parse_go_duration("1d", &s));
	ck_assert(!rb__parse_go_duration(".s", &s));
	ck_assert(!rb__parse_go_duration("3000000h", &s)); /* beyond int64 nanoseconds */
}
END_TEST

START_TEST(quantities)
{
	double v;
	ck_assert(rb__parse_quantity("5000Mi", &v) && v == 5000.0 * 1048576);
	ck_assert(rb__parse_quantity("4Gi", &v) && v == 4294967296.0);
	ck_assert(rb__parse_quantity("1k", &v) && v == 1000);
	ck_assert(rb__parse_quantity("1.5", &v) && v == 2); /* rounded up */
	ck_assert(rb__parse_quantity("1e3", &v) && v == 1000);
	ck_assert(rb__parse_quantity("-1", &v) && v == -1);
	ck_assert(!rb__parse_quantity("", &v));
	ck_assert(!rb__parse_quantity("10MB", &v));
	ck_assert(!rb__parse_quantity("Mi", &v));
}
END_TEST


/* An expired certificate of Envoy Gateway's test data (mtls.example.com, valid
 * 2019-12-31 15:00:01 to 2020-01-01 15:00:01 UTC), then a block that is not one. */
static const char EXPIRED_PEM[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIDvzCCAqegAwIBAgIUCM0nEy6yamvpz8EPb5jv7KXdDjIwDQYJKoZIhvcNAQEL\n"
	"BQAwbzELMAkGA1UEBhMCVVMxCzAJBgNVBAgMAlZBMREwDwYDVQQHDAhTb21lQ2l0\n"
	"eTETMBEGA1UECgwKRW52b3lQcm94eTEQMA4GA1UECwwHR2F0ZXdheTEZMBcGA1UE\n"
	"AwwQbXRscy5leGFtcGxlLmNvbTAeFw0xOTEyMzExNTAwMDFaFw0yMDAxMDExNTAw\n"
	"MDFaMG8xCzAJBgNVBAYTAlVTMQswCQYDVQQIDAJWQTERMA8GA1UEBwwIU29tZUNp\n"
	"dHkxEzARBgNVBAoMCkVudm95UHJveHkxEDAOBgNVBAsMB0dhdGV3YXkxGTAXBgNV\n"
	"BAMMEG10bHMuZXhhbXBsZS5jb20wggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAwggEK\n"
	"AoIBAQDKX9tHhRjAUkruTvWF6wInB2yjNPQQfizk7+jwDKuO9l1vdaRCw0Izm2jR\n"
	"rzogqP4YNB3xFmk9IXw0AjXlRURjoYslfSthpHMbNUz8mlMnYQkHlnAMQC9nqj0h\n"
	"T+BberdoUq1VXYrV1LrQS5l7XlA3I0VaJR7BKoS8lEqfyPbkczdibkhrNXRajkwb\n"
	"dnVGaygBtKDhAH3Ov/C4kF9UZxLgyUmmGR4JQsrG2GJTr3VgQt+uUACMxjYVQ+LW\n"
	"jkrsMv0ioVXLHYi7rNZhmAmpNIw0IWIP1WsMnp8i5d4iQxwG0TSEDFRfwP5gWw7U\n"
	"xaJtvny3L2KNwox+iftOAv6He8fLAgMBAAGjUzBRMB0GA1UdDgQWBBQ7Xfc3Vpga\n"
	"smj9uf99iaXPke7BIzAfBgNVHSMEGDAWgBQ7Xfc3Vpgasmj9uf99iaXPke7BIzAP\n"
	"BgNVHRMBAf8EBTADAQH/MA0GCSqGSIb3DQEBCwUAA4IBAQAfEtB+BJ9qOe3bmwhA\n"
	"7do1iJp0Qksdx48MbsOX505u4Y+7GPtz13AlJCopOtAYcb2Mz12na9iXmJUFpxwa\n"
	"XFEgS/3raUqzuPrmLTW4Y5mdNSnTx+WkO8cvjuY3xKpEQOllcyM32jqd/ycFAd4z\n"
	"qx7ZfP475H9aTXvCjDiuuO/7oCmsSWvJ4dlln/+35z1WgO8w9NhF4HL42Tj8x7+u\n"
	"pwMJw3gvM5Vw0YXJW8THr371q1OFEEThyrUajoEVCODYCh3FWejlNvbvDWwb2uSb\n"
	"KrXwKQfc1SQwEhn20BSmQXTGcMXeI3Q6iS63u0PydTzgN4BDm9MFyUXPV6OsmT0B\n"
	"dOwg\n"
	"-----END CERTIFICATE-----\n";

START_TEST(certificate_validity)
{
	rb__mem mem;
	rb__mem_default(&mem);
	rb__arena a;
	rb__arena_init(&a, &mem);
	char pem[sizeof EXPIRED_PEM + 128];
	snprintf(pem, sizeof pem, "%s%s", EXPIRED_PEM,
	         "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n");
	rb__cert_validity *certs;
	uint32_t n;
	ck_assert_int_eq(rb__pem_certificates(&a, pem, strlen(pem), &certs, &n), RB_OK);
	ck_assert_uint_eq(n, 2);
	ck_assert(certs[0].parsed);
	ck_assert_str_eq(certs[0].common_name, "mtls.example.com");
	ck_assert_int_eq(certs[0].not_before, 1577804401);
	ck_assert_int_eq(certs[0].not_after, 1577890801);
	ck_assert(!certs[1].parsed);
	rb__arena_free(&a);
}
END_TEST

static const char BASE[] =
    "gateways:\n"
    "- metadata: {namespace: infra, name: eg}\n"
    "  spec:\n"
    "    gatewayClassName: envoy-gateway-class\n"
    "    listeners:\n"
    "    - {name: http, protocol: HTTP, port: 80, allowedRoutes: {namespaces: {from: All}}}\n"
    "services:\n"
    "- metadata: {namespace: shop, name: web}\n"
    "  spec: {ports: [{name: http, port: 8080}]}\n"
    "- metadata: {namespace: auth, name: authz}\n"
    "  spec: {ports: [{port: 9000}]}\n"
    "endpointSlices:\n"
    "- metadata: {namespace: shop, name: web-1, labels: {kubernetes.io/service-name: web}}\n"
    "  addressType: IPv4\n"
    "  ports: [{name: http, port: 8080}]\n"
    "  endpoints: [{addresses: [1.1.1.1]}]\n"
    "httpRoutes:\n"
    "- metadata: {namespace: shop, name: r}\n"
    "  spec:\n"
    "    parentRefs: [{namespace: infra, name: eg}]\n"
    "    rules:\n"
    "    - backendRefs: [{name: web, port: 8080}]\n";

#define GATEWAY "{group: gateway.networking.k8s.io, kind: Gateway, name: eg}"
#define ROUTE   "{group: gateway.networking.k8s.io, kind: HTTPRoute, name: r}"
#define POLICY(ns, name, target, body)                                                             \
	"- metadata: {namespace: " ns ", name: " name "}\n"                                        \
	"  spec:\n"                                                                                \
	"    targetRefs: [" target "]\n" body
#define BAD_RETRY  "    retry: {perRetry: {backOff: {baseInterval: 0s}}}\n"
#define GOOD_RETRY "    retry: {perRetry: {backOff: {baseInterval: 1s}}}\n"

/* The direct response of the one rule, and why, with these policies added. */
static uint32_t answer(const char *policies, const char **why)
{
	size_t n = strlen(BASE) + strlen(policies) + 1;
	char *doc = malloc(n);
	snprintf(doc, n, "%s%s", BASE, policies);
	rb_ctx *ctx;
	rb_input *in;
	ck_assert_int_eq(rb_ctx_new(&ctx, NULL), RB_OK);
	ck_assert_int_eq(rb_input_new(&in, ctx), RB_OK);
	ck_assert_int_eq(rb_input_add_buffer(in, doc, strlen(doc), "t.yaml", RB_INPUT_YAML), RB_OK);
	free(doc);
	rb_explanation *ex;
	ck_assert_int_eq(rb_explain(&ex, in, NULL, NULL), RB_OK);
	ck_assert_uint_eq(rb_explanation_rule_count(ex), 1);
	const rb_explained_rule *r = rb_explanation_rule(ex, 0);
	uint32_t code =
	    rb_destination_direct_response(rb_explained_rule_destination(r, RB_SIDE_SELECTED));
	static char reason[512];
	const char *w = rb_explained_rule_routing_reason(r, RB_SIDE_SELECTED);
	snprintf(reason, sizeof reason, "%s", w ? w : "");
	if (why)
		*why = reason;
	rb_explanation_free(ex);
	rb_input_free(in);
	rb_ctx_free(ctx);
	return code;
}

/* [policy.most-specific] [policy.claim-on-failure] */
START_TEST(most_specific_valid_policy_claims_the_route)
{
	const char *why;
	/* The route's valid policy claims it: the Gateway's invalid one is not applied. */
	ck_assert_uint_eq(
	    answer("backendTrafficPolicies:\n" POLICY("infra", "gw", GATEWAY, BAD_RETRY)
	               POLICY("shop", "route", ROUTE, GOOD_RETRY),
	           NULL),
	    0);
	/* Without a route policy the Gateway's reaches the rule. */
	ck_assert_uint_eq(
	    answer("backendTrafficPolicies:\n" POLICY("infra", "gw", GATEWAY, BAD_RETRY), &why),
	    500);
	ck_assert_str_eq(why,
	                 "BackendTrafficPolicy infra/gw: Retry: baseInterval cannot be set to 0s.");
}
END_TEST

/* [policy.merge-type] */
START_TEST(merge_type_inherits_the_parent_errors)
{
	ck_assert_uint_eq(
	    answer("backendTrafficPolicies:\n" POLICY("infra", "gw", GATEWAY, BAD_RETRY)
	               POLICY("shop", "route", ROUTE, GOOD_RETRY "    mergeType: StrategicMerge\n"),
	           NULL),
	    500);
}
END_TEST

/* [policy.first-claims] [policy.targets] */
START_TEST(first_policy_on_a_target_claims_it)
{
	/* The second policy on the route is Conflicted: its error has no effect. */
	ck_assert_uint_eq(answer("backendTrafficPolicies:\n" POLICY("shop", "a", ROUTE, GOOD_RETRY)
	                             POLICY("shop", "b", ROUTE, BAD_RETRY),
	                         NULL),
	                  0);
}
END_TEST

#define EXT_AUTH(fail_open)                                                                        \
	"    extAuth: {failOpen: " fail_open ", http: {backendRefs: [{name: auth, port: "          \
	                                     "9000}]}}\n"
#define EXT_PROC(fail_open)                                                                        \
	"    extProc: [{failOpen: " fail_open ", backendRefs: [{name: auth, port: 9000}]}]\n"

/* [policy.fail-open] */
START_TEST(ext_services_may_fail_open)
{
	const char *why;
	ck_assert_uint_eq(
	    answer("securityPolicies:\n" POLICY("shop", "sp", ROUTE, EXT_AUTH("false")), &why),
	    500);
	ck_assert_str_eq(why, "SecurityPolicy shop/sp: ExtAuth: service shop/auth not found.");
	ck_assert_uint_eq(
	    answer("securityPolicies:\n" POLICY("shop", "sp", ROUTE, EXT_AUTH("true")), NULL), 0);
	/* Fail open covers ExtAuth only: another error still fails the route. */
	ck_assert_uint_eq(
	    answer("securityPolicies:\n" POLICY("shop", "sp", ROUTE,
	                                        EXT_AUTH("true") "    basicAuth: "
	                                                         "{users: {name: nope}}\n"),
	           NULL),
	    500);
	ck_assert_uint_eq(
	    answer("envoyExtensionPolicies:\n" POLICY("shop", "e", ROUTE, EXT_PROC("true")), NULL),
	    0);
	ck_assert_uint_eq(
	    answer("envoyExtensionPolicies:\n" POLICY("shop", "e", ROUTE, EXT_PROC("false")), NULL),
	    500);
}
END_TEST

/* [policy.ext-service] */
START_TEST(cross_namespace_ext_service_needs_a_grant)
{
	static const char SP[] =
	    "securityPolicies:\n" POLICY("shop", "sp", ROUTE,
	                                 "    extAuth: {grpc: {backendRefs: [{name: authz, "
	                                 "namespace: auth, port: 9000}]}}\n");
	static const char GRANT[] =
	    "referenceGrants:\n"
	    "- metadata: {namespace: auth, name: g}\n"
	    "  spec:\n"
	    "    from: [{group: gateway.envoyproxy.io, kind: SecurityPolicy, "
	    "namespace: shop}]\n"
	    "    to: [{group: '', kind: Service}]\n";
	char doc[2048];
	ck_assert_uint_eq(answer(SP, NULL), 500);
	snprintf(doc, sizeof doc, "%s%s", SP, GRANT);
	ck_assert_uint_eq(answer(doc, NULL), 0);
}
END_TEST


/* [policy.checks] */
START_TEST(feature_checks)
{
	const char *why;
	ck_assert_uint_eq(answer("backendTrafficPolicies:\n" POLICY("shop", "b", ROUTE,
	                                                            "    http2: {initialStreamWindowSize: "
	                                                            "1Ki}\n"),
	                         &why),
	                  500);
	ck_assert_str_eq(why, "BackendTrafficPolicy shop/b: HTTP2: InitialStreamWindowSize value 1Ki "
	                      "is out of range, must be between 65535 and 2147483647.");
	ck_assert_uint_eq(answer("backendTrafficPolicies:\n" POLICY("shop", "b", ROUTE,
	                                                            "    http2: {initialStreamWindowSize: "
	                                                            "64Ki}\n"),
	                         NULL),
	                  0);
	/* Several errors: one line each, in Envoy Gateway's order, one final period. */
	ck_assert_uint_eq(answer("backendTrafficPolicies:\n" POLICY("shop", "b", ROUTE,
	                                                            "    timeout: {http: {requestTimeout: "
	                                                            "5 seconds}}\n" BAD_RETRY),
	                         &why),
	                  500);
	ck_assert_str_eq(why, "BackendTrafficPolicy shop/b: Retry: baseInterval cannot be set to 0s\n"
	                      "Timeout: invalid requestTimeout value 5 seconds.");
	ck_assert_uint_eq(answer("backendTrafficPolicies:\n" POLICY(
					 "shop", "b", ROUTE,
					 "    rateLimit: {local: {rules: [{clientSelectors: [{headers: [{name: "
					 "x, type: Distinct, invert: true}]}], limit: {requests: 1, unit: "
					 "Second}}]}}\n"),
	                         NULL),
	                  500);
	ck_assert_uint_eq(answer("backendTrafficPolicies:\n" POLICY(
					 "shop", "b", ROUTE,
					 "    rateLimit: {global: {rules: [{clientSelectors: [{headers: [{name: "
					 "x, type: RegularExpression, value: '(a'}]}], limit: {requests: 1, "
					 "unit: Second}}]}}\n"),
	                         NULL),
	                  500);
	ck_assert_uint_eq(answer("backendTrafficPolicies:\n" POLICY(
					 "shop", "b", ROUTE,
					 "    rateLimit: {global: {rules: [{clientSelectors: [{headers: [{name: "
					 "x, type: RegularExpression, value: '(a)'}], sourceCIDR: {value: "
					 "10.0.0.0/8}}], limit: {requests: 1, unit: Second}}]}}\n"),
	                         NULL),
	                  0);
	ck_assert_uint_eq(
		answer("securityPolicies:\n" POLICY("shop", "s", ROUTE,
		                                    "    jwt: {providers: [{name: a, remoteJWKS: {uri: "
		                                    "'https://a/jwks'}, localJWKS: {type: Inline}}]}\n"),
		       NULL),
		500);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("fail_closed");
	TCase *tc = tcase_create("values");
	tcase_add_test(tc, go_durations);
	tcase_add_test(tc, quantities);
	tcase_add_test(tc, certificate_validity);
	suite_add_tcase(s, tc);
	tc = tcase_create("precedence");
	tcase_add_test(tc, most_specific_valid_policy_claims_the_route);
	tcase_add_test(tc, merge_type_inherits_the_parent_errors);
	tcase_add_test(tc, first_policy_on_a_target_claims_it);
	tcase_add_test(tc, ext_services_may_fail_open);
	tcase_add_test(tc, cross_namespace_ext_service_needs_a_grant);
	tcase_add_test(tc, feature_checks);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
