/*
 * The IR document (SPEC.md R.3) on the writer. Key order and omission rules
 * are fixed here; flow versus block follows the layout rule of emit.h, so that
 * rb__emit_node on the re-read document writes the same bytes.
 *
 * Not serialized: a setting's error_reason, error_message and all_draining,
 * and a destination's metadata. A NULL string in an always-present field is
 * written as "".
 */
#include "emit/emit.h"

#include "rebalance/errors.h"

#define TRY(expr)                     \
	do {                              \
		int rc_ = (expr);             \
		if (rc_)                      \
			return rc_;               \
	} while (0)

static const char *nz(const char *s)
{
	return s ? s : "";
}

static int kv_str(rb__writer *w, const char *key, const char *s)
{
	TRY(rb__w_key(w, key));
	return rb__w_str(w, nz(s));
}

static int kv_uint(rb__writer *w, const char *key, uint64_t v)
{
	TRY(rb__w_key(w, key));
	return rb__w_uint(w, v);
}

static int kv_true(rb__writer *w, const char *key)
{
	TRY(rb__w_key(w, key));
	return rb__w_bool(w, true);
}

/* Optional string: written when non-NULL. */
static int opt_str(rb__writer *w, const char *key, const char *s)
{
	return s ? kv_str(w, key, s) : RB_OK;
}

/* Optional string: written when non-NULL and non-empty. */
static int opt_nonempty(rb__writer *w, const char *key, const char *s)
{
	return s && *s ? kv_str(w, key, s) : RB_OK;
}

static int emit_endpoint(rb__writer *w, const rb__ir_endpoint *e)
{
	TRY(rb__w_map_begin(w, true));
	TRY(opt_nonempty(w, "host", e->host));
	if (e->port)
		TRY(kv_uint(w, "port", e->port));
	TRY(opt_str(w, "zone", e->zone));
	if (e->draining)
		TRY(kv_true(w, "draining"));
	TRY(opt_str(w, "hostname", e->hostname));
	TRY(opt_str(w, "path", e->path));
	return rb__w_map_end(w);
}

static int emit_metadata(rb__writer *w, const rb__ir_metadata *m)
{
	TRY(rb__w_map_begin(w, true));
	TRY(opt_nonempty(w, "kind", m->kind));
	TRY(opt_nonempty(w, "name", m->name));
	TRY(opt_nonempty(w, "namespace", m->namespace_));
	if (m->annotation_count) {
		TRY(rb__w_key(w, "annotations"));
		TRY(rb__w_seq_begin(w, true));
		for (size_t i = 0; i < m->annotation_count; i++) {
			TRY(rb__w_map_begin(w, true));
			TRY(kv_str(w, "key", m->annotations[i].key));
			TRY(kv_str(w, "value", m->annotations[i].value));
			TRY(rb__w_map_end(w));
		}
		TRY(rb__w_seq_end(w));
	}
	TRY(opt_nonempty(w, "sectionName", m->section_name));
	return rb__w_map_end(w);
}

static int emit_setting(rb__writer *w, const rb__ir_setting *s)
{
	TRY(rb__w_map_begin(w, false));
	TRY(kv_str(w, "name", s->name));
	TRY(kv_uint(w, "weight", s->weight));
	if (s->has_priority)
		TRY(kv_uint(w, "priority", s->priority));
	TRY(opt_str(w, "protocol", s->protocol));
	if (s->force_http1)
		TRY(kv_true(w, "forceHTTP1Upstream"));
	TRY(opt_str(w, "addressType", s->address_type));
	TRY(opt_str(w, "ipFamily", s->ip_family));
	if (s->endpoint_count) {
		TRY(rb__w_key(w, "endpoints"));
		TRY(rb__w_seq_begin(w, false));
		for (size_t i = 0; i < s->endpoint_count; i++)
			TRY(emit_endpoint(w, &s->endpoints[i]));
		TRY(rb__w_seq_end(w));
	}
	if (s->prefer_local) {
		TRY(rb__w_key(w, "preferLocal"));
		TRY(rb__w_map_begin(w, true));
		TRY(kv_uint(w, "minEndpointsThreshold", s->prefer_local->min_endpoints_threshold));
		TRY(rb__w_key(w, "force"));
		TRY(rb__w_map_begin(w, true));
		TRY(kv_uint(w, "minEndpointsInZoneThreshold",
		            s->prefer_local->min_endpoints_in_zone_threshold));
		TRY(rb__w_map_end(w));
		TRY(rb__w_map_end(w));
	}
	if (s->metadata) {
		TRY(rb__w_key(w, "metadata"));
		TRY(emit_metadata(w, s->metadata));
	}
	if (s->invalid)
		TRY(kv_true(w, "invalid"));
	if (s->dynamic_resolver)
		TRY(kv_true(w, "isDynamicResolver"));
	if (s->custom_backend)
		TRY(kv_true(w, "isCustomBackend"));
	return rb__w_map_end(w);
}

