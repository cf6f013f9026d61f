/*
 * Unit tests of the writer's pickle back end (lib/emit/writer_pickle.c,
 * RB_FORMAT_PICKLE): the exact opcodes of small documents (numbers, strings,
 * collections, the memo of keys), the frames of large ones (checked by a
 * test-only walker that knows the length of every opcode the back end
 * writes), and errors. That the objects equal json.loads of the JSON output
 * is checked in Python (bindings/python/tests).
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "emit/emit.h"
#include "emit/writer.h"
#include "rebalance/errors.h"
#include "testutil.h"

/* ---------------------------------------------------------------- sink */

static rb__mem g_mem;
static tu_sink g_sink;
/* The output's bytes, as the opcodes are read. */
#define OUT ((const unsigned char *)g_sink.data)

static rb__writer *wopen(void)
{
	rb__mem_default(&g_mem);
	free(g_sink.data);
	memset(&g_sink, 0, sizeof g_sink);
	rb__writer *w = NULL;
	ck_assert_int_eq(rb__writer_new(&w, &g_mem, RB_FORMAT_PICKLE, tu_sink_write, &g_sink), RB_OK);
	return w;
}

static void wclose(rb__writer *w)
{
	ck_assert_int_eq(rb__writer_finish(w), RB_OK);
	rb__writer_free(w);
}

static void teardown(void)
{
	free(g_sink.data);
	memset(&g_sink, 0, sizeof g_sink);
}

/*
 * The output must be PROTO 4, one FRAME holding `body` (n bytes) then STOP.
 * Bodies are written as C string literals, so n is given (they hold NULs).
 */
#define expect_body(body) expect_body_(body, sizeof(body) - 1, __LINE__)
static void expect_body_(const char *body, size_t n, int line)
{
	const unsigned char *d = OUT;
	ck_assert_msg(g_sink.len == 2 + 9 + n + 1, "line %d: %zu bytes, want %zu", line, g_sink.len,
	              2 + 9 + n + 1);
	ck_assert_msg(d[0] == 0x80 && d[1] == 4 && d[2] == 0x95, "line %d: PROTO 4, FRAME", line);
	uint64_t flen = 0;
	for (int i = 0; i < 8; i++)
		flen |= (uint64_t)d[3 + i] << (8 * i);
	ck_assert_msg(flen == n + 1, "line %d: frame of %llu bytes", line, (unsigned long long)flen);
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(d[11 + i] == (unsigned char)body[i], "line %d: byte %zu is %02x, want %02x",
		              line, i, d[11 + i], (unsigned char)body[i]);
	ck_assert_msg(d[11 + n] == '.', "line %d: STOP", line);
}

/* ------------------------------------------------------------- numbers */

static void one_uint(uint64_t v)
{
	rb__writer *w = wopen();
	ck_assert_int_eq(rb__w_uint(w, v), RB_OK);
	wclose(w);
}

static void one_int(int64_t v)
{
	rb__writer *w = wopen();
	ck_assert_int_eq(rb__w_int(w, v), RB_OK);
	wclose(w);
}

static void one_number(const char *text)
{
	rb__writer *w = wopen();
	ck_assert_int_eq(rb__w_number(w, text, strlen(text)), RB_OK);
	wclose(w);
}

START_TEST(test_ints)
{
	one_uint(0);
	expect_body("K\x00");
	one_uint(255);
	expect_body("K\xff");
	one_uint(256);
	expect_body("M\x00\x01");
	one_uint(65535);
	expect_body("M\xff\xff");
	one_uint(65536);
	expect_body("J\x00\x00\x01\x00");
	one_int(-1);
	expect_body("J\xff\xff\xff\xff");
	one_int(INT32_MIN);
	expect_body("J\x00\x00\x00\x80");
	one_int(INT32_MAX);
	expect_body("J\xff\xff\xff\x7f");
	/* LONG1: the fewest two's complement bytes, little-endian. */
	one_int((int64_t)INT32_MAX + 1);
	expect_body("\x8a\x05\x00\x00\x00\x80\x00");
	one_int((int64_t)INT32_MIN - 1);
	expect_body("\x8a\x05\xff\xff\xff\x7f\xff");
	one_int(INT64_MAX);
	expect_body("\x8a\x08\xff\xff\xff\xff\xff\xff\xff\x7f");
	one_int(INT64_MIN);
	expect_body("\x8a\x08\x00\x00\x00\x00\x00\x00\x00\x80");
	one_uint(UINT64_MAX);
	expect_body("\x8a\x09\xff\xff\xff\xff\xff\xff\xff\xff\x00");
	one_uint((uint64_t)1 << 63);
	expect_body("\x8a\x09\x00\x00\x00\x00\x00\x00\x00\x80\x00");
}
END_TEST

