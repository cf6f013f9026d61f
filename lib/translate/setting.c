/*
 * One backendRef -> one DestinationSetting ([dest.dispatch]), with the kind
 * specific processing: custom backends ([custom.select]), Services
 * ([svc.port-by-number]), ServiceImports ([routing.serviceimport]), protocols
 * ([proto.refine]), Backends ([backend.endpoints]), metadata ([meta.backend]).
 *
 * Every backendRef yields a DS; on failure or weight 0 it is the empty DS
 * (name and weight only) and the caller decides what to do with it ([dest.one-per-ref]).
 *
 * Rules: [dest.one-per-ref] [dest.custom-first] [dest.zero-weight]
 * [dest.default-protocol] [dest.dispatch] [input.backendref.defaults]
 * [custom.lookup] [custom.setting] [svc.no-endpoints] [svc.ip-family]
 * [proto.force-http1] [proto.backend-list] [backend.dynamic-resolver]
 * [backend.fallback] [backend.no-endpoints] [routing.headless]
 * [input.annotations.prefix].
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/invariant.h"
#include "core/buf.h"
#include "core/strutil.h"
#include "rebalance/errors.h"
#include "translate/tr.h"

#define EG_PREFIX "gateway.envoyproxy.io/"

/* ---- metadata ([meta.backend]) ---- */

static int kv_cmp(const void *a, const void *b)
{
	return strcmp(((const rb__ir_kv *)a)->key, ((const rb__ir_kv *)b)->key);
}

/* Only gateway.envoyproxy.io/ annotations, prefix stripped, sorted by key. */
static int eg_annotations(rb__tr *t, const rb__objmeta *meta, rb__ir_metadata *md)
{
	size_t n = 0;
	for (size_t i = 0; i < meta->annotation_count; i++)
		n += rb__has_prefix(meta->annotations[i].key, EG_PREFIX);
	if (!n)
		return RB_OK;
	rb__ir_kv *kv = rb__arena_calloc(t->out, n, sizeof(*kv));
	if (!kv)
		return RB_ENOMEM;
	size_t j = 0;
	for (size_t i = 0; i < meta->annotation_count; i++) {
		if (!rb__has_prefix(meta->annotations[i].key, EG_PREFIX))
			continue;
		kv[j].key = meta->annotations[i].key + strlen(EG_PREFIX);
		kv[j].value = meta->annotations[i].value;
		j++;
	}
	qsort(kv, n, sizeof(*kv), kv_cmp);
	md->annotations = kv;
	md->annotation_count = n;
	return RB_OK;
}

static const rb__ir_metadata *make_metadata(rb__tr *t, const rb__objmeta *meta, const char *kind,
                                            const char *section_name)
{
	rb__ir_metadata *md = rb__arena_calloc(t->out, 1, sizeof(*md));
	if (!md)
		return NULL;
	md->kind = kind;
	md->name = meta->name;
	md->namespace_ = rb__str_empty(meta->namespace_) ? NULL : meta->namespace_;
	md->section_name = section_name;
	if (eg_annotations(t, meta, md))
		return NULL;
	return md;
}

/* Would make_metadata(meta, kind, section_name) read the same as md, made from meta? */
static bool metadata_reusable(const rb__ir_metadata *md, const char *kind,
                              const char *section_name)
{
	return md && md->kind == kind && rb__str_same(md->section_name, section_name);
}

/* The kind written in the object wins; the type's kind only when it is empty
 * ([input.kind.typemeta]). */
const rb__ir_metadata *rb__backend_metadata(rb__tr *t, const rb__objmeta *meta,
                                            const char *fallback_kind, const char *section_name)
{
	return make_metadata(t, meta, rb__str_empty(meta->kind) ? fallback_kind : meta->kind,
	                     section_name);
}

/*
 * The metadata of a Service or ServiceImport (obj, found as owner ns/name),
 * kept in its slice group (index.c) and shared by the settings of every ref
 * to it that reads the same: a backend named by many routes costs one copy.
 * The group forgets it when the engine changes the object (rb__index_set).
 */
