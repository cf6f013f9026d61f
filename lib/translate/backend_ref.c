/*
 * A backendRef's vocabulary, decided in one place: its defaults (group, kind,
 * namespace), whether a group/kind is an extension kind, the failure it
 * reports, and the step every rule kind (rule_l4.c, rule_l7.c) takes per ref.
 *
 * Rules: [input.backendref.defaults] [custom.select] [dest.one-per-ref].
 */
#include <string.h>

#include "core/buf.h"
#include "core/strutil.h"
#include "rebalance/errors.h"
#include "translate/tr.h"

bool rb__is_extension_kind(const rb__tr *t, const char *group, const char *kind)
{
	for (size_t i = 0; i < t->o->extension_kind_count; i++) {
		const rb__group_kind_pair *gk = &t->o->extension_kinds[i];
		if (rb__str_eq(gk->group, group) && rb__str_eq(gk->kind, kind))
			return true;
	}
	return false;
}

bool rb__is_known_filter_ref(const rb__tr *t, const rb__object_ref *e)
{
	return (rb__str_eq(e->group, RB_GROUP_ENVOY_GATEWAY) &&
	        rb__str_eq(e->kind, RB_KIND_HTTP_ROUTE_FILTER)) ||
	       rb__is_extension_kind(t, e->group, e->kind);
}

void rb__resolve_backend_ref(const rb__tr *t, const rb__route *r, const rb__backend_ref *br,
                             rb__backend_target *out)
{
	const rb__object_ref *ref = &br->ref;
	out->group = ref->group ? ref->group : RB_GROUP_CORE;
	out->kind = rb__backend_ref_kind(ref->kind);
	out->cross_namespace =
	    !rb__str_empty(ref->namespace_) && strcmp(ref->namespace_, r->meta.namespace_);
	out->namespace_ = rb__str_empty(ref->namespace_) ? r->meta.namespace_ : ref->namespace_;
	out->backend_kind = rb__is_extension_kind(t, out->group, out->kind)
	                            ? RB_BACKEND_CUSTOM
	                            : rb__backend_kind_of(out->kind);
}

int rb__ref_fail(rb__ref_result *res, rb__ref_reason reason, const char *message)
{
	res->reason = reason;
	res->message = message;
	return message ? RB_OK : RB_ENOMEM;
}

bool rb__is_external_name(const rb__service *s)
{
	return rb__str_eq(s->type, RB_SERVICE_TYPE_EXTERNAL_NAME);
}

int rb__ref_fail_external_name(rb__tr *t, rb__ref_result *res, const char *ns, const char *name)
{
	return rb__ref_fail(res, RB_REF_UNSUPPORTED_VALUE,
	                    rb__arena_printf(t->out,
	                                     "Service %s/%s is of type ExternalName, which is not "
	                                     "supported as a backend; use an Envoy Gateway Backend "
	                                     "resource with an FQDN endpoint instead",
	                                     ns, name));
}

rb__cond_type rb__ref_condition(rb__ref_reason reason)
{
	return reason == RB_REF_ENDPOINTS_NOT_FOUND ? RB_COND_BACKENDS_AVAILABLE
	                                            : RB_COND_RESOLVED_REFS;
}

int rb__rule_backend_ref(rb__tr *t, const rb__parent *p, const rb__route_rule *rule,
                         size_t index, const char *dest_name, rb__ir_ref *ref,
                         rb__ref_result *res)
{
	char num[24];
	rb__fmt_u64(num, index);
	const char *const parts[] = {dest_name, "/backend/", num};
	ref->name = rb__arena_cat(t->out, parts, 3, NULL);
	if (!ref->name)
		return RB_ENOMEM;
	int rc = rb__process_backend_ref(t, p, rule, &rule->backend_refs[index], ref->name, res);
	if (rc)
		return rc;
	ref->weight = res->ds.weight;
	ref->backend = &rule->backend_refs[index];
	ref->namespace_ = res->target_namespace;
	return RB_OK;
}