START_TEST(test_number_text)
{
	/* JSON ints: json.loads gives an int; "-0" is 0, never INT's "-0" (False). */
	one_number("0");
	expect_body("K\x00");
	one_number("-0");
	expect_body("K\x00");
	one_number("8080");
	expect_body("M\x90\x1f");
	one_number("-123456789012345678");
	expect_body("\x8a\x08\xb2\x0c\xcf\x59\xb4\x64\x49\xfe");
	/* Past 18 digits: INT's decimal text, read to any size. */
	one_number("12345678901234567890123");
	expect_body("I12345678901234567890123\n");
	one_number("-9223372036854775809");
	expect_body("I-9223372036854775809\n");
	/* JSON floats: BINFLOAT, big-endian; past float64's range inf, as Python's float(). */
	one_number("1.5");
	expect_body("G\x3f\xf8\x00\x00\x00\x00\x00\x00");
	one_number("-0.0");
	expect_body("G\x80\x00\x00\x00\x00\x00\x00\x00");
	one_number("1e3");
	expect_body("G\x40\x8f\x40\x00\x00\x00\x00\x00");
	one_number("1e999");
	expect_body("G\x7f\xf0\x00\x00\x00\x00\x00\x00");
	one_number("-1E999");
	expect_body("G\xff\xf0\x00\x00\x00\x00\x00\x00");
	one_number("1e-999");
	expect_body("G\x00\x00\x00\x00\x00\x00\x00\x00");
	one_number("0.1");
	expect_body("G\x3f\xb9\x99\x99\x99\x99\x99\x9a");
	/* A float text longer than the stack copy. */
	one_number("0.1000000000000000000000000000000000000000000000000000000000000000000000000001");
	expect_body("G\x3f\xb9\x99\x99\x99\x99\x99\x9a");
	/* Not JSON number syntax: the string the JSON back end writes. */
	one_number(".inf");
	expect_body("\x8c\x04.inf");
	one_number("01");
	expect_body("\x8c\x02" "01");
	one_number("+1");
	expect_body("\x8c\x02+1");
	one_number("0x1F");
	expect_body("\x8c\x04" "0x1F");
}
END_TEST

START_TEST(test_bool_null)
{
	rb__writer *w = wopen();
	ck_assert_int_eq(rb__w_seq_begin(w, false), RB_OK);
	ck_assert_int_eq(rb__w_bool(w, true), RB_OK);
	ck_assert_int_eq(rb__w_bool(w, false), RB_OK);
	ck_assert_int_eq(rb__w_null(w), RB_OK);
	ck_assert_int_eq(rb__w_seq_end(w), RB_OK);
	wclose(w);
	expect_body("](\x88\x89Ne");
}
END_TEST

/* ------------------------------------------------------------- strings */

static char *filled(size_t n)
{
	char *s = malloc(n + 1);
	ck_assert_ptr_nonnull(s);
	memset(s, 'a', n);
	s[n] = '\0';
	return s;
}

START_TEST(test_strings)
{
	rb__writer *w = wopen();
	ck_assert_int_eq(rb__w_strn(w, "", 0), RB_OK);
	wclose(w);
	expect_body("\x8c\x00");

	/* NUL and control bytes as they are; UTF-8 passed through. */
	w = wopen();
	ck_assert_int_eq(rb__w_strn(w, "a\0\"\\\x7f\xc3\xa9", 7), RB_OK);
	wclose(w);
	expect_body("\x8c\x07" "a\0\"\\\x7f\xc3\xa9");

	/* 255 bytes: SHORT_BINUNICODE; 256: BINUNICODE. */
	char *s = filled(256);
	w = wopen();
	ck_assert_int_eq(rb__w_strn(w, s, 255), RB_OK);
	wclose(w);
	ck_assert_uint_eq(g_sink.len, 2 + 9 + 2 + 255 + 1);
	ck_assert_uint_eq(OUT[11], 0x8c);
	ck_assert_uint_eq(OUT[12], 255);
	w = wopen();
	ck_assert_int_eq(rb__w_strn(w, s, 256), RB_OK);
	wclose(w);
	ck_assert_uint_eq(g_sink.len, 2 + 9 + 5 + 256 + 1);
	ck_assert_mem_eq(OUT + 11, "X\x00\x01\x00\x00", 5);
	free(s);

	/* Invalid UTF-8, as a value or a key: RB_EINVAL, as in the other back ends. */
	w = wopen();
	ck_assert_int_eq(rb__w_strn(w, "\xc3\x28", 2), RB_EINVAL);
	rb__writer_free(w);
	w = wopen();
	ck_assert_int_eq(rb__w_map_begin(w, false), RB_OK);
	ck_assert_int_eq(rb__w_keyn(w, "\xed\xa0\x80", 3), RB_EINVAL); /* a surrogate */
	rb__writer_free(w);
}
END_TEST

