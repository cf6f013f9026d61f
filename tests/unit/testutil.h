/* Shared helpers of the Check unit tests. */
#ifndef RB_TESTUTIL_H
#define RB_TESTUTIL_H

#include "rebalance/rebalance.h"

#include <check.h>
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

#endif
