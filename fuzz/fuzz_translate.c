/*
 * fuzz_translate: the whole library path. The first byte chooses the
 * translation options (rb_fuzz_options: mode, flags, gateway class) and,
 * with bit 6, JSON output instead of YAML; the rest is split at form feeds
 * into several buffers read with RB_INPUT_AUTO (a failed one is skipped, so
 * the all-or-nothing rewind of a non-empty input is exercised), then
 * translated, serialized, and walked through every result accessor.
 * Default limits: aliases are rejected.
 */
#include "fuzz_common.h"

static size_t walk(const rb_result *res)
{
	size_t n = 0;
	for (size_t i = 0; i < rb_result_destination_count(res); i++) {
		const rb_destination *d = rb_result_destination(res, i);
		n += strlen(rb_destination_name(d)) + strlen(rb_destination_route_kind(d));
		n += rb_destination_direct_response(d) + (size_t)(rb_destination_rule(d) + 1);
		n += rb_destination_backend_weight(d, RB_WEIGHT_VALID) +
		     rb_destination_backend_weight(d, RB_WEIGHT_INVALID) +
		     rb_destination_backend_weight(d, RB_WEIGHT_NO_ENDPOINTS);
		for (size_t k = 0; k < rb_destination_excluded_count(d); k++)
			n += strlen(rb_destination_excluded_name(d, k)) +
			     rb_destination_excluded_weight(d, k) +
			     strlen(rb_destination_excluded_reason(d, k));
		for (size_t s = 0; s < rb_destination_setting_count(d); s++) {
			const rb_setting *st = rb_destination_setting(d, s);
			n += strlen(rb_setting_name(st)) + rb_setting_weight(st) +
			     rb_setting_priority(st) + rb_setting_flags(st);
			n += rb_setting_protocol(st) ? 1 : 0;
			n += rb_setting_address_type(st) ? 1 : 0;
			n += rb_setting_metadata_kind(st) ? 1 : 0;
			for (size_t e = 0; e < rb_setting_endpoint_count(st); e++) {
				const rb_endpoint *ep = rb_setting_endpoint(st, e);
				n += strlen(rb_endpoint_host(ep)) + rb_endpoint_port(ep) +
				     (size_t)rb_endpoint_draining(ep);
			}
		}
		if (rb_destination_setting(d, rb_destination_setting_count(d)) != NULL)
			rb_fuzz_fail("setting past the end");
	}
	if (rb_result_destination(res, rb_result_destination_count(res)) != NULL)
		rb_fuzz_fail("destination past the end");
	for (size_t i = 0; i < rb_result_route_status_count(res); i++) {
		const rb_route_status *rs = rb_result_route_status(res, i);
		n += strlen(rb_route_status_kind(rs)) + strlen(rb_route_status_name(rs));
		n += rb_route_status_parent_port(rs);
		for (size_t c = 0; c < rb_route_status_condition_count(rs); c++) {
			const rb_condition *cd = rb_route_status_condition(rs, c);
			n += strlen(rb_condition_type(cd)) + strlen(rb_condition_status(cd)) +
			     strlen(rb_condition_reason(cd)) + strlen(rb_condition_message(cd));
		}
	}
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	rb_translate_options opts = rb_fuzz_options(data[0]);
	rb_format format = (data[0] & 0x40u) ? RB_FORMAT_JSON : RB_FORMAT_YAML;
	rb_ctx *ctx = rb_fuzz_ctx(0);
	rb_input *in = NULL;
	if (rb_input_new(&in, ctx) != RB_OK)
		rb_fuzz_fail("rb_input_new");
	rb_fuzz_add_all(in, data + 1, size - 1);
	rb_result *res = NULL;
	int rc = rb_translate(&res, in, &opts);
	if (rc != RB_OK)
		rb_fuzz_fail("rb_translate returned %d (%s)", rc, rb_strerror(rc));
	char *out = NULL;
	size_t len = 0;
	rc = rb_result_to_buffer(res, format, &out, &len);
	if (rc != RB_OK)
		rb_fuzz_fail("rb_result_to_buffer returned %d (%s)", rc, rb_strerror(rc));
	if (len == 0 || out[len - 1] != '\n' || strlen(out) != len)
		rb_fuzz_fail("output without a final newline, or with a NUL");
	volatile size_t sink = walk(res);
	(void)sink;
	rb_free(ctx, out);
	rb_result_free(res);
	rb_input_free(in);
	rb_ctx_free(ctx);
	return 0;
}
