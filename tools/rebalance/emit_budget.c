/*
 * Printing a command's output within the output budget (--limit
 * output-bytes). Output grows as routes x endpoints, so a few megabytes of
 * input can ask for gigabytes of output; the budget bounds it, and an output
 * past it is all or nothing wherever a program could read it back.
 *
 * Where it can be undone, the output goes straight to stdout as the library
 * produces it, the way a Unix filter writes, and is stopped at the first byte
 * past the budget: a regular file (`> out.json`, `>> log`) is then cut back to
 * where the command started writing, so it holds all of the output or none of
 * it; a terminal or /dev/null gets the budget's worth and a message that it is
 * incomplete (a person reads a terminal, nobody reads /dev/null). Staging the
 * output cost a twentieth of the CLI's CPU time at 8,000 routes (bench/README.md).
 *
 * Anything else -- a pipe, a socket -- is read by a program as it comes, and
 * what was written cannot be taken back: there the output is kept until its
 * end is known to fit, but never in the process's memory beyond HOLD_BYTES: a
 * longer output goes on to an unlinked temporary file (in $TMPDIR, else
 * /tmp), whose pages are the kernel's file cache, not the process's (at 8,000
 * routes the output is 1.9x the input: holding it would double the CLI's peak
 * RSS). Without $TMPDIR, the file is an anonymous memory file (memfd_create,
 * Linux): its pages are not in the process's RSS either, and a file system's
 * journal never sees them; $TMPDIR, when set, is where the user wants
 * temporary data. The first pass stops at the first byte past the budget;
 * when it fits, the held bytes or the file are copied to stdout (by sendfile,
 * kernel to kernel, where the kernel can): one pass of the serializer. Only
 * when no temporary file can be written is a longer output merely counted on
 * the first pass, and produced a second time, streamed to stdout as the
 * library writes it.
 */
#if defined(__APPLE__) || defined(__FreeBSD__)
#define _DARWIN_C_SOURCE /* funopen */
#define _BSD_SOURCE
#else
#define _GNU_SOURCE /* fopencookie */
#endif
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/mman.h>     /* memfd_create */
#include <sys/sendfile.h> /* sendfile */
#endif

/* What the first pass keeps in memory: the output of a small input, whole. */
enum { HOLD_BYTES = 256 << 10 };

/* The first pass: the bytes in memory while they fit HOLD_BYTES, then in the
 * spill file; with no spill file, only their count. */
typedef struct first_pass {
	uint64_t budget;
	uint64_t bytes;
	bool over;   /* past the budget: the producer was stopped */
	bool failed; /* out of memory while holding */
	bool counting; /* neither held nor spilled: a second pass will stream it */
	char *held;  /* the bytes, until they outgrow HOLD_BYTES */
	size_t cap;
	FILE *spill; /* the bytes past HOLD_BYTES: an unlinked temporary file */
} first_pass;

/* An unlinked temporary file in $TMPDIR (else a memory file, else /tmp), open for update; NULL if
 * none can be made. */
static FILE *open_spill_file(void)
{
	const char *dir = getenv("TMPDIR");
	if (!dir || !*dir) {
#ifdef __linux__
		int mfd = memfd_create("rebalance-out", MFD_CLOEXEC);
		FILE *mf = mfd >= 0 ? fdopen(mfd, "w+b") : NULL;
		if (mf)
			return mf;
		if (mfd >= 0)
			close(mfd);
#endif
		dir = "/tmp";
	}
	size_t n = strlen(dir) + sizeof "/rebalance-out-XXXXXX";
	char *path = malloc(n);
	if (!path)
		return NULL;
	snprintf(path, n, "%s/rebalance-out-XXXXXX", dir);
	int fd = mkstemp(path);
	FILE *f = NULL;
	if (fd >= 0) {
		unlink(path); /* gone with the process, however it ends */
		f = fdopen(fd, "w+b");
		if (!f)
			close(fd);
	}
	free(path);
	return f;
}

/* Move the held bytes to a spill file; false (and nothing held) when it cannot be written. */
static bool start_spilling(first_pass *p, size_t held_len)
{
	p->spill = open_spill_file();
	if (p->spill && fwrite(p->held, 1, held_len, p->spill) != held_len) {
		fclose(p->spill);
		p->spill = NULL;
	}
	free(p->held);
	p->held = NULL;
	return p->spill != NULL;
}

