/*
 * Table-driven decoding of node trees into model structs (docs/conventions.md,
 * Input): each struct has a schema, a table of fields; one generic
 * walker does the work, so every kind decodes, reports errors and parses
 * scalars the same way.
 *
 * Rules: as Kubernetes clients decode (sigs.k8s.io/yaml into typed structs,
 * then encoding/json; docs/input.md):
 *  - keys match as encoding/json matches them (exact, else ASCII
 *    case-insensitive); unknown keys are ignored
 *    (a warning in structs known to be complete, field_policy.c); a field given twice (e.g.
 *    `name` and `Name`) is an error; null means absent;
 *  - from YAML, a number or boolean in a string field is its Go text
 *    (`value: 1234` is "1234", `name: yes` is "true", `1.50` is "1.5":
 *    load/yaml_scalar.h); a boolean field takes any YAML 1.1 boolean
 *    (`yes`, `on`, `y`...); an integer field takes any integer go-yaml reads
 *    (`0x1F`, `0o17`, `017` octal, `1_000`) and floats with an integral value
 *    (`5.0`, `1e3`); every value is range-checked per field;
 *  - from JSON, values stay typed: a string field takes only a string, an
 *    integer field only a decimal integer (a JSON number in a string field
 *    is an error there, as in encoding/json: quote it);
 *  - a quoted string never becomes a number or a boolean.
 */
#ifndef RB_MODEL_DECODE_H
#define RB_MODEL_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/diag.h"
#include "load/node.h"

struct rb__list_share;

typedef struct rb__dctx {
	rb__arena *arena; /* where decoded data goes (the model's) */
	rb__diags *diags;
	const char *source;
	rb__diags *warnings; /* unknown fields of complete structs go here; NULL: not checked */
	/* field_policy.c: the last schema an unknown field was checked against,
	 * and what it found (unknown fields come in runs of one schema). */
	const struct rb__schema *memo_schema;
	const void *memo_closed;
	/* The model's last lists of the RB_FF_SHARE fields (model.h); NULL: no sharing. */
	struct rb__list_share *share;
} rb__dctx;

typedef struct rb__schema rb__schema;

/* A custom field decoder: `base` is the struct being filled. Return RB_OK or RB_EPARSE. */
typedef int (*rb__field_fn)(rb__dctx *d, const rb__node *value, void *base);
/* Called after every field of a struct was decoded: derive and check. */
typedef int (*rb__post_fn)(rb__dctx *d, const rb__node *map, void *base);

typedef enum rb__ftype {
	RB_FT_STRING = 1,      /* const char * */
	RB_FT_STRING_LIST = 2, /* const char **, count at aux, at most max items (0: no bound) */
	RB_FT_UINT32 = 3,      /* uint32_t, has-flag at aux (optional), range [min, max] */
	RB_FT_INT64 = 4,       /* int64_t, range [min, max] */
	RB_FT_BOOL = 5,        /* bool */
	RB_FT_TRI = 6,         /* rb__tri */
	RB_FT_STRUCT = 7,      /* embedded struct at offset, decoded by schema; has-flag at aux */
	RB_FT_LIST = 8,        /* T * at offset, count at aux, elements by schema, at most max */
	RB_FT_KV_MAP = 9,      /* rb__kv * at offset, count at aux: a string-to-string mapping */
	RB_FT_CUSTOM = 10      /* fn */
} rb__ftype;

/*
 * RB_FF_SHARE: a list equal, byte for byte, to the last one decoded by the
 * same schema points to it instead of a copy of its own (rb__arena_share):
 * only for lists of flat structs (strings and scalars: equal short strings
 * are one copy, rb__arena_intern), which nothing writes once decoded.
 */
enum { RB_FF_REQUIRED = 1, RB_FF_SHARE = 2 };

#define RB_NO_AUX ((size_t)-1)

typedef struct rb__field {
	const char *key;
	uint32_t key_len; /* strlen(key): every key is a literal (the macros below) */
	uint8_t type;
	uint8_t flags;
	size_t offset;
	size_t aux;
	const rb__schema *schema;
	int64_t min;
	int64_t max;
	rb__field_fn fn;
} rb__field;

struct rb__schema {
	const char *what; /* for messages: "a backendRef" */
	size_t size;      /* element size for lists */
	const rb__field *fields;
	size_t field_count;
	rb__post_fn post;
};

#define RB_SCHEMA(what_, T, fields_, post_) \
	{what_, sizeof(T), fields_, sizeof(fields_) / sizeof((fields_)[0]), post_}

#define RB_F_STR(key, T, m) {key, sizeof(key) - 1, RB_FT_STRING, 0, offsetof(T, m), RB_NO_AUX, NULL, 0, 0, NULL}
#define RB_F_STR_REQ(key, T, m) \
	{key, sizeof(key) - 1, RB_FT_STRING, RB_FF_REQUIRED, offsetof(T, m), RB_NO_AUX, NULL, 0, 0, NULL}
#define RB_F_STRS(key, T, m, n) \
	{key, sizeof(key) - 1, RB_FT_STRING_LIST, 0, offsetof(T, m), offsetof(T, n), NULL, 0, 0, NULL}