START_TEST(test_string_past_a_frame)
{
	/* 70000 bytes: between two frames, header and text unframed. */
	size_t n = 70000;
	char *s = filled(n);
	rb__writer *w = wopen();
	ck_assert_int_eq(rb__w_seq_begin(w, false), RB_OK);
	ck_assert_int_eq(rb__w_strn(w, s, n), RB_OK);
	ck_assert_int_eq(rb__w_seq_end(w), RB_OK);
	wclose(w);
	const unsigned char *d = OUT;
	ck_assert_uint_eq(g_sink.len, 2 + (9 + 2) + 5 + n + (9 + 2));
	ck_assert_mem_eq(d, "\x80\x04\x95\x02\x00\x00\x00\x00\x00\x00\x00](X\x70\x11\x01\x00", 18);
	ck_assert_int_eq(memcmp(d + 18, s, n), 0);
	ck_assert_mem_eq(d + 18 + n, "\x95\x02\x00\x00\x00\x00\x00\x00\x00" "e.", 11);
	free(s);
}
END_TEST

/* --------------------------------------------------------- collections */

START_TEST(test_collections)
{
	/* {"a": {}, "b": [], "c": [[]], "d": {"e": null}}: MARK/SETITEMS only when not empty. */
	rb__writer *w = wopen();
	ck_assert_int_eq(rb__w_map_begin(w, false), RB_OK);
	ck_assert_int_eq(rb__w_key(w, "a"), RB_OK);
	ck_assert_int_eq(rb__w_map_begin(w, true), RB_OK);
	ck_assert_int_eq(rb__w_map_end(w), RB_OK);
	ck_assert_int_eq(rb__w_key(w, "b"), RB_OK);
	ck_assert_int_eq(rb__w_seq_begin(w, false), RB_OK);
	ck_assert_int_eq(rb__w_seq_end(w), RB_OK);
	ck_assert_int_eq(rb__w_key(w, "c"), RB_OK);
	ck_assert_int_eq(rb__w_seq_begin(w, false), RB_OK);
	ck_assert_int_eq(rb__w_seq_begin(w, true), RB_OK);
	ck_assert_int_eq(rb__w_seq_end(w), RB_OK);
	ck_assert_int_eq(rb__w_seq_end(w), RB_OK);
	ck_assert_int_eq(rb__w_key(w, "d"), RB_OK);
	ck_assert_int_eq(rb__w_map_begin(w, false), RB_OK);
	ck_assert_int_eq(rb__w_key(w, "e"), RB_OK);
	ck_assert_int_eq(rb__w_null(w), RB_OK);
	ck_assert_int_eq(rb__w_map_end(w), RB_OK);
	ck_assert_int_eq(rb__w_map_end(w), RB_OK);
	wclose(w);
	expect_body("}(\x8c\x01" "a\x94}\x8c\x01" "b\x94]\x8c\x01" "c\x94](]e\x8c\x01" "d\x94}(\x8c\x01"
	            "e\x94Nuu");

	/* The one-call forms: a flow mapping and a key with its string. */
	rb__w_field f[] = {{.key = "host", .key_len = 4, .type = RB_WF_STR, .s = "h"},
	                   {.key = "port", .key_len = 4, .type = RB_WF_UINT, .u = 80},
	                   {.key = "on", .key_len = 2, .type = RB_WF_TRUE}};
	w = wopen();
	ck_assert_int_eq(rb__w_seq_begin(w, false), RB_OK);
	ck_assert_int_eq(rb__w_flow_map(w, f, 3), RB_OK);
	ck_assert_int_eq(rb__w_map_begin(w, false), RB_OK);
	ck_assert_int_eq(rb__w_kv_str(w, "host", "i"), RB_OK);
	ck_assert_int_eq(rb__w_map_end(w), RB_OK);
	ck_assert_int_eq(rb__w_seq_end(w), RB_OK);
	wclose(w);
	expect_body("](}(\x8c\x04host\x94\x8c\x01h\x8c\x04port\x94KP\x8c\x02on\x94\x88u"
	            "}(h\x00\x8c\x01iue");
}
END_TEST

