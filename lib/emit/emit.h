/* Serializers built on the writer: the IR (SPEC.md R.3) and generic node trees. */
#ifndef RB_EMIT_EMIT_H
#define RB_EMIT_EMIT_H

#include "emit/writer.h"
#include "ir/ir.h"
#include "load/node.h"

/*
 * The IR document: destinations, then routeStatuses. Writes one value (the
 * root on a fresh writer); the caller then calls rb__writer_finish.
 * Returns the writer's error, or RB_EINVAL for NULL arguments. By the layout
 * rule below, a setting without endpoints (and without annotations) and a
 * destination without settings and excluded entries come out as flow
 * mappings, on one line.
 */
int rb__emit_ir(rb__writer *w, const rb__ir *ir);

/*
 * Any node tree, typed by its scalar types (strings stay strings, ints stay
 * ints...). Used by the round-trip checks: re-reading the IR as YAML or JSON
 * and writing it again gives the same bytes. The one layout rule, which
 * rb__emit_ir follows too: a mapping is written flow iff every member value
 * is a scalar or a flow mapping; a sequence is written flow iff it is empty;
 * everything else is block. Scalar types are written as emit_node.c
 * documents (FLOAT text that is not JSON number syntax, such as `.inf`,
 * becomes a string in JSON). RB_EINVAL for a malformed tree.
 */
int rb__emit_node(rb__writer *w, const rb__node *n);

#endif
