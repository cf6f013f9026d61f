/*
 * A string-keyed hash map (open addressing, linear probing, hashed with the
 * context's key: core/hash.h). Keys are not
 * copied: they must outlive the map (arena strings). Iteration order is never
 * used for output (docs/conventions.md, Determinism and threads): the map only answers lookups.
 */
#ifndef RB_CORE_MAP_H
#define RB_CORE_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/mem.h"

/* Keys up to this long are also kept in the slot, so that a lookup compares
 * them without reading the key's own memory (a cache miss each, on big inputs). */
#define RB_MAP_INLINE_KEY 32

typedef struct rb__map_slot {
	const char *key; /* NULL: empty */
	size_t klen;
	uint64_t hash;
	void *value;
	char inline_key[RB_MAP_INLINE_KEY]; /* the key's bytes when klen <= RB_MAP_INLINE_KEY */
} rb__map_slot;

typedef struct rb__map {
	const rb__mem *mem;
	rb__map_slot *slots;
	size_t cap; /* power of two, or 0 */
	size_t len;
	size_t paged; /* bytes of slots when they are a page mapping (core/mem.h), else 0 */
	rb__hash_key key; /* the context's, when the map was made: a later
	                     rb_ctx_set_hash_seed does not strand its entries */
} rb__map;

void rb__map_init(rb__map *m, const rb__mem *mem);
void rb__map_free(rb__map *m);
/* The value stored under key, or NULL. */
void *rb__map_get(const rb__map *m, const char *key, size_t klen);
/* Store (replacing any previous value). false on allocation failure. */
bool rb__map_put(rb__map *m, const char *key, size_t klen, void *value);
/* Room for n keys in all, so that the table does not grow (and leave its
 * smaller copies behind as holes in the heap) while they are stored. */
bool rb__map_reserve(rb__map *m, size_t n);
/* The address of the value slot for key, inserting a NULL value when absent. */
void **rb__map_slot_for(rb__map *m, const char *key, size_t klen);

/* The steps past their home slot of all the keys stored: what looking each up
 * once costs beyond the first slot (the flooding test measures it). */
size_t rb__map_probe_total(const rb__map *m);

#endif
