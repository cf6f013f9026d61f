/*
 * validateBackendRef ([validate.order]), in its exact order; the first failure
 * wins. Condition type is ResolvedRefs for all of these; the messages are the
 * raw error texts (status.c formats them).
 *
 * Rules: [validate.filters.http] [validate.filters.grpc] [validate.group]
 * [validate.kind] [validate.port.required] [validate.port.protocol]
 * [validate.service.not-found] [validate.service.externalname]
 * [validate.backend.disabled] [validate.backend.not-found]
 * [validate.backend.dynamic-endpoints] [validate.backend.tls-ca]
 * [validate.backend.client-cert-ns] [validate.backend.addresses]
 * [validate.backend.unix].
 */
#include <stdio.h>
#include <string.h>

#include "core/strutil.h"
#include "rebalance/errors.h"
#include "translate/tr.h"

#define fail rb__ref_fail

/* The generic HTTPRoute filter check: the type names a known filter whose field is set. */
static bool http_filter_valid(rb__tr *t, const rb__filter *f)
{
	if (!strcmp(f->type, "RequestHeaderModifier"))
		return f->has_request_header_modifier;
	if (!strcmp(f->type, "ResponseHeaderModifier"))
		return f->has_response_header_modifier;
	if (!strcmp(f->type, "URLRewrite"))
		return f->has_url_rewrite;
	if (!strcmp(f->type, "ExtensionRef")) {
		if (!f->has_extension_ref)
			return false;
		return rb__is_known_filter_ref(t, &f->extension_ref);
	}
	return false;
}

/* Step 1: backendRef filters (HTTP and GRPC only). */
static int check_filters(rb__tr *t, const rb__route *r, const rb__backend_ref *br,
                         rb__ref_result *res)
{
	if (r->kind == RB_ROUTE_GRPC) {
		for (size_t i = 0; i < br->filter_count; i++) {
			const char *type = br->filters[i].type;
			if (strcmp(type, "RequestHeaderModifier") && strcmp(type, "ResponseHeaderModifier"))
				return fail(res, RB_REF_UNSUPPORTED_REF_VALUE,
				            "Specific filter is not supported within BackendRef, only "
				            "RequestHeaderModifier and ResponseHeaderModifier are supported");
		}
		return RB_OK;
	}
	if (r->kind != RB_ROUTE_HTTP)
		return RB_OK;
	bool unsupported = false;
	for (size_t i = 0; i < br->filter_count; i++) {
		const rb__filter *f = &br->filters[i];
		/* A URLRewrite with a path fails at once, even after an unsupported filter. */
		if (!strcmp(f->type, "URLRewrite") && f->has_url_rewrite && f->rewrite_has_path)
			return fail(res, RB_REF_UNSUPPORTED_REF_VALUE,
			            "URLRewrite path modifier is not supported within BackendRef");
		if (!http_filter_valid(t, f))
			unsupported = true;
	}
	if (unsupported)
		return fail(res, RB_REF_UNSUPPORTED_REF_VALUE,
		            "Specific filter is not supported within BackendRef, only "
		            "RequestHeaderModifier, ResponseHeaderModifier, URLRewrite and "
		            "gateway.envoyproxy.io/HTTPRouteFilter are supported");
	return RB_OK;
}

static bool port_protocol_matches(const rb__service_port *p, uint32_t port, const char *protocol)
{
	return p->has_port && p->port == port && !strcmp(p->protocol ? p->protocol : "TCP", protocol);
}

/* Step 7b: a Backend with tls needs a CA from itself or from a BackendTLSPolicy. */
static bool backend_tls_has_ca(rb__tr *t, const rb__backend *b)
{
	if (b->tls_insecure_skip_verify == RB_TRI_TRUE || b->tls_well_known_ca || b->tls_ca_ref_count)
		return true;
	const rb__vec *policies = &t->m->backend_tls_policies;
	/* Ports named by sectionName targets; the check needs every distinct endpoint port. */
	char named[64][8];
	size_t named_count = 0;
	for (size_t i = 0; i < policies->len; i++) {
		const rb__backend_tls_policy *p = RB_VEC_AT(policies, const rb__backend_tls_policy *, i);
		for (size_t j = 0; j < p->targets.ref_count; j++) {
			const rb__policy_target *tr = &p->targets.refs[j];
			if (!rb__str_eq(tr->group, RB_GROUP_ENVOY_GATEWAY) || strcmp(tr->kind, RB_KIND_BACKEND) ||
			    strcmp(tr->name, b->meta.name))
				continue;
			if (!tr->section_name) {
				if (p->well_known_ca || p->ca_ref_count)
					return true;
			} else if (named_count < 64 && strlen(tr->section_name) < 8) {
				strcpy(named[named_count++], tr->section_name);
			}
		}
	}
	bool any_port = false;
	for (size_t i = 0; i < b->endpoint_count; i++) {
		const rb__backend_endpoint *e = &b->endpoints[i];
		if (e->kind == RB_BEP_UNIX || !e->has_port)
			continue;
		any_port = true;
		char port[8];
		snprintf(port, sizeof port, "%u", e->port);
		bool found = false;
		for (size_t k = 0; k < named_count && !found; k++)
			found = !strcmp(named[k], port);
		if (!found)
			return false;
	}
	return any_port;
}

