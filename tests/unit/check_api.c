/* The public API's contracts that are not about translation rules. */
#define _POSIX_C_SOURCE 200809L /* mkstemp */
#include <check.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "result/result.h"
#include "rebalance/rebalance.h"
#include "testutil.h"

/* A caller built against older headers knows a smaller struct: nothing beyond it is written. */
START_TEST(options_init_writes_only_the_callers_size)
{
	struct {
		rb_translate_options o;
		unsigned char canary[16];
	} buf;
	memset(&buf, 0xAB, sizeof buf);
	size_t old_size = offsetof(rb_translate_options, gateway_class) + sizeof(const char *);
	ck_assert_int_eq(rb_translate_options_init(&buf.o, old_size), RB_OK);
	ck_assert_uint_eq(buf.o.size, old_size);
	ck_assert_uint_eq(buf.o.mode, RB_MODE_REBALANCE);
	const unsigned char *after = (const unsigned char *)&buf.o + old_size;
	for (size_t i = 0; i < sizeof buf - old_size; i++)
		ck_assert_uint_eq(after[i], 0xAB);
	ck_assert_int_eq(rb_translate_options_preset(&buf.o, old_size, RB_PRESET_ENVOY_GATEWAY), RB_OK);
	ck_assert_uint_eq(buf.o.mode, RB_MODE_COMPAT_ENVOY_GATEWAY);
	ck_assert_int_eq(rb_translate_options_init(&buf.o, 4), RB_EINVAL);
	ck_assert_int_eq(rb_translate_options_init(NULL, sizeof buf.o), RB_EINVAL);
	ck_assert_int_eq(rb_translate_options_preset(&buf.o, sizeof buf.o, (rb_preset)7), RB_EINVAL);
}
END_TEST

/* The library's copy of the options takes the caller's fields, never the
 * caller's padding between them (uninitialised memory in the caller's struct):
 * the copy is byte for byte the defaults with the same fields set. */
START_TEST(options_copy_takes_fields_not_padding)
{
	static const char *const classes[] = {"eg"};
	rb_translate_options user;
	memset(&user, 0xA5, sizeof user); /* what an uninitialised stack struct may hold */
	user.size = sizeof user;
	user.mode = RB_MODE_COMPAT_ENVOY_GATEWAY;
	user.flags = RB_OPT_RUNNING_ON_HOST;
	user.gateway_class = "eg";
	user.rebalance_default = RB_KNOB_DEFAULT_ON;
	user.gateway_classes = classes;
	user.gateway_class_count = 1;
	user.controller_name = "example.com/ctl";

	rb_translate_options expected;
	memset(&expected, 0, sizeof expected);
	expected.size = sizeof expected;
	expected.mode = user.mode;
	expected.flags = user.flags;
	expected.gateway_class = user.gateway_class;
	expected.rebalance_default = user.rebalance_default;
	expected.gateway_classes = user.gateway_classes;
	expected.gateway_class_count = user.gateway_class_count;
	expected.controller_name = user.controller_name;

	rb_translate_options copy;
	memset(&copy, 0x5A, sizeof copy);
	ck_assert_int_eq(rb__copy_options(&copy, &user), RB_OK);
	ck_assert_mem_eq(&copy, &expected, sizeof copy);

	/* An older caller whose struct ends inside a field: that field is not read. */
	user.size = (uint32_t)(offsetof(rb_translate_options, gateway_classes) + 2);
	memset(&expected.gateway_classes, 0, sizeof expected.gateway_classes);
	expected.gateway_class_count = 0;
	expected.controller_name = NULL;
	ck_assert_int_eq(rb__copy_options(&copy, &user), RB_OK);
	ck_assert_mem_eq(&copy, &expected, sizeof copy);
}
END_TEST

