/* rb_translate and the read-only accessors of a result. */
#include <string.h>

#include "api/api.h"
#include "config/config.h"
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

int rb_translate(rb_result **out, const rb_input *in, const rb_translate_options *opts)
{
	if (!out || !in)
		return RB_EINVAL;
	*out = NULL;
	rb_translate_options o;
	int rc = rb__copy_options(&o, opts);
	if (rc)
		return rc;
	return rb__translate_model(out, in, &in->model, &o);
}

int rb__translate_model(rb_result **out, const rb_input *owner, const rb__model *m,
                        const rb_translate_options *opts)
{
	*out = NULL;
	rb_ctx *ctx = owner->ctx;
	rb_translate_options o = *opts;
	int rc = RB_OK;
	rb_result *res = rb__calloc(&ctx->mem, 1, sizeof(*res));
	if (!res)
		return RB_ENOMEM;
	res->ctx = ctx;
	res->options = o;
	res->input = rb__input_ref(owner);
	rb__arena_init(&res->arena, &ctx->mem);
	/* The IR takes about twice the model's size (bench/). */
	rb__arena_hint(&res->arena, rb__arena_used(&m->arena) / 4 * 9);
	rb__diags_init(&res->warnings, &ctx->mem, &res->arena);
	rb__tr_options to;
	rc = rb__tr_options_from(&to, &o, m, &res->arena);
	to.warnings = &res->warnings;
	if (!rc)
		rc = rb__translate(m, &to, &ctx->mem, &res->arena, &res->ir);
	if (rc) {
		rb_result_free(res);
		return rc;
	}
	*out = res;
	return RB_OK;
}

void rb_result_free(rb_result *res)
{
	if (!res)
		return;
	rb__diags_free(&res->warnings);
	rb__arena_free(&res->arena);
	rb__input_unref(res->input);
	rb__free(&res->ctx->mem, res);
}

rb_ctx *rb_result_ctx(const rb_result *res)
{
	return res ? res->ctx : NULL;
}

size_t rb_result_warning_count(const rb_result *res)
{
	return res ? rb__diags_count(&res->warnings) : 0;
}

const rb_diag *rb_result_warning(const rb_result *res, size_t i)
{
	return res ? rb__diags_at(&res->warnings, i) : NULL;
}

/* ---- destinations ---- */

size_t rb_result_destination_count(const rb_result *res)
{
	return res ? res->ir.destination_count : 0;
}

const rb_destination *rb_result_destination(const rb_result *res, size_t i)
{
	return res && i < res->ir.destination_count ? &res->ir.destinations[i] : NULL;
}

const char *rb_destination_name(const rb_destination *d)
{
	return d ? d->name : NULL;
}

const char *rb_destination_route_kind(const rb_destination *d)
{
	return d ? d->route_kind : NULL;
}

const char *rb_destination_route_namespace(const rb_destination *d)
{
	return d ? d->route_namespace : NULL;
}

const char *rb_destination_route_name(const rb_destination *d)
{
	return d ? d->route_name : NULL;
}

int32_t rb_destination_rule(const rb_destination *d)
{
	return d ? d->rule : -1;
}

uint32_t rb_destination_direct_response(const rb_destination *d)
{
	return d ? d->direct_response : 0;
}

const char *rb_destination_direct_response_by(const rb_destination *d)
{
	return d ? d->direct_response_by : NULL;
}

const char *rb_destination_direct_response_reason(const rb_destination *d)
{
	return d ? d->direct_response_why : NULL;
}

uint32_t rb_destination_backend_weight(const rb_destination *d, rb_weight_bucket bucket)
{
	return d && (unsigned)bucket <= RB_WEIGHT_NO_ENDPOINTS ? d->weights[bucket] : 0;
}

const char *rb_destination_gateway(const rb_destination *d)
{
	return d ? d->gateway : NULL;
}

static const rb__ir_knob *knob(const rb_destination *d, rb_knob k)
{
	return d && (unsigned)k <= RB_KNOB_NOT_READY ? &d->knobs[k] : NULL;
}

int rb_destination_knob(const rb_destination *d, rb_knob k)
{
	const rb__ir_knob *kn = knob(d, k);
	return kn && kn->on;
}

const char *rb_destination_knob_policy(const rb_destination *d, rb_knob k)
{
	const rb__ir_knob *kn = knob(d, k);
	return kn ? kn->policy : NULL;
}

const char *rb_destination_knob_scope(const rb_destination *d, rb_knob k)
{
	const rb__ir_knob *kn = knob(d, k);
	return kn ? kn->scope : NULL;
}

size_t rb_destination_setting_count(const rb_destination *d)
{
	return d ? d->setting_count : 0;
}

const rb_setting *rb_destination_setting(const rb_destination *d, size_t i)
{
	return d && i < d->setting_count ? &d->settings[i] : NULL;
}

size_t rb_destination_excluded_count(const rb_destination *d)
{
	return d ? d->excluded_count : 0;
}

const char *rb_destination_excluded_name(const rb_destination *d, size_t i)
{
	return d && i < d->excluded_count ? d->excluded[i].name : NULL;
}

uint32_t rb_destination_excluded_weight(const rb_destination *d, size_t i)
{
	return d && i < d->excluded_count ? d->excluded[i].weight : 0;
}

const char *rb_destination_excluded_reason(const rb_destination *d, size_t i)
{
	return d && i < d->excluded_count ? d->excluded[i].reason : NULL;
}

/* ---- settings ---- */

const char *rb_setting_name(const rb_setting *s)
{
	return s ? s->name : NULL;
}

uint32_t rb_setting_weight(const rb_setting *s)
{
	return s ? s->weight : 0;
}

