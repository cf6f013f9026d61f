/*
 * The Lua validator (lib/translate/lua_check.c) and its sandbox
 * (lua_sandbox.c): the three modes as Envoy Gateway's luavalidator decides
 * them, the mock stream handle's API, and the bounds on untrusted scripts
 * (instruction budget, memory cap, no way out to files or programs).
 */
#include <check.h>
#include <stdbool.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/mem.h"
#include "rebalance/rebalance.h"
#include "testutil.h"
#include "model/model.h"
#include "translate/lua_check.h"
#include "translate/lua_sandbox.h"

/* The error for `script` in `mode` (NULL: accepted), copied to a static buffer. */
static const char *validate(const char *script, rb__lua_mode mode)
{
	static char out[1024];
	rb__mem mem;
	rb__mem_default(&mem);
	rb__arena a;
	rb__arena_init(&a, &mem);
	const char *err = NULL;
	rb__lua_budget budget = rb__lua_budget_full();
	ck_assert_int_eq(rb__lua_validate(&mem, &a, script, mode, &budget, &err), RB_OK);
	if (err)
		snprintf(out, sizeof out, "%s", err);
	rb__arena_free(&a);
	return err ? out : NULL;
}

static void rejected_with(const char *script, rb__lua_mode mode, const char *part)
{
	const char *err = validate(script, mode);
	ck_assert_msg(err, "accepted: %s", script);
	ck_assert_msg(strstr(err, part), "%s: got %s, want it to contain %s", script, err, part);
}

/*
 * Rejected for reaching the memory cap. Under a slow tool (valgrind: the CI
 * sets CK_TIMEOUT_MULTIPLIER) the CPU time bound may come first instead.
 */
static void rejected_for_memory(const char *script)
{
	const char *err = validate(script, RB_LUA_STRICT);
	ck_assert_msg(err, "accepted: %s", script);
	const char *slow = getenv("CK_TIMEOUT_MULTIPLIER");
	bool time_first = slow && atoi(slow) > 1 && strstr(err, "ran past rebalance's bound");
	ck_assert_msg(strstr(err, "more than 16 MiB of memory") || time_first,
	              "%s: got %s, want the memory cap", script, err);
}

static void accepted(const char *script, rb__lua_mode mode)
{
	const char *err = validate(script, mode);
	ck_assert_msg(!err, "%s: rejected: %s", script, err);
}

/* Envoy Gateway's own case: a missing `then` (envoyextensionpolicy-with-invalid-lua-validation-disabled). */
static const char MISSING_THEN[] = "function envoy_on_response(response_handle)\n"
                                   "  local value = 10\n"
                                   "  if value > 5\n"
                                   "    print(\"Value is greater than 5\")\n"
                                   "  end\n"
                                   "end\n";
/* And envoyextensionpolicy-with-wasm-invalid-configuration's: a method Envoy does not have. */
static const char UNKNOWN_API[] = "function envoy_on_response(response_handle)\n"
                                  "  response_handle:UnknownApi()\n"
                                  "end\n";

START_TEST(modes)
{
	accepted(MISSING_THEN, RB_LUA_DISABLED);
	accepted("this is not Lua", RB_LUA_DISABLED);
	rejected_with(MISSING_THEN, RB_LUA_SYNTAX, "failed to parse: <string>:4:");
	rejected_with(MISSING_THEN, RB_LUA_STRICT, "'then' expected");
	/* Syntax mode compiles only: a runtime error passes, as does a script without handlers. */
	accepted(UNKNOWN_API, RB_LUA_SYNTAX);
	accepted("local x = 1", RB_LUA_SYNTAX);
	rejected_with(UNKNOWN_API, RB_LUA_STRICT,
	              "failed to validate with envoy_on_response: <string>:2: attempt to call "
	              "method 'UnknownApi'");
	rejected_with("local x = 1", RB_LUA_STRICT,
	              "expected one of envoy_on_request() or envoy_on_response() to be defined");
	/* The names are found in the text, as strings.Contains: a comment naming one runs it. */
	rejected_with("-- envoy_on_request\nlocal x = 1", RB_LUA_STRICT,
	              "failed to validate with envoy_on_request: <string>:3: attempt to call global "
	              "'envoy_on_request'");
	/* Each named handler is run: the request one passes, the response one fails. */
	rejected_with("function envoy_on_request(h) h:logInfo('ok') end\n"
	              "function envoy_on_response(h) h:headers():nope() end",
	              RB_LUA_STRICT, "failed to validate with envoy_on_response");
	/* Lua 5.1, as gopher-lua: 5.3's integer division does not parse. */
	rejected_with("function envoy_on_request(h) local x = 7 // 2 end", RB_LUA_SYNTAX,
	              "failed to parse");
	/* Error values that are not strings. */
	rejected_with("function envoy_on_request(h) error(42) end", RB_LUA_STRICT,
	              "envoy_on_request: <string>:1: 42");
	rejected_with("function envoy_on_request(h) error(42.5, 0) end", RB_LUA_STRICT,
	              "envoy_on_request: 42.5");
	rejected_with("function envoy_on_request(h) error({}) end", RB_LUA_STRICT,
	              "error object is not a string");
	/* Top-level errors count too. */
	rejected_with("error('boom')\nfunction envoy_on_request(h) end", RB_LUA_STRICT, "boom");
}
END_TEST

