/* "Did you mean ...?": the closest candidate to a misspelt word (edit distance). */
#include "core/suggest.h"

#include <stdio.h>
#include <string.h>

#include "core/strutil.h"

size_t rb__edit_distance(const char *a, size_t alen, const char *b, size_t blen, size_t max)
{
	if (alen > RB_SUGGEST_MAX_LEN || blen > RB_SUGGEST_MAX_LEN)
		return max + 1;
	if ((alen > blen ? alen - blen : blen - alen) > max)
		return max + 1;
	/* Three rows of the dynamic-programming table: two back for transpositions. */
	size_t rows[3][RB_SUGGEST_MAX_LEN + 1];
	size_t *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
	for (size_t j = 0; j <= blen; j++)
		prev[j] = j;
	for (size_t i = 1; i <= alen; i++) {
		cur[0] = i;
		size_t row_min = cur[0];
		char ca = rb__ascii_lower(a[i - 1]);
		for (size_t j = 1; j <= blen; j++) {
			char cb = rb__ascii_lower(b[j - 1]);
			size_t cost = ca != cb;
			size_t v = prev[j - 1] + cost;
			if (prev[j] + 1 < v)
				v = prev[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (i > 1 && j > 1 && ca == rb__ascii_lower(b[j - 2]) &&
			    rb__ascii_lower(a[i - 2]) == cb && prev2[j - 2] + 1 < v)
				v = prev2[j - 2] + 1;
			cur[j] = v;
			if (v < row_min)
				row_min = v;
		}
		if (row_min > max)
			return max + 1; /* every later row is at least this far */
		size_t *t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	return prev[blen] > max ? max + 1 : prev[blen];
}

const char *rb__closest_word(const char *word, size_t len, const char *const *cands)
{
	if (!len || len > RB_SUGGEST_MAX_LEN || !cands)
		return NULL;
	size_t bound = len <= 4 ? 1 : len <= 8 ? 2 : 3;
	const char *best = NULL;
	size_t best_d = bound + 1;
	for (size_t i = 0; cands[i]; i++) {
		size_t d = rb__edit_distance(word, len, cands[i], strlen(cands[i]),
		                             best_d - 1 < bound ? best_d - 1 : bound);
		if (d < best_d) {
			best_d = d;
			best = cands[i];
			if (d == 0)
				break;
		}
	}
	return best;
}
