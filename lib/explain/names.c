/*
 * The names explain's data uses for its enums (rb_ref_state, rb_routing), in
 * the module that defines their meaning; the public rb_*_name functions
 * (lib/api/explanation.c) hand them out.
 */
#include "explain/explain.h"

const char *rb__ref_state_name(rb_ref_state state)
{
	static const char *const names[] = {
		"", "serving", "standby", "draining", "panic", "noEndpoints", "invalid",
		"excluded", "excludedNotReady", "zeroWeight", "dropped", "unrouted",
	};
	return (unsigned)state < sizeof names / sizeof names[0] ? names[state] : "";
}

const char *rb__routing_name(rb_routing routing)
{
	static const char *const names[] = {"none", "directResponse", "cluster", "weightedClusters",
	                                    "l4Cluster"};
	return (unsigned)routing < sizeof names / sizeof names[0] ? names[routing] : "";
}
