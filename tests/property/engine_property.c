/*
 * Property test of the incremental engine (include/rebalance/engine.h):
 * after any sequence of changes, the engine's IR equals, byte for byte, a
 * full translation (rb_translate) of the equivalent snapshot -- the ordered
 * lists engine.h defines, kept here independently as text documents and
 * loaded again from a manifest stream.
 *
 *   engine_property [ITERATIONS [SEED]]      (defaults 200 and 1; env
 *                                             RB_PROPERTY_ITERATIONS / _SEED)
 *
 * Each iteration: a random small cluster (every kind the engine knows, with
 * duplicates), random options, then random adds, replaces and deletes of
 * random kinds (EndpointSlices and Services most often), in single or
 * multi-object buffers, comparing after every translation. Then one long run
 * of EndpointSlice and Service churn, long enough for the engine to reclaim
 * its memory with a full translation; and changes while allocations fail.
 */
#include <rebalance/rebalance.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster_gen.h"

/* The property test's choices: one splitmix64 sequence, reseeded per iteration. */
static gen_rng rng;

/* ---- checks ---- */

static int failures;

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "engine_property: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	failures++;
}

/* rb_translate of the snapshot, as JSON or YAML. */
static char *full_translation(rb_ctx *ctx, const snapshot *s, const rb_translate_options *o,
                              rb_format fmt, size_t *len)
{
	size_t n;
	char *text = snap_stream(s, &n);
	rb_input *in;
	rb_result *res = NULL;
	char *out = NULL;
	if (rb_input_new(&in, ctx) || rb_input_add_buffer(in, text, n, "snapshot", RB_INPUT_YAML)) {
		fail("snapshot does not load: %s\n%s", rb_diag_message(rb_input_diag(in, 0)), text);
	} else if (rb_translate(&res, in, o) || rb_result_to_buffer(res, fmt, &out, len)) {
		fail("snapshot does not translate");
	}
	rb_result_free(res);
	rb_input_free(in);
	free(text);
	return out;
}

static void write_file(const char *path, const char *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (f) {
		fwrite(p, 1, n, f);
		fclose(f);
	}
}

static uint64_t incremental_ok, compared;

static bool compare(rb_ctx *ctx, rb_engine *e, const snapshot *s, const rb_translate_options *o,
                    const char *what)
{
	const rb_result *res;
	if (rb_engine_translate(e, &res)) {
		fail("rb_engine_translate failed after %s", what);
		return false;
	}
	rb_engine_stats st;
	st.size = sizeof st;
	rb_engine_get_stats(e, &st);
	rb_format fmt = chance(&rng, 90) ? RB_FORMAT_JSON : RB_FORMAT_YAML;
	char *a = NULL, *b;
	size_t alen = 0, blen = 0;
	if (rb_result_to_buffer(res, fmt, &a, &alen)) {
		fail("the engine's result does not serialize after %s", what);
		return false;
	}
	b = full_translation(ctx, s, o, fmt, &blen);
	bool ok = b && alen == blen && !memcmp(a, b, alen);
	compared++;
	if (!ok) {
		size_t n;
		char *text = snap_stream(s, &n);
		write_file("engine_property.snapshot.yaml", text, n);
		write_file("engine_property.engine.out", a, alen);
		if (b)
			write_file("engine_property.full.out", b, blen);
		free(text);
		fail("after %s: the engine's IR differs from a full translation (files "
		     "engine_property.{snapshot.yaml,engine.out,full.out})",
		     what);
	} else if (st.routes_translated < st.routes) {
		incremental_ok++;
	}
	rb_free(ctx, a);
	rb_free(ctx, b);
	return ok;
}

