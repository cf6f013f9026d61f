/*
 * Do two IR entries serialize to the same bytes? Field by field, what
 * emit/emit_ir.c writes and nothing else: the engine's change sets
 * (lib/engine/delta.c) report an entry changed exactly when its item in the
 * IR document differs. Keep the two files in step: builds with invariant
 * checks (Debug, sanitizers) compare every answer with the bytes themselves.
 *
 * The emitter's rules, mirrored: a NULL string of an always-written field is
 * written as "" (rb__str_eq); an optional string is written when non-NULL
 * (rb__str_same) or when non-empty (nonempty_same); counts decide whether a list
 * is written at all.
 */
#include "ir/ir_same.h"
#include "core/strutil.h"
#include "model/model.h"

#include <string.h>

static bool nonempty_same(const char *a, const char *b)
{
	return rb__str_eq(a, b); /* NULL and "" are both left out */
}

static bool endpoint_same(const rb__ir_endpoint *a, const rb__ir_endpoint *b)
{
	return a->port == b->port && a->draining == b->draining && rb__str_eq(a->host, b->host) &&
	       rb__str_same(a->zone, b->zone) && rb__str_same(a->hostname, b->hostname) &&
	       rb__str_same(a->path, b->path);
}

static bool metadata_same(const rb__ir_metadata *a, const rb__ir_metadata *b)
{
	if (!a || !b)
		return a == b;
	if (a->annotation_count != b->annotation_count || !nonempty_same(a->kind, b->kind) ||
	    !nonempty_same(a->name, b->name) || !nonempty_same(a->namespace_, b->namespace_) ||
	    !nonempty_same(a->section_name, b->section_name))
		return false;
	for (size_t i = 0; i < a->annotation_count; i++)
		if (!rb__str_eq(a->annotations[i].key, b->annotations[i].key) ||
		    !rb__str_eq(a->annotations[i].value, b->annotations[i].value))
			return false;
	return true;
}

bool rb__ir_setting_same(const rb__ir_setting *a, const rb__ir_setting *b)
{
	if (a->weight != b->weight || a->has_priority != b->has_priority ||
	    (a->has_priority && a->priority != b->priority) || a->force_http1 != b->force_http1 ||
	    a->invalid != b->invalid || a->dynamic_resolver != b->dynamic_resolver ||
	    a->custom_backend != b->custom_backend || a->shared_cluster != b->shared_cluster ||
	    a->endpoint_count != b->endpoint_count || !rb__str_eq(a->name, b->name) ||
	    a->protocol != b->protocol || a->address_type != b->address_type ||
	    a->ip_family != b->ip_family || !metadata_same(a->metadata, b->metadata))
		return false;
	if (!a->prefer_local != !b->prefer_local ||
	    (a->prefer_local &&
	     (a->prefer_local->min_endpoints_threshold != b->prefer_local->min_endpoints_threshold ||
	      a->prefer_local->min_endpoints_in_zone_threshold !=
	          b->prefer_local->min_endpoints_in_zone_threshold)))
		return false;
	if (a->endpoints == b->endpoints)
		return true; /* one shared table */
	for (size_t i = 0; i < a->endpoint_count; i++)
		if (!endpoint_same(&a->endpoints[i], &b->endpoints[i]))
			return false;
	return true;
}

static bool knobs_same(const rb__ir_destination *da, const rb__ir_destination *db)
{
	for (int k = 0; k < 2; k++) {
		const rb__ir_knob *a = rb__ir_knob_of(da, k), *b = rb__ir_knob_of(db, k);
		if (a->on != b->on || !rb__str_same(a->policy, b->policy))
			return false;
		if (a->policy && !rb__str_eq(a->scope, b->scope))
			return false;
	}
	return true;
}

bool rb__ir_destination_same(const rb__ir_destination *a, const rb__ir_destination *b)
{
	if (a == b)
		return true;
	if (a->rule != b->rule || a->direct_response != b->direct_response ||
	    memcmp(a->weights, b->weights, sizeof a->weights) ||
	    a->listener_count != b->listener_count || a->setting_count != b->setting_count ||
	    a->excluded_count != b->excluded_count || !rb__str_eq(a->key, b->key) ||
	    !rb__str_eq(a->name, b->name) || !rb__str_eq(a->route_kind, b->route_kind) ||
	    !rb__str_eq(a->route_namespace, b->route_namespace) ||
	    !rb__str_eq(a->route_name, b->route_name) ||
	    !rb__str_eq(a->gateway_namespace, b->gateway_namespace) ||
	    !rb__str_eq(a->gateway_name, b->gateway_name))
		return false;
	if (a->rule >= 0 && !knobs_same(a, b))
		return false; /* L4 and TLS rules have none written */
	for (size_t i = 0; i < a->listener_count; i++) {
		const rb__ir_listener_ref *x = &a->listeners[i], *y = &b->listeners[i];
		if (x->port != y->port || !rb__str_eq(x->name, y->name) ||
		    !rb__str_same(x->listener_set, y->listener_set))
			return false;
	}
	for (size_t i = 0; i < a->excluded_count; i++) {
		const rb__ir_excluded *x = &a->excluded[i], *y = &b->excluded[i];
		if (x->weight != y->weight || !rb__str_eq(x->name, y->name) ||
		    !rb__str_eq(x->reason, y->reason))
			return false;
	}
	for (size_t i = 0; i < a->setting_count; i++)
		if (!rb__ir_setting_same(&a->settings[i], &b->settings[i]))
			return false;
	return true;
}

bool rb__ir_route_status_same(const rb__ir_route_status *a, const rb__ir_route_status *b)
{
	if (a == b)
		return true;
	const rb__ir_parent_ref *p = a->parent, *q = b->parent;
	if (a->condition_count != b->condition_count ||
	    rb__parent_ref_port(p) != rb__parent_ref_port(q) ||
	    !rb__str_eq(a->kind, b->kind) || !rb__str_eq(a->namespace_, b->namespace_) ||
	    !rb__str_eq(a->name, b->name) || !rb__str_same(p->group, q->group) ||
	    !rb__str_same(p->kind, q->kind) || !rb__str_same(p->namespace_, q->namespace_) ||
	    !rb__str_same(p->name, q->name) || !rb__str_same(p->section_name, q->section_name))
		return false;
	for (size_t i = 0; i < a->condition_count; i++) {
		const rb__ir_condition *x = &a->conditions[i], *y = &b->conditions[i];
		if (!rb__str_eq(x->type, y->type) || !rb__str_eq(x->status, y->status) ||
		    !rb__str_eq(x->reason, y->reason) || !rb__str_eq(x->message, y->message))
			return false;
	}
	return true;
}
