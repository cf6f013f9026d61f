/*
 * The xDS projection (rb_xds_write; layout in include/rebalance/xds.h): per
 * destination, the route action Envoy Gateway builds and the clusters with
 * their load assignments ([xds.single-cluster], [xds.weighted], [xds.l4]). Keys come in proto
 * field-number order, with protojson's names and default omission. Which rules get one cluster is
 * decided by project.c, the same code explain uses.
 *
 * Rules: [xds.direct] [xds.cluster-dedup] [xds.envoy.refused-endpoints]
 * [xds.envoy.custom-dropped] [mergebe.xds].
 */
#include "envoy/envoy.h"

#include <stdint.h>
#include <string.h>

#include "core/arena.h"
#include "core/map.h"
#include "rebalance/errors.h"

#define TRY(expr)                     \
	do {                              \
		int rc_ = (expr);             \
		if (rc_)                      \
			return rc_;               \
	} while (0)

static int kv_str(rb__writer *w, const char *key, const char *s)
{
	TRY(rb__w_key(w, key));
	return rb__w_str(w, s ? s : "");
}

static int kv_uint(rb__writer *w, const char *key, uint64_t v)
{
	TRY(rb__w_key(w, key));
	return rb__w_uint(w, v);
}

/* LbEndpoint: every endpoint weight 1; DRAINING or (omitted) UNKNOWN. */
static int emit_lb_endpoint(rb__writer *w, const rb__ir_endpoint *e)
{
	TRY(rb__w_map_begin(w, true));
	TRY(rb__w_key(w, "endpoint"));
	TRY(rb__w_map_begin(w, true));
	TRY(rb__w_key(w, "address"));
	TRY(rb__w_map_begin(w, true));
	if (e->path) {
		TRY(rb__w_key(w, "pipe"));
		TRY(rb__w_map_begin(w, true));
		TRY(kv_str(w, "path", e->path));
	} else {
		TRY(rb__w_key(w, "socketAddress"));
		TRY(rb__w_map_begin(w, true));
		TRY(kv_str(w, "address", e->host));
		TRY(kv_uint(w, "portValue", e->port));
	}
	TRY(rb__w_map_end(w));
	TRY(rb__w_map_end(w));
	if (e->hostname)
		TRY(kv_str(w, "hostname", e->hostname));
	TRY(rb__w_map_end(w));
	if (e->draining)
		TRY(kv_str(w, "healthStatus", "DRAINING"));
	TRY(kv_uint(w, "loadBalancingWeight", 1));
	return rb__w_map_end(w);
}

/* LocalityLbEndpoints of one setting: region = setting name. */
static int emit_locality(rb__writer *w, const rb__ir_setting *s)
{
	TRY(rb__w_map_begin(w, false));
	TRY(rb__w_key(w, "locality"));
	TRY(rb__w_map_begin(w, true));
	TRY(kv_str(w, "region", s->name));
	TRY(rb__w_map_end(w));
	size_t usable = 0;
	for (size_t i = 0; i < s->endpoint_count; i++)
		usable += rb__envoy_endpoint_usable(&s->endpoints[i]);
	if (usable) {
		TRY(rb__w_key(w, "lbEndpoints"));
		TRY(rb__w_seq_begin(w, false));
		for (size_t i = 0; i < s->endpoint_count; i++)
			if (rb__envoy_endpoint_usable(&s->endpoints[i]))
				TRY(emit_lb_endpoint(w, &s->endpoints[i]));
		TRY(rb__w_seq_end(w));
	}
	TRY(kv_uint(w, "loadBalancingWeight", s->weight ? s->weight : 1));
	if (s->has_priority && s->priority)
		TRY(kv_uint(w, "priority", s->priority));
	return rb__w_map_end(w);
}

static bool is_fqdn(const rb__ir_setting *s)
{
	return s->address_type == RB_IR_ADDRESS_FQDN;
}

/*
 * One cluster over `n` settings. Discovery: a dynamic resolver makes a
 * dynamic-forward-proxy cluster (no load assignment); otherwise the first
 * setting decides, FQDN -> STRICT_DNS, else EDS ([xds.l4]). A custom backend's
 * cluster comes from the extension server: name only.
 */