static int hold_or_count(void *ud, const void *bytes, size_t len)
{
	first_pass *p = ud;
	size_t at = (size_t)p->bytes;
	p->bytes += len;
	if (p->bytes > p->budget) {
		p->over = true;
		return 1; /* the producer stops with RB_EIO */
	}
	if (p->counting)
		return 0;
	if (p->held && p->bytes > HOLD_BYTES && !start_spilling(p, at)) {
		p->counting = true;
		return 0;
	}
	if (p->spill) {
		if (fwrite(bytes, 1, len, p->spill) != len) {
			fclose(p->spill); /* a full disk: fall back to counting */
			p->spill = NULL;
			p->counting = true;
		}
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

static void first_pass_free(first_pass *p)
{
	free(p->held);
	if (p->spill)
		fclose(p->spill);
}

#ifdef __linux__
/*
 * Copy the spill file's `len` bytes to stdout's descriptor with sendfile, without passing them
 * through this process: 0 when all went, -1 when the kernel cannot do it for these files (nothing
 * written: copy through stdio instead), else the errno of the failure.
 */
static int sendfile_to_stdout(FILE *spill, uint64_t len)
{
	if (fflush(stdout))
		return errno ? errno : EIO;
	off_t at = 0;
	while ((uint64_t)at < len) {
		uint64_t left = len - (uint64_t)at;
		ssize_t n = sendfile(STDOUT_FILENO, fileno(spill), &at,
		                     left > (1u << 30) ? (size_t)1 << 30 : (size_t)left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && at == 0 && (errno == EINVAL || errno == ENOSYS))
			return -1;
		if (n <= 0)
			return n < 0 ? errno : EIO;
	}
	return 0;
}
#endif

/* Copy the spill file (`len` bytes) to stdout; 0, or the errno of the failure. */
static int copy_spill_to_stdout(FILE *spill, uint64_t len)
{
	char chunk[65536];
	size_t n;
	errno = 0;
	if (fflush(spill))
		return errno ? errno : EIO;
#ifdef __linux__
	int sent = sendfile_to_stdout(spill, len);
	if (sent >= 0)
		return sent;
#else
	(void)len;
#endif
	if (fseek(spill, 0, SEEK_SET))
		return errno ? errno : EIO;
	while ((n = fread(chunk, 1, sizeof chunk, spill)) > 0)
		if (fwrite(chunk, 1, n, stdout) != n)
			return errno ? errno : EIO;
	if (ferror(spill))
		return errno ? errno : EIO;
	return 0;
}

/* Writes to stdout up to a budget, remembering the errno of the first failed write. */
typedef struct stdout_sink {
	uint64_t budget;
	uint64_t bytes; /* written so far */
	bool over;      /* the output went past the budget: the producer was stopped */
	int error;
	char last; /* the last byte written */
} stdout_sink;

static int write_to_stdout(void *ud, const void *bytes, size_t len)
{
	stdout_sink *sink = ud;
	size_t fits = len;
	if (len > sink->budget - sink->bytes) {
		fits = (size_t)(sink->budget - sink->bytes);
		sink->over = true;
	}
	if (fits && fwrite(bytes, 1, fits, stdout) != fits) {
		sink->error = errno ? errno : EIO;
		return 1;
	}
	sink->bytes += fits;
	if (fits)
		sink->last = ((const char *)bytes)[fits - 1];
	return sink->over; /* past the budget: the producer stops with RB_EIO */
}

static int write_failed(const char *command, int error)
{
	fprintf(stderr, "rebalance %s: cannot write the output: %s\n", command, strerror(error));
	return CLI_FAILURE;
}

static const char BUDGET_HINT[] = "rebalance: an output limit was reached; if the input is trusted, "
                                  "raise it with --limit output-bytes=N (see --help)\n";

static int over_budget(const char *command, uint64_t budget)
{
	fprintf(stderr,
	        "rebalance %s: the output is larger than the limit of %" PRIu64
	        " bytes (--limit output-bytes); nothing was written\n%s",
	        command, budget, BUDGET_HINT);
	return CLI_USAGE;
}

/* Where stdout's writes start (a regular file), so that they can be taken back; -1 if not. */
static off_t undo_point(const struct stat *st)
{
	if (!S_ISREG(st->st_mode))
		return -1;
	int flags = fcntl(STDOUT_FILENO, F_GETFL);
	if (flags < 0)
		return -1;
	return (flags & O_APPEND) ? st->st_size : lseek(STDOUT_FILENO, 0, SEEK_CUR);
}

/* Cut stdout (a regular file) back to `at`, and its offset with it; false if it cannot be. */
static bool undo_output(off_t at)
{
	(void)fflush(stdout); /* what stdio still holds goes before the cut, not after it */
	return at >= 0 && ftruncate(STDOUT_FILENO, at) == 0 &&
	       lseek(STDOUT_FILENO, at, SEEK_SET) == at;
}

/*
 * Straight to stdout, stopped at the budget; past it, stdout is cut back to `start` (a regular
 * file) or, when start is -1 or the cut fails, the output is said to be incomplete.
 */
static int emit_direct(const char *command, const cli_options *o, cli_produce_fn produce,
                       const void *what, off_t start)
{
	stdout_sink sink = {.budget = o->output_bytes};
	errno = 0;
	int err = produce(what, o->format, write_to_stdout, &sink);
	if (sink.over) {
		if (undo_output(start))
			return over_budget(command, o->output_bytes);
		/* On a terminal, the message starts on a line of its own. */
		if (sink.bytes && sink.last != '\n' && isatty(STDOUT_FILENO))
			(void)fputc('\n', stdout);
		(void)fflush(stdout);
		fprintf(stderr,
		        "rebalance %s: the output is larger than the limit of %" PRIu64
		        " bytes (--limit output-bytes); it stops there: what was printed is "
		        "incomplete\n%s",
		        command, o->output_bytes, BUDGET_HINT);
		return CLI_USAGE;
	}
	if (!sink.error && (fflush(stdout) || ferror(stdout)))
		sink.error = errno ? errno : EIO;
	if (sink.error)
		return write_failed(command, sink.error);
	if (err) {
		fprintf(stderr, "rebalance %s: %s\n", command, rb_strerror(err));
		return CLI_FAILURE;
	}
	return CLI_OK;
}

int cli_emit(const char *command, const cli_options *o, cli_produce_fn produce, const void *what)
{
	struct stat st;
	if (fstat(STDOUT_FILENO, &st) == 0 && (S_ISREG(st.st_mode) || S_ISCHR(st.st_mode)))
		return emit_direct(command, o, produce, what, undo_point(&st));
	first_pass p = {.budget = o->output_bytes, .held = malloc(4096), .cap = 4096};
	if (!p.held)
		return fprintf(stderr, "rebalance %s: %s\n", command, rb_strerror(RB_ENOMEM)),
		       CLI_FAILURE;
	int err = produce(what, o->format, hold_or_count, &p);
	if (err == RB_EIO && p.failed)
		err = RB_ENOMEM;
	if (err == RB_EIO && p.over) {
		first_pass_free(&p);
		return over_budget(command, p.budget);
	}
	if (err) {
		first_pass_free(&p);
		fprintf(stderr, "rebalance %s: %s\n", command, rb_strerror(err));
		return CLI_FAILURE;
	}
	errno = 0;
	if (p.held) { /* all of it, in memory: one pass was enough */
		bool ok = fwrite(p.held, 1, (size_t)p.bytes, stdout) == p.bytes && !fflush(stdout);
		first_pass_free(&p);
		return ok ? CLI_OK : write_failed(command, errno ? errno : EIO);
	}
	if (p.spill && (fflush(p.spill) || ferror(p.spill))) {
		/* The temporary file's last bytes could not be written (a full
		 * disk): nothing is on stdout yet, so stream a second pass instead. */
		fclose(p.spill);
		p.spill = NULL;
	}
	if (p.spill) { /* all of it, in the spill file: one pass too */
		int error = copy_spill_to_stdout(p.spill, p.bytes);
		if (!error && fflush(stdout))
			error = errno ? errno : EIO;
		first_pass_free(&p);
		return error ? write_failed(command, error) : CLI_OK;
	}
	/* The second pass, which the first one found to fit. */
	return emit_direct(command, o, produce, what, -1);
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
