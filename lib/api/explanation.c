/* rb_explain and the read-only accessors of an explanation. */
#include <string.h>

#include "api/view.h"
#include "core/buf.h"
#include "explain/explain.h"
#include "model/vocab.h"

int rb_explain_options_init(rb_explain_options *opts, size_t size)
{
	if (!opts || size < sizeof(uint32_t))
		return RB_EINVAL;
	rb_explain_options o = RB_EXPLAIN_OPTIONS_INIT;
	o.size = (uint32_t)(size < sizeof o ? size : sizeof o);
	memcpy(opts, &o, o.size);
	return RB_OK;
}

/* Read only the bytes the caller's struct has (its `size`). */
static int copy_explain_options(rb_explain_options *o, const rb_explain_options *user)
{
	rb_explain_options_init(o, sizeof *o);
	if (!user)
		return RB_OK;
	if (user->size < sizeof(uint32_t))
		return RB_EINVAL;
	size_t n = user->size < sizeof *o ? user->size : sizeof *o;
	memcpy(o, user, n);
	o->size = sizeof *o;
	if ((o->what_if_count && !o->what_if) || (o->route_count && !o->routes) ||
	    (o->gateway_count && !o->gateways))
		return RB_EINVAL;
	return RB_OK;
}

int rb_explain(rb_explanation **out, const rb_input *in, const rb_translate_options *opts,
               const rb_explain_options *eopts)
{
	if (!out || !in)
		return RB_EINVAL;
	*out = NULL;
	rb_translate_options o;
	rb_explain_options e;
	int rc = rb__copy_options(&o, opts);
	if (!rc)
		rc = copy_explain_options(&e, eopts);
	if (rc)
		return rc;
	rb_ctx *ctx = in->ctx;
	rb_explanation *ex = rb__calloc(&ctx->mem, 1, sizeof(*ex));
	if (!ex)
		return RB_ENOMEM;
	ex->ctx = ctx;
	rb__arena_init(&ex->arena, &ctx->mem);
	/* The option strings must outlive the caller's options. */
	rc = rb__options_own(&o, &ex->arena);
	if (!rc)
		rc = rb__explain_build(ex, in, &o, &e);
	if (!rc && e.advice)
		rc = rb__explain_advise(ex, in, &ex->selected, &e);
	if (rc) {
		rb_explanation_free(ex);
		return rc;
	}
	*out = ex;
	return RB_OK;
}

void rb_explanation_free(rb_explanation *ex)
{
	if (!ex)
		return;
	rb_explanation_free(ex->advised[0]);
	rb_explanation_free(ex->advised[1]);
	rb_result_free(ex->results[0]);
	rb_result_free(ex->results[1]);
	rb__arena_free(&ex->arena);
	rb__free(&ex->ctx->mem, ex);
}

static bool side_ok(rb_side side)
{
	return side == RB_SIDE_UPSTREAM || side == RB_SIDE_SELECTED;
}

const rb_result *rb_explanation_result(const rb_explanation *ex, rb_side side)
{
	return ex && side_ok(side) ? ex->results[side] : NULL;
}

size_t rb_explanation_what_if_count(const rb_explanation *ex)
{
	return ex ? ex->what_if_count : 0;
}

const char *rb_explanation_what_if(const rb_explanation *ex, size_t i)
{
	return ex && i < ex->what_if_count ? ex->what_if[i] : NULL;
}

int rb_explanation_what_if_found(const rb_explanation *ex, size_t i)
{
	return ex && i < ex->what_if_count && ex->match[i].service_found;
}

size_t rb_explanation_what_if_slices(const rb_explanation *ex, size_t i)
{
	return ex && i < ex->what_if_count ? ex->match[i].slices : 0;
}

size_t rb_explanation_rule_count(const rb_explanation *ex)
{
	return ex ? ex->rule_count : 0;
}

const rb_explained_rule *rb_explanation_rule(const rb_explanation *ex, size_t i)
{
	return ex && i < ex->rule_count ? &ex->rules[i] : NULL;
}

/* ---- rules ---- */

const rb_destination *rb_explained_rule_destination(const rb_explained_rule *r, rb_side side)
{
	return r && side_ok(side) ? r->dest[side] : NULL;
}

rb_routing rb_explained_rule_routing(const rb_explained_rule *r, rb_side side)
{
	return r && side_ok(side) ? r->proj[side].routing : RB_ROUTING_NONE;
}

const char *rb_explained_rule_routing_reason(const rb_explained_rule *r, rb_side side)
{
	return r && side_ok(side) ? r->proj[side].reason : NULL;
}

uint32_t rb_explained_rule_status_code(const rb_explained_rule *r, rb_side side)
{
	return r && side_ok(side) ? r->proj[side].code : 0;
}

double rb_explained_rule_share(const rb_explained_rule *r, rb_side side, rb_outcome outcome)
{
	if (!r || !side_ok(side) || (unsigned)outcome > RB_OUTCOME_OTHER)
		return 0;
	return r->proj[side].outcome[outcome];
}

