/*
 * Listener readiness (lib/translate/listeners.c): which listeners program the
 * routes attached to them, through the public API. Every case has one HTTP
 * route per listener (named after it, sectionName = listener name) and reads
 * whether it got a destination and, if not, the reason explain would show.
 */
#include "rebalance/rebalance.h"
#include "testutil.h"

#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct fixture {
	rb_ctx *ctx;
	rb_input *in;
	rb_result *res;
} fixture;

static const char SERVICE[] = "services:\n"
                              "- metadata: {namespace: default, name: app}\n"
                              "  spec: {clusterIP: 10.0.0.1, ports: [{name: http, port: 80}]}\n";

static fixture translate(const char *doc)
{
	fixture f = {NULL, NULL, NULL};
	size_t n = strlen(doc) + strlen(SERVICE) + 1;
	char *all = malloc(n);
	snprintf(all, n, "%s%s", doc, SERVICE);
	ck_assert_int_eq(rb_ctx_new(&f.ctx, NULL), RB_OK);
	ck_assert_int_eq(rb_input_new(&f.in, f.ctx), RB_OK);
	int rc = rb_input_add_buffer(f.in, all, strlen(all), "test.yaml", RB_INPUT_YAML);
	if (rc) {
		char msg[1024];
		rb_diag_format(rb_input_diag(f.in, 0), msg, sizeof msg);
		ck_abort_msg("input rejected: %s", msg);
	}
	rb_translate_options o = RB_TRANSLATE_OPTIONS_INIT;
	ck_assert_int_eq(rb_translate(&f.res, f.in, &o), RB_OK);
	free(all);
	return f;
}

static void done(fixture *f)
{
	rb_result_free(f->res);
	rb_input_free(f->in);
	rb_ctx_free(f->ctx);
}

static const rb_route_status *status_of(const fixture *f, const char *route)
{
	for (size_t i = 0; i < rb_result_route_status_count(f->res); i++) {
		const rb_route_status *rs = rb_result_route_status(f->res, i);
		if (!strcmp(rb_route_status_name(rs), route))
			return rs;
	}
	ck_abort_msg("no status for %s", route);
	return NULL;
}

static bool programmed(const fixture *f, const char *route)
{
	char name[128];
	snprintf(name, sizeof name, "httproute/default/%s/rule/0", route);
	for (size_t i = 0; i < rb_result_destination_count(f->res); i++)
		if (!strcmp(rb_destination_name(rb_result_destination(f->res, i)), name))
			return true;
	return false;
}

/* The route is Accepted; NULL when it is programmed, else the listener's reason. */
static const char *idle_reason(const fixture *f, const char *route)
{
	const rb_route_status *rs = status_of(f, route);
	const rb_condition *accepted = rb_route_status_condition(rs, 0);
	ck_assert_str_eq(rb_condition_type(accepted), "Accepted");
	ck_assert_msg(!strcmp(rb_condition_status(accepted), "True"), "%s: %s", route,
	              rb_condition_reason(accepted));
	bool idle = rb_route_status_idle_listener_count(rs) > 0;
	ck_assert_msg(idle != programmed(f, route), "%s: programmed and idle disagree", route);
	return idle ? rb_route_status_idle_listener_reason(rs, 0) : NULL;
}

#define GATEWAY_HEAD                                                                               \
	"gateways:\n"                                                                              \
	"- metadata: {namespace: default, name: eg}\n"                                             \
	"  spec:\n"                                                                                \
	"    gatewayClassName: envoy-gateway-class\n"                                              \
	"    allowedListeners: {namespaces: {from: Same}}\n"                                       \
	"    listeners:\n"

/* An HTTPRoute `name` on listener `name` of parent `kind` (Gateway or ListenerSet). */
#define ROUTE(kind, parent, name)                                                                  \
	"- metadata: {namespace: default, name: " name "}\n"                                       \
	"  spec:\n"                                                                                \
	"    parentRefs: [{kind: " kind ", name: " parent ", sectionName: " name "}]\n"            \
	"    rules: [{backendRefs: [{name: app, port: 80}]}]\n"

