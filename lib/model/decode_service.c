/* Service, ServiceImport and EndpointSlice ([svc.port-by-number] [input.slices.owner]). */
#include "model/schemas.h"
#include "rebalance/errors.h"

static const rb__field SERVICE_PORT_FIELDS[] = {
	RB_F_STR("name", rb__service_port, name),
	RB_F_U32_REQ("port", rb__service_port, port, has_port, 1, 65535),
	RB_F_STR("protocol", rb__service_port, protocol),
	RB_F_STR("appProtocol", rb__service_port, app_protocol),
};
static int service_port_post(rb__dctx *d, const rb__node *map, void *base)
{
	(void)d;
	(void)map;
	rb__service_port *p = base;
	if (!p->name)
		p->name = "";
	return RB_OK;
}
static const rb__schema SERVICE_PORT =
	RB_SCHEMA("a Service port", rb__service_port, SERVICE_PORT_FIELDS, service_port_post);

static const rb__field SERVICE_SPEC_FIELDS[] = {
	RB_F_STR("type", rb__service, type),
	RB_F_STR("clusterIP", rb__service, cluster_ip),
	RB_F_LIST_SHARED("ports", rb__service, ports, port_count, SERVICE_PORT, 0),
	RB_F_STR("trafficDistribution", rb__service, traffic_distribution),
	RB_F_STR("ipFamilyPolicy", rb__service, ip_family_policy),
	RB_F_STRS("ipFamilies", rb__service, ip_families, ip_family_count),
};
static const rb__schema SERVICE_SPEC = RB_SCHEMA("a Service spec", rb__service, SERVICE_SPEC_FIELDS, NULL);

static int service_post(rb__dctx *d, const rb__node *map, void *base)
{
	return rb__check_object_meta(d, map, &((rb__service *)base)->meta, "a Service");
}

static const rb__field SERVICE_FIELDS[] = {
	RB_F_OBJECT_META(rb__service),
	RB_F_NEST("spec", SERVICE_SPEC),
};
const rb__schema rb__schema_service = RB_SCHEMA("a Service", rb__service, SERVICE_FIELDS, service_post);

static const rb__field SERVICE_IMPORT_SPEC_FIELDS[] = {
	RB_F_STRS("ips", rb__service_import, ips, ip_count),
	RB_F_LIST("ports", rb__service_import, ports, port_count, SERVICE_PORT),
};
static const rb__schema SERVICE_IMPORT_SPEC =
	RB_SCHEMA("a ServiceImport spec", rb__service_import, SERVICE_IMPORT_SPEC_FIELDS, NULL);

static int service_import_post(rb__dctx *d, const rb__node *map, void *base)
{
	return rb__check_object_meta(d, map, &((rb__service_import *)base)->meta, "a ServiceImport");
}

static const rb__field SERVICE_IMPORT_FIELDS[] = {
	RB_F_OBJECT_META(rb__service_import),
	RB_F_NEST("spec", SERVICE_IMPORT_SPEC),
};
const rb__schema rb__schema_service_import =
	RB_SCHEMA("a ServiceImport", rb__service_import, SERVICE_IMPORT_FIELDS, service_import_post);

/* EndpointSlice ports: name, number and protocol are all optional ([input.slices.port-defaults]).
 */
static const rb__field SLICE_PORT_FIELDS[] = {
	RB_F_STR("name", rb__slice_port, name),
	RB_F_U32("port", rb__slice_port, port, has_port, 0, 65535),
	RB_F_STR("protocol", rb__slice_port, protocol),
};
static int slice_port_post(rb__dctx *d, const rb__node *map, void *base)
{
	(void)d;
	(void)map;
	rb__slice_port *p = base;
	if (!p->name)
		p->name = "";
	return RB_OK;
}
static const rb__schema SLICE_PORT =
	RB_SCHEMA("an EndpointSlice port", rb__slice_port, SLICE_PORT_FIELDS, slice_port_post);

static const rb__field CONDITIONS_FIELDS[] = {
	RB_F_TRI("ready", rb__slice_endpoint, ready),
	RB_F_TRI("serving", rb__slice_endpoint, serving),
	RB_F_TRI("terminating", rb__slice_endpoint, terminating),
};
static const rb__schema CONDITIONS = RB_SCHEMA("endpoint conditions", rb__slice_endpoint, CONDITIONS_FIELDS, NULL);

static const rb__field SLICE_ENDPOINT_FIELDS[] = {
	RB_F_STRS_MAX("addresses", rb__slice_endpoint, addresses, address_count, 100),
	RB_F_NEST("conditions", CONDITIONS),
	RB_F_STR("zone", rb__slice_endpoint, zone),
};
static const rb__schema SLICE_ENDPOINT =
	RB_SCHEMA("an EndpointSlice endpoint", rb__slice_endpoint, SLICE_ENDPOINT_FIELDS, NULL);

/* A slice is found through its service-name label, never by its own name (Envoy
 * Gateway's translator groups slices by that label): an unnamed one is used. */
static int endpoint_slice_post(rb__dctx *d, const rb__node *map, void *base)
{
	(void)d;
	(void)map;
	rb__endpoint_slice *s = base;
	if (!s->meta.name)
		s->meta.name = "";
	return RB_OK;
}

static const rb__field ENDPOINT_SLICE_FIELDS[] = {
	RB_F_OBJECT_META(rb__endpoint_slice),
	RB_F_STR("addressType", rb__endpoint_slice, address_type),
	RB_F_LIST_SHARED("ports", rb__endpoint_slice, ports, port_count, SLICE_PORT, 100),
	RB_F_LIST_MAX("endpoints", rb__endpoint_slice, endpoints, endpoint_count, SLICE_ENDPOINT,
	              1000),
};
const rb__schema rb__schema_endpoint_slice =
	RB_SCHEMA("an EndpointSlice", rb__endpoint_slice, ENDPOINT_SLICE_FIELDS, endpoint_slice_post);

/* core/v1 Endpoints: only the name, to warn that EndpointSlices are what counts. */
static const rb__field LEGACY_ENDPOINTS_FIELDS[] = {
	RB_F_OBJECT_META(rb__legacy_endpoints),
};
const rb__schema rb__schema_legacy_endpoints =
	RB_SCHEMA("an Endpoints object", rb__legacy_endpoints, LEGACY_ENDPOINTS_FIELDS, NULL);
