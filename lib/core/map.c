#include "core/map.h"

#include <string.h>

void rb__map_init(rb__map *m, const rb__mem *mem)
{
	m->mem = mem;
	m->slots = NULL;
	m->cap = 0;
	m->len = 0;
}

void rb__map_free(rb__map *m)
{
	rb__free(m->mem, m->slots);
	rb__map_init(m, m->mem);
}

/* FNV-1a, 64 bit, then a final mix so that the low bits are usable. */
uint64_t rb__hash(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ull;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	return h;
}

static rb__map_slot *find(rb__map_slot *slots, size_t cap, const char *key, size_t klen,
                          uint64_t hash)
{
	size_t mask = cap - 1;
	for (size_t i = (size_t)hash & mask;; i = (i + 1) & mask) {
		rb__map_slot *s = &slots[i];
		if (!s->key)
			return s;
		if (s->hash == hash && s->klen == klen && memcmp(s->key, key, klen) == 0)
			return s;
	}
}

static bool grow(rb__map *m)
{
	size_t cap = m->cap ? m->cap * 2 : 16;
	rb__map_slot *slots = rb__calloc(m->mem, cap, sizeof(*slots));
	if (!slots)
		return false;
	for (size_t i = 0; i < m->cap; i++) {
		rb__map_slot *s = &m->slots[i];
		if (s->key)
			*find(slots, cap, s->key, s->klen, s->hash) = *s;
	}
	rb__free(m->mem, m->slots);
	m->slots = slots;
	m->cap = cap;
	return true;
}

void *rb__map_get(const rb__map *m, const char *key, size_t klen)
{
	if (!m->cap)
		return NULL;
	rb__map_slot *s = find(m->slots, m->cap, key, klen, rb__hash(key, klen));
	return s->key ? s->value : NULL;
}

void **rb__map_slot_for(rb__map *m, const char *key, size_t klen)
{
	if ((m->len + 1) * 4 > m->cap * 3 && !grow(m))
		return NULL;
	uint64_t h = rb__hash(key, klen);
	rb__map_slot *s = find(m->slots, m->cap, key, klen, h);
	if (!s->key) {
		s->key = key;
		s->klen = klen;
		s->hash = h;
		s->value = NULL;
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
