/*
 * rebalance -- translation options.
 *
 * A transparent struct whose first field is its size: fields are only ever
 * appended, and the library reads only the fields that lie whole within the
 * `size` bytes the caller knows about (libgit2's version field, made
 * automatic). It reads field by field: the padding between fields (uninitialised
 * in a caller's struct) is never copied. The struct never ends in padding, so a
 * field appended later lies beyond every older caller's `size` and is never read
 * from an older binary; an appended field that would leave trailing padding
 * comes with an explicit reserved field. Always start from
 * RB_TRANSLATE_OPTIONS_INIT or rb_translate_options_init(&o, sizeof o).
 */
#ifndef REBALANCE_OPTIONS_H
#define REBALANCE_OPTIONS_H

#include "rebalance/common.h"

RB_BEGIN_DECLS

/** Translation modes ([mode.default], [mode.compat]). Explicit numbers, never renumbered. */
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
	 *  setting of the rule still serves ([rebalance.strict]). */
	RB_OPT_REBALANCE_NOT_READY = 1u << 2,
	/** In compat mode, honour BackendTrafficPolicy spec.rebalanceOnNoEndpoints. */
	RB_OPT_HONOR_POLICY = 1u << 3,
	/** Envoy Gateway's GatewayNamespaceMode (reserved; no effect on destinations). */
	RB_OPT_GATEWAY_NAMESPACE_MODE = 1u << 4,
	/** Never read BackendTrafficPolicy spec.rebalanceOnNoEndpoints and
	 *  spec.rebalanceOnNoReadyEndpoints, in any mode: every rule gets the
	 *  defaults (rebalance_default, RB_OPT_REBALANCE_NOT_READY). Contradicts
	 *  RB_OPT_HONOR_POLICY (both set: RB_EINVAL). */
	RB_OPT_IGNORE_POLICY = 1u << 5,
	/** Treat a TLS certificateRef to a Secret that is not in the input as a
	 *  valid certificate: for dumps without Secrets (kubectl never prints them
	 *  unless asked). The listener stays programmed. */
	RB_OPT_ASSUME_SECRETS = 1u << 6
};

/** Envoy Gateway's controller name: GatewayClasses with this spec.controllerName are ours. */
#define RB_DEFAULT_CONTROLLER_NAME "gateway.envoyproxy.io/gatewayclass-controller"
/** The class used when neither the options nor the input name one (Envoy Gateway's tests). */
#define RB_FALLBACK_GATEWAY_CLASS "envoy-gateway-class"

/**
 * The default of the zero-endpoint exclusion (rb_translate_options.rebalance_default)
 * for rules that no BackendTrafficPolicy decides.
 *
 * How the two knobs of a rule are decided ([rebalance.policy.scopes]): the most specific
 * BackendTrafficPolicy that sets the field wins -- one targeting the route
 * rule (sectionName = rule name), then the route, then the parent Gateway's
 * listener named by the parentRef's sectionName, then the Gateway. A policy
 * that does not set the field leaves the decision to the next scope. When two
 * policies target the same scope, the first in input order claims it (Envoy
 * Gateway's conflict rule: the later one is not applied at all, even for a
 * field the first leaves unset). Policies are read in RB_MODE_REBALANCE, and
 * in compat mode only with RB_OPT_HONOR_POLICY; never with
 * RB_OPT_IGNORE_POLICY. Without a deciding policy:
 *  - spec.rebalanceOnNoEndpoints: rebalance_default;
 *  - spec.rebalanceOnNoReadyEndpoints (strict readiness): on with
 *    RB_OPT_REBALANCE_NOT_READY, else off.
 * The two knobs are independent. Where the zero-endpoint exclusion is on,
 * misconfigured gRPC backends are flagged invalid too ([grpc.alignment]), also in
 * compat mode: otherwise they would be excluded as "no endpoints".
 */
typedef enum rb_knob_default {
	RB_KNOB_DEFAULT_MODE = 0, /**< the mode decides: on in RB_MODE_REBALANCE, off in compat */
	RB_KNOB_DEFAULT_OFF = 1,  /**< off unless a policy turns it on */
	RB_KNOB_DEFAULT_ON = 2    /**< on unless a policy turns it off */
} rb_knob_default;

/** Options of one translation. */
typedef struct rb_translate_options {
	uint32_t size;  /**< sizeof(rb_translate_options) as the caller knows it */
	uint32_t mode;  /**< an rb_mode */
	uint32_t flags; /**< RB_OPT_* bits */
	/** A GatewayClass whose Gateways are ours (see gateway_classes); may be NULL. */
	const char *gateway_class;
	/** An rb_knob_default: the zero-endpoint exclusion where no policy decides.
	 *  Force it everywhere with RB_KNOB_DEFAULT_ON/OFF plus RB_OPT_IGNORE_POLICY. */
	uint32_t rebalance_default;
	/**
	 * Which Gateways are ours, as Envoy Gateway decides it: those of every
	 * GatewayClass in the input whose spec.controllerName is `controller_name`
	 * (NULL: RB_DEFAULT_CONTROLLER_NAME), plus the classes named here and in
	 * `gateway_class`. When that makes no class at all, the class is
	 * RB_FALLBACK_GATEWAY_CLASS, and the result has a warning naming the classes
	 * the Gateways use. The strings are copied by rb_translate.
	 */
	const char *const *gateway_classes;
	size_t gateway_class_count;
	const char *controller_name;
} rb_translate_options;

/** Static initializer: rebalance mode, no flags, the classes of the input's
 *  GatewayClasses of Envoy Gateway's controller, the mode's default for the
 *  zero-endpoint exclusion. */
#define RB_TRANSLATE_OPTIONS_INIT \
	{ sizeof(rb_translate_options), RB_MODE_REBALANCE, 0u, NULL, RB_KNOB_DEFAULT_MODE, NULL, 0, NULL }

/**
 * Fill `opts`, a struct of `size` bytes -- pass sizeof(rb_translate_options) --
 * with the defaults (those of RB_TRANSLATE_OPTIONS_INIT). Only `size` bytes are
 * written and `opts->size` is set to `size`, so a caller built against older
 * headers (a smaller struct) is safe with a newer library.
 * @return RB_OK, or RB_EINVAL (NULL, or `size` too small to hold `mode`)
 */
RB_API int rb_translate_options_init(rb_translate_options *opts, size_t size);

/** Presets for rb_translate_options_preset(). */
typedef enum rb_preset {
	RB_PRESET_REBALANCE = 0,     /**< the defaults */
	RB_PRESET_ENVOY_GATEWAY = 1  /**< upstream-compatible: mode RB_MODE_COMPAT_ENVOY_GATEWAY */
} rb_preset;

/** Fill `opts` (a struct of `size` bytes, as for rb_translate_options_init) with a
 *  preset (flags cleared). @return RB_OK or RB_EINVAL */
RB_API int rb_translate_options_preset(rb_translate_options *opts, size_t size, rb_preset preset);

RB_END_DECLS

#endif /* REBALANCE_OPTIONS_H */
