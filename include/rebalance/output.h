/*
 * rebalance -- serializing a result.
 *
 * YAML and JSON carry the same IR with the same key order (docs/ir.md).
 * Output is deterministic: identical input gives identical bytes; strings
 * that would read back as another type are quoted; LF line endings and a
 * final newline.
 */
#ifndef REBALANCE_OUTPUT_H
#define REBALANCE_OUTPUT_H

#include "rebalance/common.h"

RB_BEGIN_DECLS

/** Output formats. */
typedef enum rb_format {
	RB_FORMAT_YAML = 1,
	RB_FORMAT_JSON = 2
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

RB_END_DECLS

#endif /* REBALANCE_OUTPUT_H */