static const rb__ir_metadata *group_metadata(rb__tr *t, rb__backend_kind owner, const char *ns,
                                             const char *name, const void *obj,
                                             const rb__objmeta *meta, const char *fallback_kind,
                                             const char *section_name)
{
	const char *kind = rb__str_empty(meta->kind) ? fallback_kind : meta->kind;
	rb__slice_group *g = rb__slice_group_of(t, owner, ns, name, false);
	if (g && g->backend != obj)
		g = NULL; /* (never: the lookup found obj through this group) */
	if (g && metadata_reusable(g->metadata, kind, section_name))
		return g->metadata;
	const rb__ir_metadata *md = make_metadata(t, meta, kind, section_name);
	if (g && md)
		g->metadata = md;
	return md;
}

const char *rb__destination_name(rb__tr *t, const rb__route *r, int32_t rule)
{
	return rb__arena_printf(t->out, "%s/%s/%s/rule/%d", rb__route_kind_prefix(r->kind),
	                        r->meta.namespace_, r->meta.name, rule);
}

const char *rb__destination_name_in_key(rb__tr *t, const rb__parent *p, int32_t rule,
                                        const char **key)
{
	const rb__route *r = p->route;
	const rb__objmeta *g = &p->gateway->meta;
	char num[24];
	rb__fmt_i64(num, rule);
	const char *const parts[] = {g->namespace_, "/", g->name, "/", rb__route_kind_prefix(r->kind),
	                             "/", r->meta.namespace_, "/", r->meta.name, "/rule/", num};
	*key = rb__arena_cat(t->out, parts, sizeof parts / sizeof parts[0], NULL);
	return *key ? *key + strlen(g->namespace_) + 1 + strlen(g->name) + 1 : NULL;
}

rb__ir_destination *rb__push_destination(rb__tr *t, rb__vec *dests, const rb__route *r,
                                         const char *name, int32_t rule)
{
	rb__ir_destination *d = rb__vec_push(t->mem, dests, sizeof(*d));
	if (!d)
		return NULL;
	d->name = name;
	d->route_kind = rb__route_kind_name(r->kind);
	d->route_namespace = r->meta.namespace_;
	d->route_name = r->meta.name;
	d->rule = rule;
	return d;
}

/* ---- protocols ([proto.refine]) ---- */

static bool is_ws(const char *app)
{
	return !strcmp(app, "kubernetes.io/ws") || !strcmp(app, "kubernetes.io/wss") ||
	       !strcmp(app, EG_PREFIX "ws") || !strcmp(app, EG_PREFIX "wss");
}

/* Refine the setting's protocol by one app protocol; only an HTTP default is refined. */
static void refine(rb__ir_setting *ds, const char *app)
{
	if (ds->protocol == RB_IR_PROTOCOL_HTTP) {
		if (!strcmp(app, "kubernetes.io/h2c") || !strcmp(app, EG_PREFIX "h2c"))
			ds->protocol = RB_IR_PROTOCOL_HTTP2;
		else if (!strcmp(app, "grpc"))
			ds->protocol = RB_IR_PROTOCOL_GRPC;
	}
	if (is_ws(app) && (ds->protocol == RB_IR_PROTOCOL_HTTP || ds->protocol == RB_IR_PROTOCOL_HTTP2 ||
	                   ds->protocol == RB_IR_PROTOCOL_GRPC))
		ds->force_http1 = true;
}

static rb__ir_protocol default_protocol(rb__route_kind k)
{
	switch (k) {
	case RB_ROUTE_HTTP:
		return RB_IR_PROTOCOL_HTTP;
	case RB_ROUTE_GRPC:
		return RB_IR_PROTOCOL_GRPC;
	case RB_ROUTE_UDP:
		return RB_IR_PROTOCOL_UDP;
	default:
		return RB_IR_PROTOCOL_TCP;
	}
}

/* ---- kinds ---- */

/* Validation found the object a processed ref names (rb__validate_backend_ref);
 * should it be gone, the ref fails as not found instead of reading NULL. */
