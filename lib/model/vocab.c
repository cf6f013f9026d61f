/* The vocabulary's functions: apiVersion groups, backend kinds, reason names (vocab.h). */
#include "model/vocab.h"

#include <string.h>

bool rb__api_version_in_group(const char *api_version, const char *group)
{
	if (!api_version)
		return false;
	const char *slash = strchr(api_version, '/');
	if (!slash)
		return group[0] == '\0'; /* "v1": the core group */
	return strlen(group) == (size_t)(slash - api_version) &&
	       !memcmp(api_version, group, (size_t)(slash - api_version));
}

rb__backend_kind rb__backend_kind_of(const char *kind)
{
	if (!kind || !kind[0] || !strcmp(kind, RB_KIND_SERVICE))
		return RB_BACKEND_SERVICE;
	if (!strcmp(kind, RB_KIND_SERVICE_IMPORT))
		return RB_BACKEND_SERVICE_IMPORT;
	if (!strcmp(kind, RB_KIND_BACKEND))
		return RB_BACKEND_BACKEND;
	return RB_BACKEND_UNKNOWN;
}

const char *rb__backend_ref_kind(const char *kind)
{
	return kind && kind[0] ? kind : RB_KIND_SERVICE;
}

const char *rb__ref_reason_name(rb__ref_reason r)
{
	static const char *const NAMES[RB_REF_REASON_COUNT] = {
		[RB_REF_OK] = NULL,
		[RB_REF_BACKEND_NOT_FOUND] = "BackendNotFound",
		[RB_REF_ENDPOINTS_NOT_FOUND] = "EndpointsNotFound",
		[RB_REF_INVALID_KIND] = "InvalidKind",
		[RB_REF_INVALID_BACKEND_REF] = "InvalidBackendRef",
		[RB_REF_INVALID_BACKEND_FILTERS] = "InvalidBackendFilters",
		[RB_REF_INVALID_BACKEND_TLS] = "InvalidBackendTLS",
		[RB_REF_INVALID_ADDRESS] = "InvalidAddress",
		[RB_REF_NOT_PERMITTED] = "RefNotPermitted",
		[RB_REF_PORT_NOT_FOUND] = "PortNotFound",
		[RB_REF_PORT_NOT_SPECIFIED] = "PortNotSpecified",
		[RB_REF_UNSUPPORTED_ADDRESS_TYPE] = "UnsupportedAddressType",
		[RB_REF_UNSUPPORTED_REF_VALUE] = "UnsupportedRefValue",
		[RB_REF_UNSUPPORTED_VALUE] = "UnsupportedValue",
	};
	return (unsigned)r < RB_REF_REASON_COUNT ? NAMES[r] : NULL;
}
