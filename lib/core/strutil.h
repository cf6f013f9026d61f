/* Small string helpers (ASCII only, no locale). */
#ifndef RB_CORE_STRUTIL_H
#define RB_CORE_STRUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

static inline char rb__ascii_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static inline int rb__ascii_casecmp_n(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char x = rb__ascii_lower(a[i]), y = rb__ascii_lower(b[i]);
		if (x != y)
			return (unsigned char)x - (unsigned char)y;
	}
	return 0;
}

/* s[0..n) equals `word` (a lower-case word) ignoring ASCII case. */
static inline bool rb__ascii_ieq_n(const char *s, size_t n, const char *word)
{
	return strlen(word) == n && rb__ascii_casecmp_n(s, word, n) == 0;
}

static inline bool rb__ascii_caseeq(const char *a, const char *b)
{
	size_t n = strlen(a);
	return n == strlen(b) && rb__ascii_casecmp_n(a, b, n) == 0;
}

/* NULL-safe equality; NULL equals "". */
static inline bool rb__str_eq(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

static inline bool rb__str_empty(const char *s)
{
	return !s || !*s;
}

static inline bool rb__has_prefix(const char *s, const char *prefix)
{
	return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

static inline bool rb__has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

#endif
