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

#include <stdint.h>
#include <string.h>

#include "core/buf.h"
#include "rebalance/errors.h"

/*
 * Endpoint tables are shared: every setting of a backend port points at the
 * same table (translate/endpoints.c), and a Service is used by many rules.
 * The JSON bytes of each table are kept after its first rendering and copied
 * for the next settings that use it (rb__w_replay), keyed by the table's
 * address, length and the writer's depth (the indentation).
 */
typedef struct ep_entry {
	const rb__ir_endpoint *eps; /* NULL: empty slot */
	size_t count;
	size_t depth;
	size_t off, len; /* bytes in the cache's buffer */
} ep_entry;

typedef struct ep_cache {
	const rb__mem *mem;
	ep_entry *slots;
	size_t cap, len;
	rb__buf bytes;
	bool off; /* the writer cannot replay, or an allocation failed: render every time */
} ep_cache;

static size_t ep_hash(const rb__ir_endpoint *eps, size_t count, size_t mask)
{
	uint64_t h = ((uint64_t)(uintptr_t)eps ^ count) * 0x9e3779b97f4a7c15ull;
	return (size_t)(h >> 32) & mask;
}

static ep_entry *ep_find(ep_cache *c, const rb__ir_endpoint *eps, size_t count, size_t depth)
{
	if (!c->cap)
		return NULL;
	size_t mask = c->cap - 1;
	for (size_t i = ep_hash(eps, count, mask);; i = (i + 1) & mask) {
		ep_entry *e = &c->slots[i];
		if (!e->eps || (e->eps == eps && e->count == count && e->depth == depth))
			return e;
	}
}

static bool ep_grow(ep_cache *c)
{
	size_t cap = c->cap ? c->cap * 2 : 256;
	ep_entry *slots = rb__calloc(c->mem, cap, sizeof(*slots));
	if (!slots)
		return false;
	ep_entry *old = c->slots;
	size_t old_cap = c->cap;
	c->slots = slots;
	c->cap = cap;
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].eps)
			*ep_find(c, old[i].eps, old[i].count, old[i].depth) = old[i];
	rb__free(c->mem, old);
	return true;
}

static void ep_cache_free(ep_cache *c)
{
	rb__free(c->mem, c->slots);
	rb__buf_free(&c->bytes);
}

static const char *nz(const char *s)
{
	return s ? s : "";
}

static inline int kv_str(rb__writer *w, const char *key, const char *s)
{
	return rb__w_kv_str(w, key, nz(s));
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
	RB_TRY(opt_nonempty(w, "host", e->host));
	if (e->port)
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

static int emit_endpoints(rb__writer *w, const rb__ir_setting *s)
{
	RB_TRY(rb__w_seq_begin(w, false));
	for (size_t i = 0; i < s->endpoint_count; i++)
		RB_TRY(emit_endpoint(w, &s->endpoints[i]));
	return rb__w_seq_end(w);
}

/* The endpoints value of a setting: from the cache, or rendered (and kept). */
static int emit_endpoints_cached(rb__writer *w, ep_cache *c, const rb__ir_setting *s)
{
	if (c->off)
		return emit_endpoints(w, s);
	size_t depth = rb__w_depth(w);
	ep_entry *e = ep_find(c, s->endpoints, s->endpoint_count, depth);
	if (e && e->eps)
		return rb__w_replay(w, c->bytes.data + e->off, e->len);
	size_t token = rb__w_capture_begin(w);
	RB_TRY(emit_endpoints(w, s));
	size_t n;
	const char *bytes = rb__w_capture_end(w, token, &n);
	if (!bytes)
		return RB_OK; /* the chunk went to the sink midway: next time */
	if ((c->len + 1) * 2 > c->cap && !ep_grow(c)) {
		c->off = true;
		return RB_OK;
	}
	size_t off = c->bytes.len;
	if (!rb__buf_append(&c->bytes, bytes, n)) {
		c->off = true;
		return RB_OK;
	}
	e = ep_find(c, s->endpoints, s->endpoint_count, depth);
	e->eps = s->endpoints;
	e->count = s->endpoint_count;
	e->depth = depth;
	e->off = off;
	e->len = n;
	c->len++;
	return RB_OK;
}

static int emit_setting(rb__writer *w, ep_cache *c, const rb__ir_setting *s)
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
		RB_TRY(emit_endpoints_cached(w, c, s));
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

static int emit_destination(rb__writer *w, ep_cache *c, const rb__ir_destination *d)
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
			RB_TRY(emit_setting(w, c, &d->settings[i]));
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

static int emit_destinations(rb__writer *w, const rb__ir *ir)
{
	ep_cache c;
	memset(&c, 0, sizeof c);
	c.mem = rb__w_mem(w);
	c.off = !rb__w_can_replay(w);
	rb__buf_init(&c.bytes, c.mem);
	int rc = rb__w_seq_begin(w, ir->destination_count == 0);
	for (size_t i = 0; i < ir->destination_count && !rc; i++)
		rc = emit_destination(w, &c, &ir->destinations[i]);
	ep_cache_free(&c);
	return rc ? rc : rb__w_seq_end(w);
}

int rb__emit_ir(rb__writer *w, const rb__ir *ir)
{
	if (!w || !ir)
		return RB_EINVAL;
	RB_TRY(rb__w_map_begin(w, false));
	RB_TRY(rb__w_key(w, "destinations"));
	RB_TRY(emit_destinations(w, ir));
	RB_TRY(rb__w_key(w, "routeStatuses"));
	RB_TRY(rb__w_seq_begin(w, ir->status_count == 0));
	for (size_t i = 0; i < ir->status_count; i++)
		RB_TRY(emit_status(w, &ir->statuses[i]));
	RB_TRY(rb__w_seq_end(w));
	return rb__w_map_end(w);
}