/* Backend object validation (step 7, a-d), then unix sockets. */
static int check_backend(rb__tr *t, const rb__backend *b, rb__ref_result *res)
{
	if (rb__str_eq(b->type, "DynamicResolver") && b->endpoint_count)
		return fail(res, RB_REF_INVALID_BACKEND_REF, "DynamicResolver type cannot have endpoints specified");
	if (b->has_tls && !backend_tls_has_ca(t, b))
		return fail(res, RB_REF_INVALID_BACKEND_REF,
		            "must specify either CACertificateRefs or WellKnownCACertificates when "
		            "InsecureSkipVerify is unset or false");
	if (b->has_tls_client_cert && b->tls_client_cert_namespace &&
	    strcmp(b->tls_client_cert_namespace, b->meta.namespace_))
		return fail(res, RB_REF_INVALID_BACKEND_REF,
		            rb__arena_printf(t->out,
		                             "clientCertificateRef Secret is not located in the same "
		                             "namespace as Backend. Secret namespace: %s does not match "
		                             "Backend namespace: %s",
		                             b->tls_client_cert_namespace, b->meta.namespace_));
	rb__ref_reason reason;
	const char *msg = rb__check_backend_addresses(t, b, &reason);
	if (msg)
		return fail(res, reason, msg);
	for (size_t i = 0; i < b->endpoint_count; i++)
		if (b->endpoints[i].kind == RB_BEP_UNIX)
			return fail(res, RB_REF_UNSUPPORTED_ADDRESS_TYPE,
			            "unix domain sockets are not supported in backend references");
	return RB_OK;
}

int rb__validate_backend_ref(rb__tr *t, const rb__route *r, const rb__backend_ref *br,
                             const rb__backend_target *bt, rb__ref_result *res)
{
	const rb__object_ref *ref = &br->ref;
	const char *group = bt->group;
	const char *kind = bt->kind;
	const char *ns = bt->namespace_;
	int rc = check_filters(t, r, br, res);
	if (rc || res->reason)
		return rc;
	if (group[0] && strcmp(group, RB_GROUP_MCS) && strcmp(group, RB_GROUP_ENVOY_GATEWAY))
		return fail(res, RB_REF_INVALID_KIND,
		            "Group is invalid, only the core API group (specified by omitting the group "
		            "field or setting it to an empty string), multicluster.x-k8s.io and "
		            "gateway.envoyproxy.io are supported");
	if (bt->backend_kind == RB_BACKEND_UNKNOWN)
		return fail(res, RB_REF_INVALID_KIND,
		            "Kind is invalid, only Service, MCS ServiceImport and Envoy Gateway Backend "
		            "are supported");
	if (bt->cross_namespace && !rb__ref_permitted(t, r, group, kind, ns, ref->name))
		return fail(res, RB_REF_NOT_PERMITTED,
		            rb__arena_printf(t->out,
		                             "Backend ref to %s %s/%s not permitted by any ReferenceGrant.",
		                             kind, ns, ref->name));
	if (bt->backend_kind != RB_BACKEND_BACKEND && !ref->has_port)
		return fail(res, RB_REF_PORT_NOT_SPECIFIED,
		            "A valid port number corresponding to a port on the Service must be specified");
	const char *protocol = r->kind == RB_ROUTE_UDP ? "UDP" : "TCP";

	if (bt->backend_kind == RB_BACKEND_SERVICE) {
		const rb__service *s = rb__find_service(t, ns, ref->name);
		if (!s)
			return fail(res, RB_REF_BACKEND_NOT_FOUND,
			            rb__arena_printf(t->out, "service %s/%s not found", ns, ref->name));
		if (rb__is_external_name(s))
			return rb__ref_fail_external_name(t, res, ns, ref->name);
		for (size_t i = 0; i < s->port_count; i++)
			if (port_protocol_matches(&s->ports[i], ref->port, protocol))
				return RB_OK;
		return fail(res, RB_REF_PORT_NOT_FOUND,
		            rb__arena_printf(t->out, "%s Port %u not found on Service %s/%s", protocol,
		                             ref->port, ns, ref->name));
	}
	if (bt->backend_kind == RB_BACKEND_SERVICE_IMPORT) {
		const rb__service_import *si = rb__find_service_import(t, ns, ref->name);
		if (!si)
			return fail(res, RB_REF_BACKEND_NOT_FOUND,
			            rb__arena_printf(t->out, "service import %s/%s not found", ns, ref->name));
		for (size_t i = 0; i < si->port_count; i++)
			if (port_protocol_matches(&si->ports[i], ref->port, protocol))
				return RB_OK;
		return fail(res, RB_REF_PORT_NOT_FOUND,
		            rb__arena_printf(t->out, "%s port %u not found on service import %s/%s",
		                             protocol, ref->port, ns, ref->name));
	}
	/* Backend: disabled wins even over "not found". */
	if (t->o->backend_disabled)
		return fail(res, RB_REF_UNSUPPORTED_VALUE, "Backend is disabled in Envoy Gateway configuration");
	const rb__backend *b = rb__find_backend(t, ns, ref->name);
	if (!b)
		return fail(res, RB_REF_BACKEND_NOT_FOUND,
		            rb__arena_printf(t->out, "Backend %s/%s not found", ns, ref->name));
	return check_backend(t, b, res);
}
