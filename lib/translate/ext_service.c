/*
 * The backendRefs of an external service a policy calls -- ExtAuth, ExtProc,
 * remote JWKS, OIDC provider -- as Envoy Gateway's
 * translateExtServiceBackendRefs / validateExtServiceBackendReference check
 * them. Close to a route's backendRef checks (validate.c) but not the same:
 * the ReferenceGrant is from the policy kind (group gateway.envoyproxy.io),
 * the Service port must be TCP, and an upstream TLS problem
 * (BackendTLSPolicy, Backend TLS) is the policy's error.
 *
 * Rules: [policy.ext-service].
 */
#include <string.h>

#include "core/strutil.h"
#include "rebalance/errors.h"
#include "translate/tr.h"

static const char *service_error(rb__tr *t, const char *ns, const rb__backend_ref *br)
{
	const rb__service *s = rb__find_service(t, ns, br->ref.name);
	if (!s)
		return rb__arena_printf(t->out, "service %s/%s not found", ns, br->ref.name);
	if (rb__is_external_name(s))
		return rb__arena_printf(t->out,
		                        "service %s/%s of type ExternalName is not supported", ns,
		                        br->ref.name);
	for (size_t i = 0; i < s->port_count; i++) {
		const rb__service_port *sp = &s->ports[i];
		if (sp->has_port && sp->port == br->ref.port &&
		    (!sp->protocol || !strcmp(sp->protocol, "TCP")))
			return NULL;
	}
	return rb__arena_printf(t->out, "TCP Port %u not found on service %s/%s", br->ref.port, ns,
	                        br->ref.name);
}

static const char *service_import_error(rb__tr *t, const char *ns, const rb__backend_ref *br)
{
	const rb__service_import *si = rb__find_service_import(t, ns, br->ref.name);
	if (!si)
		return rb__arena_printf(t->out, "service import %s/%s not found", ns, br->ref.name);
	for (size_t i = 0; i < si->port_count; i++)
		if (si->ports[i].has_port && si->ports[i].port == br->ref.port)
			return NULL;
	return rb__arena_printf(t->out, "TCP Port %u not found on service import %s/%s",
	                        br->ref.port, ns, br->ref.name);
}

static const char *ref_error(rb__tr *t, const rb__gateway *g, const rb__objmeta *policy,
                             const char *policy_kind, const rb__backend_ref *br)
{
	const char *group = br->ref.group ? br->ref.group : "";
	const char *kind = rb__str_empty(br->ref.kind) ? RB_KIND_SERVICE : br->ref.kind;
	if (*group && strcmp(group, RB_GROUP_MCS) && strcmp(group, RB_GROUP_ENVOY_GATEWAY))
		return rb__arena_printf(t->out,
		                        "group is invalid, only the core API group (specified "
		                        "by omitting the group field or setting it to an empty "
		                        "string), %s and %s are supported",
		                        RB_GROUP_MCS, RB_GROUP_ENVOY_GATEWAY);
	if (strcmp(kind, RB_KIND_SERVICE) && strcmp(kind, RB_KIND_SERVICE_IMPORT) && strcmp(kind, RB_KIND_BACKEND))
		return rb__arena_printf(t->out, "kind is invalid, only Service, ServiceImport and "
		                                "Backend are supported");
	if (strcmp(kind, RB_KIND_BACKEND) && !br->ref.has_port)
		return "a valid port number corresponding to a port on the Service must be "
		       "specified";
	const char *ns =
	    rb__str_empty(br->ref.namespace_) ? policy->namespace_ : br->ref.namespace_;
	if (strcmp(ns, policy->namespace_) &&
	    !rb__grant_permits_from(t, RB_GROUP_ENVOY_GATEWAY, policy_kind, policy->namespace_,
	                            group, kind, ns, br->ref.name))
		return rb__arena_printf(t->out,
		                        "backend ref to %s %s/%s not permitted by any "
		                        "ReferenceGrant",
		                        kind, ns, br->ref.name);
	const char *err = NULL;
	if (!strcmp(kind, RB_KIND_SERVICE)) {
		err = service_error(t, ns, br);
	} else if (!strcmp(kind, RB_KIND_SERVICE_IMPORT)) {
		err = service_import_error(t, ns, br);
	} else {
		const rb__backend *b = rb__find_backend(t, ns, br->ref.name);
		if (!b)
			err = rb__arena_printf(t->out, "backend %s/%s not found", ns, br->ref.name);
		else if (t->o->backend_disabled)
			err = "resource gateway.envoyproxy.io/Backend is disabled";
		else if (rb__str_eq(b->type, "DynamicResolver"))
			err = "DynamicResolver type is not supported for external services";
	}
	if (err)
		return err;
	rb__ref_result res;
	memset(&res, 0, sizeof res);
	/* The policy's backend named with the policy's namespace as the default. */
	rb__backend_target bt = {group, kind, ns, rb__backend_kind_of(kind), false};
	int rc = rb__check_upstream_tls(t, g, br, &bt, &res);
	if (rc)
		return "out of memory";
	return res.reason ? res.message : NULL;
}

/* Which address kinds a valid ref brings: bit 0 IP, bit 1 FQDN (unix sockets mix with IPs). */
static unsigned address_kinds(rb__tr *t, const rb__objmeta *policy, const rb__backend_ref *br)
{
	const char *kind = rb__str_empty(br->ref.kind) ? RB_KIND_SERVICE : br->ref.kind;
	if (strcmp(kind, RB_KIND_BACKEND))
		return 1;
	const char *ns = rb__str_empty(br->ref.namespace_) ? policy->namespace_ : br->ref.namespace_;
	const rb__backend *b = rb__find_backend(t, ns, br->ref.name);
	unsigned kinds = 0;
	for (size_t i = 0; b && i < b->endpoint_count; i++)
		kinds |= b->endpoints[i].kind == RB_BEP_IP     ? 1u
		         : b->endpoints[i].kind == RB_BEP_FQDN ? 2u
		                                                 : 0u;
	return kinds;
}

const char *rb__ext_service_error(rb__tr *t, const rb__gateway *g, const rb__objmeta *policy,
                                  const char *policy_kind, const rb__ext_service *svc)
{
	if (svc->has_ref)
		return ref_error(t, g, policy, policy_kind, &svc->ref);
	if (!svc->ref_count)
		return "no backendRefs specified";
	unsigned kinds = 0;
	for (size_t i = 0; i < svc->ref_count; i++) {
		const char *err = ref_error(t, g, policy, policy_kind, &svc->refs[i]);
		if (err)
			return err;
		kinds |= address_kinds(t, policy, &svc->refs[i]);
	}
	/* RouteDestination.HasMixedEndpoints: IP and FQDN endpoints in one destination. */
	if (kinds == 3)
		return "mixed endpoints address type for the same destination is not supported";
	return NULL;
}
