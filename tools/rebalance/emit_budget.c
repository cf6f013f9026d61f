/*
 * Printing a command's output within the output budget (--limit
 * output-bytes). Output grows as routes x endpoints, so a few megabytes of
 * input can ask for gigabytes of output; the budget bounds it.
 *
 * An input past the budget leaves nothing on stdout, as every other input
 * error, and no output is ever held whole in memory: a first pass keeps the
 * output while it stays under HOLD_BYTES (then it is written, and that is
 * all: the common case costs one pass) and only counts it beyond, stopping at
 * the first byte past the budget; an output that fits the budget but not
 * HOLD_BYTES is produced a second time, streamed to stdout as the library
 * writes it.
 */
#if defined(__APPLE__) || defined(__FreeBSD__)
#define _DARWIN_C_SOURCE /* funopen */
#define _BSD_SOURCE
#else
#define _GNU_SOURCE /* fopencookie */
#endif
#include "cli.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

enum { HOLD_BYTES = 16 << 20 };

/* The first pass: the bytes while they fit HOLD_BYTES, then only their count. */
typedef struct first_pass {
	uint64_t budget;
	uint64_t bytes;
	bool over;   /* past the budget: the producer was stopped */
	bool failed; /* out of memory while holding */
	char *held;  /* NULL once the output outgrew HOLD_BYTES */
	size_t cap;
} first_pass;

static int hold_or_count(void *ud, const void *bytes, size_t len)
{
	first_pass *p = ud;
	size_t at = (size_t)p->bytes;
	p->bytes += len;
	if (p->bytes > p->budget) {
		p->over = true;
		return 1; /* the producer stops with RB_EIO */
	}
	if (!p->held)
		return 0;
	if (p->bytes > HOLD_BYTES) {
		free(p->held); /* too big to keep: the second pass will stream it */
		p->held = NULL;
		return 0;
	}
	if (p->bytes > p->cap) {
		size_t cap = p->cap * 2 > p->bytes ? p->cap * 2 : (size_t)p->bytes;
		char *grown = realloc(p->held, cap);
		if (!grown) {
			p->failed = true;
			return 1;
		}
		p->held = grown;
		p->cap = cap;
	}
	memcpy(p->held + at, bytes, len);
	return 0;
}

/* Writes to stdout, remembering the errno of the first failed write. */
typedef struct stdout_sink {
	int error;
} stdout_sink;

static int write_to_stdout(void *ud, const void *bytes, size_t len)
{
	stdout_sink *sink = ud;
	if (fwrite(bytes, 1, len, stdout) != len) {
		sink->error = errno ? errno : EIO;
		return 1;
	}
	return 0;
}

static int write_failed(const char *command, int error)
{
	fprintf(stderr, "rebalance %s: cannot write the output: %s\n", command, strerror(error));
	return CLI_FAILURE;
}

int cli_emit(const char *command, const cli_options *o, cli_produce_fn produce, const void *what)
{
	first_pass p = {.budget = o->output_bytes, .held = malloc(4096), .cap = 4096};
	if (!p.held)
		return fprintf(stderr, "rebalance %s: %s\n", command, rb_strerror(RB_ENOMEM)),
		       CLI_FAILURE;
	int err = produce(what, o->format, hold_or_count, &p);
	if (err == RB_EIO && p.failed)
		err = RB_ENOMEM;
	if (err == RB_EIO && p.over) {
		free(p.held);
		fprintf(stderr,
		        "rebalance %s: the output is larger than the limit of %" PRIu64
		        " bytes (--limit output-bytes); nothing was written\n"
		        "rebalance: an output limit was reached; if the input is trusted, raise it "
		        "with --limit output-bytes=N (see --help)\n",
		        command, p.budget);
		return CLI_USAGE;
	}
	if (err) {
		free(p.held);
		fprintf(stderr, "rebalance %s: %s\n", command, rb_strerror(err));
		return CLI_FAILURE;
	}
	errno = 0;
	if (p.held) { /* all of it, in memory: one pass was enough */
		bool ok = fwrite(p.held, 1, (size_t)p.bytes, stdout) == p.bytes && !fflush(stdout);
		free(p.held);
		return ok ? CLI_OK : write_failed(command, errno ? errno : EIO);
	}
	stdout_sink sink = {0};
	err = produce(what, o->format, write_to_stdout, &sink);
	if ((!err || err == RB_EIO) && (fflush(stdout) || ferror(stdout)) && !sink.error)
		sink.error = errno ? errno : EIO;
	if (sink.error)
		return write_failed(command, sink.error);
	if (err) {
		fprintf(stderr, "rebalance %s: %s\n", command, rb_strerror(err));
		return CLI_FAILURE;
	}
	return CLI_OK;
}

/* ---- a FILE whose bytes go to an rb_write_fn (for output printed with stdio) ---- */

typedef struct sink_cookie {
	rb_write_fn write;
	void *ud;
} sink_cookie;

#if defined(__APPLE__) || defined(__FreeBSD__)
static int cookie_write(void *c, const char *buf, int len)
{
	sink_cookie *s = c;
	if (s->write(s->ud, buf, (size_t)len))
		return errno = EIO, -1;
	return len;
}

static int cookie_close(void *c)
{
	free(c);
	return 0;
}

FILE *cli_sink_file(rb_write_fn write, void *ud)
{
	sink_cookie *s = malloc(sizeof *s);
	if (!s)
		return NULL;
	s->write = write;
	s->ud = ud;
	FILE *f = funopen(s, NULL, cookie_write, NULL, cookie_close);
	if (!f)
		free(s);
	return f;
}
#else
static ssize_t cookie_write(void *c, const char *buf, size_t len)
{
	sink_cookie *s = c;
	if (s->write(s->ud, buf, len))
		return errno = EIO, -1;
	return (ssize_t)len;
}

static int cookie_close(void *c)
{
	free(c);
	return 0;
}

FILE *cli_sink_file(rb_write_fn write, void *ud)
{
	sink_cookie *s = malloc(sizeof *s);
	if (!s)
		return NULL;
	s->write = write;
	s->ud = ud;
	FILE *f = fopencookie(
	    s, "w", (cookie_io_functions_t){.write = cookie_write, .close = cookie_close});
	if (!f)
		free(s);
	return f;
}
#endif
