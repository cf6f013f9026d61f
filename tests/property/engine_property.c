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
 * multi-object buffers, comparing after every translation; every change set
 * is checked against the results it goes between, and a snapshot kept across
 * later translations must not change. Then one long run
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

/*
 * ---- change sets and snapshots ----
 *
 * A mirror of the engine's last result built from its change sets alone
 * (every destination's and every route's status entries, written alone),
 * checked after each translation against the result itself; and a result
 * held across later translations (a snapshot), checked to read the same.
 */
typedef struct mirror {
	char **key, **val;
	size_t n;
} mirror;

static mirror m_dest, m_route, m_check_dest, m_check_route;

static void m_clear(mirror *m);

static void mirror_reset(void)
{
	m_clear(&m_dest);
	m_clear(&m_route);
}
static uint64_t changes_checked, snapshots_checked;

static char *dupn(const char *p, size_t n)
{
	char *d = malloc(n + 1);
	memcpy(d, p, n);
	d[n] = '\0';
	return d;
}

static size_t m_find(const mirror *m, const char *key)
{
	for (size_t i = 0; i < m->n; i++)
		if (!strcmp(m->key[i], key))
			return i;
	return SIZE_MAX;
}

/* Set key to val (both taken); val NULL removes it. */
static void m_set(mirror *m, char *key, char *val)
{
	size_t i = m_find(m, key);
	if (i == SIZE_MAX && val) {
		m->key = realloc(m->key, (m->n + 1) * sizeof(char *));
		m->val = realloc(m->val, (m->n + 1) * sizeof(char *));
		m->key[m->n] = key;
		m->val[m->n++] = val;
		return;
	}
	free(key);
	if (i == SIZE_MAX)
		return;
	free(m->val[i]);
	if (val) {
		m->val[i] = val;
		return;
	}
	free(m->key[i]);
	m->key[i] = m->key[--m->n];
	m->val[i] = m->val[m->n];
}

static void m_clear(mirror *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->key[i]);
		free(m->val[i]);
	}
	free(m->key);
	free(m->val);
	memset(m, 0, sizeof *m);
}

static bool m_equal(const mirror *a, const mirror *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++) {
		size_t j = m_find(b, a->key[i]);
		if (j == SIZE_MAX || strcmp(a->val[i], b->val[j]))
			return false;
	}
	return true;
}

static char *dest_text(rb_ctx *ctx, const rb_destination *d)
{
	char *out;
	size_t n;
	if (rb_destination_to_buffer(ctx, d, RB_FORMAT_JSON, &out, &n))
		return NULL;
	char *t = dupn(out, n);
	rb_free(ctx, out);
	return t;
}

/* n status entries, each written alone, one after the other. */
static char *statuses_text(rb_ctx *ctx, const rb_route_status *(*at)(const void *, size_t),
                           const void *ud, size_t n)
{
	char *all = dupn("", 0);
	size_t len = 0;
	for (size_t i = 0; i < n; i++) {
		char *out;
		size_t l;
		if (rb_route_status_to_buffer(ctx, at(ud, i), RB_FORMAT_JSON, &out, &l)) {
			free(all);
			return NULL;
		}
		all = realloc(all, len + l + 1);
		memcpy(all + len, out, l + 1);
		len += l;
		rb_free(ctx, out);
	}
	return all;
}

static char *route_id(const char *kind, const char *ns, const char *name)
{
	size_t n = strlen(kind) + strlen(ns) + strlen(name) + 3;
	char *k = malloc(n);
	snprintf(k, n, "%s/%s/%s", kind, ns, name);
	return k;
}

typedef struct change_at {
	const rb_changes *c;
	size_t i;
} change_at;

static const rb_route_status *change_status(const void *ud, size_t j)
{
	const change_at *x = ud;
	return rb_changes_route_status(x->c, x->i, j);
}

static const rb_route_status *result_status_run(const void *ud, size_t j)
{
	return ((const rb_route_status *const *)ud)[j];
}

static bool same_route(const rb_route_status *a, const rb_route_status *b)
{
	return !strcmp(rb_route_status_kind(a), rb_route_status_kind(b)) &&
	       !strcmp(rb_route_status_namespace(a), rb_route_status_namespace(b)) &&
	       !strcmp(rb_route_status_name(a), rb_route_status_name(b));
}

