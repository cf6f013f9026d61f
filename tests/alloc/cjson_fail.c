/*
 * cJSON's allocation failures: cJSON allocates with malloc, not with the
 * context's allocator, so alloc_fail.c cannot make them fail. Here cJSON's
 * own hooks (process-global: fine in a test program, never installed by the
 * library) fail its K-th allocation as malloc fails, with errno ENOMEM, for
 * every K until a run makes no failing allocation. Each run must give
 * RB_ENOMEM or exactly the baseline -- never "invalid JSON" (issue 14).
 *
 * The input has escaped strings at the outer levels (decoded by cJSON one at
 * a time) and objects below them (parsed by cJSON subtree by subtree).
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <rebalance/rebalance.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long count, fail_at;

static void *failing_malloc(size_t n)
{
	if (++count == fail_at) {
		errno = ENOMEM; /* as malloc does */
		return NULL;
	}
	return malloc(n);
}

static const char INPUT[] =
    "{\"kind\": \"List\", \"apiVersion\": \"v1\", \"metadata\": {\"na\\u006De\": \"x\"},\n"
    " \"items\": [\n"
    "  {\"apiVersion\": \"v1\", \"kind\": \"Service\",\n"
    "   \"metadata\": {\"namespace\": \"shop\", \"name\": \"web\", \"labels\": {\"a\\tb\": "
    "\"c\"}},\n"
    "   \"spec\": {\"ports\": [{\"name\": \"http\", \"port\": 80}, {\"port\": 443}]}},\n"
    "  {\"apiVersion\": \"discovery.k8s.io/v1\", \"kind\": \"EndpointSlice\",\n"
    "   \"metadata\": {\"namespace\": \"shop\", \"name\": \"web-1\",\n"
    "                \"labels\": {\"kubernetes.io/service-name\": \"web\"}},\n"
    "   \"addressType\": \"IPv4\", \"ports\": [{\"name\": \"http\", \"port\": 8080}],\n"
    "   \"endpoints\": [{\"addresses\": [\"10.0.0.1\"]}, {\"addresses\": [\"10.0.0.2\"]}]}\n"
    " ]}\n";

static int load(size_t *objects)
{
	rb_ctx *ctx;
	rb_input *in;
	if (rb_ctx_new(&ctx, NULL) != RB_OK)
		return RB_ENOMEM;
	if (rb_input_new(&in, ctx) != RB_OK) {
		rb_ctx_free(ctx);
		return RB_ENOMEM;
	}
	int rc = rb_input_add_buffer(in, INPUT, sizeof INPUT - 1, "in.json", RB_INPUT_JSON);
	*objects = rb_input_object_count(in);
	if (rc != RB_OK && rc != RB_ENOMEM && rb_input_diag_count(in))
		fprintf(stderr, "  diagnostic: %s\n", rb_diag_message(rb_input_diag(in, 0)));
	rb_input_free(in);
	rb_ctx_free(ctx);
	return rc;
}

int main(void)
{
	cJSON_Hooks hooks = {failing_malloc, free};
	cJSON_InitHooks(&hooks);
	size_t base_objects;
	count = 0;
	fail_at = 0;
	int base = load(&base_objects);
	unsigned long total = count;
	if (base != RB_OK || base_objects != 2 || total == 0) {
		fprintf(stderr, "baseline: rc %d, %zu objects, %lu cJSON allocations\n", base,
		        base_objects, total);
		return 1;
	}
	int failures = 0;
	for (fail_at = 1; fail_at <= total; fail_at++) {
		count = 0;
		size_t objects;
		int rc = load(&objects);
		if (rc != RB_ENOMEM && !(rc == RB_OK && objects == base_objects)) {
			fprintf(stderr,
			        "cJSON allocation %lu of %lu failing: rc %d (%s), expected "
			        "RB_ENOMEM\n",
			        fail_at, total, rc, rb_strerror(rc));
			failures++;
		}
	}
	printf("cjson_fail: %lu runs, %d wrong\n", total, failures);
	return failures ? 1 : 0;
}
