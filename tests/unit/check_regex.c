/*
 * The Go regexp syntax check (lib/translate/regex.c) behind [l7.regex.go]:
 * what Go's regexp.Compile accepts passes, and what it rejects fails with
 * Go's error text (regexp/syntax's code and the offending text).
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/mem.h"
#include "rebalance/rebalance.h"
#include "testutil.h"
#include "translate/tr.h"

static const char *check(rb__arena *a, const char *re)
{
	const char *err = NULL;
	ck_assert_int_eq(rb__regex_check(a, re, &err), RB_OK);
	return err;
}

/* Accepted by Go (Perl syntax): none of these may be reported. */
static const char *const VALID[] = {
	"",
	"abc",
	"/v1/[0-9]+",
	"^/api/(v1|v2)/.*$",
	".*\\.example\\.com",
	"a{2,5}",
	"a{2,}",
	"a{2}?",
	"a{1000}",
	"a{,5}",   /* not a repeat: a literal '{' */
	"{",
	"a{1,",
	"x{2}{",
	"x*?",
	"^*",      /* ^ is an expression of its own */
	"()*",
	"(|)",
	"a|",
	"|a",
	"(?i)abc",
	"a(?i)*",  /* the flags group pushes nothing: * repeats the a */
	"(?i:abc)",
	"(?i-s:a)",
	"(?U)a+",
	"(?)",
	"(?P<name>x)",
	"(?<name>x)",
	"(?P<a>x)(?P<a>y)",
	"[]a]",
	"[a-]",
	"[-a]",
	"[\\]]",
	"[\\d\\s-]",
	"[[:alpha:]]",
	"[[:^digit:]x]",
	"[[:alpha]",     /* no ":]": a '[' and letters */
	"\\d+\\.\\w*\\S",
	"\\bfoo\\B\\A\\z",
	"\\pL\\PN",
	"\\p{Greek}\\p{^Greek}\\P{Lu}",
	"[\\p{Han}a-z]",
	"\\x41\\x{1F600}",
	"\\0\\012\\17",
	"\\a\\f\\n\\r\\t\\v",
	"\\_\\-\\{\\}\\/",
	"\\Qa*b\\E+",
	"\\Qno end*",
	"\\Q\\E",
	"caf\xc3\xa9+",
};

/* [l7.regex.go] */
START_TEST(go_accepts)
{
	rb__mem mem;
	rb__mem_default(&mem);
	rb__arena a;
	rb__arena_init(&a, &mem);
	for (size_t i = 0; i < sizeof VALID / sizeof VALID[0]; i++) {
		const char *err = check(&a, VALID[i]);
		ck_assert_msg(!err, "%s: unexpected %s", VALID[i], err);
	}
	rb__arena_free(&a);
}
END_TEST

typedef struct bad {
	const char *re;
	const char *err;
} bad;

/* Rejected by Go, with regexp/syntax's error text. */
static const bad INVALID[] = {
	{"(", "missing closing ): `(`"},
	{"/v1/(a|b", "missing closing ): `/v1/(a|b`"},
	{"a)", "unexpected ): `a)`"},
	{"(a))", "unexpected ): `(a))`"},
	{"*a", "missing argument to repetition operator: `*`"},
	{"+?", "missing argument to repetition operator: `+?`"},
	{"a|*", "missing argument to repetition operator: `*`"},
	{"(*)", "missing argument to repetition operator: `*`"},
	{"(?i)*", "missing argument to repetition operator: `*`"},
	{"{2}", "missing argument to repetition operator: `{2}`"},
	{"a**", "invalid nested repetition operator: `**`"},
	{"a*??", "invalid nested repetition operator: `*??`"},
	{"a{2}*", "invalid nested repetition operator: `{2}*`"},
	{"a{1001}", "invalid repeat count: `{1001}`"},
	{"a{2,1}", "invalid repeat count: `{2,1}`"},
	{"a{1,1001}", "invalid repeat count: `{1,1001}`"},
	{"(?=x)", "invalid or unsupported Perl syntax: `(?=`"},
	{"(?!x)", "invalid or unsupported Perl syntax: `(?!`"},
	{"x(?i", "invalid or unsupported Perl syntax: `(?i`"},
	{"(?-)", "invalid or unsupported Perl syntax: `(?-)`"},
	{"(?i-m-s)", "invalid or unsupported Perl syntax: `(?i-m-`"},
	{"(?P<>a)", "invalid named capture: `(?P<>`"},
	{"(?P<a-b>x)", "invalid named capture: `(?P<a-b>`"},
	{"(?P<name", "invalid named capture: `(?P<name`"},
	{"[a", "missing closing ]: `[a`"},
	{"x[^]", "missing closing ]: `[^]`"},
	{"[z-a]", "invalid character class range: `z-a`"},
	{"[[:foo:]]", "invalid character class range: `[:foo:]`"},
	{"\\pX", "invalid character class range: `\\pX`"},
	{"a\\p", "invalid character class range: `\\p`"},
	{"\\p{Greek", "invalid character class range: `\\p{Greek`"},
	{"\\p{^}", "invalid character class range: `\\p{^}`"},
	{"a\\1", "invalid escape sequence: `\\1`"},
	{"\\8", "invalid escape sequence: `\\8`"},
	{"\\C", "invalid escape sequence: `\\C`"},
	{"\\q", "invalid escape sequence: `\\q`"},
	{"\\xZZ", "invalid escape sequence: `\\xZZ`"},
	{"\\x", "invalid escape sequence: `\\x`"},
	{"\\x{}", "invalid escape sequence: `\\x{}`"},
	{"\\x{110000}", "invalid escape sequence: `\\x{110000`"},
	{"[\\1]", "invalid escape sequence: `\\1`"},
	{"a\\", "trailing backslash at end of expression: ``"},
};

/* [l7.regex.go] */
START_TEST(go_rejects_with_its_message)
{
	rb__mem mem;
	rb__mem_default(&mem);
	rb__arena a;
	rb__arena_init(&a, &mem);
	for (size_t i = 0; i < sizeof INVALID / sizeof INVALID[0]; i++) {
		char want[256];
		snprintf(want, sizeof want, "error parsing regexp: %s", INVALID[i].err);
		const char *err = check(&a, INVALID[i].re);
		ck_assert_msg(err && !strcmp(err, want), "%s: got %s, want %s", INVALID[i].re,
		              err ? err : "(accepted)", want);
	}
	rb__arena_free(&a);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("regex");
	TCase *tc = tcase_create("go_syntax");
	tcase_add_test(tc, go_accepts);
	tcase_add_test(tc, go_rejects_with_its_message);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
