/*
 * The Lua sandbox (lua_sandbox.h). Every bound is enforced by the host, not
 * by trusting the script:
 *  - memory: a custom allocator, through the context's allocator, refuses
 *    to grow the state past RB_LUA_MEMORY_CAP;
 *  - time: a count hook adds up VM instructions over every coroutine of the
 *    state and raises an error past the run's budget; from then on it raises
 *    one at every instruction, so no pcall can swallow it for long. The same
 *    hook stops a run past RB_LUA_CPU_SECONDS of the thread's CPU time, for
 *    the work single instructions do unseen (OP_CONCAT of long strings whose
 *    result is already interned allocates nothing);
 *  - work done in C, which the hook does not see, is charged to the same
 *    budget: every byte allocated (string building of any kind, the garbage
 *    collector's work follows allocation), and before they start the work of
 *    the pattern functions (whose backtracking is also capped per call: Lua
 *    5.1's matcher recurses once per quantifier and backtracks without
 *    limit), plain finds, and table.sort/insert/remove/maxn; string.rep is
 *    refused a result past the memory cap before it builds one;
 *  - no function that loads code, reads files, runs programs, runs a full
 *    garbage collection on demand or calls C functions per element
 *    (table.foreach) is reachable, and no userdata with a __gc finalizer can
 *    be made (newproxy): Lua 5.1 runs finalizers with hooks off.
 * Envoy Gateway's validator has none of these bounds; docs/policies.md says
 * what differs.
 */
/* clock_gettime and the thread's CPU clock (POSIX, not C11). */
#define _POSIX_C_SOURCE 200809L

#include "translate/lua_sandbox.h"

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>

/* The hook runs every HOOK_EVERY instructions: one instruction can copy up to
 * the memory cap, so the CPU clock is read often enough to stop in time. */
#define HOOK_EVERY 100
/* Pattern matching: at most this many match steps, and this many quantifiers
 * (each a level of C recursion; Lua 5.2 bounds the depth to 200 the same way). */
#define PATTERN_STEP_BUDGET 100000000.0
#define PATTERN_MAX_QUANTIFIERS 200
/* Charges of work done in C, in VM instructions: one per this many bytes
 * allocated, and per this many steps of other C loops. */
#define ALLOC_BYTES_PER_STEP 16
#define C_STEPS_PER_STEP 16.0
/* Longest error message kept. */
#define MESSAGE_MAX 512

typedef struct sandbox {
	const rb__mem *mem;
	size_t used;
	unsigned long steps; /* VM instructions, and work in C charged as such */
	unsigned long limit; /* this run's budget */
	double cpu_start;    /* the thread's CPU clock when the run started */
	double cpu_limit;    /* seconds this run may take */
	bool over_memory;
	bool over_steps;
	bool memory_first; /* the memory cap was reached before the time bound */
	bool host_out_of_memory;
} sandbox;

static double cpu_now(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts))
		return 0.0; /* no such clock: the instruction count still bounds the run */
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static sandbox *sandbox_of(lua_State *L)
{
	void *ud = NULL;
	lua_getallocf(L, &ud);
	return ud;
}

/* Lua 5.1's allocator contract: osize is 0 when ptr is NULL; a shrink must not fail. */
static void *sandbox_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	sandbox *s = ud;
	if (nsize == 0) {
		if (ptr) {
			rb__free(s->mem, ptr);
			s->used -= osize;
		}
		return NULL;
	}
	if (nsize > osize && nsize - osize > RB_LUA_MEMORY_CAP - s->used) {
		s->memory_first |= !s->over_steps;
		s->over_memory = true;
		return NULL;
	}
	void *p = ptr ? rb__realloc(s->mem, ptr, nsize) : rb__malloc(s->mem, nsize);
	if (!p) {
		if (nsize <= osize)
			return ptr; /* the old block is big enough */
		s->host_out_of_memory = true;
		return NULL;
	}
	if (nsize > osize) /* the hook sees the charge: no error can be raised here */
		s->steps += (nsize - osize) / ALLOC_BYTES_PER_STEP;
	s->used = s->used - osize + nsize;
	return p;
}

static void count_hook(lua_State *L, lua_Debug *ar)
{
	(void)ar;
	sandbox *s = sandbox_of(L);
	s->steps += HOOK_EVERY;
	if (s->steps > s->limit || s->over_steps || cpu_now() - s->cpu_start > s->cpu_limit) {
		s->over_steps = true;
		lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
		luaL_error(L, "instruction budget exceeded");
	}
}

