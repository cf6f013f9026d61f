/* explain --fail-on: the gate's syntax and its verdict. */
#include "gate.h"

#include <stdlib.h>
#include <string.h>

bool cli_gate_parse(const char *spec, cli_gate *gate)
{
	memset(gate, 0, sizeof *gate);
	gate->spec = spec;
	const char *colon = strchr(spec, ':');
	size_t n = colon ? (size_t)(colon - spec) : strlen(spec);
	if (n == 3 && !strncmp(spec, "5xx", 3))
		gate->on_500 = gate->on_503 = true;
	else if (n == 3 && !strncmp(spec, "503", 3))
		gate->on_503 = true;
	else if (n == 3 && !strncmp(spec, "500", 3))
		gate->on_500 = true;
	else
		return false;
	if (!colon)
		return true; /* any request answered so trips it */
	const char *p = colon + 1;
	if (*p < '0' || *p > '9')
		return false;
	char *end;
	double v = strtod(p, &end);
	if (*end == '%')
		end++;
	if (*end || !(v >= 0 && v <= 100))
		return false;
	gate->percent = v;
	return true;
}

/* The share of the rule's requests a gate counts, in percent. */
static double gated_percent(const cli_gate *g, const rb_explained_rule *r)
{
	double share = 0;
	if (g->on_500)
		share += rb_explained_rule_share(r, RB_SIDE_SELECTED, RB_OUTCOME_500);
	if (g->on_503)
		share += rb_explained_rule_share(r, RB_SIDE_SELECTED, RB_OUTCOME_503);
	return share * 100;
}

/*
 * Shares come from weights (90/10 is 0.1 give or take a rounding), so a
 * share counts as above the threshold only beyond a millionth of a percent.
 */
static bool above(double percent, double threshold)
{
	return percent > threshold + 1e-6;
}

static void print_rule(FILE *err, const rb_explained_rule *r)
{
	const rb_destination *d = r ? rb_explained_rule_destination(r, RB_SIDE_SELECTED) : NULL;
	fprintf(err, "%s", d ? rb_destination_name(d) : "a rule");
}

bool cli_gates_trip(const cli_gate *gates, size_t count, const rb_explanation *ex, FILE *err)
{
	bool tripped = false;
	size_t rules = rb_explanation_rule_count(ex);
	for (size_t k = 0; k < count; k++) {
		const cli_gate *g = &gates[k];
		size_t over = 0;
		double worst = 0, total = 0;
		const rb_explained_rule *worst_rule = NULL;
		for (size_t i = 0; i < rules; i++) {
			const rb_explained_rule *r = rb_explanation_rule(ex, i);
			double pct = gated_percent(g, r);
			total += pct;
			if (above(pct, g->percent)) {
				over++;
				if (!worst_rule || pct > worst)
					worst = pct, worst_rule = r;
			}
		}
		/* every rule counts once: the overall share is their mean */
		double overall = rules ? total / (double)rules : 0;
		if (!over && !above(overall, g->percent))
			continue;
		tripped = true;
		fprintf(err,
		        "rebalance explain: --fail-on %s: %zu of %zu rules answer more than %g%% "
		        "%s (overall %.1f%%); worst: ",
		        g->spec, over, rules, g->percent,
		        g->on_500 && g->on_503 ? "5xx"
		        : g->on_503            ? "503"
		                               : "500",
		        overall);
		print_rule(err, worst_rule);
		fprintf(err, " %.1f%%\n", worst);
	}
	return tripped;
}
