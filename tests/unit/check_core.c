/*
 * Core (lib/core): the arena (alignment, strings from the top, marks and
 * rewinds, big chunks, interning, printf), with the default allocator and
 * with a caller's allocator.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/map.h"
#include "core/mem.h"
#include "core/vec.h"
#include "testutil.h"

static bool aligned(const void *p)
{
	return ((uintptr_t)p % RB_ARENA_ALIGN) == 0;
}

START_TEST(alloc_is_aligned_between_strings)
{
	rb__mem mem;
	rb__mem_default(&mem);
	rb__arena a;
	rb__arena_init(&a, &mem);
	for (int i = 0; i < 10000; i++) {
		char *s = rb__arena_strndup(&a, "abcdefghij", (size_t)(i % 11));
		ck_assert_ptr_nonnull(s);
		ck_assert_uint_eq(strlen(s), (size_t)(i % 11));
		uint64_t *p = rb__arena_alloc(&a, (size_t)(i % 5) * 8 + 1);
		ck_assert_ptr_nonnull(p);
		ck_assert(aligned(p));
		*p = (uint64_t)i; /* writes must not clobber the string */
		ck_assert_uint_eq(strlen(s), (size_t)(i % 11));
	}
	/* Zero-size allocations are distinct. */
	void *z1 = rb__arena_alloc(&a, 0), *z2 = rb__arena_alloc(&a, 0);
	ck_assert_ptr_ne(z1, z2);
	rb__arena_free(&a);
}
END_TEST

/* Consecutive equal values share one copy; a different one (count, bytes,
 * or the item comparison) is copied and becomes the one shared next. */
static bool first_char_same(const void *a, const void *b)
{
	return *(const char *)a == *(const char *)b;
}

START_TEST(share_keeps_one_copy_of_equal_values)
{
	rb__mem mem;
	rb__mem_default(&mem);
	rb__arena a;
	rb__arena_init(&a, &mem);
	rb__arena_last last = {NULL, 0};
	int v1[3] = {1, 2, 3}, v2[3] = {1, 2, 3}, v3[3] = {1, 2, 4};
	const int *p1 = rb__arena_share(&a, &last, v1, 3, sizeof(int), NULL);
	ck_assert_ptr_nonnull(p1);
	ck_assert_ptr_ne(p1, v1);
	ck_assert_ptr_eq(rb__arena_share(&a, &last, v2, 3, sizeof(int), NULL), p1);
	const int *p3 = rb__arena_share(&a, &last, v3, 3, sizeof(int), NULL);
	ck_assert_ptr_ne(p3, p1);
	ck_assert_int_eq(p3[2], 4);
	ck_assert_ptr_ne(rb__arena_share(&a, &last, v3, 2, sizeof(int), NULL), p3);
	/* With an item comparison: equal by it, not by bytes. */
	rb__arena_last words = {NULL, 0};
	const char *w = rb__arena_share(&a, &words, "ab", 2, 1, first_char_same);
	ck_assert_ptr_eq(rb__arena_share(&a, &words, "ab", 2, 1, first_char_same), w);
	ck_assert_ptr_ne(rb__arena_share(&a, &words, "xb", 2, 1, first_char_same), w);
	/* An empty value is kept too. */
	rb__arena_last none = {NULL, 0};
	const void *e = rb__arena_share(&a, &none, v1, 0, sizeof(int), NULL);
	ck_assert_ptr_nonnull(e);
	ck_assert_ptr_eq(rb__arena_share(&a, &none, v2, 0, sizeof(int), NULL), e);
	rb__arena_free(&a);
}
END_TEST

START_TEST(rewind_releases_strings_and_structs)
{
	rb__mem mem;
	rb__mem_default(&mem);
	rb__arena a;
	rb__arena_init(&a, &mem);
	char *keep = rb__arena_strdup(&a, "kept");
	int *k = rb__arena_alloc(&a, sizeof *k);
	*k = 42;
	rb__arena_mark m = rb__arena_get_mark(&a);
	for (int round = 0; round < 3; round++) {
		/* Enough to need several new chunks, both kinds mixed. */
		for (int i = 0; i < 20000; i++) {
			ck_assert_ptr_nonnull(rb__arena_strdup(&a, "some string of text"));
			ck_assert_ptr_nonnull(rb__arena_calloc(&a, 3, 8));
		}
		rb__arena_rewind(&a, m);
		/* The same space is handed out again after a rewind. */
		char *s = rb__arena_strdup(&a, "x");
		int *p = rb__arena_alloc(&a, sizeof *p);
		ck_assert_ptr_nonnull(s);
		ck_assert_ptr_nonnull(p);
		ck_assert_str_eq(keep, "kept");
		ck_assert_int_eq(*k, 42);
		rb__arena_rewind(&a, m);
	}
	rb__arena_free(&a);
}
END_TEST

