/*
 * Endpoints from EndpointSlices (SPEC.md 2.10) and their address type (2.11).
 *
 * For each slice of the backend in order, each endpoint, each slice port whose
 * name and protocol equal the service port's (numbers are never compared),
 * each address: one endpoint. Not-ready endpoints are kept, as draining;
 * nothing is deduplicated, sorted or filtered.
 *
 * A table is built once per (backend, port name, protocol) and shared by
 * every setting that uses it: a Service referenced by many routes costs its
 * endpoints once.
 */
#include <string.h>

#include "core/strutil.h"
#include "rebalance/errors.h"
#include "translate/tr.h"

typedef struct endpoint_table {
	const rb__ir_endpoint *eps;
	size_t count;
	const char *address_type;
} endpoint_table;

/* Draining rule D: serving and terminating both given decide; else not-ready drains. */
static bool draining(const rb__slice_endpoint *e)
{
	if (e->serving != RB_TRI_UNSET && e->terminating != RB_TRI_UNSET)
		return e->terminating == RB_TRI_TRUE || e->serving == RB_TRI_FALSE;
	return e->ready == RB_TRI_FALSE;
}

/* IPv4, IPv6 and any unknown value count as IP; only FQDN is FQDN. */
static const char *slices_address_type(const rb__vec *slices)
{
	bool ip = false, fqdn = false;
	for (size_t i = 0; slices && i < slices->len; i++) {
		const rb__endpoint_slice *s = RB_VEC_AT(slices, const rb__endpoint_slice *, i);
		if (rb__str_eq(s->address_type, "FQDN"))
			fqdn = true;
		else
			ip = true;
	}
	if (ip && fqdn)
		return "Mixed";
	return fqdn ? "FQDN" : ip ? "IP" : NULL;
}

static bool port_matches(const rb__slice_port *sp, const char *name, const char *protocol)
{
	return sp->has_port && !strcmp(sp->name, name) &&
	       !strcmp(sp->protocol ? sp->protocol : "TCP", protocol);
}

static int build_table(rb__tr *t, const rb__vec *slices, const char *port_name,
                       const char *protocol, endpoint_table *tab)
{
	size_t count = 0;
	for (size_t i = 0; slices && i < slices->len; i++) {
		const rb__endpoint_slice *s = RB_VEC_AT(slices, const rb__endpoint_slice *, i);
		size_t ports = 0;
		for (size_t p = 0; p < s->port_count; p++)
			ports += port_matches(&s->ports[p], port_name, protocol);
		for (size_t e = 0; e < s->endpoint_count; e++)
			count += ports * s->endpoints[e].address_count;
	}
	rb__ir_endpoint *eps = NULL;
	if (count) {
		eps = rb__arena_calloc(t->out, count, sizeof(*eps));
		if (!eps)
			return RB_ENOMEM;
	}
	size_t n = 0;
	for (size_t i = 0; slices && i < slices->len; i++) {
		const rb__endpoint_slice *s = RB_VEC_AT(slices, const rb__endpoint_slice *, i);
		for (size_t e = 0; e < s->endpoint_count; e++) {
			const rb__slice_endpoint *ep = &s->endpoints[e];
			for (size_t p = 0; p < s->port_count; p++) {
				if (!port_matches(&s->ports[p], port_name, protocol))
					continue;
				for (size_t a = 0; a < ep->address_count; a++) {
					eps[n].host = ep->addresses[a];
					eps[n].port = s->ports[p].port;
					eps[n].zone = ep->zone;
					eps[n].draining = draining(ep);
					n++;
				}
			}
		}
	}
	tab->eps = eps;
	tab->count = n;
	tab->address_type = slices_address_type(slices);
	return RB_OK;
}

int rb__slice_endpoints(rb__tr *t, char backend_kind, const char *ns, const char *name,
                        const char *port_name, const char *protocol, const rb__ir_endpoint **eps,
                        size_t *count, const char **address_type)
{
	const char *key = rb__arena_printf(&t->scratch, "%c:%s/%s|%s|%s", backend_kind, ns, name,
	                                   port_name, protocol);
	if (!key)
		return RB_ENOMEM;
	void **slot = rb__map_slot_for(&t->endpoint_cache, key, strlen(key));
	if (!slot)
		return RB_ENOMEM;
	endpoint_table *tab = *slot;
	if (!tab) {
		tab = rb__arena_calloc(&t->scratch, 1, sizeof(*tab));
		if (!tab)
			return RB_ENOMEM;
		int rc = build_table(t, rb__find_slices(t, backend_kind, ns, name), port_name, protocol,
		                     tab);
		if (rc)
			return rc;
		*slot = tab;
	}
	*eps = tab->eps;
	*count = tab->count;
	*address_type = tab->address_type;
	return RB_OK;
}
