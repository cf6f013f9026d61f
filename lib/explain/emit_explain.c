/*
 * An explanation as data (explain -o json|yaml). Key order is fixed here;
 * docs/explain.md describes the document. Shares are percentages.
 *
 *   mode: rebalance                       # the selected side's mode
 *   whatIf: [{service: NS/NAME[=N], found: true, endpointSlices: 1}]
 *           (or {backendRef: NS/ROUTE:RULE:REF=weight:W, found, endpointSlices: 0})
 *   envoyVersion: ">=1.30"                # the Envoy the model assumes
 *   envoyGatewayVersion: ">=1.1"          # the Envoy Gateway releases shipping it
 *   rules:
 *   - name, route {kind, namespace, name, rule, ruleName?}, gateway, listeners?, caveat?
 *     backendRefs:
 *     - name, backend {group?, kind, namespace, name, port?}, weight, priority?, sharedCluster?,
 *       endpoints {total, draining}, reason?, message?,
 *       upstream {state, share, answered500?, answered503?, reset?}, selected {...}
 *       (the shares answered because of this ref, only when non-zero)
 *     upstream / selected:
 *       routing, why?, statusCode?, rebalanceOnNoEndpoints {value, policy?, scope?},
 *       rebalanceOnNoReadyEndpoints {...} (HTTP/GRPC only),
 *       shares {served, answered500, answered503, reset, answeredOther?}
 *     advice:                             # with rb_explain_options.advice, when advised
 *     - kind: weight0 | fallback, backendRefs: [indices],
 *       backends: [{namespace, name, address, port}]   (fallback: the Backends to write)
 *       upstream: {served, answered500, answered503, reset}   (compat after the change)
 *   (`why` of a direct response: what decided it and why, e.g. an invalid filter;
 *   answeredOther, only when non-zero: a filter's own status, as a 404 directResponse)
 *   notProgrammed:                        # only when some route is on such a listener
 *   - route {kind, namespace, name}, parent {kind, namespace, name},
 *     listener, reason, message
 */
#include "explain/explain.h"
#include "model/model.h"
#include "model/vocab.h"

#include "rebalance/errors.h"

#define TRY(expr)                     \
	do {                              \
		int rc_ = (expr);             \
		if (rc_)                      \
			return rc_;               \
	} while (0)

static const char *const SIDE_KEYS[2] = {"upstream", "selected"};

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

static int kv_bool(rb__writer *w, const char *key, bool v)
{
	TRY(rb__w_key(w, key));
	return rb__w_bool(w, v);
}

static int kv_share(rb__writer *w, const char *key, double share)
{
	char buf[16];
	size_t n = rb__format_percent(share, buf);
	TRY(rb__w_key(w, key));
	return rb__w_number(w, buf, n);
}

static int emit_what_if(rb__writer *w, const rb_explanation *ex)
{
	TRY(rb__w_key(w, "whatIf"));
	TRY(rb__w_seq_begin(w, ex->what_if_count == 0));
	for (size_t i = 0; i < ex->what_if_count; i++) {
		TRY(rb__w_map_begin(w, true));
		/* NS/SERVICE[=N], or NS/ROUTE:RULE:REF=weight:W */
		TRY(kv_str(w, rb__what_if_is_backend_ref(ex->what_if[i]) ? "backendRef" : "service",
		           ex->what_if[i]));
		TRY(kv_bool(w, "found", ex->match[i].service_found));
		TRY(kv_uint(w, "endpointSlices", ex->match[i].slices));
		TRY(rb__w_map_end(w));
	}
	return rb__w_seq_end(w);
}

