/*
 * Envoy Gateway's Lua validation (internal/gatewayapi/luavalidator, called
 * from buildLua): the modes an EnvoyProxy chooses, the validator, and its
 * per-translation cache. The script runs in lua_sandbox.c against the mock
 * stream handle of lua_mocks.c.
 */
#ifndef RB_TRANSLATE_LUA_CHECK_H
#define RB_TRANSLATE_LUA_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/mem.h"

struct rb__envoy_proxy;
struct rb__tr;
struct rb__pc_errs;
struct rb__claim;
struct rb__lua_budget;

/* EnvoyProxy spec.lua.validationType (or the deprecated spec.luaValidation). */
typedef enum rb__lua_mode {
	RB_LUA_STRICT,   /* the default: run envoy_on_request/envoy_on_response on the mocks */
	RB_LUA_SYNTAX,   /* the script must compile */
	RB_LUA_DISABLED, /* anything is accepted */
} rb__lua_mode;

/* The mode of Gateways whose EnvoyProxy is ep (NULL: none). */
rb__lua_mode rb__lua_mode_of(const struct rb__envoy_proxy *ep);

/* The mock stream handle (lua_mocks.c): defines the global StreamHandle.
 * In pieces (C99 promises string literals of 4095 bytes only), NULL last. */
extern const char *const rb__lua_mocks[];

/*
 * Validate a script as the luavalidator does in `mode`: *error is NULL when it
 * is accepted, else why (in `arena`). RB_ENOMEM when the host ran out of memory.
 * The runs spend *budget (lua_sandbox.h: start from rb__lua_budget_full()).
 */
int rb__lua_validate(const rb__mem *mem, rb__arena *arena, const char *script, rb__lua_mode mode,
                     struct rb__lua_budget *budget, const char **error);

/*
 * The Lua check of an EnvoyExtensionPolicy entry for the Gateway of e
 * (buildLua): entry `index` of the policy of claim c, whose script is
 * `script`. A rejected script adds a "Lua:" error that fails closed. Results
 * are cached per (script, mode) for the translation, so a script that many
 * routes reach runs once. False when the script was not accepted.
 */
bool rb__pc_lua_script(struct rb__pc_errs *e, const struct rb__claim *c, size_t index,
                       const char *script);

#endif
