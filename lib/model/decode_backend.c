/* Envoy Gateway Backend ([backend.endpoints]). */
#include "model/schemas.h"
#include "rebalance/errors.h"

static const rb__field IP_FIELDS[] = {
	RB_F_STR_REQ("address", rb__backend_endpoint, address),
	RB_F_U32("port", rb__backend_endpoint, port, has_port, 0, 65535),
};
static const rb__schema IP = RB_SCHEMA("an ip endpoint", rb__backend_endpoint, IP_FIELDS, NULL);

static const rb__field FQDN_FIELDS[] = {
	RB_F_STR_REQ("hostname", rb__backend_endpoint, address),
	RB_F_U32("port", rb__backend_endpoint, port, has_port, 0, 65535),
};
static const rb__schema FQDN = RB_SCHEMA("an fqdn endpoint", rb__backend_endpoint, FQDN_FIELDS, NULL);

static const rb__field UNIX_FIELDS[] = {
	RB_F_STR_REQ("path", rb__backend_endpoint, address),
};
static const rb__schema UNIX = RB_SCHEMA("a unix endpoint", rb__backend_endpoint, UNIX_FIELDS, NULL);

static int endpoint_post(rb__dctx *d, const rb__node *map, void *base)
{
	rb__backend_endpoint *e = base;
	int n = (int)e->has_ip + (int)e->has_fqdn + (int)e->has_unix;
	if (n != 1) {
		rb__node_error(d->diags, d->source, map,
		               "a Backend endpoint needs exactly one of ip, fqdn or unix (got %d)", n);
		return RB_EPARSE;
	}
	e->kind = e->has_ip ? RB_BEP_IP : e->has_fqdn ? RB_BEP_FQDN : RB_BEP_UNIX;
	return RB_OK;
}

static const rb__field ENDPOINT_FIELDS[] = {
	RB_F_NEST_HAS("ip", rb__backend_endpoint, has_ip, IP),
	RB_F_NEST_HAS("fqdn", rb__backend_endpoint, has_fqdn, FQDN),
	RB_F_NEST_HAS("unix", rb__backend_endpoint, has_unix, UNIX),
	RB_F_STR("hostname", rb__backend_endpoint, hostname),
	RB_F_STR("zone", rb__backend_endpoint, zone),
};
static const rb__schema ENDPOINT =
	RB_SCHEMA("a Backend endpoint", rb__backend_endpoint, ENDPOINT_FIELDS, endpoint_post);

static const rb__field CLIENT_CERT_FIELDS[] = {
	RB_F_STR("namespace", rb__backend, tls_client_cert_namespace),
};
static const rb__schema CLIENT_CERT =
	RB_SCHEMA("clientCertificateRef", rb__backend, CLIENT_CERT_FIELDS, NULL);

static const rb__field TLS_FIELDS[] = {
	RB_F_TRI("insecureSkipVerify", rb__backend, tls_insecure_skip_verify),
	RB_F_STR("wellKnownCACertificates", rb__backend, tls_well_known_ca),
	RB_F_LIST("caCertificateRefs", rb__backend, tls_ca_refs, tls_ca_ref_count, rb__schema_ca_ref),
	RB_F_NEST_HAS("clientCertificateRef", rb__backend, has_tls_client_cert, CLIENT_CERT),
};
static const rb__schema TLS = RB_SCHEMA("Backend tls", rb__backend, TLS_FIELDS, NULL);

static const rb__field SPEC_FIELDS[] = {
	RB_F_STR("type", rb__backend, type),
	RB_F_LIST("endpoints", rb__backend, endpoints, endpoint_count, ENDPOINT),
	RB_F_STRS("appProtocols", rb__backend, app_protocols, app_protocol_count),
	RB_F_TRI("fallback", rb__backend, fallback),
	RB_F_NEST_HAS("tls", rb__backend, has_tls, TLS),
};
static const rb__schema SPEC = RB_SCHEMA("a Backend spec", rb__backend, SPEC_FIELDS, NULL);

static int backend_post(rb__dctx *d, const rb__node *map, void *base)
{
	return rb__check_object_meta(d, map, &((rb__backend *)base)->meta, "a Backend");
}

static const rb__field BACKEND_FIELDS[] = {
	RB_F_OBJECT_META(rb__backend),
	RB_F_NEST("spec", SPEC),
};
const rb__schema rb__schema_backend = RB_SCHEMA("a Backend", rb__backend, BACKEND_FIELDS, backend_post);
