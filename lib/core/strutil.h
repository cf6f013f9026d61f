/* Small string helpers (ASCII only, no locale). */
#ifndef RB_CORE_STRUTIL_H
#define RB_CORE_STRUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* 8 and 4 bytes of a text as one integer (unaligned, in the machine's byte order): for hashing
 * several bytes at a time. */
static inline uint64_t rb__read_u64(const char *p)
{
	uint64_t w;
	memcpy(&w, p, 8);
	return w;
}

static inline uint64_t rb__read_u32(const char *p)
{
	uint32_t w;
	memcpy(&w, p, 4);
	return w;
}

/*
 * memcpy for the short texts of documents (keys, names, addresses): up to 16
 * bytes inline, with two overlapping loads, no call; memcpy beyond.
 */
static inline void rb__copy_short(char *d, const char *s, size_t n)
{
	if (n >= 8 && n <= 16) {
		uint64_t a, z;
		memcpy(&a, s, 8);
		memcpy(&z, s + n - 8, 8);
		memcpy(d, &a, 8);
		memcpy(d + n - 8, &z, 8);
	} else if (n >= 4 && n < 8) {
		uint32_t a, z;
		memcpy(&a, s, 4);
		memcpy(&z, s + n - 4, 4);
		memcpy(d, &a, 4);
		memcpy(d + n - 4, &z, 4);
	} else if (n) {
		memcpy(d, s, n); /* s may be NULL when n is 0 */
	}
}

/* memcmp(a, b, n) == 0 for short texts (keys): up to 16 bytes inline, as rb__copy_short. */
static inline bool rb__eq_short(const char *a, const char *b, size_t n)
{
	if (n >= 8 && n <= 16) {
		uint64_t a0, a1, b0, b1;
		memcpy(&a0, a, 8);
		memcpy(&a1, a + n - 8, 8);
		memcpy(&b0, b, 8);
		memcpy(&b1, b + n - 8, 8);
		return ((a0 ^ b0) | (a1 ^ b1)) == 0;
	}
	if (n >= 4 && n < 8) {
		uint32_t a0, a1, b0, b1;
		memcpy(&a0, a, 4);
		memcpy(&a1, a + n - 4, 4);
		memcpy(&b0, b, 4);
		memcpy(&b1, b + n - 4, 4);
		return ((a0 ^ b0) | (a1 ^ b1)) == 0;
	}
	return n == 0 || memcmp(a, b, n) == 0;
}

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

/* Equality where an absent string (NULL) equals only another absent one. */
static inline bool rb__str_same(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
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
