/*
 * Shared helpers of the fuzz targets (docs/fuzzing.md). Header-only and
 * static, so that every target stays one translation unit plus the driver.
 *
 * Harness rules (docs/fuzzing.md): no global state; every object freed on
 * every path (LSan watches); abort() only when an invariant of ours breaks.
 */
#ifndef RB_FUZZ_COMMON_H
#define RB_FUZZ_COMMON_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/text.h"
#include "rebalance/rebalance.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Inputs are split into separate buffers (files) at this byte: it is never
 * valid in YAML (a control character) nor in JSON (not whitespace). */
#define RB_FUZZ_SEP '\f'

__attribute__((noreturn, format(printf, 1, 2))) static void rb_fuzz_fail(const char *fmt, ...);

static void rb_fuzz_fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("rebalance fuzz invariant broken: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	abort();
}

/* A context with the fuzzing limits: the defaults, except a smaller node
 * budget, and aliases allowed up to alias_budget expanded nodes (0: none). */
static inline rb_ctx *rb_fuzz_ctx(uint64_t alias_budget)
{
	rb_ctx *ctx = NULL;
	if (rb_ctx_new(&ctx, NULL) != RB_OK)
		rb_fuzz_fail("rb_ctx_new");
	if (rb_ctx_set_limit(ctx, RB_LIMIT_NODES, 1u << 20) != RB_OK ||
	    rb_ctx_set_limit(ctx, RB_LIMIT_ALIAS_EXPANSION, alias_budget) != RB_OK)
		rb_fuzz_fail("rb_ctx_set_limit");
	return ctx;
}

/* The entry points that read a buffer: rb_input_add_buffer and rb_input_add_config. */
typedef enum rb_fuzz_entry { RB_FUZZ_RESOURCES, RB_FUZZ_CONFIG } rb_fuzz_entry;

/*
 * Add one buffer through `entry` and check the contract of the rb_input_add_*
 * calls: on failure exactly one new diagnostic, with the code returned, a
 * location inside the buffer (line and column >= 1, consistent with the byte
 * offset), and the input unchanged (all or nothing). Returns the call's code.
 */
static inline int rb_fuzz_add_via(rb_fuzz_entry entry, rb_input *in, const uint8_t *buf,
                                  size_t len, const char *name, rb_input_format fmt)
{
	size_t objs = rb_input_object_count(in);
	size_t ndiag = rb_input_diag_count(in);
	const void *data = len ? buf : NULL;
	int rc = entry == RB_FUZZ_CONFIG ? rb_input_add_config(in, data, len, name)
	                                 : rb_input_add_buffer(in, data, len, name, fmt);
	if (rc == RB_OK) {
		if (rb_input_diag_count(in) != ndiag)
			rb_fuzz_fail("diagnostic recorded on success");
		return rc;
	}
	if (rc != RB_EPARSE && rc != RB_ELIMIT)
		rb_fuzz_fail("rb_input_add_* returned %d (%s)", rc, rb_strerror(rc));
	if (rb_input_diag_count(in) != ndiag + 1)
		rb_fuzz_fail("%zu diagnostics for one failed buffer", rb_input_diag_count(in) - ndiag);
	if (rb_input_object_count(in) != objs)
		rb_fuzz_fail("a failed buffer changed the input (%zu objects, was %zu)",
		             rb_input_object_count(in), objs);
	const rb_diag *d = rb_input_diag(in, ndiag);
	char msg[2048];
	size_t need = rb_diag_format(d, msg, sizeof msg);
	if (rb_diag_code(d) != rc)
		rb_fuzz_fail("diagnostic code %d, returned %d: %s", rb_diag_code(d), rc, msg);
	if (strcmp(rb_diag_source(d), name) != 0)
		rb_fuzz_fail("diagnostic source \"%s\", expected \"%s\"", rb_diag_source(d), name);
	if (rb_diag_line(d) < 1 || rb_diag_column(d) < 1)
		rb_fuzz_fail("diagnostic without a location: %s", msg);
	if (rb_diag_offset(d) > len)
		rb_fuzz_fail("diagnostic offset %llu past the end (%zu): %s",
		             (unsigned long long)rb_diag_offset(d), len, msg);
	if (!*rb_diag_message(d) || need < strlen(rb_diag_message(d)))
		rb_fuzz_fail("empty or truncated diagnostic: %s", msg);
	/* Line and column agree with the byte offset (YAML counts NEL, LS and PS as
	 * line breaks; JSON does not: the format decides; configuration is YAML). */
	bool yaml = fmt == RB_INPUT_YAML || entry == RB_FUZZ_CONFIG;
	if (fmt == RB_INPUT_AUTO && entry != RB_FUZZ_CONFIG) {
		size_t i = rb__has_bom(buf, len) ? 3 : 0;
		while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n' || buf[i] == '\r'))
			i++;
		yaml = !(i < len && (buf[i] == '{' || buf[i] == '['));
	}
	rb__ld_loc loc = rb__text_loc(buf, len, (size_t)rb_diag_offset(d), yaml);
	if (loc.line != rb_diag_line(d) || loc.column != rb_diag_column(d))
		rb_fuzz_fail("diagnostic at %u:%u but its offset %llu is at %u:%u: %s",
		             rb_diag_line(d), rb_diag_column(d),
		             (unsigned long long)rb_diag_offset(d), loc.line, loc.column, msg);
	return rc;
}

/* rb_fuzz_add_via for resources (rb_input_add_buffer). */
static inline int rb_fuzz_add(rb_input *in, const uint8_t *buf, size_t len, const char *name,
                              rb_input_format fmt)
{
	return rb_fuzz_add_via(RB_FUZZ_RESOURCES, in, buf, len, name, fmt);
}

/*
 * Translation options from one byte:
 *   bit 0     mode: 0 rebalance, 1 compat envoy-gateway
 *   bits 1-5  RB_OPT_* flags (disable backend API, running on host,
 *             rebalance not ready, honour policy, gateway namespace mode)
 *   bit 6     target-specific (output format, or the raw round trip)
 *   bit 7     gateway class "eg" instead of the default
 */
static inline rb_translate_options rb_fuzz_options(uint8_t b)
{
	rb_translate_options o = RB_TRANSLATE_OPTIONS_INIT;
	o.mode = (b & 1u) ? RB_MODE_COMPAT_ENVOY_GATEWAY : RB_MODE_REBALANCE;
	o.flags = (uint32_t)(b >> 1) & 0x1Fu;
	o.gateway_class = (b & 0x80u) ? "eg" : NULL;
	return o;
}

/* Read every buffer of data (split at RB_FUZZ_SEP) into `in`; failed buffers
 * are checked and skipped, as a caller that goes on would do. */
static inline void rb_fuzz_add_all(rb_input *in, const uint8_t *data, size_t size)
{
	char name[32];
	unsigned k = 0;
	size_t start = 0;
	for (size_t i = 0; i <= size; i++) {
		if (i < size && data[i] != (uint8_t)RB_FUZZ_SEP)
			continue;
		snprintf(name, sizeof name, "input-%u", k++);
		rb_fuzz_add(in, data + start, i - start, name, RB_INPUT_AUTO);
		start = i + 1;
	}
}

#endif
