/*
 * The generic table-driven decoder: walks a node tree beside a schema
 * (decode.h), parsing scalars strictly and reporting located errors.
 *
 * Rules: [input.keys.case] [input.form.strict] [input.form.go-scalars].
 */
#include "model/decode.h"

#include <stdio.h>
#include <string.h>

#include "core/invariant.h"
#include "core/strutil.h"
#include "load/yaml_scalar.h"
#include "model/model.h"
#include "rebalance/errors.h"

rb__int_status rb__parse_int(const char *s, size_t n, int64_t min, int64_t max, int64_t *out)
{
	size_t i = 0;
	bool neg = false;
	if (i < n && (s[i] == '-' || s[i] == '+')) {
		neg = s[i] == '-';
		i++;
	}
	if (i == n)
		return RB_INT_SYNTAX;
	if (s[i] == '0' && i + 1 < n)
		return RB_INT_LEADING_ZERO;
	/* Accumulate as a negative number so INT64_MIN fits. */
	int64_t v = 0;
	bool overflow = false;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return RB_INT_SYNTAX;
		int digit = s[i] - '0';
		if (!overflow && (__builtin_mul_overflow(v, 10, &v) || __builtin_sub_overflow(v, digit, &v)))
			overflow = true;
	}
	if (overflow)
		return RB_INT_RANGE;
	if (!neg) {
		if (v == INT64_MIN)
			return RB_INT_RANGE;
		v = -v;
	}
	if (v < min || v > max)
		return RB_INT_RANGE;
	*out = v;
	return RB_INT_OK;
}

static void type_error(rb__dctx *d, const rb__node *n, const char *expected)
{
	if (n->kind == RB_NODE_SCALAR && n->stype != RB_SCALAR_STRING && n->stype != RB_SCALAR_NULL &&
	    !strcmp(expected, "a string"))
		rb__node_error(d->diags, d->source, n, "expected a string, got %s %s (quote it: \"%s\")",
		               rb__node_type_name(n), n->scalar.text, n->scalar.text);
	else if (n->kind == RB_NODE_SCALAR && n->stype != RB_SCALAR_NULL)
		rb__node_error(d->diags, d->source, n, "expected %s, got %s \"%s\"", expected,
		               rb__node_type_name(n), n->scalar.text);
	else
		rb__node_error(d->diags, d->source, n, "expected %s, got %s", expected,
		               rb__node_type_name(n));
}

/* A string field given something else than a string. */
static __attribute__((noinline)) int decode_string_other(rb__dctx *d, const rb__node *n,
                                                         const char **out)
{
	/* A YAML number or boolean is the text sigs.k8s.io/yaml makes of it
	 * (`value: 1234` is "1234", `name: yes` is "true"). */
	char text[64];
	size_t len = rb__yaml_go_string(n, text, sizeof text);
	if (!len) {
		type_error(d, n, "a string");
		return RB_EPARSE;
	}
	*out = rb__arena_intern(d->arena, text, len);
	return *out ? RB_OK : RB_ENOMEM;
}

int rb__decode_string(rb__dctx *d, const rb__node *n, const char **out)
{
	if (n->kind != RB_NODE_SCALAR || n->stype != RB_SCALAR_STRING)
		return decode_string_other(d, n, out);
	/* Names, namespaces, kinds and zones repeat a lot: equal ones share a copy. */
	*out = rb__arena_intern(d->arena, n->scalar.text, n->scalar.len);
	return *out ? RB_OK : RB_ENOMEM;
}

/*
 * The integer value of a YAML number as encoding/json sees it after
 * sigs.k8s.io/yaml: an int in any base go-yaml reads (`0x1F`, `0o17`, `017`,
 * `1_000`), or a float with an integral value below 1e21 (`1.0`, `1e3`),
 * which json.Marshal writes without a fraction or exponent.
 */
