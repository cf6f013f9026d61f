/* A backendRef's target as the IR reads it (ir.h, rb__ir_ref). */
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