uint32_t rb_setting_priority(const rb_setting *s)
{
	return s && s->has_priority ? s->priority : 0;
}

uint32_t rb_setting_flags(const rb_setting *s)
{
	if (!s)
		return 0;
	return (s->invalid ? RB_SETTING_INVALID : 0u) |
	       (s->dynamic_resolver ? RB_SETTING_DYNAMIC_RESOLVER : 0u) |
	       (s->custom_backend ? RB_SETTING_CUSTOM_BACKEND : 0u) |
	       (s->force_http1 ? RB_SETTING_FORCE_HTTP1 : 0u) |
	       (s->has_priority ? RB_SETTING_HAS_PRIORITY : 0u) |
	       (s->shared_cluster ? RB_SETTING_SHARED_CLUSTER : 0u);
}

const char *rb_setting_protocol(const rb_setting *s)
{
	return s ? s->protocol : NULL;
}

const char *rb_setting_address_type(const rb_setting *s)
{
	return s ? s->address_type : NULL;
}

const char *rb_setting_metadata_kind(const rb_setting *s)
{
	return s && s->metadata ? s->metadata->kind : NULL;
}

const char *rb_setting_metadata_name(const rb_setting *s)
{
	return s && s->metadata ? s->metadata->name : NULL;
}

const char *rb_setting_metadata_namespace(const rb_setting *s)
{
	return s && s->metadata ? s->metadata->namespace_ : NULL;
}

const char *rb_setting_metadata_section_name(const rb_setting *s)
{
	return s && s->metadata ? s->metadata->section_name : NULL;
}

size_t rb_setting_endpoint_count(const rb_setting *s)
{
	return s ? s->endpoint_count : 0;
}

const rb_endpoint *rb_setting_endpoint(const rb_setting *s, size_t i)
{
	return s && i < s->endpoint_count ? &s->endpoints[i] : NULL;
}

const char *rb_endpoint_host(const rb_endpoint *e)
{
	return e ? e->host : NULL;
}

uint32_t rb_endpoint_port(const rb_endpoint *e)
{
	return e ? e->port : 0;
}

int rb_endpoint_draining(const rb_endpoint *e)
{
	return e && e->draining;
}

const char *rb_endpoint_zone(const rb_endpoint *e)
{
	return e ? e->zone : NULL;
}

const char *rb_endpoint_hostname(const rb_endpoint *e)
{
	return e ? e->hostname : NULL;
}

const char *rb_endpoint_path(const rb_endpoint *e)
{
	return e ? e->path : NULL;
}

/* ---- route statuses ---- */

size_t rb_result_route_status_count(const rb_result *res)
{
	return res ? res->ir.status_count : 0;
}

const rb_route_status *rb_result_route_status(const rb_result *res, size_t i)
{
	return res && i < res->ir.status_count ? &res->ir.statuses[i] : NULL;
}

const char *rb_route_status_kind(const rb_route_status *rs)
{
	return rs ? rs->kind : NULL;
}

const char *rb_route_status_namespace(const rb_route_status *rs)
{
	return rs ? rs->namespace_ : NULL;
}

const char *rb_route_status_name(const rb_route_status *rs)
{
	return rs ? rs->name : NULL;
}

const char *rb_route_status_parent_group(const rb_route_status *rs)
{
	return rs ? rs->parent.group : NULL;
}

const char *rb_route_status_parent_kind(const rb_route_status *rs)
{
	return rs ? rs->parent.kind : NULL;
}

const char *rb_route_status_parent_namespace(const rb_route_status *rs)
{
	return rs ? rs->parent.namespace_ : NULL;
}

const char *rb_route_status_parent_name(const rb_route_status *rs)
{
	return rs ? rs->parent.name : NULL;
}

const char *rb_route_status_parent_section_name(const rb_route_status *rs)
{
	return rs ? rs->parent.section_name : NULL;
}

uint32_t rb_route_status_parent_port(const rb_route_status *rs)
{
	return rs ? rs->parent.port : 0;
}

size_t rb_route_status_condition_count(const rb_route_status *rs)
{
	return rs ? rs->condition_count : 0;
}

const rb_condition *rb_route_status_condition(const rb_route_status *rs, size_t i)
{
	return rs && i < rs->condition_count ? &rs->conditions[i] : NULL;
}

size_t rb_route_status_idle_listener_count(const rb_route_status *rs)
{
	return rs ? rs->idle_listener_count : 0;
}

static const rb__ir_idle_listener *idle_listener(const rb_route_status *rs, size_t i)
{
	return rs && i < rs->idle_listener_count ? &rs->idle_listeners[i] : NULL;
}

const char *rb_route_status_idle_listener_name(const rb_route_status *rs, size_t i)
{
	const rb__ir_idle_listener *l = idle_listener(rs, i);
	return l ? l->name : NULL;
}

const char *rb_route_status_idle_listener_reason(const rb_route_status *rs, size_t i)
{
	const rb__ir_idle_listener *l = idle_listener(rs, i);
	return l ? l->reason : NULL;
}

const char *rb_route_status_idle_listener_message(const rb_route_status *rs, size_t i)
{
	const rb__ir_idle_listener *l = idle_listener(rs, i);
	return l ? l->message : NULL;
}

const char *rb_condition_type(const rb_condition *c)
{
	return c ? c->type : NULL;
}

const char *rb_condition_status(const rb_condition *c)
{
	return c ? c->status : NULL;
}

const char *rb_condition_reason(const rb_condition *c)
{
	return c ? c->reason : NULL;
}

const char *rb_condition_message(const rb_condition *c)
{
	return c ? c->message : NULL;
}