START_TEST(mode_of_envoy_proxy)
{
	rb__envoy_proxy ep;
	memset(&ep, 0, sizeof ep);
	ck_assert_int_eq(rb__lua_mode_of(NULL), RB_LUA_STRICT);
	ck_assert_int_eq(rb__lua_mode_of(&ep), RB_LUA_STRICT);
	ep.lua_validation = "Disabled";
	ck_assert_int_eq(rb__lua_mode_of(&ep), RB_LUA_DISABLED);
	ep.lua_validation = "Syntax";
	ck_assert_int_eq(rb__lua_mode_of(&ep), RB_LUA_SYNTAX);
	ep.lua_validation = "InsensitiveSyntax";
	ck_assert_int_eq(rb__lua_mode_of(&ep), RB_LUA_SYNTAX);
	ep.lua_validation = "Lenient"; /* not a mode: the default */
	ck_assert_int_eq(rb__lua_mode_of(&ep), RB_LUA_STRICT);
	ep.lua_validation = "Syntax";
	ep.lua_validation_type = "Strict"; /* the newer field wins */
	ck_assert_int_eq(rb__lua_mode_of(&ep), RB_LUA_STRICT);
	ep.lua_validation_type = "Disabled";
	ck_assert_int_eq(rb__lua_mode_of(&ep), RB_LUA_DISABLED);
}
END_TEST

/* Scripts as users write them, calling much of Envoy's documented API. */
START_TEST(real_api_calls)
{
	accepted("function envoy_on_request(request_handle)\n"
	         "  local headers = request_handle:headers()\n"
	         "  headers:add('x-added', 'yes')\n"
	         "  headers:replace('x-replaced', headers:get(':path') .. '/x')\n"
	         "  headers:remove('x-removed')\n"
	         "  for i = 0, headers:getNumValues('x-multi') - 1 do\n"
	         "    local v = headers:getAtIndex('x-multi', i)\n"
	         "  end\n"
	         "  for key, value in pairs(headers) do\n"
	         "    request_handle:logDebug(key:lower() .. '=' .. value:upper())\n"
	         "  end\n"
	         "  local body = request_handle:body()\n"
	         "  local bytes = body:getBytes(0, body:length())\n"
	         "  body:setBytes(string.upper(bytes))\n"
	         "  for chunk in request_handle:bodyChunks() do\n"
	         "    request_handle:logTrace(chunk:length())\n"
	         "  end\n"
	         "  request_handle:trailers():add('x-trailer', '1')\n"
	         "  local meta = request_handle:metadata():get('foo.bar')\n"
	         "  local info = request_handle:streamInfo()\n"
	         "  local dm = info:dynamicMetadata()\n"
	         "  dm:set('envoy.filters.http.lua', 'request.info', {auth = 'ok'})\n"
	         "  local got = dm:get('envoy.filters.http.lua')\n"
	         "  for k, v in pairs(dm) do end\n"
	         "  request_handle:logInfo(info:protocol() .. info:downstreamLocalAddress() ..\n"
	         "    info:downstreamRemoteAddress() .. info:requestedServerName())\n"
	         "  local ssl = request_handle:connection():ssl()\n"
	         "  if ssl ~= nil and ssl:peerCertificatePresented() then\n"
	         "    request_handle:logWarn(ssl:subjectPeerCertificate() .. ssl:tlsVersion())\n"
	         "    for _, san in ipairs(ssl:dnsSansPeerCertificate()) do end\n"
	         "  end\n"
	         "  local h, b = request_handle:httpCall('auth_cluster', {[':method'] = 'POST',\n"
	         "    [':path'] = '/auth', [':authority'] = 'auth'}, 'body', 5000)\n"
	         "  if h[':status'] ~= '200' then\n"
	         "    request_handle:respond({[':status'] = '403'}, 'denied')\n"
	         "  end\n"
	         "  local key = request_handle:importPublicKey('der', 3)\n"
	         "  local ok, err = request_handle:verifySignature('sha256', key, 'sig', 3, 'data', 4)\n"
	         "  local b64 = request_handle:base64Escape('hello')\n"
	         "  local now = request_handle:timestamp() + 1\n"
	         "  local s = request_handle:timestampString('MILLISECOND')\n"
	         "  local ctx = request_handle:filterContext()\n"
	         "  request_handle:clearRouteCache()\n"
	         "  request_handle:logErr(os.date('%Y') .. os.time() .. os.clock())\n"
	         "  request_handle:logCritical(string.format('%d %s', math.floor(2.5), tostring(ctx)))\n"
	         "  local t = {3, 1, 2}\n"
	         "  table.sort(t)\n"
	         "  local path = headers:get(':path'):match('^/api/(.*)$')\n"
	         "  print('nothing reaches our output')\n"
	         "end\n"
	         "function envoy_on_response(response_handle)\n"
	         "  response_handle:headers():add('x-response', 'yes')\n"
	         "  response_handle:headers():setHttp1ReasonPhrase('Fine')\n"
	         "  local vh = response_handle:virtualHost():metadata():get('k')\n"
	         "  local conn = response_handle:connectionStreamInfo():dynamicMetadata()\n"
	         "  local fs = response_handle:streamInfo():filterState():get('obj')\n"
	         "  response_handle:streamInfo():drainConnectionUponCompletion()\n"
	         "  local co = coroutine.wrap(function() coroutine.yield(1) end)\n"
	         "  co()\n"
	         "  local ok = pcall(error, 'caught')\n"
	         "end\n",
	         RB_LUA_STRICT);
}
END_TEST

