/*
 * "Did you mean ...?": the closest candidate to a misspelt word, and text
 * made safe for a one-line message.
 */
#ifndef RB_CORE_SUGGEST_H
#define RB_CORE_SUGGEST_H

#include "core/arena.h"

#include <stddef.h>

/*
 * The candidate closest to word[0..len) by optimal string alignment distance
 * (insertions, deletions, substitutions, adjacent transpositions; ASCII case
 * ignored), or NULL when none is close enough: at most 1 edit for words of up
 * to 4 bytes, 2 up to 8, else 3. Words longer than RB_SUGGEST_MAX_LEN are not
 * compared, and each comparison stops as soon as a row exceeds the bound, so
 * an adversarial key costs O(RB_SUGGEST_MAX_LEN^2) per candidate at most.
 * `cands` is a NULL-terminated array.
 */
enum { RB_SUGGEST_MAX_LEN = 64 };
const char *rb__closest_word(const char *word, size_t len, const char *const *cands);

/* The edit distance above, or max + 1 when it exceeds max (exposed for tests). */
size_t rb__edit_distance(const char *a, size_t alen, const char *b, size_t blen, size_t max);

/* The escaping of values in messages lives in core/escape.h (one rule for all output). */
#include "core/escape.h"

#endif
