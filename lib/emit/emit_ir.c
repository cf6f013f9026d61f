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

static const char *nz(const char *s)
{
	return s ? s : "";
}

static int kv_str(rb__writer *w, const char *key, const char *s)
{
	RB_TRY(rb__w_key(w, key));
	return rb__w_str(w, nz(s));
}

static int kv_uint(rb__writer *w, const char *key, uint64_t v)
{
	RB_TRY(rb__w_key(w, key));
	return rb__w_uint(w, v);
}

static int kv_true(rb__writer *w, const char *key)
{
	RB_TRY(rb__w_key(w, key));
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
	RB_TRY(rb__w_map_begin(w, true));
	/* host and port are always there, as in Envoy Gateway's IR: Service routing
	 * with an empty clusterIP gives host "" (SPEC.md 2.7 item 6). */
	RB_TRY(kv_str(w, "host", e->host));
	RB_TRY(kv_uint(w, "port", e->port));
	RB_TRY(opt_str(w, "zone", e->zone));
	if (e->draining)
		RB_TRY(kv_true(w, "draining"));
	RB_TRY(opt_str(w, "hostname", e->hostname));
	RB_TRY(opt_str(w, "path", e->path));
	return rb__w_map_end(w);
}

static int emit_metadata(rb__writer *w, const rb__ir_metadata *m)
{
	RB_TRY(rb__w_map_begin(w, true));
	RB_TRY(opt_nonempty(w, "kind", m->kind));
	RB_TRY(opt_nonempty(w, "name", m->name));
	RB_TRY(opt_nonempty(w, "namespace", m->namespace_));
	if (m->annotation_count) {
		RB_TRY(rb__w_key(w, "annotations"));
		RB_TRY(rb__w_seq_begin(w, true));
		for (size_t i = 0; i < m->annotation_count; i++) {
			RB_TRY(rb__w_map_begin(w, true));
			RB_TRY(kv_str(w, "key", m->annotations[i].key));
			RB_TRY(kv_str(w, "value", m->annotations[i].value));
			RB_TRY(rb__w_map_end(w));
		}
		RB_TRY(rb__w_seq_end(w));
	}
	RB_TRY(opt_nonempty(w, "sectionName", m->section_name));
	return rb__w_map_end(w);
}

static int emit_setting(rb__writer *w, const rb__ir_setting *s)
{
	RB_TRY(rb__w_map_begin(w, false));
	RB_TRY(kv_str(w, "name", s->name));
	RB_TRY(kv_uint(w, "weight", s->weight));
	if (s->has_priority)
		RB_TRY(kv_uint(w, "priority", s->priority));
	RB_TRY(opt_str(w, "protocol", s->protocol));
	if (s->force_http1)
		RB_TRY(kv_true(w, "forceHTTP1Upstream"));
	RB_TRY(opt_str(w, "addressType", s->address_type));
	RB_TRY(opt_str(w, "ipFamily", s->ip_family));
	if (s->endpoint_count) {
		RB_TRY(rb__w_key(w, "endpoints"));
		RB_TRY(rb__w_seq_begin(w, false));
		for (size_t i = 0; i < s->endpoint_count; i++)
			RB_TRY(emit_endpoint(w, &s->endpoints[i]));
		RB_TRY(rb__w_seq_end(w));
	}
	if (s->prefer_local) {
		RB_TRY(rb__w_key(w, "preferLocal"));
		RB_TRY(rb__w_map_begin(w, true));
		RB_TRY(kv_uint(w, "minEndpointsThreshold", s->prefer_local->min_endpoints_threshold));
		RB_TRY(rb__w_key(w, "force"));
		RB_TRY(rb__w_map_begin(w, true));
		RB_TRY(kv_uint(w, "minEndpointsInZoneThreshold",
		            s->prefer_local->min_endpoints_in_zone_threshold));
		RB_TRY(rb__w_map_end(w));
		RB_TRY(rb__w_map_end(w));
	}
	if (s->metadata) {
		RB_TRY(rb__w_key(w, "metadata"));
		RB_TRY(emit_metadata(w, s->metadata));
	}
	if (s->invalid)
		RB_TRY(kv_true(w, "invalid"));
	if (s->dynamic_resolver)
		RB_TRY(kv_true(w, "isDynamicResolver"));
	if (s->custom_backend)
		RB_TRY(kv_true(w, "isCustomBackend"));
	return rb__w_map_end(w);
}

