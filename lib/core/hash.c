/* getrandom and arc4random are not in ISO C. */
#define _DEFAULT_SOURCE 1
#include "core/hash.h"

#include "core/strutil.h"

#include <string.h>
#include <time.h>

#if defined(__linux__)
#include <sys/random.h>
#endif
#if defined(__APPLE__) || defined(__FreeBSD__) || defined(__OpenBSD__) || defined(__NetBSD__)
#include <stdlib.h>
#define RB_HASH_ARC4RANDOM 1
#endif

/* splitmix64: spreads a seed (or a weak entropy word) over all 64 bits. */
static uint64_t splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

void rb__hash_key_from_seed(rb__hash_key *k, uint64_t seed)
{
	uint64_t x = seed;
	k->seed = splitmix(&x);
	/* Odd and with both halves non-zero: a multiply by it never loses the
	 * low bit or a whole half of the input. */
	k->secret = splitmix(&x) | 0x0000000100000001ull;
}

static uint64_t weak_entropy(const rb__hash_key *k)
{
	struct timespec ts;
	uint64_t t = 0;
	if (timespec_get(&ts, TIME_UTC))
		t = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	static int where;
	return t ^ (uint64_t)(uintptr_t)k ^ ((uint64_t)(uintptr_t)&where << 17) ^
	       (uint64_t)(uintptr_t)&weak_entropy;
}

void rb__hash_key_random(rb__hash_key *k)
{
	uint64_t seed = 0;
	int got = 0;
#if defined(__linux__)
	/* Non-blocking: early at boot a weaker key beats a hung caller. */
	got = getrandom(&seed, sizeof seed, GRND_NONBLOCK) == (ssize_t)sizeof seed;
#elif defined(RB_HASH_ARC4RANDOM)
	arc4random_buf(&seed, sizeof seed);
	got = 1;
#endif
	if (!got)
		seed = weak_entropy(k);
	rb__hash_key_from_seed(k, seed);
}

/* The 128-bit product of a and b, folded to 64 bits (high half xor low half):
 * every input bit reaches the result through a multiply by a key-dependent
 * value, which is what makes collisions depend on the key. */
static inline uint64_t mum(uint64_t a, uint64_t b)
{
#if defined(__SIZEOF_INT128__)
	__extension__ typedef unsigned __int128 u128;
	u128 r = (u128)a * b;
	return (uint64_t)r ^ (uint64_t)(r >> 64);
#else
	uint64_t ha = a >> 32, la = (uint32_t)a, hb = b >> 32, lb = (uint32_t)b;
	uint64_t rh = ha * hb, rm0 = ha * lb, rm1 = hb * la, rl = la * lb;
	uint64_t t = rl + (rm0 << 32), c = t < rl;
	uint64_t lo = t + (rm1 << 32);
	c += lo < t;
	uint64_t hi = rh + (rm0 >> 32) + (rm1 >> 32) + c;
	return lo ^ hi;
#endif
}

/*
 * wyhash's structure (as Go's runtime map hash uses it when there is no AES
 * instruction): 16 bytes per multiply, with both multiplier and multiplicand
 * keyed. Keys are short (names, "ns/name"): most take one multiply and the
 * final two.
 */
uint64_t rb__hash(const rb__hash_key *k, const char *s, size_t n)
{
	const uint64_t secret = k->secret;
	uint64_t seed = k->seed ^ n;
	uint64_t a, b;
	if (n <= 16) {
		if (n >= 4) {
			size_t mid = (n >> 3) << 2;
			a = (rb__read_u32(s) << 32) | rb__read_u32(s + mid);
			b = (rb__read_u32(s + n - 4) << 32) | rb__read_u32(s + n - 4 - mid);
		} else if (n > 0) {
			a = ((uint64_t)(unsigned char)s[0] << 16) |
			    ((uint64_t)(unsigned char)s[n >> 1] << 8) | (unsigned char)s[n - 1];
			b = 0;
		} else {
			a = b = 0;
		}
	} else {
		size_t left = n;
		while (left > 16) {
			seed = mum(rb__read_u64(s) ^ secret, rb__read_u64(s + 8) ^ seed);
			s += 16;
			left -= 16;
		}
		a = rb__read_u64(s + left - 16);
		b = rb__read_u64(s + left - 8);
	}
	return mum(secret ^ n ^ mum(a ^ secret, b ^ seed), seed ^ 0xe7037ed1a0b428dbull);
}