static int vanished(rb__tr *t, rb__ref_result *res, const char *what, const char *ns,
                    const char *name)
{
	return rb__ref_fail(res, RB_REF_BACKEND_NOT_FOUND,
	                    rb__arena_printf(t->out, "%s %s/%s not found", what, ns, name));
}

static int endpoints_not_found(rb__tr *t, rb__ref_result *res, const char *what, const char *ns,
                               const char *name)
{
	return rb__ref_fail(res, RB_REF_ENDPOINTS_NOT_FOUND,
	                    rb__arena_printf(t->out, "no ready endpoints for the related %s %s/%s",
	                                     what, ns, name));
}

static const rb__service_port *port_by_number(const rb__service_port *ports, size_t n, uint32_t port)
{
	for (size_t i = 0; i < n; i++)
		if (ports[i].has_port && ports[i].port == port)
			return &ports[i];
	return NULL;
}

/* The port number as a string: the previous one when it is the same number
 * (most refs name the same port), so that metadata can be shared too. */
static int section_name(rb__tr *t, uint32_t port, const char **out)
{
	char text[24];
	text[rb__fmt_u64(text, port)] = '\0';
	*out = rb__arena_share(t->out, &t->last_section, text, strlen(text) + 1, 1, NULL);
	return *out ? RB_OK : RB_ENOMEM;
}

/* preferLocal from trafficDistribution or the topology-mode annotation ([svc.prefer-local]). */
static const rb__ir_prefer_local *prefer_local(rb__tr *t, const rb__service *s)
{
	uint32_t threshold = 0;
	if (!rb__str_empty(s->traffic_distribution)) {
		threshold = 1;
	} else {
		for (size_t i = 0; i < s->meta.annotation_count; i++) {
			const rb__kv *a = &s->meta.annotations[i];
			if (!strcmp(a->key, "service.kubernetes.io/topology-mode") &&
			    (!strcmp(a->value, "Auto") || !strcmp(a->value, "auto")))
				threshold = 3;
		}
	}
	if (!threshold)
		return NULL;
	rb__ir_prefer_local *pl = rb__arena_calloc(t->out, 1, sizeof(*pl));
	if (pl) {
		pl->min_endpoints_threshold = threshold;
		pl->min_endpoints_in_zone_threshold = threshold;
	}
	return pl;
}

static rb__ir_ip_family ip_family(const rb__service *s)
{
	if (rb__str_eq(s->ip_family_policy, "RequireDualStack") || s->ip_family_count > 1)
		return RB_IR_IP_FAMILY_DUAL_STACK;
	if (s->ip_family_count == 1) {
		if (!strcmp(s->ip_families[0], "IPv4"))
			return RB_IR_IP_FAMILY_IPV4;
		if (!strcmp(s->ip_families[0], "IPv6"))
			return RB_IR_IP_FAMILY_IPV6;
	}
	return RB_IR_IP_FAMILY_NONE;
}