static int emit_ref(rb__writer *w, const rb_explained_ref *ref)
{
	const rb__ir_ref *ir = ref->ir[RB_SIDE_SELECTED];
	const rb__ir_setting *s = ir->setting;
	rb__ir_target tg = rb__ir_ref_target(ir);
	TRY(rb__w_map_begin(w, false));
	TRY(kv_str(w, "name", ir->name));
	TRY(rb__w_key(w, "backend"));
	TRY(rb__w_map_begin(w, true));
	if (tg.group && *tg.group)
		TRY(kv_str(w, "group", tg.group));
	TRY(kv_str(w, "kind", tg.kind));
	TRY(kv_str(w, "namespace", tg.namespace_));
	TRY(kv_str(w, "name", tg.name));
	if (tg.port)
		TRY(kv_uint(w, "port", tg.port));
	TRY(rb__w_map_end(w));
	TRY(kv_uint(w, "weight", ir->weight));
	if (s && s->has_priority)
		TRY(kv_uint(w, "priority", s->priority));
	if (s && s->shared_cluster) {
		/* mergeBackends: `name` is the Gateway's shared cluster. */
		TRY(rb__w_key(w, "sharedCluster"));
		TRY(rb__w_bool(w, true));
	}
	size_t draining = 0;
	for (size_t i = 0; s && i < s->endpoint_count; i++)
		draining += s->endpoints[i].draining;
	TRY(rb__w_key(w, "endpoints"));
	TRY(rb__w_map_begin(w, true));
	TRY(kv_uint(w, "total", s ? s->endpoint_count : 0));
	TRY(kv_uint(w, "draining", draining));
	TRY(rb__w_map_end(w));
	if (ir->failure) {
		TRY(kv_str(w, "reason", rb__ref_reason_name(ir->failure)));
		TRY(kv_str(w, "message", ir->message));
	}
	for (int side = RB_SIDE_UPSTREAM; side <= RB_SIDE_SELECTED; side++) {
		TRY(rb__w_key(w, SIDE_KEYS[side]));
		TRY(rb__w_map_begin(w, true));
		TRY(kv_str(w, "state", rb__ref_state_name(ref->view[side].state)));
		TRY(kv_share(w, "share", ref->view[side].share));
		/* what this ref's own weight ends in besides being served, when any */
		if (ref->view[side].caused[RB_OUTCOME_500] > 0)
			TRY(kv_share(w, "answered500", ref->view[side].caused[RB_OUTCOME_500]));
		if (ref->view[side].caused[RB_OUTCOME_503] > 0)
			TRY(kv_share(w, "answered503", ref->view[side].caused[RB_OUTCOME_503]));
		if (ref->view[side].caused[RB_OUTCOME_RESET] > 0)
			TRY(kv_share(w, "reset", ref->view[side].caused[RB_OUTCOME_RESET]));
		TRY(rb__w_map_end(w));
	}
	return rb__w_map_end(w);
}

static int emit_knob(rb__writer *w, const char *key, const rb__ir_knob *k)
{
	TRY(rb__w_key(w, key));
	TRY(rb__w_map_begin(w, true));
	TRY(kv_bool(w, "value", k->on));
	if (k->policy) {
		TRY(kv_str(w, "policy", k->policy));
		TRY(kv_str(w, "scope", k->scope));
	}
	return rb__w_map_end(w);
}

/* A side's shares: served, answered500, answered503, reset, answeredOther when above 0. */
static int emit_shares(rb__writer *w, const rb__projection *p)
{
	TRY(rb__w_map_begin(w, true));
	TRY(kv_share(w, "served", p->outcome[RB_OUTCOME_SERVED]));
	TRY(kv_share(w, "answered500", p->outcome[RB_OUTCOME_500]));
	TRY(kv_share(w, "answered503", p->outcome[RB_OUTCOME_503]));
	TRY(kv_share(w, "reset", p->outcome[RB_OUTCOME_RESET]));
	if (p->outcome[RB_OUTCOME_OTHER] > 0)
		TRY(kv_share(w, "answeredOther", p->outcome[RB_OUTCOME_OTHER]));
	return rb__w_map_end(w);
}

