/*
 * rebalance -- serializing a result.
 *
 * YAML and JSON carry the same IR with the same key order (docs/ir.md).
 * Output is deterministic: identical input gives identical bytes; strings
 * that would read back as another type are quoted; LF line endings and a
 * final newline. RB_FORMAT_PICKLE carries the same document for Python.
 */
#ifndef REBALANCE_OUTPUT_H
#define REBALANCE_OUTPUT_H

#include "rebalance/common.h"
#include "rebalance/result.h"

RB_BEGIN_DECLS

/** Output formats. */
typedef enum rb_format {
	RB_FORMAT_YAML = 1,
	RB_FORMAT_JSON = 2,
	/**
	 * Python's pickle, protocol 4: the objects Python's json.loads gives for
	 * the RB_FORMAT_JSON bytes of the same document (dict, list, str, int,
	 * float, True, False, None; keys in order), for the Python binding, which
	 * then builds them without parsing text. Only opcodes that build those
	 * plain values are written, never one that names a class or calls one
	 * (GLOBAL, REDUCE...): an unpickler whose find_class refuses everything
	 * loads it. Binary: no final newline, and the NUL a *_to_buffer function
	 * adds is not part of it. Accepted by every writer function of the
	 * library (results, xDS, explanations, change sets, single entries);
	 * the CLI does not offer it.
	 */
	RB_FORMAT_PICKLE = 3
} rb_format;

/**
 * A sink for output bytes. Return 0 to continue, non-zero to stop (the
 * writer then returns RB_EIO).
 */
typedef int (*rb_write_fn)(void *ud, const void *bytes, size_t len);

/**
 * Stream the IR of `res` to `write`.
 * @return RB_OK, RB_EINVAL (bad format, NULL argument), RB_EIO (write
 *         returned non-zero), RB_ENOMEM
 */
RB_API int rb_result_write(const rb_result *res, rb_format format, rb_write_fn write, void *ud);

/**
 * Serialize the IR of `res` into a new buffer (NUL-terminated for
 * convenience; `*len` excludes the NUL). Free it with rb_free(ctx, *out).
 * @return RB_OK, RB_EINVAL, RB_ENOMEM
 */
RB_API int rb_result_to_buffer(const rb_result *res, rb_format format, char **out, size_t *len);

/*
 * One entry of the IR alone: a destination (rb_result_destination,
 * rb_changes_destination...) or a route status entry, as a document of its
 * own. Its bytes are those of its item in the list of rb_result_write's
 * output, without the item's indentation: in YAML the item's lines with
 * their first two characters ("- " or "  ") removed, in JSON with the four
 * spaces of the list removed; then a final newline. An embedder that keeps
 * the IR up to date from an engine's change set (engine.h) serializes only
 * the changed entries this way.
 * @param ctx whose allocator the writer uses (the context of the result)
 * @return RB_OK, RB_EINVAL (bad format, NULL argument), RB_EIO, RB_ENOMEM
 */
RB_API int rb_destination_write(rb_ctx *ctx, const rb_destination *d, rb_format format,
                                rb_write_fn write, void *ud);
/** The same in a new NUL-terminated buffer (`*len` excludes the NUL); free it with
 *  rb_free(ctx, *out). */
RB_API int rb_destination_to_buffer(rb_ctx *ctx, const rb_destination *d, rb_format format,
                                    char **out, size_t *len);
RB_API int rb_route_status_write(rb_ctx *ctx, const rb_route_status *st, rb_format format,
                                 rb_write_fn write, void *ud);
RB_API int rb_route_status_to_buffer(rb_ctx *ctx, const rb_route_status *st, rb_format format,
                                     char **out, size_t *len);

RB_END_DECLS

#endif /* REBALANCE_OUTPUT_H */