size_t rb_explained_rule_ref_count(const rb_explained_rule *r)
{
	return r ? r->ref_count : 0;
}

const rb_explained_ref *rb_explained_rule_ref(const rb_explained_rule *r, size_t i)
{
	return r && i < r->ref_count ? &r->refs[i] : NULL;
}

/* ---- backendRefs ---- */

static const rb__ir_ref *sel(const rb_explained_ref *ref)
{
	return ref ? ref->ir[RB_SIDE_SELECTED] : NULL;
}

const char *rb_explained_ref_name(const rb_explained_ref *ref)
{
	return sel(ref) ? sel(ref)->name : NULL;
}

const char *rb_explained_ref_group(const rb_explained_ref *ref)
{
	return sel(ref) ? rb__ir_ref_target(sel(ref)).group : NULL;
}

const char *rb_explained_ref_kind(const rb_explained_ref *ref)
{
	return sel(ref) ? rb__ir_ref_target(sel(ref)).kind : NULL;
}

const char *rb_explained_ref_namespace(const rb_explained_ref *ref)
{
	return sel(ref) ? rb__ir_ref_target(sel(ref)).namespace_ : NULL;
}

const char *rb_explained_ref_backend_name(const rb_explained_ref *ref)
{
	return sel(ref) ? rb__ir_ref_target(sel(ref)).name : NULL;
}

uint32_t rb_explained_ref_port(const rb_explained_ref *ref)
{
	return sel(ref) ? rb__ir_ref_target(sel(ref)).port : 0;
}

uint32_t rb_explained_ref_weight(const rb_explained_ref *ref)
{
	return sel(ref) ? sel(ref)->weight : 0;
}

static const rb__ir_setting *setting(const rb_explained_ref *ref)
{
	return sel(ref) ? sel(ref)->setting : NULL;
}

const rb_setting *rb_explained_ref_setting(const rb_explained_ref *ref)
{
	return setting(ref);
}

uint32_t rb_explained_ref_priority(const rb_explained_ref *ref)
{
	const rb__ir_setting *s = setting(ref);
	return s && s->has_priority ? s->priority : 0;
}

size_t rb_explained_ref_endpoint_count(const rb_explained_ref *ref)
{
	const rb__ir_setting *s = setting(ref);
	return s ? s->endpoint_count : 0;
}

size_t rb_explained_ref_draining_count(const rb_explained_ref *ref)
{
	const rb__ir_setting *s = setting(ref);
	size_t n = 0;
	for (size_t i = 0; s && i < s->endpoint_count; i++)
		n += s->endpoints[i].draining;
	return n;
}

const char *rb_explained_ref_reason(const rb_explained_ref *ref)
{
	return sel(ref) ? rb__ref_reason_name(sel(ref)->failure) : NULL;
}

const char *rb_explained_ref_message(const rb_explained_ref *ref)
{
	return sel(ref) ? sel(ref)->message : NULL;
}

rb_ref_state rb_explained_ref_state(const rb_explained_ref *ref, rb_side side)
{
	return ref && side_ok(side) ? ref->view[side].state : (rb_ref_state)0;
}

double rb_explained_ref_share(const rb_explained_ref *ref, rb_side side)
{
	return ref && side_ok(side) ? ref->view[side].share : 0;
}

const char *rb_ref_state_name(rb_ref_state state)
{
	return rb__ref_state_name(state);
}

const char *rb_routing_name(rb_routing routing)
{
	return rb__routing_name(routing);
}

/* ---- serializing ---- */

static int explanation_view(rb__writer *w, const void *ex)
{
	return rb__emit_explanation(w, ex);
}

int rb_explanation_write(const rb_explanation *ex, rb_format format, rb_write_fn write, void *ud)
{
	return ex ? rb__view_write(&ex->ctx->mem, explanation_view, ex, format, write, ud)
	          : RB_EINVAL;
}

int rb_explanation_to_buffer(const rb_explanation *ex, rb_format format, char **out, size_t *len)
{
	return ex ? rb__view_to_buffer(&ex->ctx->mem, explanation_view, ex, format, out, len)
	          : RB_EINVAL;
}

/* ---- advice ---- */

static const rb__advice *advice_of(const rb_explained_rule *r, rb_advice remedy)
{
	return r && (unsigned)remedy < RB__ADVICE_COUNT ? &r->advice[remedy] : NULL;
}

const rb_explained_rule *rb_explained_rule_advice(const rb_explained_rule *r, rb_advice remedy)
{
	const rb__advice *a = advice_of(r, remedy);
	return a ? a->after : NULL;
}

size_t rb_explained_rule_advice_ref_count(const rb_explained_rule *r, rb_advice remedy)
{
	const rb__advice *a = advice_of(r, remedy);
	return a && a->after ? a->ref_count : 0;
}

size_t rb_explained_rule_advice_ref(const rb_explained_rule *r, rb_advice remedy, size_t i)
{
	const rb__advice *a = advice_of(r, remedy);
	return a && a->after && i < a->ref_count ? a->refs[i] : 0;
}
