/*
 * The Envoy projection of a destination (docs/semantics/xds.md), in one place:
 *
 *   rb__envoy_per_setting_reason  does Envoy Gateway build one cluster per
 *                                 setting (weighted clusters), and why
 *                                 ([xds.per-setting-triggers])
 *   rb__envoy_not_found_code      the cluster-not-found code of weighted
 *                                 clusters: 503 with NoEndpoints weight, else 500
 *   rb__envoy_cluster_shares      how Envoy spreads one cluster's requests over
 *                                 its localities: priorities, draining, panic
 *                                 ([xds.envoy.priorities])
 *   rb__envoy_project             the routing of a rule and the share of
 *                                 requests each backendRef gets, and the shares
 *                                 answered 500 / 503 / reset
 *
 * Pure functions over the IR: explain (lib/explain) and xds (xds.c) both use
 * them, so the shares printed and the xDS printed cannot disagree.
 */
#ifndef RB_ENVOY_ENVOY_H
#define RB_ENVOY_ENVOY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "emit/writer.h"
#include "ir/ir.h"
#include "rebalance/explain.h"

/* The name of the weighted-cluster entry that stands for invalid and
 * no-endpoint weight; no cluster of that name exists ([xds.weighted]). */
#define RB_INVALID_BACKEND_CLUSTER "invalid-backend-cluster"

/* Why the settings of an L7 destination need one cluster each, or NULL when
 * one cluster carries them all as localities. First matching trigger of 6.1
 * (TLS auto-SNI is not modelled). Static string. */
const char *rb__envoy_per_setting_reason(const rb__ir_destination *d);

/* 503 when the destination has NoEndpoints weight, else 500 ([xds.not-found-code]). */
uint32_t rb__envoy_not_found_code(const rb__ir_destination *d);

/*
 * Whether Envoy accepts an IR endpoint as a host. A socket address needs a
 * non-empty address and a non-zero port (Envoy's SocketAddress validation:
 * `address` min_len 1; port 0 is refused for upstream hosts); a pipe needs only
 * its path. The IR keeps what Envoy Gateway computes (a Service without
 * clusterIP under Service routing gives host ""); xds leaves such endpoints
 * out of the load assignment and explain does not count them as hosts, so the
 * two agree (docs/explain.md, "Endpoints Envoy refuses").
 */
static inline bool rb__envoy_endpoint_usable(const rb__ir_endpoint *e)
{
	if (e->path)
		return true;
	return e->host && e->host[0] && e->port;
}

/* One locality of a cluster, as Envoy's load balancer sees it. */
typedef struct rb__locality {
	uint32_t weight;   /* locality load-balancing weight */
	uint32_t priority;
	size_t hosts;      /* endpoints */
	size_t eligible;   /* endpoints that take new requests (not draining) */
} rb__locality;

/*
 * How one cluster spreads its requests: share[i] for locality i, and the
 * return value is the share no host takes (503 / reset). Localities at the
 * highest priority level with an eligible host share by weight among the
 * eligible ones; when no level has one, panic: priority-0 hosts share by host
 * count (`*panic` set). A locality of weight 0 gets nothing.
 */
double rb__envoy_cluster_shares(const rb__locality *l, size_t n, double *share, bool *panic);

/* A backendRef's fate on one side. */
typedef struct rb__ref_view {
	rb_ref_state state;
	double share;
	/* The share of the rule's requests that end in each outcome because of
	 * this ref (indexed by rb_outcome; [RB_OUTCOME_SERVED] == share): its
	 * weighted-cluster entry answered with the not-found code, or its part
	 * of a cluster in which no host is left. */
	double caused[5];
} rb__ref_view;

typedef struct rb__projection {
	rb_routing routing;
	const char *reason; /* weighted clusters: why (static string); a direct response: what decided it (explain.c) */
	uint32_t code;      /* direct response status, or weighted not-found code */
	double outcome[5];  /* indexed by rb_outcome */
} rb__projection;

/*
 * Project a destination. `refs` receives d->ref_count entries (may be NULL
 * when d->ref_count is 0). Returns RB_OK or RB_ENOMEM (scratch memory for
 * the localities comes from `mem`).
 */
int rb__envoy_project(const rb__ir_destination *d, const rb__mem *mem, rb__projection *out,
                      rb__ref_view *refs);

/* The xDS document of an IR (rb_xds_write): one entry per destination.
 * `mem` for the set of shared clusters already written. */
int rb__emit_xds(rb__writer *w, const rb__ir *ir, const rb__mem *mem);
/* The entry of one destination alone, shared clusters included (as the
 * first rule of its Gateway writes them). */
int rb__emit_xds_rule(rb__writer *w, const rb__ir_destination *d, const rb__mem *mem);

/* mergeBackends (docs/merge-backends.md): how many settings of d are
 * backendRefs merged into shared clusters (they come last), and whether an
 * L4 destination can point its proxy at a shared cluster: only when every
 * setting is the same shared cluster (TcpProxy has one `cluster`); otherwise
 * its settings are served, as without merging, by a cluster of its own. */
size_t rb__envoy_shared_count(const rb__ir_destination *d);
/* The weight of the invalid-backend-cluster entry: invalid and no-endpoint
 * weight, less that of shared clusters (they have entries of their own). */
uint32_t rb__envoy_lost_weight(const rb__ir_destination *d);
bool rb__envoy_l4_shared(const rb__ir_destination *d);

#endif