START_TEST(null_handles_are_harmless)
{
	rb_ctx_free(NULL);
	rb_input_free(NULL);
	rb_result_free(NULL);
	rb_free(NULL, NULL);
	ck_assert_int_eq(rb_ctx_new(NULL, NULL), RB_EINVAL);
	ck_assert_int_eq(rb_input_add_buffer(NULL, "", 0, NULL, RB_INPUT_AUTO), RB_EINVAL);
	ck_assert_uint_eq(rb_result_destination_count(NULL), 0);
	ck_assert_ptr_null(rb_result_destination(NULL, 0));
	ck_assert_str_eq(rb_strerror(RB_EPARSE), "unusable input");
	ck_assert_str_eq(rb_strerror(-99), "unknown error");
}
END_TEST

START_TEST(version_matches_headers)
{
	ck_assert_int_eq(rb_version_number(), RB_VERSION_NUMBER);
	ck_assert_str_eq(rb_version_string(), RB_VERSION_STRING);
	ck_assert(RB_VERSION_CHECK(0, 1, 0));
}
END_TEST

START_TEST(limits_are_checked)
{
	rb_ctx *ctx;
	ck_assert_int_eq(rb_ctx_new(&ctx, NULL), RB_OK);
	ck_assert_uint_eq(rb_ctx_get_limit(ctx, RB_LIMIT_DEPTH), 64);
	ck_assert_int_eq(rb_ctx_set_limit(ctx, RB_LIMIT_DEPTH, 0), RB_EINVAL);
	ck_assert_int_eq(rb_ctx_set_limit(ctx, RB_LIMIT_ALIAS_EXPANSION, 0), RB_OK);
	ck_assert_int_eq(rb_ctx_set_limit(ctx, (rb_limit)99, 1), RB_EINVAL);
	ck_assert_int_eq(rb_ctx_set_limit(ctx, RB_LIMIT_INPUT_BYTES, 10), RB_OK);
	rb_input *in;
	ck_assert_int_eq(rb_input_new(&in, ctx), RB_OK);
	ck_assert_int_eq(rb_input_add_buffer(in, "services: []\n", 13, "x", RB_INPUT_AUTO), RB_ELIMIT);
	rb_input_free(in);
	rb_ctx_free(ctx);
}
END_TEST

/*
 * Every way in applies the context's limits: a buffer, a file, the
 * configuration document and the incremental engine (the CLI's stdin is a
 * buffer; the bindings call rb_input_add_buffer).
 */
START_TEST(limits_on_every_input_path)
{
	static const char DEEP[] = "kind: Service\nmetadata: {name: a, labels: {x: [[1]]}}\n";
	static const char DEEP_CONFIG[] = "kind: EnvoyGateway\nextensionApis: {a: [[1]]}\n";
	for (int which = 0; which < 2; which++) {
		rb_ctx *ctx;
		ck_assert_int_eq(rb_ctx_new(&ctx, NULL), RB_OK);
		if (which == 0)
			ck_assert_int_eq(rb_ctx_set_limit(ctx, RB_LIMIT_DEPTH, 3), RB_OK);
		else
			ck_assert_int_eq(rb_ctx_set_limit(ctx, RB_LIMIT_INPUT_BYTES, 20), RB_OK);
		rb_input *in;
		ck_assert_int_eq(rb_input_new(&in, ctx), RB_OK);
		ck_assert_int_eq(rb_input_add_buffer(in, DEEP, strlen(DEEP), "b.yaml", RB_INPUT_AUTO),
		                 RB_ELIMIT);
		char path[] = "/tmp/rb-limits-XXXXXX";
		int fd = mkstemp(path);
		ck_assert_int_ge(fd, 0);
		ck_assert_int_eq(write(fd, DEEP, strlen(DEEP)), (int)strlen(DEEP));
		close(fd);
		ck_assert_int_eq(rb_input_add_file(in, path, RB_INPUT_AUTO), RB_ELIMIT);
		unlink(path);
		ck_assert_int_eq(rb_input_add_config(in, DEEP_CONFIG, strlen(DEEP_CONFIG), "eg.yaml"),
		                 RB_ELIMIT);
		rb_input_free(in);
		ck_assert_int_eq(rb_input_new(&in, ctx), RB_OK);
		rb_engine *e;
		ck_assert_int_eq(rb_engine_new(&e, in, NULL), RB_OK);
		ck_assert_int_eq(rb_engine_apply_buffer(e, DEEP, strlen(DEEP), "e.yaml", RB_INPUT_AUTO),
		                 RB_ELIMIT);
		rb_engine_free(e);
		rb_input_free(in);
		rb_ctx_free(ctx);
	}
}
END_TEST