/* ---- bounded C functions ---- */

/* Charge `work` steps of a C loop about to run; past the budget, an error instead. */
static void charge(lua_State *L, double work)
{
	sandbox *s = sandbox_of(L);
	double steps = work / C_STEPS_PER_STEP;
	if (s->over_steps || steps > (double)(s->limit - (s->steps < s->limit ? s->steps : s->limit))) {
		s->over_steps = true;
		s->steps = s->limit + 1;
		luaL_error(L, "instruction budget exceeded");
	}
	s->steps += (unsigned long)steps;
}

/* Call the original function (upvalue 1) with this call's arguments. */
static int call_original(lua_State *L)
{
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
	return lua_gettop(L);
}

/* table.sort, insert, remove, maxn: work in the table's length. */
static int charged_table_function(lua_State *L)
{
	size_t len = lua_istable(L, 1) ? lua_objlen(L, 1) : 0;
	bool sort = lua_toboolean(L, lua_upvalueindex(2));
	/* n log n for a sort: the bits of n stand for its logarithm */
	double bits = len > 1 ? (double)(64 - __builtin_clzll((unsigned long long)len)) : 1.0;
	charge(L, (double)len * (sort ? bits : 1.0));
	return call_original(L);
}

/* string.rep: refuse a result bigger than the memory cap before building it. */
static int bounded_rep(lua_State *L)
{
	size_t len;
	luaL_checklstring(L, 1, &len);
	lua_Number n = luaL_checknumber(L, 2);
	if (n > 0 && n * (lua_Number)(len ? len : 1) > (lua_Number)RB_LUA_MEMORY_CAP)
		return luaL_error(L, "string.rep result too large");
	if (n > 0)
		charge(L, n); /* the loop, even when the result is empty */
	return call_original(L);
}

/*
 * An upper bound of the steps Lua 5.1's matcher can take for pattern p on a
 * subject of n bytes: each `*`, `+` or `-` can try every length (n + 1
 * ways), each `?` two, and an unanchored pattern is tried at every start.
 */
static bool pattern_affordable(const char *p, size_t plen, size_t n, double *cost)
{
	double steps = 1.0;
	size_t quantifiers = 0;
	size_t i = 0;
	if (plen && p[0] == '^')
		i = 1;
	else
		steps = (double)n + 1.0;
	bool in_set = false;
	for (; i < plen; i++) {
		char c = p[i];
		if (c == '%') {
			i++; /* an escaped character (or %b's, %f's first) is literal */
			continue;
		}
		if (in_set) {
			if (c == ']')
				in_set = false;
			continue;
		}
		if (c == '[') {
			in_set = true;
			if (i + 1 < plen && p[i + 1] == '^')
				i++;
			if (i + 1 < plen && p[i + 1] == ']')
				i++; /* a leading ']' is a member */
			continue;
		}
		if (c == '*' || c == '+' || c == '-' || c == '?') {
			quantifiers++;
			steps *= c == '?' ? 2.0 : (double)n + 1.0;
		}
	}
	*cost = steps * (double)(plen ? plen : 1);
	return quantifiers <= PATTERN_MAX_QUANTIFIERS && steps <= PATTERN_STEP_BUDGET;
}

/* string.find/match/gmatch/gsub: check the pattern's cost, then call the original. */
static int bounded_pattern(lua_State *L)
{
	size_t n = 0, plen = 0;
	const char *s = lua_tolstring(L, 1, &n);
	const char *p = lua_tolstring(L, 2, &plen);
	bool plain = lua_toboolean(L, lua_upvalueindex(2)) && lua_toboolean(L, 4);
	if (s && p) {
		double cost = (double)n * (double)(plen ? plen : 1); /* a plain find compares */
		if (!plain && !pattern_affordable(p, plen, n, &cost))
			return luaL_error(L, "string pattern too costly to run in the validator");
		charge(L, cost);
	}
	return call_original(L);
}

static int no_output(lua_State *L)
{
	(void)L;
	return 0; /* print: the script's output must not reach ours */
}

/* ---- the state ---- */

static void open_library(lua_State *L, lua_CFunction open, const char *name)
{
	lua_pushcfunction(L, open);
	lua_pushstring(L, name);
	lua_call(L, 1, 0);
}

static void remove_field(lua_State *L, const char *table, const char *field)
{
	lua_getglobal(L, table);
	lua_pushnil(L);
	lua_setfield(L, -2, field);
	lua_pop(L, 1);
}

