/*
 * fuzz_roundtrip: what is written reads back as the same thing.
 *
 * The first byte is as for fuzz_translate (rb_fuzz_options), bit 6 choosing
 * between two round trips:
 *  - 0, the IR: the rest is split into buffers and translated; the result is
 *    written as YAML and as JSON; each output is read back (the loader's raw
 *    mode, as tests/golden/golden_runner.c does) and written again in the
 *    same format: identical bytes; the YAML read back and written as JSON:
 *    identical to the JSON output.
 *  - 1, any node tree: the rest is read in raw mode (every document, any
 *    shape) and each document root is written with rb__emit_node as YAML and
 *    as JSON; each is read back and written again: identical bytes (the
 *    writer's quoting rules and the loaders agree on every scalar).
 * In both, the pickle back end (RB_FORMAT_PICKLE) must write whatever the
 * JSON one writes, as one pickle: PROTO 4 first, STOP last.
 * Any difference aborts.
 */
#include "core/buf.h"
#include "core/ctx.h"
#include "core/diag.h"
#include "emit/emit.h"
#include "fuzz_common.h"
#include "load/load.h"

typedef struct rt {
	rb__mem mem;
	rb__limits limits;
} rt;

static int buf_write(void *ud, const void *p, size_t n)
{
	return rb__buf_append(ud, p, n) ? 0 : 1;
}

/* Write a node tree in `format` into out (initialized). */
static int emit_node(rt *t, const rb__node *root, rb_format format, rb__buf *out)
{
	rb__writer *w;
	int rc = rb__writer_new(&w, &t->mem, format, buf_write, out);
	if (rc)
		return rc;
	rc = rb__emit_node(w, root);
	int frc = rb__writer_finish(w);
	rb__writer_free(w);
	return rc ? rc : frc;
}

typedef struct reemit {
	rt *t;
	rb_format format;
	rb__buf out;
	size_t docs;
	int rc;
} reemit;

static int reemit_root(void *ud, const rb__node *root, const char *layout_key)
{
	(void)layout_key;
	reemit *r = ud;
	r->docs++;
	return emit_node(r->t, root, r->format, &r->out);
}

/* Read `in` (one document in `in_format`) in raw mode and write it as `format`. */
static void read_back(rt *t, const char *what, const char *in, size_t len, rb_format in_format,
                      rb_format format, rb__buf *out)
{
	reemit r = {t, format, {0}, 0, 0};
	rb__buf_init(&r.out, &t->mem);
	rb__arena da;
	rb__arena_init(&da, &t->mem);
	rb__diags diags;
	rb__diags_init(&diags, &t->mem, &da);
	rb__load_params p = {what, in, len, in_format == RB_FORMAT_JSON ? RB_FMT_JSON : RB_FMT_YAML,
	                     &t->limits, &t->mem, &diags, true};
	rb__sink sink = {reemit_root, &r};
	int rc = rb__load(&p, &sink);
	if (rc || r.docs != 1) {
		const rb_diag *d = rb__diags_at(&diags, 0);
		fprintf(stderr, "--- %s (%zu bytes) ---\n%.*s\n---\n", what, len, (int)len, in);
		rb_fuzz_fail("%s does not read back as one document (rc %d, %zu documents): %u:%u: "
		             "%s",
		             what, rc, r.docs, d ? rb_diag_line(d) : 0, d ? rb_diag_column(d) : 0,
		             d ? rb_diag_message(d) : "");
	}
	rb__diags_free(&diags);
	rb__arena_free(&da);
	*out = r.out;
}

static void same(const char *what, const rb__buf *want, const rb__buf *got)
{
	if (want->len == got->len && (!want->len || !memcmp(want->data, got->data, want->len)))
		return;
	size_t i = 0;
	while (i < want->len && i < got->len && want->data[i] == got->data[i])
		i++;
	fprintf(stderr, "--- expected (%zu bytes) ---\n%.*s\n--- got (%zu bytes) ---\n%.*s\n---\n",
	        want->len, (int)want->len, want->data ? want->data : "", got->len, (int)got->len,
	        got->data ? got->data : "");
	rb_fuzz_fail("%s: different bytes from offset %zu", what, i);
}

