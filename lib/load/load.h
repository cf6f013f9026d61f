/*
 * Loading one buffer: syntax, limits, layout recognition, node trees, and the
 * hand-off of each resource object to a sink (the decoders).
 *
 * Layouts, recognised per document (YAML: `---` separated; JSON: a stream of
 * values, each one a document, as json.Decoder reads `kubectl get -o json`
 * outputs written one after the other):
 *  - Envoy Gateway testdata layout: a root mapping with known keys
 *    (layout.h; matched case-insensitively). For a list key, each item of its
 *    sequence is handed to the sink as soon as the item is complete, with the
 *    canonical key; for a single-object key (gatewayClass, ...), the value is.
 *    Unknown root keys are ignored.
 *  - `kind: List` (or any root mapping with an `items` sequence and a kind
 *    ending in "List"): each item is handed over with layout key NULL.
 *  - A single Kubernetes object (a root mapping with `kind`): handed over
 *    when the document ends, layout key NULL.
 *  - A root sequence: each item is an object, layout key NULL.
 *  - Empty YAML documents (nothing, or a lone null) are skipped.
 * A root mapping that has neither `kind` nor any known key, a document that
 * mixes a non-List kind with testdata keys, and any non-mapping, non-sequence
 * root are errors.
 *
 * Limits (core/ctx.h) are enforced while reading, before anything is built
 * from the offending part: bytes (checked first), documents, depth, scalar
 * bytes, nodes, aliases (rejected unless alias_expansion > 0, then the nodes
 * an alias expands to are counted against that budget). Each violation is an
 * RB_ELIMIT diagnostic with the location of the offending event.
 *
 * Errors: the first problem stops the load. Diagnostics carry the source
 * name, line, column (code points), byte offset, and the path when inside a
 * node. Syntax errors from libyaml use its problem mark; cJSON syntax errors
 * use the return_parse_end position.
 */
#ifndef RB_LOAD_LOAD_H
#define RB_LOAD_LOAD_H

#include <stddef.h>

#include "core/arena.h"
#include "core/ctx.h"
#include "core/diag.h"
#include "load/node.h"

typedef enum rb__format {
	RB_FMT_AUTO = 0,
	RB_FMT_YAML = 1,
	RB_FMT_JSON = 2
} rb__format;

typedef struct rb__sink {
	/*
	 * One resource object. `layout_key` is the canonical testdata key
	 * ("httpRoutes", "gatewayClass", ...) when the object came from the
	 * testdata layout, NULL otherwise (dispatch on its kind). Return RB_OK to
	 * go on, or an error code (after recording a diagnostic) to stop.
	 * `obj` and its subtree are released after the call.
	 */
	int (*object)(void *ud, const rb__node *obj, const char *layout_key);
	void *ud;
} rb__sink;

typedef struct rb__load_params {
	const char *source; /* name for diagnostics */
	const void *buf;
	size_t len;
	rb__format format; /* AUTO: JSON when the first non-blank byte is '{' or '[' */
	const rb__limits *limits;
	const rb__mem *mem;
	rb__diags *diags;
	/* Raw mode: no layout rules; each document's root node (any kind, even a
	 * scalar) is handed to the sink whole, layout key NULL. For reading back
	 * the IR in round-trip checks. */
	bool raw;
} rb__load_params;

/* Returns RB_OK, RB_EPARSE, RB_ELIMIT, RB_ENOMEM, or what the sink returned. */
int rb__load(const rb__load_params *p, const rb__sink *sink);

/* The two halves, for tests and fuzzers. Same contract as rb__load. */
int rb__load_yaml(const rb__load_params *p, const rb__sink *sink);
int rb__load_json(const rb__load_params *p, const rb__sink *sink);

/*
 * YAML read from a stream (a file, a pipe) a window at a time, instead of
 * p->buf and p->len (yaml_load.c tells how positions and the input-bytes
 * limit are kept). The same contract as rb__load, plus RB_EIO (with a
 * diagnostic) when a read fails; the result and the diagnostics are those of
 * rb__load_yaml given the same bytes in one buffer. After an error, the sink
 * may have been given more objects than from a buffer (those before the end
 * of a stream that turns out longer than the limit): the caller drops them,
 * as it drops the objects of any load that fails (rb_input does).
 */
struct rb__instream;
int rb__load_yaml_stream(const rb__load_params *p, struct rb__instream *stream,
                         const rb__sink *sink);

#endif