/* Replace table.name by wrapper, which gets the original and `flag` as upvalues. */
static void wrap_function(lua_State *L, const char *table, const char *name,
                          lua_CFunction wrapper, bool flag)
{
	lua_getglobal(L, table);
	lua_getfield(L, -1, name);
	lua_pushboolean(L, flag);
	lua_pushcclosure(L, wrapper, 2);
	lua_setfield(L, -2, name);
	lua_pop(L, 1);
}

/* Runs protected (lua_cpcall): opening libraries can raise memory errors. */
static int open_sandbox(lua_State *L)
{
	open_library(L, luaopen_base, "");
	open_library(L, luaopen_string, LUA_STRLIBNAME);
	open_library(L, luaopen_table, LUA_TABLIBNAME);
	open_library(L, luaopen_math, LUA_MATHLIBNAME);
	open_library(L, luaopen_os, LUA_OSLIBNAME);
	static const char *const BASE_REMOVED[] = {"dofile",   "loadfile",      "load",
	                                           "loadstring", "newproxy",    "collectgarbage"};
	for (size_t i = 0; i < sizeof BASE_REMOVED / sizeof *BASE_REMOVED; i++) {
		lua_pushnil(L);
		lua_setglobal(L, BASE_REMOVED[i]);
	}
	lua_pushcfunction(L, no_output);
	lua_setglobal(L, "print");
	/* os: only the clock and the calendar. */
	static const char *const OS_REMOVED[] = {"execute", "exit",   "getenv", "remove",
	                                         "rename",  "tmpname", "setlocale"};
	for (size_t i = 0; i < sizeof OS_REMOVED / sizeof *OS_REMOVED; i++)
		remove_field(L, LUA_OSLIBNAME, OS_REMOVED[i]);
	remove_field(L, LUA_STRLIBNAME, "dump");
	remove_field(L, LUA_TABLIBNAME, "foreach");
	remove_field(L, LUA_TABLIBNAME, "foreachi");
	wrap_function(L, LUA_STRLIBNAME, "rep", bounded_rep, false);
	wrap_function(L, LUA_STRLIBNAME, "find", bounded_pattern, true);
	wrap_function(L, LUA_STRLIBNAME, "match", bounded_pattern, false);
	wrap_function(L, LUA_STRLIBNAME, "gmatch", bounded_pattern, false);
	wrap_function(L, LUA_STRLIBNAME, "gsub", bounded_pattern, false);
	wrap_function(L, LUA_TABLIBNAME, "sort", charged_table_function, true);
	wrap_function(L, LUA_TABLIBNAME, "insert", charged_table_function, false);
	wrap_function(L, LUA_TABLIBNAME, "remove", charged_table_function, false);
	wrap_function(L, LUA_TABLIBNAME, "maxn", charged_table_function, false);
	return 0;
}

/* The chunk's text for lua_load, refusing precompiled (binary) chunks:
 * Lua 5.1 would load bytecode it cannot verify. */
typedef struct text_reader {
	const char *text;
	size_t len;
	bool done;
} text_reader;

static const char *read_text(lua_State *L, void *ud, size_t *size)
{
	(void)L;
	text_reader *r = ud;
	if (r->done)
		return NULL;
	r->done = true;
	*size = r->len;
	return r->text;
}

static const char *translation_spent(rb__arena *arena)
{
	return rb__arena_printf(arena,
	                        "the translation's Lua budget is spent (rebalance's bound on "
	                        "validation: %lu instructions or %g s of CPU time for all scripts)",
	                        RB_LUA_TRANSLATION_BUDGET, RB_LUA_TRANSLATION_CPU_SECONDS);
}

/* The prelude's pieces, one after the other. */
typedef struct pieces_reader {
	const char *const *next;
} pieces_reader;

static const char *read_pieces(lua_State *L, void *ud, size_t *size)
{
	(void)L;
	pieces_reader *r = ud;
	const char *piece = *r->next;
	if (!piece)
		return NULL;
	r->next++;
	*size = strlen(piece);
	return piece;
}

static int load_text(lua_State *L, const char *text, size_t len)
{
	if (len && text[0] == LUA_SIGNATURE[0]) {
		lua_pushstring(L, "<string>: precompiled chunks are not accepted");
		return LUA_ERRSYNTAX;
	}
	text_reader r = {text, len, false};
	return lua_load(L, read_text, &r, "=<string>");
}

