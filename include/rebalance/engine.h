/*
 * rebalance -- the incremental engine: translate a snapshot once, then apply
 * changes (an EndpointSlice scaled, a Service edited, a route added...) and
 * re-translate only the route rules that depend on what changed.
 *
 * The snapshot and the order of objects
 * -------------------------------------
 * Results depend on input order ([input.order]: routes are translated in
 * order, the last definition of a Service, ServiceImport or Backend wins,
 * EndpointSlices of one Service accumulate in order). Objects are kept in
 * one ordered list per kind (Gateway, HTTPRoute, Service, EndpointSlice, ...;
 * the order between kinds never matters), starting with the lists of the
 * input the engine was made from, duplicates included. An object's identity
 * is its kind, namespace and name. Changes then act on those lists:
 *
 *  - add or replace (rb_engine_apply_buffer, for every object of the buffer,
 *    in buffer order): when objects of the same identity are in the list,
 *    the new object takes the place of the first of them and the others are
 *    removed; otherwise it is appended at the end of its kind's list;
 *  - delete (rb_engine_delete): every object of that identity is removed,
 *    the others keep their order.
 *
 * At any time the result equals, byte for byte, rb_translate of an input
 * that holds these lists in this order (for example a manifest stream of
 * the objects in list order, kinds in any order), with the same options.
 * GatewayClass and the testdata layout's single objects (gatewayClass,
 * envoyProxyForGatewayClass, envoyProxyDefaultSpec) are not lists: the last
 * one applied wins.
 *
 * What is translated again
 * ------------------------
 * While a route is translated, the engine records every Service,
 * ServiceImport, Backend, EndpointSlice group and ReferenceGrant namespace it
 * looked up (found or not). A change of a Service, ServiceImport, Backend,
 * EndpointSlice or ReferenceGrant translates again the routes that looked it
 * up; a change of an HTTPRoute, GRPCRoute or TLSRoute translates that route
 * (everything, when a BackendTrafficPolicy selects routes by label). Changes
 * of kinds whose effect is not per route -- Gateways, Namespaces, TCP and UDP
 * routes (listener ownership), BackendTrafficPolicies, EnvoyProxies,
 * BackendTLSPolicies, GatewayClass -- translate everything again. The IR of
 * the other rules is reused as it is. Memory that changes leave behind is
 * reclaimed by an occasional full translation (when it exceeds what a full
 * translation holds).
 *
 * What changed
 * ------------
 * After each rb_engine_translate, rb_engine_changes tells what differs from
 * the previous result: the destinations added, changed or removed, by their
 * key (rb_destination_key), and the routes whose statuses were added, changed
 * or removed, by route kind, namespace and name. "Changed" means the
 * serialized entry differs (rb_destination_write, rb_route_status_write): a
 * rule translated again to the same IR is not reported. The first
 * translation reports everything as added; a full translation reports the
 * same minimal delta an incremental one would. Keys are unique in a result
 * unless the input defines a route twice (its copies' destinations share
 * keys: entries of one key are then compared in order). An embedder that
 * serializes only the changed entries keeps its copy of the IR up to date
 * for a cost proportional to the change, not to the result.
 *
 * Results and snapshots
 * ---------------------
 * Results are reference counted and never change once returned. The result
 * rb_engine_translate returns is borrowed (valid until the next
 * rb_engine_translate); rb_engine_snapshot (or rb_result_ref on the borrowed
 * result) gives a reference of one's own, which stays valid and unchanged
 * while the engine goes on, may be read by other threads meanwhile, and is
 * freed with rb_result_free (from any thread; also after rb_engine_free, but
 * before the input's context is freed). It equals, byte for byte,
 * rb_translate of the lists as they were. While someone holds the latest
 * result, the next translation copies the assembled arrays before patching
 * them (a copy of the arrays of entries, not of the IR they point to); the
 * engine keeps every arena, applied buffer and array a held result reads
 * until it is freed.
 *
 * Threads: an engine is used by one thread at a time; separate engines may
 * run in parallel. The input it was made from may be read (not changed) by
 * other threads meanwhile.
 */