START_TEST(test_memo)
{
	/* 300 keys memoized in order, then fetched: BINGET below 256, LONG_BINGET above.
	 * All are written from one buffer: the writer's cache of keys by address
	 * must compare the text, or every key would fetch the first one. */
	rb__writer *w = wopen();
	char key[16];
	ck_assert_int_eq(rb__w_seq_begin(w, false), RB_OK);
	for (int round = 0; round < 2; round++) {
		ck_assert_int_eq(rb__w_map_begin(w, false), RB_OK);
		for (int i = 0; i < 300; i++) {
			int n = snprintf(key, sizeof key, "k%d", i);
			ck_assert_int_eq(rb__w_keyn(w, key, (size_t)n), RB_OK);
			ck_assert_int_eq(rb__w_uint(w, 1), RB_OK);
		}
		ck_assert_int_eq(rb__w_map_end(w), RB_OK);
	}
	ck_assert_int_eq(rb__w_seq_end(w), RB_OK);
	wclose(w);
	const unsigned char *d = OUT;
	/* The second mapping: `}(`, `h\x00K\x01` ... `h\xffK\x01`, `j\x00\x01\x00\x00K\x01` ... */
	size_t second = 0;
	for (size_t i = 11; i + 1 < g_sink.len; i++)
		if (d[i] == '}' && d[i + 1] == '(' && i > 20) {
			second = i;
			break;
		}
	ck_assert_uint_gt(second, 0);
	const unsigned char *p = d + second + 2;
	for (int i = 0; i < 300; i++) {
		if (i < 256) {
			ck_assert_uint_eq(p[0], 'h');
			ck_assert_uint_eq(p[1], (unsigned)i);
			p += 2;
		} else {
			ck_assert_uint_eq(p[0], 'j');
			ck_assert_uint_eq(p[1] | p[2] << 8 | p[3] << 16 | (unsigned)p[4] << 24, (unsigned)i);
			p += 5;
		}
		ck_assert_mem_eq(p, "K\x01", 2);
		p += 2;
	}
	ck_assert_mem_eq(p, "ue.", 3);

	/* The empty key, memoized first: the memo's text is still empty. */
	w = wopen();
	ck_assert_int_eq(rb__w_seq_begin(w, false), RB_OK);
	for (int round = 0; round < 2; round++) {
		ck_assert_int_eq(rb__w_map_begin(w, false), RB_OK);
		ck_assert_int_eq(rb__w_keyn(w, "", 0), RB_OK);
		ck_assert_int_eq(rb__w_uint(w, 1), RB_OK);
		ck_assert_int_eq(rb__w_map_end(w), RB_OK);
	}
	ck_assert_int_eq(rb__w_seq_end(w), RB_OK);
	wclose(w);
	expect_body("](}(\x8c\x00\x94K\x01u}(h\x00K\x01ue");

	/* A key of 256 bytes is not memoized: written again in full. */
	char *big = filled(256);
	w = wopen();
	ck_assert_int_eq(rb__w_seq_begin(w, false), RB_OK);
	for (int round = 0; round < 2; round++) {
		ck_assert_int_eq(rb__w_map_begin(w, false), RB_OK);
		ck_assert_int_eq(rb__w_keyn(w, big, 256), RB_OK);
		ck_assert_int_eq(rb__w_null(w), RB_OK);
		ck_assert_int_eq(rb__w_map_end(w), RB_OK);
	}
	ck_assert_int_eq(rb__w_seq_end(w), RB_OK);
	wclose(w);
	ck_assert_uint_eq(g_sink.len, 2 + 9 + 2 + 2 * (2 + 5 + 256 + 2) + 2);
	free(big);
}
END_TEST

/* ---------------------------------------------------------------- frames */

/*
 * Walk a pickle the back end wrote: PROTO 4, then opcodes inside FRAMEs (each
 * opcode wholly inside one) or, for a str longer than a frame, between two;
 * STOP last. Returns the number of values pushed (collections and scalars).
 */
