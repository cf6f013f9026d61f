/*
 * Transformations of a model before translating (explain --what-if): what
 * the cluster would look like after a change an operator can make.
 *
 *   NS/SERVICE             scale the Service to zero (its EndpointSlices
 *                          are kept, emptied: what Kubernetes leaves)
 *   NS/SERVICE=N           the Service with N ready endpoints (0: as above)
 *   NS/ROUTE:RULE:REF=weight:W
 *                          backendRef REF (an index) of rule RULE (its name,
 *                          or its index) of the route(s) NS/ROUTE gets weight W
 *   NS/ROUTE:RULE:REF=fallback
 *                          that backendRef, to a Service, is served through
 *                          a Backend with `fallback: true` instead: one `ip`
 *                          endpoint at the Service's clusterIP and the ref's
 *                          port, named SERVICE-fallback in the route's
 *                          namespace; the ref keeps its weight and filters
 */
#ifndef RB_MODEL_WHAT_IF_H
#define RB_MODEL_WHAT_IF_H

#include <stdbool.h>

#include "model/model.h"

/* What one target matched. */
typedef struct rb__what_if_match {
	bool service_found; /* the Service exists; for a backendRef target: the backendRef
	                       (a fallback: and it could be served so) */
	size_t slices;      /* EndpointSlices it owns (kubernetes.io/service-name), changed */
} rb__what_if_match;

/* A target in one of the forms above (N and W at most 1000000). */
bool rb__what_if_target_ok(const char *target);

/* True for the NS/ROUTE:RULE:REF=... forms. */
bool rb__what_if_is_backend_ref(const char *target);

/*
 * Fill `view` with a shallow copy of `m` with the targets applied: changed
 * EndpointSlices and routes, and added Backends, are allocated in `arena`. `view` shares
 * every other list with `m`: it is read-only, valid while `m` and `arena`
 * live, and released with rb__model_view_free (never rb__model_free).
 * `match` receives n entries. Returns RB_OK or RB_ENOMEM (then nothing is
 * left to free).
 */
int rb__model_what_if(const rb__model *m, const char *const *targets, size_t n,
                      rb__arena *arena, rb__model *view, rb__what_if_match *match);
void rb__model_view_free(rb__model *view);

#endif