/* Does a result hold a key twice (an input route defined twice)? */
static bool duplicate_keys(const rb_result *res)
{
	size_t n = rb_result_destination_count(res);
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (!strcmp(rb_destination_key(rb_result_destination(res, i)),
			            rb_destination_key(rb_result_destination(res, j))))
				return true;
	return false;
}

static bool dups_before;

/* After a successful rb_engine_translate: the mirror, updated by the change set, is the result. */
static bool check_changes(rb_ctx *ctx, rb_engine *e, const rb_result *res, const char *what)
{
	const rb_changes *c = rb_engine_changes(e);
	bool ok = true;
	bool dups = duplicate_keys(res);
	if (dups || dups_before) {
		/* Entries of one key are paired in order (engine.h): a mirror by key
		 * cannot follow them. Start again from this result. */
		dups_before = dups;
		mirror_reset();
		for (size_t i = 0; i < rb_result_destination_count(res); i++) {
			const rb_destination *d = rb_result_destination(res, i);
			m_set(&m_dest, dupn(rb_destination_key(d), strlen(rb_destination_key(d))),
			      dest_text(ctx, d));
		}
		size_t n = rb_result_route_status_count(res);
		for (size_t i = 0; i < n;) {
			size_t j = i + 1;
			while (j < n && same_route(rb_result_route_status(res, i), rb_result_route_status(res, j)))
				j++;
			const rb_route_status *first = rb_result_route_status(res, i);
			const rb_route_status *run[64];
			size_t k = 0;
			for (size_t x = i; x < j && k < 64; x++)
				run[k++] = rb_result_route_status(res, x);
			m_set(&m_route,
			      route_id(rb_route_status_kind(first), rb_route_status_namespace(first),
			               rb_route_status_name(first)),
			      statuses_text(ctx, result_status_run, run, k));
			i = j;
		}
		return true;
	}
	for (size_t i = 0; i < rb_changes_destination_count(c) && ok; i++) {
		const char *key = rb_changes_destination_key(c, i);
		rb_change how = rb_changes_destination_change(c, i);
		bool there = m_find(&m_dest, key) != SIZE_MAX;
		char *text = how == RB_CHANGE_REMOVED ? NULL : dest_text(ctx, rb_changes_destination(c, i));
		bool fits = how == RB_CHANGE_ADDED     ? !there && text
		            : how == RB_CHANGE_REMOVED ? there
		            : how == RB_CHANGE_CHANGED ? there && text &&
		                                             strcmp(m_dest.val[m_find(&m_dest, key)], text)
		                                       : false;
		if (!fits) {
			fail("after %s: destination change %d of %s does not fit the previous result", what,
			     (int)how, key);
			ok = false;
		}
		m_set(&m_dest, dupn(key, strlen(key)), text);
	}
	for (size_t i = 0; i < rb_changes_route_count(c) && ok; i++) {
		char *key = route_id(rb_changes_route_kind(c, i), rb_changes_route_namespace(c, i),
		                     rb_changes_route_name(c, i));
		rb_change how = rb_changes_route_change(c, i);
		change_at at = {c, i};
		size_t there = m_find(&m_route, key);
		char *text = how == RB_CHANGE_REMOVED
		                 ? NULL
		                 : statuses_text(ctx, change_status, &at, rb_changes_route_status_count(c, i));
		bool fits = how == RB_CHANGE_ADDED     ? there == SIZE_MAX && text
		            : how == RB_CHANGE_REMOVED ? there != SIZE_MAX
		            : how == RB_CHANGE_CHANGED ? there != SIZE_MAX && text &&
		                                             strcmp(m_route.val[there], text)
		                                       : false;
		if (!fits) {
			fail("after %s: route change %d of %s does not fit the previous result", what,
			     (int)how, key);
			ok = false;
		}
		m_set(&m_route, key, text);
	}
	for (size_t i = 0; i < rb_result_destination_count(res); i++) {
		const rb_destination *d = rb_result_destination(res, i);
		m_set(&m_check_dest, dupn(rb_destination_key(d), strlen(rb_destination_key(d))),
		      dest_text(ctx, d));
	}
	size_t n = rb_result_route_status_count(res);
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && same_route(rb_result_route_status(res, i), rb_result_route_status(res, j)))
			j++;
		const rb_route_status *first = rb_result_route_status(res, i);
		/* The entries [i, j) of the result. */
		const rb_route_status *run[64];
		size_t k = 0;
		for (size_t x = i; x < j && k < 64; x++)
			run[k++] = rb_result_route_status(res, x);
		m_set(&m_check_route,
		      route_id(rb_route_status_kind(first), rb_route_status_namespace(first),
		               rb_route_status_name(first)),
		      statuses_text(ctx, result_status_run, run, k));
		i = j;
	}
	if (ok && (!m_equal(&m_dest, &m_check_dest) || !m_equal(&m_route, &m_check_route))) {
		fail("after %s: the previous result updated by the change set is not the result", what);
		ok = false;
	}
	m_clear(&m_check_dest);
	m_clear(&m_check_route);
	changes_checked++;
	return ok;
}