static const char *error_text(rb__arena *arena, lua_State *L)
{
	/* Outside any protected call now: nothing here may allocate in the state
	 * (lua_tolstring would, to turn a number into a string). */
	size_t len = 0;
	if (lua_type(L, -1) == LUA_TNUMBER)
		return rb__arena_printf(arena, "%.14g", (double)lua_tonumber(L, -1));
	const char *m = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &len) : NULL;
	if (!m)
		return rb__arena_strdup(arena, "(error object is not a string)");
	return rb__arena_strndup(arena, m, len < MESSAGE_MAX ? len : MESSAGE_MAX);
}

rb__lua_outcome rb__lua_sandbox_run(const rb__mem *mem, rb__arena *arena,
                                    const char *const *prelude,
                                    const char *chunk, size_t chunk_len, bool compile_only,
                                    rb__lua_budget *budget, const char **message)
{
	*message = NULL;
	if (!compile_only && (budget->steps == 0 || budget->cpu_seconds <= 0.0)) {
		*message = translation_spent(arena);
		return *message ? RB_LUA_ERROR : RB_LUA_NO_MEMORY;
	}
	unsigned long limit =
	    budget->steps < RB_LUA_INSTRUCTION_BUDGET ? budget->steps : RB_LUA_INSTRUCTION_BUDGET;
	double cpu_limit =
	    budget->cpu_seconds < RB_LUA_CPU_SECONDS ? budget->cpu_seconds : RB_LUA_CPU_SECONDS;
	bool translation_bound = limit < RB_LUA_INSTRUCTION_BUDGET || cpu_limit < RB_LUA_CPU_SECONDS;
	sandbox s = {mem, 0, 0, limit, cpu_now(), cpu_limit, false, false, false, false};
	lua_State *L = lua_newstate(sandbox_alloc, &s);
	if (!L)
		return RB_LUA_NO_MEMORY;
	int rc = lua_cpcall(L, open_sandbox, NULL);
	if (!rc && !compile_only && prelude) {
		/* The trusted prelude runs under the same bounds as the script. */
		lua_sethook(L, count_hook, LUA_MASKCOUNT, HOOK_EVERY);
		rc = lua_load(L, read_pieces, &(pieces_reader){prelude}, "=mocks");
		if (!rc)
			rc = lua_pcall(L, 0, 0, 0);
	}
	bool script_failed = false;
	if (!rc) {
		rc = load_text(L, chunk, chunk_len);
		script_failed = rc != 0;
		if (!rc && !compile_only) {
			lua_sethook(L, count_hook, LUA_MASKCOUNT, HOOK_EVERY);
			rc = lua_pcall(L, 0, 0, 0);
			script_failed = rc != 0;
		}
	}
	rb__lua_outcome out = RB_LUA_OK;
	/* The bound reached first is the one reported. */
	if (s.host_out_of_memory) {
		out = RB_LUA_NO_MEMORY;
	} else if (s.memory_first) {
		out = RB_LUA_ERROR;
		*message = rb__arena_printf(arena,
		                            "the script used more than %zu MiB of memory "
		                            "(rebalance's bound on validation)",
		                            RB_LUA_MEMORY_CAP / (1024 * 1024));
	} else if (s.over_steps && translation_bound) {
		out = RB_LUA_ERROR;
		*message = translation_spent(arena);
	} else if (s.over_steps) {
		out = RB_LUA_ERROR;
		*message = rb__arena_printf(arena,
		                            "the script ran past rebalance's bound on validation "
		                            "(%lu Lua instructions or %g s of CPU time)",
		                            RB_LUA_INSTRUCTION_BUDGET, RB_LUA_CPU_SECONDS);
	} else if (s.over_memory) {
		out = RB_LUA_ERROR;
		*message = rb__arena_printf(arena,
		                            "the script used more than %zu MiB of memory "
		                            "(rebalance's bound on validation)",
		                            RB_LUA_MEMORY_CAP / (1024 * 1024));
	} else if (script_failed) {
		out = RB_LUA_ERROR;
		*message = error_text(arena, L);
	} else if (rc) {
		out = RB_LUA_NO_MEMORY; /* the sandbox itself could not be set up */
	}
	lua_close(L);
	/* What the run spent (at most its limit, whichever bound stopped it). */
	budget->steps -= s.steps < limit ? s.steps : limit;
	double cpu = cpu_now() - s.cpu_start;
	budget->cpu_seconds -= cpu < cpu_limit ? cpu : cpu_limit;
	if (out == RB_LUA_ERROR && !*message)
		out = RB_LUA_NO_MEMORY;
	return out;
}