#ifndef REBALANCE_ENGINE_H
#define REBALANCE_ENGINE_H

#include "rebalance/common.h"
#include "rebalance/input.h"
#include "rebalance/options.h"
#include "rebalance/output.h"
#include "rebalance/result.h"

RB_BEGIN_DECLS

typedef struct rb_engine rb_engine;

/**
 * Make an engine over a snapshot.
 * @param out receives the engine (a new reference, free with rb_engine_free)
 * @param in the snapshot, **borrowed**: it must stay alive and must not be
 *        changed (no rb_input_add_*) until rb_engine_free; the engine copies
 *        its lists, never its objects
 * @param opts copied; NULL means RB_TRANSLATE_OPTIONS_INIT
 * @return RB_OK, RB_EINVAL (NULL argument, bad options), RB_ENOMEM
 */
RB_API int rb_engine_new(rb_engine **out, const rb_input *in, const rb_translate_options *opts);

/** Free an engine (and its result). NULL is a no-op. The input is not freed. */
RB_API void rb_engine_free(rb_engine *e);

/**
 * Add or replace every object of a buffer (any input layout and format, as
 * rb_input_add_buffer reads them), in buffer order; see the file comment for
 * where each object goes. Objects of kinds that never change destinations
 * are ignored. Nothing is translated until rb_engine_translate. Manifest
 * objects without a namespace are in "default" (rb_input_set_namespace does
 * not apply here). The engine records no warnings (rb_input_warning and
 * rb_result_warning are per load and per rb_translate): check a change with
 * those first when it comes from a person.
 * @return RB_OK; RB_EPARSE, RB_ELIMIT (nothing changes, see rb_engine_diag);
 *         RB_EINVAL; RB_ENOMEM (the objects of the buffer may be applied in
 *         part; the engine stays consistent, and the next rb_engine_translate
 *         translates everything)
 */
RB_API int rb_engine_apply_buffer(rb_engine *e, const void *buf, size_t len,
                                  const char *source_name, rb_input_format format);

/**
 * Delete every object of a kind, namespace and name. Deleting what is not
 * there is not an error.
 * @param kind a manifest kind: "Service", "EndpointSlice", "HTTPRoute",
 *        "Gateway", "GatewayClass", ... (the kinds rb_input reads)
 * @param namespace_ "" or NULL for objects without a namespace
 * @return RB_OK, RB_EINVAL (NULL engine, kind or name; an unknown kind),
 *         RB_ENOMEM (as for rb_engine_apply_buffer)
 */
RB_API int rb_engine_delete(rb_engine *e, const char *kind, const char *namespace_,
                            const char *name);

/**
 * Bring the result up to date: translate again what the changes since the
 * last call touched (everything, the first time).
 * @param out receives the result, **borrowed** from the engine: read it with
 *        the rb_result_* and rb_destination_* accessors or rb_result_write,
 *        never rb_result_free it; it stays valid (and unchanged) until the
 *        next rb_engine_translate or rb_engine_free (rb_result_ref keeps it
 *        longer); rb_engine_changes says what differs from the previous one
 * @return RB_OK, RB_EINVAL, RB_ENOMEM (the engine stays usable: the next call
 *         translates everything)
 */
RB_API int rb_engine_translate(rb_engine *e, const rb_result **out);

/**
 * The last result, as a reference of the caller's own: valid and unchanged
 * until rb_result_free, whatever the engine does meanwhile (see the file
 * comment).
 * @return RB_OK, RB_EINVAL (NULL argument; no successful rb_engine_translate yet)
 */
RB_API int rb_engine_snapshot(rb_engine *e, rb_result **out);

/* ---- what the last translation changed ------------------------------ */

/** What happened to an entry between two results. */
typedef enum rb_change {
	RB_CHANGE_ADDED = 1,   /**< not in the previous result */
	RB_CHANGE_CHANGED = 2, /**< in both, serialized differently */
	RB_CHANGE_REMOVED = 3  /**< in the previous result only */
} rb_change;

/** The change set of the last rb_engine_translate (see the file comment). */
typedef struct rb_changes rb_changes;

