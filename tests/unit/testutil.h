/* Shared helpers of the Check unit tests. */
#ifndef RB_TESTUTIL_H
#define RB_TESTUTIL_H

#include <check.h>
#include <stddef.h>

/* Run a suite in Check's normal (fork) mode; returns the process exit status. */
int tu_run(Suite *s);

/* Read a whole file into a malloc'd, NUL-terminated buffer (NULL on failure). */
char *tu_read_file(const char *path, size_t *len);

#endif
