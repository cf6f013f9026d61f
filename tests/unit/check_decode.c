/*
 * Decoding (lib/model): strict scalars, field matching, errors with
 * locations, and "a buffer is taken whole or not at all".
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "model/decode.h"
#include "rebalance/rebalance.h"
#include "testutil.h"

START_TEST(parse_int_is_strict)
{
	int64_t v;
	ck_assert_int_eq(rb__parse_int("8080", 4, 0, 65535, &v), RB_INT_OK);
	ck_assert_int_eq(v, 8080);
	ck_assert_int_eq(rb__parse_int("0", 1, 0, 10, &v), RB_INT_OK);
	ck_assert_int_eq(v, 0);
	ck_assert_int_eq(rb__parse_int("-5", 2, -10, 10, &v), RB_INT_OK);
	ck_assert_int_eq(v, -5);
	ck_assert_int_eq(rb__parse_int("+7", 2, 0, 10, &v), RB_INT_OK);
	ck_assert_int_eq(rb__parse_int("80abc", 5, 0, 65535, &v), RB_INT_SYNTAX);
	ck_assert_int_eq(rb__parse_int("", 0, 0, 1, &v), RB_INT_SYNTAX);
	ck_assert_int_eq(rb__parse_int("-", 1, -1, 1, &v), RB_INT_SYNTAX);
	ck_assert_int_eq(rb__parse_int("017", 3, 0, 100, &v), RB_INT_LEADING_ZERO);
	ck_assert_int_eq(rb__parse_int("65536", 5, 0, 65535, &v), RB_INT_RANGE);
	ck_assert_int_eq(rb__parse_int("-1", 2, 0, 65535, &v), RB_INT_RANGE);
	ck_assert_int_eq(rb__parse_int("18446744073709551616", 20, 0, INT64_MAX, &v), RB_INT_RANGE);
	ck_assert_int_eq(rb__parse_int("-9223372036854775808", 20, INT64_MIN, INT64_MAX, &v), RB_INT_OK);
	ck_assert_int_eq(v, INT64_MIN);
	ck_assert_int_eq(rb__parse_int("9223372036854775808", 19, INT64_MIN, INT64_MAX, &v), RB_INT_RANGE);
}
END_TEST

/* Load `text`, expect failure, and return the formatted first diagnostic. */
static void expect_error(const char *text, rb_input_format fmt, int code, const char *want)
{
	rb_ctx *ctx;
	rb_input *in;
	ck_assert_int_eq(rb_ctx_new(&ctx, NULL), RB_OK);
	ck_assert_int_eq(rb_input_new(&in, ctx), RB_OK);
	ck_assert_int_eq(rb_input_add_buffer(in, text, strlen(text), "in.yaml", fmt), code);
	ck_assert_uint_ge(rb_input_diag_count(in), 1);
	char msg[1024];
	rb_diag_format(rb_input_diag(in, 0), msg, sizeof msg);
	ck_assert_str_eq(msg, want);
	ck_assert_uint_eq(rb_input_object_count(in), 0);
	rb_input_free(in);
	rb_ctx_free(ctx);
}

START_TEST(type_errors_carry_locations)
{
	expect_error("httpRoutes:\n"
	             "- metadata: {name: r}\n"
	             "  spec:\n"
	             "    rules:\n"
	             "    - backendRefs:\n"
	             "      - name: s\n"
	             "        weight: 80abc\n",
	             RB_INPUT_YAML, RB_EPARSE,
	             "in.yaml:7:17: /httpRoutes/0/spec/rules/0/backendRefs/0/weight: expected an integer "
	             "between 0 and 1000000, got a string \"80abc\"");
	expect_error("services:\n"
	             "- metadata: {name: s}\n"
	             "  spec: {ports: [{name: http, port: -1}]}\n",
	             RB_INPUT_YAML, RB_EPARSE,
	             "in.yaml:3:37: /services/0/spec/ports/0/port: integer -1 is out of range: expected 1 "
	             "to 65535");
	expect_error("backends:\n- metadata: {name: b}\n  spec: {fallback: \"yes\"}\n", RB_INPUT_YAML,
	             RB_EPARSE,
	             "in.yaml:3:20: /backends/0/spec/fallback: expected a boolean (true or false), got a "
	             "string \"yes\"");
	/* JSON stays typed, as encoding/json reads it (YAML numbers become text: check_scalars.c). */
	expect_error("{\"httpRoutes\": [{\"metadata\": {\"name\": \"r\"},\n"
	             " \"spec\": {\"parentRefs\": [{\"name\": \"g\", \"sectionName\": 8080}]}}]}\n",
	             RB_INPUT_JSON, RB_EPARSE,
	             "in.yaml:2:55: /httpRoutes/0/spec/parentRefs/0/sectionName: expected a string, got an "
	             "integer 8080 (quote it: \"8080\")");
	expect_error("httpRoutes:\n- metadata: {name: r}\n  spec: {parentRefs: [{name: g, port: 80.5}]}\n",
	             RB_INPUT_YAML, RB_EPARSE,
	             "in.yaml:3:39: /httpRoutes/0/spec/parentRefs/0/port: expected an integer between 1 "
	             "and 65535, got a number 80.5");
	expect_error("services:\n- spec: {}\n", RB_INPUT_YAML, RB_EPARSE,
	             "in.yaml:2:3: /services/0: a Service needs metadata.name");
}
END_TEST

