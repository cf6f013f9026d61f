/*
 * The keyed hash of the tables (lib/core/hash.c) against hash flooding: keys
 * crafted to collide under the unseeded hash of earlier releases must spread
 * once keyed, counted in probes (not timed); the key is random per context
 * and fixed by rb_ctx_set_hash_seed.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ctx.h"
#include "core/hash.h"
#include "core/map.h"
#include "core/mem.h"
#include "rebalance/rebalance.h"
#include "testutil.h"

/* The hash of rebalance up to this change, unkeyed: what an attacker could
 * compute offline. */
static uint64_t unseeded_hash(const char *s, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ull;
	size_t left = n;
	while (left >= 8) {
		uint64_t w;
		memcpy(&w, s, 8);
		h = (h ^ w) * 0x9fb21c651e98df25ull;
		h ^= h >> 28;
		s += 8;
		left -= 8;
	}
	uint64_t w = 0;
	if (left)
		memcpy(&w, s, left);
	h = (h ^ w ^ ((uint64_t)n << 56)) * 0x9fb21c651e98df25ull;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	return h;
}

#define CRAFTED    2000
#define CRAFT_MASK 0xfffu /* a table of 4096 slots holds 2000 keys */
#define KEY_LEN    32

/* Label-like keys whose unseeded hashes share their low 12 bits: all of them
 * land on one home slot of a 4096-slot table. */
static char (*crafted_keys(void))[KEY_LEN]
{
	char(*keys)[KEY_LEN] = calloc(CRAFTED, KEY_LEN);
	ck_assert_ptr_nonnull(keys);
	size_t found = 0;
	for (uint64_t i = 0; found < CRAFTED; i++) {
		char k[KEY_LEN];
		int n = snprintf(k, sizeof k, "app.kubernetes.io/%llx", (unsigned long long)i);
		if ((unseeded_hash(k, (size_t)n) & CRAFT_MASK) == 0)
			memcpy(keys[found++], k, (size_t)n + 1);
	}
	return keys;
}

static size_t probes_with(const rb__mem *mem, char (*keys)[KEY_LEN])
{
	rb__map m;
	rb__map_init(&m, mem);
	for (size_t i = 0; i < CRAFTED; i++)
		ck_assert(rb__map_put(&m, keys[i], strlen(keys[i]), keys[i]));
	ck_assert_uint_eq(m.cap, CRAFT_MASK + 1);
	for (size_t i = 0; i < CRAFTED; i++)
		ck_assert_ptr_eq(rb__map_get(&m, keys[i], strlen(keys[i])), keys[i]);
	size_t probes = rb__map_probe_total(&m);
	rb__map_free(&m);
	return probes;
}

START_TEST(crafted_keys_spread_under_the_keyed_hash)
{
	char(*keys)[KEY_LEN] = crafted_keys();
	/* Linear probing with one home slot: 0 + 1 + ... + 1999 steps. */
	size_t flooded = (size_t)CRAFTED * (CRAFTED - 1) / 2;

	rb_ctx *ctx;
	ck_assert_int_eq(rb_ctx_new(&ctx, NULL), RB_OK);
	size_t keyed = probes_with(&ctx->mem, keys);
	/* At a load of one half, linear probing averages half a step per key;
	 * allow 4 steps (and so the test fails long before quadratic). */
	ck_assert_msg(keyed < 4 * CRAFTED, "%zu probes for %d keys", keyed, CRAFTED);
	ck_assert_uint_lt(keyed * 100, flooded);

	/* The same with a fixed seed (tests' reproducible key). */
	ck_assert_int_eq(rb_ctx_set_hash_seed(ctx, 1), RB_OK);
	keyed = probes_with(&ctx->mem, keys);
	ck_assert_msg(keyed < 4 * CRAFTED, "%zu probes with seed 1", keyed);

	/* And the low bits a loader duplicate-key table uses: no slot of 4096
	 * gets more than a handful of the 2000 keys. */
	unsigned short *per_slot = calloc(CRAFT_MASK + 1, sizeof *per_slot);
	ck_assert_ptr_nonnull(per_slot);
	unsigned most = 0;
	for (size_t i = 0; i < CRAFTED; i++) {
		uint64_t h = rb__hash(&ctx->mem.hash_key, keys[i], strlen(keys[i]));
		unsigned c = ++per_slot[h & CRAFT_MASK];
		most = c > most ? c : most;
	}
	ck_assert_uint_le(most, 12);
	free(per_slot);
	rb_ctx_free(ctx);
	free(keys);
}
END_TEST

START_TEST(each_context_draws_its_own_key)
{
	rb_ctx *a, *b;
	ck_assert_int_eq(rb_ctx_new(&a, NULL), RB_OK);
	ck_assert_int_eq(rb_ctx_new(&b, NULL), RB_OK);
	const char *k = "default/backend";
	ck_assert_uint_ne(rb__hash(&a->mem.hash_key, k, strlen(k)),
	                  rb__hash(&b->mem.hash_key, k, strlen(k)));
	ck_assert_int_eq(rb_ctx_set_hash_seed(a, 42), RB_OK);
	ck_assert_int_eq(rb_ctx_set_hash_seed(b, 42), RB_OK);
	ck_assert_uint_eq(rb__hash(&a->mem.hash_key, k, strlen(k)),
	                  rb__hash(&b->mem.hash_key, k, strlen(k)));
	ck_assert_int_eq(rb_ctx_set_hash_seed(NULL, 42), RB_EINVAL);

	/* A table made before a new seed keeps finding its keys. */
	rb__map m;
	rb__map_init(&m, &a->mem);
	ck_assert(rb__map_put(&m, k, strlen(k), (void *)k));
	ck_assert_int_eq(rb_ctx_set_hash_seed(a, 43), RB_OK);
	ck_assert_ptr_eq(rb__map_get(&m, k, strlen(k)), k);
	rb__map_free(&m);
	rb_ctx_free(a);
	rb_ctx_free(b);
}
END_TEST

/* Every length from 0 to 64 reads only its own bytes and all of them: a
 * change to any byte changes the hash, bytes past the end do not. */
START_TEST(every_byte_counts_and_no_other)
{
	rb__hash_key key;
	rb__hash_key_from_seed(&key, 7);
	char buf[80];
	for (size_t n = 0; n <= 64; n++) {
		memset(buf, 'a', sizeof buf);
		uint64_t h = rb__hash(&key, buf, n);
		buf[n] = 'b';
		ck_assert_uint_eq(rb__hash(&key, buf, n), h);
		buf[n] = 'a';
		for (size_t i = 0; i < n; i++) {
			buf[i] = 'b';
			ck_assert_msg(rb__hash(&key, buf, n) != h, "length %zu byte %zu", n, i);
			buf[i] = 'a';
		}
		if (n)
			ck_assert_uint_ne(rb__hash(&key, buf, n - 1), h);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("hash");
	TCase *tc = tcase_create("flooding");
	tcase_add_test(tc, crafted_keys_spread_under_the_keyed_hash);
	tcase_add_test(tc, each_context_draws_its_own_key);
	tcase_add_test(tc, every_byte_counts_and_no_other);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
