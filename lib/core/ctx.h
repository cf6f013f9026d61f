/* The context: allocator and limits. */
#ifndef RB_CORE_CTX_H
#define RB_CORE_CTX_H

#include <stdint.h>

#include "core/mem.h"
#include "rebalance/ctx.h"

typedef struct rb__limits {
	uint64_t input_bytes;
	uint64_t documents;
	uint64_t depth;
	uint64_t scalar_bytes;
	uint64_t nodes;
	uint64_t alias_expansion; /* 0: aliases rejected */
} rb__limits;

struct rb_ctx {
	rb__mem mem;
	rb__limits limits;
};

void rb__limits_default(rb__limits *l);

#endif
