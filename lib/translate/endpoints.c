/*
 * Endpoints from EndpointSlices ([endpoints.slices.match]) and their address type ([addr.slices]).
 *
 * For each slice of the backend in order, each endpoint, each slice port whose
 * name and protocol equal the service port's (numbers are never compared),
 * each address: one endpoint. Not-ready endpoints are kept, as draining;
 * nothing is deduplicated, sorted or filtered.
 *
 * A table is built once per (backend, port name, protocol) and shared by
 * every setting that uses it: a Service referenced by many routes costs its
 * endpoints once, in memory and in time (the IR points to the shared table).
 *
 * Rules: [endpoints.draining] [endpoints.as-is].
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "core/strutil.h"
#include "rebalance/errors.h"
#include "translate/tr.h"

/* Kept in the backend's slice group (tr.h), one per port and protocol. */
struct rb__endpoint_table {
	const char *port_name;
	const char *protocol;
	const rb__ir_endpoint *eps;
	size_t count;
	uint8_t address_type; /* rb__ir_address_type */
	rb__endpoint_table *next;
};

/* Draining rule D: serving and terminating both given decide; else not-ready drains. */
static bool draining(const rb__slice_endpoint *e)
{
	if (e->serving != RB_TRI_UNSET && e->terminating != RB_TRI_UNSET)
		return e->terminating == RB_TRI_TRUE || e->serving == RB_TRI_FALSE;
	return e->ready == RB_TRI_FALSE;
}

/* IPv4, IPv6 and any unknown value count as IP; only FQDN is FQDN. */
static rb__ir_address_type slices_address_type(const rb__vec *slices)
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
		return RB_IR_ADDRESS_MIXED;
	return fqdn ? RB_IR_ADDRESS_FQDN : ip ? RB_IR_ADDRESS_IP : RB_IR_ADDRESS_NONE;
}

static bool port_matches(const rb__slice_port *sp, const char *name, const char *protocol)
{
	return sp->has_port && !strcmp(sp->name, name) &&
	       !strcmp(sp->protocol ? sp->protocol : "TCP", protocol);
}

static int build_table(rb__tr *t, const rb__vec *slices, const char *port_name,
                       const char *protocol, rb__endpoint_table *tab)
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
	if (count > UINT32_MAX)
		return RB_ELIMIT; /* far past any input the limits let through */
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
	tab->address_type = (uint8_t)slices_address_type(slices);
	return RB_OK;
}

void rb__endpoints_forget(rb__tr *t, rb__backend_kind owner_kind, const char *ns, const char *name)
{
	rb__slice_group *g = rb__slice_group_of(t, owner_kind, ns, name, false);
	if (g)
		g->tables = NULL; /* the old tables stay in the arenas until they are freed */
}

int rb__slice_endpoints(rb__tr *t, rb__backend_kind owner_kind, const char *ns, const char *name,
                        const char *port_name, const char *protocol, const rb__ir_endpoint **eps,
                        uint32_t *count, uint8_t *address_type)
{
	rb__tr_dep(t, rb__slices_dep(owner_kind), ns, name);
	/* The group is made for a backend without slices too (its empty table is kept). */
	rb__slice_group *g = rb__slice_group_of(t, owner_kind, ns, name, true);
	rb__endpoint_table *tab = g ? g->tables : NULL;
	while (tab && (strcmp(tab->port_name, port_name) || strcmp(tab->protocol, protocol)))
		tab = tab->next;
	rb__endpoint_table built = {0};
	if (!tab) {
		/* Without a group (a name too long to be looked up) the table is not kept. */
		tab = g ? rb__arena_calloc(&t->scratch, 1, sizeof(*tab)) : &built;
		if (!tab)
			return RB_ENOMEM;
		memset(tab, 0, sizeof *tab);
		int rc = build_table(t, rb__find_slices(t, owner_kind, ns, name), port_name, protocol,
		                     tab);
		if (rc)
			return rc;
		if (g) {
			tab->port_name = rb__arena_strdup(&t->scratch, port_name);
			tab->protocol = rb__arena_strdup(&t->scratch, protocol);
			if (!tab->port_name || !tab->protocol)
				return RB_ENOMEM;
			tab->next = g->tables;
			g->tables = tab;
		}
	}
	*eps = tab->eps;
	*count = (uint32_t)tab->count; /* at most UINT32_MAX (build_table) */
	*address_type = tab->address_type;
	return RB_OK;
}