/* [listener.conflict.hostname] */
START_TEST(same_hostname_on_a_port_conflicts_both)
{
	fixture f = translate(
	    GATEWAY_HEAD "    - {name: a, protocol: HTTP, port: 80, hostname: x.example.com}\n"
	                 "    - {name: b, protocol: HTTP, port: 80, hostname: x.example.com}\n"
	                 "    - {name: c, protocol: HTTP, port: 80, hostname: '*.example.com'}\n"
	                 "httpRoutes:\n" ROUTE("Gateway", "eg", "a") ROUTE("Gateway", "eg", "b")
	                     ROUTE("Gateway", "eg", "c"));
	ck_assert_str_eq(idle_reason(&f, "a"), "HostnameConflict");
	ck_assert_str_eq(idle_reason(&f, "b"), "HostnameConflict");
	/* Hostnames are compared as strings: a wildcard that covers them is no conflict. */
	ck_assert_ptr_null(idle_reason(&f, "c"));
	done(&f);
}
END_TEST

/* [listener.conflict.protocol] [listener.conflict.l4] */
START_TEST(incompatible_protocols_on_a_port_have_no_winner)
{
	fixture f = translate(
	    GATEWAY_HEAD "    - {name: a, protocol: HTTP, port: 80}\n"
	                 "    - {name: b, protocol: HTTPS, port: 80, hostname: b.example.com,\n"
	                 "       tls: {certificateRefs: [{name: cert}]}}\n"
	                 "    - {name: u, protocol: UDP, port: 80}\n"
	                 "secrets:\n"
	                 "- metadata: {namespace: default, name: cert}\n"
	                 "  type: kubernetes.io/tls\n"
	                 "  data: {tls.crt: Y2VydA==, tls.key: a2V5}\n"
	                 "httpRoutes:\n" ROUTE("Gateway", "eg", "a") ROUTE("Gateway", "eg", "b"));
	ck_assert_str_eq(idle_reason(&f, "a"), "ProtocolConflict");
	ck_assert_str_eq(idle_reason(&f, "b"), "ProtocolConflict");
	done(&f);
}
END_TEST

/* [listener.conflict.ignore-invalid] */
START_TEST(an_invalid_listener_takes_no_part_in_conflicts)
{
	/* "broken" has no Secret: it is not ready, and "ok" keeps the hostname. */
	fixture f = translate(
	    GATEWAY_HEAD
	    "    - {name: broken, protocol: HTTPS, port: 443, hostname: x.example.com,\n"
	    "       tls: {certificateRefs: [{name: missing}]}}\n"
	    "    - {name: ok, protocol: HTTPS, port: 443, hostname: x.example.com,\n"
	    "       tls: {certificateRefs: [{name: missing}, {name: cert}]}}\n"
	    "secrets:\n"
	    "- metadata: {namespace: default, name: cert}\n"
	    "  type: kubernetes.io/tls\n"
	    "  data: {tls.crt: Y2VydA==, tls.key: a2V5}\n"
	    "httpRoutes:\n" ROUTE("Gateway", "eg", "broken") ROUTE("Gateway", "eg", "ok"));
	ck_assert_str_eq(idle_reason(&f, "broken"), "InvalidCertificateRef");
	ck_assert_ptr_null(idle_reason(&f, "ok"));
	done(&f);
}
END_TEST

