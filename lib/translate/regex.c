/*
 * Does Go's regexp.Compile accept a regular expression? Envoy Gateway drops
 * a route rule whose match regex does not compile ([l7.rule-drop]), so
 * the checker follows Go's regexp/syntax parser (Perl flags) token by token
 * and reports its error text: "error parsing regexp: <code>: `<expr>`".
 *
 * Only the syntax is followed, not the tree: a stack depth and whether the
 * top of the stack can take a repetition are all the parser state that the
 * errors below depend on. Checks that need the tree or Unicode tables are
 * left out, so that an expression Go accepts is never rejected: nested
 * repeat counts above 1000 in product, nesting deeper than 1000, program
 * size, and unknown multi-letter \p{...} names all pass.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "rebalance/errors.h"
#include "translate/tr.h"

typedef struct rx {
	const char *s;
	size_t n;
	size_t depth;        /* open groups */
	bool top_real;       /* the stack top is an expression, not "(" or "|" or nothing */
	size_t last_repeat;  /* start of the repetition operator just before, or NONE */
	const char *code;    /* the error, once found */
	size_t err_at, err_len;
} rx;

#define NONE SIZE_MAX /* no repetition just before */

static bool fail(rx *x, const char *code, size_t at, size_t len)
{
	x->code = code;
	x->err_at = at;
	x->err_len = len;
	return false;
}

