/* The IR's small readers (ir.h): a backendRef's target, a setting's words. */
#include "ir/ir.h"
#include "model/model.h"
#include "model/vocab.h"

rb__ir_target rb__ir_ref_target(const rb__ir_ref *ref)
{
	const rb__object_ref *o = &ref->backend->ref;
	return (rb__ir_target){.group = o->group,
	                       .kind = rb__backend_ref_kind(o->kind),
	                       .namespace_ = ref->namespace_,
	                       .name = o->name ? o->name : "",
	                       .port = o->has_port ? o->port : 0};
}

/* names[v] of a table of count names; NULL past it. */
static const char *name_in(const char *const *names, unsigned count, unsigned v)
{
	return v < count ? names[v] : NULL;
}

const char *rb__ir_protocol_name(unsigned protocol)
{
	static const char *const NAMES[RB_IR_PROTOCOL_COUNT] = {
		[RB_IR_PROTOCOL_HTTP] = "HTTP", [RB_IR_PROTOCOL_HTTP2] = "HTTP2",
		[RB_IR_PROTOCOL_GRPC] = "GRPC", [RB_IR_PROTOCOL_TCP] = "TCP",
		[RB_IR_PROTOCOL_UDP] = "UDP",
	};
	return name_in(NAMES, RB_IR_PROTOCOL_COUNT, protocol);
}

const char *rb__ir_address_type_name(unsigned address_type)
{
	static const char *const NAMES[RB_IR_ADDRESS_COUNT] = {
		[RB_IR_ADDRESS_IP] = "IP",         [RB_IR_ADDRESS_FQDN] = "FQDN",
		[RB_IR_ADDRESS_UDS] = "UDS",       [RB_IR_ADDRESS_MIXED] = "Mixed",
		[RB_IR_ADDRESS_STATIC] = "STATIC",
	};
	return name_in(NAMES, RB_IR_ADDRESS_COUNT, address_type);
}

const char *rb__ir_ip_family_name(unsigned ip_family)
{
	static const char *const NAMES[RB_IR_IP_FAMILY_COUNT] = {
		[RB_IR_IP_FAMILY_IPV4] = "IPv4",
		[RB_IR_IP_FAMILY_IPV6] = "IPv6",
		[RB_IR_IP_FAMILY_DUAL_STACK] = "DualStack",
	};
	return name_in(NAMES, RB_IR_IP_FAMILY_COUNT, ip_family);
}
