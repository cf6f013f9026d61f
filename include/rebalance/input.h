/*
 * rebalance -- input: Kubernetes manifests and Envoy Gateway testdata files.
 *
 * Accepted, per buffer (docs/cli.md):
 *  - the Envoy Gateway testdata layout: one YAML/JSON mapping whose keys hold
 *    lists of resources (`gateways`, `httpRoutes`, `services`,
 *    `endpointSlices`, `backends`, ...; keys case-insensitive, unknown keys
 *    ignored);
 *  - a Kubernetes manifest stream: multi-document YAML, `kind: List` with
 *    `items` (what `kubectl get -o yaml` prints);
 *  - the same as JSON.
 * Several buffers accumulate into one input, in order. Resources are kept in
 * input order; for Services, ServiceImports and Backends with the same
 * namespace/name the last one wins; EndpointSlices accumulate.
 *
 * A buffer is taken whole or not at all: when rb_input_add_buffer fails, the
 * input holds exactly what it held before, plus the diagnostics.
 *
 * Threads: an rb_input is used by one thread at a time while being filled;
 * once filled, several threads may translate it concurrently (it is only read).
 */
#ifndef REBALANCE_INPUT_H
#define REBALANCE_INPUT_H

#include "rebalance/common.h"

RB_BEGIN_DECLS

/** How a buffer is to be read. */
typedef enum rb_input_format {
	RB_INPUT_AUTO = 0, /**< JSON when the first non-blank byte is `{` or `[`, YAML otherwise */
	RB_INPUT_YAML = 1,
	RB_INPUT_JSON = 2
} rb_input_format;

/**
 * Create an empty input.
 * @param out receives the input (a new reference, free with rb_input_free)
 * @param ctx the context; must outlive the input
 * @return RB_OK, RB_EINVAL, RB_ENOMEM
 */
RB_API int rb_input_new(rb_input **out, rb_ctx *ctx);

/** Free an input. NULL is a no-op. Results (and explanations) translated from it stay
 *  valid: they keep what they need of it until they are freed themselves. */
RB_API void rb_input_free(rb_input *in);

/**
 * Read one buffer. The bytes are not retained and need no NUL terminator.
 * @param source_name the name used in diagnostics (copied; NULL means "<buffer>")
 * @return RB_OK; RB_EPARSE or RB_ELIMIT with diagnostics (rb_input_diag);
 *         RB_ENOMEM; RB_EINVAL (NULL input, or NULL buf with len > 0)
 */
RB_API int rb_input_add_buffer(rb_input *in, const void *buf, size_t len,
                               const char *source_name, rb_input_format format);

/**
 * Read one file (the path is also the source name). RB_EIO with a diagnostic
 * when it cannot be read; otherwise as rb_input_add_buffer. RB_INPUT_AUTO
 * also looks at the extension (.json).
 */
RB_API int rb_input_add_file(rb_input *in, const char *path, rb_input_format format);

/**
 * Read a file descriptor (a file, a pipe, standard input) to its end; it is
 * not closed. YAML is parsed as it is read, a window at a time, so the input
 * is never held whole in memory (JSON is: cJSON parses one buffer). What is
 * loaded, and every diagnostic (positions, the input-bytes limit), is what
 * rb_input_add_buffer gives for the same bytes. rb_input_add_file reads
 * through it. The descriptor must block (a read that fails, EAGAIN included,
 * is RB_EIO).
 * @param source_name the name used in diagnostics (copied; NULL means "<fd>")
 * @return as rb_input_add_file; RB_EINVAL also for a negative fd
 */
RB_API int rb_input_add_fd(rb_input *in, int fd, const char *source_name,
                           rb_input_format format);

/**
 * Read an Envoy Gateway configuration document (apiVersion
 * gateway.envoyproxy.io/v1alpha1, kind EnvoyGateway; what `rebalance
 * --config FILE` reads). What of it changes destinations:
 *  - `extensionApis.enableBackend`: Backend resources are usable only when
 *    true, as in Envoy Gateway (without any configuration document they are
 *    usable, as in Envoy Gateway's translator tests);
 *  - `extensionManager.resources` and `extensionManager.backendResources`:
 *    a backendRef to one of these group/kinds is a custom backend, looked up
 *    among the `extensionRefFilters` objects of the input ([custom.select]).
 * A later document replaces an earlier one. Same return codes and
 * all-or-nothing rule as rb_input_add_buffer; the source name is used in
 * diagnostics (NULL: "<config>").
 */
RB_API int rb_input_add_config(rb_input *in, const void *buf, size_t len, const char *source_name);

/** rb_input_add_config on a file (the path is the source name); RB_EIO when unreadable. */
RB_API int rb_input_add_config_file(rb_input *in, const char *path);

/** Number of diagnostics recorded by failed rb_input_add_* calls. */
RB_API size_t rb_input_diag_count(const rb_input *in);

/** Diagnostic `i` (borrowed, valid until rb_input_free), or NULL when out of range. */
RB_API const rb_diag *rb_input_diag(const rb_input *in, size_t i);

/**
 * The namespace of namespaced objects of Kubernetes manifests (not of the
 * Envoy Gateway testdata layout) that have no metadata.namespace, for the
 * buffers added after this call: what `kubectl apply -n NS` gives them.
 * The default is "default". The string is copied.
 * @return RB_OK; RB_EINVAL (NULL input, NULL or empty namespace); RB_ENOMEM
 */
RB_API int rb_input_set_namespace(rb_input *in, const char *namespace_);

/**
 * Number of warnings recorded while reading: unknown fields in structs whose
 * fields are all known (with the closest known name), unknown kinds and
 * apiVersions of the API groups read, legacy Endpoints objects. A warning is
 * an rb_diag (code RB_OK) with the same fields as a diagnostic. Buffers that
 * fail leave none.
 */
RB_API size_t rb_input_warning_count(const rb_input *in);

/** Warning `i` (borrowed, valid until rb_input_free), or NULL when out of range. */
RB_API const rb_diag *rb_input_warning(const rb_input *in, size_t i);

/** Number of resources held (all kinds), for information. */
RB_API size_t rb_input_object_count(const rb_input *in);

RB_END_DECLS

#endif /* REBALANCE_INPUT_H */
