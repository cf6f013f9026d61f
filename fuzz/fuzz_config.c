/*
 * fuzz_config: the EnvoyGateway configuration document -- rb_input_add_config
 * (our loader as the fence, then libcyaml filling its schema), followed by a
 * translation of a small fixed input so that what the document changes
 * (Backend API on or off, extension kinds) is exercised too.
 *
 * Checks the contract of a failed buffer (fuzz_common.h): one diagnostic
 * with a consistent location, the input unchanged. A document that passes
 * the fence must never be refused by libcyaml (config.c).
 */
#include "fuzz_common.h"

static const char RESOURCES[] =
    "apiVersion: gateway.networking.k8s.io/v1\n"
    "kind: Gateway\n"
    "metadata: {name: eg, namespace: default}\n"
    "spec:\n"
    "  gatewayClassName: envoy-gateway-class\n"
    "  listeners: [{name: http, protocol: HTTP, port: 80}]\n"
    "---\n"
    "apiVersion: gateway.networking.k8s.io/v1\n"
    "kind: HTTPRoute\n"
    "metadata: {name: r, namespace: default}\n"
    "spec:\n"
    "  parentRefs: [{name: eg}]\n"
    "  rules:\n"
    "  - backendRefs:\n"
    "    - {group: gateway.envoyproxy.io, kind: Backend, name: b}\n"
    "    - {group: storage.example.io, kind: Bucket, name: c}\n"
    "---\n"
    "apiVersion: gateway.envoyproxy.io/v1alpha1\n"
    "kind: Backend\n"
    "metadata: {name: b, namespace: default}\n"
    "spec:\n"
    "  endpoints: [{ip: {address: 10.0.0.1, port: 8080}}]\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rb_ctx *ctx = rb_fuzz_ctx(0);
	rb_input *in = NULL;
	if (rb_input_new(&in, ctx) != RB_OK)
		rb_fuzz_fail("rb_input_new");
	if (rb_fuzz_add(in, (const uint8_t *)RESOURCES, sizeof RESOURCES - 1, "resources.yaml",
	                RB_INPUT_YAML) != RB_OK)
		rb_fuzz_fail("the fixed resources do not load");
	if (rb_fuzz_add_via(RB_FUZZ_CONFIG, in, data, size, "envoy-gateway.yaml",
	                    RB_INPUT_YAML) == RB_OK) {
		rb_translate_options o = RB_TRANSLATE_OPTIONS_INIT;
		rb_result *res = NULL;
		int rc = rb_translate(&res, in, &o);
		if (rc != RB_OK)
			rb_fuzz_fail("translation after a good configuration: %d (%s)", rc, rb_strerror(rc));
		rb_result_free(res);
	}
	rb_input_free(in);
	rb_ctx_free(ctx);
	return 0;
}