/* [listener.spec-checks] */
START_TEST(tls_configuration_is_checked_per_protocol)
{
	fixture f = translate(GATEWAY_HEAD
	                      "    - {name: passthrough-https, protocol: HTTPS, port: 443,\n"
	                      "       tls: {mode: Passthrough, certificateRefs: [{name: cert}]}}\n"
	                      "    - {name: no-tls, protocol: HTTPS, port: 444}\n"
	                      "    - {name: no-refs, protocol: HTTPS, port: 445, tls: {}}\n"
	                      "    - {name: http-with-tls, protocol: HTTP, port: 80,\n"
	                      "       tls: {certificateRefs: [{name: cert}]}}\n"
	                      "    - {name: empty-key, protocol: HTTPS, port: 447,\n"
	                      "       tls: {certificateRefs: [{name: empty-key}]}}\n"
	                      "    - {name: foreign, protocol: HTTPS, port: 446,\n"
	                      "       tls: {certificateRefs: [{name: cert, namespace: vault}]}}\n"
	                      "secrets:\n"
	                      "- metadata: {namespace: default, name: cert}\n"
	                      "  type: kubernetes.io/tls\n"
	                      "  data: {tls.crt: Y2VydA==, tls.key: a2V5}\n"
	                      "- metadata: {namespace: default, name: empty-key}\n"
	                      "  type: kubernetes.io/tls\n"
	                      "  data: {tls.crt: Y2VydA==, tls.key: ''}\n"
	                      "- metadata: {namespace: vault, name: cert}\n"
	                      "  type: kubernetes.io/tls\n"
	                      "  data: {tls.crt: Y2VydA==, tls.key: a2V5}\n"
	                      "httpRoutes:\n" ROUTE("Gateway", "eg", "passthrough-https")
	                          ROUTE("Gateway", "eg", "no-tls") ROUTE("Gateway", "eg", "no-refs")
	                              ROUTE("Gateway", "eg", "http-with-tls")
	                                  ROUTE("Gateway", "eg", "empty-key")
	                                      ROUTE("Gateway", "eg", "foreign"));
	ck_assert_str_eq(idle_reason(&f, "passthrough-https"), "UnsupportedTLSMode");
	ck_assert_str_eq(idle_reason(&f, "no-tls"), "Invalid");
	ck_assert_str_eq(idle_reason(&f, "no-refs"), "Invalid");
	ck_assert_str_eq(idle_reason(&f, "http-with-tls"), "Invalid");
	ck_assert_str_eq(idle_reason(&f, "empty-key"), "InvalidCertificateRef");
	/* Only RefNotPermitted failures: that reason, not InvalidCertificateRef. */
	ck_assert_str_eq(idle_reason(&f, "foreign"), "RefNotPermitted");
	done(&f);
}
END_TEST

/* [listener.kinds-group] */
START_TEST(kinds_without_group_mean_the_gateway_api)
{
	fixture f = translate(
	    GATEWAY_HEAD
	    "    - {name: plain, protocol: HTTP, port: 80, hostname: a.example.com,\n"
	    "       allowedRoutes: {kinds: [{kind: HTTPRoute}]}}\n"
	    "    - {name: with-foo, protocol: HTTP, port: 80, hostname: b.example.com,\n"
	    "       allowedRoutes: {kinds: [{kind: HTTPRoute}, {kind: FooRoute}]}}\n"
	    "httpRoutes:\n" ROUTE("Gateway", "eg", "plain") ROUTE("Gateway", "eg", "with-foo"));
	ck_assert_ptr_null(idle_reason(&f, "plain"));
	/* One unsupported kind makes the listener invalid; HTTPRoute still attaches. */
	ck_assert_str_eq(idle_reason(&f, "with-foo"), "InvalidRouteKinds");
	done(&f);
}
END_TEST

/* [listener.listenerset.precedence] [listener.listenerset.admit] */
START_TEST(listener_sets_lose_to_the_gateway_and_to_earlier_sets)
{
	fixture f = translate(
	    GATEWAY_HEAD
	    "    - {name: www, protocol: HTTP, port: 80, hostname: www.example.com}\n"
	    "    - {name: tcp, protocol: TCP, port: 90}\n"
	    "listenerSets:\n"
	    "- metadata: {namespace: default, name: first}\n"
	    "  spec:\n"
	    "    parentRef: {name: eg}\n"
	    "    listeners:\n"
	    "    - {name: dup, protocol: HTTP, port: 80, hostname: www.example.com}\n"
	    "    - {name: api, protocol: HTTP, port: 80, hostname: api.example.com}\n"
	    "    - {name: tls-on-80, protocol: TLS, port: 80, hostname: t.example.com,\n"
	    "       tls: {mode: Passthrough}}\n"
	    "    - {name: tcp2, protocol: TCP, port: 90}\n"
	    "- metadata: {namespace: default, name: second}\n"
	    "  spec:\n"
	    "    parentRef: {name: eg}\n"
	    "    listeners:\n"
	    "    - {name: api2, protocol: HTTP, port: 80, hostname: api.example.com}\n"
	    "    - {name: own, protocol: HTTP, port: 8080}\n"
	    "httpRoutes:\n" ROUTE("Gateway", "eg", "www") ROUTE("ListenerSet", "first", "dup")
	        ROUTE("ListenerSet", "first", "api") ROUTE("ListenerSet", "second", "api2")
	            ROUTE("ListenerSet", "second", "own"));
	ck_assert_ptr_null(idle_reason(&f, "www"));
	ck_assert_str_eq(idle_reason(&f, "dup"), "HostnameConflict");
	ck_assert_ptr_null(idle_reason(&f, "api"));
	ck_assert_str_eq(idle_reason(&f, "api2"), "HostnameConflict");
	ck_assert_ptr_null(idle_reason(&f, "own"));
	done(&f);
}
END_TEST

