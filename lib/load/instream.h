/*
 * Input read from a file descriptor a window at a time (private to load/ and
 * api/): the YAML loader parses a file or a pipe without holding all of it.
 *
 * The window holds the bytes [start, end) of the input (absolute offsets).
 * Each rb__instream_fill drops the bytes before the offset its caller still
 * needs, then reads one chunk more; rb__instream_slurp reads the rest of the
 * input (for JSON, which cJSON parses from one buffer), sized from fstat
 * for a regular file.
 */
#ifndef RB_LOAD_INSTREAM_H
#define RB_LOAD_INSTREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/mem.h"

typedef struct rb__instream {
	int fd;
	const rb__mem *mem;
	unsigned char *data; /* data[0] is byte `start` of the input */
	size_t cap;
	uint64_t start, end;
	uint64_t size; /* a regular file's size when opened (fstat), else 0 */
	bool regular;
	bool eof;
	int error; /* the errno of a failed read, 0 if none */
	bool nomem;
	size_t chunk; /* the most one read asks for: 64 KiB (set smaller by tests, to put the
	                 window's edges everywhere) */
} rb__instream;

/* A stream over fd (not closed by rb__instream_free). */
void rb__instream_init(rb__instream *s, int fd, const rb__mem *mem);
void rb__instream_free(rb__instream *s);

/* Whether a read failed or a window could not be allocated (see error and nomem). */
static inline bool rb__instream_failed(const rb__instream *s)
{
	return s->error != 0 || s->nomem;
}

/*
 * Drop the window's bytes before offset `keep` (>= start), then read one
 * chunk more. Returns the number of bytes added: 0 at the end of the input
 * (eof) or on a failure (rb__instream_failed).
 */
size_t rb__instream_fill(rb__instream *s, uint64_t keep);

/* Read on, keeping every byte, until the end of the input or until more than `limit` bytes
 * are in the window. False on a failure. */
bool rb__instream_slurp(rb__instream *s, uint64_t limit);

#endif
