/* Plain YAML scalars typed as go-yaml v2 types them ([input.form.go-scalars]). */
#include "load/yaml_scalar.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool eq(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

static bool eq_any3(const char *s, size_t n, const char *a, const char *b, const char *c)
{
	return eq(s, n, a) || eq(s, n, b) || eq(s, n, c);
}

static bool is_inf(const char *s, size_t n)
{
	return eq_any3(s, n, ".inf", ".Inf", ".INF");
}

static bool is_nan(const char *s, size_t n)
{
	return eq_any3(s, n, ".nan", ".NaN", ".NAN");
}

/* ".inf" with an optional sign: +1 or -1, 0 when it is not one. */
static int signed_inf(const char *s, size_t n)
{
	if (is_inf(s, n))
		return 1;
	if (n > 1 && (s[0] == '+' || s[0] == '-') && is_inf(s + 1, n - 1))
		return s[0] == '-' ? -1 : 1;
	return 0;
}

/*
 * A YAML 1.1 boolean word as go-yaml v2 lists them: y n yes no on off true
 * false, each all lower case, capitalised or all upper case. Returns 1 for
 * true, 0 for false, -1 when s is not one. Only the words of s's length are
 * compared: this runs on every plain scalar that starts with one of their
 * letters.
 */
static int bool_word(const char *s, size_t n)
{
	const char *word;
	int value;
	char first = (char)(s[0] | 0x20);
	switch (n) {
	case 1:
		return first == 'y' ? 1 : first == 'n' ? 0 : -1;
	case 2:
		if (first != 'o' && first != 'n')
			return -1;
		word = first == 'o' ? "on" : "no";
		value = first == 'o';
		break;
	case 3:
		if (first != 'y' && first != 'o')
			return -1;
		word = first == 'y' ? "yes" : "off";
		value = first == 'y';
		break;
	case 4:
		word = "true";
		value = 1;
		break;
	case 5:
		word = "false";
		value = 0;
		break;
	default:
		return -1;
	}
	if (first != word[0])
		return -1;
	/* The first letter in either case; the rest all lower or all upper case. */
	bool lower = true, upper = s[0] != word[0];
	for (size_t i = 1; i < n; i++) {
		lower &= s[i] == word[i];
		upper &= s[i] == (char)(word[i] - 0x20);
	}
	return lower || upper ? value : -1;
}

/* null, Null, NULL */
static bool null_word(const char *s, size_t n)
{
	return n == 4 && ((s[0] == 'n' && s[1] == 'u' && s[2] == 'l' && s[3] == 'l') ||
	                  (s[0] == 'N' && ((s[1] == 'u' && s[2] == 'l' && s[3] == 'l') ||
	                                   (s[1] == 'U' && s[2] == 'L' && s[3] == 'L'))));
}

static size_t digits(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	return i;
}

/* go-yaml's yamlStyleFloat: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? */
static bool float_syntax(const char *s, size_t n)
{
	size_t i = 0;
	if (i < n && (s[i] == '-' || s[i] == '+'))
		i++;
	if (i < n && s[i] == '.') {
		i++;
		size_t d = digits(s + i, n - i);
		if (d == 0)
			return false;
		i += d;
	} else {
		size_t d = digits(s + i, n - i);
		if (d == 0)
			return false;
		i += d;
		if (i < n && s[i] == '.') {
			i++;
			i += digits(s + i, n - i);
		}
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '-' || s[i] == '+'))
			i++;
		size_t d = digits(s + i, n - i);
		if (d == 0)
			return false;
		i += d;
	}
	return i == n;
}

