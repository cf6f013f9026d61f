/*
 * Plain YAML scalars as Kubernetes clients read them (lib/load/yaml_scalar.c):
 * go-yaml v2's types, and the text sigs.k8s.io/yaml puts in a string field.
 * The expected texts are what Go prints (strconv.FormatInt/FormatUint,
 * FormatFloat(v, 'g', -1, 32)); the table in docs/input.md shows the same.
 */
#include "load/yaml_scalar.h"
#include "testutil.h"

#include <check.h>
#include <math.h>
#include <string.h>

START_TEST(types_follow_go_yaml_v2)
{
	struct {
		const char *s;
		rb__scalar_type t;
	} cases[] = {
	    {"", RB_SCALAR_NULL},
	    {"~", RB_SCALAR_NULL},
	    {"Null", RB_SCALAR_NULL},
	    {"nULL", RB_SCALAR_STRING},
	    {"~~", RB_SCALAR_STRING},
	    {"y", RB_SCALAR_BOOL},
	    {"Y", RB_SCALAR_BOOL},
	    {"yes", RB_SCALAR_BOOL},
	    {"YES", RB_SCALAR_BOOL},
	    {"yEs", RB_SCALAR_STRING},
	    {"on", RB_SCALAR_BOOL},
	    {"OFF", RB_SCALAR_BOOL},
	    {"oN", RB_SCALAR_STRING},
	    {"n", RB_SCALAR_BOOL},
	    {"No", RB_SCALAR_BOOL},
	    {"tRue", RB_SCALAR_STRING},
	    {"FALSE", RB_SCALAR_BOOL},
	    {"0", RB_SCALAR_INT},
	    {"-0", RB_SCALAR_INT},
	    {"007", RB_SCALAR_INT},
	    {"08", RB_SCALAR_FLOAT},
	    {"0o7", RB_SCALAR_INT},
	    {"0O7", RB_SCALAR_INT},
	    {"0o8", RB_SCALAR_STRING},
	    {"0xaF", RB_SCALAR_INT},
	    {"0XaF", RB_SCALAR_INT},
	    {"+0x1", RB_SCALAR_INT},
	    {"0x", RB_SCALAR_STRING},
	    {"0b101", RB_SCALAR_INT},
	    {"-0b1", RB_SCALAR_INT},
	    {"1_000", RB_SCALAR_INT},
	    {"1__0_", RB_SCALAR_INT},
	    {"_1", RB_SCALAR_STRING},
	    {"1.5e-3", RB_SCALAR_FLOAT},
	    {"1E+3", RB_SCALAR_FLOAT},
	    {"1e3", RB_SCALAR_FLOAT},
	    {"1e", RB_SCALAR_STRING},
	    {"1e400", RB_SCALAR_STRING},
	    {"-", RB_SCALAR_STRING},
	    {".", RB_SCALAR_STRING},
	    {".5", RB_SCALAR_FLOAT},
	    {"1.", RB_SCALAR_FLOAT},
	    {"+.INF", RB_SCALAR_FLOAT},
	    {"-.inf", RB_SCALAR_FLOAT},
	    {".NaN", RB_SCALAR_FLOAT},
	    {"-.nan", RB_SCALAR_STRING},
	    {"1.2.3", RB_SCALAR_STRING},
	    {"12abc", RB_SCALAR_STRING},
	    {"1e5x", RB_SCALAR_STRING},
	    {"2001-12-14", RB_SCALAR_STRING},
	    {"18446744073709551615", RB_SCALAR_INT},
	    {"18446744073709551616", RB_SCALAR_FLOAT},
	    {"-9223372036854775809", RB_SCALAR_FLOAT},
	    {"v1", RB_SCALAR_STRING},
	    {"HTTPRoute", RB_SCALAR_STRING},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		ck_assert_msg(rb__yaml_resolve_plain(cases[i].s, strlen(cases[i].s)) == cases[i].t,
		              "%s", cases[i].s);
	/* A number too long to be one stays a string (no allocation in the loader). */
	char big[RB_YAML_NUMBER_MAX + 2];
	memset(big, '1', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	ck_assert_int_eq(rb__yaml_resolve_plain(big, strlen(big)), RB_SCALAR_STRING);
}
END_TEST

static const char *go_string(const char *plain)
{
	static char buf[64];
	rb__node n;
	memset(&n, 0, sizeof n);
	n.kind = RB_NODE_SCALAR;
	n.stype = (uint8_t)rb__yaml_resolve_plain(plain, strlen(plain));
	n.from_yaml = 1;
	n.scalar.text = plain;
	n.scalar.len = strlen(plain);
	size_t len = rb__yaml_go_string(&n, buf, sizeof buf);
	return len ? buf : NULL;
}

/* [input.form.go-scalars] */
START_TEST(string_fields_get_the_text_go_prints)
{
	struct {
		const char *plain, *text;
	} cases[] = {
	    {"1234", "1234"},
	    {"1.50", "1.5"},
	    {"yes", "true"},
	    {"y", "true"},
	    {"On", "true"},
	    {"n", "false"},
	    {"off", "false"},
	    {"FALSE", "false"},
	    {"0123", "83"},
	    {"007", "7"},
	    {"08", "8"},
	    {"0x1F", "31"},
	    {"0o17", "15"},
	    {"0b11", "3"},
	    {"1_000", "1000"},
	    {"+42", "42"},
	    {"-0", "0"},
	    {"3.14159265358979", "3.1415927"},
	    {"1e3", "1000"},
	    {"1e6", "1e+06"},
	    {"123456.7", "123456.7"},
	    {"1234567.0", "1.234567e+06"},
	    {"1e-5", "1e-05"},
	    {"0.0001", "0.0001"},
	    {".5", "0.5"},
	    {"1.", "1"},
	    {"-2.5e-7", "-2.5e-07"},
	    {"0.1", "0.1"},
	    {"16777217", "16777217"},
	    {"16777217.0", "1.6777216e+07"},
	    {"1e39", "+Inf"},
	    {".inf", "+Inf"},
	    {"-.Inf", "-Inf"},
	    {".nan", "NaN"},
	    {"-0.0", "-0"},
	    {"12345678901234567890", "12345678901234567890"},
	    {"123456789012345678901234", "1.2345679e+23"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *got = go_string(cases[i].plain);
		ck_assert_msg(got && strcmp(got, cases[i].text) == 0, "%s: got %s, want %s",
		              cases[i].plain, got ? got : "(none)", cases[i].text);
	}
	/* Strings and nulls are not converted, nor anything read from JSON. */
	ck_assert_ptr_null(go_string("abc"));
	ck_assert_ptr_null(go_string("~"));
	rb__node n;
	memset(&n, 0, sizeof n);
	n.kind = RB_NODE_SCALAR;
	n.stype = RB_SCALAR_INT;
	n.scalar.text = "1234";
	n.scalar.len = 4;
	char buf[64];
	ck_assert_uint_eq(rb__yaml_go_string(&n, buf, sizeof buf), 0);
}
END_TEST

START_TEST(values_of_numbers_and_booleans)
{
	int64_t i;
	uint64_t u;
	bool is_unsigned;
	ck_assert(rb__yaml_int_value("0x7fffffffffffffff", 18, &i, &u, &is_unsigned));
	ck_assert(!is_unsigned);
	ck_assert_int_eq(i, INT64_MAX);
	ck_assert(rb__yaml_int_value("-9223372036854775808", 20, &i, &u, &is_unsigned));
	ck_assert_int_eq(i, INT64_MIN);
	ck_assert(rb__yaml_int_value("9223372036854775808", 19, &i, &u, &is_unsigned));
	ck_assert(is_unsigned);
	ck_assert(!rb__yaml_int_value("1.5", 3, &i, &u, &is_unsigned));
	ck_assert(!rb__yaml_int_value("abc", 3, &i, &u, &is_unsigned));
	double f;
	ck_assert(rb__yaml_float_value("-.inf", 5, &f));
	ck_assert(isinf(f) && f < 0);
	ck_assert(rb__yaml_float_value("1_0.5", 5, &f));
	ck_assert(f == 10.5);
	ck_assert(!rb__yaml_float_value("1.5x", 4, &f));
	ck_assert(rb__yaml_bool_value("ON", 2));
	ck_assert(!rb__yaml_bool_value("off", 3));
	ck_assert(!rb__yaml_bool_value("no", 2));
}
END_TEST

START_TEST(keys_become_go_text)
{
	struct {
		const char *key, *text; /* text NULL: the key stays as written */
	} cases[] = {
	    {"010", "8"},     {"yes", "true"},  {"N", "false"},     {"On", "true"},
	    {"1.50", "1.5"},  {".inf", ".inf"}, {"-.Inf", "-.inf"}, {".nan", ".nan"},
	    {"0x1F", "31"},   {"1e3", "1000"},  {"name", NULL},     {"type", NULL},
	    {"true", "true"}, {"~", NULL},      {"null", NULL},     {"ready", NULL},
	    {"tls", NULL},    {"v1", NULL},     {"1.2.3", NULL},    {"-", NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char buf[64];
		const char *k = cases[i].key;
		size_t len = rb__yaml_go_key(k, strlen(k), buf, sizeof buf);
		if (cases[i].text) {
			ck_assert_msg(len && strcmp(buf, cases[i].text) == 0, "%s", k);
			/* The loader's inline filter never skips a key that changes. */
			ck_assert_msg(rb__yaml_key_may_change(k, strlen(k)), "%s", k);
		} else {
			ck_assert_msg(len == 0 || strcmp(buf, k) == 0, "%s", k);
		}
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("scalars");
	TCase *tc = tcase_create("yaml");
	tcase_add_test(tc, types_follow_go_yaml_v2);
	tcase_add_test(tc, string_fields_get_the_text_go_prints);
	tcase_add_test(tc, values_of_numbers_and_booleans);
	tcase_add_test(tc, keys_become_go_text);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
