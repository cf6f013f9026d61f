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
static void put_escaped(rb__buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '~')
			rb__buf_append(b, "~0", 2);
		else if (s[i] == '/')
			rb__buf_append(b, "~1", 2);
		else
			rb__buf_putc(b, s[i]);
	}
}

char *rb__node_path(const rb__node *n, rb__arena *arena)
{
	/* Collect the chain root-first. Depth is bounded by the loader's depth limit. */
	const rb__node *chain[512];
	size_t depth = 0;
	for (const rb__node *p = n; p && p->parent && depth < 512; p = p->parent)
		chain[depth++] = p;
	rb__buf b;
	rb__buf_init(&b, arena->mem);
	for (size_t i = depth; i-- > 0;) {
		const rb__node *p = chain[i];
		rb__buf_putc(&b, '/');
		if (p->parent->kind == RB_NODE_MAP)
			put_escaped(&b, p->key, p->key_len);
		else
			rb__buf_put_u64(&b, p->index);
	}
	char *out = rb__arena_strndup(arena, b.data ? b.data : "", b.len);
	rb__buf_free(&b);
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