static bool iteration(rb_ctx *ctx, unsigned it)
{
	snapshot s;
	memset(&s, 0, sizeof s);
	/* The snapshot: a bit of everything, duplicates included (appended as is). */
	unsigned n0 = 10 + pick(&rng, 30);
	for (unsigned i = 0; i < n0; i++) {
		doc d;
		gen(&rng, i < 2 ? K_GW : churn_kind(&rng), &d);
		snap_add_initial(&s, d);
	}
	rb_translate_options o = RB_TRANSLATE_OPTIONS_INIT;
	if (chance(&rng, 30))
		o.mode = RB_MODE_COMPAT_ENVOY_GATEWAY;
	if (chance(&rng, 20))
		o.flags |= RB_OPT_REBALANCE_NOT_READY;
	if (chance(&rng, 10))
		o.flags |= RB_OPT_DISABLE_BACKEND_API;

	size_t len;
	char *text = snap_stream(&s, &len);
	rb_input *in = NULL;
	rb_engine *e = NULL;
	bool ok = true;
	if (rb_input_new(&in, ctx) || rb_input_add_buffer(in, text, len, "snapshot", RB_INPUT_YAML) ||
	    rb_engine_new(&e, in, &o)) {
		fail("iteration %u: the snapshot does not load: %s", it,
		     in && rb_input_diag_count(in) ? rb_diag_message(rb_input_diag(in, 0)) : "engine");
		ok = false;
	}
	free(text);
	char what[128];
	snprintf(what, sizeof what, "iteration %u: the snapshot", it);
	if (ok)
		ok = compare(ctx, e, &s, &o, what);
	unsigned changes = 5 + pick(&rng, 30);
	for (unsigned c = 0; c < changes && ok; c++) {
		unsigned op = pick(&rng, 10);
		if (op < 7) {
			/* add or replace, one to three objects in one buffer */
			unsigned count = chance(&rng, 80) ? 1 : 2 + pick(&rng, 2);
			sbuf b = {0};
			doc ds[3];
			for (unsigned i = 0; i < count; i++) {
				gen(&rng, churn_kind(&rng), &ds[i]);
				sb_printf(&b, "---\n%s", ds[i].text);
			}
			int rc = rb_engine_apply_buffer(e, b.p, b.len, "change",
			                                chance(&rng, 50) ? RB_INPUT_YAML : RB_INPUT_AUTO);
			if (rc) {
				fail("iteration %u: apply failed: %s\n%s", it,
				     rb_engine_diag_count(e) ? rb_diag_message(rb_engine_diag(e, 0)) : "?", b.p);
				ok = false;
			}
			for (unsigned i = 0; i < count; i++)
				snap_put(&s, ds[i]);
			snprintf(what, sizeof what, "iteration %u, change %u: put %s %s/%s%s", it, c,
			         KIND[ds[0].kind], ds[0].ns, ds[0].name, count > 1 ? " (and more)" : "");
			free(b.p);
		} else {
			doc id;
			if (s.n && pick(&rng, 4)) {
				const doc *x = &s.docs[pick(&rng, (unsigned)s.n)];
				id.kind = x->kind;
				snprintf(id.ns, sizeof id.ns, "%s", x->ns);
				snprintf(id.name, sizeof id.name, "%s", x->name);
			} else {
				gen(&rng, churn_kind(&rng), &id); /* maybe not there */
				free(id.text);
			}
			if (rb_engine_delete(e, KIND[id.kind], id.ns, id.name)) {
				fail("iteration %u: delete failed", it);
				ok = false;
			}
			snap_delete(&s, &id);
			snprintf(what, sizeof what, "iteration %u, change %u: delete %s %s/%s", it, c,
			         KIND[id.kind], id.ns, id.name);
		}
		if (ok && (chance(&rng, 70) || c + 1 == changes))
			ok = compare(ctx, e, &s, &o, what);
	}
	rb_engine_free(e);
	rb_input_free(in);
	for (size_t i = 0; i < s.n; i++)
		free(s.docs[i].text);
	free(s.docs);
	free(s.gc.text);
	return ok;
}

/*
 * Long churn on one engine: memory that incremental translations leave
 * behind must be reclaimed by a full translation now and then, and the
 * result must stay right across it.
 */
