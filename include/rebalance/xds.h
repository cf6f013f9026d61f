/*
 * rebalance -- what the data plane gets: the Envoy v3 configuration Envoy
 * Gateway derives from each destination (docs/semantics/xds.md).
 *
 * One entry per destination of a result, in order, with Envoy's proto3 JSON
 * field names (lowerCamelCase, as protojson prints them and as Envoy
 * Gateway's xDS golden files show them), and protojson's omission of default
 * values: priority 0, healthStatus UNKNOWN and clusterNotFoundResponseCode
 * SERVICE_UNAVAILABLE (503) are not written.
 *
 *   rules:
 *   - name: httproute/default/r/rule/0          # the destination (not Envoy)
 *     gateway: default/eg                       # its parent Gateway (not Envoy)
 *     route: {cluster: httproute/default/r/rule/0}      # RouteAction, or
 *     route: {weightedClusters: {clusters: [{name, weight}...]},
 *             clusterNotFoundResponseCode: INTERNAL_SERVER_ERROR}
 *     directResponse: {status: 503}             # DirectResponseAction instead of route
 *     tcpProxy: {cluster: ...}                  # TCPRoute, TLSRoute (udpProxy: UDPRoute)
 *     clusters:                                 # every cluster the rule creates
 *     - name: ...
 *       type: EDS                               # or STRICT_DNS; clusterType for
 *                                               # dynamic forward proxy
 *       commonLbConfig: {localityWeightedLbConfig: {}}
 *       loadAssignment:                         # ClusterLoadAssignment (over EDS for
 *         clusterName: ...                      # EDS clusters; shown inline)
 *         endpoints:                            # LocalityLbEndpoints: one per setting
 *         - locality: {region: <setting name>}
 *           lbEndpoints: [{endpoint: {address: {socketAddress: {address, portValue}}},
 *                          healthStatus: DRAINING, loadBalancingWeight: 1}]
 *           loadBalancingWeight: <setting weight>
 *           priority: 1
 *
 * EnvoyProxy mergeBackends (docs/merge-backends.md): routes name shared
 * clusters (service/<ns>/<name>/<port>/<protocol>); each is written once per
 * Gateway, in the clusters of the first rule that routes to it; a rule that
 * only names shared clusters written before has no `clusters` key.
 *
 * Not modelled: per-entry filters of weighted clusters (header changes, host
 * rewrites), TLS transport sockets, zone-aware localities, and the
 * extension-built clusters of custom backends (written with their name only).
 */
#ifndef REBALANCE_XDS_H
#define REBALANCE_XDS_H

#include "rebalance/common.h"
#include "rebalance/output.h"
#include "rebalance/result.h"

RB_BEGIN_DECLS

/**
 * Stream the xDS projection of `res` to `write`, as JSON or YAML (same keys).
 * @return RB_OK, RB_EINVAL (bad format, NULL argument), RB_EIO (write
 *         returned non-zero), RB_ENOMEM
 * Threads: `res` is only read; any number of threads may write it at once.
 */
RB_API int rb_xds_write(const rb_result *res, rb_format format, rb_write_fn write, void *ud);

/**
 * The same into a new NUL-terminated buffer (`*len` excludes the NUL); free it
 * with rb_free(rb_result_ctx(res), *out).
 * @return RB_OK, RB_EINVAL, RB_ENOMEM
 */
RB_API int rb_xds_to_buffer(const rb_result *res, rb_format format, char **out, size_t *len);

/**
 * The xDS entry of one destination alone (an engine's changed destination,
 * rb_changes_destination): its route (or proxy) and clusters, as a document
 * of its own. Its bytes are those of its item under "rules" in rb_xds_write's
 * output without the item's indentation (as rb_destination_write, output.h),
 * except with mergeBackends: the shared clusters it routes to are always
 * written with it, as the first rule of its Gateway writes them.
 * @param ctx whose allocator the writer uses
 * @return RB_OK, RB_EINVAL (bad format, NULL argument), RB_EIO, RB_ENOMEM
 */
RB_API int rb_destination_xds_write(rb_ctx *ctx, const rb_destination *d, rb_format format,
                                    rb_write_fn write, void *ud);
/** The same in a new NUL-terminated buffer; free it with rb_free(ctx, *out). */
RB_API int rb_destination_xds_to_buffer(rb_ctx *ctx, const rb_destination *d, rb_format format,
                                        char **out, size_t *len);

RB_END_DECLS

#endif /* REBALANCE_XDS_H */