/* [listener.certificates] */
START_TEST(listener_set_grants_are_from_kind_listener_set)
{
	static const char DOC[] = GATEWAY_HEAD
	    "    - {name: http, protocol: HTTP, port: 80}\n"
	    "listenerSets:\n"
	    "- metadata: {namespace: default, name: ls}\n"
	    "  spec:\n"
	    "    parentRef: {name: eg}\n"
	    "    listeners:\n"
	    "    - {name: secure, protocol: HTTPS, port: 443,\n"
	    "       tls: {certificateRefs: [{name: cert, namespace: vault}]}}\n"
	    "secrets:\n"
	    "- metadata: {namespace: vault, name: cert}\n"
	    "  type: kubernetes.io/tls\n"
	    "  data: {tls.crt: Y2VydA==, tls.key: a2V5}\n"
	    "referenceGrants:\n"
	    "- metadata: {namespace: vault, name: g}\n"
	    "  spec:\n"
	    "    from: [{group: gateway.networking.k8s.io, kind: %s, namespace: default}]\n"
	    "    to: [{group: '', kind: Secret}]\n"
	    "httpRoutes:\n" ROUTE("ListenerSet", "ls", "secure");
	char doc[2048];
	snprintf(doc, sizeof doc, DOC, "ListenerSet");
	fixture f = translate(doc);
	ck_assert_ptr_null(idle_reason(&f, "secure"));
	done(&f);
	snprintf(doc, sizeof doc, DOC, "Gateway");
	f = translate(doc);
	ck_assert_str_eq(idle_reason(&f, "secure"), "RefNotPermitted");
	done(&f);
}
END_TEST

/* [listener.merge-gateways] */
START_TEST(merged_gateways_share_ports)
{
	/* With mergeGateways, a later Gateway's duplicate protocol:hostname:port loses, and
	 * two families on a port conflict across Gateways. Without it, nothing clashes. */
	static const char DOC[] =
	    "envoyProxyForGatewayClass:\n"
	    "  metadata: {namespace: envoy-gateway-system, name: ep}\n"
	    "  spec: {mergeGateways: %s}\n"
	    "gateways:\n"
	    "- metadata: {namespace: default, name: one}\n"
	    "  spec:\n"
	    "    gatewayClassName: envoy-gateway-class\n"
	    "    listeners:\n"
	    "    - {name: first, protocol: HTTP, port: 80}\n"
	    "    - {name: web, protocol: HTTP, port: 83}\n"
	    "- metadata: {namespace: default, name: two}\n"
	    "  spec:\n"
	    "    gatewayClassName: envoy-gateway-class\n"
	    "    listeners:\n"
	    "    - {name: second, protocol: HTTP, port: 80}\n"
	    "    - {name: other, protocol: HTTP, port: 80, hostname: other.example.com}\n"
	    "    - {name: tcp, protocol: TCP, port: 83}\n"
	    "httpRoutes:\n" ROUTE("Gateway", "one", "first") ROUTE("Gateway", "two", "second")
	        ROUTE("Gateway", "two", "other") ROUTE("Gateway", "one", "web");
	char doc[2048];
	snprintf(doc, sizeof doc, DOC, "true");
	fixture f = translate(doc);
	ck_assert_ptr_null(idle_reason(&f, "first"));
	ck_assert_str_eq(idle_reason(&f, "second"), "HostnameConflict");
	ck_assert_ptr_null(idle_reason(&f, "other"));
	ck_assert_str_eq(idle_reason(&f, "web"), "ProtocolConflict");
	done(&f);
	snprintf(doc, sizeof doc, DOC, "false");
	f = translate(doc);
	ck_assert_ptr_null(idle_reason(&f, "second"));
	ck_assert_ptr_null(idle_reason(&f, "web"));
	done(&f);
}
END_TEST