START_TEST(diag_format_works_like_snprintf)
{
	rb_ctx *ctx;
	rb_input *in;
	ck_assert_int_eq(rb_ctx_new(&ctx, NULL), RB_OK);
	ck_assert_int_eq(rb_input_new(&in, ctx), RB_OK);
	ck_assert_int_eq(rb_input_add_buffer(in, "a: [", 4, "f.yaml", RB_INPUT_YAML), RB_EPARSE);
	const rb_diag *d = rb_input_diag(in, 0);
	size_t n = rb_diag_format(d, NULL, 0);
	char small[8];
	ck_assert_uint_eq(rb_diag_format(d, small, sizeof small), n);
	ck_assert_uint_eq(strlen(small), sizeof small - 1);
	ck_assert(!strncmp(small, "f.yaml:", 7));
	ck_assert_uint_ge(rb_diag_line(d), 1);
	ck_assert_ptr_null(rb_input_diag(in, 99));
	rb_input_free(in);
	rb_ctx_free(ctx);
}
END_TEST

/* A result stays valid after its input is freed (input.h says so). */
/* One failed configuration document: exactly one new diagnostic, at a real
 * location, whatever failed before it; null sections read as absent. */
static void config_fails(rb_input *in, const char *doc, const char *want)
{
	size_t before = rb_input_diag_count(in);
	ck_assert_int_eq(rb_input_add_config(in, doc, strlen(doc), "eg.yaml"), RB_EPARSE);
	ck_assert_uint_eq(rb_input_diag_count(in), before + 1);
	char msg[512];
	rb_diag_format(rb_input_diag(in, before), msg, sizeof msg);
	ck_assert_str_eq(msg, want);
}

START_TEST(config_documents_are_checked_before_libcyaml)
{
	rb_ctx *ctx;
	rb_input *in;
	ck_assert_int_eq(rb_ctx_new(&ctx, NULL), RB_OK);
	ck_assert_int_eq(rb_input_new(&in, ctx), RB_OK);
	config_fails(in, "", "eg.yaml:1:1: expected an EnvoyGateway configuration document, found nothing");
	config_fails(in, "# only a comment\n",
	             "eg.yaml:1:1: expected an EnvoyGateway configuration document, found nothing");
	config_fails(in, "kind: EnvoyGateway\nextensionManager:\n  resources:\n  - kind: A\n    group: {a: 1}\n",
	             "eg.yaml:5:12: /extensionManager/resources/0/group: expected a scalar, got a mapping");
	config_fails(in, "kind: EnvoyGateway\napiVersion: [x]\n",
	             "eg.yaml:2:13: /apiVersion: expected a scalar, got a sequence");
	config_fails(in, "kind: EnvoyGateway\nextensionManager: {backendResources: 3}\n",
	             "eg.yaml:2:38: /extensionManager/backendResources: expected a sequence, got an integer");
	static const char *const NULLS[] = {
	    "kind: EnvoyGateway\nextensionApis: ~\nextensionManager: null\n",
	    "kind: EnvoyGateway\nextensionApis:\nextensionManager: {resources: ~, backendResources: }\n",
	    "kind: EnvoyGateway\nextensionManager: {resources: [{kind: X, group: ~, version: }]}\n",
	};
	for (size_t i = 0; i < sizeof NULLS / sizeof *NULLS; i++)
		ck_assert_int_eq(rb_input_add_config(in, NULLS[i], strlen(NULLS[i]), NULL), RB_OK);
	/* Booleans as Envoy Gateway reads its configuration (YAML 1.1); a quoted one is a string. */
	static const char *const BOOLS[] = {
	    "kind: EnvoyGateway\nextensionApis: {enableBackend: yes}\n",
	    "kind: EnvoyGateway\nextensionApis: {enableBackend: Off}\n",
	    "kind: EnvoyGateway\nextensionApis: {enableBackend: y}\n",
	};
	for (size_t i = 0; i < sizeof BOOLS / sizeof *BOOLS; i++)
		ck_assert_int_eq(rb_input_add_config(in, BOOLS[i], strlen(BOOLS[i]), NULL), RB_OK);
	config_fails(in, "kind: EnvoyGateway\nextensionApis: {enableBackend: \"yes\"}\n",
	             "eg.yaml:2:32: /extensionApis/enableBackend: expected true or false, got a string");
	ck_assert_uint_eq(rb_input_diag_count(in), 6);
	rb_input_free(in);
	rb_ctx_free(ctx);
}
END_TEST