#define RB_F_U32(key, T, m, has, lo, hi) \
	{key, sizeof(key) - 1, RB_FT_UINT32, 0, offsetof(T, m), offsetof(T, has), NULL, lo, hi, NULL}
#define RB_F_U32_REQ(key, T, m, has, lo, hi) \
	{key, sizeof(key) - 1, RB_FT_UINT32, RB_FF_REQUIRED, offsetof(T, m), offsetof(T, has), NULL, lo, hi, NULL}
#define RB_F_I64(key, T, m, lo, hi) \
	{key, sizeof(key) - 1, RB_FT_INT64, 0, offsetof(T, m), RB_NO_AUX, NULL, lo, hi, NULL}
#define RB_F_BOOL(key, T, m) {key, sizeof(key) - 1, RB_FT_BOOL, 0, offsetof(T, m), RB_NO_AUX, NULL, 0, 0, NULL}
#define RB_F_TRI(key, T, m) {key, sizeof(key) - 1, RB_FT_TRI, 0, offsetof(T, m), RB_NO_AUX, NULL, 0, 0, NULL}
/* A nested mapping decoded into the same struct (flattening), no presence flag. */
#define RB_F_NEST(key, schema_) {key, sizeof(key) - 1, RB_FT_STRUCT, 0, 0, RB_NO_AUX, &(schema_), 0, 0, NULL}
/* A nested mapping decoded into the same struct, setting a presence flag. */
#define RB_F_NEST_HAS(key, T, has, schema_) \
	{key, sizeof(key) - 1, RB_FT_STRUCT, 0, 0, offsetof(T, has), &(schema_), 0, 0, NULL}
/* An embedded struct member decoded by its own schema. */
#define RB_F_STRUCT(key, T, m, schema_) \
	{key, sizeof(key) - 1, RB_FT_STRUCT, 0, offsetof(T, m), RB_NO_AUX, &(schema_), 0, 0, NULL}
#define RB_F_STRUCT_HAS(key, T, m, has, schema_) \
	{key, sizeof(key) - 1, RB_FT_STRUCT, 0, offsetof(T, m), offsetof(T, has), &(schema_), 0, 0, NULL}
#define RB_F_LIST(key, T, m, n, schema_) \
	{key, sizeof(key) - 1, RB_FT_LIST, 0, offsetof(T, m), offsetof(T, n), &(schema_), 0, 0, NULL}
/*
 * Lists with the bound the API server enforces (a CRD's maxItems, or the
 * Kubernetes validation of a built-in kind): a longer list is refused as the
 * `kubectl apply` would be. docs/limits.md lists every bound and its source.
 */
#define RB_F_STRS_MAX(key, T, m, n, max_items) \
	{key, sizeof(key) - 1, RB_FT_STRING_LIST, 0, offsetof(T, m), offsetof(T, n), NULL, 0, max_items, NULL}
#define RB_F_LIST_MAX(key, T, m, n, schema_, max_items) \
	{key, sizeof(key) - 1, RB_FT_LIST, 0, offsetof(T, m), offsetof(T, n), &(schema_), 0, max_items, NULL}
#define RB_F_LIST_SHARED(key, T, m, n, schema_, max_items) \
	{key, sizeof(key) - 1, RB_FT_LIST, RB_FF_SHARE, offsetof(T, m), offsetof(T, n), &(schema_), 0, \
	 max_items, NULL}
#define RB_F_KV(key, T, m, n) {key, sizeof(key) - 1, RB_FT_KV_MAP, 0, offsetof(T, m), offsetof(T, n), NULL, 0, 0, NULL}
#define RB_F_FN(key, fn_) {key, sizeof(key) - 1, RB_FT_CUSTOM, 0, 0, RB_NO_AUX, NULL, 0, 0, fn_}

/* Decode mapping `map` into `base` by `schema`. RB_OK or RB_EPARSE (diagnostic recorded). */
int rb__decode_struct(rb__dctx *d, const rb__node *map, const rb__schema *schema, void *base);

/*
 * A key of `member` that matched no field of `s`: a warning (with the closest
 * known name) when `s` is a struct whose fields we all know (field_policy.c),
 * nothing otherwise. RB_OK or RB_ENOMEM.
 */
int rb__warn_unknown_field(rb__dctx *d, const rb__schema *s, const rb__node *member);

/* Strict scalar parsers, usable by custom decoders. Each records a diagnostic on failure. */
int rb__decode_string(rb__dctx *d, const rb__node *n, const char **out);
int rb__decode_int(rb__dctx *d, const rb__node *n, int64_t min, int64_t max, int64_t *out);
int rb__decode_bool(rb__dctx *d, const rb__node *n, bool *out);

/* Parse a decimal integer text strictly (JSON numbers): [-+]?[0-9]+, no leading zeros,
 * within [min, max]. */
typedef enum rb__int_status {
	RB_INT_OK = 0,
	RB_INT_SYNTAX = 1,
	RB_INT_LEADING_ZERO = 2,
	RB_INT_RANGE = 3
} rb__int_status;
rb__int_status rb__parse_int(const char *s, size_t n, int64_t min, int64_t max, int64_t *out);

#endif
