/*
 * fuzz_engine: the incremental engine against full translations. The input
 * is a sequence of choices, one byte each (tests/property/cluster_gen.h
 * reads them; 0 once they run out):
 *
 *   - the options (mode, RB_OPT_* flags; one byte, rb_fuzz_options without
 *     the gateway-class bit, so that the Gateways stay ours);
 *   - a snapshot of 1 to 24 objects of every kind the engine knows (the
 *     first a Gateway), duplicates included, loaded and handed to
 *     rb_engine_new;
 *   - then, while bytes remain, changes: put one to three objects in one
 *     buffer (rb_engine_apply_buffer) or delete an identity (one in the
 *     snapshot, or maybe not there: rb_engine_delete), up to 24; after one
 *     in four (a byte says which) and after the last, rb_engine_translate
 *     and the comparison.
 *
 * The engine's result must equal, byte for byte as JSON, rb_translate of the
 * reference snapshot (cluster_gen.h applies engine.h's rules to its own
 * lists, independently of the engine) loaded again as a manifest stream;
 * abort() on any difference, failed call or leak. The property test
 * (tests/property/engine_property.c) draws the same choices from a PRNG; here
 * libFuzzer's coverage feedback steers them.
 */
#include "cluster_gen.h"
#include "fuzz_common.h"

/* Small enough for tens of runs a second under ASan: every comparison loads and
 * translates the whole snapshot again. */
enum { MAX_SNAPSHOT = 24, MAX_CHANGES = 24 };

/* rb_translate of the snapshot as JSON (the ground truth); the caller frees it with rb_free. */
static char *full_translation(rb_ctx *ctx, const snapshot *s, const rb_translate_options *o,
                              size_t *len)
{
	size_t n;
	char *text = snap_stream(s, &n);
	rb_input *in = NULL;
	rb_result *res = NULL;
	char *out = NULL;
	if (rb_input_new(&in, ctx) != RB_OK)
		rb_fuzz_fail("rb_input_new");
	if (rb_input_add_buffer(in, text, n, "snapshot", RB_INPUT_YAML) != RB_OK)
		rb_fuzz_fail("the snapshot does not load: %s\n%s",
		             rb_diag_message(rb_input_diag(in, 0)), text);
	int rc = rb_translate(&res, in, o);
	if (rc != RB_OK)
		rb_fuzz_fail("rb_translate returned %d (%s)", rc, rb_strerror(rc));
	if ((rc = rb_result_to_buffer(res, RB_FORMAT_JSON, &out, len)) != RB_OK)
		rb_fuzz_fail("rb_result_to_buffer returned %d (%s)", rc, rb_strerror(rc));
	rb_result_free(res);
	rb_input_free(in);
	free(text);
	return out;
}

static void compare(rb_ctx *ctx, rb_engine *e, const snapshot *s, const rb_translate_options *o,
                    unsigned step)
{
	const rb_result *res;
	int rc = rb_engine_translate(e, &res);
	if (rc != RB_OK)
		rb_fuzz_fail("rb_engine_translate returned %d (%s) at step %u", rc, rb_strerror(rc),
		             step);
	char *got = NULL;
	size_t got_len = 0, want_len = 0;
	if ((rc = rb_result_to_buffer(res, RB_FORMAT_JSON, &got, &got_len)) != RB_OK)
		rb_fuzz_fail("the engine's result does not serialize: %d", rc);
	char *want = full_translation(ctx, s, o, &want_len);
	if (got_len != want_len || memcmp(got, want, got_len)) {
		size_t n;
		char *text = snap_stream(s, &n);
		fprintf(stderr, "snapshot:\n%s\nengine:\n%s\nfull translation:\n%s\n", text, got,
		        want);
		free(text);
		rb_fuzz_fail("after step %u the engine's IR differs from a full translation", step);
	}
	rb_free(ctx, got);
	rb_free(ctx, want);
}

static void snap_free(snapshot *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->docs[i].text);
	free(s->docs);
	free(s->gc.text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	gen_rng g = {0, data, size, 0};
	rb_translate_options o = rb_fuzz_options((uint8_t)(rnd(&g) & 0x7Fu));
	rb_ctx *ctx = rb_fuzz_ctx(0);
	rb_ctx_set_hash_seed(ctx, 1); /* reproducible: the same input, the same table layout */

	snapshot s;
	memset(&s, 0, sizeof s);
	unsigned n0 = 1 + pick(&g, MAX_SNAPSHOT);
	for (unsigned i = 0; i < n0; i++) {
		doc d;
		gen(&g, i == 0 ? K_GW : churn_kind(&g), &d);
		snap_add_initial(&s, d);
	}
	size_t len;
	char *text = snap_stream(&s, &len);
	rb_input *in = NULL;
	rb_engine *e = NULL;
	if (rb_input_new(&in, ctx) != RB_OK)
		rb_fuzz_fail("rb_input_new");
	if (rb_input_add_buffer(in, text, len, "snapshot", RB_INPUT_YAML) != RB_OK)
		rb_fuzz_fail("the snapshot does not load: %s\n%s",
		             rb_diag_message(rb_input_diag(in, 0)), text);
	free(text);
	int rc = rb_engine_new(&e, in, &o);
	if (rc != RB_OK)
		rb_fuzz_fail("rb_engine_new returned %d (%s)", rc, rb_strerror(rc));
	compare(ctx, e, &s, &o, 0);

	for (unsigned step = 1; step <= MAX_CHANGES && g.pos < g.size; step++) {
		unsigned op = pick(&g, 8);
		if (op < 6) {
			/* put: one to three objects in one buffer */
			unsigned count = op < 5 ? 1 : 2 + pick(&g, 2);
			sbuf b = {0};
			doc ds[3];
			for (unsigned i = 0; i < count; i++) {
				gen(&g, churn_kind(&g), &ds[i]);
				sb_printf(&b, "---\n%s", ds[i].text);
			}
			rc = rb_engine_apply_buffer(e, b.p, b.len, "change",
			                            chance(&g, 50) ? RB_INPUT_YAML : RB_INPUT_AUTO);
			if (rc != RB_OK)
				rb_fuzz_fail("rb_engine_apply_buffer returned %d (%s): %s\n%s", rc,
				             rb_strerror(rc),
				             rb_engine_diag_count(e)
				                 ? rb_diag_message(rb_engine_diag(e, 0))
				                 : "",
				             b.p);
			for (unsigned i = 0; i < count; i++)
				snap_put(&s, ds[i]);
			free(b.p);
		} else {
			doc id;
			if (s.n && op == 6) {
				const doc *x = &s.docs[pick(&g, (unsigned)s.n)];
				id.kind = x->kind;
				snprintf(id.ns, sizeof id.ns, "%s", x->ns);
				snprintf(id.name, sizeof id.name, "%s", x->name);
			} else {
				gen(&g, churn_kind(&g), &id); /* maybe not there */
				free(id.text);
			}
			if ((rc = rb_engine_delete(e, KIND[id.kind], id.ns, id.name)) != RB_OK)
				rb_fuzz_fail("rb_engine_delete returned %d (%s)", rc,
				             rb_strerror(rc));
			snap_delete(&s, &id);
		}
		if (chance(&g, 25) || g.pos >= g.size || step == MAX_CHANGES)
			compare(ctx, e, &s, &o, step);
	}
	rb_engine_free(e);
	rb_input_free(in);
	snap_free(&s);
	rb_ctx_free(ctx);
	return 0;
}
