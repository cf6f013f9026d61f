/*
 * What Envoy does with a rule's destination (docs/semantics/xds.md): which route
 * action Envoy Gateway builds, and where each request ends up.
 *
 * No active health checks are modelled, so an endpoint is either eligible
 * (health UNKNOWN: counts as healthy) or draining (DRAINING: excluded from
 * load balancing, and from the host count a level's health is computed on).
 * That makes every priority level and every locality either fully available
 * or not at all, and Envoy's arithmetic (health x 1.4 overprovisioning,
 * capped at 100%) collapses to: the first available level takes everything.
 *
 * Rules: [xds.per-setting-triggers] [xds.not-found-code]
 * [xds.envoy.priorities] [xds.envoy.custom-dropped] [xds.shares]
 * [failover.single-cluster] [failover.broken-by-empty]
 * [failover.other-triggers] [failover.priority].
 */
#include "envoy/envoy.h"

#include <string.h>

#include "core/mem.h"
#include "rebalance/errors.h"

static bool any_setting(const rb__ir_destination *d, bool (*pred)(const rb__ir_setting *))
{
	for (size_t i = 0; i < d->setting_count; i++)
		if (pred(&d->settings[i]))
			return true;
	return false;
}

static bool is_fqdn(const rb__ir_setting *s)
{
	return s->address_type == RB_IR_ADDRESS_FQDN;
}

static bool is_mixed(const rb__ir_setting *s)
{
	return s->address_type == RB_IR_ADDRESS_MIXED;
}

/* An address type other than FQDN (settings without one -- dynamic
 * resolvers, Service routing -- do not count). */
static bool is_not_fqdn(const rb__ir_setting *s)
{
	return s->address_type && s->address_type != RB_IR_ADDRESS_FQDN;
}

static bool has_filters(const rb__ir_setting *s)
{
	return s->has_filters;
}

static bool has_prefer_local(const rb__ir_setting *s)
{
	return s->prefer_local != NULL;
}

static bool forces_http1(const rb__ir_setting *s)
{
	return s->force_http1;
}

static bool speaks_http2(const rb__ir_setting *s)
{
	return s->protocol == RB_IR_PROTOCOL_HTTP2 || s->protocol == RB_IR_PROTOCOL_GRPC;
}

size_t rb__envoy_shared_count(const rb__ir_destination *d)
{
	size_t n = 0;
	for (size_t i = 0; i < d->setting_count; i++)
		n += d->settings[i].shared_cluster;
	return n;
}

uint32_t rb__envoy_lost_weight(const rb__ir_destination *d)
{
	uint32_t lost = d->weights[RB_WEIGHT_INVALID] + d->weights[RB_WEIGHT_NO_ENDPOINTS];
	/* A shared cluster without endpoints is routed to by name like any other;
	 * its weight is its own entry's, not the invalid-backend-cluster's. */
	for (size_t i = 0; i < d->setting_count; i++) {
		const rb__ir_setting *s = &d->settings[i];
		if (s->shared_cluster && !s->invalid && !s->dynamic_resolver && !s->custom_backend &&
		    !s->endpoint_count)
			lost -= s->weight;
	}
	return lost;
}

bool rb__envoy_l4_shared(const rb__ir_destination *d)
{
	if (!d->setting_count || rb__envoy_shared_count(d) != d->setting_count)
		return false;
	for (size_t i = 1; i < d->setting_count; i++)
		if (strcmp(d->settings[i].name, d->settings[0].name))
			return false;
	return true;
}

const char *rb__envoy_per_setting_reason(const rb__ir_destination *d)
{

	if (d->zone_aware)
		return "zone-aware load balancing";
	uint32_t inv = d->weights[RB_WEIGHT_INVALID], none = d->weights[RB_WEIGHT_NO_ENDPOINTS];
	if (inv && none)
		return "invalid and no-endpoint weight";
	if (inv)
		return "invalid weight";
	if (none)
		return "no-endpoint weight";
	if (any_setting(d, is_mixed) || (any_setting(d, is_fqdn) && any_setting(d, is_not_fqdn)))
		return "mixed address types";
	if (any_setting(d, has_filters))
		return "backendRef filters";
	if (d->setting_count > 1 && any_setting(d, has_prefer_local))
		return "preferLocal, several backends";
	if (any_setting(d, forces_http1) && any_setting(d, speaks_http2))
		return "HTTP/1.1-only with HTTP/2";
	/* Shared clusters are routed to by name: with anything beside one, every
	 * cluster is a weighted entry of its own. */
	size_t shared = rb__envoy_shared_count(d);
	if (shared && (shared > 1 || d->setting_count > shared))
		return "shared backend clusters";
	return NULL;
}