static int emit_cluster(rb__writer *w, const char *name, const rb__ir_setting *s, size_t n)
{
	bool dfp = false, custom = n > 0;
	for (size_t i = 0; i < n; i++) {
		dfp |= s[i].dynamic_resolver;
		custom &= s[i].custom_backend;
	}
	TRY(rb__w_map_begin(w, false));
	TRY(kv_str(w, "name", name));
	if (custom)
		return rb__w_map_end(w);
	if (dfp) {
		/* The proxy resolves hosts itself: no localities, no load assignment. */
		TRY(rb__w_key(w, "clusterType"));
		TRY(rb__w_map_begin(w, true));
		TRY(kv_str(w, "name", "envoy.clusters.dynamic_forward_proxy"));
		TRY(rb__w_map_end(w));
		return rb__w_map_end(w);
	}
	TRY(kv_str(w, "type", n && is_fqdn(&s[0]) ? "STRICT_DNS" : "EDS"));
	TRY(rb__w_key(w, "commonLbConfig"));
	TRY(rb__w_map_begin(w, true));
	TRY(rb__w_key(w, "localityWeightedLbConfig"));
	TRY(rb__w_map_begin(w, true));
	TRY(rb__w_map_end(w));
	TRY(rb__w_map_end(w));
	TRY(rb__w_key(w, "loadAssignment"));
	TRY(rb__w_map_begin(w, false));
	TRY(kv_str(w, "clusterName", name));
	if (n) {
		TRY(rb__w_key(w, "endpoints"));
		TRY(rb__w_seq_begin(w, false));
		for (size_t i = 0; i < n; i++)
			TRY(emit_locality(w, &s[i]));
		TRY(rb__w_seq_end(w));
	}
	TRY(rb__w_map_end(w));
	return rb__w_map_end(w);
}

static int emit_weighted_route(rb__writer *w, const rb__ir_destination *d)
{
	TRY(rb__w_key(w, "route"));
	TRY(rb__w_map_begin(w, false));
	TRY(rb__w_key(w, "weightedClusters"));
	TRY(rb__w_map_begin(w, false));
	TRY(rb__w_key(w, "clusters"));
	TRY(rb__w_seq_begin(w, false));
	uint32_t lost = rb__envoy_lost_weight(d);
	if (lost) {
		TRY(rb__w_map_begin(w, true));
		TRY(kv_str(w, "name", RB_INVALID_BACKEND_CLUSTER));
		TRY(kv_uint(w, "weight", lost));
		TRY(rb__w_map_end(w));
	}
	/* Entries only for settings with endpoints or a dynamic resolver (6.1
	 * step 2), then one per backendRef merged into a shared cluster. */
	for (size_t i = 0; i < d->setting_count; i++) {
		const rb__ir_setting *s = &d->settings[i];
		if (!s->endpoint_count && !s->dynamic_resolver && !s->shared_cluster)
			continue;
		TRY(rb__w_map_begin(w, true));
		TRY(kv_str(w, "name", s->name));
		TRY(kv_uint(w, "weight", s->weight));
		TRY(rb__w_map_end(w));
	}
	TRY(rb__w_seq_end(w));
	TRY(rb__w_map_end(w));
	if (rb__envoy_not_found_code(d) == 500)
		TRY(kv_str(w, "clusterNotFoundResponseCode", "INTERNAL_SERVER_ERROR"));
	return rb__w_map_end(w);
}

static int emit_single_route(rb__writer *w, const char *key, const char *cluster)
{
	TRY(rb__w_key(w, key));
	TRY(rb__w_map_begin(w, true));
	TRY(kv_str(w, "cluster", cluster));
	return rb__w_map_end(w);
}

/*
 * Shared clusters (mergeBackends) are written once per Gateway, by the first
 * rule that routes to them; later rules only name them. `seen` holds
 * "gateway|cluster" keys.
 */
static int emit_shared_clusters(rb__writer *w, const rb__ir_destination *d, rb__map *seen,
                                rb__arena *keys)
{
	for (size_t i = 0; i < d->setting_count; i++) {
		const rb__ir_setting *s = &d->settings[i];
		if (!s->shared_cluster)
			continue;
		const char *key = rb__arena_printf(keys, "%s|%s", d->gateway ? d->gateway : "", s->name);
		void **slot = key ? rb__map_slot_for(seen, key, strlen(key)) : NULL;
		if (!slot)
			return RB_ENOMEM;
		if (*slot)
			continue;
		*slot = (void *)(uintptr_t)s;
		/* The cluster carries the backend alone: one locality, weight cleared. */
		rb__ir_setting one = *s;
		one.weight = 0;
		TRY(emit_cluster(w, s->name, &one, 1));
	}
	return RB_OK;
}