static int emit_side(rb__writer *w, const rb_explained_rule *r, int side)
{
	const rb__projection *p = &r->proj[side];
	const rb__ir_destination *d = r->dest[side];
	TRY(rb__w_key(w, SIDE_KEYS[side]));
	TRY(rb__w_map_begin(w, false));
	TRY(kv_str(w, "routing", rb__routing_name(p->routing)));
	if (p->reason)
		TRY(kv_str(w, "why", p->reason));
	if (p->code)
		TRY(kv_uint(w, "statusCode", p->code));
	if (d && d->rule >= 0) {
		TRY(emit_knob(w, "rebalanceOnNoEndpoints", rb__ir_knob_of(d, RB_KNOB_NO_ENDPOINTS)));
		TRY(emit_knob(w, "rebalanceOnNoReadyEndpoints", rb__ir_knob_of(d, RB_KNOB_NOT_READY)));
	}
	TRY(rb__w_key(w, "shares"));
	TRY(emit_shares(w, p));
	return rb__w_map_end(w);
}

/* The Backend a fallback remedy has the operator write for ref j: what the
 * rule translated again uses in its place (one ip endpoint). */
static int emit_fallback_backend(rb__writer *w, const rb_explained_ref *ref)
{
	const rb__ir_ref *ir = ref->ir[RB_SIDE_UPSTREAM];
	const rb__ir_endpoint *e = ir && ir->setting && ir->setting->endpoint_count == 1
	                               ? &ir->setting->endpoints[0]
	                               : NULL;
	rb__ir_target tg = ir ? rb__ir_ref_target(ir) : (rb__ir_target){0};
	TRY(rb__w_map_begin(w, true));
	TRY(kv_str(w, "namespace", tg.namespace_ ? tg.namespace_ : ""));
	TRY(kv_str(w, "name", tg.name ? tg.name : ""));
	TRY(kv_str(w, "address", e && e->host ? e->host : ""));
	TRY(kv_uint(w, "port", e ? e->port : 0));
	return rb__w_map_end(w);
}

/* The remedies advised for stock Envoy Gateway (rb_explain_options.advice). */
static int emit_advice(rb__writer *w, const rb_explained_rule *r)
{
	static const char *const kinds[RB__ADVICE_COUNT] = {"weight0", "fallback"};
	if (!r->advice[RB_ADVICE_WEIGHT_0].after && !r->advice[RB_ADVICE_FALLBACK].after)
		return RB_OK;
	TRY(rb__w_key(w, "advice"));
	TRY(rb__w_seq_begin(w, false));
	for (int k = 0; k < RB__ADVICE_COUNT; k++) {
		const rb__advice *a = &r->advice[k];
		if (!a->after)
			continue;
		TRY(rb__w_map_begin(w, false));
		TRY(kv_str(w, "kind", kinds[k]));
		TRY(rb__w_key(w, "backendRefs"));
		TRY(rb__w_seq_begin(w, true));
		for (size_t i = 0; i < a->ref_count; i++)
			TRY(rb__w_uint(w, a->refs[i]));
		TRY(rb__w_seq_end(w));
		if (k == RB_ADVICE_FALLBACK) {
			TRY(rb__w_key(w, "backends"));
			TRY(rb__w_seq_begin(w, false));
			for (size_t i = 0; i < a->ref_count; i++)
				TRY(emit_fallback_backend(w, &a->after->refs[a->refs[i]]));
			TRY(rb__w_seq_end(w));
		}
		/* what stock Envoy Gateway then does with the rule's requests */
		TRY(rb__w_key(w, "upstream"));
		TRY(emit_shares(w, &a->after->proj[RB_SIDE_UPSTREAM]));
		TRY(rb__w_map_end(w));
	}
	return rb__w_seq_end(w);
}