/* Service ([svc.port-by-number]). */
static int process_service(rb__tr *t, const rb__parent *p, const rb__route_rule *rule,
                           const rb__backend_ref *br, const char *ns, rb__ref_result *res)
{
	rb__ir_setting *ds = &res->ds;
	const rb__service *s = rb__find_service(t, ns, br->ref.name);
	if (NEVER(!s))
		return vanished(t, res, "service", ns, br->ref.name);
	/* Validation refused an ExternalName Service (rb__validate_backend_ref). */
	if (NEVER(rb__is_external_name(s)))
		return rb__ref_fail_external_name(t, res, ns, br->ref.name);
	/* Processing picks the port by number alone (validation also matched the protocol). */
	const rb__service_port *sp = port_by_number(s->ports, s->port_count, br->ref.port);
	if (sp && sp->app_protocol)
		refine(ds, sp->app_protocol);
	bool headless = rb__str_eq(s->cluster_ip, "None");
	ds->service_routing = rb__service_routing(t, p, rule);
	if (!ds->service_routing || headless) {
		int rc = rb__slice_endpoints(t, RB_BACKEND_SERVICE, ns, br->ref.name, sp ? sp->name : "",
		                             sp && sp->protocol ? sp->protocol : "TCP", &ds->endpoints,
		                             &ds->endpoint_count, &ds->address_type);
		if (rc)
			return rc;
		if (!ds->endpoint_count)
			return endpoints_not_found(t, res, RB_KIND_SERVICE, ns, br->ref.name);
	} else {
		rb__ir_endpoint *ep = rb__arena_calloc(t->out, 1, sizeof(*ep));
		if (!ep)
			return RB_ENOMEM;
		ep->host = s->cluster_ip ? s->cluster_ip : "";
		ep->port = br->ref.port;
		ds->endpoints = ep;
		ds->endpoint_count = 1;
	}
	ds->prefer_local = prefer_local(t, s);
	ds->ip_family = (uint8_t)ip_family(s);
	const char *section;
	if (section_name(t, br->ref.port, &section))
		return RB_ENOMEM;
	ds->metadata = group_metadata(t, RB_BACKEND_SERVICE, ns, br->ref.name, s, &s->meta,
	                              RB_KIND_SERVICE, section);
	return ds->metadata ? RB_OK : RB_ENOMEM;
}

/* ServiceImport ([routing.serviceimport]): like a Service; Service routing gives one endpoint per
 * IP. */
static int process_service_import(rb__tr *t, const rb__parent *p, const rb__route_rule *rule,
                                  const rb__backend_ref *br, const char *ns, rb__ref_result *res)
{
	rb__ir_setting *ds = &res->ds;
	const rb__service_import *si = rb__find_service_import(t, ns, br->ref.name);
	if (NEVER(!si))
		return vanished(t, res, "service import", ns, br->ref.name);
	const rb__service_port *sp = port_by_number(si->ports, si->port_count, br->ref.port);
	if (sp && sp->app_protocol)
		refine(ds, sp->app_protocol);
	bool headless = si->ip_count == 0;
	ds->service_routing = rb__service_routing(t, p, rule);
	if (!ds->service_routing || headless) {
		int rc = rb__slice_endpoints(t, RB_BACKEND_SERVICE_IMPORT, ns, br->ref.name, sp ? sp->name : "",
		                             sp && sp->protocol ? sp->protocol : "TCP", &ds->endpoints,
		                             &ds->endpoint_count, &ds->address_type);
		if (rc)
			return rc;
		if (!ds->endpoint_count)
			return endpoints_not_found(t, res, RB_KIND_SERVICE_IMPORT, ns, br->ref.name);
	} else {
		if (si->ip_count > UINT32_MAX)
			return RB_ELIMIT; /* far past any input the limits let through */
		rb__ir_endpoint *eps = rb__arena_calloc(t->out, si->ip_count, sizeof(*eps));
		if (!eps)
			return RB_ENOMEM;
		for (size_t i = 0; i < si->ip_count; i++) {
			eps[i].host = si->ips[i];
			eps[i].port = br->ref.port;
		}
		ds->endpoints = eps;
		ds->endpoint_count = (uint32_t)si->ip_count;
	}
	const char *section;
	if (section_name(t, br->ref.port, &section))
		return RB_ENOMEM;
	ds->metadata = group_metadata(t, RB_BACKEND_SERVICE_IMPORT, ns, br->ref.name, si,
	                              &si->meta, RB_KIND_SERVICE_IMPORT, section);
	return ds->metadata ? RB_OK : RB_ENOMEM;
}

