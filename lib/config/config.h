/*
 * The EnvoyGateway configuration document (docs/cli.md `--config`): what of it
 * changes destinations -- whether the Backend API is enabled, and which
 * extension kinds are registered (a backendRef to one is a custom backend,
 * [custom.select]). Decoded with libcyaml's schema loader, fenced by our own
 * loader first (syntax, limits, no aliases, one document, exact locations).
 */
#ifndef RB_CONFIG_CONFIG_H
#define RB_CONFIG_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/ctx.h"
#include "core/diag.h"
#include "model/model.h"

typedef struct rb__config {
	/* extensionApis.enableBackend; false when absent, as in Envoy Gateway */
	bool backend_enabled;
	/* extensionManager.resources then extensionManager.backendResources */
	rb__group_kind *extension_kinds;
	size_t extension_kind_count;
} rb__config;

/*
 * Read one configuration document into `arena`. Returns RB_OK, RB_EPARSE or
 * RB_ELIMIT (a diagnostic recorded in `diags`), or RB_ENOMEM.
 */
int rb__config_load(const char *source, const void *buf, size_t len, const rb__limits *limits,
                    const rb__mem *mem, rb__arena *arena, rb__diags *diags, rb__config **out);

#endif