/* [listener.unnamed] */
START_TEST(a_listener_without_a_name_is_read)
{
	fixture f = translate(GATEWAY_HEAD "    - {protocol: HTTP, port: 80}\n"
	                                   "httpRoutes:\n"
	                                   "- metadata: {namespace: default, name: any}\n"
	                                   "  spec:\n"
	                                   "    parentRefs: [{name: eg}]\n"
	                                   "    rules: [{backendRefs: [{name: app, port: 80}]}]\n"
	                                   "- metadata: {namespace: default, name: named}\n"
	                                   "  spec:\n"
	                                   "    parentRefs: [{name: eg, sectionName: http}]\n"
	                                   "    rules: [{backendRefs: [{name: app, port: 80}]}]\n");
	ck_assert_ptr_null(idle_reason(&f, "any"));
	const rb_condition *c = rb_route_status_condition(status_of(&f, "named"), 0);
	ck_assert_str_eq(rb_condition_reason(c), "NoMatchingParent");
	done(&f);
}
END_TEST

START_TEST(engine_follows_certificate_grants)
{
	/* A grant appears, then goes: the incremental engine must re-decide the listener. */
	static const char DOC[] =
	    GATEWAY_HEAD "    - {name: secure, protocol: HTTPS, port: 443,\n"
	                 "       tls: {certificateRefs: [{name: cert, namespace: vault}]}}\n"
	                 "secrets:\n"
	                 "- metadata: {namespace: vault, name: cert}\n"
	                 "  type: kubernetes.io/tls\n"
	                 "  data: {tls.crt: Y2VydA==, tls.key: a2V5}\n"
	                 "services:\n"
	                 "- metadata: {namespace: default, name: app}\n"
	                 "  spec: {clusterIP: 10.0.0.1, ports: [{name: http, port: 80}]}\n"
	                 "httpRoutes:\n" ROUTE("Gateway", "eg", "secure");
	static const char GRANT[] =
	    "apiVersion: gateway.networking.k8s.io/v1beta1\n"
	    "kind: ReferenceGrant\n"
	    "metadata: {namespace: vault, name: g}\n"
	    "spec:\n"
	    "  from: [{group: gateway.networking.k8s.io, kind: Gateway, namespace: default}]\n"
	    "  to: [{group: '', kind: Secret}]\n";
	rb_ctx *ctx;
	rb_input *in;
	rb_engine *e;
	const rb_result *res;
	ck_assert_int_eq(rb_ctx_new(&ctx, NULL), RB_OK);
	ck_assert_int_eq(rb_input_new(&in, ctx), RB_OK);
	ck_assert_int_eq(rb_input_add_buffer(in, DOC, strlen(DOC), "in.yaml", RB_INPUT_YAML),
	                 RB_OK);
	ck_assert_int_eq(rb_engine_new(&e, in, NULL), RB_OK);
	ck_assert_int_eq(rb_engine_translate(e, &res), RB_OK);
	ck_assert_uint_eq(rb_result_destination_count(res), 0);
	ck_assert_int_eq(
	    rb_engine_apply_buffer(e, GRANT, strlen(GRANT), "grant.yaml", RB_INPUT_YAML), RB_OK);
	ck_assert_int_eq(rb_engine_translate(e, &res), RB_OK);
	ck_assert_uint_eq(rb_result_destination_count(res), 1);
	ck_assert_int_eq(rb_engine_delete(e, "ReferenceGrant", "vault", "g"), RB_OK);
	ck_assert_int_eq(rb_engine_translate(e, &res), RB_OK);
	ck_assert_uint_eq(rb_result_destination_count(res), 0);
	rb_engine_free(e);
	rb_input_free(in);
	rb_ctx_free(ctx);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("listeners");
	TCase *tc = tcase_create("conflicts");
	tcase_add_test(tc, same_hostname_on_a_port_conflicts_both);
	tcase_add_test(tc, incompatible_protocols_on_a_port_have_no_winner);
	tcase_add_test(tc, an_invalid_listener_takes_no_part_in_conflicts);
	tcase_add_test(tc, listener_sets_lose_to_the_gateway_and_to_earlier_sets);
	tcase_add_test(tc, merged_gateways_share_ports);
	suite_add_tcase(s, tc);
	tc = tcase_create("validity");
	tcase_add_test(tc, tls_configuration_is_checked_per_protocol);
	tcase_add_test(tc, kinds_without_group_mean_the_gateway_api);
	tcase_add_test(tc, listener_set_grants_are_from_kind_listener_set);
	tcase_add_test(tc, a_listener_without_a_name_is_read);
	tcase_add_test(tc, engine_follows_certificate_grants);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
