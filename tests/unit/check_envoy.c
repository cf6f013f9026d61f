/*
 * The Envoy projection (lib/envoy, docs/semantics/xds.md) on hand-built IR
 * destinations: which rules become one cluster or weighted clusters, the
 * cluster-not-found code, and the share of requests each backendRef gets.
 * The expectations are the worked examples of docs/semantics/xds.md and
 * failover.md.
 */
#include <check.h>
#include <math.h>
#include <string.h>

#include "core/mem.h"
#include "envoy/envoy.h"
#include "testutil.h"

#define MAXS 8

/* A destination under construction: settings kept in order, one ref each. */
typedef struct build {
	rb__ir_destination d;
	rb__ir_setting settings[MAXS];
	rb__ir_ref refs[MAXS];
	rb__ir_setting loose[MAXS]; /* the DS of refs that are not kept */
	rb__ir_endpoint eps[MAXS][4];
	rb__ref_view views[MAXS];
	rb__projection p;
} build;

static void begin(build *b, int32_t rule)
{
	memset(b, 0, sizeof *b);
	b->d.name = "httproute/default/r/rule/0";
	b->d.rule = rule;
	b->d.settings = b->settings;
	b->d.refs = b->refs;
}

/* A kept setting with `ready` endpoints and `draining` draining ones, weighed into its bucket. */
static rb__ir_setting *keep(build *b, uint32_t weight, uint32_t priority, size_t ready,
                            size_t draining)
{
	size_t i = b->d.setting_count++;
	rb__ir_setting *s = &b->settings[i];
	s->weight = weight;
	s->has_priority = priority > 0;
	s->priority = priority;
	s->address_type = RB_IR_ADDRESS_IP;
	for (size_t k = 0; k < ready + draining; k++) {
		b->eps[i][k].host = "10.0.0.1";
		b->eps[i][k].port = 8080;
		b->eps[i][k].draining = k >= ready;
	}
	s->endpoints = b->eps[i];
	s->endpoint_count = ready + draining;
	s->all_draining = ready == 0 && draining > 0;
	rb__ir_ref *r = &b->refs[b->d.ref_count++];
	r->weight = weight;
	r->setting = s;
	r->state = s->endpoint_count ? RB_REF_SERVING : RB_REF_NO_ENDPOINTS;
	b->d.weights[s->endpoint_count ? RB_WEIGHT_VALID : RB_WEIGHT_NO_ENDPOINTS] += weight;
	return s;
}

static rb__ir_setting *keep_invalid(build *b, uint32_t weight)
{
	rb__ir_setting *s = keep(b, weight, 0, 0, 0);
	s->invalid = true;
	b->refs[b->d.ref_count - 1].state = RB_REF_INVALID;
	b->d.weights[RB_WEIGHT_NO_ENDPOINTS] -= weight;
	b->d.weights[RB_WEIGHT_INVALID] += weight;
	return s;
}

/* A ref left out of the settings (excluded, zero weight, dropped). */
static void leave_out(build *b, uint32_t weight, rb__ref_state state)
{
	size_t j = b->d.ref_count++;
	b->refs[j].weight = weight;
	b->refs[j].state = state;
	b->refs[j].setting = &b->loose[j];
}

static void project(build *b)
{
	rb__mem mem;
	rb__mem_default(&mem);
	ck_assert_int_eq(rb__envoy_project(&b->d, &mem, &b->p, b->views), 0);
}

#define ck_share(got, want) ck_assert_msg(fabs((got) - (want)) < 1e-9, "share %f, expected %f", (got), (double)(want))

/* [xds.single-cluster] */
START_TEST(single_cluster_splits_by_locality_weight)
{
	/* xDS testdata http-route-weighted-backend: 20/40/20/20, one cluster. */
	build b;
	begin(&b, 0);
	keep(&b, 20, 0, 1, 0);
	keep(&b, 40, 0, 1, 0);
	keep(&b, 20, 0, 1, 0);
	keep(&b, 20, 0, 1, 0);
	project(&b);
	ck_assert_int_eq(b.p.routing, RB_ROUTING_CLUSTER);
	ck_assert_ptr_null(b.p.reason);
	ck_share(b.views[0].share, 0.2);
	ck_share(b.views[1].share, 0.4);
	ck_share(b.views[3].share, 0.2);
	ck_share(b.p.outcome[RB_OUTCOME_SERVED], 1);
	ck_share(b.p.outcome[RB_OUTCOME_503], 0);
	ck_assert_int_eq(b.views[1].state, RB_REF_STATE_SERVING);
}
END_TEST

