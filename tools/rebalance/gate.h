/*
 * explain --fail-on: a CI gate on the shares answered 5xx. The gate trips
 * when any rule, in the selected mode, answers more than the given share of
 * its requests with the given status.
 */
#ifndef RB_CLI_GATE_H
#define RB_CLI_GATE_H

#include "rebalance/rebalance.h"

#include <stdbool.h>
#include <stdio.h>

typedef struct cli_gate {
	const char *spec; /* as given, for messages */
	bool on_500, on_503;
	double percent; /* trips above this share, 0..100 */
} cli_gate;

/* "5xx", "503" or "500", optionally ":PERCENT" (0 to 100, may end in %). */
bool cli_gate_parse(const char *spec, cli_gate *gate);

/*
 * Check the explanation against the gates; print, on `err`, one line per
 * tripped gate naming the worst rule. Returns true when any gate trips.
 */
bool cli_gates_trip(const cli_gate *gates, size_t count, const rb_explanation *ex, FILE *err);

#endif
