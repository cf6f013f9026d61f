/*
 * The Lua sandbox (lua_sandbox.h). Every bound is enforced by the host, not
 * by trusting the script:
 *  - memory: a custom allocator, through the context's allocator, refuses
 *    to grow the state past RB_LUA_MEMORY_CAP;
 *  - time: a count hook adds up VM instructions over every coroutine of the
 *    state and raises an error past RB_LUA_INSTRUCTION_BUDGET; from then on
 *    it raises one at every instruction, so no pcall can swallow it for long;
 *  - C functions whose work the hook does not see are bounded before they
 *    run: string.rep by the size of its result, the pattern functions by the
 *    backtracking their pattern can cost (Lua 5.1's matcher recurses once per
 *    quantifier and backtracks without limit);
 *  - no function that loads code, reads files or runs programs is reachable,
 *    and no userdata with a __gc finalizer can be made (newproxy): Lua 5.1
 *    runs finalizers with hooks off.
 * Envoy Gateway's validator has none of these bounds; docs/policies.md says
 * what differs.
 */
#include "translate/lua_sandbox.h"

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <stdbool.h>
#include <string.h>

/* The hook runs every HOOK_EVERY instructions (cheap enough, exact enough). */
#define HOOK_EVERY 1000
/* Pattern matching: at most this many match steps, and this many quantifiers
 * (each a level of C recursion; Lua 5.2 bounds the depth to 200 the same way). */
#define PATTERN_STEP_BUDGET 100000000.0
#define PATTERN_MAX_QUANTIFIERS 200
/* Longest error message kept. */
#define MESSAGE_MAX 512

typedef struct sandbox {
	const rb__mem *mem;
	size_t used;
	unsigned long steps;
	bool over_memory;
	bool over_steps;
	bool host_out_of_memory;
} sandbox;

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
	s->used = s->used - osize + nsize;
	return p;
}

static void count_hook(lua_State *L, lua_Debug *ar)
{
	(void)ar;
	sandbox *s = sandbox_of(L);
	s->steps += HOOK_EVERY;
	if (s->steps > RB_LUA_INSTRUCTION_BUDGET || s->over_steps) {
		s->over_steps = true;
		lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
		luaL_error(L, "instruction budget exceeded");
	}
}

/* ---- bounded C functions ---- */

/* string.rep: refuse a result bigger than the memory cap before building it. */
static int bounded_rep(lua_State *L)
{
	size_t len;
	luaL_checklstring(L, 1, &len);
	lua_Number n = luaL_checknumber(L, 2);
	if (n > 0 && n * (lua_Number)(len ? len : 1) > (lua_Number)RB_LUA_MEMORY_CAP)
		return luaL_error(L, "string.rep result too large");
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
	return lua_gettop(L);
}

/*
 * An upper bound of the steps Lua 5.1's matcher can take for pattern p on a
 * subject of n bytes: each `*`, `+` or `-` can try every length (n + 1
 * ways), each `?` two, and an unanchored pattern is tried at every start.
 */
static bool pattern_affordable(const char *p, size_t plen, size_t n)
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
	return quantifiers <= PATTERN_MAX_QUANTIFIERS && steps <= PATTERN_STEP_BUDGET;
}

/* string.find/match/gmatch/gsub: check the pattern's cost, then call the original. */
static int bounded_pattern(lua_State *L)
{
	size_t n = 0, plen = 0;
	const char *s = lua_tolstring(L, 1, &n);
	const char *p = lua_tolstring(L, 2, &plen);
	bool plain = lua_toboolean(L, lua_upvalueindex(2)) && lua_toboolean(L, 4);
	if (s && p && !plain && !pattern_affordable(p, plen, n))
		return luaL_error(L, "string pattern too costly to run in the validator");
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
	return lua_gettop(L);
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

static void wrap_string_function(lua_State *L, const char *name, lua_CFunction wrapper,
                                 bool find)
{
	lua_getglobal(L, "string");
	lua_getfield(L, -1, name);
	lua_pushboolean(L, find);
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
	static const char *const BASE_REMOVED[] = {"dofile", "loadfile", "load", "loadstring",
	                                           "newproxy"};
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
	wrap_string_function(L, "rep", bounded_rep, false);
	wrap_string_function(L, "find", bounded_pattern, true);
	wrap_string_function(L, "match", bounded_pattern, false);
	wrap_string_function(L, "gmatch", bounded_pattern, false);
	wrap_string_function(L, "gsub", bounded_pattern, false);
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
	size_t len = 0;
	const char *m = lua_isstring(L, -1) ? lua_tolstring(L, -1, &len) : NULL;
	if (!m)
		return rb__arena_strdup(arena, "(error object is not a string)");
	return rb__arena_strndup(arena, m, len < MESSAGE_MAX ? len : MESSAGE_MAX);
}

rb__lua_outcome rb__lua_sandbox_run(const rb__mem *mem, rb__arena *arena,
                                    const char *const *prelude,
                                    const char *chunk, size_t chunk_len, bool compile_only,
                                    const char **message)
{
	*message = NULL;
	sandbox s = {mem, 0, 0, false, false, false};
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
	if (s.host_out_of_memory) {
		out = RB_LUA_NO_MEMORY;
	} else if (s.over_steps) {
		out = RB_LUA_ERROR;
		*message = rb__arena_printf(arena,
		                            "the script ran more than %lu Lua instructions "
		                            "(rebalance's bound on validation)",
		                            RB_LUA_INSTRUCTION_BUDGET);
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
	if (out == RB_LUA_ERROR && !*message)
		out = RB_LUA_NO_MEMORY;
	return out;
}
