/* Shared helpers of the Check unit tests. */
#ifndef RB_TESTUTIL_H
#define RB_TESTUTIL_H

#include "rebalance/rebalance.h"

#include <check.h>
#include <stdbool.h>
#include <stddef.h>

/* Run a suite in Check's normal (fork) mode; returns the process exit status. */
int tu_run(Suite *s);

/* Read a whole file into a malloc'd, NUL-terminated buffer (NULL on failure). */
char *tu_read_file(const char *path, size_t *len);

/* One translation through the public API: the context, the input, the result. */
typedef struct tu_fixture {
	rb_ctx *ctx;
	rb_input *in;
	rb_result *res;
} tu_fixture;

/* Translate a YAML document (the test aborts when it is rejected), with the
 * default options or with opts. */
tu_fixture tu_translate(const char *doc);
tu_fixture tu_translate_with(const char *doc, const rb_translate_options *opts);
void tu_done(tu_fixture *f);

/* The result written in `format`, as a malloc'd, NUL-terminated string. */
char *tu_render(const rb_result *res, rb_format format);

/* A writer sink (rb_write_fn) that keeps every byte it is given, NUL-terminated
 * in `data` (malloc'd: the test frees it), and counts and can fail its calls. */
typedef struct tu_sink {
	char *data;
	size_t len, cap;
	int calls;
	int fail_at;       /* fail the call with this 1-based number (0: never) */
	int calls_after;   /* calls made after a failure */
	bool failed;
	size_t max_chunk;
	size_t chunks_64k; /* calls with exactly 64 KiB */
} tu_sink;
int tu_sink_write(void *ud, const void *bytes, size_t len);

/* A realloc for rb_allocator / rb__mem that fails once tu_alloc_budget
 * allocations have been made (frees always work). */
extern int tu_alloc_budget;
void *tu_budget_realloc(void *ud, void *p, size_t old, size_t n);

#endif