/* out1 in `format` reads back and writes again as the same bytes. */
static void fixpoint(rt *t, const char *what, const rb__buf *out1, rb_format format)
{
	rb__buf again;
	read_back(t, what, out1->data, out1->len, format, format, &again);
	same(what, out1, &again);
	rb__buf_free(&again);
}

/* What JSON writes, pickle writes too: a pickle (write returns the writer's rc). */
static void pickle_too(const char *what, int rc, const rb__buf *out)
{
	if (rc)
		rb_fuzz_fail("%s as pickle: returned %d", what, rc);
	if (out->len < 4 || memcmp(out->data, "\x80\x04", 2) != 0 || out->data[out->len - 1] != '.')
		rb_fuzz_fail("%s as pickle: not PROTO 4 ... STOP", what);
}

/* ---- the IR ---- */

static void ir_round_trip(const uint8_t *data, size_t size, uint8_t opt)
{
	rt t;
	rb__mem_default(&t.mem);
	rb__limits_default(&t.limits);
	rb_translate_options opts = rb_fuzz_options(opt);
	rb_ctx *ctx = rb_fuzz_ctx(0);
	rb_input *in = NULL;
	if (rb_input_new(&in, ctx) != RB_OK)
		rb_fuzz_fail("rb_input_new");
	rb_fuzz_add_all(in, data, size);
	rb_result *res = NULL;
	if (rb_translate(&res, in, &opts) != RB_OK)
		rb_fuzz_fail("rb_translate");
	rb__buf out[2];
	for (int i = 0; i < 2; i++) {
		rb__buf_init(&out[i], &t.mem);
		int rc = rb_result_write(res, i ? RB_FORMAT_JSON : RB_FORMAT_YAML, buf_write, &out[i]);
		if (rc)
			rb_fuzz_fail("rb_result_write returned %d", rc);
	}
	fixpoint(&t, "IR as YAML", &out[0], RB_FORMAT_YAML);
	fixpoint(&t, "IR as JSON", &out[1], RB_FORMAT_JSON);
	rb__buf as_json;
	read_back(&t, "IR as YAML, written as JSON", out[0].data, out[0].len, RB_FORMAT_YAML,
	          RB_FORMAT_JSON, &as_json);
	same("IR as YAML, written as JSON", &out[1], &as_json);
	rb__buf_free(&as_json);
	rb__buf pk;
	rb__buf_init(&pk, &t.mem);
	pickle_too("IR", rb_result_write(res, RB_FORMAT_PICKLE, buf_write, &pk), &pk);
	rb__buf_free(&pk);
	rb__buf_free(&out[0]);
	rb__buf_free(&out[1]);
	rb_result_free(res);
	rb_input_free(in);
	rb_ctx_free(ctx);
}

/* ---- any node tree ---- */

static int raw_root(void *ud, const rb__node *root, const char *layout_key)
{
	(void)layout_key;
	rt *t = ud;
	for (int i = 0; i < 2; i++) {
		rb_format f = i ? RB_FORMAT_JSON : RB_FORMAT_YAML;
		rb__buf out;
		rb__buf_init(&out, &t->mem);
		int rc = emit_node(t, root, f, &out);
		if (rc)
			rb_fuzz_fail("rb__emit_node (%s) returned %d", i ? "JSON" : "YAML", rc);
		fixpoint(t, i ? "tree as JSON" : "tree as YAML", &out, f);
		rb__buf_free(&out);
	}
	rb__buf pk;
	rb__buf_init(&pk, &t->mem);
	pickle_too("tree", emit_node(t, root, RB_FORMAT_PICKLE, &pk), &pk);
	rb__buf_free(&pk);
	return RB_OK;
}

static void node_round_trip(const uint8_t *data, size_t size)
{
	rt t;
	rb__mem_default(&t.mem);
	rb__limits_default(&t.limits);
	rb__arena da;
	rb__arena_init(&da, &t.mem);
	rb__diags diags;
	rb__diags_init(&diags, &t.mem, &da);
	rb__load_params p = {"input", data, size, RB_FMT_AUTO, &t.limits, &t.mem, &diags, true};
	rb__sink sink = {raw_root, &t};
	(void)rb__load(&p, &sink);
	rb__diags_free(&diags);
	rb__arena_free(&da);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (data[0] & 0x40u)
		node_round_trip(data + 1, size - 1);
	else
		ir_round_trip(data + 1, size - 1, data[0]);
	return 0;
}