static bool long_churn(rb_ctx *ctx)
{
	snapshot s;
	memset(&s, 0, sizeof s);
	rng.state = 424242;
	/* A Gateway of ours that takes every route, so that the churn has work to leave. */
	static const char gw_text[] = "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\n"
	                 "metadata: {name: gw-0, namespace: infra}\nspec:\n"
	                 "  gatewayClassName: envoy-gateway-class\n  listeners:\n"
	                 "  - {name: http, protocol: HTTP, port: 80, allowedRoutes: {namespaces: "
	                 "{from: All}}}\n";
	doc gw = {K_GW, "infra", "gw-0", malloc(sizeof gw_text)};
	memcpy(gw.text, gw_text, sizeof gw_text);
	snap_put(&s, gw);
	for (unsigned i = 0; i < 60; i++) {
		doc d;
		gen(&rng, i < 30 ? K_HR : i < 45 ? K_SVC : K_ES, &d);
		snap_put(&s, d);
	}
	rb_translate_options o = RB_TRANSLATE_OPTIONS_INIT;
	size_t len;
	char *text = snap_stream(&s, &len);
	rb_input *in = NULL;
	rb_engine *e = NULL;
	bool ok = !rb_input_new(&in, ctx) &&
	          !rb_input_add_buffer(in, text, len, "snapshot", RB_INPUT_YAML) &&
	          !rb_engine_new(&e, in, &o);
	free(text);
	if (!ok)
		fail("long churn: the snapshot does not load");
	rb_engine_stats st;
	st.size = sizeof st;
	uint64_t fulls = 0;
	for (unsigned c = 0; c < 6000 && ok; c++) {
		doc d;
		gen(&rng, pick(&rng, 4) ? K_ES : K_SVC, &d);
		if (rb_engine_apply_buffer(e, d.text, strlen(d.text), "change", RB_INPUT_YAML)) {
			fail("long churn: apply failed");
			ok = false;
		}
		snap_put(&s, d);
		if (ok && c % 1000 == 999) {
			ok = compare(ctx, e, &s, &o, "long churn");
		} else if (ok) {
			const rb_result *res;
			if (rb_engine_translate(e, &res)) {
				fail("long churn: translate failed");
				ok = false;
			}
		}
		if (ok && c == 0) {
			rb_engine_get_stats(e, &st);
			fulls = st.full_translations;
		}
	}
	rb_engine_get_stats(e, &st);
	if (ok && st.full_translations <= fulls) {
		fail("long churn: memory was never reclaimed by a full translation");
		ok = false;
	}
	rb_engine_free(e);
	rb_input_free(in);
	for (size_t i = 0; i < s.n; i++)
		free(s.docs[i].text);
	free(s.docs);
	free(s.gc.text);
	return ok;
}

/* An allocator that fails once its budget is spent (budget < 0: no limit). */
typedef struct budget {
	long left;
	long failed;
} budget;

static void *budget_realloc(void *ud, void *p, size_t old, size_t n)
{
	budget *b = ud;
	(void)old;
	if (!n) {
		free(p);
		return NULL;
	}
	if (b->left == 0) {
		b->failed++;
		return NULL;
	}
	if (b->left > 0)
		b->left--;
	return realloc(p, n);
}

/*
 * Changes while allocations fail: no crash, no leak (the sanitizer build),
 * and once memory is back the engine translates to the snapshot with or
 * without the change (which of them, RB_ENOMEM does not say).
 */
