/*
 * The translator: model + options -> IR (docs/semantics/).
 * Pure: no I/O, no globals, reentrant. Everything it returns lives in
 * `arena`; scratch memory comes from `mem` and is released before returning.
 */
#ifndef RB_TRANSLATE_TRANSLATE_H
#define RB_TRANSLATE_TRANSLATE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/diag.h"
#include "ir/ir.h"
#include "model/model.h"

/* A registered extension (group, kind): references to it are custom backends ([custom.select]). */
typedef struct rb__group_kind_pair {
	const char *group;
	const char *kind;
} rb__group_kind_pair;

typedef struct rb__tr_options {
	bool compat;            /* RB_MODE_COMPAT_ENVOY_GATEWAY */
	bool backend_disabled;  /* BackendEnabled=false */
	bool running_on_host;   /* RunningOnHost=true */
	bool rebalance_not_ready; /* strict readiness where no policy decides */
	bool honor_policy;
	bool read_policies;       /* BackendTrafficPolicy rebalance fields count
	                             ([rebalance.policy.compat]) */
	bool rebalance_default;   /* zero-endpoint exclusion where no policy decides */
	/* Which Gateways are ours (gateway_class.c): the classes named by the
	 * caller, plus the input's GatewayClasses of `controller_name`. */
	const char *const *gateway_classes;
	size_t gateway_class_count;
	const char *controller_name;
	bool assume_secrets; /* a certificate Secret absent from the input counts as valid */
	rb__diags *warnings; /* where the translation's warnings go (warnings.c); NULL: none */
	const rb__group_kind_pair *extension_kinds;
	size_t extension_kind_count;
} rb__tr_options;

int rb__translate(const rb__model *m, const rb__tr_options *opts, const rb__mem *mem,
                  rb__arena *arena, rb__ir *out);
/* A floor of what rb__translate writes in its arena (for rb__arena_hint_filled). */
size_t rb__translate_ir_floor(const rb__model *m);

#endif
