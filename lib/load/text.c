#include "load/text.h"

#include <string.h>


rb__ld_loc rb__text_loc(const unsigned char *s, size_t len, size_t off, bool yaml_breaks)
{
	rb__ld_loc loc = {1, 1, off};
	size_t i = rb__has_bom(s, len) ? 3 : 0;
	if (off > len)
		off = len;
	while (i < off) {
		unsigned char c = s[i];
		size_t brk = 0; /* bytes of a line break at i */
		if (c == '\n') {
			brk = 1;
		} else if (c == '\r') {
			brk = (i + 1 < len && s[i + 1] == '\n') ? 2 : 1;
		} else if (yaml_breaks && c == 0xC2 && i + 1 < len && s[i + 1] == 0x85) {
			brk = 2;
		} else if (yaml_breaks && c == 0xE2 && i + 2 < len && s[i + 1] == 0x80 &&
		           (s[i + 2] == 0xA8 || s[i + 2] == 0xA9)) {
			brk = 3;
		}
		if (brk) {
			if (i + brk > off) /* the offset is inside a CRLF: on the CR */
				break;
			i += brk;
			if (loc.line < UINT32_MAX)
				loc.line++;
			loc.column = 1;
			continue;
		}
		size_t k = c < 0x80 ? 1 : rb__utf8_seq(s + i, len - i);
		if (k == 0)
			k = 1;
		if (i + k > off)
			break;
		i += k;
		if (loc.column < UINT32_MAX)
			loc.column++;
	}
	return loc;
}

static bool all_in(const char *s, size_t n, const char *set)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!strchr(set, s[i]) || s[i] == '\0')
			return false;
	return true;
}

static bool eq(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

static bool eq_any3(const char *s, size_t n, const char *a, const char *b, const char *c)
{
	return eq(s, n, a) || eq(s, n, b) || eq(s, n, c);
}

static size_t digits(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	return i;
}

/* [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? */
static bool is_float(const char *s, size_t n)
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

rb__scalar_type rb__yaml_resolve_plain(const char *s, size_t n)
{
	if (n == 0)
		return RB_SCALAR_NULL;
	switch (s[0]) {
	case '~':
	case 'n':
	case 'N':
		if (eq(s, n, "~") || eq_any3(s, n, "null", "Null", "NULL"))
			return RB_SCALAR_NULL;
		return RB_SCALAR_STRING;
	case 't':
	case 'T':
		return eq_any3(s, n, "true", "True", "TRUE") ? RB_SCALAR_BOOL : RB_SCALAR_STRING;
	case 'f':
	case 'F':
		return eq_any3(s, n, "false", "False", "FALSE") ? RB_SCALAR_BOOL : RB_SCALAR_STRING;
	case '.':
		if (eq_any3(s, n, ".inf", ".Inf", ".INF") || eq_any3(s, n, ".nan", ".NaN", ".NAN"))
			return RB_SCALAR_FLOAT;
		return is_float(s, n) ? RB_SCALAR_FLOAT : RB_SCALAR_STRING;
	case '-':
	case '+':
		if (n > 1 && s[1] == '.' && (eq_any3(s + 1, n - 1, ".inf", ".Inf", ".INF")))
			return RB_SCALAR_FLOAT;
		break;
	case '0':
		if (n > 2 && s[1] == 'o' && all_in(s + 2, n - 2, "01234567"))
			return RB_SCALAR_INT;
		if (n > 2 && s[1] == 'x' && all_in(s + 2, n - 2, "0123456789abcdefABCDEF"))
			return RB_SCALAR_INT;
		break;
	default:
		if (s[0] < '0' || s[0] > '9')
			return RB_SCALAR_STRING;
		break;
	}
	size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
	if (i < n && digits(s + i, n - i) == n - i)
		return RB_SCALAR_INT;
	return is_float(s, n) ? RB_SCALAR_FLOAT : RB_SCALAR_STRING;
}