static bool out_of_memory(void)
{
	budget bud = {-1, 0};
	rb_allocator alloc = {budget_realloc, &bud};
	rb_ctx *ctx;
	if (rb_ctx_new(&ctx, &alloc))
		return false;
	bool ok = true;
	for (long k = 0; k < 1200 && ok; k += 3) {
		rng.state = 777 + (uint64_t)k;
		snapshot s;
		memset(&s, 0, sizeof s);
		for (unsigned i = 0; i < 14; i++) {
			doc d;
			gen(&rng, i < 1 ? K_GW : i < 6 ? K_HR : i < 9 ? K_SVC : K_ES, &d);
			snap_put(&s, d);
		}
		rb_translate_options o = RB_TRANSLATE_OPTIONS_INIT;
		size_t len;
		char *text = snap_stream(&s, &len);
		rb_input *in = NULL;
		rb_engine *e = NULL;
		const rb_result *res;
		bud.left = -1;
		ok = !rb_input_new(&in, ctx) &&
		     !rb_input_add_buffer(in, text, len, "snapshot", RB_INPUT_YAML) &&
		     !rb_engine_new(&e, in, &o);
		if (ok && k % 4 == 1) {
			/* The first, full translation runs out of memory too. */
			bud.left = k / 4;
			(void)rb_engine_translate(e, &res);
			bud.left = -1;
		}
		ok = ok && !rb_engine_translate(e, &res);
		free(text);
		if (!ok) {
			fail("out of memory: the snapshot does not load");
			break;
		}
		size_t before_len = 0;
		char *before = full_translation(ctx, &s, &o, RB_FORMAT_JSON, &before_len);
		doc d;
		gen(&rng, k % 2 ? K_ES : (k % 3 ? K_SVC : K_HR), &d);
		bud.left = k / 3;
		int rc = rb_engine_apply_buffer(e, d.text, strlen(d.text), "change", RB_INPUT_YAML);
		if (!rc)
			rc = rb_engine_translate(e, &res);
		bud.left = -1;
		snap_put(&s, d);
		size_t after_len = 0;
		char *after = full_translation(ctx, &s, &o, RB_FORMAT_JSON, &after_len);
		char *got = NULL;
		size_t got_len = 0;
		if (rb_engine_translate(e, &res) || rb_result_to_buffer(res, RB_FORMAT_JSON, &got, &got_len)) {
			fail("out of memory (budget %ld): the engine does not recover", k / 3);
			ok = false;
		} else if (!(before && got_len == before_len && !memcmp(got, before, got_len)) &&
		           !(after && got_len == after_len && !memcmp(got, after, got_len))) {
			fail("out of memory (budget %ld, rc %d): the result is neither the snapshot "
			     "before nor after the change",
			     k / 3, rc);
			ok = false;
		}
		rb_free(ctx, got);
		rb_free(ctx, before);
		rb_free(ctx, after);
		rb_engine_free(e);
		rb_input_free(in);
		for (size_t i = 0; i < s.n; i++)
			free(s.docs[i].text);
		free(s.docs);
		free(s.gc.text);
	}
	rb_ctx_free(ctx);
	return ok;
}

int main(int argc, char **argv)
{
	unsigned iterations = 200;
	uint64_t seed = 1;
	const char *env;
	if ((env = getenv("RB_PROPERTY_ITERATIONS")))
		iterations = (unsigned)strtoul(env, NULL, 10);
	if ((env = getenv("RB_PROPERTY_SEED")))
		seed = strtoull(env, NULL, 10);
	if (argc > 1)
		iterations = (unsigned)strtoul(argv[1], NULL, 10);
	if (argc > 2)
		seed = strtoull(argv[2], NULL, 10);
	rb_ctx *ctx;
	if (rb_ctx_new(&ctx, NULL))
		return 1;
	for (unsigned i = 0; i < iterations && !failures; i++) {
		rng.state = seed * 0x100000001b3ull + i;
		iteration(ctx, i);
	}
	if (!failures)
		long_churn(ctx);
	if (!failures)
		out_of_memory();
	rb_ctx_free(ctx);
	printf("engine_property: %u iterations (seed %llu), %llu comparisons, %llu incremental\n",
	       iterations, (unsigned long long)seed, (unsigned long long)compared,
	       (unsigned long long)incremental_ok);
	if (!failures && incremental_ok == 0) {
		fprintf(stderr, "engine_property: no translation was incremental\n");
		return 1;
	}
	return failures ? 1 : 0;
}
