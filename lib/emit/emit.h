/* Serializers built on the writer: the IR (docs/ir.md) and generic node trees. */
#ifndef RB_EMIT_EMIT_H
#define RB_EMIT_EMIT_H

#include "emit/writer.h"
#include "ir/ir.h"
#include "load/node.h"

/*
 * The layout rule, shared by every serializer so that re-reading an output
 * and writing it again gives the same bytes: a mapping is written flow iff it
 * is the value of a "flow value" key, an item of the sequence under a "flow
 * items" key, or inside a flow collection; a sequence is flow iff it is empty
 * or inside a flow collection; everything else is block. The keys are those
 * of the IR's small leaf objects (docs/ir.md): route, metadata, preferLocal,
 * backendWeights, directResponse, parentRef; and the items of endpoints,
 * excluded and conditions.
 */
bool rb__flow_value_key(const char *key, size_t n);
bool rb__flow_items_key(const char *key, size_t n);

/*
 * The IR document: destinations, then routeStatuses. Writes one value (the
 * root on a fresh writer); the caller then calls rb__writer_finish.
 * Returns the writer's error, or RB_EINVAL for NULL arguments.
 */
int rb__emit_ir(rb__writer *w, const rb__ir *ir);

/* One destination, or one route status entry, as the IR document's item. */
int rb__emit_destination(rb__writer *w, const rb__ir_destination *d);
int rb__emit_route_status(rb__writer *w, const rb__ir_route_status *st);

/*
 * Any node tree, typed by its scalar types (strings stay strings, ints stay
 * ints...), laid out by the layout rule above. Used by the round-trip checks:
 * re-reading the IR as YAML or JSON and writing it again gives the same
 * bytes. Scalar types are written as emit_node.c
 * documents (FLOAT text that is not JSON number syntax, such as `.inf`,
 * becomes a string in JSON). RB_EINVAL for a malformed tree.
 */
int rb__emit_node(rb__writer *w, const rb__node *n);

#endif
