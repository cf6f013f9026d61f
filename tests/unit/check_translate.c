/*
 * Translator rules (docs/semantics/), one test per subtle rule, through
 * the public API: YAML in (the Envoy Gateway testdata layout), accessors out.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rebalance/rebalance.h"
#include "testutil.h"

/* A Gateway of ours with an HTTP listener and a TCP, a UDP and a TLS listener. */
static const char GATEWAY[] =
	"gateways:\n"
	"- apiVersion: gateway.networking.k8s.io/v1\n"
	"  kind: Gateway\n"
	"  metadata: {namespace: envoy-gateway, name: gateway-1}\n"
	"  spec:\n"
	"    gatewayClassName: envoy-gateway-class\n"
	"    listeners:\n"
	"    - {name: http, protocol: HTTP, port: 80, allowedRoutes: {namespaces: {from: All}}}\n"
	"    - {name: tcp, protocol: TCP, port: 90, allowedRoutes: {namespaces: {from: All}}}\n"
	"    - {name: udp, protocol: UDP, port: 91, allowedRoutes: {namespaces: {from: All}}}\n"
	"    - {name: tls, protocol: TLS, port: 92, tls: {mode: Passthrough},\n"
	"       allowedRoutes: {namespaces: {from: All}}}\n";

/* Services s1..s3 with endpoints, "empty" without, "draining" with only not-ready pods. */
static const char BACKENDS[] =
	"services:\n"
	"- metadata: {namespace: default, name: s1}\n"
	"  spec: {clusterIP: 10.0.0.1, ports: [{name: http, port: 8080, protocol: TCP},\n"
	"         {name: dns, port: 53, protocol: UDP}]}\n"
	"- metadata: {namespace: default, name: s2}\n"
	"  spec: {clusterIP: 10.0.0.2, ports: [{name: http, port: 8080}]}\n"
	"- metadata: {namespace: default, name: s3}\n"
	"  spec: {clusterIP: 10.0.0.3, ports: [{name: http, port: 8080, appProtocol: kubernetes.io/h2c}]}\n"
	"- metadata: {namespace: default, name: empty}\n"
	"  spec: {clusterIP: 10.0.0.4, ports: [{name: http, port: 8080}]}\n"
	"- metadata: {namespace: default, name: draining}\n"
	"  spec: {clusterIP: 10.0.0.5, ports: [{name: http, port: 8080}]}\n"
	"- metadata: {namespace: other, name: far}\n"
	"  spec: {clusterIP: 10.0.0.6, ports: [{name: http, port: 8080}]}\n"
	"endpointSlices:\n"
	"- metadata: {namespace: default, name: s1-a, labels: {kubernetes.io/service-name: s1}}\n"
	"  addressType: IPv4\n"
	"  ports: [{name: http, port: 3000, protocol: TCP}, {name: dns, port: 5353, protocol: UDP}]\n"
	"  endpoints: [{addresses: [1.1.1.1], conditions: {ready: true}, zone: z1}]\n"
	"- metadata: {namespace: default, name: s2-a, labels: {kubernetes.io/service-name: s2}}\n"
	"  addressType: IPv4\n"
	"  ports: [{name: http, port: 3000}]\n"
	"  endpoints: [{addresses: [2.2.2.2, 2.2.2.3]}]\n"
	"- metadata: {namespace: default, name: s3-a, labels: {kubernetes.io/service-name: s3}}\n"
	"  addressType: IPv4\n"
	"  ports: [{name: http, port: 3000}]\n"
	"  endpoints: [{addresses: [3.3.3.3]}]\n"
	"- metadata: {namespace: default, name: empty-a, labels: {kubernetes.io/service-name: empty}}\n"
	"  addressType: IPv4\n"
	"  ports: [{name: http, port: 3000}]\n"
	"  endpoints: []\n"
	"- metadata: {namespace: default, name: draining-a, labels: {kubernetes.io/service-name: draining}}\n"
	"  addressType: IPv4\n"
	"  ports: [{name: http, port: 3000}]\n"
	"  endpoints: [{addresses: [5.5.5.5], conditions: {ready: false}},\n"
	"              {addresses: [5.5.5.6], conditions: {serving: true, terminating: true}}]\n"
	"- metadata: {namespace: other, name: far-a, labels: {kubernetes.io/service-name: far}}\n"
	"  addressType: IPv4\n"
	"  ports: [{name: http, port: 3000}]\n"
	"  endpoints: [{addresses: [6.6.6.6]}]\n"
	"backends:\n"
	"- metadata: {namespace: default, name: passive}\n"
	"  spec: {fallback: true, endpoints: [{ip: {address: 9.9.9.9, port: 3001}}]}\n"
	"- metadata: {namespace: default, name: dr}\n"
	"  spec: {type: DynamicResolver}\n"
	"- metadata: {namespace: default, name: loop}\n"
	"  spec: {endpoints: [{ip: {address: 127.0.0.1, port: 3001}}]}\n"
	"- metadata: {namespace: default, name: mixed}\n"
	"  spec: {endpoints: [{ip: {address: 9.9.9.8, port: 1}}, {fqdn: {hostname: a.example.com, port: 1}}]}\n";

