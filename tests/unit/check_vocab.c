/*
 * The vocabulary (lib/model/vocab.h): an apiVersion's group as Kubernetes'
 * schema.ParseGroupVersion reads it ("v1" is the core group), backend kinds,
 * and the reason names backendRef failures are written with.
 */
#include <check.h>
#include <string.h>

#include "model/vocab.h"
#include "testutil.h"

START_TEST(api_version_groups)
{
	ck_assert(rb__api_version_in_group("v1", RB_GROUP_CORE));
	ck_assert(!rb__api_version_in_group("v1", RB_GROUP_ENVOY_GATEWAY));
	ck_assert(rb__api_version_in_group("gateway.envoyproxy.io/v1alpha1", RB_GROUP_ENVOY_GATEWAY));
	ck_assert(!rb__api_version_in_group("gateway.envoyproxy.io/v1alpha1", RB_GROUP_CORE));
	/* A prefix of the group is not the group. */
	ck_assert(!rb__api_version_in_group("gateway.envoyproxy.io/v1", "gateway.envoyproxy"));
	ck_assert(!rb__api_version_in_group("gateway/v1", RB_GROUP_GATEWAY));
	ck_assert(!rb__api_version_in_group(NULL, RB_GROUP_CORE));
}
END_TEST

START_TEST(backend_kinds)
{
	ck_assert_int_eq(rb__backend_kind_of(NULL), RB_BACKEND_SERVICE);
	ck_assert_int_eq(rb__backend_kind_of(""), RB_BACKEND_SERVICE);
	ck_assert_int_eq(rb__backend_kind_of("Service"), RB_BACKEND_SERVICE);
	ck_assert_int_eq(rb__backend_kind_of("ServiceImport"), RB_BACKEND_SERVICE_IMPORT);
	ck_assert_int_eq(rb__backend_kind_of("Backend"), RB_BACKEND_BACKEND);
	ck_assert_int_eq(rb__backend_kind_of("service"), RB_BACKEND_UNKNOWN);
	ck_assert_int_eq(rb__backend_kind_of("Foo"), RB_BACKEND_UNKNOWN);
}
END_TEST

START_TEST(every_reason_has_a_name)
{
	ck_assert_ptr_null(rb__ref_reason_name(RB_REF_OK));
	for (int r = RB_REF_OK + 1; r < RB_REF_REASON_COUNT; r++) {
		const char *name = rb__ref_reason_name((rb__ref_reason)r);
		ck_assert_ptr_nonnull(name);
		ck_assert(name[0] >= 'A' && name[0] <= 'Z');
	}
	ck_assert_str_eq(rb__ref_reason_name(RB_REF_ENDPOINTS_NOT_FOUND), "EndpointsNotFound");
	ck_assert_str_eq(rb__ref_reason_name(RB_REF_BACKEND_NOT_FOUND), RB_REASON_BACKEND_NOT_FOUND);
	ck_assert_ptr_null(rb__ref_reason_name(RB_REF_REASON_COUNT));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("vocab");
	TCase *tc = tcase_create("vocab");
	tcase_add_test(tc, api_version_groups);
	tcase_add_test(tc, backend_kinds);
	tcase_add_test(tc, every_reason_has_a_name);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
