/*
 * The keyed string hash of every table fed by input (core/map.h, the
 * loader's duplicate-key tables). With a fixed function, keys chosen to
 * collide make every lookup scan the whole table (hash flooding: 100,000
 * crafted label keys took 43 s instead of 0.12 s). The key comes from the OS
 * per context (rb_ctx_new), so collisions cannot be planned from outside;
 * rb_ctx_set_hash_seed fixes it for reproducible tests and benchmarks.
 */
#ifndef RB_CORE_HASH_H
#define RB_CORE_HASH_H

#include <stddef.h>
#include <stdint.h>

typedef struct rb__hash_key {
	uint64_t seed;   /* mixed into the state */
	uint64_t secret; /* xored into the input words before each multiply */
} rb__hash_key;

/* A fresh key from the OS random source (getrandom, arc4random), or, when
 * none answers, from the clock and addresses (still varying per context). */
void rb__hash_key_random(rb__hash_key *k);
/* The key a fixed 64-bit seed stands for (reproducible). */
void rb__hash_key_from_seed(rb__hash_key *k, uint64_t seed);

uint64_t rb__hash(const rb__hash_key *k, const char *s, size_t n);

#endif
