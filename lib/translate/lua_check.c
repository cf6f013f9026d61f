/*
 * The Lua validator (lua_check.h), as Envoy Gateway's luavalidator decides:
 *  - Disabled: every script is accepted;
 *  - Syntax: the script must compile;
 *  - Strict: the script must name envoy_on_request or envoy_on_response, and
 *    for each of the two it names, the script followed by a call of that
 *    function on the mock StreamHandle must run without an error.
 * Envoy Gateway runs gopher-lua (Lua 5.1); we run Lua 5.1 in a sandbox with
 * bounds it does not have (lua_sandbox.h, docs/policies.md).
 */
#include "translate/lua_check.h"

#include <stdint.h>
#include <string.h>

#include "core/map.h"
#include "core/strutil.h"
#include "rebalance/errors.h"
#include "translate/lua_sandbox.h"
#include "translate/policy_check.h"

rb__lua_mode rb__lua_mode_of(const rb__envoy_proxy *ep)
{
	if (!ep)
		return RB_LUA_STRICT;
	/* The newer field wins over the deprecated one. */
	const char *v = ep->lua_validation_type ? ep->lua_validation_type : ep->lua_validation;
	/* Both spellings of the compile-only mode are taken: the CRD's enum
	 * admits only its own, so the other never reaches a valid input. */
	if (rb__str_eq(v, "Syntax") || rb__str_eq(v, "InsensitiveSyntax"))
		return RB_LUA_SYNTAX;
	if (rb__str_eq(v, "Disabled"))
		return RB_LUA_DISABLED;
	return RB_LUA_STRICT;
}

/* Run the script, then `call`, in one chunk (line numbers are the script's). */
static int run_handler(const rb__mem *mem, rb__arena *arena, const char *script, size_t len,
                       const char *handler, rb__lua_budget *budget, const char **error)
{
	const char *chunk = rb__arena_printf(arena, "%.*s\n%s(StreamHandle)", (int)len, script,
	                                     handler);
	if (!chunk)
		return RB_ENOMEM;
	const char *message;
	rb__lua_outcome out =
	    rb__lua_sandbox_run(mem, arena, rb__lua_mocks, chunk, strlen(chunk), false, budget,
	                        &message);
	if (out == RB_LUA_NO_MEMORY)
		return RB_ENOMEM;
	if (out == RB_LUA_ERROR) {
		*error = rb__arena_printf(arena, "failed to validate with %s: %s", handler, message);
		return *error ? RB_OK : RB_ENOMEM;
	}
	return RB_OK;
}

int rb__lua_validate(const rb__mem *mem, rb__arena *arena, const char *script, rb__lua_mode mode,
                     rb__lua_budget *budget, const char **error)
{
	*error = NULL;
	size_t len = strlen(script);
	if (len > INT32_MAX)
		len = INT32_MAX; /* printf's precision: a script that long fails on memory anyway */
	if (mode == RB_LUA_DISABLED)
		return RB_OK;
	if (mode == RB_LUA_SYNTAX) {
		const char *message;
		rb__lua_outcome out =
		    rb__lua_sandbox_run(mem, arena, NULL, script, len, true, budget, &message);
		if (out == RB_LUA_NO_MEMORY)
			return RB_ENOMEM;
		if (out == RB_LUA_ERROR)
			*error = rb__arena_printf(arena, "failed to parse: %s", message);
		return out == RB_LUA_ERROR && !*error ? RB_ENOMEM : RB_OK;
	}
	/* Strict: whether a name occurs anywhere in the text, as strings.Contains. */
	static const char *const HANDLERS[] = {"envoy_on_request", "envoy_on_response"};
	bool named[2];
	for (int i = 0; i < 2; i++)
		named[i] = strstr(script, HANDLERS[i]) != NULL;
	if (!named[0] && !named[1]) {
		*error = "expected one of envoy_on_request() or envoy_on_response() to be defined";
		return RB_OK;
	}
	for (int i = 0; i < 2 && !*error; i++) {
		if (!named[i])
			continue;
		int rc = run_handler(mem, arena, script, len, HANDLERS[i], budget, error);
		if (rc)
			return rc;
	}
	return RB_OK;
}

/* The cache's value for an accepted script (a rejected one keeps its error). */
static const char ACCEPTED[] = "";

/* Keyed by the script's text, which the model keeps for longer than the
 * translation: a lookup copies nothing, however many routes ask. */
static const char *cached_verdict(rb__tr *t, const char *script, rb__lua_mode mode, int *rc)
{
	rb__map *verdicts =
	    mode == RB_LUA_SYNTAX ? &t->lua_syntax_verdicts : &t->lua_strict_verdicts;
	void **slot = rb__map_slot_for(verdicts, script, strlen(script));
	if (!slot) {
		*rc = RB_ENOMEM;
		return NULL;
	}
	if (!*slot) {
		const char *error;
		*rc = rb__lua_validate(t->mem, t->out, script, mode, &t->lua_budget, &error);
		if (*rc)
			return NULL;
		*slot = (void *)(uintptr_t)(error ? error : ACCEPTED);
	}
	*rc = RB_OK;
	return *slot;
}

bool rb__pc_lua_script(rb__pc_errs *e, const rb__claim *c, size_t index, const char *script)
{
	rb__lua_mode mode = rb__lua_mode_of(rb__gateway_envoy_proxy(e->t, e->gateway));
	if (mode == RB_LUA_DISABLED)
		return true;
	int rc;
	const char *verdict = cached_verdict(e->t, script, mode, &rc);
	if (rc) {
		e->rc = rc; /* no verdict: the translation fails, it does not guess */
		return false;
	}
	if (verdict == ACCEPTED)
		return true;
	rb__pc_add(e, true, "Lua",
	           "validation failed for lua body in policy with name "
	           "envoyextensionpolicy/%s/%s/lua/%zu: %s",
	           c->meta->namespace_, c->meta->name, index, verdict);
	return false;
}