/**
 * What the last successful rb_engine_translate changed, compared with the
 * result of the one before (everything is added after the first). Borrowed:
 * valid until the next rb_engine_translate or rb_engine_free, like the
 * pointers it gives. A translation that changed nothing gives an empty set;
 * so does a failed one, and the next successful one reports every change
 * since the last successful one. NULL for a NULL engine.
 */
RB_API const rb_changes *rb_engine_changes(const rb_engine *e);

/** Destinations added, changed or removed (added and changed ones in result
 *  order for a full translation, in the order routes were translated else;
 *  removed ones last). */
RB_API size_t rb_changes_destination_count(const rb_changes *c);
/** What happened to destination change `i`; 0 when out of range. */
RB_API rb_change rb_changes_destination_change(const rb_changes *c, size_t i);
/** Its key (rb_destination_key), also for a removed one; NULL when out of range. */
RB_API const char *rb_changes_destination_key(const rb_changes *c, size_t i);
/** The destination as it is now (in the engine's result); NULL when removed. */
RB_API const rb_destination *rb_changes_destination(const rb_changes *c, size_t i);

/** Routes whose status entries were added, changed or removed (as a whole:
 *  all the entries of a route, one per parentRef). */
RB_API size_t rb_changes_route_count(const rb_changes *c);
RB_API rb_change rb_changes_route_change(const rb_changes *c, size_t i);
/** The route's kind ("HTTPRoute"...), namespace and name; NULL when out of range. */
RB_API const char *rb_changes_route_kind(const rb_changes *c, size_t i);
RB_API const char *rb_changes_route_namespace(const rb_changes *c, size_t i);
RB_API const char *rb_changes_route_name(const rb_changes *c, size_t i);
/** The route's status entries now (0 when removed), and entry `j`. */
RB_API size_t rb_changes_route_status_count(const rb_changes *c, size_t i);
RB_API const rb_route_status *rb_changes_route_status(const rb_changes *c, size_t i, size_t j);

/**
 * The whole change set as one document (docs/embedding.md): under
 * "destinations", per change {change: Added|Changed|Removed, key,
 * destination}; under "routeStatuses", {change, kind, namespace, name,
 * statuses}; the entries exactly as rb_destination_write and
 * rb_route_status_write write them (nothing for a removed one). For
 * bindings: one call and one decode per translation.
 * @param ctx whose allocator the writer uses (the engine's input's)
 * @return RB_OK, RB_EINVAL (bad format, NULL argument), RB_EIO, RB_ENOMEM
 */
RB_API int rb_changes_write(rb_ctx *ctx, const rb_changes *c, rb_format format,
                            rb_write_fn write, void *ud);
/** The same in a new NUL-terminated buffer; free it with rb_free(ctx, *out). */
RB_API int rb_changes_to_buffer(rb_ctx *ctx, const rb_changes *c, rb_format format, char **out,
                                size_t *len);

/** Number of diagnostics of the last rb_engine_apply_buffer (0 after a success). */
RB_API size_t rb_engine_diag_count(const rb_engine *e);
/** Diagnostic `i` of the last rb_engine_apply_buffer (borrowed, valid until the
 *  next rb_engine_apply_buffer or rb_engine_free), or NULL when out of range. */
RB_API const rb_diag *rb_engine_diag(const rb_engine *e, size_t i);

/** Counters, for benchmarks and tests. */
typedef struct rb_engine_stats {
	uint32_t size;              /**< sizeof(rb_engine_stats) as the caller knows it */
	uint64_t translations;      /**< rb_engine_translate calls that translated something */
	uint64_t full_translations; /**< ... of which everything was translated */
	uint64_t routes_translated; /**< routes translated by the last rb_engine_translate */
	uint64_t routes;            /**< routes in the snapshot now */
} rb_engine_stats;

/**
 * Read the counters into `out` (set out->size first; only that many bytes
 * are written).
 * @return RB_OK, RB_EINVAL
 */
RB_API int rb_engine_get_stats(const rb_engine *e, rb_engine_stats *out);

RB_END_DECLS

#endif /* REBALANCE_ENGINE_H */