static int emit_destination(rb__writer *w, const rb__ir_destination *d)
{
	TRY(rb__w_map_begin(w, false));
	TRY(kv_str(w, "name", d->name));

	TRY(rb__w_key(w, "route"));
	TRY(rb__w_map_begin(w, true));
	TRY(kv_str(w, "kind", d->route_kind));
	TRY(kv_str(w, "namespace", d->route_namespace));
	TRY(kv_str(w, "name", d->route_name));
	TRY(rb__w_key(w, "rule"));
	TRY(rb__w_int(w, d->rule));
	TRY(rb__w_map_end(w));

	if (d->setting_count) {
		TRY(rb__w_key(w, "settings"));
		TRY(rb__w_seq_begin(w, false));
		for (size_t i = 0; i < d->setting_count; i++)
			TRY(emit_setting(w, &d->settings[i]));
		TRY(rb__w_seq_end(w));
	}
	if (d->excluded_count) {
		TRY(rb__w_key(w, "excluded"));
		TRY(rb__w_seq_begin(w, false));
		for (size_t i = 0; i < d->excluded_count; i++) {
			const rb__ir_excluded *x = &d->excluded[i];
			TRY(rb__w_map_begin(w, true));
			TRY(kv_str(w, "name", x->name));
			TRY(kv_uint(w, "weight", x->weight));
			TRY(kv_str(w, "reason", x->reason));
			TRY(rb__w_map_end(w));
		}
		TRY(rb__w_seq_end(w));
	}

	TRY(rb__w_key(w, "backendWeights"));
	TRY(rb__w_map_begin(w, true));
	TRY(kv_uint(w, "valid", d->weights[0]));
	TRY(kv_uint(w, "invalid", d->weights[1]));
	TRY(kv_uint(w, "noEndpoints", d->weights[2]));
	TRY(rb__w_map_end(w));

	if (d->direct_response) {
		TRY(rb__w_key(w, "directResponse"));
		TRY(rb__w_map_begin(w, true));
		TRY(kv_uint(w, "statusCode", d->direct_response));
		TRY(rb__w_map_end(w));
	}
	return rb__w_map_end(w);
}

static int emit_status(rb__writer *w, const rb__ir_route_status *st)
{
	TRY(rb__w_map_begin(w, false));
	TRY(kv_str(w, "kind", st->kind));
	TRY(kv_str(w, "namespace", st->namespace_));
	TRY(kv_str(w, "name", st->name));

	const rb__ir_parent_ref *p = &st->parent;
	TRY(rb__w_key(w, "parentRef"));
	TRY(rb__w_map_begin(w, true));
	TRY(opt_str(w, "group", p->group));
	TRY(opt_str(w, "kind", p->kind));
	TRY(opt_str(w, "namespace", p->namespace_));
	TRY(opt_str(w, "name", p->name));
	TRY(opt_str(w, "sectionName", p->section_name));
	if (p->port)
		TRY(kv_uint(w, "port", p->port));
	TRY(rb__w_map_end(w));

	TRY(rb__w_key(w, "conditions"));
	TRY(rb__w_seq_begin(w, st->condition_count == 0));
	for (size_t i = 0; i < st->condition_count; i++) {
		const rb__ir_condition *c = &st->conditions[i];
		TRY(rb__w_map_begin(w, true));
		TRY(kv_str(w, "type", c->type));
		TRY(kv_str(w, "status", c->status));
		TRY(kv_str(w, "reason", c->reason));
		TRY(kv_str(w, "message", c->message));
		TRY(rb__w_map_end(w));
	}
	TRY(rb__w_seq_end(w));
	return rb__w_map_end(w);
}

int rb__emit_ir(rb__writer *w, const rb__ir *ir)
{
	if (!w || !ir)
		return RB_EINVAL;
	TRY(rb__w_map_begin(w, false));
	TRY(rb__w_key(w, "destinations"));
	TRY(rb__w_seq_begin(w, ir->destination_count == 0));
	for (size_t i = 0; i < ir->destination_count; i++)
		TRY(emit_destination(w, &ir->destinations[i]));
	TRY(rb__w_seq_end(w));
	TRY(rb__w_key(w, "routeStatuses"));
	TRY(rb__w_seq_begin(w, ir->status_count == 0));
	for (size_t i = 0; i < ir->status_count; i++)
		TRY(emit_status(w, &ir->statuses[i]));
	TRY(rb__w_seq_end(w));
	return rb__w_map_end(w);
}
