/* A broken invariant (core/invariant.h): where, what, then abort. */
#include "core/invariant.h"

#include <stdio.h>
#include <stdlib.h>

_Noreturn void rb__invariant_failed(const char *file, int line, const char *cond)
{
	fprintf(stderr, "%s:%d: rebalance: invariant failed: %s\n", file, line, cond);
	fflush(stderr);
	abort();
}