START_TEST(big_allocations)
{
	rb__mem mem;
	rb__mem_default(&mem);
	rb__arena a;
	rb__arena_init(&a, &mem);
	/* Bigger than any regular chunk, and at the size of the paged path. */
	size_t sizes[] = {5u << 20, RB_MEM_PAGES, RB_MEM_PAGES - 64, 100};
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		unsigned char *p = rb__arena_alloc(&a, sizes[i]);
		ck_assert_ptr_nonnull(p);
		ck_assert(aligned(p));
		memset(p, 0xAB, sizes[i]);
		size_t n = sizes[i] < 1000 ? sizes[i] : 1000;
		char *s = rb__arena_strndup(&a, (const char *)p, n);
		ck_assert_ptr_nonnull(s);
		ck_assert_uint_eq(strlen(s), n);
	}
	ck_assert_ptr_null(rb__arena_alloc(&a, SIZE_MAX - 2));
	ck_assert_ptr_null(rb__arena_strndup(&a, "", SIZE_MAX));
	rb__arena_free(&a);
	rb__arena_free(&a); /* twice is harmless */
}
END_TEST

START_TEST(intern_shares_equal_strings)
{
	rb__mem mem;
	rb__mem_default(&mem);
	rb__arena a;
	rb__arena_init(&a, &mem);
	const char *x = rb__arena_intern(&a, "namespace-1xyz", 11);
	const char *y = rb__arena_intern(&a, "namespace-1", 11);
	ck_assert_str_eq(x, "namespace-1");
	ck_assert_ptr_eq(x, y);
	const char *e1 = rb__arena_intern(&a, "", 0), *e2 = rb__arena_intern(&a, "", 0);
	ck_assert_str_eq(e1, "");
	ck_assert_ptr_eq(e1, e2);
	ck_assert_str_eq(rb__arena_intern(&a, "namespace-2", 11), "namespace-2");
	/* Strings with NUL bytes and long strings are still copied exactly. */
	const char nul[] = {'a', '\0', 'b'};
	const char *n1 = rb__arena_intern(&a, nul, 3);
	ck_assert_int_eq(memcmp(n1, nul, 3), 0);
	ck_assert_int_eq(n1[3], '\0');
	char longer[200];
	memset(longer, 'q', sizeof longer);
	const char *l = rb__arena_intern(&a, longer, sizeof longer);
	ck_assert_uint_eq(strlen(l), sizeof longer);
	/* Many distinct strings: every result is right, whatever the cache keeps. */
	for (int i = 0; i < 50000; i++) {
		char buf[32];
		int n = snprintf(buf, sizeof buf, "name-%d", i % 7000);
		const char *s = rb__arena_intern(&a, buf, (size_t)n);
		ck_assert_str_eq(s, buf);
	}
	/* After a rewind, the cache never hands out released memory. */
	rb__arena_mark m = rb__arena_get_mark(&a);
	const char *before = rb__arena_intern(&a, "after-mark", 10);
	ck_assert_str_eq(before, "after-mark");
	rb__arena_rewind(&a, m);
	char *over = rb__arena_strdup(&a, "XXXXXXXXXX");
	ck_assert_ptr_nonnull(over);
	ck_assert_str_eq(rb__arena_intern(&a, "after-mark", 10), "after-mark");
	ck_assert_str_eq(over, "XXXXXXXXXX");
	/* Dropping the cache: the strings stay, new ones are copied again. */
	const char *kept = rb__arena_intern(&a, "kept", 4);
	rb__arena_intern_done(&a);
	rb__arena_intern_done(&a);
	ck_assert_str_eq(kept, "kept");
	const char *again = rb__arena_intern(&a, "kept", 4);
	ck_assert_str_eq(again, "kept");
	ck_assert_ptr_eq(rb__arena_intern(&a, "kept", 4), again);
	rb__arena_free(&a);
}
END_TEST