static bool is_alnum(unsigned c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int unhex(unsigned c)
{
	if (c >= '0' && c <= '9')
		return (int)(c - '0');
	if (c >= 'a' && c <= 'f')
		return (int)(c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (int)(c - 'A' + 10);
	return -1;
}

/* The rune at *i (the input is valid UTF-8: the loader checked), advancing past it.
 * At the end: 0xFFFD (Go's RuneError) without advancing, as utf8.DecodeRuneInString. */
static unsigned next_rune(const rx *x, size_t *i)
{
	if (*i >= x->n)
		return 0xFFFD;
	const unsigned char *p = (const unsigned char *)x->s + *i;
	unsigned c = p[0];
	size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
	if (*i + len > x->n)
		len = x->n - *i;
	unsigned r = len == 1 ? c : c & (0x3Fu >> (len - 1));
	for (size_t k = 1; k < len; k++)
		r = (r << 6) | (p[k] & 0x3Fu);
	*i += len;
	return r;
}

/* parseEscape: the escape at *i (a backslash) as one rune. */
static bool escape(rx *x, size_t *i, unsigned *out)
{
	size_t start = *i, t = *i + 1;
	if (t >= x->n)
		return fail(x, "trailing backslash at end of expression", 0, 0);
	unsigned c = next_rune(x, &t);
	*out = c;
	if (c < 0x80 && !is_alnum(c)) {
		*i = t;
		return true; /* escaped punctuation is itself */
	}
	if (c >= '1' && c <= '7' && (t >= x->n || x->s[t] < '0' || x->s[t] > '7'))
		return fail(x, "invalid escape sequence", start, t - start); /* a backreference */
	if (c >= '0' && c <= '7') {
		unsigned r = c - '0';
		for (int k = 1; k < 3 && t < x->n && x->s[t] >= '0' && x->s[t] <= '7'; k++)
			r = r * 8 + (unsigned)(x->s[t++] - '0');
		*out = r;
		*i = t;
		return true;
	}
	if (c == 'x' && t < x->n) {
		c = next_rune(x, &t);
		if (c == '{') {
			unsigned r = 0;
			size_t digits = 0;
			for (;;) {
				if (t >= x->n)
					return fail(x, "invalid escape sequence", start, t - start);
				c = next_rune(x, &t);
				if (c == '}')
					break;
				int v = unhex(c);
				if (v < 0 || (r = r * 16 + (unsigned)v) > 0x10FFFF)
					return fail(x, "invalid escape sequence", start, t - start);
				digits++;
			}
			if (!digits)
				return fail(x, "invalid escape sequence", start, t - start);
			*out = r;
			*i = t;
			return true;
		}
		int hi = unhex(c);
		int lo = unhex(next_rune(x, &t));
		if (hi < 0 || lo < 0)
			return fail(x, "invalid escape sequence", start, t - start);
		*out = (unsigned)(hi * 16 + lo);
		*i = t;
		return true;
	}
	if (c && c < 0x80 && strchr("afnrtv", (int)c)) {
		*i = t;
		return true;
	}
	return fail(x, "invalid escape sequence", start, t - start);
}

/* \p / \P at *i: a missing '}' and names that are no single-letter category
 * fail; longer names are scripts or categories that Go's tables decide (not
 * modelled: accepted). */
static bool unicode_class(rx *x, size_t *i)
{
	size_t start = *i, t = *i + 2;
	unsigned c = next_rune(x, &t);
	if (c != '{') {
		/* A one-letter name (or none at the end of the expression). */
		bool known = t > start + 2 && c && c < 0x80 && strchr("CLMNPSZ", (int)c);
		if (!known)
			return fail(x, "invalid character class range", start, t - start);
		*i = t;
		return true;
	}
	const char *end = memchr(x->s + start, '}', x->n - start);
	if (!end)
		return fail(x, "invalid character class range", start, x->n - start);
	size_t close = (size_t)(end - x->s);
	size_t name = start + 3;
	if (name < close && x->s[name] == '^')
		name++;
	if (name == close)
		return fail(x, "invalid character class range", start, close + 1 - start);
	*i = close + 1;
	return true;
}

static bool is_perl_class(const rx *x, size_t t)
{
	return t + 1 < x->n && x->s[t] == '\\' && x->s[t + 1] && strchr("dDsSwW", x->s[t + 1]);
}

static const char *const POSIX[] = {
	"alnum", "alpha", "ascii", "blank", "cntrl", "digit", "graph",
	"lower", "print", "punct", "space", "upper", "word",  "xdigit",
};

static bool posix_name(const char *s, size_t n)
{
	if (n && s[0] == '^') {
		s++;
		n--;
	}
	for (size_t k = 0; k < sizeof POSIX / sizeof POSIX[0]; k++)
		if (strlen(POSIX[k]) == n && !memcmp(POSIX[k], s, n))
			return true;
	return false;
}

/* parseClassChar */
static bool class_char(rx *x, size_t *t, size_t whole, unsigned *r)
{
	if (*t >= x->n)
		return fail(x, "missing closing ]", whole, x->n - whole);
	if (x->s[*t] == '\\')
		return escape(x, t, r);
	*r = next_rune(x, t);
	return true;
}

/* parseClass at *i ('['). */
static bool char_class(rx *x, size_t *i)
{
	size_t whole = *i, t = *i + 1;
	if (t < x->n && x->s[t] == '^')
		t++;
	bool first = true; /* ']' is a literal first */
	while (t >= x->n || x->s[t] != ']' || first) {
		first = false;
		if (x->n - t > 2 && x->s[t] == '[' && x->s[t + 1] == ':') {
			const char *s = x->s + t + 2;
			const char *end = NULL;
			for (const char *p = s; p + 1 < x->s + x->n && !end; p++)
				if (p[0] == ':' && p[1] == ']')
					end = p;
			if (end) {
				size_t len = (size_t)(end + 2 - (x->s + t));
				if (!posix_name(s, (size_t)(end - s)))
					return fail(x, "invalid character class range", t, len);
				t += len;
				continue;
			}
		}
		if (x->n - t >= 2 && x->s[t] == '\\' && (x->s[t + 1] == 'p' || x->s[t + 1] == 'P')) {
			if (!unicode_class(x, &t))
				return false;
			continue;
		}
		if (is_perl_class(x, t)) {
			t += 2;
			continue;
		}
		size_t range = t;
		unsigned lo, hi;
		if (!class_char(x, &t, whole, &lo))
			return false;
		if (x->n - t >= 2 && x->s[t] == '-' && x->s[t + 1] != ']') {
			t++;
			if (!class_char(x, &t, whole, &hi))
				return false;
			if (hi < lo)
				return fail(x, "invalid character class range", range, t - range);
		}
	}
	*i = t + 1;
	return true;
}

/* The operator text before[..after) is a repetition: Perl forbids stacking
 * them, and it needs an expression to repeat. */
static bool repeat(rx *x, size_t before, size_t *after)
{
	if (*after < x->n && x->s[*after] == '?')
		(*after)++; /* non-greedy */
	if (x->last_repeat != NONE)
		return fail(x, "invalid nested repetition operator", x->last_repeat,
		            *after - x->last_repeat);
	if (!x->top_real)
		return fail(x, "missing argument to repetition operator", before, *after - before);
	return true;
}

/* parseInt: digits without a leading zero; -1 when too big. */
static bool parse_int(const rx *x, size_t *t, long *out)
{
	size_t s = *t;
	if (s >= x->n || x->s[s] < '0' || x->s[s] > '9')
		return false;
	if (s + 1 < x->n && x->s[s] == '0' && x->s[s + 1] >= '0' && x->s[s + 1] <= '9')
		return false;
	long v = 0;
	for (; s < x->n && x->s[s] >= '0' && x->s[s] <= '9'; s++)
		if (v >= 0)
			v = v >= 100000000 ? -1 : v * 10 + (x->s[s] - '0');
	*t = s;
	*out = v;
	return true;
}

/* parseRepeat: {n}, {n,}, {n,m} at *t; false when it is not one ('{' is then a literal). */
static bool parse_braces(const rx *x, size_t *t, long *min, long *max)
{
	size_t s = *t + 1;
	if (!parse_int(x, &s, min) || s >= x->n)
		return false;
	if (x->s[s] != ',') {
		*max = *min;
	} else if (++s >= x->n) {
		return false;
	} else if (x->s[s] == '}') {
		*max = -1;
	} else {
		if (!parse_int(x, &s, max))
			return false;
		if (*max < 0)
			*min = -1;
	}
	if (s >= x->n || x->s[s] != '}')
		return false;
	*t = s + 1;
	return true;
}

/* parsePerlFlags at *i ("(?"): flags, a non-capturing group or a named capture. */
static bool perl_group(rx *x, size_t *i)
{
	size_t start = *i, t = *i + 2;
	bool named = (x->n - start > 4 && x->s[start + 2] == 'P' && x->s[start + 3] == '<') ||
	             (x->n - start > 3 && x->s[start + 2] == '<');
	if (named) {
		size_t begin = start + (x->s[start + 2] == '<' ? 3 : 4);
		const char *gt = memchr(x->s + start, '>', x->n - start);
		if (!gt)
			return fail(x, "invalid named capture", start, x->n - start);
		size_t end = (size_t)(gt - x->s);
		bool ok = end > begin;
		for (size_t k = begin; k < end && ok; k++)
			ok = x->s[k] == '_' || is_alnum((unsigned char)x->s[k]);
		if (!ok)
			return fail(x, "invalid named capture", start, end + 1 - start);
		x->depth++;
		x->top_real = false;
		*i = end + 1;
		return true;
	}
	bool negated = false, saw_flag = false;
	while (t < x->n) {
		unsigned c = next_rune(x, &t);
		if (c == 'i' || c == 'm' || c == 's' || c == 'U') {
			saw_flag = true;
		} else if (c == '-' && !negated) {
			negated = true;
			saw_flag = false;
		} else if ((c == ':' || c == ')') && (!negated || saw_flag)) {
			if (c == ':') {
				x->depth++;
				x->top_real = false;
			}
			*i = t;
			return true;
		} else {
			break;
		}
	}
	return fail(x, "invalid or unsupported Perl syntax", start, t - start);
}

/* A backslash outside a class at *i. */
static bool backslash(rx *x, size_t *i)
{
	size_t t = *i;
	if (x->n - t >= 2) {
		char c = x->s[t + 1];
		if (c == 'A' || c == 'b' || c == 'B' || c == 'z') {
			*i = t + 2;
			x->top_real = true;
			return true;
		}
		if (c == 'C')
			return fail(x, "invalid escape sequence", t, 2); /* any byte: unsupported */
		if (c == 'Q') {
			/* \Q...\E: literals, possibly none */
			const char *s = x->s + t + 2, *end = x->s + x->n, *e = s;
			while (e + 1 < end && !(e[0] == '\\' && e[1] == 'E'))
				e++;
			if (e + 1 >= end)
				e = end;
			x->top_real = x->top_real || e > s;
			*i = (size_t)(e - x->s) + (e == end ? 0 : 2);
			return true;
		}
		if (c == 'p' || c == 'P') {
			x->top_real = true;
			return unicode_class(x, i);
		}
	}
	if (is_perl_class(x, t)) {
		*i = t + 2;
		x->top_real = true;
		return true;
	}
	unsigned r;
	x->top_real = true;
	return escape(x, i, &r);
}

/* One token at *i; *repeat_at is where it starts when it is a repetition. */
static bool token(rx *x, size_t *i, size_t *repeat_at)
{
	size_t t = *i;
	switch (x->s[t]) {
	case '(':
		if (t + 1 < x->n && x->s[t + 1] == '?')
			return perl_group(x, i);
		x->depth++;
		x->top_real = false;
		*i = t + 1;
		return true;
	case '|':
		x->top_real = false;
		*i = t + 1;
		return true;
	case ')':
		if (!x->depth)
			return fail(x, "unexpected )", 0, x->n);
		x->depth--;
		x->top_real = true;
		*i = t + 1;
		return true;
	case '[':
		x->top_real = true;
		return char_class(x, i);
	case '*':
	case '+':
	case '?': {
		size_t after = t + 1;
		if (!repeat(x, t, &after))
			return false;
		*repeat_at = t;
		*i = after;
		return true;
	}
	case '{': {
		long min, max;
		size_t after = t;
		if (!parse_braces(x, &after, &min, &max)) {
			x->top_real = true; /* a literal '{' */
			*i = t + 1;
			return true;
		}
		if (min < 0 || min > 1000 || max > 1000 || (max >= 0 && min > max))
			return fail(x, "invalid repeat count", t, after - t);
		if (!repeat(x, t, &after))
			return false;
		*repeat_at = t;
		*i = after;
		return true;
	}
	case '\\':
		return backslash(x, i);
	default:
		x->top_real = true;
		next_rune(x, i);
		return true;
	}
}

int rb__regex_check(rb__arena *a, const char *re, const char **err)
{
	rx x;
	memset(&x, 0, sizeof x);
	x.s = re;
	x.n = strlen(re);
	x.last_repeat = NONE;
	size_t i = 0;
	bool ok = true;
	while (ok && i < x.n) {
		size_t repeat_at = NONE;
		ok = token(&x, &i, &repeat_at);
		x.last_repeat = repeat_at;
	}
	if (ok && x.depth)
		fail(&x, "missing closing )", 0, x.n);
	*err = NULL;
	if (!x.code)
		return RB_OK;
	*err = rb__arena_printf(a, "error parsing regexp: %s: `%.*s`", x.code, (int)x.err_len,
	                        re + x.err_at);
	return *err ? RB_OK : RB_ENOMEM;
}
