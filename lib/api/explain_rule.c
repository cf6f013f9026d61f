/* Accessors of an explanation added with the operator's view of explain:
 * rule names, listeners, caveats, and what each ref causes. */
#include "explain/explain.h"

const char *rb_explained_rule_name(const rb_explained_rule *r)
{
	return r ? r->rule_name : NULL;
}

const char *rb_explained_rule_listeners(const rb_explained_rule *r)
{
	return r ? r->listeners : NULL;
}

const char *rb_explained_rule_caveat(const rb_explained_rule *r)
{
	return r ? r->caveat : NULL;
}

double rb_explained_ref_outcome(const rb_explained_ref *ref, rb_side side, rb_outcome outcome)
{
	if (!ref || (side != RB_SIDE_UPSTREAM && side != RB_SIDE_SELECTED) ||
	    (unsigned)outcome > RB_OUTCOME_OTHER)
		return 0;
	return ref->view[side].caused[outcome];
}

const char *rb_envoy_model_version(void)
{
	return RB_ENVOY_MODEL_VERSION;
}
