/*
 * Any node tree on the writer, typed by the scalar types the loader gave
 * (load/node.h), laid out by the layout rule of emit.h.
 *
 * Scalars:
 *   STRING  a string, quoted by the writer's rule;
 *   INT     an integer: canonical decimal text as is; other spellings
 *           (`+7`, `010`, `0x1F`, `0o17`, `1_000`) are rewritten in decimal,
 *           from YAML with go-yaml v2's value (load/yaml_scalar.h: `010` is
 *           8), else when they fit in 64 bits, else passed to rb__w_number;
 *   FLOAT   the token text through rb__w_number: plain in YAML when it
 *           reads back as a number (else a string, as go-yaml reads it); in JSON a
 *           number when the text is valid JSON number syntax, otherwise a
 *           string (`.inf`, `-.inf`, `.nan`, `1.`, `.5`, `+1.5` have no JSON
 *           spelling, so they come out as "…" strings);
 *   BOOL    true / false (`True`, `TRUE`, and from YAML `yes`, `on`, `n`...
 *           normalized); any other text is written as a string;
 *   NULL    null.
 */
#include "emit/emit.h"

#include <string.h>

#include "core/invariant.h"
#include "core/strutil.h"
#include "load/yaml_scalar.h"
#include "rebalance/errors.h"

static bool key_in(const char *key, size_t n, const char *const *keys, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (strlen(keys[i]) == n && !memcmp(keys[i], key, n))
			return true;
	return false;
}

bool rb__flow_value_key(const char *key, size_t n)
{
	static const char *const KEYS[] = {"route",          "metadata",       "preferLocal",
	                                   "backendWeights", "directResponse", "parentRef",
	                                   "gateway",        "rebalanceOnNoEndpoints",
	                                   "rebalanceOnNoReadyEndpoints"};
	return key && key_in(key, n, KEYS, sizeof KEYS / sizeof KEYS[0]);
}

bool rb__flow_items_key(const char *key, size_t n)
{
	static const char *const KEYS[] = {"endpoints", "excluded", "conditions", "listeners"};
	return key && key_in(key, n, KEYS, sizeof KEYS / sizeof KEYS[0]);
}

/* A mapping is flow as the value of a flow-value key or an item under a flow-items key. */
static bool map_is_flow(const rb__node *n)
{
	const rb__node *p = n->parent;
	if (p && p->kind == RB_NODE_MAP)
		return rb__flow_value_key(n->key, n->key_len);
	if (p && p->kind == RB_NODE_SEQ && p->parent && p->parent->kind == RB_NODE_MAP)
		return rb__flow_items_key(p->key, p->key_len);
	return false;
}

static int emit_int(rb__writer *w, const char *s, size_t n)
{
	size_t i = 0;
	bool neg = false;
	if (i < n && (s[i] == '+' || s[i] == '-'))
		neg = s[i++] == '-';
	/* Canonical already: -?(0|[1-9][0-9]*). */
	bool canonical = i < n && !(s[i] == '0' && n - i > 1) && s[0] != '+';
	for (size_t j = i; canonical && j < n; j++)
		canonical = s[j] >= '0' && s[j] <= '9';
	if (canonical)
		return rb__w_number(w, s, n);

	unsigned base = 10;
	if (n - i > 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'o')) {
		base = s[i + 1] == 'x' ? 16 : 8;
		i += 2;
	}
	uint64_t v = 0;
	bool ok = i < n;
	for (; ok && i < n; i++) {
		char c = s[i];
		unsigned d;
		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			d = 99;
		if (d >= base || __builtin_mul_overflow(v, (uint64_t)base, &v) ||
		    __builtin_add_overflow(v, (uint64_t)d, &v))
			ok = false;
	}
	if (ok && !neg)
		return rb__w_uint(w, v);
	if (ok && v <= (uint64_t)INT64_MAX)
		return rb__w_int(w, -(int64_t)v);
	if (ok && v == (uint64_t)INT64_MAX + 1)
		return rb__w_int(w, INT64_MIN);
	return rb__w_number(w, s, n);
}

static int emit_scalar(rb__writer *w, const rb__node *n)
{
	const char *s = n->scalar.text ? n->scalar.text : "";
	size_t len = n->scalar.text ? n->scalar.len : 0;
	switch (n->stype) {
	case RB_SCALAR_STRING:
		return rb__w_strn(w, s, len);
	case RB_SCALAR_INT: {
		/* From YAML, the value go-yaml reads (`010` is 8, `1_000` is 1000). */
		int64_t i;
		uint64_t u;
		bool is_unsigned;
		if (n->from_yaml && rb__yaml_int_value(s, len, &i, &u, &is_unsigned))
			return is_unsigned ? rb__w_uint(w, u) : rb__w_int(w, i);
		return emit_int(w, s, len);
	}
	case RB_SCALAR_FLOAT:
		return rb__w_number(w, s, len);
	case RB_SCALAR_BOOL:
		if (n->from_yaml) /* y, yes, on, off... (go-yaml v2) */
			return rb__w_bool(w, rb__yaml_bool_value(s, len));
		if (rb__ascii_ieq_n(s, len, "true"))
			return rb__w_bool(w, true);
		if (rb__ascii_ieq_n(s, len, "false"))
			return rb__w_bool(w, false);
		return rb__w_strn(w, s, len);
	case RB_SCALAR_NULL:
		return rb__w_null(w);
	default:
		RB_NOT_REACHED("a scalar type of the loader");
		return RB_EINVAL;
	}
}

static int emit(rb__writer *w, const rb__node *n, bool in_flow)
{
	if (!n)
		return RB_EINVAL;
	switch (n->kind) {
	case RB_NODE_SCALAR:
		return emit_scalar(w, n);
	case RB_NODE_MAP: {
		bool flow = in_flow || map_is_flow(n);
		RB_TRY(rb__w_map_begin(w, flow));
		for (size_t i = 0; i < n->coll.count; i++) {
			const rb__node *m = n->coll.items[i];
			if (!m || !m->key)
				return RB_EINVAL;
			RB_TRY(rb__w_keyn(w, m->key, m->key_len));
			RB_TRY(emit(w, m, flow));
		}
		return rb__w_map_end(w);
	}
	case RB_NODE_SEQ: {
		bool flow = in_flow || n->coll.count == 0;
		RB_TRY(rb__w_seq_begin(w, flow));
		for (size_t i = 0; i < n->coll.count; i++)
			RB_TRY(emit(w, n->coll.items[i], flow));
		return rb__w_seq_end(w);
	}
	default:
		RB_NOT_REACHED("a node kind of the loader");
		return RB_EINVAL;
	}
}

int rb__emit_node(rb__writer *w, const rb__node *n)
{
	if (!w || !n)
		return RB_EINVAL;
	return emit(w, n, false);
}