/* Whether a float lies outside int64's range [-2^63, 2^63); false for NaN. */
static bool beyond_int64(double f)
{
	return f < -9223372036854775808.0 || f >= 9223372036854775808.0;
}

static int yaml_int(rb__dctx *d, const rb__node *n, int64_t min, int64_t max, int64_t *out)
{
	int64_t i = 0;
	uint64_t u = 0;
	bool is_unsigned = false, range = false;
	double f;
	if (n->stype == RB_SCALAR_INT && rb__yaml_int_value(n->scalar.text, n->scalar.len, &i, &u,
	                                                    &is_unsigned)) {
		range = is_unsigned;
	} else if (n->stype == RB_SCALAR_FLOAT &&
	           rb__yaml_float_value(n->scalar.text, n->scalar.len, &f) && f > -1e21 && f < 1e21 &&
	           (beyond_int64(f) || f == (double)(int64_t)f)) {
		/* (NaN fails every comparison; beyond int64 it is only out of range.) */
		range = beyond_int64(f);
		if (!range)
			i = (int64_t)f;
	} else {
		rb__node_error(d->diags, d->source, n,
		               "expected an integer between %lld and %lld, got %s %s", (long long)min,
		               (long long)max, rb__node_type_name(n), n->scalar.text);
		return RB_EPARSE;
	}
	if (range || i < min || i > max) {
		rb__node_error(d->diags, d->source, n,
		               "integer %s is out of range: expected %lld to %lld", n->scalar.text,
		               (long long)min, (long long)max);
		return RB_EPARSE;
	}
	*out = i;
	return RB_OK;
}

int rb__decode_int(rb__dctx *d, const rb__node *n, int64_t min, int64_t max, int64_t *out)
{
	/* YAML: plain decimal (the usual case) directly, other numbers by go-yaml's rules. */
	if (n->kind == RB_NODE_SCALAR && n->from_yaml &&
	    (n->stype == RB_SCALAR_INT || n->stype == RB_SCALAR_FLOAT)) {
		if (n->stype == RB_SCALAR_INT &&
		    rb__parse_int(n->scalar.text, n->scalar.len, min, max, out) == RB_INT_OK)
			return RB_OK;
		return yaml_int(d, n, min, max, out);
	}
	if (n->kind != RB_NODE_SCALAR || n->stype != RB_SCALAR_INT) {
		char expected[96];
		snprintf(expected, sizeof expected, "an integer between %lld and %lld", (long long)min,
		         (long long)max);
		type_error(d, n, expected);
		return RB_EPARSE;
	}
	switch (rb__parse_int(n->scalar.text, n->scalar.len, min, max, out)) {
	case RB_INT_OK:
		return RB_OK;
	case RB_INT_LEADING_ZERO:
		rb__node_error(d->diags, d->source, n,
		               "integer %s has a leading zero (octal in YAML 1.1, decimal in YAML 1.2): "
		               "write it without",
		               n->scalar.text);
		return RB_EPARSE;
	case RB_INT_RANGE:
		rb__node_error(d->diags, d->source, n,
		               "integer %s is out of range: expected %lld to %lld", n->scalar.text,
		               (long long)min, (long long)max);
		return RB_EPARSE;
	default:
		rb__node_error(d->diags, d->source, n,
		               "expected a decimal integer between %lld and %lld, got \"%s\"",
		               (long long)min, (long long)max, n->scalar.text);
		return RB_EPARSE;
	}
}

int rb__decode_bool(rb__dctx *d, const rb__node *n, bool *out)
{
	if (n->kind != RB_NODE_SCALAR || n->stype != RB_SCALAR_BOOL) {
		type_error(d, n, "a boolean (true or false)");
		return RB_EPARSE;
	}
	/* JSON has only true and false; YAML also y, yes and on (go-yaml v2). */
	*out = n->from_yaml ? rb__yaml_bool_value(n->scalar.text, n->scalar.len)
	                    : n->scalar.text[0] == 't';
	return RB_OK;
}