static size_t walk(const unsigned char *d, size_t n)
{
	ck_assert_uint_ge(n, 3);
	ck_assert_mem_eq(d, "\x80\x04", 2);
	size_t i = 2, frame_end = 0, values = 0;
	bool stopped = false;
	while (i < n) {
		ck_assert_msg(!stopped, "bytes after STOP at %zu", i);
		unsigned char op = d[i];
		if (i >= frame_end && op == 0x95) {
			uint64_t len = 0;
			for (int k = 0; k < 8; k++)
				len |= (uint64_t)d[i + 1 + k] << (8 * k);
			ck_assert_uint_gt(len, 0);
			ck_assert_uint_le(len, 64 * 1024);
			i += 9;
			frame_end = i + len;
			ck_assert_uint_le(frame_end, n);
			continue;
		}
		size_t len;
		switch (op) {
		case '}': case ']': case 'N': case 0x88: case 0x89: values++; /* fall through */
		case '(': case 'u': case 'e': case 0x94: len = 1; break;
		case '.': len = 1; stopped = true; break;
		case 'K': values++; len = 2; break;
		case 'M': values++; len = 3; break;
		case 'J': values++; len = 5; break;
		case 'G': values++; len = 9; break;
		case 'h': values++; len = 2; break;
		case 'j': values++; len = 5; break;
		case 0x8a: values++; len = 2 + d[i + 1]; break;
		case 0x8c: values++; len = 2 + d[i + 1]; break;
		case 'X':
			values++;
			len = 5 + (d[i + 1] | (size_t)d[i + 2] << 8 | (size_t)d[i + 3] << 16 |
			           (size_t)d[i + 4] << 24);
			break;
		case 'I': {
			const unsigned char *nl = memchr(d + i, '\n', n - i);
			ck_assert_ptr_nonnull(nl);
			values++;
			len = (size_t)(nl - (d + i)) + 1;
			break;
		}
		default:
			ck_abort_msg("opcode %02x at %zu", op, i);
			return 0;
		}
		if (i < frame_end)
			ck_assert_msg(i + len <= frame_end, "opcode at %zu spans its frame", i);
		else
			ck_assert_msg(len > 64 * 1024 - 9, "a short opcode outside a frame at %zu", i);
		i += len;
	}
	ck_assert_msg(stopped, "no STOP");
	ck_assert_uint_eq(i, n);
	return values;
}

START_TEST(test_frames)
{
	/* 20000 strings of 21 bytes, keyed maps, a long str now and then: many frames. */
	char *big = filled(100000);
	rb__writer *w = wopen();
	ck_assert_int_eq(rb__w_seq_begin(w, false), RB_OK);
	size_t values = 1;
	for (int i = 0; i < 20000; i++) {
		ck_assert_int_eq(rb__w_map_begin(w, false), RB_OK);
		ck_assert_int_eq(rb__w_key(w, "name"), RB_OK);
		ck_assert_int_eq(rb__w_str(w, "0123456789 abcdefghij"), RB_OK);
		ck_assert_int_eq(rb__w_key(w, "port"), RB_OK);
		ck_assert_int_eq(rb__w_uint(w, (uint64_t)i * 7919), RB_OK);
		ck_assert_int_eq(rb__w_map_end(w), RB_OK);
		values += 5;
		if (i % 5000 == 4999) {
			ck_assert_int_eq(rb__w_strn(w, big, 100000), RB_OK);
			values++;
		}
	}
	ck_assert_int_eq(rb__w_seq_end(w), RB_OK);
	wclose(w);
	ck_assert_int_ge(g_sink.calls, 10);
	ck_assert_uint_eq(walk(OUT, g_sink.len), values);
	free(big);
}
END_TEST