START_TEST(instruction_budget)
{
	const char *want = "ran past rebalance's bound on validation (10000000 Lua instructions or 0.25 s of CPU time)";
	rejected_with("function envoy_on_request(h) while true do end end", RB_LUA_STRICT, want);
	/* pcall does not swallow the budget. */
	rejected_with("function envoy_on_request(h)\n"
	              "  while true do pcall(function() while true do end end) end\n"
	              "end",
	              RB_LUA_STRICT, want);
	/* Nor do coroutines, each with a budget of its own. */
	rejected_with("function envoy_on_request(h)\n"
	              "  while true do\n"
	              "    pcall(coroutine.wrap(function() for i = 1, 5000000 do end end))\n"
	              "  end\n"
	              "end",
	              RB_LUA_STRICT, want);
	/* A top-level loop, before any handler. */
	rejected_with("repeat until false\nfunction envoy_on_response(h) end", RB_LUA_STRICT, want);
	/* Syntax mode runs nothing. */
	accepted("function envoy_on_request(h) while true do end end", RB_LUA_SYNTAX);
	/* Work one instruction does unseen is bounded by the CPU time: concatenating
	 * long strings whose result is interned already allocates nothing. */
	rejected_with("function envoy_on_request(h)\n"
	              "  local s = string.rep('x', 1e6)\n"
	              "  while true do local u = s .. s end\n"
	              "end",
	              RB_LUA_STRICT, want);
	/* Work in C is charged: building strings costs by the byte. */
	rejected_with("function envoy_on_request(h)\n"
	              "  local s = string.rep('x', 1e6)\n"
	              "  while true do local u = s:upper() end\n"
	              "end",
	              RB_LUA_STRICT, want);
}
END_TEST

/* The runs of one translation share a budget: many endless scripts cannot add up. */
START_TEST(translation_budget)
{
	rb__mem mem;
	rb__mem_default(&mem);
	rb__arena a;
	rb__arena_init(&a, &mem);
	rb__lua_budget budget = rb__lua_budget_full();
	char script[128];
	const char *err;
	int per_run = 0, spent = 0;
	for (int i = 0; i < 20; i++) {
		snprintf(script, sizeof script,
		         "function envoy_on_request(h) local n = %d while true do end end", i);
		ck_assert_int_eq(rb__lua_validate(&mem, &a, script, RB_LUA_STRICT, &budget, &err), RB_OK);
		ck_assert_ptr_nonnull(err);
		if (strstr(err, "the script ran past rebalance's bound"))
			per_run++;
		else if (strstr(err, "the translation's Lua budget is spent (rebalance's bound on "
		                     "validation: 30000000 instructions or 0.5 s of CPU time for all "
		                     "scripts)"))
			spent++;
		else
			ck_abort_msg("unexpected: %s", err);
	}
	/* At most three runs' worth (fewer where the CPU time bound comes first). */
	ck_assert_int_ge(per_run, 1);
	ck_assert_int_le(per_run, 3);
	ck_assert_int_eq(per_run + spent, 20);
	/* An ordinary script spends little of it: hundreds fit in one translation. */
	budget = rb__lua_budget_full();
	ck_assert_int_eq(rb__lua_validate(&mem, &a,
	                                  "function envoy_on_request(h) h:headers():add('a', 'b') end\n"
	                                  "function envoy_on_response(h) h:logInfo('done') end",
	                                  RB_LUA_STRICT, &budget, &err),
	                 RB_OK);
	ck_assert_ptr_null(err);
	ck_assert_msg(RB_LUA_TRANSLATION_BUDGET - budget.steps < 50000, "spent %lu",
	              RB_LUA_TRANSLATION_BUDGET - budget.steps);
	rb__arena_free(&a);
}
END_TEST

