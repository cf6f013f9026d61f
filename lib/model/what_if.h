/* Transformations of a model before translating: scale Services to zero. */
#ifndef RB_MODEL_WHAT_IF_H
#define RB_MODEL_WHAT_IF_H

#include <stdbool.h>

#include "model/model.h"

/* What one target matched. */
typedef struct rb__what_if_match {
	bool service_found; /* a Service of that namespace/name exists */
	size_t slices;      /* EndpointSlices it owns (kubernetes.io/service-name), emptied */
} rb__what_if_match;

/* A target is "namespace/name": one slash, both parts non-empty. */
bool rb__what_if_target_ok(const char *target);

/*
 * Fill `view` with a shallow copy of `m` whose EndpointSlices of the target
 * Services are emptied copies (allocated in `arena`). `view` shares every
 * other list with `m`: it is read-only, valid while `m` and `arena` live, and
 * released with rb__model_view_free (never rb__model_free). `match` receives
 * n entries. Returns RB_OK or RB_ENOMEM (then nothing is left to free).
 */
int rb__model_scale_to_zero(const rb__model *m, const char *const *targets, size_t n,
                            rb__arena *arena, rb__model *view, rb__what_if_match *match);
void rb__model_view_free(rb__model *view);

#endif
