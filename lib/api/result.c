/* The read-only accessors of a result (rb_translate: result/translate_model.c). */
#include <string.h>

#include "model/model.h"
#include "result/result.h"

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
	return d ? rb__ir_notes_of(d)->direct_response_by : NULL;
}

const char *rb_destination_direct_response_reason(const rb_destination *d)
{
	return d ? rb__ir_notes_of(d)->direct_response_why : NULL;
}

uint32_t rb_destination_backend_weight(const rb_destination *d, rb_weight_bucket bucket)
{
	return d && (unsigned)bucket <= RB_WEIGHT_NO_ENDPOINTS ? d->weights[bucket] : 0;
}

const char *rb_destination_gateway(const rb_destination *d)
{
	return d ? d->gateway : NULL;
}

const char *rb_destination_key(const rb_destination *d)
{
	return d ? d->key : NULL;
}

size_t rb_destination_listener_count(const rb_destination *d)
{
	return d ? d->listener_count : 0;
}

static const rb__ir_listener_ref *listener_at(const rb_destination *d, size_t i)
{
	return d && i < d->listener_count ? &d->listeners[i] : NULL;
}

const char *rb_destination_listener_name(const rb_destination *d, size_t i)
{
	const rb__ir_listener_ref *l = listener_at(d, i);
	return l ? l->name : NULL;
}

uint32_t rb_destination_listener_port(const rb_destination *d, size_t i)
{
	const rb__ir_listener_ref *l = listener_at(d, i);
	return l ? l->port : 0;
}

const char *rb_destination_listener_set(const rb_destination *d, size_t i)
{
	const rb__ir_listener_ref *l = listener_at(d, i);
	return l ? l->listener_set : NULL;
}

static const rb__ir_knob *knob(const rb_destination *d, rb_knob k)
{
	return d && (unsigned)k <= RB_KNOB_NOT_READY ? rb__ir_knob_of(d, (int)k) : NULL;
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
	return s ? rb__ir_protocol_name(s->protocol) : NULL;
}

const char *rb_setting_address_type(const rb_setting *s)
{
	return s ? rb__ir_address_type_name(s->address_type) : NULL;
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
	return rs ? rs->parent->group : NULL;
}

const char *rb_route_status_parent_kind(const rb_route_status *rs)
{
	return rs ? rs->parent->kind : NULL;
}

const char *rb_route_status_parent_namespace(const rb_route_status *rs)
{
	return rs ? rs->parent->namespace_ : NULL;
}

const char *rb_route_status_parent_name(const rb_route_status *rs)
{
	return rs ? rs->parent->name : NULL;
}

const char *rb_route_status_parent_section_name(const rb_route_status *rs)
{
	return rs ? rs->parent->section_name : NULL;
}

uint32_t rb_route_status_parent_port(const rb_route_status *rs)
{
	return rs ? rb__parent_ref_port(rs->parent) : 0;
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
