/*
 * Why a BackendTrafficPolicy is invalid (buildTrafficFeatures): rate limit,
 * load balancer, circuit breaker, keepalive, retry, timeouts, buffers,
 * HTTP/2, response overrides, in that order.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/strutil.h"
#include "rebalance/errors.h"
#include "translate/policy_check.h"

static uint64_t unit_seconds(const char *unit)
{
	static const struct {
		const char *name;
		uint64_t seconds;
	} UNITS[] = {{"Second", 1},  {"Minute", 60},     {"Hour", 3600},
	             {"Day", 86400}, {"Month", 2592000}, {"Year", 31536000}};
	for (size_t i = 0; i < sizeof UNITS / sizeof UNITS[0]; i++)
		if (rb__str_eq(unit, UNITS[i].name))
			return UNITS[i].seconds;
	return 0;
}

/* buildRateLimitRule: what each client selector matches on must make sense. */
static void rate_limit_rule(rb__pc_errs *e, const rb__rate_limit_rule *r)
{
	for (size_t i = 0; i < r->client_selector_count; i++) {
		const rb__client_selector *cs = &r->client_selectors[i];
		if (!cs->header_count && !cs->has_source_cidr && !cs->method_count &&
		    !cs->has_path && !cs->query_param_count) {
			rb__pc_add(e, true, "RateLimit",
			           "unable to translate rateLimit. At least one of the "
			           "header or method or path or sourceCIDR or queryParams "
			           "must be specified");
			continue;
		}
		for (size_t j = 0; j < cs->header_count; j++) {
			const rb__rate_limit_header *h = &cs->headers[j];
			const char *type = h->type ? h->type : "Exact";
			const char *err = NULL;
			if (!strcmp(type, "Distinct") && h->invert)
				rb__pc_add(e, true, "RateLimit",
				           "unable to translate rateLimit. Invert is not "
				           "applicable for distinct "
				           "header match type");
			else if (!strcmp(type, "RegularExpression") && h->value &&
			         rb__regex_check(e->t->out, h->value, &err) == RB_OK && err)
				rb__pc_add(e, true, "RateLimit", "regex %s is invalid: %s",
				           h->value, err);
		}
		if (cs->has_source_cidr && (!cs->source_cidr || !rb__pc_cidr_ok(cs->source_cidr)))
			rb__pc_add(e, true, "RateLimit",
			           "unable to translate rateLimit: invalid sourceCIDR %s",
			           cs->source_cidr ? cs->source_cidr : "");
	}
}

static void rate_limit(rb__pc_errs *e, const rb__btp_checks *k)
{
	const char *type = k->rate_limit_type;
	if (type && strcmp(type, "Global") && strcmp(type, "Local"))
		rb__pc_add(e, true, "RateLimit", "invalid rateLimit type: %s", type);
	else if (rb__str_eq(type, "Local") && !k->has_local_rate_limit)
		rb__pc_add(e, true, "RateLimit", "local configuration empty for rateLimit");
	else if (rb__str_eq(type, "Global") && !k->has_global_rate_limit)
		rb__pc_add(e, true, "RateLimit", "global configuration empty for rateLimit");
	for (size_t i = 0; i < k->global_rule_count; i++)
		rate_limit_rule(e, &k->global_rules[i]);
	for (size_t i = 0; i < k->local_rule_count; i++)
		rate_limit_rule(e, &k->local_rules[i]);
	if (!k->has_local_rate_limit || rb__str_eq(type, "Global"))
		return;
	/* buildLocalRateLimit: one default rule at most; every unit a multiple of its unit. */
	size_t defaults = 0;
	const char *default_unit = "Second";
	for (size_t i = 0; i < k->local_rule_count; i++)
		if (!k->local_rules[i].client_selector_count) {
			defaults++;
			default_unit = k->local_rules[i].unit;
		}
	if (defaults > 1) {
		rb__pc_add(
		    e, true, "RateLimit",
		    "local rateLimit can not have more than one rule without clientSelectors");
		return;
	}
	uint64_t base = unit_seconds(default_unit);
	for (size_t i = 0; i < k->local_rule_count; i++) {
		uint64_t u = unit_seconds(k->local_rules[i].unit);
		if (!base || u % base) {
			rb__pc_add(
			    e, true, "RateLimit",
			    "local rateLimit rule limit unit must be a multiple of the default "
			    "limit unit");
			return;
		}
	}
}