static int emit_rule(rb__writer *w, const rb_explained_rule *r)
{
	const rb__ir_destination *d = r->dest[RB_SIDE_SELECTED];
	TRY(rb__w_map_begin(w, false));
	TRY(kv_str(w, "name", d->name));
	TRY(rb__w_key(w, "route"));
	TRY(rb__w_map_begin(w, true));
	TRY(kv_str(w, "kind", d->route_kind));
	TRY(kv_str(w, "namespace", d->route_namespace));
	TRY(kv_str(w, "name", d->route_name));
	TRY(rb__w_key(w, "rule"));
	TRY(rb__w_int(w, d->rule));
	if (r->rule_name)
		TRY(kv_str(w, "ruleName", r->rule_name));
	TRY(rb__w_map_end(w));
	TRY(kv_str(w, "gateway", d->gateway));
	if (r->listeners)
		TRY(kv_str(w, "listeners", r->listeners));
	if (r->caveat)
		TRY(kv_str(w, "caveat", r->caveat));
	TRY(rb__w_key(w, "backendRefs"));
	TRY(rb__w_seq_begin(w, r->ref_count == 0));
	for (size_t j = 0; j < r->ref_count; j++)
		TRY(emit_ref(w, &r->refs[j]));
	TRY(rb__w_seq_end(w));
	TRY(emit_side(w, r, RB_SIDE_UPSTREAM));
	TRY(emit_side(w, r, RB_SIDE_SELECTED));
	TRY(emit_advice(w, r));
	return rb__w_map_end(w);
}

/* Routes attached to listeners Envoy Gateway does not program (selected side). */
static int emit_not_programmed(rb__writer *w, const rb_explanation *ex)
{
	const rb__ir *ir = &ex->results[RB_SIDE_SELECTED]->ir;
	size_t n = 0;
	for (size_t i = 0; i < ir->status_count; i++)
		n += ir->statuses[i].idle_listener_count;
	if (!n)
		return RB_OK;
	TRY(rb__w_key(w, "notProgrammed"));
	TRY(rb__w_seq_begin(w, false));
	for (size_t i = 0; i < ir->status_count; i++) {
		const rb__ir_route_status *st = &ir->statuses[i];
		for (size_t j = 0; j < st->idle_listener_count; j++) {
			const rb__ir_idle_listener *l = &st->idle_listeners[j];
			TRY(rb__w_map_begin(w, false));
			TRY(rb__w_key(w, "route"));
			TRY(rb__w_map_begin(w, true));
			TRY(kv_str(w, "kind", st->kind));
			TRY(kv_str(w, "namespace", st->namespace_));
			TRY(kv_str(w, "name", st->name));
			TRY(rb__w_map_end(w));
			TRY(rb__w_key(w, "parent"));
			TRY(rb__w_map_begin(w, true));
			TRY(kv_str(w, "kind", st->parent->kind ? st->parent->kind : "Gateway"));
			TRY(kv_str(w, "namespace", st->parent->namespace_ && *st->parent->namespace_
			                                   ? st->parent->namespace_
			                                   : st->namespace_));
			TRY(kv_str(w, "name", st->parent->name));
			TRY(rb__w_map_end(w));
			TRY(kv_str(w, "listener", l->name));
			TRY(kv_str(w, "reason", l->reason));
			TRY(kv_str(w, "message", l->message));
			TRY(rb__w_map_end(w));
		}
	}
	return rb__w_seq_end(w);
}

int rb__emit_explanation(rb__writer *w, const rb_explanation *ex)
{
	TRY(rb__w_map_begin(w, false));
	TRY(kv_str(w, "mode", ex->selected.mode == RB_MODE_COMPAT_ENVOY_GATEWAY ? "envoy-gateway"
	                                                                          : "rebalance"));
	TRY(emit_what_if(w, ex));
	/* the oldest Envoy whose load balancer the shares are computed for */
	TRY(kv_str(w, "envoyVersion", ">=" RB_ENVOY_MODEL_VERSION));
	/* the oldest Envoy Gateway release shipping such an Envoy */
	TRY(kv_str(w, "envoyGatewayVersion", ">=" RB_ENVOY_GATEWAY_MODEL_VERSION));
	TRY(rb__w_key(w, "rules"));
	TRY(rb__w_seq_begin(w, ex->rule_count == 0));
	for (size_t i = 0; i < ex->rule_count; i++)
		TRY(emit_rule(w, &ex->rules[i]));
	TRY(rb__w_seq_end(w));
	TRY(emit_not_programmed(w, ex));
	return rb__w_map_end(w);
}