/* Address type of a Backend's endpoints ([addr.backend]). */
static rb__ir_address_type backend_address_type(const rb__backend *b)
{
	bool ip = false, fqdn = false, uds = false;
	for (size_t i = 0; i < b->endpoint_count; i++) {
		const rb__backend_endpoint *e = &b->endpoints[i];
		if (e->kind == RB_BEP_UNIX)
			uds = true;
		else if (e->kind == RB_BEP_FQDN)
			fqdn = true;
		else if (rb__parse_ip(e->address, NULL))
			ip = true;
	}
	int kinds = (int)ip + (int)fqdn + (int)uds;
	if (kinds == 0)
		return RB_IR_ADDRESS_NONE;
	if (kinds == 1)
		return ip ? RB_IR_ADDRESS_IP : fqdn ? RB_IR_ADDRESS_FQDN : RB_IR_ADDRESS_UDS;
	return fqdn ? RB_IR_ADDRESS_MIXED : RB_IR_ADDRESS_STATIC;
}

/* Backend ([backend.endpoints]). */
static int process_backend(rb__tr *t, const rb__backend_ref *br, const char *ns,
                           rb__ref_result *res)
{
	rb__ir_setting *ds = &res->ds;
	const rb__backend *b = rb__find_backend(t, ns, br->ref.name);
	if (NEVER(!b))
		return vanished(t, res, RB_KIND_BACKEND, ns, br->ref.name);
	for (size_t i = 0; i < b->app_protocol_count; i++)
		refine(ds, b->app_protocols[i]);
	if (rb__str_eq(b->type, "DynamicResolver")) {
		ds->dynamic_resolver = true;
		return RB_OK;
	}
	if (b->endpoint_count > UINT32_MAX)
		return RB_ELIMIT; /* far past any input the limits let through */
	if (b->endpoint_count) {
		rb__ir_endpoint *eps = rb__arena_calloc(t->out, b->endpoint_count, sizeof(*eps));
		if (!eps)
			return RB_ENOMEM;
		for (size_t i = 0; i < b->endpoint_count; i++) {
			const rb__backend_endpoint *e = &b->endpoints[i];
			if (e->kind == RB_BEP_UNIX) {
				eps[i].path = e->address;
			} else {
				eps[i].host = e->address;
				eps[i].port = e->port;
			}
			eps[i].hostname = e->hostname;
			eps[i].zone = e->zone;
		}
		ds->endpoints = eps;
		ds->endpoint_count = (uint32_t)b->endpoint_count;
	}
	ds->address_type = (uint8_t)backend_address_type(b);
	if (b->fallback == RB_TRI_TRUE) {
		ds->has_priority = true;
		ds->priority = 1;
	}
	ds->metadata = rb__backend_metadata(t, &b->meta, RB_KIND_BACKEND, NULL);
	return ds->metadata ? RB_OK : RB_ENOMEM;
}

/* Custom backends ([custom.select]): an object of a registered extension kind. */
static int process_custom(rb__tr *t, const rb__backend_ref *br, const rb__backend_target *bt,
                          rb__ref_result *res)
{
	const char *kind = bt->kind;
	const char *ns = bt->namespace_;
	const rb__vec *objs = &t->m->extension_objects;
	for (size_t i = 0; i < objs->len; i++) {
		const rb__unstructured *u = RB_VEC_AT(objs, const rb__unstructured *, i);
		if (rb__str_eq(u->meta.kind, kind) && !strcmp(u->meta.name, br->ref.name) &&
		    !strcmp(u->meta.namespace_, ns) && rb__api_version_in_group(u->api_version, bt->group)) {
			res->ds.custom_backend = true;
			res->ds.protocol = RB_IR_PROTOCOL_NONE;
			return RB_OK;
		}
	}
	return rb__ref_fail(res, RB_REF_BACKEND_NOT_FOUND,
	                    rb__arena_printf(t->out, "custom backend %s %s/%s not found", kind, ns,
	                                     br->ref.name));
}

/* BackendRef filters ([filter.backend-ref]): errors become InvalidBackendFilters. */
static int check_backend_filters(rb__tr *t, const rb__parent *p, const rb__backend_ref *br,
                                 rb__ref_result *res)
{
	res->ds.has_filters = br->filter_count > 0;
	const char *joined;
	int rc = rb__backend_filter_errors(t, p, br, &joined);
	if (!rc && joined) {
		res->reason = RB_REF_INVALID_BACKEND_FILTERS;
		res->message = joined;
	}
	return rc;
}

