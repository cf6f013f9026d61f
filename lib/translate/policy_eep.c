/*
 * Why an EnvoyExtensionPolicy is invalid (translateEnvoyExtensionPolicyFor*):
 * Wasm, Lua, ExtProc, dynamic modules. Failed ExtProc and Wasm entries with
 * failOpen do not fail the route.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/strutil.h"
#include "rebalance/errors.h"
#include "translate/lua_check.h"
#include "translate/policy_check.h"

void rb__pc_eep_errors(rb__pc_errs *e, const rb__claim *c, const rb__gateway *g)
{
	const rb__extension_policy *p = c->policy;
	rb__tr *t = e->t;
	for (size_t i = 0; i < p->wasm_count; i++) {
		const rb__wasm *w = &p->wasms[i];
		bool fails = w->fail_open != RB_TRI_TRUE;
		const rb__secret *s;
		const char *err;
		if (rb__str_eq(w->code_type, "HTTP") && !w->has_http)
			rb__pc_add(e, fails, "Wasm", "missing HTTP field in code source");
		else if (rb__str_eq(w->code_type, "Image") && !w->has_image)
			rb__pc_add(e, fails, "Wasm", "missing Image field in code source");
		else if (w->has_image && w->has_pull_secret) {
			if ((err = rb__pc_secret_ref_error(t, c, "EnvoyExtensionPolicy",
			                                   &w->pull_secret, &s)))
				rb__pc_add(e, fails, "Wasm", "%s", err);
			else if (!rb__pc_has_key(s->data_keys, s->data_key_count,
			                         ".dockerconfigjson"))
				rb__pc_add(e, fails, "Wasm",
				           "secret %s/%s does not contain .dockerconfigjson",
				           s->meta.namespace_, s->meta.name);
		}
	}
	/* buildLuas, per parentRef Gateway: the script, then its validation
	 * (lua_check.c); the first entry that fails ends the list. */
	for (size_t i = 0; i < p->lua_count; i++) {
		const rb__lua *lua = &p->luas[i];
		const char *script = lua->inline_script;
		if (rb__str_eq(lua->type, "ValueRef")) {
			script = NULL;
			if (!lua->value_ref_name)
				continue;
			const rb__ca_holder *cm =
			    rb__pc_find_config_map(t, c->meta->namespace_, lua->value_ref_name);
			if (!cm) {
				rb__pc_add(e, true, "Lua",
				           "can't find the referenced configmap %s in namespace %s",
				           lua->value_ref_name, c->meta->namespace_);
				break;
			}
			if (!cm->lua_script) {
				rb__pc_add(e, true, "Lua",
				           "can't find the key lua in the referenced configmap %s",
				           lua->value_ref_name);
				break;
			}
			script = cm->lua_script;
		}
		if (script && !rb__pc_lua_script(e, c, i, script))
			break;
	}
	for (size_t i = 0; i < p->ext_proc_count; i++) {
		const rb__ext_proc *x = &p->ext_procs[i];
		bool fails = x->fail_open != RB_TRI_TRUE;
		rb__pc_ext_service(e, c, "EnvoyExtensionPolicy", fails, "ExtProc", &x->service);
		double s;
		if (x->message_timeout && !rb__parse_go_duration(x->message_timeout, &s))
			rb__pc_add(e, fails, "ExtProc", "invalid messageTimeout value %s",
			           x->message_timeout);
	}
	/* buildDynamicModules: only modules the Gateway's EnvoyProxy allows. */
	const rb__envoy_proxy *ep = p->dynamic_module_count ? rb__gateway_envoy_proxy(t, g) : NULL;
	for (size_t i = 0; i < p->dynamic_module_count; i++) {
		const char *name = p->dynamic_modules[i].name;
		if (!ep || !name ||
		    !rb__pc_has_key(ep->dynamic_modules, ep->dynamic_module_count, name))
			rb__pc_add(
			    e, true, "DynamicModule",
			    "dynamic module %s is not registered in the EnvoyProxy dynamicModules",
			    name ? name : "");
	}
}
