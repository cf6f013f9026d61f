/*
 * Upstream TLS, as far as it decides validity ([dest.tls-before-endpoints] [tls.ca-refs]): a
 * BackendTLSPolicy that applies to the backend, or a Backend's own spec.tls,
 * must name CA certificates that exist. A reference to a missing ConfigMap,
 * Secret or ClusterTrustBundle, or one without a CA bundle, makes the
 * backendRef fail with InvalidBackendTLS -- before its endpoints are looked
 * at. So does a Gateway whose EnvoyProxy names a client certificate it
 * cannot use. Certificate contents are not parsed.
 *
 * Rules: [tls.policy-target] [tls.ca-refs] [tls.ca-required]
 * [tls.envoyproxy-client-cert].
 */
#include <stdio.h>
#include <string.h>

#include "core/strutil.h"
#include "rebalance/errors.h"
#include "translate/tr.h"

static const rb__ca_holder *find_holder(const rb__vec *v, const char *ns, const char *name)
{
	const rb__ca_holder *found = NULL;
	for (size_t i = 0; i < v->len; i++) {
		const rb__ca_holder *h = RB_VEC_AT(v, const rb__ca_holder *, i);
		if ((!ns || !strcmp(h->meta.namespace_, ns)) && !strcmp(h->meta.name, name))
			found = h; /* the last definition wins */
	}
	return found;
}

/* NULL when the CA reference resolves, else why not. */
static const char *ca_ref_error(rb__tr *t, const rb__ca_ref *ref, const char *ns)
{
	const char *kind = rb__str_empty(ref->kind) ? "ConfigMap" : ref->kind;
	bool found, has_ca;
	if (!strcmp(kind, "ConfigMap")) {
		const rb__ca_holder *h = find_holder(&t->m->config_maps, ns, ref->name);
		found = h != NULL;
		has_ca = h && h->has_ca;
	} else if (!strcmp(kind, "Secret")) {
		const rb__secret *s = rb__find_secret(t, ns, ref->name);
		found = s != NULL;
		has_ca = s && s->has_ca_crt;
	} else if (!strcmp(kind, "ClusterTrustBundle")) {
		const rb__ca_holder *h = find_holder(&t->m->cluster_trust_bundles, NULL, ref->name);
		found = h != NULL;
		has_ca = h && h->has_ca;
		if (!found)
			return rb__arena_printf(t->out, "unable to locate ClusterTrustBundle %s", ref->name);
		if (!has_ca)
			return rb__arena_printf(t->out, "no trust bundle found in ClusterTrustBundle %s",
			                        ref->name);
		return NULL;
	} else {
		return rb__arena_printf(t->out, "unsupported caCertificateRef kind %s", kind);
	}
	if (!found)
		return rb__arena_printf(t->out, "unable to locate %s %s/%s", kind, ns, ref->name);
	if (!has_ca)
		return rb__arena_printf(t->out, "no ca.crt found in %s %s/%s", kind, ns, ref->name);
	return NULL;
}

static const char *ca_refs_error(rb__tr *t, const rb__ca_ref *refs, size_t n, const char *ns)
{
	for (size_t i = 0; i < n; i++) {
		const char *err = ca_ref_error(t, &refs[i], ns);
		if (err)
			return err;
	}
	return NULL;
}

/* Does a policy target (group, kind, name, sectionName) select this backend and port? */
static bool targets(const rb__policy_target *tr, const char *group, const char *kind,
                    const char *name, const char *section)
{
	if (!rb__str_eq(tr->group, group) || strcmp(tr->kind, kind) || strcmp(tr->name, name))
		return false;
	return !tr->section_name || rb__str_eq(tr->section_name, section);
}

/* The section name a BackendTLSPolicy uses: the port name for Services and
 * ServiceImports, the port number for Backends. */