/* Address-type validation ([addr.mixed] [addr.slices]). */
static void check_address_type(rb__backend_kind kind, rb__ref_result *res)
{
	if (res->ds.address_type != RB_IR_ADDRESS_MIXED)
		return;
	if (kind == RB_BACKEND_BACKEND) {
		res->reason = RB_REF_UNSUPPORTED_ADDRESS_TYPE;
		res->message = "mixed FQDN and IP or Unix address type for the same backendRef is not "
		               "supported";
	} else if (!res->ds.service_routing) {
		res->reason = RB_REF_UNSUPPORTED_ADDRESS_TYPE;
		res->message = "mixed endpointslice address type for the same backendRef is not supported";
	}
}

/* Reset to the empty DS: name and weight only ([dest.one-per-ref]). */
static void empty_ds(rb__ref_result *res, const char *name, uint32_t weight)
{
	memset(&res->ds, 0, sizeof res->ds);
	res->ds.name = name;
	res->ds.weight = weight;
}

int rb__process_backend_ref(rb__tr *t, const rb__parent *p, const rb__route_rule *rule,
                            const rb__backend_ref *br, const char *setting_name,
                            rb__ref_result *res)
{
	const rb__route *r = p->route;
	rb__backend_target bt;
	rb__resolve_backend_ref(t, r, br, &bt);
	const char *kind = bt.kind;
	const char *ns = bt.namespace_;
	uint32_t w = br->has_weight ? br->weight : 1;
	memset(res, 0, sizeof *res);
	empty_ds(res, setting_name, w);
	/* What the ref names, for explanations (rb__ir_ref_target). */
	res->target_namespace = ns;

	bool custom = bt.backend_kind == RB_BACKEND_CUSTOM;
	int rc;
	if (custom) {
		/* Only the cross-namespace check applies to a custom backend. */
		if (bt.cross_namespace && !rb__ref_permitted(t, r, bt.group, kind, ns, br->ref.name))
			return rb__ref_fail(
			    res, RB_REF_NOT_PERMITTED,
			    rb__arena_printf(t->out,
			                     "Backend ref to %s %s/%s not permitted by any ReferenceGrant.",
			                     kind, ns, br->ref.name));
	} else {
		rc = rb__validate_backend_ref(t, r, br, &bt, res);
		if (rc || res->reason)
			return rc;
	}
	if (w == 0)
		return RB_OK; /* no lookup at all: never EndpointsNotFound */
	if (custom)
		return process_custom(t, br, &bt, res);

	res->ds.protocol = (uint8_t)default_protocol(r->kind);
	/* TLS before endpoints: a Service with both problems reports InvalidBackendTLS. */
	rc = rb__check_upstream_tls(t, p->gateway, br, &bt, res);
	if (rc || res->reason) {
		empty_ds(res, setting_name, w);
		return rc;
	}
	switch (bt.backend_kind) {
	case RB_BACKEND_SERVICE_IMPORT:
		rc = process_service_import(t, p, rule, br, ns, res);
		break;
	case RB_BACKEND_SERVICE:
		rc = process_service(t, p, rule, br, ns, res);
		break;
	default:
		rc = process_backend(t, br, ns, res);
		break;
	}
	if (rc)
		return rc;
	if (!res->reason && (r->kind == RB_ROUTE_HTTP || r->kind == RB_ROUTE_GRPC))
		rc = check_backend_filters(t, p, br, res);
	if (rc)
		return rc;
	if (!res->reason)
		check_address_type(bt.backend_kind, res);
	if (res->reason) {
		empty_ds(res, setting_name, w);
		return RB_OK;
	}
	res->ds.has_filters =
	    br->filter_count > 0; /* present even when nothing came out ([filter.backend-ref]) */
	for (size_t i = 0; i < res->ds.endpoint_count; i++)
		if (!res->ds.endpoints[i].draining)
			return RB_OK;
	res->ds.all_draining = res->ds.endpoint_count > 0;
	return RB_OK;
}
