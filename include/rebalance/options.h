/*
 * rebalance -- translation options.
 *
 * A transparent struct whose first field is its size: fields are only ever
 * appended, and the library reads only the `size` bytes the caller knows
 * about (libgit2's version field, made automatic). Always start from
 * RB_TRANSLATE_OPTIONS_INIT or rb_translate_options_init().
 */
#ifndef REBALANCE_OPTIONS_H
#define REBALANCE_OPTIONS_H

#include "rebalance/common.h"

RB_BEGIN_DECLS

/** Translation modes (SPEC.md R.1). Explicit numbers, never renumbered. */
typedef enum rb_mode {
	/** The default: PR 9075's rule. Zero-endpoint backendRefs that are not
	 *  invalid, dynamic-resolver or custom are excluded and their weight goes
	 *  to the healthy peers; misconfigured gRPC backends are invalid (500). */
	RB_MODE_REBALANCE = 0,
	/** Envoy Gateway as it is (pinned commit d32f282942): reproduces its
	 *  golden files exactly. */
	RB_MODE_COMPAT_ENVOY_GATEWAY = 1
} rb_mode;

/** Option flags (rb_translate_options.flags). */
enum {
	/** Envoy Gateway's BackendEnabled=false: every `kind: Backend` ref fails. */
	RB_OPT_DISABLE_BACKEND_API = 1u << 0,
	/** Envoy Gateway's RunningOnHost=true: loopback and single-label Backend
	 *  addresses are allowed. */
	RB_OPT_RUNNING_ON_HOST = 1u << 1,
	/** Also exclude settings whose endpoints are all draining while another
	 *  setting of the rule still serves (SPEC.md R.1, strict readiness). */
	RB_OPT_REBALANCE_NOT_READY = 1u << 2,
	/** In compat mode, honour BackendTrafficPolicy spec.rebalanceOnNoEndpoints. */
	RB_OPT_HONOR_POLICY = 1u << 3,
	/** Envoy Gateway's GatewayNamespaceMode (reserved; no effect on destinations). */
	RB_OPT_GATEWAY_NAMESPACE_MODE = 1u << 4
};

/** Options of one translation. */
typedef struct rb_translate_options {
	uint32_t size;  /**< sizeof(rb_translate_options) as the caller knows it */
	uint32_t mode;  /**< an rb_mode */
	uint32_t flags; /**< RB_OPT_* bits */
	/** The GatewayClass whose Gateways are ours; NULL means "envoy-gateway-class". */
	const char *gateway_class;
} rb_translate_options;

/** Static initializer: rebalance mode, no flags, class "envoy-gateway-class". */
#define RB_TRANSLATE_OPTIONS_INIT { sizeof(rb_translate_options), RB_MODE_REBALANCE, 0u, NULL }

/** Fill `opts` with the defaults (same as RB_TRANSLATE_OPTIONS_INIT). */
RB_API void rb_translate_options_init(rb_translate_options *opts);

/** Presets for rb_translate_options_preset(). */
typedef enum rb_preset {
	RB_PRESET_REBALANCE = 0,     /**< the defaults */
	RB_PRESET_ENVOY_GATEWAY = 1  /**< upstream-compatible: mode RB_MODE_COMPAT_ENVOY_GATEWAY */
} rb_preset;

/** Fill `opts` with a preset (flags cleared). @return RB_OK or RB_EINVAL */
RB_API int rb_translate_options_preset(rb_translate_options *opts, rb_preset preset);

RB_END_DECLS

#endif /* REBALANCE_OPTIONS_H */