static const char *section_of(rb__tr *t, const char *kind, const char *ns, const rb__backend_ref *br,
                              char *num, size_t numlen)
{
	const rb__service_port *ports = NULL;
	size_t n = 0;
	if (!strcmp(kind, RB_KIND_SERVICE)) {
		const rb__service *s = rb__find_service(t, ns, br->ref.name);
		ports = s ? s->ports : NULL;
		n = s ? s->port_count : 0;
	} else if (!strcmp(kind, RB_KIND_SERVICE_IMPORT)) {
		const rb__service_import *si = rb__find_service_import(t, ns, br->ref.name);
		ports = si ? si->ports : NULL;
		n = si ? si->port_count : 0;
	} else {
		snprintf(num, numlen, "%u", br->ref.port);
		return num;
	}
	for (size_t i = 0; i < n; i++)
		if (ports[i].has_port && ports[i].port == br->ref.port)
			return ports[i].name;
	return "";
}

/*
 * The Gateway's EnvoyProxy backendTLS client certificate, which every upstream
 * TLS connection presents: its Secret must live in the EnvoyProxy's namespace
 * and exist (applyEnvoyProxyBackendTLSSetting).
 */
static const char *proxy_client_cert_error(rb__tr *t, const rb__gateway *g)
{
	const rb__envoy_proxy *ep = g ? rb__gateway_envoy_proxy(t, g) : NULL;
	if (!ep || !ep->has_backend_client_cert)
		return NULL;
	const rb__secret_ref *ref = &ep->backend_client_cert;
	const char *ns = rb__str_empty(ref->namespace_) ? ep->meta.namespace_ : ref->namespace_;
	if (strcmp(ns, ep->meta.namespace_))
		return rb__arena_printf(t->out,
		                        "ClientCertificateRef Secret is not located in the same namespace "
		                        "as EnvoyProxy. Secret namespace: %s does not match EnvoyProxy "
		                        "namespace: %s",
		                        ns, ep->meta.namespace_);
	const rb__secret *s = rb__find_secret(t, ns, ref->name);
	if (!s || !s->has_tls_crt || !s->has_tls_key)
		return rb__arena_printf(t->out, "failed to locate TLS secret for client auth: %s/%s",
		                        ns, ref->name);
	return NULL;
}

int rb__check_upstream_tls(rb__tr *t, const rb__gateway *g, const rb__backend_ref *br,
                           const rb__backend_target *bt, rb__ref_result *res)
{
	/* A BackendTLSPolicy targets a backend by its kind's own group. */
	const char *group;
	switch (bt->backend_kind) {
	case RB_BACKEND_SERVICE: group = RB_GROUP_CORE; break;
	case RB_BACKEND_SERVICE_IMPORT: group = RB_GROUP_MCS; break;
	case RB_BACKEND_BACKEND: group = RB_GROUP_ENVOY_GATEWAY; break;
	default: return RB_OK;
	}
	const char *kind = bt->kind;
	const char *ns = bt->namespace_;
	const char *err = NULL;
	bool tls = false; /* upstream TLS applies to this backend */
	char num[16];
	const char *section = section_of(t, kind, ns, br, num, sizeof num);
	const rb__vec *policies = &t->m->backend_tls_policies;
	for (size_t i = 0; i < policies->len && !err; i++) {
		const rb__backend_tls_policy *p = RB_VEC_AT(policies, const rb__backend_tls_policy *, i);
		if (strcmp(p->meta.namespace_, ns))
			continue;
		bool applies = false;
		for (size_t j = 0; j < p->targets.ref_count && !applies; j++)
			applies = targets(&p->targets.refs[j], group, kind, br->ref.name, section);
		if (!applies)
			continue;
		/* The first policy that applies decides. */
		err = ca_refs_error(t, p->ca_refs, p->ca_ref_count, ns);
		if (!err && !p->ca_ref_count && !p->well_known_ca)
			err = "CACertificate must be specified when InsecureSkipVerify is false";
		tls = true;
		break;
	}
	if (!err && !strcmp(kind, RB_KIND_BACKEND)) {
		const rb__backend *b = rb__find_backend(t, ns, br->ref.name);
		if (b && b->has_tls) {
			err = ca_refs_error(t, b->tls_ca_refs, b->tls_ca_ref_count, ns);
			tls = true;
		}
	}
	if (!err && tls)
		err = proxy_client_cert_error(t, g);
	if (err) {
		res->reason = RB_REF_INVALID_BACKEND_TLS;
		res->message = err;
	}
	return RB_OK;
}
