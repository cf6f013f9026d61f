/*
 * Running an untrusted Lua script (an EnvoyExtensionPolicy's) under bounds,
 * for the Lua validator (lua_check.c). Lua 5.1, as Envoy Gateway's validator
 * (gopher-lua) speaks it. The script gets only the base library (without the
 * functions that load code or files), string, table, math and os.time/clock/
 * date/difftime; its memory is capped and its running time is counted in VM
 * instructions (docs/policies.md says the bounds).
 */
#ifndef RB_TRANSLATE_LUA_SANDBOX_H
#define RB_TRANSLATE_LUA_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/mem.h"

/* The bounds of one run (a fresh Lua state each). The CPU time is a safety
 * net for what one VM instruction can do unseen (concatenating or converting
 * long strings): an ordinary script never comes near it. */
#define RB_LUA_MEMORY_CAP ((size_t)16 * 1024 * 1024)
#define RB_LUA_INSTRUCTION_BUDGET 10000000UL
#define RB_LUA_CPU_SECONDS 0.25
/* All the runs of one translation together (one run: at most the above). */
#define RB_LUA_TRANSLATION_BUDGET 30000000UL
#define RB_LUA_TRANSLATION_CPU_SECONDS 0.5

/* What the runs of one translation have left. */
typedef struct rb__lua_budget {
	unsigned long steps;
	double cpu_seconds;
} rb__lua_budget;

/* A whole translation's budget. */
static inline rb__lua_budget rb__lua_budget_full(void)
{
	rb__lua_budget b = {RB_LUA_TRANSLATION_BUDGET, RB_LUA_TRANSLATION_CPU_SECONDS};
	return b;
}

/* What a run found. */
typedef enum rb__lua_outcome {
	RB_LUA_OK,
	RB_LUA_ERROR,      /* a syntax or runtime error: *message says it */
	RB_LUA_NO_MEMORY,  /* the host itself ran out of memory: not the script's fault */
} rb__lua_outcome;

/*
 * Compile `chunk` (its name in messages: "<string>", as gopher-lua says),
 * and, unless `compile_only`, run `prelude` (trusted Lua in pieces, NULL
 * last, run first in the same state) and then the chunk. On RB_LUA_ERROR *message is the reason,
 * allocated in `arena` (a bound that was hit says so, whatever the script
 * did with the error). The run spends at most RB_LUA_INSTRUCTION_BUDGET
 * instructions (work in C charged as such) and RB_LUA_CPU_SECONDS of *budget,
 * and what it spends is taken off *budget.
 */
rb__lua_outcome rb__lua_sandbox_run(const rb__mem *mem, rb__arena *arena,
                                    const char *const *prelude,
                                    const char *chunk, size_t chunk_len, bool compile_only,
                                    rb__lua_budget *budget, const char **message);

#endif