START_TEST(json_errors_carry_locations)
{
	expect_error("{\"httpRoutes\": [{\"metadata\": {\"name\": \"r\"},\n"
	             " \"spec\": {\"rules\": [{\"backendRefs\": [{\"name\": \"s\", \"weight\": 4294967296}]}]}}]}",
	             RB_INPUT_JSON, RB_EPARSE,
	             "in.yaml:2:62: /httpRoutes/0/spec/rules/0/backendRefs/0/weight: integer 4294967296 is "
	             "out of range: expected 0 to 1000000");
	expect_error("{\"services\": [{\"metadata\": {\"name\": \"s\"}, \"spec\": {\"ports\": [{\"port\": 1.5}]}}]}",
	             RB_INPUT_JSON, RB_EPARSE,
	             "in.yaml:1:71: /services/0/spec/ports/0/port: expected an integer between 1 and "
	             "65535, got a number \"1.5\"");
}
END_TEST

/* [input.keys.case] [input.form.strict] */
START_TEST(field_given_twice_by_case)
{
	expect_error("services:\n- metadata: {name: a, Name: b}\n", RB_INPUT_YAML, RB_EPARSE,
	             "in.yaml:2:29: /services/0/metadata/Name: field \"name\" given twice (as \"name\" at "
	             "line 2 and \"Name\")");
}
END_TEST

/* [input.keys.case] */
START_TEST(keys_fold_case_like_go)
{
	rb_ctx *ctx;
	rb_input *in;
	ck_assert_int_eq(rb_ctx_new(&ctx, NULL), RB_OK);
	ck_assert_int_eq(rb_input_new(&in, ctx), RB_OK);
	const char *doc = "EndpointSlices:\n"
	                  "- Metadata: {NAME: x, labels: {kubernetes.io/service-name: s}}\n"
	                  "  ADDRESSTYPE: IPv4\n"
	                  "backends:\n"
	                  "- metadata: {name: b}\n"
	                  "  spec: {AppProtocols: [gateway.envoyproxy.io/h2c]}\n"
	                  "somethingElse: [1, 2, 3]\n";
	ck_assert_int_eq(rb_input_add_buffer(in, doc, strlen(doc), "in.yaml", RB_INPUT_YAML), RB_OK);
	ck_assert_uint_eq(rb_input_object_count(in), 2);
	rb_input_free(in);
	rb_ctx_free(ctx);
}
END_TEST

START_TEST(failed_buffer_leaves_input_unchanged)
{
	rb_ctx *ctx;
	rb_input *in;
	ck_assert_int_eq(rb_ctx_new(&ctx, NULL), RB_OK);
	ck_assert_int_eq(rb_input_new(&in, ctx), RB_OK);
	const char *good = "services:\n- metadata: {name: a}\n";
	const char *bad = "services:\n- metadata: {name: b}\n- metadata: {name: c}\n  spec: {ports: [{port: x}]}\n";
	ck_assert_int_eq(rb_input_add_buffer(in, good, strlen(good), "good.yaml", RB_INPUT_AUTO), RB_OK);
	ck_assert_uint_eq(rb_input_object_count(in), 1);
	ck_assert_int_eq(rb_input_add_buffer(in, bad, strlen(bad), "bad.yaml", RB_INPUT_AUTO), RB_EPARSE);
	ck_assert_uint_eq(rb_input_object_count(in), 1);
	rb_result *res;
	ck_assert_int_eq(rb_translate(&res, in, NULL), RB_OK);
	rb_result_free(res);
	rb_input_free(in);
	rb_ctx_free(ctx);
}
END_TEST

/* [input.form.manifests] */
START_TEST(unknown_kinds_are_ignored_and_foreign_groups_too)
{
	rb_ctx *ctx;
	rb_input *in;
	ck_assert_int_eq(rb_ctx_new(&ctx, NULL), RB_OK);
	ck_assert_int_eq(rb_input_new(&in, ctx), RB_OK);
	const char *doc = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n---\n"
	                  "apiVersion: example.com/v1\nkind: Backend\nmetadata: {name: b}\n---\n"
	                  "apiVersion: v1\nkind: Service\nmetadata: {name: s}\n";
	ck_assert_int_eq(rb_input_add_buffer(in, doc, strlen(doc), "in.yaml", RB_INPUT_AUTO), RB_OK);
	ck_assert_uint_eq(rb_input_object_count(in), 1);
	rb_input_free(in);
	rb_ctx_free(ctx);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("decode");
	TCase *tc = tcase_create("scalars");
	tcase_add_test(tc, parse_int_is_strict);
	suite_add_tcase(s, tc);
	tc = tcase_create("errors");
	tcase_add_test(tc, type_errors_carry_locations);
	tcase_add_test(tc, json_errors_carry_locations);
	tcase_add_test(tc, field_given_twice_by_case);
	suite_add_tcase(s, tc);
	tc = tcase_create("objects");
	tcase_add_test(tc, keys_fold_case_like_go);
	tcase_add_test(tc, failed_buffer_leaves_input_unchanged);
	tcase_add_test(tc, unknown_kinds_are_ignored_and_foreign_groups_too);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
