/*
 * rb-bench flood [KEYS [REPEATS]]: one Service whose labels hold KEYS keys
 * (default 100000), plain or crafted, loaded with rb_input_add_buffer; prints
 * the median CPU time of each and their ratio.
 *
 * The crafted keys collide under the unseeded hash of releases before the
 * keyed one (lib/core/hash.c): their hashes all end in 20 zero bits, so the
 * loader's duplicate-key table put them on one home slot and loading was
 * quadratic (100,000 keys: over 40 s). With a per-context random key the
 * ratio stays near 1. They are 16 bytes: 8 free ones, then 8 that cancel the
 * hash state the first 8 leave, chosen among 256 precomputed endings so that
 * every byte is below 0x80 (JSON escapes the control characters among them).
 * fuzz/hostile.py builds the same keys.
 */
#define _POSIX_C_SOURCE 200809L
#include "flood.h"

#include <rebalance/rebalance.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define H0  0x9e3779b97f4a7c15ull
#define MUL 0x9fb21c651e98df25ull
#define FA  0xff51afd7ed558ccdull
#define FB  0xc4ceb9fe1a85ec53ull

/* The inverse of an odd multiplier modulo 2^64 (Newton's iteration). */
static uint64_t inverse(uint64_t a)
{
	uint64_t x = a;
	for (int i = 0; i < 5; i++)
		x *= 2 - a * x;
	return x;
}

static uint64_t step(uint64_t x)
{
	x *= MUL;
	return x ^ (x >> 28);
}

static uint64_t unstep(uint64_t y)
{
	y ^= (y >> 28) ^ (y >> 56);
	return y * inverse(MUL);
}

static unsigned high_bits(uint64_t x)
{
	unsigned p = 0;
	for (int i = 0; i < 8; i++)
		p |= (unsigned)((x >> (8 * i + 7)) & 1) << i;
	return p;
}

static uint64_t next_random(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* For each pattern of byte high bits, a state before the last step whose
 * final hash (16-byte keys) ends in 20 zero bits. */
static void endings(uint64_t z[256])
{
	bool have[256] = {false};
	unsigned count = 0;
	uint64_t rnd = 0x2545f4914f6cdd1dull;
	while (count < 256) {
		uint64_t h = (next_random(&rnd) >> 20) << 20;
		h ^= h >> 33;
		h *= inverse(FB);
		h ^= h >> 33;
		h *= inverse(FA);
		h ^= h >> 33;
		h *= inverse(MUL);
		uint64_t s = unstep(h ^ ((uint64_t)16 << 56));
		unsigned p = high_bits(s);
		if (!have[p]) {
			have[p] = true;
			z[p] = s;
			count++;
		}
	}
}

/* key i (16 bytes) into out; false when its ending holds a NUL (refused). */
static bool crafted(const uint64_t z[256], size_t i, unsigned char out[16])
{
	char first[9];
	snprintf(first, sizeof first, "k%07zx", i & 0xfffffff);
	uint64_t w;
	memcpy(&w, first, 8);
	uint64_t s1 = step(H0 ^ w);
	uint64_t last = s1 ^ z[high_bits(s1)];
	memcpy(out, first, 8);
	memcpy(out + 8, &last, 8); /* little-endian, as the hash read it */
	return memchr(out + 8, 0, 8) == NULL;
}

static void json_key(FILE *f, const unsigned char *k, size_t n)
{
	fputc('"', f);
	for (size_t i = 0; i < n; i++) {
		if (k[i] < 0x20 || k[i] == '"' || k[i] == '\\')
			fprintf(f, "\\u%04x", k[i]);
		else
			fputc(k[i], f);
	}
	fputs("\": \"v\"", f);
}

static char *document(size_t keys, bool attack, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	if (!f)
		return NULL;
	uint64_t z[256];
	endings(z);
	fputs("{\"apiVersion\": \"v1\", \"kind\": \"Service\", \"metadata\": {\"namespace\": "
	      "\"n\", \"name\": \"s\", \"labels\": {",
	      f);
	size_t made = 0;
	for (size_t i = 0; made < keys; i++) {
		unsigned char k[16];
		if (attack) {
			if (!crafted(z, i, k))
				continue;
		} else {
			char plain[17];
			snprintf(plain, sizeof plain, "k%07zx-plain-k", i & 0xfffffff);
			memcpy(k, plain, 16);
		}
		fputs(made ? ", " : "", f);
		json_key(f, k, 16);
		made++;
	}
	fputs("}}, \"spec\": {\"ports\": [{\"port\": 80}]}}", f);
	fclose(f);
	return buf;
}

static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double load_once(const char *buf, size_t len)
{
	rb_ctx *ctx;
	rb_input *in;
	if (rb_ctx_new(&ctx, NULL) || rb_input_new(&in, ctx))
		return -1;
	double t0 = cpu_now();
	int rc = rb_input_add_buffer(in, buf, len, "flood", RB_INPUT_JSON);
	double t = cpu_now() - t0;
	if (rc)
		fprintf(stderr, "rb-bench flood: %s\n", rb_diag_message(rb_input_diag(in, 0)));
	rb_input_free(in);
	rb_ctx_free(ctx);
	return rc ? -1 : t;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int cmd_flood(size_t keys, int repeats)
{
	if (repeats < 1 || repeats > 64)
		repeats = 5;
	double median[2];
	for (int attack = 0; attack < 2; attack++) {
		size_t len;
		char *buf = document(keys, attack, &len);
		if (!buf)
			return 1;
		double t[64];
		for (int r = 0; r < repeats; r++)
			if ((t[r] = load_once(buf, len)) < 0) {
				free(buf);
				return 1;
			}
		free(buf);
		qsort(t, (size_t)repeats, sizeof *t, by_value);
		median[attack] = t[repeats / 2];
		printf("%-8s %zu label keys, %zu bytes: %.3f s\n", attack ? "crafted" : "plain",
		       keys, len, median[attack]);
	}
	printf("crafted/plain: %.2fx\n", median[1] / (median[0] > 0 ? median[0] : 1e-9));
	return 0;
}