static int expect_map(rb__dctx *d, const rb__node *n, const char *what)
{
	if (n->kind == RB_NODE_MAP)
		return RB_OK;
	type_error(d, n, what);
	return RB_EPARSE;
}

static int expect_seq(rb__dctx *d, const rb__node *n)
{
	if (n->kind == RB_NODE_SEQ)
		return RB_OK;
	type_error(d, n, "a sequence");
	return RB_EPARSE;
}

/* A list longer than the API server accepts (maxItems): refused with the bound. */
static int check_max_items(rb__dctx *d, const rb__node *n, const rb__field *f)
{
	/* The model counts in 32 bits (model.h): far past any input the limits let through. */
	if (n->coll.count > UINT32_MAX)
		return RB_ELIMIT;
	if (f->max <= 0 || n->coll.count <= (size_t)f->max)
		return RB_OK;
	rb__node_error(d->diags, d->source, n,
	               "%zu items, more than the %lld the API server accepts (maxItems: %lld)",
	               n->coll.count, (long long)f->max, (long long)f->max);
	return RB_EPARSE;
}

static void *at(void *base, size_t offset)
{
	return (char *)base + offset;
}

static int decode_string_list(rb__dctx *d, const rb__node *n, void *base, const rb__field *f)
{
	int rc = expect_seq(d, n);
	if (rc || (rc = check_max_items(d, n, f)))
		return rc;
	const char **items = rb__arena_calloc(d->arena, n->coll.count ? n->coll.count : 1,
	                                      sizeof(*items));
	if (!items)
		return RB_ENOMEM;
	for (size_t i = 0; i < n->coll.count; i++) {
		rc = rb__decode_string(d, n->coll.items[i], &items[i]);
		if (rc)
			return rc;
	}
	memcpy(at(base, f->offset), &items, sizeof(items));
	*(uint32_t *)at(base, f->aux) = (uint32_t)n->coll.count;
	return RB_OK;
}

/* The last list of schema s among the shared lists: its own slot, else a
 * free one, else the one it takes over (and starts afresh). */
static rb__arena_last *share_slot(rb__list_share *share, const rb__schema *s)
{
	rb__list_share *slot = &share[(uintptr_t)s / sizeof(void *) % RB_LIST_SHARE_SLOTS];
	for (size_t i = 0; i < RB_LIST_SHARE_SLOTS; i++) {
		if (share[i].schema == s || !share[i].schema) {
			slot = &share[i];
			break;
		}
	}
	if (slot->schema != s)
		*slot = (rb__list_share){s, {NULL, 0}};
	return &slot->last;
}

/* Decode a list of flat structs (RB_FF_SHARE) on the stack: when it equals the
 * schema's last list, *out is that list; else a copy in the arena, now the last. */
enum { SHARE_MAX_BYTES = 2048 };
static int decode_shared_list(rb__dctx *d, const rb__node *n, const rb__schema *s, void **out)
{
	uint64_t buf[SHARE_MAX_BYTES / sizeof(uint64_t)];
	size_t bytes = n->coll.count * s->size;
	memset(buf, 0, bytes);
	for (size_t i = 0; i < n->coll.count; i++) {
		int rc = rb__decode_struct(d, n->coll.items[i], s, (char *)buf + i * s->size);
		if (rc)
			return rc;
	}
	/* Read-only from here on, as every list. */
	const void *items =
		rb__arena_share(d->arena, share_slot(d->share, s), buf, n->coll.count, s->size, NULL);
	*out = (void *)(uintptr_t)items;
	return items ? RB_OK : RB_ENOMEM;
}