/* strconv.ParseUint(s, 0, 64) (s has no underscores left). */
static bool go_parse_uint(const char *s, size_t n, uint64_t *out)
{
	if (n == 0)
		return false;
	unsigned base = 10;
	size_t i = 0;
	if (s[0] == '0') {
		char p = (char)(s[1 < n ? 1 : 0] | 0x20);
		if (n >= 3 && (p == 'b' || p == 'o' || p == 'x')) {
			base = p == 'b' ? 2 : p == 'o' ? 8 : 16;
			i = 2;
		} else {
			base = 8; /* a leading 0: octal, and "0" itself is 0 */
			i = 1;
		}
	}
	uint64_t v = 0;
	for (; i < n; i++) {
		char c = s[i], lc = (char)(c | 0x20);
		unsigned d;
		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (lc >= 'a' && lc <= 'z')
			d = (unsigned)(lc - 'a') + 10;
		else
			return false;
		if (d >= base || v > (UINT64_MAX - d) / base)
			return false;
		v = v * base + d;
	}
	*out = v;
	return true;
}

/* strconv.ParseInt(s, 0, 64). */
static bool go_parse_int(const char *s, size_t n, int64_t *out)
{
	bool neg = false;
	if (n && (s[0] == '+' || s[0] == '-')) {
		neg = s[0] == '-';
		s++;
		n--;
	}
	uint64_t u;
	if (n == 0 || !go_parse_uint(s, n, &u))
		return false;
	if (!neg && u > (uint64_t)INT64_MAX)
		return false;
	if (neg && u > (uint64_t)INT64_MAX + 1)
		return false;
	*out = neg ? (u == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)u) : (int64_t)u;
	return true;
}

/* s (at most RB_YAML_NUMBER_MAX bytes) without its underscores, NUL-terminated in buf. */
static void strip_underscores(const char *s, size_t n, char *buf, size_t *len)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] != '_')
			buf[k++] = s[i];
	buf[k] = '\0';
	*len = k;
}

/* ParseFloat(text) succeeds: finite (an overflow is ErrRange in Go). */
static bool finite_float(const char *text, double *out)
{
	errno = 0;
	double v = strtod(text, NULL);
	if (isinf(v))
		return false;
	*out = v;
	return true;
}

/* A scalar starting with a digit or a sign: int, float or string (go-yaml's 'D'/'S' hint). */
static rb__scalar_type number_type(const char *s, size_t n, int64_t *i, uint64_t *u,
                                   bool *is_unsigned, double *f)
{
	/* The usual case first: up to 18 decimal digits without a leading zero. */
	if (n <= 18 && (s[0] != '0' || n == 1)) {
		int64_t v = 0;
		size_t k = 0;
		while (k < n && s[k] >= '0' && s[k] <= '9')
			v = v * 10 + (s[k++] - '0');
		if (k == n) {
			*i = v;
			*is_unsigned = false;
			return RB_SCALAR_INT;
		}
	}
	/* go-yaml drops every underscore first; most texts (addresses, versions) have none. */
	char buf[RB_YAML_NUMBER_MAX + 1];
	const char *p = s;
	size_t len = n;
	if (n > RB_YAML_NUMBER_MAX)
		return RB_SCALAR_STRING;
	if (memchr(s, '_', n)) {
		strip_underscores(s, n, buf, &len);
		p = buf;
	}
	*is_unsigned = false;
	if (go_parse_int(p, len, i))
		return RB_SCALAR_INT;
	if (go_parse_uint(p, len, u)) {
		*is_unsigned = true;
		return RB_SCALAR_INT;
	}
	if (!float_syntax(p, len))
		return RB_SCALAR_STRING;
	if (p == s) { /* strtod needs the text terminated */
		memcpy(buf, s, n);
		buf[n] = '\0';
	}
	return finite_float(buf, f) ? RB_SCALAR_FLOAT : RB_SCALAR_STRING;
}

