/*
 * The Kubernetes and Gateway API vocabulary the library speaks: API groups,
 * kinds, backend kinds, route condition types and reasons. One spelling of
 * each word; code branches on the enums, the strings are what is written.
 */
#ifndef RB_MODEL_VOCAB_H
#define RB_MODEL_VOCAB_H

#include <stdbool.h>

/* ---- API groups ---- */

#define RB_GROUP_CORE          ""                          /* apiVersion "v1" */
#define RB_GROUP_GATEWAY       "gateway.networking.k8s.io" /* Gateway API */
#define RB_GROUP_ENVOY_GATEWAY "gateway.envoyproxy.io"     /* Envoy Gateway's own kinds */
#define RB_GROUP_MCS           "multicluster.x-k8s.io"     /* Multi-Cluster Services */

/*
 * Whether an apiVersion ("group/version", or "version" for the core group)
 * belongs to `group`, as Kubernetes' schema.ParseGroupVersion reads it:
 * "v1" is the core group "", "gateway.envoyproxy.io/v1alpha1" is
 * gateway.envoyproxy.io. NULL apiVersion: false.
 */
bool rb__api_version_in_group(const char *api_version, const char *group);

/* ---- kinds ---- */

#define RB_KIND_GATEWAY           "Gateway"
#define RB_KIND_LISTENER_SET      "ListenerSet"
#define RB_KIND_SERVICE           "Service"
#define RB_KIND_SERVICE_IMPORT    "ServiceImport"
#define RB_KIND_BACKEND           "Backend"
#define RB_KIND_HTTP_ROUTE_FILTER "HTTPRouteFilter"

/* The Service type Envoy Gateway refuses as a backend. */
#define RB_SERVICE_TYPE_EXTERNAL_NAME "ExternalName"

/* What a backendRef names, by its kind (the group is checked apart, as
 * Envoy Gateway's validateBackendRef does). */
typedef enum rb__backend_kind {
	RB_BACKEND_UNKNOWN = 0,    /* a kind no rule accepts (InvalidKind) */
	RB_BACKEND_SERVICE,        /* core Service (the default kind) */
	RB_BACKEND_SERVICE_IMPORT, /* MCS ServiceImport */
	RB_BACKEND_BACKEND,        /* Envoy Gateway Backend */
	RB_BACKEND_CUSTOM,         /* a kind registered in the EnvoyGateway configuration */
} rb__backend_kind;

/* The built-in backend kind named by `kind` ("" or NULL: Service); never CUSTOM. */
rb__backend_kind rb__backend_kind_of(const char *kind);
/* A backendRef's kind with its default applied: "Service" when empty or
 * absent ([input.backendref.defaults]). */
const char *rb__backend_ref_kind(const char *kind);

/* ---- route conditions ---- */

#define RB_COND_NAME_ACCEPTED           "Accepted"
#define RB_COND_NAME_RESOLVED_REFS      "ResolvedRefs"
#define RB_COND_NAME_BACKENDS_AVAILABLE "BackendsAvailable"
#define RB_COND_NAME_PARTIALLY_INVALID  "PartiallyInvalid"

/* Why a backendRef failed: the ResolvedRefs (or BackendsAvailable) reason. */
typedef enum rb__ref_reason {
	RB_REF_OK = 0,
	RB_REF_BACKEND_NOT_FOUND,
	RB_REF_ENDPOINTS_NOT_FOUND, /* the one BackendsAvailable reason */
	RB_REF_INVALID_KIND,
	RB_REF_INVALID_BACKEND_REF,
	RB_REF_INVALID_BACKEND_FILTERS,
	RB_REF_INVALID_BACKEND_TLS,
	RB_REF_INVALID_ADDRESS,
	RB_REF_NOT_PERMITTED,
	RB_REF_PORT_NOT_FOUND,
	RB_REF_PORT_NOT_SPECIFIED,
	RB_REF_UNSUPPORTED_ADDRESS_TYPE,
	RB_REF_UNSUPPORTED_REF_VALUE,
	RB_REF_UNSUPPORTED_VALUE,
	RB_REF_REASON_COUNT
} rb__ref_reason;

/* The condition reason written for `r` ("BackendNotFound"...); NULL for RB_REF_OK. */
const char *rb__ref_reason_name(rb__ref_reason r);

/* Reasons of route errors that are not about one backendRef. */
#define RB_REASON_UNSUPPORTED_VALUE    "UnsupportedValue"
#define RB_REASON_INVALID_BACKEND_REF  "InvalidBackendRef"
#define RB_REASON_REF_NOT_PERMITTED    "RefNotPermitted"
#define RB_REASON_BACKEND_NOT_FOUND    "BackendNotFound"

#endif