static int decode_list(rb__dctx *d, const rb__node *n, void *base, const rb__field *f)
{
	int rc = expect_seq(d, n);
	if (rc || (rc = check_max_items(d, n, f)))
		return rc;
	const rb__schema *s = f->schema;
	if ((f->flags & RB_FF_SHARE) && d->share && n->coll.count &&
	    n->coll.count <= SHARE_MAX_BYTES / s->size) {
		void *p;
		rc = decode_shared_list(d, n, s, &p);
		if (rc)
			return rc;
		memcpy(at(base, f->offset), &p, sizeof(p));
		*(uint32_t *)at(base, f->aux) = (uint32_t)n->coll.count;
		return RB_OK;
	}
	char *items = rb__arena_calloc(d->arena, n->coll.count ? n->coll.count : 1, s->size);
	if (!items)
		return RB_ENOMEM;
	for (size_t i = 0; i < n->coll.count; i++) {
		rc = rb__decode_struct(d, n->coll.items[i], s, items + i * s->size);
		if (rc)
			return rc;
	}
	void *p = items;
	memcpy(at(base, f->offset), &p, sizeof(p));
	*(uint32_t *)at(base, f->aux) = (uint32_t)n->coll.count;
	return RB_OK;
}

static int decode_kv_map(rb__dctx *d, const rb__node *n, void *base, const rb__field *f)
{
	int rc = expect_map(d, n, "a mapping of strings");
	if (rc)
		return rc;
	if (n->coll.count > UINT32_MAX)
		return RB_ELIMIT; /* as check_max_items */
	rb__kv *kv = rb__arena_calloc(d->arena, n->coll.count ? n->coll.count : 1, sizeof(*kv));
	if (!kv)
		return RB_ENOMEM;
	for (size_t i = 0; i < n->coll.count; i++) {
		const rb__node *m = n->coll.items[i];
		kv[i].key = rb__arena_intern(d->arena, m->key, m->key_len);
		if (!kv[i].key)
			return RB_ENOMEM;
		if (rb__node_is_null(m)) {
			kv[i].value = "";
			continue;
		}
		rc = rb__decode_string(d, m, &kv[i].value);
		if (rc)
			return rc;
	}
	memcpy(at(base, f->offset), &kv, sizeof(kv));
	*(uint32_t *)at(base, f->aux) = (uint32_t)n->coll.count;
	return RB_OK;
}

static int decode_field(rb__dctx *d, const rb__node *v, void *base, const rb__field *f)
{
	int rc;
	switch (f->type) {
	case RB_FT_STRING:
		return rb__decode_string(d, v, (const char **)at(base, f->offset));
	case RB_FT_STRING_LIST:
		return decode_string_list(d, v, base, f);
	case RB_FT_UINT32: {
		int64_t x;
		rc = rb__decode_int(d, v, f->min, f->max, &x);
		if (rc)
			return rc;
		*(uint32_t *)at(base, f->offset) = (uint32_t)x;
		if (f->aux != RB_NO_AUX)
			*(bool *)at(base, f->aux) = true;
		return RB_OK;
	}
	case RB_FT_INT64:
		return rb__decode_int(d, v, f->min, f->max, (int64_t *)at(base, f->offset));
	case RB_FT_BOOL:
		return rb__decode_bool(d, v, (bool *)at(base, f->offset));
	case RB_FT_TRI: {
		bool b;
		rc = rb__decode_bool(d, v, &b);
		if (rc)
			return rc;
		*(rb__tri *)at(base, f->offset) = b ? RB_TRI_TRUE : RB_TRI_FALSE;
		return RB_OK;
	}
	case RB_FT_STRUCT:
		rc = rb__decode_struct(d, v, f->schema, at(base, f->offset));
		if (rc)
			return rc;
		if (f->aux != RB_NO_AUX)
			*(bool *)at(base, f->aux) = true;
		return RB_OK;
	case RB_FT_LIST:
		return decode_list(d, v, base, f);
	case RB_FT_KV_MAP:
		return decode_kv_map(d, v, base, f);
	case RB_FT_CUSTOM:
		return f->fn(d, v, base);
	default:
		RB_NOT_REACHED("a field type the schema tables do not use");
		return RB_EINVAL;
	}
}

