/*
 * The IR document (docs/ir.md) on the writer. Key order and omission rules
 * are fixed here; flow versus block follows the layout rule of emit.h, so that
 * rb__emit_node on the re-read document writes the same bytes.
 *
 * Not serialized: a setting's all_draining (and what only explain and xds read),
 * and a destination's metadata. A NULL string in an always-present field is
 * written as "".
 *
 * Rules: [bucket.output] [direct.no-destination].
 */
#include "emit/emit.h"
#include "model/model.h"

#include <stdint.h>
#include <string.h>

#include "rebalance/errors.h"

/* The helpers below take a literal key: inlined, the key's length and plainness
 * (rb__w_plain_ascii) are worked out when compiling. */
#define INLINE_KEY inline __attribute__((always_inline))

static const char *nz(const char *s)
{
	return s ? s : "";
}

static INLINE_KEY int kv_str(rb__writer *w, const char *key, const char *s)
{
	return rb__w_kv_str(w, key, nz(s));
}

static INLINE_KEY int kv_uint(rb__writer *w, const char *key, uint64_t v)
{
	RB_TRY(rb__w_key(w, key));
	return rb__w_uint(w, v);
}

static INLINE_KEY int kv_true(rb__writer *w, const char *key)
{
	RB_TRY(rb__w_key(w, key));
	return rb__w_bool(w, true);
}

/* Optional string: written when non-NULL. */
static INLINE_KEY int opt_str(rb__writer *w, const char *key, const char *s)
{
	return s ? kv_str(w, key, s) : RB_OK;
}

/* Optional string: written when non-NULL and non-empty. */
static INLINE_KEY int opt_nonempty(rb__writer *w, const char *key, const char *s)
{
	return s && *s ? kv_str(w, key, s) : RB_OK;
}

/* Members of a flow mapping, collected and then written by one rb__w_flow_map. */
typedef struct flow {
	rb__w_field f[8];
	size_t n;
} flow;

/* The next member of a flow mapping: its key (a literal, so the length is
 * known when compiling) and type; the caller sets the value. */
static INLINE_KEY rb__w_field *f_add(flow *fl, const char *key, rb__w_ftype type)
{
	rb__w_field *f = &fl->f[fl->n++];
	f->key = key;
	f->key_len = __builtin_strlen(key);
	f->key_plain = rb__w_plain_ascii(key, f->key_len);
	f->type = type;
	return f;
}

static INLINE_KEY void f_str(flow *fl, const char *key, const char *s)
{
	f_add(fl, key, RB_WF_STR)->s = nz(s);
}

static INLINE_KEY void f_uint(flow *fl, const char *key, uint64_t v)
{
	f_add(fl, key, RB_WF_UINT)->u = v;
}

static INLINE_KEY void f_int(flow *fl, const char *key, int64_t v)
{
	f_add(fl, key, RB_WF_INT)->i = v;
}

static INLINE_KEY void f_true(flow *fl, const char *key)
{
	f_add(fl, key, RB_WF_TRUE);
}

/*
 * The values the IR shares among destinations and statuses (rb__arena_share),
 * as last written (rb__w_memo): one per member that holds one.
 */
typedef struct emit_memos {
	rb__w_memo gateway, listeners, knobs, parent, conditions;
} emit_memos;

typedef int (*emit_value_fn)(rb__writer *w, const void *arg);

/* After a key: its value, written by fn(w, arg), or the text m kept of it (key, n: what
 * the value is made of, which the IR never changes while it is written). */
static int memo_value(rb__writer *w, rb__w_memo *m, const void *key, size_t n, emit_value_fn fn,
                      const void *arg)
{
	if (m && key && rb__w_memo_put(w, m, key, n))
		return RB_OK;
	rb__w_memo_start start = rb__w_memo_begin(w);
	RB_TRY(fn(w, arg));
	if (m && key)
		rb__w_memo_keep(w, m, start, key, n);
	return RB_OK;
}