START_TEST(test_ir_document)
{
	/* A whole document through the IR serializer and the public API. */
	tu_fixture f = tu_translate(
	    "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: eg, "
	    "namespace: infra}\nspec:\n  gatewayClassName: eg\n  listeners:\n  - {name: http, "
	    "protocol: HTTP, port: 80}\n---\napiVersion: gateway.networking.k8s.io/v1\nkind: "
	    "GatewayClass\nmetadata: {name: eg}\nspec: {controllerName: "
	    "gateway.envoyproxy.io/gatewayclass-controller}\n");
	char *buf = NULL;
	size_t len = 0;
	ck_assert_int_eq(rb_result_to_buffer(f.res, RB_FORMAT_PICKLE, &buf, &len), RB_OK);
	ck_assert_uint_ge(walk((const unsigned char *)buf, len), 3);
	rb_free(f.ctx, buf);
	ck_assert_int_eq(rb_xds_to_buffer(f.res, RB_FORMAT_PICKLE, &buf, &len), RB_OK);
	ck_assert_uint_ge(walk((const unsigned char *)buf, len), 2);
	rb_free(f.ctx, buf);
	ck_assert_int_eq(rb_result_to_buffer(f.res, (rb_format)4, &buf, &len), RB_EINVAL);
	tu_done(&f);
}
END_TEST

/* ---------------------------------------------------------------- errors */

START_TEST(test_sink_failure)
{
	/* Fails at the first frame sent: that call and every later one give RB_EIO. */
	rb__writer *w = wopen();
	g_sink.fail_at = 1;
	int rc = rb__w_seq_begin(w, false);
	for (int i = 0; !rc && i < 100000; i++)
		rc = rb__w_str(w, "0123456789 abcdefghij");
	ck_assert_int_eq(rc, RB_EIO);
	ck_assert_int_eq(rb__w_str(w, "x"), RB_EIO);
	ck_assert_int_eq(rb__writer_finish(w), RB_EIO);
	ck_assert_int_eq(g_sink.calls, 1);
	rb__writer_free(w);

	/* A long str written between frames fails alone. */
	char *big = filled(100000);
	w = wopen();
	g_sink.fail_at = 2; /* the first frame goes, the str's header does not */
	ck_assert_int_eq(rb__w_seq_begin(w, false), RB_OK);
	ck_assert_int_eq(rb__w_strn(w, big, 100000), RB_EIO);
	ck_assert_int_eq(rb__w_seq_end(w), RB_EIO);
	ck_assert_int_eq(rb__writer_finish(w), RB_EIO);
	ck_assert_int_eq(g_sink.calls, 2);
	rb__writer_free(w);
	free(big);
}
END_TEST

START_TEST(test_enomem)
{
	/* Allocation failures give RB_ENOMEM or, for the memo, keys written in full; no leak. */
	rb__mem m = {{tu_budget_realloc, NULL}};
	for (int budget = 0; budget < 8; budget++) {
		tu_alloc_budget = budget;
		rb__writer *w = NULL;
		memset(&g_sink, 0, sizeof g_sink);
		int rc = rb__writer_new(&w, &m, RB_FORMAT_PICKLE, tu_sink_write, &g_sink);
		if (rc) {
			ck_assert_int_eq(rc, RB_ENOMEM);
			continue;
		}
		rc = rb__w_seq_begin(w, false);
		for (int i = 0; !rc && i < 40; i++) {
			char key[8];
			int n = snprintf(key, sizeof key, "k%d", i % 20);
			rc = rb__w_map_begin(w, false);
			if (!rc)
				rc = rb__w_keyn(w, key, (size_t)n);
			if (!rc)
				rc = rb__w_number(w, "0.5", 3);
			if (!rc)
				rc = rb__w_map_end(w);
		}
		if (!rc)
			rc = rb__w_seq_end(w);
		if (!rc)
			rc = rb__writer_finish(w);
		ck_assert(rc == RB_OK || rc == RB_ENOMEM);
		if (!rc)
			ck_assert_uint_eq(walk(OUT, g_sink.len), 1 + 40 * 3);
		rb__writer_free(w);
		free(g_sink.data);
		memset(&g_sink, 0, sizeof g_sink);
	}
}
END_TEST

static Suite *pickle_suite(void)
{
	Suite *s = suite_create("pickle");
	TCase *tc;

	tc = tcase_create("values");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_ints);
	tcase_add_test(tc, test_number_text);
	tcase_add_test(tc, test_bool_null);
	tcase_add_test(tc, test_strings);
	tcase_add_test(tc, test_string_past_a_frame);
	tcase_add_test(tc, test_collections);
	tcase_add_test(tc, test_memo);
	suite_add_tcase(s, tc);

	tc = tcase_create("documents");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_frames);
	tcase_add_test(tc, test_ir_document);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_sink_failure);
	tcase_add_test(tc, test_enomem);
	suite_add_tcase(s, tc);

	return s;
}

int main(void)
{
	return tu_run(pickle_suite());
}