/* [xds.weighted] [xds.not-found-code] */
START_TEST(weighted_invalid_backend_cluster_and_code)
{
	/* xDS testdata http-route-weighted-invalid-backend, route 1: {valid 1, noEndpoints 1}. */
	build b;
	begin(&b, 0);
	keep(&b, 1, 0, 1, 0);
	keep(&b, 1, 0, 0, 0);
	project(&b);
	ck_assert_int_eq(b.p.routing, RB_ROUTING_WEIGHTED_CLUSTERS);
	ck_assert_str_eq(b.p.reason, "no-endpoint weight");
	ck_assert_uint_eq(b.p.code, 503);
	ck_share(b.views[0].share, 0.5);
	ck_share(b.p.outcome[RB_OUTCOME_503], 0.5);
	ck_assert_int_eq(b.views[1].state, RB_REF_STATE_NO_ENDPOINTS);

	/* route 2: {valid 1, invalid 1} -> INTERNAL_SERVER_ERROR */
	begin(&b, 0);
	keep(&b, 1, 0, 1, 0);
	keep_invalid(&b, 1);
	project(&b);
	ck_assert_uint_eq(b.p.code, 500);
	ck_assert_str_eq(b.p.reason, "invalid weight");
	ck_share(b.p.outcome[RB_OUTCOME_500], 0.5);
	ck_share(b.p.outcome[RB_OUTCOME_503], 0);
	ck_assert_int_eq(b.views[1].state, RB_REF_STATE_INVALID);

	/* route 3: {valid 1, invalid 1, noEndpoints 1}: one code per route, 503 for both */
	begin(&b, 0);
	keep(&b, 1, 0, 1, 0);
	keep_invalid(&b, 1);
	keep(&b, 1, 0, 0, 0);
	project(&b);
	ck_assert_uint_eq(b.p.code, 503);
	ck_share(b.p.outcome[RB_OUTCOME_503], 2.0 / 3);
	ck_share(b.p.outcome[RB_OUTCOME_500], 0);
	ck_share(b.views[0].share, 1.0 / 3);
}
END_TEST

/* [xds.not-found-code] */
START_TEST(not_found_code)
{
	build b;
	begin(&b, 0);
	b.d.weights[RB_WEIGHT_INVALID] = 3;
	ck_assert_uint_eq(rb__envoy_not_found_code(&b.d), 500);
	b.d.weights[RB_WEIGHT_NO_ENDPOINTS] = 1;
	ck_assert_uint_eq(rb__envoy_not_found_code(&b.d), 503);
}
END_TEST

START_TEST(canary_90_10_empty)
{
	/* compat: the empty canary stays, its 10% is answered 503 */
	build b;
	begin(&b, 0);
	keep(&b, 90, 0, 2, 0);
	keep(&b, 10, 0, 0, 0);
	project(&b);
	ck_assert_int_eq(b.p.routing, RB_ROUTING_WEIGHTED_CLUSTERS);
	ck_share(b.views[0].share, 0.9);
	ck_share(b.p.outcome[RB_OUTCOME_503], 0.1);
	/* rebalance: excluded, one cluster, stable takes 100% */
	begin(&b, 0);
	keep(&b, 90, 0, 2, 0);
	leave_out(&b, 10, RB_REF_EXCLUDED);
	project(&b);
	ck_assert_int_eq(b.p.routing, RB_ROUTING_CLUSTER);
	ck_share(b.views[0].share, 1);
	ck_assert_int_eq(b.views[1].state, RB_REF_STATE_EXCLUDED);
	ck_share(b.views[1].share, 0);
	ck_share(b.p.outcome[RB_OUTCOME_503], 0);
}
END_TEST

/* [xds.envoy.priorities] [failover.single-cluster] */
START_TEST(fallback_stands_by_while_priority_0_serves)
{
	build b;
	begin(&b, 0);
	keep(&b, 1, 0, 2, 0);
	keep(&b, 1, 1, 1, 0);
	project(&b);
	ck_assert_int_eq(b.p.routing, RB_ROUTING_CLUSTER);
	ck_share(b.views[0].share, 1);
	ck_share(b.views[1].share, 0);
	ck_assert_int_eq(b.views[1].state, RB_REF_STATE_STANDBY);
}
END_TEST

