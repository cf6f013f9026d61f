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
 */
#ifndef RB_MODEL_WHAT_IF_H
#define RB_MODEL_WHAT_IF_H

#include <stdbool.h>

#include "model/model.h"

/* What one target matched. */
typedef struct rb__what_if_match {
	bool service_found; /* the Service exists; for a weight target: the backendRef */
	size_t slices;      /* EndpointSlices it owns (kubernetes.io/service-name), changed */
} rb__what_if_match;

/* A target in one of the three forms above (N and W at most 1000000). */
bool rb__what_if_target_ok(const char *target);

/* True for the NS/ROUTE:RULE:REF=weight:W form. */
bool rb__what_if_is_weight(const char *target);

/*
 * Fill `view` with a shallow copy of `m` with the targets applied: changed
 * EndpointSlices and routes are copies allocated in `arena`. `view` shares
 * every other list with `m`: it is read-only, valid while `m` and `arena`
 * live, and released with rb__model_view_free (never rb__model_free).
 * `match` receives n entries. Returns RB_OK or RB_ENOMEM (then nothing is
 * left to free).
 */
int rb__model_what_if(const rb__model *m, const char *const *targets, size_t n,
                      rb__arena *arena, rb__model *view, rb__what_if_match *match);
void rb__model_view_free(rb__model *view);

#endif