rb__scalar_type rb__yaml_resolve_plain(const char *s, size_t n)
{
	if (n == 0)
		return RB_SCALAR_NULL;
	int64_t i;
	uint64_t u;
	bool is_unsigned;
	double f;
	switch (s[0]) {
	case '~':
		return n == 1 ? RB_SCALAR_NULL : RB_SCALAR_STRING;
	case 'n':
	case 'N':
		if (null_word(s, n))
			return RB_SCALAR_NULL;
		return bool_word(s, n) >= 0 ? RB_SCALAR_BOOL : RB_SCALAR_STRING; /* n, no */
	case 'y':
	case 'Y':
	case 't':
	case 'T':
	case 'f':
	case 'F':
	case 'o':
	case 'O':
		return bool_word(s, n) >= 0 ? RB_SCALAR_BOOL : RB_SCALAR_STRING;
	case '.':
		if (is_inf(s, n) || is_nan(s, n))
			return RB_SCALAR_FLOAT;
		if (n > RB_YAML_NUMBER_MAX || !float_syntax(s, n))
			return RB_SCALAR_STRING;
		char buf[RB_YAML_NUMBER_MAX + 1];
		memcpy(buf, s, n);
		buf[n] = '\0';
		return finite_float(buf, &f) ? RB_SCALAR_FLOAT : RB_SCALAR_STRING;
	case '+':
	case '-':
		if (signed_inf(s, n))
			return RB_SCALAR_FLOAT;
		return number_type(s, n, &i, &u, &is_unsigned, &f);
	default:
		if (s[0] >= '0' && s[0] <= '9')
			return number_type(s, n, &i, &u, &is_unsigned, &f);
		return RB_SCALAR_STRING;
	}
}

bool rb__yaml_bool_value(const char *s, size_t n)
{
	return bool_word(s, n) == 1;
}

bool rb__yaml_int_value(const char *s, size_t n, int64_t *i, uint64_t *u, bool *is_unsigned)
{
	if (n == 0 || !((s[0] >= '0' && s[0] <= '9') || s[0] == '+' || s[0] == '-'))
		return false;
	double f;
	return number_type(s, n, i, u, is_unsigned, &f) == RB_SCALAR_INT;
}

bool rb__yaml_float_value(const char *s, size_t n, double *out)
{
	if (n == 0)
		return false;
	int inf = signed_inf(s, n);
	if (inf) {
		*out = inf * (double)INFINITY;
		return true;
	}
	if (is_nan(s, n)) {
		*out = (double)NAN;
		return true;
	}
	if (s[0] == '.') {
		if (n > RB_YAML_NUMBER_MAX || !float_syntax(s, n))
			return false;
		char buf[RB_YAML_NUMBER_MAX + 1];
		memcpy(buf, s, n);
		buf[n] = '\0';
		return finite_float(buf, out);
	}
	int64_t i;
	uint64_t u;
	bool is_unsigned;
	return number_type(s, n, &i, &u, &is_unsigned, out) == RB_SCALAR_FLOAT;
}

/* The midpoint between FLT_MAX and 2^128 (0x1.ffffffp127): float32 rounds from it up. */
static const double FLOAT32_ROUNDS_TO_INF = 340282356779733661637539395458142568448.0;