static int emit_endpoint(rb__writer *w, const rb__ir_endpoint *e)
{
	flow fl;
	fl.n = 0;
	/* host and port are always there, as in Envoy Gateway's IR: Service routing
	 * with an empty clusterIP gives host "" ([routing.service]). */
	f_str(&fl, "host", e->host);
	f_uint(&fl, "port", e->port);
	if (e->zone)
		f_str(&fl, "zone", e->zone);
	if (e->draining)
		f_true(&fl, "draining");
	if (e->hostname)
		f_str(&fl, "hostname", e->hostname);
	if (e->path)
		f_str(&fl, "path", e->path);
	return rb__w_flow_map(w, fl.f, fl.n);
}

static int emit_metadata(rb__writer *w, const rb__ir_metadata *m)
{
	if (!m->annotation_count) {
		flow fl;
	fl.n = 0;
		if (m->kind && *m->kind)
			f_str(&fl, "kind", m->kind);
		if (m->name && *m->name)
			f_str(&fl, "name", m->name);
		if (m->namespace_ && *m->namespace_)
			f_str(&fl, "namespace", m->namespace_);
		if (m->section_name && *m->section_name)
			f_str(&fl, "sectionName", m->section_name);
		return rb__w_flow_map(w, fl.f, fl.n);
	}
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

static int emit_setting(rb__writer *w, const rb__ir_setting *s)
{
	RB_TRY(rb__w_map_begin(w, false));
	RB_TRY(kv_str(w, "name", s->name));
	RB_TRY(kv_uint(w, "weight", s->weight));
	if (s->has_priority)
		RB_TRY(kv_uint(w, "priority", s->priority));
	RB_TRY(opt_str(w, "protocol", rb__ir_protocol_name(s->protocol)));
	if (s->force_http1)
		RB_TRY(kv_true(w, "forceHTTP1Upstream"));
	RB_TRY(opt_str(w, "addressType", rb__ir_address_type_name(s->address_type)));
	RB_TRY(opt_str(w, "ipFamily", rb__ir_ip_family_name(s->ip_family)));
	if (s->endpoint_count) {
		RB_TRY(rb__w_key(w, "endpoints"));
		RB_TRY(emit_endpoints(w, s));
	}
	if (s->prefer_local) {
		/* Nested: not one flat flow mapping. */
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
	if (s->shared_cluster)
		RB_TRY(kv_true(w, "sharedCluster"));
	return rb__w_map_end(w);
}

static int emit_gateway(rb__writer *w, const void *arg)
{
	const rb__ir_destination *d = arg;
	flow gw;
	gw.n = 0;
	f_str(&gw, "namespace", d->gateway_namespace);
	f_str(&gw, "name", d->gateway_name);
	return rb__w_flow_map(w, gw.f, gw.n);
}

static int emit_listeners(rb__writer *w, const void *arg)
{
	const rb__ir_destination *d = arg;
	RB_TRY(rb__w_seq_begin(w, false));
	for (size_t i = 0; i < d->listener_count; i++) {
		const rb__ir_listener_ref *l = &d->listeners[i];
		flow fl;
		fl.n = 0;
		f_str(&fl, "name", l->name);
		f_uint(&fl, "port", l->port);
		if (l->listener_set)
			f_str(&fl, "listenerSet", l->listener_set);
		RB_TRY(rb__w_flow_map(w, fl.f, fl.n));
	}
	return rb__w_seq_end(w);
}

/* As explain -o json shows them: the value and what decided it. */
static int emit_knobs(rb__writer *w, const void *arg)
{
	const rb__ir_destination *d = arg;
	static const char *const KNOB_NAMES[2] = {"rebalanceOnNoEndpoints",
	                                          "rebalanceOnNoReadyEndpoints"};
	RB_TRY(rb__w_map_begin(w, false));
	for (size_t k = 0; k < 2; k++) {
		const rb__ir_knob *kn = rb__ir_knob_of(d, (int)k);
		flow fl;
		fl.n = 0;
		f_add(&fl, "value", kn->on ? RB_WF_TRUE : RB_WF_FALSE);
		if (kn->policy) {
			f_str(&fl, "policy", kn->policy);
			f_str(&fl, "scope", kn->scope);
		}
		RB_TRY(rb__w_key(w, KNOB_NAMES[k]));
		RB_TRY(rb__w_flow_map(w, fl.f, fl.n));
	}
	return rb__w_map_end(w);
}

/* Which Gateway and listeners the destination is for, its key, and how its knobs were
 * decided; mm: the memos of shared values, or NULL. */
static int emit_identity(rb__writer *w, const rb__ir_destination *d, emit_memos *mm)
{
	RB_TRY(rb__w_key(w, "gateway"));
	/* Named by both strings: the namespace's address, and the name's as the number. */
	RB_TRY(memo_value(w, mm ? &mm->gateway : NULL, d->gateway_namespace,
	                  (size_t)(uintptr_t)d->gateway_name, emit_gateway, d));
	if (d->listener_count) {
		RB_TRY(rb__w_key(w, "listeners"));
		RB_TRY(memo_value(w, mm ? &mm->listeners : NULL, d->listeners, d->listener_count,
		                  emit_listeners, d));
	}
	RB_TRY(kv_str(w, "key", d->key));
	if (d->rule < 0)
		return RB_OK; /* TCP, UDP and TLS routes have no knobs */
	RB_TRY(rb__w_key(w, "knobs"));
	return memo_value(w, mm ? &mm->knobs : NULL, d->knobs, 2, emit_knobs, d);
}

static int emit_destination(rb__writer *w, const rb__ir_destination *d, emit_memos *mm)
{
	RB_TRY(rb__w_map_begin(w, false));
	RB_TRY(kv_str(w, "name", d->name));

	RB_TRY(rb__w_key(w, "route"));
	flow route;
	route.n = 0;
	f_str(&route, "kind", d->route_kind);
	f_str(&route, "namespace", d->route_namespace);
	f_str(&route, "name", d->route_name);
	f_int(&route, "rule", d->rule);
	RB_TRY(rb__w_flow_map(w, route.f, route.n));
	RB_TRY(emit_identity(w, d, mm));

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
			flow fl;
			fl.n = 0;
			f_str(&fl, "name", x->name);
			f_uint(&fl, "weight", x->weight);
			f_str(&fl, "reason", x->reason);
			RB_TRY(rb__w_flow_map(w, fl.f, fl.n));
		}
		RB_TRY(rb__w_seq_end(w));
	}

	RB_TRY(rb__w_key(w, "backendWeights"));
	flow bw;
	bw.n = 0;
	f_uint(&bw, "valid", d->weights[0]);
	f_uint(&bw, "invalid", d->weights[1]);
	f_uint(&bw, "noEndpoints", d->weights[2]);
	RB_TRY(rb__w_flow_map(w, bw.f, bw.n));

	if (d->direct_response) {
		RB_TRY(rb__w_key(w, "directResponse"));
		flow dr;
	dr.n = 0;
		f_uint(&dr, "statusCode", d->direct_response);
		RB_TRY(rb__w_flow_map(w, dr.f, dr.n));
	}
	return rb__w_map_end(w);
}