uint32_t rb__envoy_not_found_code(const rb__ir_destination *d)
{
	return d->weights[RB_WEIGHT_NO_ENDPOINTS] ? 503 : 500;
}

double rb__envoy_cluster_shares(const rb__locality *l, size_t n, double *share, bool *panic)
{
	*panic = false;
	bool found = false;
	uint32_t level = 0;
	for (size_t i = 0; i < n; i++) {
		share[i] = 0;
		if (l[i].eligible && l[i].weight && (!found || l[i].priority < level)) {
			level = l[i].priority;
			found = true;
		}
	}
	if (found) {
		double sum = 0;
		for (size_t i = 0; i < n; i++)
			if (l[i].eligible && l[i].weight && l[i].priority == level)
				sum += l[i].weight;
		for (size_t i = 0; i < n; i++)
			if (l[i].eligible && l[i].weight && l[i].priority == level)
				share[i] = l[i].weight / sum;
		return 0;
	}
	/* Nothing eligible anywhere: every level is in panic (a level with no
	 * host counts as 0% healthy), and Envoy's recalculateLoadInTotalPanic
	 * splits the load across levels by each level's share of all hosts,
	 * draining ones included, in whole percent:
	 *   load[p] = floor(100 * hosts[p] / total_hosts)
	 * with what rounding leaves over added to the first non-empty level.
	 * Inside a level in panic Envoy picks among all its hosts (locality
	 * weights play no part): each locality by its host count. */
	size_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += l[i].hosts;
	if (!total)
		return 1; /* 100% to priority 0, which has no host: "no healthy upstream" */
	*panic = true;
	/* Levels in ascending order (only levels with hosts get load: the
	 * empty ones of Envoy's dense list get floor(0) = 0). */
	uint64_t left = 100;
	bool any = false, first_set = false;
	uint32_t lvl = 0, first = 0;
	for (;;) {
		/* the next level with hosts after `lvl` (or `level` itself on the first pass) */
		bool more = false;
		uint32_t next = 0;
		for (size_t i = 0; i < n; i++)
			if (l[i].hosts && (!any || l[i].priority > lvl) && (!more || l[i].priority < next))
				next = l[i].priority, more = true;
		if (!more)
			break;
		any = true;
		lvl = next;
		size_t hosts = 0;
		for (size_t i = 0; i < n; i++)
			if (l[i].priority == lvl)
				hosts += l[i].hosts;
		uint64_t load = 100 * (uint64_t)hosts / total;
		left -= load;
		if (!first_set)
			first = lvl, first_set = true;
		for (size_t i = 0; i < n; i++)
			if (l[i].priority == lvl)
				share[i] = (double)load / 100 * (double)l[i].hosts / (double)hosts;
	}
	size_t first_hosts = 0;
	for (size_t i = 0; i < n; i++)
		if (l[i].priority == first)
			first_hosts += l[i].hosts;
	for (size_t i = 0; i < n && left; i++)
		if (l[i].priority == first)
			share[i] += (double)left / 100 * (double)l[i].hosts / (double)first_hosts;
	return 0;
}

/* The locality of a setting. Dynamic-resolver and custom backends have no
 * endpoints in the IR but always take requests: one eligible host. */
static rb__locality locality(const rb__ir_setting *s)
{
	rb__locality l = {s->weight, s->has_priority ? s->priority : 0, 0, 0};
	if (s->dynamic_resolver || s->custom_backend) {
		l.hosts = l.eligible = 1;
		return l;
	}
	for (size_t i = 0; i < s->endpoint_count; i++) {
		const rb__ir_endpoint *e = &s->endpoints[i];
		if (!rb__envoy_endpoint_usable(e))
			continue;
		l.hosts++;
		l.eligible += !e->draining;
	}
	return l;
}

