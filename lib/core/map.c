/* A string-keyed hash map with open addressing, hashed with the context's key. */
#include "core/map.h"

#include <stdint.h>
#include <string.h>

void rb__map_init(rb__map *m, const rb__mem *mem)
{
	m->mem = mem;
	m->slots = NULL;
	m->cap = 0;
	m->len = 0;
	m->paged = 0;
	m->key = mem->hash_key;
}

static void free_slots(const rb__mem *mem, rb__map_slot *slots, size_t paged)
{
	if (paged)
		rb__mem_pages_free(mem, slots, paged, true);
	else
		rb__free(mem, slots);
}

void rb__map_free(rb__map *m)
{
	free_slots(m->mem, m->slots, m->paged);
	rb__map_init(m, m->mem);
}

static rb__map_slot *find(rb__map_slot *slots, size_t cap, const char *key, size_t klen,
                          uint64_t hash)
{
	size_t mask = cap - 1;
	for (size_t i = (size_t)hash & mask;; i = (i + 1) & mask) {
		rb__map_slot *s = &slots[i];
		if (!s->key)
			return s;
		if (s->hash == hash && s->klen == klen &&
		    memcmp(klen <= RB_MAP_INLINE_KEY ? s->inline_key : s->key, key, klen) == 0)
			return s;
	}
}

/* The empty slot where a key of this hash goes, in a table without that key
 * (rehashing: the keys are distinct, so none is compared). */
static rb__map_slot *free_slot(rb__map_slot *slots, size_t cap, uint64_t hash)
{
	size_t mask = cap - 1;
	size_t i = (size_t)hash & mask;
	while (slots[i].key)
		i = (i + 1) & mask;
	return &slots[i];
}

static bool grow_to(rb__map *m, size_t cap)
{
	size_t bytes;
	if (!rb__mul_size(cap, sizeof(rb__map_slot), &bytes))
		return false;
	rb__map_slot *slots;
	size_t paged = 0;
	if (bytes >= RB_MEM_PAGES && rb__mem_can_page(m->mem)) {
		/* A big table on (huge) pages; fresh pages are zero. (Smaller tables stay
		 * on malloc: a slot is 64 bytes, a 2 MiB page for a mid-size table
		 * would cost more resident memory than it saves in faults.) */
		size_t size = bytes;
		bool is_paged;
		slots = rb__mem_pages_alloc(m->mem, &size, &is_paged);
		if (!slots)
			return false;
		if (is_paged)
			paged = size;
		else
			memset(slots, 0, bytes);
	} else {
		slots = rb__calloc(m->mem, cap, sizeof(*slots));
		if (!slots)
			return false;
	}
	for (size_t i = 0; i < m->cap; i++) {
		rb__map_slot *s = &m->slots[i];
		if (s->key)
			*free_slot(slots, cap, s->hash) = *s;
	}
	free_slots(m->mem, m->slots, m->paged);
	m->slots = slots;
	m->cap = cap;
	m->paged = paged;
	return true;
}

static bool grow(rb__map *m)
{
	return grow_to(m, m->cap ? m->cap * 2 : 16);
}

bool rb__map_reserve(rb__map *m, size_t n)
{
	size_t cap = m->cap ? m->cap : 16;
	if (n > SIZE_MAX / 4)
		return false;
	while (n * 4 > cap * 3)
		if (!rb__mul_size(cap, 2, &cap))
			return false;
	return cap == m->cap || grow_to(m, cap);
}

void *rb__map_get(const rb__map *m, const char *key, size_t klen)
{
	if (!m->cap)
		return NULL;
	rb__map_slot *s = find(m->slots, m->cap, key, klen, rb__hash(&m->key, key, klen));
	return s->key ? s->value : NULL;
}

void **rb__map_slot_for(rb__map *m, const char *key, size_t klen)
{
	if ((m->len + 1) * 4 > m->cap * 3 && !grow(m))
		return NULL;
	uint64_t h = rb__hash(&m->key, key, klen);
	rb__map_slot *s = find(m->slots, m->cap, key, klen, h);
	if (!s->key) {
		s->key = key;
		s->klen = klen;
		s->hash = h;
		s->value = NULL;
		if (klen <= RB_MAP_INLINE_KEY)
			memcpy(s->inline_key, key, klen);
		m->len++;
	}
	return &s->value;
}

bool rb__map_put(rb__map *m, const char *key, size_t klen, void *value)
{
	void **slot = rb__map_slot_for(m, key, klen);
	if (!slot)
		return false;
	*slot = value;
	return true;
}

size_t rb__map_probe_total(const rb__map *m)
{
	size_t total = 0, mask = m->cap - 1;
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].key)
			total += (i - (size_t)m->slots[i].hash) & mask;
	return total;
}