static int emit_parent(rb__writer *w, const void *arg)
{
	const rb__ir_parent_ref *p = arg;
	flow pr;
	pr.n = 0;
	if (p->group)
		f_str(&pr, "group", p->group);
	if (p->kind)
		f_str(&pr, "kind", p->kind);
	if (p->namespace_)
		f_str(&pr, "namespace", p->namespace_);
	if (p->name)
		f_str(&pr, "name", p->name);
	if (p->section_name)
		f_str(&pr, "sectionName", p->section_name);
	if (rb__parent_ref_port(p))
		f_uint(&pr, "port", rb__parent_ref_port(p));
	return rb__w_flow_map(w, pr.f, pr.n);
}

static int emit_conditions(rb__writer *w, const void *arg)
{
	const rb__ir_route_status *st = arg;
	RB_TRY(rb__w_seq_begin(w, st->condition_count == 0));
	for (size_t i = 0; i < st->condition_count; i++) {
		const rb__ir_condition *c = &st->conditions[i];
		flow fl;
	fl.n = 0;
		f_str(&fl, "type", c->type);
		f_str(&fl, "status", c->status);
		f_str(&fl, "reason", c->reason);
		f_str(&fl, "message", c->message);
		RB_TRY(rb__w_flow_map(w, fl.f, fl.n));
	}
	return rb__w_seq_end(w);
}