/* [xds.envoy.priorities] */
START_TEST(priority_0_without_eligible_hosts_fails_over)
{
	/* every P0 endpoint draining: Envoy excludes them, P0 health 0, all to P1 */
	build b;
	begin(&b, 0);
	keep(&b, 1, 0, 0, 2);
	keep(&b, 1, 1, 1, 0);
	project(&b);
	ck_share(b.views[1].share, 1);
	ck_assert_int_eq(b.views[0].state, RB_REF_STATE_DRAINING);
	ck_assert_int_eq(b.views[1].state, RB_REF_STATE_SERVING);
	/* only priority-1 localities (P0 empty): accepted, all to P1 */
	begin(&b, 0);
	leave_out(&b, 1, RB_REF_EXCLUDED);
	keep(&b, 1, 1, 1, 0);
	project(&b);
	ck_assert_int_eq(b.p.routing, RB_ROUTING_CLUSTER);
	ck_share(b.views[1].share, 1);
}
END_TEST

/* [failover.broken-by-empty] [failover.restored] */
START_TEST(active_empty_and_fallback_worked_example)
{
	/* [failover.broken-by-empty], compat: weighted clusters; the passive cluster holds only a
	 * P1 locality and takes its entry's share; 50% are answered 503. */
	build b;
	begin(&b, 0);
	keep(&b, 1, 0, 0, 0);
	keep(&b, 1, 1, 1, 0);
	project(&b);
	ck_assert_int_eq(b.p.routing, RB_ROUTING_WEIGHTED_CLUSTERS);
	ck_share(b.p.outcome[RB_OUTCOME_503], 0.5);
	ck_share(b.views[1].share, 0.5);
	ck_assert_int_eq(b.views[1].state, RB_REF_STATE_SERVING);
	/* weights 9/1: 90% 503 */
	begin(&b, 0);
	keep(&b, 9, 0, 0, 0);
	keep(&b, 1, 1, 1, 0);
	project(&b);
	ck_share(b.p.outcome[RB_OUTCOME_503], 0.9);
	/* rebalance: the active ref excluded, one cluster, 100% to the passive one */
	begin(&b, 0);
	leave_out(&b, 1, RB_REF_EXCLUDED);
	keep(&b, 1, 1, 1, 0);
	project(&b);
	ck_assert_int_eq(b.p.routing, RB_ROUTING_CLUSTER);
	ck_share(b.views[1].share, 1);
	ck_share(b.p.outcome[RB_OUTCOME_SERVED], 1);
}
END_TEST

/* [failover.other-triggers] */
START_TEST(fallback_in_weighted_clusters_always_takes_its_share)
{
	/* active ready + third empty ref + passive: weighted (compat), the passive
	 * cluster serves its weight all the time */
	build b;
	begin(&b, 0);
	keep(&b, 1, 0, 1, 0);
	keep(&b, 1, 0, 0, 0);
	keep(&b, 1, 1, 1, 0);
	project(&b);
	ck_share(b.views[0].share, 1.0 / 3);
	ck_share(b.views[2].share, 1.0 / 3);
	ck_assert_int_eq(b.views[2].state, RB_REF_STATE_SERVING);
	ck_share(b.p.outcome[RB_OUTCOME_503], 1.0 / 3);
}
END_TEST

/* [xds.envoy.priorities] */
START_TEST(draining_locality_gives_its_share_to_peers)
{
	/* two regions, one drained (all endpoints not ready): one cluster, the
	 * drained locality's weight goes to the other region */
	build b;
	begin(&b, 0);
	keep(&b, 50, 0, 2, 0);
	keep(&b, 50, 0, 0, 3);
	project(&b);
	ck_assert_int_eq(b.p.routing, RB_ROUTING_CLUSTER);
	ck_share(b.views[0].share, 1);
	ck_assert_int_eq(b.views[1].state, RB_REF_STATE_DRAINING);
	/* partly draining: still available, full weight */
	begin(&b, 0);
	keep(&b, 50, 0, 2, 0);
	keep(&b, 50, 0, 1, 3);
	project(&b);
	ck_share(b.views[1].share, 0.5);
}
END_TEST