/* The state the IR already fixes (ref states of ir.h). */
static rb_ref_state base_state(const rb__ir_ref *ref)
{
	switch (ref->state) {
	case RB_REF_SERVING:
		return RB_REF_STATE_SERVING;
	case RB_REF_NO_ENDPOINTS:
		return RB_REF_STATE_NO_ENDPOINTS;
	case RB_REF_INVALID:
		return RB_REF_STATE_INVALID;
	case RB_REF_ZERO_WEIGHT:
		return RB_REF_STATE_ZERO_WEIGHT;
	case RB_REF_EXCLUDED:
		return RB_REF_STATE_EXCLUDED;
	case RB_REF_EXCLUDED_DRAINING:
		return RB_REF_STATE_EXCLUDED_NOT_READY;
	case RB_REF_DROPPED:
		return RB_REF_STATE_DROPPED;
	}
	return RB_REF_STATE_UNROUTED;
}

/* Index of a ref's setting among the kept settings, or -1. */
static ptrdiff_t setting_index(const rb__ir_destination *d, const rb__ir_ref *ref)
{
	for (size_t i = 0; i < d->setting_count; i++)
		if (ref->setting == &d->settings[i])
			return (ptrdiff_t)i;
	return -1;
}

/* The state of a locality after load balancing. */
static rb_ref_state lb_state(const rb__locality *l, double share, bool panic)
{
	if (share > 0)
		return panic ? RB_REF_STATE_PANIC : RB_REF_STATE_SERVING;
	if (l->eligible)
		return RB_REF_STATE_STANDBY;
	return l->hosts ? RB_REF_STATE_DRAINING : RB_REF_STATE_NO_ENDPOINTS;
}