static int emit_destination(rb__writer *w, const rb__ir_destination *d)
{
	RB_TRY(rb__w_map_begin(w, false));
	RB_TRY(kv_str(w, "name", d->name));

	RB_TRY(rb__w_key(w, "route"));
	RB_TRY(rb__w_map_begin(w, true));
	RB_TRY(kv_str(w, "kind", d->route_kind));
	RB_TRY(kv_str(w, "namespace", d->route_namespace));
	RB_TRY(kv_str(w, "name", d->route_name));
	RB_TRY(rb__w_key(w, "rule"));
	RB_TRY(rb__w_int(w, d->rule));
	RB_TRY(rb__w_map_end(w));

	if (d->setting_count) {
		RB_TRY(rb__w_key(w, "settings"));
		RB_TRY(rb__w_seq_begin(w, false));
		for (size_t i = 0; i < d->setting_count; i++)
			RB_TRY(emit_setting(w, &d->settings[i]));
		RB_TRY(rb__w_seq_end(w));
	}
	if (d->excluded_count) {
		RB_TRY(rb__w_key(w, "excluded"));
		RB_TRY(rb__w_seq_begin(w, false));
		for (size_t i = 0; i < d->excluded_count; i++) {
			const rb__ir_excluded *x = &d->excluded[i];
			RB_TRY(rb__w_map_begin(w, true));
			RB_TRY(kv_str(w, "name", x->name));
			RB_TRY(kv_uint(w, "weight", x->weight));
			RB_TRY(kv_str(w, "reason", x->reason));
			RB_TRY(rb__w_map_end(w));
		}
		RB_TRY(rb__w_seq_end(w));
	}

	RB_TRY(rb__w_key(w, "backendWeights"));
	RB_TRY(rb__w_map_begin(w, true));
	RB_TRY(kv_uint(w, "valid", d->weights[0]));
	RB_TRY(kv_uint(w, "invalid", d->weights[1]));
	RB_TRY(kv_uint(w, "noEndpoints", d->weights[2]));
	RB_TRY(rb__w_map_end(w));

	if (d->direct_response) {
		RB_TRY(rb__w_key(w, "directResponse"));
		RB_TRY(rb__w_map_begin(w, true));
		RB_TRY(kv_uint(w, "statusCode", d->direct_response));
		RB_TRY(rb__w_map_end(w));
	}
	return rb__w_map_end(w);
}

static int emit_status(rb__writer *w, const rb__ir_route_status *st)
{
	RB_TRY(rb__w_map_begin(w, false));
	RB_TRY(kv_str(w, "kind", st->kind));
	RB_TRY(kv_str(w, "namespace", st->namespace_));
	RB_TRY(kv_str(w, "name", st->name));

	const rb__ir_parent_ref *p = &st->parent;
	RB_TRY(rb__w_key(w, "parentRef"));
	RB_TRY(rb__w_map_begin(w, true));
	RB_TRY(opt_str(w, "group", p->group));
	RB_TRY(opt_str(w, "kind", p->kind));
	RB_TRY(opt_str(w, "namespace", p->namespace_));
	RB_TRY(opt_str(w, "name", p->name));
	RB_TRY(opt_str(w, "sectionName", p->section_name));
	if (p->port)
		RB_TRY(kv_uint(w, "port", p->port));
	RB_TRY(rb__w_map_end(w));

	RB_TRY(rb__w_key(w, "conditions"));
	RB_TRY(rb__w_seq_begin(w, st->condition_count == 0));
	for (size_t i = 0; i < st->condition_count; i++) {
		const rb__ir_condition *c = &st->conditions[i];
		RB_TRY(rb__w_map_begin(w, true));
		RB_TRY(kv_str(w, "type", c->type));
		RB_TRY(kv_str(w, "status", c->status));
		RB_TRY(kv_str(w, "reason", c->reason));
		RB_TRY(kv_str(w, "message", c->message));
		RB_TRY(rb__w_map_end(w));
	}
	RB_TRY(rb__w_seq_end(w));
	return rb__w_map_end(w);
}

int rb__emit_ir(rb__writer *w, const rb__ir *ir)
{
	if (!w || !ir)
		return RB_EINVAL;
	RB_TRY(rb__w_map_begin(w, false));
	RB_TRY(rb__w_key(w, "destinations"));
	RB_TRY(rb__w_seq_begin(w, ir->destination_count == 0));
	for (size_t i = 0; i < ir->destination_count; i++)
		RB_TRY(emit_destination(w, &ir->destinations[i]));
	RB_TRY(rb__w_seq_end(w));
	RB_TRY(rb__w_key(w, "routeStatuses"));
	RB_TRY(rb__w_seq_begin(w, ir->status_count == 0));
	for (size_t i = 0; i < ir->status_count; i++)
		RB_TRY(emit_status(w, &ir->statuses[i]));
	RB_TRY(rb__w_seq_end(w));
	return rb__w_map_end(w);
}
