/*
 * "What if this Service were scaled to zero?" (explain --what-if): a view of
 * a model in which every EndpointSlice of the named Services is replaced by a
 * copy without endpoints -- what Kubernetes leaves behind after a scale to
 * zero (the slices stay, so the address type is unchanged). The translator
 * then sees exactly what it would see in the cluster; it has no special case.
 */
#include "model/what_if.h"

#include <string.h>

#include "rebalance/errors.h"

static const char *service_label(const rb__objmeta *meta)
{
	for (size_t i = 0; i < meta->label_count; i++)
		if (!strcmp(meta->labels[i].key, "kubernetes.io/service-name"))
			return meta->labels[i].value;
	return NULL;
}

/* "ns/name" names namespace `ns` and Service `name`? */
static bool names(const char *target, const char *ns, const char *name)
{
	size_t n = strlen(ns);
	return !strncmp(target, ns, n) && target[n] == '/' && !strcmp(target + n + 1, name);
}

bool rb__what_if_target_ok(const char *target)
{
	const char *slash = target ? strchr(target, '/') : NULL;
	return slash && slash != target && slash[1] && !strchr(slash + 1, '/');
}

int rb__model_scale_to_zero(const rb__model *m, const char *const *targets, size_t n,
                            rb__arena *arena, rb__model *view, rb__what_if_match *match)
{
	*view = *m;
	memset(&view->endpoint_slices, 0, sizeof view->endpoint_slices);
	for (size_t t = 0; t < n; t++) {
		match[t].slices = 0;
		match[t].service_found = false;
		for (size_t i = 0; i < m->services.len && !match[t].service_found; i++) {
			const rb__service *s = RB_VEC_AT(&m->services, const rb__service *, i);
			match[t].service_found = names(targets[t], s->meta.namespace_, s->meta.name);
		}
	}
	for (size_t i = 0; i < m->endpoint_slices.len; i++) {
		const rb__endpoint_slice *s = RB_VEC_AT(&m->endpoint_slices, const rb__endpoint_slice *, i);
		const char *owner = service_label(&s->meta);
		bool scaled = false;
		for (size_t t = 0; owner && t < n; t++) {
			if (names(targets[t], s->meta.namespace_, owner)) {
				match[t].slices++;
				scaled = true;
			}
		}
		if (scaled) {
			rb__endpoint_slice *copy = rb__arena_alloc(arena, sizeof(*copy));
			if (!copy)
				goto oom;
			*copy = *s;
			copy->endpoints = NULL;
			copy->endpoint_count = 0;
			s = copy;
		}
		if (!rb__vec_push_ptr(m->mem, &view->endpoint_slices, s))
			goto oom;
	}
	return RB_OK;
oom:
	rb__model_view_free(view);
	return RB_ENOMEM;
}

void rb__model_view_free(rb__model *view)
{
	rb__vec_free(view->mem, &view->endpoint_slices);
}