/* [xds.envoy.priorities] */
START_TEST(panic_when_every_host_drains)
{
	/* every host draining: panic spreads over the hosts by count */
	build b;
	begin(&b, 0);
	keep(&b, 1, 0, 0, 1);
	keep(&b, 1, 0, 0, 3);
	project(&b);
	ck_share(b.views[0].share, 0.25);
	ck_share(b.views[1].share, 0.75);
	ck_assert_int_eq(b.views[0].state, RB_REF_STATE_PANIC);
	/* every level in panic: Envoy's recalculateLoadInTotalPanic splits the
	 * load by each level's share of all hosts (priority 0 need not have any) */
	begin(&b, 0);
	keep(&b, 1, 1, 0, 2);
	project(&b);
	ck_share(b.p.outcome[RB_OUTCOME_503], 0);
	ck_share(b.views[0].share, 1);
	ck_assert_int_eq(b.views[0].state, RB_REF_STATE_PANIC);
	/* 1 host at priority 0, 2 at priority 1: floor(100/3) = 33% and
	 * floor(200/3) = 66%, the 1% rounding leaves to the first level */
	begin(&b, 0);
	keep(&b, 1, 0, 0, 1);
	keep(&b, 1, 1, 0, 2);
	project(&b);
	ck_share(b.views[0].share, 0.34);
	ck_share(b.views[1].share, 0.66);
	ck_assert_int_eq(b.views[1].state, RB_REF_STATE_PANIC);
	/* no host at any level: 503 */
	begin(&b, 0);
	keep(&b, 1, 1, 0, 0);
	keep(&b, 1, 0, 0, 0);
	project(&b);
	ck_share(b.p.outcome[RB_OUTCOME_503], 1);
	/* in weighted clusters, a draining setting's own cluster panics too */
	begin(&b, 0);
	keep(&b, 1, 0, 1, 0);
	keep(&b, 1, 0, 0, 2);
	keep_invalid(&b, 2);
	project(&b);
	ck_share(b.views[1].share, 0.25);
	ck_assert_int_eq(b.views[1].state, RB_REF_STATE_PANIC);
	ck_share(b.p.outcome[RB_OUTCOME_500], 0.5);
}
END_TEST

/* [xds.direct] */
START_TEST(direct_response_takes_everything)
{
	build b;
	begin(&b, 0);
	leave_out(&b, 1, RB_REF_EXCLUDED);
	b.d.direct_response = 503;
	project(&b);
	ck_assert_int_eq(b.p.routing, RB_ROUTING_DIRECT_RESPONSE);
	ck_assert_uint_eq(b.p.code, 503);
	ck_share(b.p.outcome[RB_OUTCOME_503], 1);
	ck_assert_int_eq(b.views[0].state, RB_REF_STATE_EXCLUDED);
}
END_TEST

/* [xds.l4] */
START_TEST(l4_cluster_resets_without_hosts)
{
	build b;
	begin(&b, -1);
	leave_out(&b, 1, RB_REF_DROPPED);
	project(&b);
	ck_assert_int_eq(b.p.routing, RB_ROUTING_L4_CLUSTER);
	ck_share(b.p.outcome[RB_OUTCOME_RESET], 1);
	/* a zero-endpoint Backend stays a locality without hosts: peers take its share */
	begin(&b, -1);
	keep(&b, 1, 0, 1, 0);
	keep(&b, 1, 0, 0, 0);
	project(&b);
	ck_share(b.views[0].share, 1);
	ck_assert_int_eq(b.views[1].state, RB_REF_STATE_NO_ENDPOINTS);
	ck_share(b.p.outcome[RB_OUTCOME_RESET], 0);
}
END_TEST

/* An endpoint Envoy would refuse (no address, port 0) is no host: the
 * locality is empty and its peer takes the requests, as xds leaves it out. */
/* [xds.envoy.refused-endpoints] */
START_TEST(endpoints_envoy_refuses_are_no_hosts)
{
	build b;
	begin(&b, -1);
	keep(&b, 1, 0, 1, 0);
	rb__ir_setting *empty_host = keep(&b, 1, 0, 1, 0);
	b.eps[1][0].host = "";
	project(&b);
	ck_share(b.views[0].share, 1);
	ck_assert_int_eq(b.views[1].state, RB_REF_STATE_NO_ENDPOINTS);
	ck_assert(!rb__envoy_endpoint_usable(&empty_host->endpoints[0]));
	b.eps[1][0].host = "10.0.0.2";
	b.eps[1][0].port = 0;
	ck_assert(!rb__envoy_endpoint_usable(&empty_host->endpoints[0]));
	b.eps[1][0].port = 80;
	ck_assert(rb__envoy_endpoint_usable(&empty_host->endpoints[0]));
	b.eps[1][0].host = NULL;
	b.eps[1][0].port = 0;
	b.eps[1][0].path = "/var/run/app.sock";
	ck_assert(rb__envoy_endpoint_usable(&empty_host->endpoints[0]));
}
END_TEST