/* Does d route to a shared cluster that no earlier rule of its Gateway wrote? */
static int has_unwritten_shared(const rb__ir_destination *d, rb__map *seen, rb__arena *keys,
                                bool *out)
{
	*out = false;
	for (size_t i = 0; i < d->setting_count && !*out; i++) {
		const rb__ir_setting *s = &d->settings[i];
		if (!s->shared_cluster)
			continue;
		const char *key = rb__arena_printf(keys, "%s|%s", d->gateway ? d->gateway : "", s->name);
		if (!key)
			return RB_ENOMEM;
		*out = rb__map_get(seen, key, strlen(key)) == NULL;
	}
	return RB_OK;
}

static int emit_rule(rb__writer *w, const rb__ir_destination *d, rb__map *seen, rb__arena *keys)
{
	TRY(rb__w_map_begin(w, false));
	TRY(kv_str(w, "name", d->name));
	TRY(kv_str(w, "gateway", d->gateway));
	if (d->rule >= 0 && d->direct_response) {
		/* 6.2: a direct-response route, no cluster at all. */
		TRY(rb__w_key(w, "directResponse"));
		TRY(rb__w_map_begin(w, true));
		TRY(kv_uint(w, "status", d->direct_response));
		TRY(rb__w_map_end(w));
		return rb__w_map_end(w);
	}
	bool per_setting = d->rule >= 0 && rb__envoy_per_setting_reason(d);
	size_t shared = rb__envoy_shared_count(d);
	/* L4 proxies name one cluster: a shared one only when it is all there is. */
	bool l4_shared = d->rule < 0 && rb__envoy_l4_shared(d);
	bool by_name = d->rule < 0 ? l4_shared : shared > 0;
	if (d->rule < 0)
		TRY(emit_single_route(w, strcmp(d->route_kind, "UDPRoute") ? "tcpProxy" : "udpProxy",
		                      l4_shared ? d->settings[0].name : d->name));
	else if (per_setting)
		TRY(emit_weighted_route(w, d));
	else
		TRY(emit_single_route(w, "route", shared ? d->settings[0].name : d->name));
	if (by_name) {
		/* Only shared clusters written by earlier rules: no clusters of its own. */
		bool fresh = shared < d->setting_count;
		if (!fresh)
			TRY(has_unwritten_shared(d, seen, keys, &fresh));
		if (!fresh)
			return rb__w_map_end(w);
	}
	TRY(rb__w_key(w, "clusters"));
	TRY(rb__w_seq_begin(w, false));
	if (by_name) {
		/* Clusters of the inline settings, then shared ones not written yet. */
		for (size_t i = 0; i < d->setting_count; i++)
			if (!d->settings[i].shared_cluster)
				TRY(emit_cluster(w, d->settings[i].name, &d->settings[i], 1));
		TRY(emit_shared_clusters(w, d, seen, keys));
	} else if (per_setting) {
		/* One cluster per setting, referenced or not ([xds.per-setting-triggers]). */
		for (size_t i = 0; i < d->setting_count; i++)
			TRY(emit_cluster(w, d->settings[i].name, &d->settings[i], 1));
	} else {
		TRY(emit_cluster(w, d->name, d->settings, d->setting_count));
	}
	TRY(rb__w_seq_end(w));
	return rb__w_map_end(w);
}

static int emit_document(rb__writer *w, const rb__ir *ir, rb__map *seen, rb__arena *keys)
{
	TRY(rb__w_map_begin(w, false));
	TRY(rb__w_key(w, "rules"));
	TRY(rb__w_seq_begin(w, ir->destination_count == 0));
	for (size_t i = 0; i < ir->destination_count; i++)
		TRY(emit_rule(w, &ir->destinations[i], seen, keys));
	TRY(rb__w_seq_end(w));
	return rb__w_map_end(w);
}

int rb__emit_xds_rule(rb__writer *w, const rb__ir_destination *d, const rb__mem *mem)
{
	if (!w || !d || !mem)
		return RB_EINVAL;
	rb__map seen; /* empty: the shared clusters it routes to are written with it */
	rb__arena keys;
	rb__map_init(&seen, mem);
	rb__arena_init(&keys, mem);
	int rc = emit_rule(w, d, &seen, &keys);
	rb__map_free(&seen);
	rb__arena_free(&keys);
	return rc;
}

int rb__emit_xds(rb__writer *w, const rb__ir *ir, const rb__mem *mem)
{
	if (!w || !ir || !mem)
		return RB_EINVAL;
	rb__map seen;
	rb__arena keys;
	rb__map_init(&seen, mem);
	rb__arena_init(&keys, mem);
	int rc = emit_document(w, ir, &seen, &keys);
	rb__map_free(&seen);
	rb__arena_free(&keys);
	return rc;
}