START_TEST(result_outlives_its_input)
{
	static const char doc[] =
		"gateways:\n- metadata: {namespace: ns, name: g}\n"
		"  spec: {gatewayClassName: envoy-gateway-class, listeners: [{name: h, protocol: HTTP, port: 80}]}\n"
		"httpRoutes:\n- metadata: {namespace: ns, name: route-with-a-long-name}\n"
		"  spec: {parentRefs: [{name: g}], rules: [{backendRefs: [{name: svc, port: 80}]}]}\n"
		"services:\n- metadata: {namespace: ns, name: svc}\n  spec: {ports: [{name: http, port: 80}]}\n"
		"endpointSlices:\n- metadata: {namespace: ns, name: s, labels: {kubernetes.io/service-name: svc}}\n"
		"  ports: [{name: http, port: 80}]\n  endpoints: [{addresses: [10.0.0.1], zone: z}]\n";
	rb_ctx *ctx;
	rb_input *in;
	rb_result *res;
	ck_assert_int_eq(rb_ctx_new(&ctx, NULL), RB_OK);
	ck_assert_int_eq(rb_input_new(&in, ctx), RB_OK);
	ck_assert_int_eq(rb_input_add_buffer(in, doc, strlen(doc), "doc", RB_INPUT_AUTO), RB_OK);
	ck_assert_int_eq(rb_translate(&res, in, NULL), RB_OK);
	rb_input_free(in);
	const rb_destination *d = rb_result_destination(res, 0);
	ck_assert_str_eq(rb_destination_route_name(d), "route-with-a-long-name");
	ck_assert_str_eq(rb_destination_route_namespace(d), "ns");
	const rb_endpoint *e = rb_setting_endpoint(rb_destination_setting(d, 0), 0);
	ck_assert_str_eq(rb_endpoint_host(e), "10.0.0.1");
	ck_assert_str_eq(rb_endpoint_zone(e), "z");
	char *out;
	size_t len;
	ck_assert_int_eq(rb_result_to_buffer(res, RB_FORMAT_JSON, &out, &len), RB_OK);
	ck_assert_ptr_nonnull(strstr(out, "route-with-a-long-name"));
	rb_free(ctx, out);
	rb_result_free(res);
	rb_ctx_free(ctx);
}
END_TEST

static const char FIELD_INPUT[] =
	"apiVersion: gateway.networking.k8s.io/v1\n"
	"kind: Gateway\n"
	"metadata: {name: eg}\n"
	"spec: {gatewayClassName: eg, listeners: [{name: http, protocol: HTTP, port: 80}]}\n"
	"---\n"
	"apiVersion: gateway.networking.k8s.io/v1\n"
	"kind: HTTPRoute\n"
	"metadata: {name: web}\n"
	"spec: {parentRefs: [{name: eg}], rules: [{backendRefs: [{name: web, port: 80, wieght: 2}]}]}\n";

