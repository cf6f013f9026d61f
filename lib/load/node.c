/* The generic node tree (node.h): key lookups, JSON-pointer paths and located errors. */
#include "load/node.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/strutil.h"

const rb__node *rb__node_get(const rb__node *map, const char *key)
{
	if (!rb__node_is_map(map))
		return NULL;
	size_t klen = strlen(key);
	const rb__node *folded = NULL;
	for (size_t i = 0; i < map->coll.count; i++) {
		const rb__node *m = map->coll.items[i];
		if (m->key_len != klen)
			continue;
		if (memcmp(m->key, key, klen) == 0)
			return m;
		if (!folded && rb__ascii_casecmp_n(m->key, key, klen) == 0)
			folded = m;
	}
	return folded;
}

/* RFC 6901: '~' is written "~0" and '/' is written "~1". */
static size_t escaped_len(const char *s, size_t n)
{
	size_t len = n;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '~' || s[i] == '/')
			len++;
	return len;
}

/* Write one path component ending just before *end; move *end back to its start. */
static void put_component(char **end, const rb__node *p)
{
	if (p->parent->kind == RB_NODE_MAP) {
		for (size_t i = p->key_len; i-- > 0;) {
			char c = p->key[i];
			if (c == '~' || c == '/') {
				*--*end = c == '~' ? '0' : '1';
				*--*end = '~';
			} else {
				*--*end = c;
			}
		}
	} else {
		char digits[24];
		size_t n = rb__fmt_u64(digits, p->index);
		*end -= n;
		memcpy(*end, digits, n);
	}
	*--*end = '/';
}

char *rb__node_path(const rb__node *n, rb__arena *arena)
{
	/* Measure, then write from the end: no bound on the depth. */
	size_t len = 0;
	for (const rb__node *p = n; p && p->parent; p = p->parent) {
		if (p->parent->kind == RB_NODE_MAP) {
			len += 1 + escaped_len(p->key, p->key_len);
		} else {
			char digits[24];
			len += 1 + rb__fmt_u64(digits, p->index);
		}
	}
	char *out = rb__arena_alloc(arena, len + 1);
	if (!out)
		return NULL;
	char *end = out + len;
	*end = '\0';
	for (const rb__node *p = n; p && p->parent; p = p->parent)
		put_component(&end, p);
	return out;
}

const char *rb__node_type_name(const rb__node *n)
{
	if (!n)
		return "nothing";
	switch (n->kind) {
	case RB_NODE_MAP:
		return "a mapping";
	case RB_NODE_SEQ:
		return "a sequence";
	default:
		break;
	}
	switch (n->stype) {
	case RB_SCALAR_INT:
		return "an integer";
	case RB_SCALAR_FLOAT:
		return "a number";
	case RB_SCALAR_BOOL:
		return "a boolean";
	case RB_SCALAR_NULL:
		return "null";
	default:
		return "a string";
	}
}

void rb__node_error(rb__diags *d, const char *source, const rb__node *n, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	const char *path = n ? rb__node_path(n, d->arena) : "";
	rb__diag_add(d, RB_EPARSE, source, n ? n->line : 0, n ? n->column : 0, n ? n->offset : 0,
	             path ? path : "", "%s", msg);
}