START_TEST(memory_cap)
{
	rejected_for_memory("function envoy_on_request(h)\n"
	                    "  local s = 'x'\n"
	                    "  while true do s = s .. s end\n"
	                    "end");
	rejected_for_memory("function envoy_on_request(h)\n"
	                    "  local t = {}\n"
	                    "  for i = 1, 1e9 do t[i] = {i} end\n"
	                    "end");
	/* Caught memory errors still reject. */
	rejected_for_memory("function envoy_on_request(h)\n"
	                    "  local keep = {}\n"
	                    "  for i = 1, 100 do\n"
	                    "    pcall(function() keep[i] = string.rep('x', 1e6) .. i end)\n"
	                    "  end\n"
	                    "end");
	/* string.rep is refused before it builds a result past the cap. */
	rejected_with("function envoy_on_request(h) local s = ('x'):rep(1e12) end", RB_LUA_STRICT,
	              "string.rep result too large");
	rejected_with("function envoy_on_request(h) local s = (''):rep(1e15) end", RB_LUA_STRICT,
	              "string.rep result too large");
}
END_TEST

/* Backtracking patterns run in C, out of the hook's sight: bounded before they run. */
START_TEST(pattern_cost)
{
	rejected_with("function envoy_on_request(h)\n"
	              "  local s = string.rep('a', 60)\n"
	              "  s:find(string.rep('a?', 60) .. string.rep('a', 60))\n"
	              "end",
	              RB_LUA_STRICT, "string pattern too costly");
	rejected_with("function envoy_on_request(h)\n"
	              "  string.match('', string.rep('a*', 100000))\n"
	              "end",
	              RB_LUA_STRICT, "string pattern too costly");
	/* Ordinary patterns, and plain finds of anything, pass. */
	accepted("function envoy_on_request(h)\n"
	         "  local v = ('  Bearer abc  '):gsub('^%s*(.-)%s*$', '%1')\n"
	         "  local a, b = ('x-a-b'):find('-', 1, true)\n"
	         "  for w in ('a,b,c'):gmatch('[^,]+') do end\n"
	         "  local p = string.rep('a?', 60)\n"
	         "  local i = string.find(string.rep('a', 60), p, 1, true)\n"
	         "end",
	         RB_LUA_STRICT);
}
END_TEST

/* Nothing outside the sandbox is reachable. */
START_TEST(no_way_out)
{
	static const char *const ESCAPES[] = {
	    "os.execute('touch /tmp/rebalance-lua-escaped')",
	    "os.remove('/tmp/x')",
	    "os.getenv('HOME'):len()",
	    "os.exit(1)",
	    "io.write('x')",
	    "io.open('/etc/passwd')",
	    "require('os')",
	    "dofile('/etc/passwd')",
	    "loadfile('/etc/passwd')",
	    "loadstring('return 1')()",
	    "load(function() return nil end)",
	    "debug.getinfo(1)",
	    "package.loadlib('libc.so.6', 'system')",
	    "string.dump(print)",
	    "newproxy(true)",
	    "collectgarbage('collect')",
	    "table.foreach({1}, print)",
	};
	char script[256];
	for (size_t i = 0; i < sizeof ESCAPES / sizeof *ESCAPES; i++) {
		snprintf(script, sizeof script, "function envoy_on_request(h) %s end", ESCAPES[i]);
		rejected_with(script, RB_LUA_STRICT, "attempt to ");
	}
	/* A precompiled chunk is never loaded. */
	rejected_with("\033Lua\x51 envoy_on_request", RB_LUA_STRICT, "precompiled chunks");
	rejected_with("\033Lua\x51", RB_LUA_SYNTAX, "precompiled chunks");
	FILE *f = fopen("/tmp/rebalance-lua-escaped", "r");
	ck_assert_ptr_null(f);
}
END_TEST