/* Options of an older caller (up to rebalance_default): the classes added
 * after it are not read, whatever follows the caller's struct. */
START_TEST(gateway_classes_respect_the_options_size)
{
	rb_ctx *ctx;
	rb_input *in;
	rb_result *res;
	ck_assert_int_eq(rb_ctx_new(&ctx, NULL), RB_OK);
	ck_assert_int_eq(rb_input_new(&in, ctx), RB_OK);
	ck_assert_int_eq(rb_input_set_namespace(in, ""), RB_EINVAL);
	ck_assert_int_eq(rb_input_set_namespace(in, "shop"), RB_OK);
	ck_assert_int_eq(rb_input_add_buffer(in, FIELD_INPUT, strlen(FIELD_INPUT), "f.yaml", RB_INPUT_AUTO),
	                 RB_OK);
	/* Reading warns about the misspelt field, with its place. */
	ck_assert_uint_eq(rb_input_warning_count(in), 1);
	const rb_diag *w = rb_input_warning(in, 0);
	ck_assert_int_eq(rb_diag_code(w), RB_OK);
	ck_assert_uint_eq(rb_diag_line(w), 9);
	ck_assert_str_eq(rb_diag_path(w), "/spec/rules/0/backendRefs/0/wieght");
	ck_assert_ptr_nonnull(strstr(rb_diag_message(w), "did you mean \"weight\"?"));
	ck_assert_ptr_null(rb_input_warning(in, 1));

	const char *classes[] = {"eg"};
	struct {
		rb_translate_options o;
		unsigned char tail[32];
	} buf;
	memset(&buf, 0xAB, sizeof buf);
	size_t old_size = offsetof(rb_translate_options, rebalance_default) + sizeof(uint32_t);
	ck_assert_int_eq(rb_translate_options_init(&buf.o, old_size), RB_OK);
	ck_assert_int_eq(rb_translate(&res, in, &buf.o), RB_OK); /* garbage beyond size unread */
	ck_assert_uint_eq(rb_result_destination_count(res), 0); /* no class of ours: fallback */
	ck_assert_uint_ge(rb_result_warning_count(res), 1);
	ck_assert_ptr_nonnull(strstr(rb_diag_message(rb_result_warning(res, 0)), "\"eg\""));
	rb_result_free(res);

	rb_translate_options o = RB_TRANSLATE_OPTIONS_INIT;
	o.gateway_classes = classes;
	o.gateway_class_count = 1;
	ck_assert_int_eq(rb_translate(&res, in, &o), RB_OK);
	ck_assert_uint_eq(rb_result_destination_count(res), 1);
	ck_assert_str_eq(rb_destination_route_namespace(rb_result_destination(res, 0)), "shop");
	ck_assert_uint_eq(rb_result_warning_count(res), 0);
	rb_result_free(res);
	o.gateway_classes = NULL; /* a count without names */
	ck_assert_int_eq(rb_translate(&res, in, &o), RB_EINVAL);
	rb_input_free(in);
	rb_ctx_free(ctx);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("api");
	TCase *tc = tcase_create("contracts");
	tcase_add_test(tc, options_init_writes_only_the_callers_size);
	tcase_add_test(tc, options_copy_takes_fields_not_padding);
	tcase_add_test(tc, null_handles_are_harmless);
	tcase_add_test(tc, version_matches_headers);
	tcase_add_test(tc, limits_are_checked);
	tcase_add_test(tc, limits_on_every_input_path);
	tcase_add_test(tc, diag_format_works_like_snprintf);
	tcase_add_test(tc, result_outlives_its_input);
	tcase_add_test(tc, config_documents_are_checked_before_libcyaml);
	tcase_add_test(tc, gateway_classes_respect_the_options_size);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