/* [xds.envoy.custom-dropped] */
START_TEST(custom_backend_weight_is_dropped_in_weighted_clusters)
{
	build b;
	begin(&b, 0);
	rb__ir_setting *c = keep(&b, 1, 0, 0, 0);
	c->custom_backend = true;
	b.refs[0].state = RB_REF_SERVING;
	b.d.weights[RB_WEIGHT_NO_ENDPOINTS] -= 1;
	b.d.weights[RB_WEIGHT_VALID] += 1;
	keep_invalid(&b, 1);
	project(&b);
	ck_assert_int_eq(b.p.routing, RB_ROUTING_WEIGHTED_CLUSTERS);
	ck_assert_int_eq(b.views[0].state, RB_REF_STATE_UNROUTED);
	ck_share(b.p.outcome[RB_OUTCOME_500], 1);
}
END_TEST

/* [xds.per-setting-triggers] */
START_TEST(per_setting_triggers)
{
	build b;
	begin(&b, 0);
	keep(&b, 1, 0, 1, 0)->address_type = RB_IR_ADDRESS_FQDN;
	keep(&b, 1, 0, 1, 0);
	ck_assert_str_eq(rb__envoy_per_setting_reason(&b.d), "mixed address types");
	begin(&b, 0);
	keep(&b, 1, 0, 1, 0)->address_type = RB_IR_ADDRESS_FQDN;
	keep(&b, 1, 0, 1, 0)->address_type = RB_IR_ADDRESS_FQDN;
	ck_assert_ptr_null(rb__envoy_per_setting_reason(&b.d));
	begin(&b, 0);
	keep(&b, 1, 0, 1, 0)->has_filters = true;
	ck_assert_str_eq(rb__envoy_per_setting_reason(&b.d), "backendRef filters");
	begin(&b, 0);
	rb__ir_prefer_local pl = {1, 1};
	keep(&b, 1, 0, 1, 0)->prefer_local = &pl;
	ck_assert_ptr_null(rb__envoy_per_setting_reason(&b.d));
	keep(&b, 1, 0, 1, 0);
	ck_assert_str_eq(rb__envoy_per_setting_reason(&b.d), "preferLocal, several backends");
	begin(&b, 0);
	keep(&b, 1, 0, 1, 0)->force_http1 = true;
	keep(&b, 1, 0, 1, 0)->protocol = RB_IR_PROTOCOL_HTTP2;
	ck_assert_str_eq(rb__envoy_per_setting_reason(&b.d), "HTTP/1.1-only with HTTP/2");
	begin(&b, 0);
	keep(&b, 1, 0, 1, 0);
	b.d.zone_aware = true;
	ck_assert_str_eq(rb__envoy_per_setting_reason(&b.d), "zone-aware load balancing");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("envoy");
	TCase *tc = tcase_create("weighted");
	tcase_add_test(tc, weighted_invalid_backend_cluster_and_code);
	tcase_add_test(tc, not_found_code);
	tcase_add_test(tc, canary_90_10_empty);
	tcase_add_test(tc, custom_backend_weight_is_dropped_in_weighted_clusters);
	tcase_add_test(tc, per_setting_triggers);
	suite_add_tcase(s, tc);
	tc = tcase_create("priorities");
	tcase_add_test(tc, single_cluster_splits_by_locality_weight);
	tcase_add_test(tc, fallback_stands_by_while_priority_0_serves);
	tcase_add_test(tc, priority_0_without_eligible_hosts_fails_over);
	tcase_add_test(tc, active_empty_and_fallback_worked_example);
	tcase_add_test(tc, fallback_in_weighted_clusters_always_takes_its_share);
	tcase_add_test(tc, draining_locality_gives_its_share_to_peers);
	tcase_add_test(tc, panic_when_every_host_drains);
	suite_add_tcase(s, tc);
	tc = tcase_create("routing");
	tcase_add_test(tc, direct_response_takes_everything);
	tcase_add_test(tc, l4_cluster_resets_without_hosts);
	tcase_add_test(tc, endpoints_envoy_refuses_are_no_hosts);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