/* One script that many routes reach runs once per translation: twelve
 * policies with the same ~6M-instruction script would spend the translation's
 * budget (30M) about five times over if each ran it. */
START_TEST(one_run_per_script)
{
	const char *slow = getenv("CK_TIMEOUT_MULTIPLIER");
	if (slow && atoi(slow) > 1)
		return; /* under valgrind one run alone meets the CPU time bound */
	char doc[32768];
	size_t n = (size_t)snprintf(doc, sizeof doc,
	                            "apiVersion: v1\nkind: List\nitems:\n"
	                            "- apiVersion: gateway.networking.k8s.io/v1\n"
	                            "  kind: Gateway\n"
	                            "  metadata: {namespace: infra, name: eg}\n"
	                            "  spec:\n"
	                            "    gatewayClassName: envoy-gateway-class\n"
	                            "    listeners:\n"
	                            "    - {name: http, protocol: HTTP, port: 80, "
	                            "allowedRoutes: {namespaces: {from: All}}}\n"
	                            "- apiVersion: v1\n"
	                            "  kind: Service\n"
	                            "  metadata: {namespace: shop, name: web}\n"
	                            "  spec: {ports: [{name: http, port: 8080}]}\n"
	                            "- apiVersion: discovery.k8s.io/v1\n"
	                            "  kind: EndpointSlice\n"
	                            "  metadata:\n"
	                            "    namespace: shop\n"
	                            "    name: web-1\n"
	                            "    labels: {kubernetes.io/service-name: web}\n"
	                            "  addressType: IPv4\n"
	                            "  ports: [{name: http, port: 8080}]\n"
	                            "  endpoints: [{addresses: [10.0.0.1], conditions: {ready: true}}]\n");
	for (int i = 0; i < 12; i++)
		n += (size_t)snprintf(
		    doc + n, sizeof doc - n,
		    "- apiVersion: gateway.networking.k8s.io/v1\n"
		    "  kind: HTTPRoute\n"
		    "  metadata: {namespace: shop, name: r%d}\n"
		    "  spec:\n"
		    "    parentRefs: [{namespace: infra, name: eg}]\n"
		    "    hostnames: [r%d.example.com]\n"
		    "    rules: [{backendRefs: [{name: web, port: 8080}]}]\n"
		    "- apiVersion: gateway.envoyproxy.io/v1alpha1\n"
		    "  kind: EnvoyExtensionPolicy\n"
		    "  metadata: {namespace: shop, name: p%d}\n"
		    "  spec:\n"
		    "    targetRefs: [{group: gateway.networking.k8s.io, kind: HTTPRoute, name: r%d}]\n"
		    "    lua:\n"
		    "    - type: Inline\n"
		    "      inline: |\n"
		    "        function envoy_on_request(h)\n"
		    "          local x = 0\n"
		    "          for i = 1, 3000000 do x = x + i end\n"
		    "        end\n",
		    i, i, i, i);
	ck_assert_uint_lt(n, sizeof doc);
	tu_fixture f = tu_translate(doc);
	size_t count = rb_result_destination_count(f.res);
	ck_assert_uint_eq(count, 12);
	for (size_t i = 0; i < count; i++) {
		const rb_destination *d = rb_result_destination(f.res, i);
		const char *by = rb_destination_direct_response_by(d);
		ck_assert_msg(rb_destination_direct_response(d) == 0, "%s answers %u (%s)",
		              rb_destination_name(d), rb_destination_direct_response(d),
		              by ? by : "");
	}
	tu_done(&f);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("lua");
	TCase *tc = tcase_create("validator");
	tcase_add_test(tc, modes);
	tcase_add_test(tc, mode_of_envoy_proxy);
	tcase_add_test(tc, real_api_calls);
	suite_add_tcase(s, tc);
	TCase *bounds = tcase_create("sandbox");
	/* Each bound is reached by running up to it (slow under valgrind). */
	tcase_set_timeout(bounds, 120);
	tcase_add_test(bounds, instruction_budget);
	tcase_add_test(bounds, translation_budget);
	tcase_add_test(bounds, one_run_per_script);
	tcase_add_test(bounds, memory_cap);
	tcase_add_test(bounds, pattern_cost);
	tcase_add_test(bounds, no_way_out);
	suite_add_tcase(s, bounds);
	return tu_run(s);
}
