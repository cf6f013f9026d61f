/* The public translation options: defaults, checks, and the translator's options made from them. */
#include <string.h>

#include "config/config.h"
#include "result/result.h"
#include "translate/translate.h"

enum { OPTIONS_MIN_SIZE = offsetof(rb_translate_options, mode) + sizeof(uint32_t) };

int rb_translate_options_init(rb_translate_options *opts, size_t size)
{
	if (!opts || size < OPTIONS_MIN_SIZE)
		return RB_EINVAL;
	/* Zeroed first so that the padding this writes to the caller is not stack garbage. */
	rb_translate_options o;
	memset(&o, 0, sizeof o);
	o.mode = RB_MODE_REBALANCE;
	o.rebalance_default = RB_KNOB_DEFAULT_MODE;
	o.size = (uint32_t)(size < sizeof o ? size : sizeof o);
	memcpy(opts, &o, o.size);
	return RB_OK;
}

int rb_translate_options_preset(rb_translate_options *opts, size_t size, rb_preset preset)
{
	int rc = rb_translate_options_init(opts, size);
	if (rc)
		return rc;
	switch (preset) {
	case RB_PRESET_REBALANCE:
		return RB_OK;
	case RB_PRESET_ENVOY_GATEWAY:
		opts->mode = RB_MODE_COMPAT_ENVOY_GATEWAY;
		return RB_OK;
	}
	return RB_EINVAL;
}

enum {
	KNOWN_FLAGS = RB_OPT_DISABLE_BACKEND_API | RB_OPT_RUNNING_ON_HOST |
	              RB_OPT_REBALANCE_NOT_READY | RB_OPT_HONOR_POLICY | RB_OPT_GATEWAY_NAMESPACE_MODE |
	              RB_OPT_IGNORE_POLICY | RB_OPT_ASSUME_SECRETS
};

/*
 * No trailing padding: a field appended later then starts at or after the
 * `size` of every older caller, so it is never read from an older binary's
 * struct (whose bytes there may be its padding or garbage). Appending a field
 * that would leave trailing padding needs an explicit reserved field after it.
 */
_Static_assert(sizeof(rb_translate_options) == offsetof(rb_translate_options, controller_name) +
                                                       sizeof(const char *),
               "rb_translate_options must end with its last field: see rb__copy_options");

/* Whether the caller's struct of `size` bytes holds all of `field`. */
#define CALLER_HAS(size, field) \
	((size) >= offsetof(rb_translate_options, field) + sizeof(((rb_translate_options *)0)->field))
#define COPY_IF_CALLER_HAS(to, from, field) \
	do { \
		if (CALLER_HAS((from)->size, field)) \
			(to)->field = (from)->field; \
	} while (0)

/*
 * Read only the fields the caller's struct holds in full (its `size`); the
 * rest keep their defaults. Field by field, never memcpy: the caller's padding
 * between fields is uninitialised memory and must not become ours (libgit2's
 * options have a version field for the same reason).
 */
int rb__copy_options(rb_translate_options *o, const rb_translate_options *user)
{
	rb_translate_options_init(o, sizeof *o);
	if (!user)
		return RB_OK;
	if (user->size < OPTIONS_MIN_SIZE)
		return RB_EINVAL;
	COPY_IF_CALLER_HAS(o, user, mode);
	COPY_IF_CALLER_HAS(o, user, flags);
	COPY_IF_CALLER_HAS(o, user, gateway_class);
	COPY_IF_CALLER_HAS(o, user, rebalance_default);
	COPY_IF_CALLER_HAS(o, user, gateway_classes);
	COPY_IF_CALLER_HAS(o, user, gateway_class_count);
	COPY_IF_CALLER_HAS(o, user, controller_name);
	if (o->mode > RB_MODE_COMPAT_ENVOY_GATEWAY || (o->flags & ~(uint32_t)KNOWN_FLAGS) ||
	    o->rebalance_default > RB_KNOB_DEFAULT_ON)
		return RB_EINVAL;
	if ((o->flags & RB_OPT_HONOR_POLICY) && (o->flags & RB_OPT_IGNORE_POLICY))
		return RB_EINVAL;
	if (o->gateway_class_count && !o->gateway_classes)
		return RB_EINVAL;
	for (size_t i = 0; i < o->gateway_class_count; i++)
		if (!o->gateway_classes[i])
			return RB_EINVAL;
	return RB_OK;
}

