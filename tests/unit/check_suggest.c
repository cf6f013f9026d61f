/* "Did you mean": the bounded edit distance, the closest word, escaping. */
#include <check.h>
#include <string.h>
#include <time.h>

#include "core/suggest.h"
#include "rebalance/errors.h"
#include "testutil.h"

static size_t dist(const char *a, const char *b, size_t max)
{
	return rb__edit_distance(a, strlen(a), b, strlen(b), max);
}

START_TEST(distance_counts_each_kind_of_edit)
{
	ck_assert_uint_eq(dist("backendRefs", "backendRefs", 3), 0);
	ck_assert_uint_eq(dist("backendRef", "backendRefs", 3), 1);  /* insertion */
	ck_assert_uint_eq(dist("weights", "weight", 3), 1);          /* deletion */
	ck_assert_uint_eq(dist("wejght", "weight", 3), 1);           /* substitution */
	ck_assert_uint_eq(dist("wieght", "weight", 3), 1);           /* swapped neighbours */
	ck_assert_uint_eq(dist("BACKENDREFS", "backendRefs", 3), 0); /* case ignored */
	ck_assert_uint_eq(dist("", "abc", 3), 3);
	/* Beyond the bound: max + 1, whatever the true distance. */
	ck_assert_uint_eq(dist("parentRefs", "backendRefs", 2), 3);
	ck_assert_uint_eq(dist("a", "abcdefgh", 2), 3);
}
END_TEST

START_TEST(closest_word_or_none)
{
	static const char *const rule[] = {"name", "matches", "filters", "backendRefs",
	                                   "sessionPersistence", "timeouts", "retry", NULL};
	ck_assert_str_eq(rb__closest_word("backendRef", 10, rule), "backendRefs");
	ck_assert_str_eq(rb__closest_word("filter", 6, rule), "filters");
	ck_assert_str_eq(rb__closest_word("Timeout", 7, rule), "timeouts");
	ck_assert_ptr_null(rb__closest_word("hostnames", 9, rule));
	ck_assert_ptr_null(rb__closest_word("xyz", 3, rule));
	ck_assert_ptr_null(rb__closest_word("", 0, rule));
	/* Short words allow one edit only: "nme" is "name", "nm" is nothing. */
	ck_assert_str_eq(rb__closest_word("nme", 3, rule), "name");
	ck_assert_ptr_null(rb__closest_word("nm", 2, rule));
}
END_TEST

START_TEST(hostile_keys_cost_little)
{
	/* A 1 MiB key is not compared at all; 64-byte keys against many
	 * candidates stay quadratic in 64, not in the key. */
	static char big[1 << 20];
	memset(big, 'a', sizeof big);
	static const char *const cands[] = {"aaaa", "backendRefs", NULL};
	ck_assert_ptr_null(rb__closest_word(big, sizeof big, cands));
	ck_assert_uint_eq(rb__edit_distance(big, sizeof big, big, sizeof big, 3), 4);
	clock_t start = clock();
	for (int i = 0; i < 100000; i++)
		(void)rb__closest_word(big, RB_SUGGEST_MAX_LEN, cands);
	ck_assert(clock() - start < 5 * CLOCKS_PER_SEC);
}
END_TEST

START_TEST(escape_controls_quotes_and_c1)
{
	char out[64];
	const char in[] = "a\x1b[31m\"b\\\n\t\x7f\xc2\x9b\xc3\xa9";
	rb__escape_text(out, sizeof out, in, sizeof in - 1);
	ck_assert_str_eq(out, "a\\x1b[31m\\\"b\\\\\\n\\t\\x7f\\u009b\xc3\xa9");
	/* Truncated with "..." and always terminated. */
	char small[8];
	rb__escape_text(small, sizeof small, "abcdefghijkl", 12);
	ck_assert_str_eq(small, "abcd...");
	rb__escape_text(small, sizeof small, "\x01\x02\x03", 3);
	ck_assert_uint_le(strlen(small), 7);
}
END_TEST

START_TEST(one_rule_for_text_from_input)
{
	/* The public form: quotes and backslashes stay, controls and invalid UTF-8 do not. */
	char out[128];
	rb_escape_text(out, sizeof out, "\x1b]0;t\x07 \"q\" \\ \r\n\xff\xc3(\xc2\x85 \xc3\xa9");
	ck_assert_str_eq(out, "\\x1b]0;t\\x07 \"q\" \\ \\r\\n\\xff\\xc3(\\u0085 \xc3\xa9");
	/* A truncated sequence at the end is invalid, not half a character. */
	rb_escape_text(out, sizeof out, "a\xe2\x82");
	ck_assert_str_eq(out, "a\\xe2\\x82");
	/* The internal form with quotes escapes invalid UTF-8 the same way. */
	rb__escape_text(out, sizeof out, "\"\xfe", 2);
	ck_assert_str_eq(out, "\\\"\\xfe");
	ck_assert(rb_escape_text(out, 0, "x") == out);
	rb_escape_text(out, sizeof out, NULL);
	ck_assert_str_eq(out, "");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("suggest");
	TCase *tc = tcase_create("suggest");
	tcase_add_test(tc, distance_counts_each_kind_of_edit);
	tcase_add_test(tc, closest_word_or_none);
	tcase_add_test(tc, hostile_keys_cost_little);
	tcase_add_test(tc, escape_controls_quotes_and_c1);
	tcase_add_test(tc, one_rule_for_text_from_input);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