/* A route's status for one parent; mm: the memos of shared values, or NULL. */
static int emit_status(rb__writer *w, const rb__ir_route_status *st, emit_memos *mm)
{
	RB_TRY(rb__w_map_begin(w, false));
	RB_TRY(kv_str(w, "kind", st->kind));
	RB_TRY(kv_str(w, "namespace", st->namespace_));
	RB_TRY(kv_str(w, "name", st->name));
	RB_TRY(rb__w_key(w, "parentRef"));
	RB_TRY(memo_value(w, mm ? &mm->parent : NULL, st->parent, 1, emit_parent, st->parent));
	RB_TRY(rb__w_key(w, "conditions"));
	RB_TRY(memo_value(w, mm ? &mm->conditions : NULL, st->conditions, st->condition_count,
	                  emit_conditions, st));
	return rb__w_map_end(w);
}

/*
 * The IR is reached through pointers (settings, names, metadata, endpoint
 * tables, the model's strings), spread over tens of megabytes for a big
 * input: ask for the lines of a destination a little before writing it.
 */
static void prefetch_destination(const rb__ir_destination *d)
{
	__builtin_prefetch(d->name);
	__builtin_prefetch(d->route_name);
	for (size_t i = 0; i < d->setting_count && i < 4; i++) {
		const rb__ir_setting *s = &d->settings[i];
		__builtin_prefetch(s);
		__builtin_prefetch(s->name);
		__builtin_prefetch(s->metadata);
		__builtin_prefetch(s->endpoints);
	}
}

/* The second level, once the first is in: the strings the settings point at. */
static void prefetch_strings(const rb__ir_destination *d)
{
	for (size_t i = 0; i < d->setting_count && i < 4; i++) {
		const rb__ir_setting *s = &d->settings[i];
		if (s->metadata) {
			__builtin_prefetch(s->metadata->name);
			__builtin_prefetch(s->metadata->namespace_);
		}
		for (size_t k = 0; k < s->endpoint_count && k < 8; k++)
			__builtin_prefetch(s->endpoints[k].host);
	}
}

int rb__emit_destination(rb__writer *w, const rb__ir_destination *d)
{
	return w && d ? emit_destination(w, d, NULL) : RB_EINVAL;
}

int rb__emit_route_status(rb__writer *w, const rb__ir_route_status *st)
{
	return w && st ? emit_status(w, st, NULL) : RB_EINVAL;
}

static int emit_ir(rb__writer *w, const rb__ir *ir, emit_memos *mm)
{
	RB_TRY(rb__w_map_begin(w, false));
	RB_TRY(rb__w_key(w, "destinations"));
	RB_TRY(rb__w_seq_begin(w, ir->destination_count == 0));
	for (size_t i = 0; i < ir->destination_count; i++) {
		if (i + 4 < ir->destination_count)
			prefetch_destination(&ir->destinations[i + 4]);
		if (i + 2 < ir->destination_count)
			prefetch_strings(&ir->destinations[i + 2]);
		RB_TRY(emit_destination(w, &ir->destinations[i], mm));
	}
	RB_TRY(rb__w_seq_end(w));
	RB_TRY(rb__w_key(w, "routeStatuses"));
	RB_TRY(rb__w_seq_begin(w, ir->status_count == 0));
	for (size_t i = 0; i < ir->status_count; i++)
		RB_TRY(emit_status(w, &ir->statuses[i], mm));
	RB_TRY(rb__w_seq_end(w));
	return rb__w_map_end(w);
}

int rb__emit_ir(rb__writer *w, const rb__ir *ir)
{
	if (!w || !ir)
		return RB_EINVAL;
	/* The IR does not change while it is written: its shared values are memoized. */
	emit_memos mm;
	memset(&mm, 0, sizeof mm);
	return emit_ir(w, ir, &mm);
}
