/*
 * One copy where consecutive values read the same. Most routes attach to the
 * same Gateway and listeners, most statuses say "accepted, resolved" in the
 * same words, most rules have the same knobs and most refs name the same
 * port: the IR keeps the previous value of each kind (struct rb__last in
 * tr.h) and gives it again when the next reads the same, where each would
 * otherwise have its own copy (bench/README.md, Peak memory). The comparison
 * is by content, not identity, because the engine changes the model under a
 * kept translator; a shared value is never written once it is given out.
 */
#include <string.h>

#include "translate/tr.h"

const void *rb__share_last(rb__tr *t, rb__last *last, const void *items, size_t n, size_t size,
                           rb__same_fn same)
{
	bool equal = last->items && last->count == n;
	if (equal && !same)
		equal = !memcmp(last->items, items, n * size);
	for (size_t i = 0; i < n && equal && same; i++)
		equal = same((const char *)last->items + i * size, (const char *)items + i * size);
	if (equal)
		return last->items;
	size_t bytes;
	void *copy = rb__mul_size(n ? n : 1, size, &bytes) ? rb__arena_alloc(t->out, bytes) : NULL;
	if (!copy)
		return NULL;
	if (n)
		memcpy(copy, items, n * size);
	last->items = copy;
	last->count = n;
	return copy;
}

const char *rb__share_last_string(rb__tr *t, rb__last *last, const char *s)
{
	return rb__share_last(t, last, s, strlen(s) + 1, 1, NULL);
}

const char *rb__share_last_ns_name(rb__tr *t, rb__last *last, const char *ns, const char *name)
{
	/* Compared in place: this runs for every parent of every route. */
	const char *s = last->items;
	size_t n = strlen(ns);
	if (s && !strncmp(s, ns, n) && s[n] == '/' && !strcmp(s + n + 1, name))
		return s;
	s = rb__arena_printf(t->out, "%s/%s", ns, name);
	if (s)
		*last = (rb__last){s, strlen(s) + 1};
	return s;
}