/* A result held across later translations, and its bytes when it was taken. */
static rb_result *held;
static char *held_text;
static size_t held_len;

static bool check_held(rb_ctx *ctx, bool release)
{
	bool ok = true;
	if (held) {
		char *now = NULL;
		size_t n = 0;
		ok = !rb_result_to_buffer(held, RB_FORMAT_JSON, &now, &n) && n == held_len &&
		     !memcmp(now, held_text, n);
		if (!ok)
			fail("a snapshot changed after later translations");
		rb_free(ctx, now);
		snapshots_checked++;
	}
	if (release || !ok) {
		rb_result_free(held);
		free(held_text);
		held = NULL;
		held_text = NULL;
	}
	return ok;
}

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
	ok = check_changes(ctx, e, res, what) && ok;
	/* Keep a snapshot for a while (the engine must leave it alone), or check the one kept. */
	ok = check_held(ctx, chance(&rng, 30)) && ok;
	if (!held && chance(&rng, 40) && !rb_engine_snapshot(e, &held)) {
		held_text = NULL;
		if (rb_result_to_buffer(held, RB_FORMAT_JSON, &held_text, &held_len) == RB_OK) {
			char *copy = dupn(held_text, held_len);
			rb_free(ctx, held_text);
			held_text = copy;
		} else {
			fail("a snapshot does not serialize");
			ok = false;
		}
	}
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
	mirror_reset();
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
	ok = check_held(ctx, true) && ok; /* results outlive the engine and the input */
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
	mirror_reset();
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
			} else {
				ok = check_changes(ctx, e, res, "long churn");
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
		mirror_reset();
		if (ok && k % 4 == 1) {
			/* The first, full translation runs out of memory too. */
			bud.left = k / 4;
			int first = rb_engine_translate(e, &res);
			bud.left = -1;
			if (!first)
				ok = check_changes(ctx, e, res, "out of memory, first translation");
		}
		ok = ok && !rb_engine_translate(e, &res) &&
		     check_changes(ctx, e, res, "out of memory, the snapshot");
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
		if (!rc && !check_changes(ctx, e, res, "out of memory, the change"))
			ok = false;
		snap_put(&s, d);
		size_t after_len = 0;
		char *after = full_translation(ctx, &s, &o, RB_FORMAT_JSON, &after_len);
		char *got = NULL;
		size_t got_len = 0;
		if (rb_engine_translate(e, &res) || rb_result_to_buffer(res, RB_FORMAT_JSON, &got, &got_len)) {
			fail("out of memory (budget %ld): the engine does not recover", k / 3);
			ok = false;
		} else if (!check_changes(ctx, e, res, "out of memory, recovered")) {
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
	mirror_reset();
	printf("engine_property: %u iterations (seed %llu), %llu comparisons, %llu incremental, "
	       "%llu change sets, %llu snapshot checks\n",
	       iterations, (unsigned long long)seed, (unsigned long long)compared,
	       (unsigned long long)incremental_ok, (unsigned long long)changes_checked,
	       (unsigned long long)snapshots_checked);
	if (!failures && incremental_ok == 0) {
		fprintf(stderr, "engine_property: no translation was incremental\n");
		return 1;
	}
	return failures ? 1 : 0;
}
