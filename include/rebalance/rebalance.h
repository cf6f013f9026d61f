/*
 * rebalance -- umbrella header.
 *
 * rebalance computes, for every Gateway API route rule, the destination IR
 * Envoy Gateway's translator computes -- and, by default, rebalances the share
 * of backendRefs that have no endpoints onto their healthy peers (Envoy
 * Gateway PR 9075). See README.md for a tour and docs/ for the promises.
 *
 *     rb_ctx *ctx; rb_input *in; rb_result *res;
 *     rb_ctx_new(&ctx, NULL);
 *     rb_input_new(&in, ctx);
 *     if (rb_input_add_file(in, "routes.yaml", RB_INPUT_AUTO) != RB_OK)
 *             ... rb_input_diag(in, 0) says where and why ...
 *     rb_translate(&res, in, NULL);
 *     rb_result_write(res, RB_FORMAT_YAML, my_write, stdout);
 *     rb_result_free(res); rb_input_free(in); rb_ctx_free(ctx);
 */
#ifndef REBALANCE_H
#define REBALANCE_H

#include "rebalance/common.h"
#include "rebalance/version.h"
#include "rebalance/errors.h"
#include "rebalance/ctx.h"
#include "rebalance/options.h"
#include "rebalance/input.h"
#include "rebalance/result.h"
#include "rebalance/output.h"
#include "rebalance/explain.h"
#include "rebalance/xds.h"
#include "rebalance/engine.h"

#endif /* REBALANCE_H */
