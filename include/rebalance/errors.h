/*
 * rebalance -- error codes and diagnostics.
 *
 * A function that can fail returns an int: RB_OK (0) or a negative rb_error
 * code. Problems in the *input* (syntax, types, limits) also leave diagnostic
 * records on the object that was being filled (rb_input); each names the
 * source, the line and column, the byte offset, the JSON-pointer path of the
 * offending node and what was expected. Problems of *routing* (a backendRef
 * that does not resolve) are never errors: they are data in the result, as
 * Envoy Gateway reports them in route status.
 */
#ifndef REBALANCE_ERRORS_H
#define REBALANCE_ERRORS_H

#include "rebalance/common.h"

RB_BEGIN_DECLS

/** Error codes. Explicit numbers, never renumbered. */
typedef enum rb_error {
	RB_OK = 0,
	RB_ENOMEM = -1,       /**< an allocation failed */
	RB_EINVAL = -2,       /**< invalid argument (NULL handle, bad option) */
	RB_EPARSE = -3,       /**< the input is not usable: see the diagnostics */
	RB_ELIMIT = -4,       /**< the input exceeds a limit of the context (see ctx.h) */
	RB_EIO = -5,          /**< a file could not be read, or the write callback failed */
	RB_EUNSUPPORTED = -6  /**< the request is valid but not supported by this build */
} rb_error;

/** A static, human-readable name for an error code (RB_EPARSE: "unusable input"). Never NULL. */
RB_API const char *rb_strerror(int code);

/** The rb_error code of a diagnostic (RB_EPARSE, RB_ELIMIT or RB_EIO). */
RB_API int rb_diag_code(const rb_diag *d);
/** The source name given with the input ("-" for stdin). Borrowed; never NULL. */
RB_API const char *rb_diag_source(const rb_diag *d);
/** 1-based line, or 0 when unknown. */
RB_API uint32_t rb_diag_line(const rb_diag *d);
/** 1-based column counted in code points, or 0 when unknown. */
RB_API uint32_t rb_diag_column(const rb_diag *d);
/** Byte offset into the source buffer. */
RB_API uint64_t rb_diag_offset(const rb_diag *d);
/** JSON-pointer path of the offending node ("/httpRoutes/0/spec/rules/0/backendRefs/1/weight"),
 *  or "" when the problem is not inside a node (syntax errors). Borrowed; never NULL. */
RB_API const char *rb_diag_path(const rb_diag *d);
/** What went wrong and what was expected. Borrowed; never NULL. */
RB_API const char *rb_diag_message(const rb_diag *d);

/**
 * Render a diagnostic as the CLI prints it:
 * "SOURCE:LINE:COL: PATH: MESSAGE" (the path part only when there is one,
 * the line and column only when known). Works like snprintf: writes at most
 * `size` bytes including the terminating NUL and returns the length the full
 * text needs (not counting the NUL).
 */
RB_API size_t rb_diag_format(const rb_diag *d, char *buf, size_t size);

/**
 * Copy `s` into `buf` (`size` bytes, NUL-terminated, cut with "..." when too
 * long) with what a terminal would act on shown escaped: control characters,
 * ESC, CR and LF, DEL, C1 controls and invalid UTF-8 become `\n`, `\r`,
 * `\t`, `\xHH` or `\u00HH`; other text is unchanged. Diagnostics and
 * warnings are already escaped this way; use it for names printed as text.
 * Needs at most 4 bytes per input byte, plus 1. Returns buf.
 */
RB_API char *rb_escape_text(char *buf, size_t size, const char *s);

RB_END_DECLS

#endif /* REBALANCE_ERRORS_H */