size_t rb__go_format_float32(double v, char *buf, size_t size)
{
	/* float32(v): beyond the midpoint between FLT_MAX and 2^128 it rounds to infinity. */
	if (isnan(v))
		return (size_t)snprintf(buf, size, "NaN");
	if (fabs(v) >= FLOAT32_ROUNDS_TO_INF)
		return (size_t)snprintf(buf, size, v < 0 ? "-Inf" : "+Inf");
	float f = (float)v;
	if (f == 0)
		return (size_t)snprintf(buf, size, signbit(f) ? "-0" : "0");
	/* The shortest %e that reads back as f (at most 9 significant digits for a float32). */
	char e[40];
	for (int prec = 0; prec < 9; prec++) {
		snprintf(e, sizeof e, "%.*e", prec, (double)f);
		if (strtof(e, NULL) == f)
			break;
	}
	/* e is [-]d[.ddd]e[+-]xx: split into sign, digits and decimal exponent. */
	const char *p = e;
	bool neg = *p == '-';
	if (neg)
		p++;
	char dig[16];
	size_t nd = 0;
	for (; *p && *p != 'e'; p++)
		if (*p != '.' && nd < sizeof dig - 1)
			dig[nd++] = *p;
	dig[nd] = '\0';
	int exp = *p == 'e' ? atoi(p + 1) : 0;
	size_t k = 0;
	char out[64];
	if (neg)
		out[k++] = '-';
	if (exp < -4 || exp >= 6) {
		out[k++] = dig[0];
		if (nd > 1) {
			out[k++] = '.';
			memcpy(out + k, dig + 1, nd - 1);
			k += nd - 1;
		}
		k += (size_t)snprintf(out + k, sizeof out - k, "e%c%02d", exp < 0 ? '-' : '+',
		                      exp < 0 ? -exp : exp);
	} else if (exp < 0) {
		out[k++] = '0';
		out[k++] = '.';
		for (int z = 0; z < -exp - 1; z++)
			out[k++] = '0';
		memcpy(out + k, dig, nd);
		k += nd;
	} else {
		/* exp + 1 digits before the point (padded with zeros), the rest after. */
		size_t whole = (size_t)exp + 1;
		for (size_t z = 0; z < whole; z++)
			out[k++] = z < nd ? dig[z] : '0';
		if (nd > whole) {
			out[k++] = '.';
			memcpy(out + k, dig + whole, nd - whole);
			k += nd - whole;
		}
	}
	out[k] = '\0';
	return (size_t)snprintf(buf, size, "%s", out);
}

/* The Go text of a plain scalar of type t; as a map key, infinities and NaN as go-yaml writes them.
 */
static size_t go_text(rb__scalar_type t, const char *s, size_t len, bool key, char *buf,
                      size_t size)
{
	switch (t) {
	case RB_SCALAR_BOOL:
		return (size_t)snprintf(buf, size, "%s",
		                        rb__yaml_bool_value(s, len) ? "true" : "false");
	case RB_SCALAR_INT: {
		int64_t i;
		uint64_t u;
		bool is_unsigned;
		if (!rb__yaml_int_value(s, len, &i, &u, &is_unsigned))
			return 0;
		if (is_unsigned)
			return (size_t)snprintf(buf, size, "%llu", (unsigned long long)u);
		return (size_t)snprintf(buf, size, "%lld", (long long)i);
	}
	case RB_SCALAR_FLOAT: {
		double f;
		if (!rb__yaml_float_value(s, len, &f))
			return 0;
		size_t k = rb__go_format_float32(f, buf, size);
		if (key && (buf[0] == '+' || buf[0] == 'N' || (buf[0] == '-' && buf[1] == 'I')))
			k = (size_t)snprintf(buf, size, "%s",
			                     buf[0] == '+'   ? ".inf"
			                     : buf[0] == 'N' ? ".nan"
			                                     : "-.inf");
		return k;
	}
	default:
		return 0;
	}
}

size_t rb__yaml_go_string(const rb__node *n, char *buf, size_t size)
{
	if (!n || n->kind != RB_NODE_SCALAR || !n->from_yaml)
		return 0;
	return go_text((rb__scalar_type)n->stype, n->scalar.text, n->scalar.len, false, buf, size);
}

size_t rb__yaml_go_key(const char *s, size_t n, char *buf, size_t size)
{
	if (n == 0)
		return 0;
	char c = s[0];
	if (!((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')) {
		/* Keys are mostly words: only a boolean one changes. */
		int b = bool_word(s, n);
		return b < 0 ? 0 : (size_t)snprintf(buf, size, "%s", b ? "true" : "false");
	}
	rb__scalar_type t = rb__yaml_resolve_plain(s, n);
	if (t != RB_SCALAR_INT && t != RB_SCALAR_FLOAT && t != RB_SCALAR_BOOL)
		return 0;
	return go_text(t, s, n, true, buf, size);
}