static bool is_prime(uint32_t n)
{
	if (n < 2)
		return false;
	for (uint32_t d = 2; (uint64_t)d * d <= n; d++)
		if (n % d == 0)
			return false;
	return true;
}

void rb__pc_btp_errors(rb__pc_errs *e, const rb__claim *c)
{
	const rb__backend_traffic_policy *p = c->policy;
	const rb__btp_checks *k = &p->checks;
	rate_limit(e, k);
	/* buildConsistentHashLoadBalancer: Envoy's maglev table size limit, and a prime. */
	if (k->has_table_size && (k->table_size > 5000011 || !is_prime(k->table_size)))
		rb__pc_add(
		    e, true, "LoadBalancer",
		    "invalid TableSize value %u: must be prime number and less than or equal to "
		    "5000011",
		    k->table_size);
	rb__pc_duration(e, "LoadBalancer", "slowStart window", k->slow_start_window);
	static const char *const CB[5] = {"maxConnections", "maxPendingRequests",
	                                  "maxParallelRequests", "maxParallelRetries",
	                                  "maxRequestsPerConnection"};
	for (int i = 0; i < 5; i++)
		if (k->circuit_breaker[i] < 0 || k->circuit_breaker[i] > 4294967295LL)
			rb__pc_add(e, true, "CircuitBreaker", "invalid %s value %lld", CB[i],
			           (long long)k->circuit_breaker[i]);
	rb__pc_duration(e, "TCPKeepalive", "idleTime", k->keepalive_idle_time);
	rb__pc_duration(e, "TCPKeepalive", "interval", k->keepalive_interval);
	/* buildRetry */
	rb__pc_duration(e, "Retry", "perRetry timeout", k->retry_timeout);
	double base = 0, max = 0;
	bool has_base = k->backoff_base && rb__parse_go_duration(k->backoff_base, &base);
	bool has_max = k->backoff_max && rb__parse_go_duration(k->backoff_max, &max);
	rb__pc_duration(e, "Retry", "baseInterval", k->backoff_base);
	rb__pc_duration(e, "Retry", "maxInterval", k->backoff_max);
	if (has_base && base == 0)
		rb__pc_add(e, true, "Retry", "baseInterval cannot be set to 0s");
	if (has_max && max == 0)
		rb__pc_add(e, true, "Retry", "maxInterval cannot be set to 0s");
	if (has_base && has_max && base > 0 && max > 0 && max < base)
		rb__pc_add(e, true, "Retry", "maxInterval cannot be less than baseInterval");
	static const char *const TIMEOUTS[6] = {"connectTimeout",        "connectionIdleTimeout",
	                                        "maxConnectionDuration", "requestTimeout",
	                                        "maxStreamDuration",     "streamIdleTimeout"};
	for (int i = 0; i < 6; i++)
		rb__pc_duration(e, "Timeout", TIMEOUTS[i], k->timeouts[i]);
	rb__pc_uint32_quantity(e, "BackendConnection", "BufferLimit", k->buffer_limit);
	rb__pc_http2_windows(e, k->http2_stream_window, k->http2_connection_window);
	/* buildResponseOverride: a body from a ConfigMap of the policy's namespace. */
	for (size_t i = 0; i < k->override_count; i++) {
		const rb__response_override *o = &k->overrides[i];
		if (!rb__str_eq(o->body_type, "ValueRef") || !o->value_ref_name)
			continue;
		const rb__ca_holder *cm =
		    rb__pc_find_config_map(e->t, c->meta->namespace_, o->value_ref_name);
		if (!cm)
			rb__pc_add(e, true, "ResponseOverride",
			           "can't find the referenced configmap %s", o->value_ref_name);
		else if (!cm->data_key_count)
			rb__pc_add(e, true, "ResponseOverride",
			           "can't find the body in the referenced configmap %s",
			           o->value_ref_name);
	}
	rb__pc_uint32_quantity(e, "RequestBuffer", "limit", k->request_buffer_limit);
	if (k->has_request_buffer && k->has_http_upgrade)
		rb__pc_add(e, true, "RequestBuffer",
		           "requestBuffer cannot be used together with httpUpgrade");
}
