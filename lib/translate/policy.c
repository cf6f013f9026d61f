/*
 * Whether rebalance applies to a rule (SPEC.md R.1): the mode decides --
 * exclusion of zero-endpoint settings is on in the default mode and off in
 * compat mode; strict readiness is on with RB_OPT_REBALANCE_NOT_READY.
 */
#include "translate/tr.h"

bool rb__rebalance_enabled(rb__tr *t, const rb__parent *p, const rb__route_rule *rule)
{
	(void)p;
	(void)rule;
	return !t->o->compat;
}

bool rb__rebalance_not_ready(rb__tr *t, const rb__parent *p, const rb__route_rule *rule)
{
	return rb__rebalance_enabled(t, p, rule) && t->o->rebalance_not_ready;
}