/* One cluster with every kept setting as a locality (6.1 single cluster, 6.3). */
static int one_cluster(const rb__ir_destination *d, const rb__mem *mem, rb__projection *out,
                       rb__ref_view *refs)
{
	size_t n = d->setting_count;
	rb__locality *l = rb__calloc(mem, n ? n : 1, sizeof(*l));
	double *share = rb__calloc(mem, n ? n : 1, sizeof(*share));
	if (!l || !share) {
		rb__free(mem, l);
		rb__free(mem, share);
		return RB_ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		l[i] = locality(&d->settings[i]);
	bool panic;
	double lost = rb__envoy_cluster_shares(l, n, share, &panic);
	rb_outcome lost_as = out->routing == RB_ROUTING_L4_CLUSTER ? RB_OUTCOME_RESET : RB_OUTCOME_503;
	out->outcome[lost_as] = lost;
	/* No host anywhere: every ref of the cluster shares the blame by weight. */
	double weight_sum = 0;
	for (size_t i = 0; i < n; i++)
		weight_sum += l[i].weight;
	for (size_t j = 0; j < d->ref_count; j++) {
		ptrdiff_t k = setting_index(d, &d->refs[j]);
		if (k < 0)
			continue;
		refs[j].share = refs[j].caused[RB_OUTCOME_SERVED] = share[k];
		refs[j].state = lb_state(&l[k], share[k], panic);
		if (lost > 0)
			refs[j].caused[lost_as] =
				weight_sum > 0 ? lost * l[k].weight / weight_sum : lost / (double)n;
		out->outcome[RB_OUTCOME_SERVED] += share[k];
	}
	rb__free(mem, l);
	rb__free(mem, share);
	return RB_OK;
}

/* Has an entry of its own in the weighted-cluster list ([xds.weighted]). */
static bool has_entry(const rb__ir_setting *s)
{
	return s->endpoint_count || s->dynamic_resolver || s->shared_cluster;
}

/* One cluster per setting, picked by weight ([xds.per-setting-triggers]). */
static void weighted(const rb__ir_destination *d, rb__projection *out, rb__ref_view *refs)
{
	uint32_t lost_weight = rb__envoy_lost_weight(d);
	double total = lost_weight;
	for (size_t i = 0; i < d->setting_count; i++)
		if (has_entry(&d->settings[i]))
			total += d->settings[i].weight;
	out->code = rb__envoy_not_found_code(d);
	if (total == 0) {
		/* No entry at all (only custom backends): nothing can be picked. [I] */
		out->outcome[RB_OUTCOME_503] = 1;
		return;
	}
	rb_outcome not_found = out->code == 503 ? RB_OUTCOME_503 : RB_OUTCOME_500;
	out->outcome[not_found] = lost_weight / total;
	for (size_t j = 0; j < d->ref_count; j++) {
		/* An invalid or empty ref's weight is the invalid-backend-cluster's:
		 * the requests it would get are answered with the not-found code. */
		rb_ref_state st = refs[j].state;
		if ((st == RB_REF_STATE_INVALID || st == RB_REF_STATE_NO_ENDPOINTS) && lost_weight) {
			ptrdiff_t k = setting_index(d, &d->refs[j]);
			if (k < 0 || !d->settings[k].shared_cluster)
				refs[j].caused[not_found] = d->refs[j].weight / total;
		}
		ptrdiff_t k = setting_index(d, &d->refs[j]);
		if (k < 0)
			continue;
		const rb__ir_setting *s = &d->settings[k];
		if (!has_entry(s)) {
			if (refs[j].state == RB_REF_STATE_SERVING) /* a custom backend */
				refs[j].state = RB_REF_STATE_UNROUTED;
			continue;
		}
		/* The setting's own cluster: one locality. */
		rb__locality l = locality(s);
		double in_cluster;
		bool panic;
		double lost = rb__envoy_cluster_shares(&l, 1, &in_cluster, &panic);
		double pick = s->weight / total;
		refs[j].share = refs[j].caused[RB_OUTCOME_SERVED] = pick * in_cluster;
		refs[j].state = lb_state(&l, in_cluster, panic);
		refs[j].caused[RB_OUTCOME_503] += pick * lost;
		out->outcome[RB_OUTCOME_SERVED] += refs[j].share;
		out->outcome[RB_OUTCOME_503] += pick * lost;
	}
}

int rb__envoy_project(const rb__ir_destination *d, const rb__mem *mem, rb__projection *out,
                      rb__ref_view *refs)
{
	memset(out, 0, sizeof *out);
	for (size_t j = 0; j < d->ref_count; j++) {
		memset(&refs[j], 0, sizeof refs[j]);
		refs[j].state = base_state(&d->refs[j]);
	}
	if (d->rule < 0) {
		out->routing = RB_ROUTING_L4_CLUSTER;
		return one_cluster(d, mem, out, refs);
	}
	if (d->direct_response) {
		out->routing = RB_ROUTING_DIRECT_RESPONSE;
		out->code = d->direct_response;
		rb_outcome o = d->direct_response == 503   ? RB_OUTCOME_503
		               : d->direct_response == 500 ? RB_OUTCOME_500
		                                           : RB_OUTCOME_OTHER;
		out->outcome[o] = 1;
		for (size_t j = 0; j < d->ref_count; j++)
			if (refs[j].state == RB_REF_STATE_SERVING)
				refs[j].state = RB_REF_STATE_UNROUTED;
		/* No filter or policy decided it: no backendRef could take a request,
		 * so each is the cause of its weight's share. */
		double weight = 0;
		for (size_t j = 0; !rb__ir_notes_of(d)->direct_response_by && j < d->ref_count; j++)
			weight += d->refs[j].weight;
		for (size_t j = 0; weight > 0 && j < d->ref_count; j++)
			refs[j].caused[o] = d->refs[j].weight / weight;
		return RB_OK;
	}
	out->reason = rb__envoy_per_setting_reason(d);
	if (!out->reason) {
		out->routing = RB_ROUTING_CLUSTER;
		return one_cluster(d, mem, out, refs);
	}
	out->routing = RB_ROUTING_WEIGHTED_CLUSTERS;
	weighted(d, out, refs);
	return RB_OK;
}
