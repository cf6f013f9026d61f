/*
 * Explanations (rebalance explain): an input translated twice -- Envoy
 * Gateway as it is, and the caller's options -- optionally after scaling
 * Services to zero (model/what_if.h), every destination paired with its
 * upstream twin and projected onto Envoy (envoy/envoy.h).
 */
#ifndef RB_EXPLAIN_EXPLAIN_H
#define RB_EXPLAIN_EXPLAIN_H

#include "result/result.h"
#include "emit/writer.h"
#include "envoy/envoy.h"
#include "model/what_if.h"

struct rb_explained_ref {
	const rb__ir_ref *ir[2]; /* per rb_side; NULL when that side has no such ref */
	rb__ref_view view[2];
};

/* One remedy advised for a rule (rb_advice): the rule translated again with
 * it applied, and the backendRefs it changes. */
typedef struct rb__advice {
	const rb_explained_rule *after; /* NULL: not advised */
	size_t *refs;
	size_t ref_count;
} rb__advice;

enum { RB__ADVICE_COUNT = 2 };

struct rb_explained_rule {
	const rb__ir_destination *dest[2]; /* per rb_side; upstream may be NULL */
	rb__projection proj[2];
	rb_explained_ref *refs;
	size_t ref_count;
	const char *rule_name; /* the rule's `name:`, or NULL */
	const char *listeners; /* "http, https" (sectionNames of the parentRefs to its Gateway), or NULL */
	const char *caveat;    /* what the Envoy model does not cover on this rule, or NULL */
	rb__advice advice[RB__ADVICE_COUNT]; /* per rb_advice */
};

struct rb_explanation {
	rb_ctx *ctx;
	rb__arena arena;            /* everything below, and the what-if slice copies */
	rb_result *results[2];      /* per rb_side */
	rb_translate_options selected;
	const char **what_if;
	rb__what_if_match *match;
	size_t what_if_count;
	rb_explained_rule *rules;
	size_t rule_count;
	rb_explanation *advised[RB__ADVICE_COUNT]; /* per rb_advice: the input translated again */
};

/* Build `ex` (zeroed, ctx and arena set) from a model: the what-if targets
 * and the rule filters of `eo`. RB_OK, RB_EINVAL, RB_ENOMEM. */
int rb__explain_build(rb_explanation *ex, const rb_input *in, const rb_translate_options *opts,
                      const rb_explain_options *eo);

/* advice.c: fill the rules' advice (rb_explain_options.advice), translating
 * again once per remedy some rule needs. RB_OK or RB_ENOMEM; a translation
 * that fails otherwise leaves that remedy unadvised. */
int rb__explain_advise(rb_explanation *ex, const rb_input *in, const rb_translate_options *opts,
                       const rb_explain_options *eo);

/* The explanation as data (rb_explanation_write); shares as percentages. */
int rb__emit_explanation(rb__writer *w, const rb_explanation *ex);

/* names.c: the names of explain's enums in its data (and of rb_*_name). */
const char *rb__ref_state_name(rb_ref_state state);
const char *rb__routing_name(rb_routing routing);

/* "33.33": a share (0..1) as a percentage with at most two decimals, no
 * trailing zeros; our own digits, no locale. `buf` holds at least 8 bytes. */
size_t rb__format_percent(double share, char *buf);

#endif
