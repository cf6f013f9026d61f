/*
 * The generic node tree (docs/conventions.md, Input). Both loaders (YAML
 * through libyaml events, JSON through cJSON) build the same tree, with a
 * location on every node, and every decoder reads only this tree.
 *
 * Nodes live in the loader's scratch arena. Each resource object is handed to
 * the sink (load.h) as soon as its subtree is complete, and its nodes are
 * released after the sink returns: a decoder must copy what it keeps.
 */
#ifndef RB_LOAD_NODE_H
#define RB_LOAD_NODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/diag.h"

typedef enum rb__node_kind {
	RB_NODE_SCALAR = 1,
	RB_NODE_MAP = 2,
	RB_NODE_SEQ = 3
} rb__node_kind;

/*
 * What a scalar resolves to. YAML: quoted and block scalars are strings;
 * plain scalars resolve as go-yaml v2 resolves them (YAML 1.1, the parser
 * under sigs.k8s.io/yaml that Kubernetes clients use): see yaml_scalar.h.
 * JSON: by the token.
 */
typedef enum rb__scalar_type {
	RB_SCALAR_STRING = 0,
	RB_SCALAR_INT = 1,
	RB_SCALAR_FLOAT = 2,
	RB_SCALAR_BOOL = 3,
	RB_SCALAR_NULL = 4
} rb__scalar_type;

typedef struct rb__node rb__node;

struct rb__node {
	uint8_t kind;  /* rb__node_kind */
	uint8_t stype; /* rb__scalar_type, scalars only */
	/* Read from YAML: a plain number or boolean then stands for a string
	 * where a string is expected, as sigs.k8s.io/yaml converts it (JSON
	 * input stays typed, as encoding/json reads it). */
	uint8_t from_yaml;
	/* A mapping member under YAML's merge key `<<`; the loader replaces it
	 * by the members it merges (load/merge.h), so decoders never see one. */
	uint8_t merge;
	const rb__node *parent; /* NULL for a document root */
	/* As a member of a mapping: its key (NUL-terminated, key_len bytes). */
	const char *key;
	size_t key_len;
	/* As an item of a sequence: its index. */
	size_t index;
	/* Where the node starts: 1-based line, 1-based column in code points, byte offset. */
	uint32_t line;
	uint32_t column;
	uint64_t offset;
	union {
		struct {
			const char *text; /* NUL-terminated; never contains NUL */
			size_t len;
		} scalar;
		struct {
			rb__node **items; /* mapping members (each with key) or sequence items */
			size_t count;
		} coll;
	};
};

static inline bool rb__node_is_map(const rb__node *n)
{
	return n && n->kind == RB_NODE_MAP;
}
static inline bool rb__node_is_seq(const rb__node *n)
{
	return n && n->kind == RB_NODE_SEQ;
}
static inline bool rb__node_is_scalar(const rb__node *n)
{
	return n && n->kind == RB_NODE_SCALAR;
}
/* Absent (NULL) or an explicit null. Decoders treat both as "not given". */
static inline bool rb__node_is_null(const rb__node *n)
{
	return !n || (n->kind == RB_NODE_SCALAR && n->stype == RB_SCALAR_NULL);
}

/*
 * Look up a mapping member by key, as Go's encoding/json does: an exact
 * match wins, else a case-insensitive (ASCII) match. NULL when absent or
 * when `map` is not a mapping.
 */
const rb__node *rb__node_get(const rb__node *map, const char *key);

/* The JSON-pointer path of n from its document root ("/spec/rules/0"), in arena. */
char *rb__node_path(const rb__node *n, rb__arena *arena);

/* A human name for a node's type: "a mapping", "a sequence", "a string", "an integer", ... */
const char *rb__node_type_name(const rb__node *n);

/* Record an RB_EPARSE diagnostic located at n (line, column, offset, path). */
void rb__node_error(rb__diags *d, const char *source, const rb__node *n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