typedef struct fixture {
	rb_ctx *ctx;
	rb_input *in;
	rb_result *res;
} fixture;

/* Translate GATEWAY + BACKENDS + `routes` in the given mode. */
static fixture translate(const char *routes, uint32_t mode, uint32_t flags)
{
	fixture f = {NULL, NULL, NULL};
	size_t n = strlen(GATEWAY) + strlen(BACKENDS) + strlen(routes) + 1;
	char *doc = malloc(n);
	snprintf(doc, n, "%s%s%s", GATEWAY, BACKENDS, routes);
	ck_assert_int_eq(rb_ctx_new(&f.ctx, NULL), RB_OK);
	ck_assert_int_eq(rb_input_new(&f.in, f.ctx), RB_OK);
	int rc = rb_input_add_buffer(f.in, doc, strlen(doc), "test.yaml", RB_INPUT_YAML);
	if (rc) {
		char msg[1024];
		rb_diag_format(rb_input_diag(f.in, 0), msg, sizeof msg);
		ck_abort_msg("input rejected: %s", msg);
	}
	rb_translate_options o = RB_TRANSLATE_OPTIONS_INIT;
	o.mode = mode;
	o.flags = flags;
	ck_assert_int_eq(rb_translate(&f.res, f.in, &o), RB_OK);
	free(doc);
	return f;
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

static const rb_condition *cond(const fixture *f, size_t status, const char *type)
{
	const rb_route_status *rs = rb_result_route_status(f->res, status);
	ck_assert_ptr_nonnull(rs);
	for (size_t i = 0; i < rb_route_status_condition_count(rs); i++) {
		const rb_condition *c = rb_route_status_condition(rs, i);
		if (!strcmp(rb_condition_type(c), type))
			return c;
	}
	return NULL;
}

#define HTTP_ROUTE(refs)                                                                       \
	"httpRoutes:\n"                                                                            \
	"- metadata: {namespace: default, name: r}\n"                                              \
	"  spec:\n"                                                                                \
	"    parentRefs: [{namespace: envoy-gateway, name: gateway-1, sectionName: http}]\n"      \
	"    rules:\n"                                                                             \
	"    - backendRefs: " refs "\n"

#define GRPC_ROUTE(refs)                                                                       \
	"grpcRoutes:\n"                                                                            \
	"- metadata: {namespace: default, name: g}\n"                                              \
	"  spec:\n"                                                                                \
	"    parentRefs: [{namespace: envoy-gateway, name: gateway-1, sectionName: http}]\n"      \
	"    rules:\n"                                                                             \
	"    - backendRefs: " refs "\n"

#define R0 "httproute/default/r/rule/0"

/* [weight.default] [weight.zero] [dest.one-per-ref] [name.setting] [name.destination] [l7.keep] */
START_TEST(weight_defaults_to_one_and_zero_is_skipped)
{
	fixture f = translate(HTTP_ROUTE("[{name: s1, port: 8080}, {name: s2, port: 8080, weight: 0}, "
	                                 "{name: s3, port: 8080, weight: 3}]"),
	                      RB_MODE_REBALANCE, 0);
	const rb_destination *d = dest(&f, R0);
	ck_assert_uint_eq(rb_destination_setting_count(d), 2);
	ck_assert_str_eq(rb_setting_name(rb_destination_setting(d, 0)), R0 "/backend/0");
	ck_assert_uint_eq(rb_setting_weight(rb_destination_setting(d, 0)), 1);
	/* the zero-weight ref keeps its index: a gap */
	ck_assert_str_eq(rb_setting_name(rb_destination_setting(d, 1)), R0 "/backend/2");
	ck_assert_uint_eq(rb_destination_backend_weight(d, RB_WEIGHT_VALID), 4);
	done(&f);
}
END_TEST

/* [endpoints.slices.match] [meta.backend] [dest.default-protocol] */
START_TEST(endpoints_follow_port_name_not_number)
{
	fixture f = translate(HTTP_ROUTE("[{name: s1, port: 8080}]"), RB_MODE_REBALANCE, 0);
	const rb_setting *s = rb_destination_setting(dest(&f, R0), 0);
	ck_assert_uint_eq(rb_setting_endpoint_count(s), 1);
	const rb_endpoint *e = rb_setting_endpoint(s, 0);
	ck_assert_str_eq(rb_endpoint_host(e), "1.1.1.1");
	ck_assert_uint_eq(rb_endpoint_port(e), 3000); /* the slice port, not the Service port */
	ck_assert_str_eq(rb_endpoint_zone(e), "z1");
	ck_assert_str_eq(rb_setting_protocol(s), "HTTP");
	ck_assert_str_eq(rb_setting_address_type(s), "IP");
	ck_assert_str_eq(rb_setting_metadata_kind(s), "Service");
	ck_assert_str_eq(rb_setting_metadata_section_name(s), "8080");
	done(&f);
}
END_TEST

/* [proto.refine] [dest.default-protocol] */
START_TEST(app_protocol_refines_http_only)
{
	fixture f = translate(HTTP_ROUTE("[{name: s3, port: 8080}]") GRPC_ROUTE("[{name: s3, port: 8080}]"),
	                      RB_MODE_REBALANCE, 0);
	ck_assert_str_eq(rb_setting_protocol(rb_destination_setting(dest(&f, R0), 0)), "HTTP2");
	ck_assert_str_eq(rb_setting_protocol(rb_destination_setting(dest(&f, "grpcroute/default/g/rule/0"), 0)),
	                 "GRPC");
	done(&f);
}
END_TEST

/* [endpoints.draining] */
START_TEST(not_ready_endpoints_are_kept_as_draining)
{
	fixture f = translate(HTTP_ROUTE("[{name: draining, port: 8080}]"), RB_MODE_REBALANCE, 0);
	const rb_destination *d = dest(&f, R0);
	ck_assert_uint_eq(rb_destination_direct_response(d), 0);
	const rb_setting *s = rb_destination_setting(d, 0);
	ck_assert_uint_eq(rb_setting_endpoint_count(s), 2);
	ck_assert_int_eq(rb_endpoint_draining(rb_setting_endpoint(s, 0)), 1); /* ready: false */
	ck_assert_int_eq(rb_endpoint_draining(rb_setting_endpoint(s, 1)), 1); /* terminating */
	ck_assert_ptr_null(cond(&f, 0, "BackendsAvailable"));
	done(&f);
}
END_TEST

/* [bucket.classify] [bucket.members] [mode.compat] [svc.no-endpoints] */
START_TEST(compat_keeps_empty_backend_in_no_endpoints_bucket)
{
	fixture f = translate(HTTP_ROUTE("[{name: s1, port: 8080, weight: 90}, {name: empty, port: 8080, weight: 10}]"),
	                      RB_MODE_COMPAT_ENVOY_GATEWAY, 0);
	const rb_destination *d = dest(&f, R0);
	ck_assert_uint_eq(rb_destination_setting_count(d), 2);
	const rb_setting *s = rb_destination_setting(d, 1);
	ck_assert_uint_eq(rb_setting_endpoint_count(s), 0);
	ck_assert_uint_eq(rb_setting_flags(s) & RB_SETTING_INVALID, 0);
	ck_assert_ptr_null(rb_setting_protocol(s)); /* the empty DS: name and weight only */
	ck_assert_uint_eq(rb_destination_backend_weight(d, RB_WEIGHT_NO_ENDPOINTS), 10);
	ck_assert_uint_eq(rb_destination_excluded_count(d), 0);
	const rb_condition *c = cond(&f, 0, "BackendsAvailable");
	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(rb_condition_status(c), "False");
	ck_assert_str_eq(rb_condition_reason(c), "EndpointsNotFound");
	ck_assert_str_eq(rb_condition_message(c),
	                 "Failed to find endpoints: no ready endpoints for the related Service default/empty.");
	ck_assert_str_eq(rb_condition_status(cond(&f, 0, "ResolvedRefs")), "True");
	done(&f);
}
END_TEST

/* [rebalance.exclude] [l7.keep] [mode.default] */
START_TEST(rebalance_excludes_empty_backend)
{
	fixture f = translate(HTTP_ROUTE("[{name: s1, port: 8080, weight: 90}, {name: empty, port: 8080, weight: 10}]"),
	                      RB_MODE_REBALANCE, 0);
	const rb_destination *d = dest(&f, R0);
	ck_assert_uint_eq(rb_destination_setting_count(d), 1);
	ck_assert_uint_eq(rb_destination_excluded_count(d), 1);
	ck_assert_str_eq(rb_destination_excluded_name(d, 0), R0 "/backend/1");
	ck_assert_uint_eq(rb_destination_excluded_weight(d, 0), 10);
	ck_assert_str_eq(rb_destination_excluded_reason(d, 0), "NoReadyEndpoints");
	ck_assert_uint_eq(rb_destination_backend_weight(d, RB_WEIGHT_NO_ENDPOINTS), 0);
	/* statuses are the same in both modes */
	ck_assert_ptr_nonnull(cond(&f, 0, "BackendsAvailable"));
	done(&f);
}
END_TEST

/* [direct.no-endpoints] [status.backends-available] */
START_TEST(all_empty_gives_503_in_both_modes)
{
	for (uint32_t mode = 0; mode < 2; mode++) {
		fixture f = translate(HTTP_ROUTE("[{name: empty, port: 8080}]"), mode, 0);
		const rb_destination *d = dest(&f, R0);
		ck_assert_uint_eq(rb_destination_direct_response(d), 503);
		ck_assert_uint_eq(rb_destination_setting_count(d), 0);
		done(&f);
	}
}
END_TEST

/* [direct.invalid] [l7.backend-ref] [rebalance.exclude.status] */
START_TEST(invalid_share_is_kept_and_500_wins_over_503)
{
	fixture f = translate(HTTP_ROUTE("[{name: s1, port: 8080, weight: 80}, {name: nope, port: 8080, weight: 20}]"),
	                      RB_MODE_REBALANCE, 0);
	const rb_destination *d = dest(&f, R0);
	ck_assert_uint_eq(rb_destination_setting_count(d), 2);
	const rb_setting *bad = rb_destination_setting(d, 1);
	ck_assert_uint_eq(rb_setting_flags(bad) & RB_SETTING_INVALID, RB_SETTING_INVALID);
	ck_assert_uint_eq(rb_setting_weight(bad), 20);
	ck_assert_uint_eq(rb_destination_backend_weight(d, RB_WEIGHT_INVALID), 20);
	const rb_condition *c = cond(&f, 0, "ResolvedRefs");
	ck_assert_str_eq(rb_condition_reason(c), "BackendNotFound");
	ck_assert_str_eq(rb_condition_message(c),
	                 "Failed to process route rule 0 backendRef 1: service default/nope not found.");
	done(&f);

	/* invalid + empty, nothing valid: case 2 (500) comes before case 3 (503) */
	f = translate(HTTP_ROUTE("[{name: nope, port: 8080}, {name: empty, port: 8080}]"),
	              RB_MODE_COMPAT_ENVOY_GATEWAY, 0);
	ck_assert_uint_eq(rb_destination_direct_response(dest(&f, R0)), 500);
	done(&f);
}
END_TEST

/* [direct.nothing-valid] [weight.zero] */
START_TEST(all_weights_zero_gives_500)
{
	fixture f = translate(HTTP_ROUTE("[{name: s1, port: 8080, weight: 0}]"), RB_MODE_REBALANCE, 0);
	ck_assert_uint_eq(rb_destination_direct_response(dest(&f, R0)), 500);
	ck_assert_str_eq(rb_condition_status(cond(&f, 0, "ResolvedRefs")), "True");
	done(&f);
}
END_TEST

/* [weight.zero.after-errors] */
START_TEST(zero_weight_invalid_ref_still_reports)
{
	fixture f = translate(HTTP_ROUTE("[{name: s1, port: 8080}, {name: nope, port: 8080, weight: 0}]"),
	                      RB_MODE_REBALANCE, 0);
	const rb_destination *d = dest(&f, R0);
	ck_assert_uint_eq(rb_destination_setting_count(d), 1);
	ck_assert_uint_eq(rb_destination_direct_response(d), 0);
	ck_assert_str_eq(rb_condition_reason(cond(&f, 0, "ResolvedRefs")), "BackendNotFound");
	done(&f);
}
END_TEST

/* [backend.fallback] [failover.priority] */
START_TEST(fallback_backend_gets_priority_one)
{
	fixture f = translate(HTTP_ROUTE("[{name: empty, port: 8080}, {group: gateway.envoyproxy.io, kind: Backend, name: passive}]"),
	                      RB_MODE_REBALANCE, 0);
	const rb_destination *d = dest(&f, R0);
	ck_assert_uint_eq(rb_destination_setting_count(d), 1);
	const rb_setting *s = rb_destination_setting(d, 0);
	ck_assert_uint_eq(rb_setting_flags(s) & RB_SETTING_HAS_PRIORITY, RB_SETTING_HAS_PRIORITY);
	ck_assert_uint_eq(rb_setting_priority(s), 1);
	ck_assert_ptr_null(rb_setting_metadata_section_name(s)); /* Backends have none */
	ck_assert_uint_eq(rb_destination_excluded_count(d), 1);
	done(&f);
}
END_TEST

/* [dynres.counts-valid] [dynres.http-multi] [direct.dr-multi] */
START_TEST(dynamic_resolver_is_kept_but_not_with_others)
{
	fixture f = translate(HTTP_ROUTE("[{group: gateway.envoyproxy.io, kind: Backend, name: dr}]"),
	                      RB_MODE_REBALANCE, 0);
	const rb_destination *d = dest(&f, R0);
	ck_assert_uint_eq(rb_destination_direct_response(d), 0);
	const rb_setting *s = rb_destination_setting(d, 0);
	ck_assert_uint_eq(rb_setting_flags(s) & RB_SETTING_DYNAMIC_RESOLVER, RB_SETTING_DYNAMIC_RESOLVER);
	ck_assert_ptr_null(rb_setting_address_type(s));
	ck_assert_ptr_null(rb_setting_metadata_kind(s));
	done(&f);

	f = translate(HTTP_ROUTE("[{group: gateway.envoyproxy.io, kind: Backend, name: dr}, {name: s1, port: 8080, weight: 0}]"),
	              RB_MODE_REBALANCE, 0);
	ck_assert_uint_eq(rb_destination_direct_response(dest(&f, R0)), 500);
	const rb_condition *c = cond(&f, 0, "ResolvedRefs");
	ck_assert_str_eq(rb_condition_reason(c), "InvalidBackendRef");
	ck_assert_str_eq(rb_condition_message(c),
	                 "Failed to process route rule 0: dynamic resolver is not supported for multiple backendRefs.");
	done(&f);
}
END_TEST

/* [grpc.not-invalid] [grpc.alignment] */
START_TEST(grpc_misconfigured_backend_alignment)
{
	const char *routes = GRPC_ROUTE("[{name: s1, port: 8080}, {name: nope, port: 8080}]");
	/* compat: not invalid, so it lands in NoEndpoints */
	fixture f = translate(routes, RB_MODE_COMPAT_ENVOY_GATEWAY, 0);
	const rb_destination *d = dest(&f, "grpcroute/default/g/rule/0");
	ck_assert_uint_eq(rb_destination_setting_count(d), 2);
	ck_assert_uint_eq(rb_setting_flags(rb_destination_setting(d, 1)) & RB_SETTING_INVALID, 0);
	ck_assert_uint_eq(rb_destination_backend_weight(d, RB_WEIGHT_NO_ENDPOINTS), 1);
	done(&f);
	/* rebalance: invalid, so it is kept (not excluded) and answered 500 */
	f = translate(routes, RB_MODE_REBALANCE, 0);
	d = dest(&f, "grpcroute/default/g/rule/0");
	ck_assert_uint_eq(rb_destination_setting_count(d), 2);
	ck_assert_uint_eq(rb_setting_flags(rb_destination_setting(d, 1)) & RB_SETTING_INVALID, RB_SETTING_INVALID);
	ck_assert_uint_eq(rb_destination_backend_weight(d, RB_WEIGHT_INVALID), 1);
	ck_assert_uint_eq(rb_destination_excluded_count(d), 0);
	done(&f);
}
END_TEST

/* [rebalance.strict] */
START_TEST(strict_readiness_excludes_all_draining_while_another_serves)
{
	const char *routes = HTTP_ROUTE("[{name: s1, port: 8080, weight: 90}, {name: draining, port: 8080, weight: 10}]");
	fixture f = translate(routes, RB_MODE_REBALANCE, 0);
	ck_assert_uint_eq(rb_destination_setting_count(dest(&f, R0)), 2);
	done(&f);
	f = translate(routes, RB_MODE_REBALANCE, RB_OPT_REBALANCE_NOT_READY);
	const rb_destination *d = dest(&f, R0);
	ck_assert_uint_eq(rb_destination_setting_count(d), 1);
	ck_assert_str_eq(rb_destination_excluded_reason(d, 0), "AllEndpointsDraining");
	done(&f);
	/* never the last serving one */
	f = translate(HTTP_ROUTE("[{name: draining, port: 8080}]"), RB_MODE_REBALANCE, RB_OPT_REBALANCE_NOT_READY);
	ck_assert_uint_eq(rb_destination_setting_count(dest(&f, R0)), 1);
	done(&f);
}
END_TEST

/* [validate.cross-namespace] */
START_TEST(cross_namespace_needs_a_grant)
{
	fixture f = translate(HTTP_ROUTE("[{name: far, namespace: other, port: 8080}]"), RB_MODE_REBALANCE, 0);
	const rb_condition *c = cond(&f, 0, "ResolvedRefs");
	ck_assert_str_eq(rb_condition_reason(c), "RefNotPermitted");
	ck_assert_str_eq(rb_condition_message(c),
	                 "Failed to process route rule 0 backendRef 0: Backend ref to Service other/far not "
	                 "permitted by any ReferenceGrant.");
	done(&f);
	f = translate("referenceGrants:\n"
	              "- metadata: {namespace: other, name: g}\n"
	              "  spec:\n"
	              "    from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: default}]\n"
	              "    to: [{group: \"\", kind: Service}]\n" HTTP_ROUTE("[{name: far, namespace: other, port: 8080}]"),
	              RB_MODE_REBALANCE, 0);
	ck_assert_str_eq(rb_condition_status(cond(&f, 0, "ResolvedRefs")), "True");
	ck_assert_str_eq(rb_endpoint_host(rb_setting_endpoint(rb_destination_setting(dest(&f, R0), 0), 0)),
	                 "6.6.6.6");
	done(&f);
}
END_TEST

/* [validate.filters.http] [validate.filters.grpc] [validate.order] */
START_TEST(backend_ref_filters_are_limited_per_route_kind)
{
	/* HTTPRoute: a mirror is not a backendRef filter; a path rewrite fails at once, so the
	 * second ref reports it even though an unsupported mirror comes before it. */
	fixture f = translate(HTTP_ROUTE("\n"
	                                 "      - name: s1\n"
	                                 "        port: 8080\n"
	                                 "        filters:\n"
	                                 "        - type: RequestMirror\n"
	                                 "          requestMirror: {backendRef: {name: s2, port: 8080}}\n"
	                                 "      - name: s2\n"
	                                 "        port: 8080\n"
	                                 "        filters:\n"
	                                 "        - type: RequestMirror\n"
	                                 "          requestMirror: {backendRef: {name: s2, port: 8080}}\n"
	                                 "        - type: URLRewrite\n"
	                                 "          urlRewrite: {path: {type: ReplaceFullPath, replaceFullPath: /x}}")
	                          GRPC_ROUTE("\n"
	                                     "      - name: s1\n"
	                                     "        port: 8080\n"
	                                     "        filters:\n"
	                                     "        - type: RequestMirror\n"
	                                     "          requestMirror: {backendRef: {name: s2, port: 8080}}"),
	                      RB_MODE_REBALANCE, 0);
	const rb_condition *c = cond(&f, 0, "ResolvedRefs");
	ck_assert_str_eq(rb_condition_reason(c), "UnsupportedRefValue");
	ck_assert_str_eq(rb_condition_message(c),
	                 "Failed to process route rule 0 backendRef 0: Specific filter is not supported "
	                 "within BackendRef, only RequestHeaderModifier, ResponseHeaderModifier, URLRewrite "
	                 "and gateway.envoyproxy.io/HTTPRouteFilter are supported.\n"
	                 "Failed to process route rule 0 backendRef 1: URLRewrite path modifier is not "
	                 "supported within BackendRef.");
	c = cond(&f, 1, "ResolvedRefs");
	ck_assert_str_eq(rb_condition_reason(c), "UnsupportedRefValue");
	ck_assert_str_eq(rb_condition_message(c),
	                 "Failed to process route rule 0 backendRef 0: Specific filter is not supported "
	                 "within BackendRef, only RequestHeaderModifier and ResponseHeaderModifier are "
	                 "supported.");
	done(&f);
}
END_TEST

/* [tls.ca-required] [tls.policy-target] [dest.tls-before-endpoints] */
START_TEST(backend_tls_policy_needs_a_ca)
{
	fixture f = translate("backendTLSPolicies:\n"
	                      "- metadata: {namespace: default, name: p}\n"
	                      "  spec:\n"
	                      "    targetRefs: [{group: \"\", kind: Service, name: empty}]\n"
	                      "    validation: {hostname: empty.default}\n" HTTP_ROUTE("[{name: empty, port: 8080}]"),
	                      RB_MODE_REBALANCE, 0);
	const rb_condition *c = cond(&f, 0, "ResolvedRefs");
	ck_assert_str_eq(rb_condition_reason(c), "InvalidBackendTLS");
	ck_assert_str_eq(rb_condition_message(c), "Failed to process route rule 0 backendRef 0: "
	                                          "CACertificate must be specified when InsecureSkipVerify "
	                                          "is false.");
	done(&f);
}
END_TEST

/* [validate.order] [validate.group] [validate.kind] [validate.port.required] [validate.port.protocol] [addr.ip] [addr.mixed] [status.reasons] [status.message-format] [status.group-by-type] */
START_TEST(validation_order_and_messages)
{
	fixture f = translate(HTTP_ROUTE("[{name: s1}, {name: s1, port: 9999}, {group: foo.io, name: s1, port: 8080},\n"
	                                 "       {kind: Secret, name: s1, port: 8080},\n"
	                                 "       {group: gateway.envoyproxy.io, kind: Backend, name: loop},\n"
	                                 "       {group: gateway.envoyproxy.io, kind: Backend, name: mixed}]"),
	                      RB_MODE_REBALANCE, 0);
	const rb_condition *c = cond(&f, 0, "ResolvedRefs");
	ck_assert_str_eq(rb_condition_reason(c),
	                 "InvalidAddress,InvalidKind,PortNotFound,PortNotSpecified,UnsupportedAddressType");
	ck_assert_str_eq(rb_condition_message(c),
	                 "Failed to process route rule 0 backendRef 0: A valid port number corresponding to a "
	                 "port on the Service must be specified.\n"
	                 "Failed to process route rule 0 backendRef 1: TCP Port 9999 not found on Service "
	                 "default/s1.\n"
	                 "Failed to process route rule 0 backendRef 2: Group is invalid, only the core API "
	                 "group (specified by omitting the group field or setting it to an empty string), "
	                 "multicluster.x-k8s.io and gateway.envoyproxy.io are supported.\n"
	                 "Failed to process route rule 0 backendRef 3: Kind is invalid, only Service, MCS "
	                 "ServiceImport and Envoy Gateway Backend are supported.\n"
	                 "Failed to process route rule 0 backendRef 4: IP address 127.0.0.1 in the loopback "
	                 "range is only supported when using the Host infrastructure.\n"
	                 "Failed to process route rule 0 backendRef 5: mixed FQDN and IP or Unix address type "
	                 "for the same backendRef is not supported.");
	ck_assert_uint_eq(rb_destination_direct_response(dest(&f, R0)), 500);
	done(&f);
	/* loopback is fine on the host */
	f = translate(HTTP_ROUTE("[{group: gateway.envoyproxy.io, kind: Backend, name: loop}]"), RB_MODE_REBALANCE,
	              RB_OPT_RUNNING_ON_HOST);
	ck_assert_str_eq(rb_condition_status(cond(&f, 0, "ResolvedRefs")), "True");
	done(&f);
	/* Backend API disabled: UnsupportedValue even when the Backend does not exist */
	f = translate(HTTP_ROUTE("[{group: gateway.envoyproxy.io, kind: Backend, name: ghost}]"), RB_MODE_REBALANCE,
	              RB_OPT_DISABLE_BACKEND_API);
	ck_assert_str_eq(rb_condition_reason(cond(&f, 0, "ResolvedRefs")), "UnsupportedValue");
	done(&f);
}
END_TEST

/* [l4.drop-failing] [l4.status] */
START_TEST(l4_routes_drop_failing_refs_with_raw_messages)
{
	fixture f = translate("tcpRoutes:\n"
	                      "- metadata: {namespace: default, name: t}\n"
	                      "  spec:\n"
	                      "    parentRefs: [{namespace: envoy-gateway, name: gateway-1, sectionName: tcp}]\n"
	                      "    rules: [{backendRefs: [{name: s1, port: 8080}, {name: s1, port: 8081}, {name: empty, port: 8080}]}]\n",
	                      RB_MODE_REBALANCE, 0);
	const rb_destination *d = dest(&f, "tcproute/default/t/rule/-1");
	ck_assert_uint_eq(rb_destination_setting_count(d), 1);
	ck_assert_str_eq(rb_setting_protocol(rb_destination_setting(d, 0)), "TCP");
	const rb_condition *c = cond(&f, 0, "ResolvedRefs");
	ck_assert_str_eq(rb_condition_reason(c), "EndpointsNotFound,PortNotFound");
	ck_assert_str_eq(rb_condition_message(c),
	                 "TCP Port 8081 not found on Service default/s1.\n"
	                 "No ready endpoints for the related Service default/empty.");
	ck_assert_ptr_null(cond(&f, 0, "BackendsAvailable"));
	done(&f);
	/* a single error stays raw */
	f = translate("udpRoutes:\n"
	              "- metadata: {namespace: default, name: u}\n"
	              "  spec:\n"
	              "    parentRefs: [{namespace: envoy-gateway, name: gateway-1, sectionName: udp}]\n"
	              "    rules: [{backendRefs: [{name: s1, port: 8080}]}]\n",
	              RB_MODE_REBALANCE, 0);
	ck_assert_str_eq(rb_condition_message(cond(&f, 0, "ResolvedRefs")),
	                 "UDP Port 8080 not found on Service default/s1");
	ck_assert_uint_eq(rb_destination_setting_count(dest(&f, "udproute/default/u/rule/-1")), 0);
	done(&f);
}
END_TEST

/* [l4.one-rule] */
START_TEST(tcp_needs_exactly_one_rule)
{
	fixture f = translate("tcpRoutes:\n"
	                      "- metadata: {namespace: default, name: t}\n"
	                      "  spec:\n"
	                      "    parentRefs: [{namespace: envoy-gateway, name: gateway-1, sectionName: tcp}]\n"
	                      "    rules: [{backendRefs: [{name: s1, port: 8080}]}, {backendRefs: [{name: s2, port: 8080}]}]\n",
	                      RB_MODE_REBALANCE, 0);
	ck_assert_uint_eq(rb_result_destination_count(f.res), 0);
	const rb_route_status *rs = rb_result_route_status(f.res, 0);
	ck_assert_uint_eq(rb_route_status_condition_count(rs), 1);
	const rb_condition *c = cond(&f, 0, "Accepted");
	ck_assert_str_eq(rb_condition_status(c), "False");
	ck_assert_str_eq(rb_condition_reason(c), "InvalidRule");
	done(&f);
}
END_TEST

/* [attach.unattached-still-evaluated] */
START_TEST(unattached_parent_gets_status_but_no_destination)
{
	fixture f = translate("httpRoutes:\n"
	                      "- metadata: {namespace: default, name: r}\n"
	                      "  spec:\n"
	                      "    parentRefs: [{namespace: envoy-gateway, name: gateway-1, port: 81}]\n"
	                      "    rules: [{backendRefs: [{name: s1, port: 8080}]}]\n",
	                      RB_MODE_REBALANCE, 0);
	ck_assert_uint_eq(rb_result_destination_count(f.res), 0);
	const rb_condition *c = cond(&f, 0, "Accepted");
	ck_assert_str_eq(rb_condition_reason(c), "NoMatchingParent");
	ck_assert_str_eq(rb_condition_status(cond(&f, 0, "ResolvedRefs")), "True");
	ck_assert_uint_eq(rb_route_status_parent_port(rb_result_route_status(f.res, 0)), 81);
	done(&f);
}
END_TEST

/* [input.namespace.not-defaulted] */
START_TEST(missing_namespace_is_not_defaulted)
{
	/* A route without a namespace looks up backends in the empty namespace. */
	fixture f = translate("httpRoutes:\n"
	                      "- metadata: {name: r}\n"
	                      "  spec:\n"
	                      "    parentRefs: [{namespace: envoy-gateway, name: gateway-1}]\n"
	                      "    rules: [{backendRefs: [{name: s1, port: 8080}]}]\n",
	                      RB_MODE_REBALANCE, 0);
	ck_assert_str_eq(rb_condition_message(cond(&f, 0, "ResolvedRefs")),
	                 "Failed to process route rule 0 backendRef 0: service /s1 not found.");
	done(&f);
}
END_TEST

/* [status.truncate] */
START_TEST(long_messages_are_truncated)
{
	/* 16 rules of 16 refs (the Gateway API's bounds) to Services in another namespace
	 * without a grant, names of the longest (63 characters): a ResolvedRefs message
	 * beyond 32768 bytes. */
	size_t cap = 256 * 200 + 1024;
	char *refs = malloc(cap);
	size_t n = (size_t)snprintf(refs, cap, "httpRoutes:\n- metadata: {namespace: default, name: r}\n"
	                                       "  spec:\n    parentRefs: [{namespace: envoy-gateway, name: gateway-1}]\n"
	                                       "    rules:\n");
	for (int r = 0; r < 16; r++) {
		n += (size_t)snprintf(refs + n, cap - n, "    - backendRefs:\n");
		for (int i = 0; i < 16; i++)
			n += (size_t)snprintf(refs + n, cap - n,
			                      "      - {namespace: %.63s, name: %.56s-%02d-%02d, port: 8080}\n",
			                      "a-namespace-without-any-reference-grant-for-these-routes-at-all",
			                      "a-service-whose-name-is-as-long-as-kubernetes-allows-it", r, i);
	}
	fixture f = translate(refs, RB_MODE_REBALANCE, 0);
	const char *msg = rb_condition_message(cond(&f, 0, "ResolvedRefs"));
	ck_assert_uint_eq(strlen(msg), 32768);
	ck_assert_str_eq(msg + strlen(msg) - 21, " (message truncated).");
	done(&f);
	free(refs);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("translate");
	TCase *tc = tcase_create("settings");
	tcase_add_test(tc, weight_defaults_to_one_and_zero_is_skipped);
	tcase_add_test(tc, endpoints_follow_port_name_not_number);
	tcase_add_test(tc, app_protocol_refines_http_only);
	tcase_add_test(tc, not_ready_endpoints_are_kept_as_draining);
	tcase_add_test(tc, fallback_backend_gets_priority_one);
	tcase_add_test(tc, missing_namespace_is_not_defaulted);
	suite_add_tcase(s, tc);
	tc = tcase_create("buckets");
	tcase_add_test(tc, compat_keeps_empty_backend_in_no_endpoints_bucket);
	tcase_add_test(tc, rebalance_excludes_empty_backend);
	tcase_add_test(tc, all_empty_gives_503_in_both_modes);
	tcase_add_test(tc, invalid_share_is_kept_and_500_wins_over_503);
	tcase_add_test(tc, all_weights_zero_gives_500);
	tcase_add_test(tc, zero_weight_invalid_ref_still_reports);
	tcase_add_test(tc, dynamic_resolver_is_kept_but_not_with_others);
	tcase_add_test(tc, grpc_misconfigured_backend_alignment);
	tcase_add_test(tc, strict_readiness_excludes_all_draining_while_another_serves);
	suite_add_tcase(s, tc);
	tc = tcase_create("validation");
	tcase_add_test(tc, cross_namespace_needs_a_grant);
	tcase_add_test(tc, validation_order_and_messages);
	suite_add_tcase(s, tc);
	tc = tcase_create("routes");
	tcase_add_test(tc, l4_routes_drop_failing_refs_with_raw_messages);
	tcase_add_test(tc, tcp_needs_exactly_one_rule);
	tcase_add_test(tc, unattached_parent_gets_status_but_no_destination);
	tcase_add_test(tc, long_messages_are_truncated);
	tcase_add_test(tc, backend_ref_filters_are_limited_per_route_kind);
	tcase_add_test(tc, backend_tls_policy_needs_a_ca);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
