/*
 * explain's text for people (docs/explain.md, "The text"): a summary first,
 * then the detail of the rules that answer 5xx, then a legend. Only the
 * layout lives here; every number comes from the library's explanation.
 */
#ifndef RB_CLI_EXPLAIN_TEXT_H
#define RB_CLI_EXPLAIN_TEXT_H

#include "rebalance/rebalance.h"
#include "text_line.h"

#include <stdbool.h>
#include <stdio.h>

typedef struct explain_selection {
	bool all;                   /* detail of every rule, not only the affected */
	bool rebalance;             /* the selected side is rebalance mode: the advice says
	                               what it serves */
	const char *selected_title; /* "rebalance", "compat" ... */
} explain_selection;

/* Print the text. Returns 0, or -1 when `out` failed. */
int explain_print_text(FILE *out, const explain_layout *l, const rb_input *in,
                       const rb_explanation *ex, const explain_selection *sel);

/* True when the rule answers 500, 503 or resets on either side. */
bool explain_rule_affected(const rb_explained_rule *r);

#endif
