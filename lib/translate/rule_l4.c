/*
 * TCPRoute, UDPRoute and TLSRoute ([l4.drop-failing] [tlsroute.pool]): one destination per
 * route (rule -1). Any failing backendRef is recorded and left out (no
 * invalid flag, no buckets, no direct response). TCP and UDP need exactly one
 * rule; TLS pools every rule.
 *
 * Rules: [l4.one-rule] [l4.destination] [l4.status] [rebalance.l4-unchanged].
 */
#include <string.h>

#include "core/strutil.h"
#include "rebalance/errors.h"
#include "translate/tr.h"

static bool terminates_tls(const rb__listener *l)
{
	if (!strcmp(l->protocol, "HTTPS"))
		return true;
	return !strcmp(l->protocol, "TLS") && (!l->tls_mode || strcmp(l->tls_mode, "Passthrough"));
}

int rb__route_l4(rb__tr *t, rb__parent *p, rb__vec *dests, rb__vec *errors)
{
	const rb__route *r = p->route;
	bool tls = r->kind == RB_ROUTE_TLS;
	/* TCP and UDP arrive with exactly one rule (translate.c checks); TLS may have any number. */
	const char *dest_key;
	const char *dest_name = rb__destination_name_in_key(t, p, -1, &dest_key);
	if (!dest_name)
		return RB_ENOMEM;
	size_t total = 0;
	for (size_t i = 0; i < r->rule_count; i++)
		total += r->rules[i].backend_ref_count;
	rb__ir_ref *refs = rb__arena_calloc(t->out, total ? total : 1, sizeof(*refs));
	rb__ir_setting *settings = rb__arena_calloc(t->out, total ? total : 1, sizeof(*settings));
	if (!refs || !settings)
		return RB_ENOMEM;
	size_t kept = 0, k = 0;
	bool has_dr = false;
	for (size_t i = 0; i < r->rule_count; i++) {
		const rb__route_rule *rule = &r->rules[i];
		for (size_t j = 0; j < rule->backend_ref_count; j++, k++) {
			rb__ir_ref *ref = &refs[k];
			/* Setting indexes restart per rule: two TLS rules give duplicate names
			 * ([name.setting]). */
			rb__ref_result res;
			int rc = rb__rule_backend_ref(t, p, rule, j, dest_name, ref, &res);
			if (rc)
				return rc;
			if (res.reason) {
				ref->state = RB_REF_DROPPED;
				ref->failure = (uint8_t)res.reason;
				ref->message = res.message;
				rc = rb__add_error(t, errors, RB_COND_RESOLVED_REFS,
				                   rb__ref_reason_name(res.reason), -1, "%s",
				                   res.message);
				if (rc)
					return rc;
				continue;
			}
			if (res.ds.weight == 0) {
				ref->state = RB_REF_ZERO_WEIGHT;
				continue;
			}
			settings[kept] = res.ds;
			ref->setting = &settings[kept];
			ref->state = rb__weight_bucket(&settings[kept]) == RB_WEIGHT_VALID
			                     ? RB_REF_SERVING
			                     : RB_REF_NO_ENDPOINTS;
			has_dr |= settings[kept].dynamic_resolver;
			kept++;
		}
	}
	if (tls && has_dr && kept > 1) {
		/* A TLS dynamic resolver must be alone: every setting is dropped
		 * ([tlsroute.dr-multi]). */
		int rc = rb__add_error(t, errors, RB_COND_RESOLVED_REFS, RB_REASON_INVALID_BACKEND_REF, -1,
		                       "dynamic resolver is not supported for multiple backendRefs");
		if (rc)
			return rc;
		for (size_t i = 0; i < k; i++)
			if (refs[i].setting) {
				refs[i].state = RB_REF_DROPPED;
				refs[i].setting = NULL;
			}
		kept = 0;
	} else if (tls && has_dr) {
		/* Only passthrough listeners carry a TLS dynamic resolver
		 * ([tlsroute.dr-terminate]). */
		bool any_passthrough = false;
		for (size_t i = 0; i < p->listeners.len; i++) {
			const rb__listener *l = RB_VEC_AT(&p->listeners, const rb__listener *, i);
			if (terminates_tls(l))
				p->tls_terminate_dr = true;
			else
				any_passthrough = true;
		}
		if (!any_passthrough)
			p->programmed = false;
	}
	/* An invalid ClientTrafficPolicy empties a TCP/TLS listener's routes
	 * (fail_closed.c); UDP listeners take no such policy. */
	if (r->kind != RB_ROUTE_UDP) {
		bool dropped;
		int prc = rb__policy_l4_unprogrammed(t, p, &dropped);
		if (prc)
			return prc;
		if (dropped)
			p->programmed = false;
	}
	/* One destination for the route's rules, named with rule -1 ([name.destination]). */
	rb__ir_destination *d =
		rb__push_destination(t, dests, r, dest_name, -1);
	if (!d)
		return RB_ENOMEM;
	d->key = dest_key;
	d->settings = settings;
	/* (bounded by the decoder's limits of rules per route and refs per rule) */
	d->setting_count = (uint32_t)kept;
	for (size_t i = 0; i < kept; i++)
		d->weights[rb__weight_bucket(&settings[i])] += settings[i].weight;
	d->refs = refs;
	d->ref_count = (uint32_t)k;
	return RB_OK;
}