int rb__options_own(rb_translate_options *o, rb__arena *arena)
{
	if (o->gateway_class && !(o->gateway_class = rb__arena_strdup(arena, o->gateway_class)))
		return RB_ENOMEM;
	if (o->controller_name &&
	    !(o->controller_name = rb__arena_strdup(arena, o->controller_name)))
		return RB_ENOMEM;
	if (!o->gateway_class_count) {
		o->gateway_classes = NULL;
		return RB_OK;
	}
	const char **names = rb__arena_calloc(arena, o->gateway_class_count, sizeof(*names));
	if (!names)
		return RB_ENOMEM;
	for (size_t i = 0; i < o->gateway_class_count; i++)
		if (!(names[i] = rb__arena_strdup(arena, o->gateway_classes[i])))
			return RB_ENOMEM;
	o->gateway_classes = names;
	return RB_OK;
}

/*
 * The translator's options from checked public ones and the input's
 * EnvoyGateway configuration (Backend API enablement, extension kinds);
 * strings are copied into `arena`.
 */
int rb__tr_options_from(rb__tr_options *to, const rb_translate_options *o, const rb__model *m,
                        rb__arena *arena)
{
	memset(to, 0, sizeof *to);
	to->compat = o->mode == RB_MODE_COMPAT_ENVOY_GATEWAY;
	to->backend_disabled = (o->flags & RB_OPT_DISABLE_BACKEND_API) != 0;
	to->running_on_host = (o->flags & RB_OPT_RUNNING_ON_HOST) != 0;
	to->rebalance_not_ready = (o->flags & RB_OPT_REBALANCE_NOT_READY) != 0;
	to->honor_policy = (o->flags & RB_OPT_HONOR_POLICY) != 0;
	to->read_policies = !(o->flags & RB_OPT_IGNORE_POLICY) && (!to->compat || to->honor_policy);
	to->rebalance_default = o->rebalance_default == RB_KNOB_DEFAULT_MODE
	                                ? !to->compat
	                                : o->rebalance_default == RB_KNOB_DEFAULT_ON;
	to->assume_secrets = (o->flags & RB_OPT_ASSUME_SECRETS) != 0;
	/* The named classes: gateway_class, then gateway_classes (copied). */
	size_t n = o->gateway_class_count + (o->gateway_class ? 1 : 0);
	const char **names = rb__arena_calloc(arena, n ? n : 1, sizeof(*names));
	if (!names)
		return RB_ENOMEM;
	size_t k = 0;
	if (o->gateway_class && !(names[k++] = rb__arena_strdup(arena, o->gateway_class)))
		return RB_ENOMEM;
	for (size_t i = 0; i < o->gateway_class_count; i++)
		if (!(names[k++] = rb__arena_strdup(arena, o->gateway_classes[i])))
			return RB_ENOMEM;
	to->gateway_classes = names;
	to->gateway_class_count = n;
	if (o->controller_name && !(to->controller_name = rb__arena_strdup(arena, o->controller_name)))
		return RB_ENOMEM;
	const rb__config *cfg = m->config;
	if (!cfg)
		return RB_OK;
	to->backend_disabled |= !cfg->backend_enabled;
	if (!cfg->extension_kind_count)
		return RB_OK;
	rb__group_kind_pair *kinds =
		rb__arena_calloc(arena, cfg->extension_kind_count, sizeof(*kinds));
	if (!kinds)
		return RB_ENOMEM;
	for (size_t i = 0; i < cfg->extension_kind_count; i++) {
		kinds[i].group = cfg->extension_kinds[i].group;
		kinds[i].kind = cfg->extension_kinds[i].kind;
	}
	to->extension_kinds = kinds;
	to->extension_kind_count = cfg->extension_kind_count;
	return RB_OK;
}
