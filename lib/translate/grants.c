/*
 * ReferenceGrant ([validate.cross-namespace]; also a Gateway's certificate Secrets): a backendRef
 * into another namespace is permitted iff a grant in the target namespace has a matching `from`
 * (group gateway.networking.k8s.io, the route kind, the route namespace) and a matching `to` (the
 * ref's group, its defaulted kind, and no name or the ref's name). Every comparison is exact.
 */
#include <string.h>

#include "core/strutil.h"
#include "translate/tr.h"

static bool from_matches(const rb__reference_grant *g, const char *group, const char *kind,
                         const char *ns)
{
	for (size_t i = 0; i < g->from_count; i++) {
		const rb__grant_from *f = &g->from[i];
		if (rb__str_eq(f->group, group) && !strcmp(f->kind, kind) &&
		    rb__str_eq(f->namespace_, ns))
			return true;
	}
	return false;
}

static bool to_matches(const rb__reference_grant *g, const char *group, const char *kind,
                       const char *name)
{
	for (size_t i = 0; i < g->to_count; i++) {
		const rb__grant_to *to = &g->to[i];
		if (rb__str_eq(to->group, group) && !strcmp(to->kind, kind) &&
		    (rb__str_empty(to->name) || !strcmp(to->name, name)))
			return true;
	}
	return false;
}

bool rb__grant_permits(rb__tr *t, const char *from_kind, const char *from_ns, const char *group,
                       const char *kind, const char *target_ns, const char *name)
{
	return rb__grant_permits_from(t, RB_GROUP_GATEWAY, from_kind, from_ns, group, kind,
	                              target_ns, name);
}

bool rb__grant_permits_from(rb__tr *t, const char *from_group, const char *from_kind,
                            const char *from_ns, const char *group, const char *kind,
                            const char *target_ns, const char *name)
{
	rb__tr_dep(t, RB_DEP_GRANTS, target_ns, "");
	const rb__vec *grants = &t->m->reference_grants;
	for (size_t i = 0; i < grants->len; i++) {
		const rb__reference_grant *g = RB_VEC_AT(grants, const rb__reference_grant *, i);
		if (!strcmp(g->meta.namespace_, target_ns) && from_matches(g, from_group, from_kind, from_ns) &&
		    to_matches(g, group, kind, name))
			return true;
	}
	return false;
}

bool rb__ref_permitted(rb__tr *t, const rb__route *r, const char *group, const char *kind,
                       const char *target_ns, const char *name)
{
	return rb__grant_permits(t, rb__route_kind_name(r->kind), r->meta.namespace_, group, kind,
	                         target_ns, name);
}