/* The field a key selects: exact match first, else ASCII case-insensitive. */
static const rb__field *find_field(const rb__schema *s, const char *key, size_t klen)
{
	const rb__field *folded = NULL;
	for (size_t i = 0; i < s->field_count; i++) {
		const rb__field *f = &s->fields[i];
		if (f->key_len != klen)
			continue;
		/* First bytes that differ by more than ASCII case: neither test below can match. */
		if (klen && ((unsigned char)(f->key[0] ^ key[0]) & ~0x20u))
			continue;
		if (rb__eq_short(f->key, key, klen))
			return f;
		if (!folded && rb__ascii_casecmp_n(f->key, key, klen) == 0)
			folded = f;
	}
	return folded;
}

/* The member before `upto` in map that selected field f (for the message about a second one). */
static const rb__node *first_member_for(const rb__schema *s, const rb__node *map, size_t upto,
                                        const rb__field *f)
{
	for (size_t i = 0; i < upto; i++) {
		const rb__node *m = map->coll.items[i];
		if (find_field(s, m->key, m->key_len) == f)
			return m;
	}
	return NULL;
}

int rb__decode_struct(rb__dctx *d, const rb__node *map, const rb__schema *s, void *base)
{
	int rc = expect_map(d, map, s->what);
	if (rc)
		return rc;
	/* Which fields were given (bit i: field i), and which of them not as null. */
	uint64_t given = 0, nonnull = 0;
	if (s->field_count > 64)
		return RB_EINVAL; /* no schema is that big (the largest has a dozen fields) */
	/* The field after the previous member's: objects often follow schema order. */
	size_t next = 0;
	for (size_t i = 0; i < map->coll.count; i++) {
		const rb__node *m = map->coll.items[i];
		const rb__field *f = next < s->field_count ? &s->fields[next] : NULL;
		/* An exact match is the answer wherever it is (schema keys are unique):
		 * the next field, or the one after (an optional field left out). */
		if (!f || f->key_len != m->key_len || !rb__eq_short(f->key, m->key, m->key_len)) {
			f = next + 1 < s->field_count ? &s->fields[next + 1] : NULL;
			if (!f || f->key_len != m->key_len ||
			    !rb__eq_short(f->key, m->key, m->key_len))
				f = find_field(s, m->key, m->key_len);
		}
		if (!f) {
			if ((rc = rb__warn_unknown_field(d, s, m)))
				return rc;
			continue;
		}
		size_t fi = (size_t)(f - s->fields);
		next = fi + 1;
		uint64_t bit = (uint64_t)1 << fi;
		if (given & bit) {
			const rb__node *first = first_member_for(s, map, i, f);
			if (!ALWAYS(first)) /* a bit is set only by an earlier member */
				first = m;
			rb__node_error(d->diags, d->source, m,
			               "field \"%s\" given twice (as \"%s\" at line %u and \"%s\")",
			               f->key, first->key, first->line, m->key);
			return RB_EPARSE;
		}
		given |= bit;
		if (rb__node_is_null(m))
			continue;
		nonnull |= bit;
		rc = decode_field(d, m, base, f);
		if (rc)
			return rc;
	}
	/* The fields not given (or null), in schema order: is one of them required? */
	uint64_t all = s->field_count == 64 ? UINT64_MAX : ((uint64_t)1 << s->field_count) - 1;
	for (uint64_t missing = all & ~nonnull; missing; missing &= missing - 1) {
		const rb__field *f = &s->fields[__builtin_ctzll(missing)];
		if (f->flags & RB_FF_REQUIRED) {
			rb__node_error(d->diags, d->source, map, "%s needs the field \"%s\"", s->what,
			               f->key);
			return RB_EPARSE;
		}
	}
	return s->post ? s->post(d, map, base) : RB_OK;
}