START_TEST(printf_fast_and_slow_paths)
{
	rb__mem mem;
	rb__mem_default(&mem);
	rb__arena a;
	rb__arena_init(&a, &mem);
	ck_assert_str_eq(rb__arena_printf(&a, "%s/%s/rule/%d", "ns", "name", -3), "ns/name/rule/-3");
	ck_assert_str_eq(rb__arena_printf(&a, "%zu %u %lu %llu %c%%", (size_t)7, 8u, 9ul, 10ull, 'z'),
	                 "7 8 9 10 z%");
	ck_assert_str_eq(rb__arena_printf(&a, "[%.*s]", 3, "abcdef"), "[abc]");
	ck_assert_str_eq(rb__arena_printf(&a, "%s", ""), "");
	/* Longer than the one-pass buffer. */
	char big[1000];
	memset(big, 'b', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	char *r = rb__arena_printf(&a, "<%s>%d", big, 12);
	ck_assert_uint_eq(strlen(r), 1003);
	ck_assert_int_eq(r[0], '<');
	ck_assert_str_eq(r + 1000, ">12");
	/* Conversions the fast path does not know go to vsnprintf. */
	ck_assert_str_eq(rb__arena_printf(&a, "%s=%05d", "x", 42), "x=00042");
	ck_assert_str_eq(rb__arena_printf(&a, "%x", 255u), "ff");
	rb__arena_free(&a);
}
END_TEST

START_TEST(hint_and_used)
{
	rb__mem mem;
	rb__mem_default(&mem);
	rb__arena a;
	rb__arena_init(&a, &mem);
	ck_assert_uint_eq(rb__arena_used(&a), 0);
	rb__arena_hint(&a, 0);
	rb__arena_hint(&a, 64u << 20);
	ck_assert_ptr_nonnull(rb__arena_alloc(&a, 10));
	ck_assert_ptr_nonnull(rb__arena_strdup(&a, "abc"));
	/* 10 rounded up to the alignment, and the string with its NUL. */
	ck_assert_uint_eq(rb__arena_used(&a), 16 + 4);
	/* One chunk holds a lot after a big hint (the first struct after the
	 * string is aligned: 4 bytes of padding). */
	for (int i = 0; i < 100000; i++)
		ck_assert_ptr_nonnull(rb__arena_alloc(&a, 24));
	ck_assert_uint_eq(rb__arena_used(&a), 16 + 4 + 4 + 2400000);
	rb__arena_free(&a);
}
END_TEST

START_TEST(vec_grows_across_the_page_threshold)
{
	rb__mem mem;
	rb__mem_default(&mem);
	rb__vec v = RB_VEC_INIT;
	size_t n = 3 * RB_MEM_PAGES / sizeof(uint64_t);
	for (size_t i = 0; i < n; i++) {
		uint64_t *p = rb__vec_push(&mem, &v, sizeof *p);
		ck_assert_ptr_nonnull(p);
		ck_assert_uint_eq(*p, 0);
		*p = i;
	}
	for (size_t i = 0; i < n; i += 4099)
		ck_assert_uint_eq(RB_VEC_AT(&v, uint64_t, i), i);
	ck_assert(rb__vec_reserve(&mem, &v, 5 * n, sizeof(uint64_t)));
	ck_assert_uint_ge(v.cap, 6 * n);
	ck_assert_uint_eq(RB_VEC_AT(&v, uint64_t, n - 1), n - 1);
	ck_assert(!rb__vec_reserve(&mem, &v, SIZE_MAX, sizeof(uint64_t)));
	rb__vec_free(&mem, &v);
	ck_assert_ptr_null(v.data);
	rb__vec_free(&mem, &v);
}
END_TEST

START_TEST(adopt_vec_moves_storage)
{
	rb__mem mem;
	rb__mem_default(&mem);
	rb__arena a;
	rb__arena_init(&a, &mem);
	int rc = 0;
	rb__vec empty = RB_VEC_INIT;
	ck_assert_ptr_null(rb__arena_adopt_vec(&a, &empty, &rc));
	ck_assert_int_eq(rc, 0);
	/* A small vector and one on pages: both freed with the arena. */
	size_t sizes[] = {100, RB_MEM_PAGES};
	for (size_t k = 0; k < 2; k++) {
		rb__vec v = RB_VEC_INIT;
		for (size_t i = 0; i < sizes[k]; i++)
			*(size_t *)rb__vec_push(&mem, &v, sizeof(size_t)) = i;
		void *data = v.data;
		size_t *got = rb__arena_adopt_vec(&a, &v, &rc);
		ck_assert_int_eq(rc, 0);
		ck_assert_ptr_eq(got, data);
		ck_assert_ptr_null(v.data);
		ck_assert_uint_eq(v.len, 0);
		ck_assert_uint_eq(got[sizes[k] - 1], sizes[k] - 1);
		rb__vec_free(&mem, &v); /* harmless: empty */
	}
	/* A rewind leaves adopted storage alone. */
	rb__arena_rewind(&a, rb__arena_get_mark(&a));
	rb__arena_free(&a);
}
END_TEST

START_TEST(map_short_and_long_keys)
{
	rb__mem mem;
	rb__mem_default(&mem);
	rb__map m;
	rb__map_init(&m, &mem);
	enum { N = 70000 }; /* past the size where the slots go to pages */
	static char keys[N][48];
	for (int i = 0; i < N; i++) {
		/* Short keys (inline in the slot) and long ones (compared through the pointer). */
		snprintf(keys[i], sizeof keys[i], i % 3 ? "ns-%d/svc-%d" : "a-much-longer-namespace-%d/service-%d", i % 97, i);
		ck_assert(rb__map_put(&m, keys[i], strlen(keys[i]), (void *)(uintptr_t)(i + 1)));
	}
	ck_assert_uint_eq(m.len, N);
	for (int i = 0; i < N; i++) {
		char probe[48];
		memcpy(probe, keys[i], sizeof probe); /* another copy: compared by bytes, not address */
		ck_assert_ptr_eq(rb__map_get(&m, probe, strlen(probe)), (void *)(uintptr_t)(i + 1));
	}
	ck_assert_ptr_null(rb__map_get(&m, "ns-1/svc-x", 10));
	/* Same prefix, other length. */
	ck_assert_ptr_null(rb__map_get(&m, keys[1], strlen(keys[1]) - 1));
	/* Replacing keeps one entry. */
	ck_assert(rb__map_put(&m, keys[5], strlen(keys[5]), (void *)7));
	ck_assert_uint_eq(m.len, N);
	ck_assert_ptr_eq(rb__map_get(&m, keys[5], strlen(keys[5])), (void *)7);
	rb__map_free(&m);
	ck_assert_ptr_null(rb__map_get(&m, keys[5], strlen(keys[5])));
	rb__map_free(&m);
}
END_TEST

/* A caller's allocator that counts what it holds: big chunks come from it too. */
typedef struct counting {
	size_t live;
	size_t calls;
} counting;

static void *counting_realloc(void *ud, void *p, size_t old, size_t n)
{
	counting *c = ud;
	c->calls++;
	if (n == 0) {
		c->live -= old;
		free(p);
		return NULL;
	}
	void *q = realloc(p, n);
	if (q)
		c->live = c->live - old + n;
	return q;
}

START_TEST(caller_allocator_gets_every_chunk)
{
	counting c = {0, 0};
	rb__mem mem = {{counting_realloc, &c}};
	rb__arena a;
	rb__arena_init(&a, &mem);
	ck_assert_ptr_nonnull(rb__arena_alloc(&a, 3u << 20));
	for (int i = 0; i < 1000; i++)
		ck_assert_ptr_nonnull(rb__arena_intern(&a, "shared", 6));
	ck_assert_uint_ge(c.live, 3u << 20);
	rb__vec v = RB_VEC_INIT;
	ck_assert(rb__vec_reserve(&mem, &v, 2 * RB_MEM_PAGES, 1));
	ck_assert_uint_eq(v.paged, 0);
	ck_assert_uint_ge(c.live, (3u << 20) + 2 * RB_MEM_PAGES);
	rb__vec_free(&mem, &v);
	rb__arena_free(&a);
	ck_assert_uint_eq(c.live, 0);
	ck_assert_uint_gt(c.calls, 0);
}
END_TEST

START_TEST(pages_round_trip)
{
	rb__mem mem;
	rb__mem_default(&mem);
	size_t sizes[] = {1, 4096, RB_MEM_PAGES - 1, RB_MEM_PAGES, RB_MEM_PAGES + 1, 3 * RB_MEM_PAGES};
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		size_t size = sizes[i];
		bool paged;
		unsigned char *p = rb__mem_pages_alloc(&mem, &size, &paged);
		ck_assert_ptr_nonnull(p);
		ck_assert_uint_ge(size, sizes[i]);
		if (paged)
			ck_assert_uint_eq(size % RB_MEM_PAGES, 0);
		else
			ck_assert_uint_eq(size, sizes[i]);
		memset(p, 1, size);
		rb__mem_pages_free(&mem, p, size, paged);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("core");
	TCase *tc = tcase_create("arena");
	tcase_add_test(tc, alloc_is_aligned_between_strings);
	tcase_add_test(tc, rewind_releases_strings_and_structs);
	tcase_add_test(tc, big_allocations);
	tcase_add_test(tc, intern_shares_equal_strings);
	tcase_add_test(tc, printf_fast_and_slow_paths);
	tcase_add_test(tc, hint_and_used);
	tcase_add_test(tc, adopt_vec_moves_storage);
	tcase_add_test(tc, share_keeps_one_copy_of_equal_values);
	suite_add_tcase(s, tc);
	tc = tcase_create("mem");
	tcase_add_test(tc, caller_allocator_gets_every_chunk);
	tcase_add_test(tc, pages_round_trip);
	tcase_add_test(tc, vec_grows_across_the_page_threshold);
	tcase_add_test(tc, map_short_and_long_keys);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
