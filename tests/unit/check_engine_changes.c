/*
 * The incremental engine's change sets and snapshots (include/rebalance/engine.h,
 * "What changed" and "Results and snapshots"), and one IR entry written alone
 * (rb_destination_write, rb_route_status_write).
 *
 * Every step checks the change set against the results themselves: the
 * previous result's entries (each written alone), updated by the change set,
 * must be the new result's entries, and an entry reported changed must
 * really differ. The scenarios then check which entries a change reports.
 */
#include "rebalance/rebalance.h"
#include "testutil.h"

#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a small cluster as manifests ---- */

#define GATEWAY_DOC(extra_listener)                                                                \
	"apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: {name: eg}\n"     \
	"spec: {controllerName: gateway.envoyproxy.io/gatewayclass-controller}\n---\n"             \
	"apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\n"                                \
	"metadata: {namespace: default, name: eg}\n"                                               \
	"spec:\n  gatewayClassName: eg\n  listeners:\n"                                            \
	"  - {name: http, protocol: HTTP, port: 80}\n" extra_listener "---\n"

static char *service(char *o, int i)
{
	return o + sprintf(o,
	                   "apiVersion: v1\nkind: Service\nmetadata: {namespace: default, name: s%d}\n"
	                   "spec: {clusterIP: 10.0.0.%d, ports: [{name: http, port: 80}]}\n---\n",
	                   i, i + 1);
}

/* The EndpointSlice of service i with n ready endpoints. */
static char *slice(char *o, int i, int n)
{
	o += sprintf(o,
	             "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\n"
	             "metadata: {namespace: default, name: s%d-x, labels: "
	             "{kubernetes.io/service-name: s%d}}\n"
	             "addressType: IPv4\nports: [{name: http, port: 8080, protocol: TCP}]\n"
	             "endpoints:%s\n",
	             i, i, n ? "" : " []");
	for (int k = 0; k < n; k++)
		o += sprintf(o, "- {addresses: [\"10.1.%d.%d\"], conditions: {ready: true}}\n", i, k);
	return o + sprintf(o, "---\n");
}

/* Route i to service i, with `rules` rules. */
static char *route(char *o, int i, int rules)
{
	o += sprintf(o,
	             "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
	             "metadata: {namespace: default, name: r%d}\n"
	             "spec:\n  parentRefs: [{name: eg}]\n  hostnames: [r%d.example.com]\n  rules:\n",
	             i, i);
	for (int k = 0; k < rules; k++)
		o += sprintf(o,
		             "  - matches: [{path: {type: PathPrefix, value: /p%d}}]\n"
		             "    backendRefs: [{name: s%d, port: 80}]\n",
		             k, i);
	return o + sprintf(o, "---\n");
}

#define N 3

/* The whole cluster: N services with slices of `eps[i]` endpoints and N one-rule routes. */
static char *cluster(const int eps[N])
{
	char *doc = malloc(64 * 1024), *o = doc;
	o += sprintf(o, "%s", GATEWAY_DOC(""));
	for (int i = 0; i < N; i++) {
		o = service(o, i);
		o = slice(o, i, eps[i]);
		o = route(o, i, 1);
	}
	return doc;
}

static void apply(rb_engine *e, const char *doc)
{
	ck_assert_int_eq(rb_engine_apply_buffer(e, doc, strlen(doc), "change.yaml", RB_INPUT_YAML),
	                 RB_OK);
}

/* ---- the entries of a result, each written alone ---- */

static char *dup(const char *s)
{
	char *d = malloc(strlen(s) + 1);
	strcpy(d, s);
	return d;
}

typedef struct entry {
	char *key; /* a destination key, or "kind/namespace/name" of a route */
	char *json;
} entry;

typedef struct entries {
	entry *e;
	size_t n;
} entries;

static char *dest_json(rb_ctx *ctx, const rb_destination *d)
{
	char *out;
	size_t len;
	ck_assert_int_eq(rb_destination_to_buffer(ctx, d, RB_FORMAT_JSON, &out, &len), RB_OK);
	char *copy = dup(out);
	rb_free(ctx, out);
	return copy;
}

/* The status entries of a route, concatenated. */
static char *statuses_json(rb_ctx *ctx, const rb_route_status *const *st, size_t n)
{
	size_t cap = 1, len = 0;
	char *all = calloc(1, 1);
	for (size_t i = 0; i < n; i++) {
		char *out;
		size_t l;
		ck_assert_int_eq(rb_route_status_to_buffer(ctx, st[i], RB_FORMAT_JSON, &out, &l), RB_OK);
		all = realloc(all, cap += l);
		memcpy(all + len, out, l + 1);
		len += l;
		rb_free(ctx, out);
	}
	return all;
}

static char *route_key(const char *kind, const char *ns, const char *name)
{
	char *k = malloc(strlen(kind) + strlen(ns) + strlen(name) + 3);
	sprintf(k, "%s/%s/%s", kind, ns, name);
	return k;
}

static entry *find(entries *es, const char *key)
{
	for (size_t i = 0; i < es->n; i++)
		if (!strcmp(es->e[i].key, key))
			return &es->e[i];
	return NULL;
}

static void put(entries *es, char *key, char *json)
{
	entry *x = find(es, key);
	if (x) {
		free(x->key);
		free(x->json);
	} else {
		es->e = realloc(es->e, (es->n + 1) * sizeof(entry));
		x = &es->e[es->n++];
	}
	x->key = key;
	x->json = json;
}

static void drop(entries *es, const char *key)
{
	entry *x = find(es, key);
	ck_assert_msg(x != NULL, "removed %s was not there", key);
	free(x->key);
	free(x->json);
	*x = es->e[--es->n];
}

static void entries_free(entries *es)
{
	for (size_t i = 0; i < es->n; i++) {
		free(es->e[i].key);
		free(es->e[i].json);
	}
	free(es->e);
	es->e = NULL;
	es->n = 0;
}

/* Destinations by key, and routes' statuses by route. */
static void result_entries(rb_ctx *ctx, const rb_result *res, entries *dests, entries *routes)
{
	for (size_t i = 0; i < rb_result_destination_count(res); i++) {
		const rb_destination *d = rb_result_destination(res, i);
		ck_assert_ptr_null(find(dests, rb_destination_key(d))); /* keys are unique */
		put(dests, dup(rb_destination_key(d)), dest_json(ctx, d));
	}
	size_t n = rb_result_route_status_count(res);
	for (size_t i = 0; i < n;) {
		const rb_route_status *first = rb_result_route_status(res, i);
		const rb_route_status *run[16];
		size_t k = 0;
		while (i < n && k < 16) {
			const rb_route_status *rs = rb_result_route_status(res, i);
			if (strcmp(rb_route_status_kind(rs), rb_route_status_kind(first)) ||
			    strcmp(rb_route_status_namespace(rs), rb_route_status_namespace(first)) ||
			    strcmp(rb_route_status_name(rs), rb_route_status_name(first)))
				break;
			run[k++] = rs;
			i++;
		}
		put(routes,
		    route_key(rb_route_status_kind(first), rb_route_status_namespace(first),
		              rb_route_status_name(first)),
		    statuses_json(ctx, run, k));
	}
}

static bool same_entries(entries *a, entries *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++) {
		entry *x = find(b, a->e[i].key);
		if (!x || strcmp(x->json, a->e[i].json))
			return false;
	}
	return true;
}

/* What a change set says, in words, sorted: "C default/eg/.../rule/0", "A HTTPRoute/default/r3". */
static char *describe(const rb_changes *c)
{
	static const char LETTER[] = "?ACR";
	size_t nd = rb_changes_destination_count(c), nr = rb_changes_route_count(c);
	char **lines = calloc(nd + nr + 1, sizeof(char *));
	size_t n = 0, total = 1;
	for (size_t i = 0; i < nd; i++) {
		const char *k = rb_changes_destination_key(c, i);
		lines[n] = malloc(strlen(k) + 4);
		sprintf(lines[n], "%c %s", LETTER[rb_changes_destination_change(c, i)], k);
		total += strlen(lines[n++]) + 1;
	}
	for (size_t i = 0; i < nr; i++) {
		char *k = route_key(rb_changes_route_kind(c, i), rb_changes_route_namespace(c, i),
		                    rb_changes_route_name(c, i));
		lines[n] = malloc(strlen(k) + 4);
		sprintf(lines[n], "%c %s", LETTER[rb_changes_route_change(c, i)], k);
		total += strlen(lines[n++]) + 1;
		free(k);
	}
	for (size_t i = 1; i < n; i++) /* insertion sort of each part: a handful of lines */
		for (size_t j = i; j > 0 && (j < nd) == (j - 1 < nd) && strcmp(lines[j - 1], lines[j]) > 0;
		     j--) {
			char *t = lines[j];
			lines[j] = lines[j - 1];
			lines[j - 1] = t;
		}
	char *s = calloc(1, total);
	for (size_t i = 0; i < n; i++) {
		strcat(s, lines[i]);
		strcat(s, "\n");
		free(lines[i]);
	}
	free(lines);
	return s;
}

/* An engine and the entries of its last result, as the change sets built them. */
typedef struct tracker {
	rb_ctx *ctx;
	rb_input *in;
	rb_engine *e;
	entries dests, routes;
	const rb_result *res;
} tracker;

static void tracker_new(tracker *t, const char *doc)
{
	memset(t, 0, sizeof *t);
	ck_assert_int_eq(rb_ctx_new(&t->ctx, NULL), RB_OK);
	ck_assert_int_eq(rb_input_new(&t->in, t->ctx), RB_OK);
	ck_assert_int_eq(rb_input_add_buffer(t->in, doc, strlen(doc), "in.yaml", RB_INPUT_YAML),
	                 RB_OK);
	ck_assert_int_eq(rb_engine_new(&t->e, t->in, NULL), RB_OK);
}

static void tracker_free(tracker *t)
{
	entries_free(&t->dests);
	entries_free(&t->routes);
	rb_engine_free(t->e);
	rb_input_free(t->in);
	rb_ctx_free(t->ctx);
}

/* Translate, check the change set against the results, and describe it (free it). */
static char *step(tracker *t)
{
	ck_assert_int_eq(rb_engine_translate(t->e, &t->res), RB_OK);
	const rb_changes *c = rb_engine_changes(t->e);
	ck_assert_ptr_nonnull(c);
	for (size_t i = 0; i < rb_changes_destination_count(c); i++) {
		const char *k = rb_changes_destination_key(c, i);
		const rb_destination *d = rb_changes_destination(c, i);
		rb_change what = rb_changes_destination_change(c, i);
		entry *old = find(&t->dests, k);
		if (what == RB_CHANGE_REMOVED) {
			ck_assert_ptr_null(d);
			drop(&t->dests, k);
			continue;
		}
		ck_assert_ptr_nonnull(d);
		ck_assert_str_eq(rb_destination_key(d), k);
		char *json = dest_json(t->ctx, d);
		if (what == RB_CHANGE_ADDED) {
			ck_assert_msg(old == NULL, "added %s was there", k);
		} else {
			ck_assert_int_eq(what, RB_CHANGE_CHANGED);
			ck_assert_msg(old && strcmp(old->json, json), "changed %s is the same", k);
		}
		put(&t->dests, dup(k), json);
	}
	for (size_t i = 0; i < rb_changes_route_count(c); i++) {
		char *k = route_key(rb_changes_route_kind(c, i), rb_changes_route_namespace(c, i),
		                    rb_changes_route_name(c, i));
		rb_change what = rb_changes_route_change(c, i);
		size_t n = rb_changes_route_status_count(c, i);
		if (what == RB_CHANGE_REMOVED) {
			ck_assert_uint_eq(n, 0);
			drop(&t->routes, k);
			free(k);
			continue;
		}
		const rb_route_status *st[16];
		ck_assert_uint_le(n, 16);
		for (size_t j = 0; j < n; j++)
			ck_assert_ptr_nonnull(st[j] = rb_changes_route_status(c, i, j));
		ck_assert_ptr_null(rb_changes_route_status(c, i, n));
		char *json = statuses_json(t->ctx, st, n);
		entry *old = find(&t->routes, k);
		if (what == RB_CHANGE_ADDED)
			ck_assert_msg(old == NULL, "added %s was there", k);
		else
			ck_assert_msg(old && strcmp(old->json, json), "changed %s is the same", k);
		put(&t->routes, k, json);
	}
	/* The whole change set as one document: one "change" per entry. */
	for (rb_format fmt = RB_FORMAT_YAML; fmt <= RB_FORMAT_JSON; fmt++) {
		char *doc;
		size_t len;
		ck_assert_int_eq(rb_changes_to_buffer(t->ctx, c, fmt, &doc, &len), RB_OK);
		size_t n = 0;
		const char *needle = fmt == RB_FORMAT_JSON ? "\"change\": " : "change: ";
		for (const char *p = doc; (p = strstr(p, needle)); p++)
			n++;
		ck_assert_uint_eq(n, rb_changes_destination_count(c) + rb_changes_route_count(c));
		rb_free(t->ctx, doc);
	}
	ck_assert_int_eq(rb_changes_to_buffer(NULL, c, RB_FORMAT_JSON, &(char *){NULL}, &(size_t){0}),
	                 RB_EINVAL);
	/* The entries updated by the change set are the result's. */
	entries dests = {0}, routes = {0};
	result_entries(t->ctx, t->res, &dests, &routes);
	ck_assert_msg(same_entries(&dests, &t->dests), "destinations differ after the change set");
	ck_assert_msg(same_entries(&routes, &t->routes), "statuses differ after the change set");
	entries_free(&dests);
	entries_free(&routes);
	return describe(c);
}

static void expect(tracker *t, const char *want)
{
	char *got = step(t);
	ck_assert_str_eq(got, want);
	free(got);
}

#define KEY(i, rule) "default/eg/httproute/default/r" #i "/rule/" #rule

START_TEST(first_translation_adds_everything_then_nothing_changes)
{
	int eps[N] = {1, 1, 1};
	char *doc = cluster(eps);
	tracker t;
	tracker_new(&t, doc);
	expect(&t, "A " KEY(0, 0) "\nA " KEY(1, 0) "\nA " KEY(2, 0) "\n"
	           "A HTTPRoute/default/r0\nA HTTPRoute/default/r1\nA HTTPRoute/default/r2\n");
	expect(&t, ""); /* nothing applied */
	char buf[4096];
	slice(buf, 2, 1); /* the same slice again: translated again, unchanged */
	apply(t.e, buf);
	expect(&t, "");
	rb_engine_stats st = {.size = sizeof st};
	ck_assert_int_eq(rb_engine_get_stats(t.e, &st), RB_OK);
	ck_assert_uint_eq(st.routes_translated, 1);
	tracker_free(&t);
	free(doc);
}
END_TEST

START_TEST(slices_and_services)
{
	int eps[N] = {1, 1, 1};
	char *doc = cluster(eps);
	tracker t;
	tracker_new(&t, doc);
	free(step(&t));
	char buf[4096];
	slice(buf, 1, 3); /* scaled up */
	apply(t.e, buf);
	expect(&t, "C " KEY(1, 0) "\n");
	slice(buf, 1, 0); /* scaled to zero: the status says so (BackendsAvailable) */
	apply(t.e, buf);
	expect(&t, "C " KEY(1, 0) "\nC HTTPRoute/default/r1\n");
	slice(buf, 1, 2); /* and back up */
	apply(t.e, buf);
	expect(&t, "C " KEY(1, 0) "\nC HTTPRoute/default/r1\n");
	ck_assert_int_eq(rb_engine_delete(t.e, "Service", "default", "s0"), RB_OK);
	expect(&t, "C " KEY(0, 0) "\nC HTTPRoute/default/r0\n");
	service(buf, 0); /* back */
	apply(t.e, buf);
	expect(&t, "C " KEY(0, 0) "\nC HTTPRoute/default/r0\n");
	tracker_free(&t);
	free(doc);
}
END_TEST

START_TEST(routes_added_removed_edited)
{
	int eps[N] = {1, 1, 1};
	char *doc = cluster(eps);
	tracker t;
	tracker_new(&t, doc);
	free(step(&t));
	char buf[8192], *o = buf;
	o = service(o, 3);
	o = slice(o, 3, 2);
	route(o, 3, 1);
	apply(t.e, buf);
	expect(&t, "A " KEY(3, 0) "\nA HTTPRoute/default/r3\n");
	ck_assert_int_eq(rb_engine_delete(t.e, "HTTPRoute", "default", "r1"), RB_OK);
	expect(&t, "R " KEY(1, 0) "\nR HTTPRoute/default/r1\n");
	route(buf, 2, 2); /* a second rule */
	apply(t.e, buf);
	expect(&t, "A " KEY(2, 1) "\n");
	route(buf, 2, 1); /* and back */
	apply(t.e, buf);
	expect(&t, "R " KEY(2, 1) "\n");
	/* Removed and added again between two translations: nothing changed. */
	ck_assert_int_eq(rb_engine_delete(t.e, "HTTPRoute", "default", "r0"), RB_OK);
	route(buf, 0, 1);
	apply(t.e, buf);
	expect(&t, "");
	tracker_free(&t);
	free(doc);
}
END_TEST

START_TEST(full_translations_give_a_minimal_delta)
{
	int eps[N] = {1, 1, 1};
	char *doc = cluster(eps);
	tracker t;
	tracker_new(&t, doc);
	free(step(&t));
	rb_engine_stats st = {.size = sizeof st};
	ck_assert_int_eq(rb_engine_get_stats(t.e, &st), RB_OK);
	uint64_t full = st.full_translations;
	/* A second listener: every destination is programmed by it too, statuses stay. */
	static const char GW2[] = GATEWAY_DOC("  - {name: alt, protocol: HTTP, port: 8080}\n");
	apply(t.e, GW2);
	expect(&t, "C " KEY(0, 0) "\nC " KEY(1, 0) "\nC " KEY(2, 0) "\n");
	ck_assert_int_eq(rb_engine_get_stats(t.e, &st), RB_OK);
	ck_assert_uint_eq(st.full_translations, full + 1);
	/* The same Gateway again: translated in full, nothing changed. */
	apply(t.e, GW2);
	expect(&t, "");
	ck_assert_int_eq(rb_engine_get_stats(t.e, &st), RB_OK);
	ck_assert_uint_eq(st.full_translations, full + 2);
	/* A slice and a Gateway change at once. */
	char buf[16384], *o = buf;
	o += sprintf(o, "%s", GATEWAY_DOC(""));
	slice(o, 0, 2);
	apply(t.e, buf);
	expect(&t, "C " KEY(0, 0) "\nC " KEY(1, 0) "\nC " KEY(2, 0) "\n");
	tracker_free(&t);
	free(doc);
}
END_TEST

/* ---- snapshots ---- */

static char *render_translation(rb_ctx *ctx, const char *doc)
{
	rb_input *in;
	rb_result *res;
	ck_assert_int_eq(rb_input_new(&in, ctx), RB_OK);
	ck_assert_int_eq(rb_input_add_buffer(in, doc, strlen(doc), "state.yaml", RB_INPUT_YAML),
	                 RB_OK);
	ck_assert_int_eq(rb_translate(&res, in, NULL), RB_OK);
	char *s = tu_render(res, RB_FORMAT_JSON);
	rb_result_free(res);
	rb_input_free(in);
	return s;
}

/* The state after the changes: N services with slices of eps[i] endpoints, N routes of rules[i] rules. */
static char *state(const int eps[N], const int rules[N])
{
	char *doc = malloc(64 * 1024), *o = doc;
	o += sprintf(o, "%s", GATEWAY_DOC(""));
	for (int i = 0; i < N; i++) {
		o = service(o, i);
		o = slice(o, i, eps[i]);
		o = route(o, i, rules[i]);
	}
	return doc;
}

START_TEST(snapshots_outlive_later_translations)
{
	int eps[N] = {1, 2, 3}, rules[N] = {1, 1, 1};
	char *doc = state(eps, rules);
	tracker t;
	tracker_new(&t, doc);
	rb_result *none = NULL;
	ck_assert_int_eq(rb_engine_snapshot(t.e, &none), RB_EINVAL); /* nothing translated yet */
	const rb_result *res;
	ck_assert_int_eq(rb_engine_translate(t.e, &res), RB_OK);
	enum { KEPT = 4 };
	static const int AT[KEPT] = {-1, 37, 50, 99}; /* -1: the first translation */
	rb_result *kept[KEPT];
	char *kept_doc[KEPT];
	ck_assert_int_eq(rb_engine_snapshot(t.e, &kept[0]), RB_OK);
	ck_assert_ptr_eq(kept[0], res);
	kept_doc[0] = doc;
	for (int k = 0; k < 100; k++) {
		/* Slices scaled (arrays patched in place), routes edited (arrays
		 * assembled again), the Gateway applied again (a full translation:
		 * the IR arena replaced). */
		int i = k % N;
		char buf[8192];
		if (k % 10 == 9) {
			rules[i] = rules[i] == 1 ? 2 : 1;
			route(buf, i, rules[i]);
		} else if (k % 25 == 24) {
			sprintf(buf, "%s", GATEWAY_DOC(""));
		} else {
			eps[i] = (eps[i] + 1) % 4;
			slice(buf, i, eps[i]);
		}
		apply(t.e, buf);
		ck_assert_int_eq(rb_engine_translate(t.e, &res), RB_OK);
		for (int s = 1; s < KEPT; s++)
			if (AT[s] == k) {
				/* A snapshot, or the borrowed result kept with rb_result_ref. */
				if (s % 2)
					ck_assert_int_eq(rb_engine_snapshot(t.e, &kept[s]), RB_OK);
				else
					kept[s] = rb_result_ref(res);
				kept_doc[s] = state(eps, rules);
			}
	}
	/* Each equals a fresh translation of its state, byte for byte; the
	 * first ones after the engine is gone. */
	rb_engine_free(t.e);
	t.e = NULL;
	for (int s = 0; s < KEPT; s++) {
		char *want = render_translation(t.ctx, kept_doc[s]);
		char *got = tu_render(kept[s], RB_FORMAT_JSON);
		ck_assert_msg(!strcmp(got, want), "snapshot %d differs", s);
		free(got);
		free(want);
		free(kept_doc[s]);
		rb_result_free(kept[s]);
		if (s == 1)
			rb_input_free(t.in); /* the results keep the input alive */
	}
	entries_free(&t.dests);
	entries_free(&t.routes);
	rb_ctx_free(t.ctx);
}
END_TEST

/* ---- one entry alone ---- */

/* The items of the list under `list_key` in a full output, each dedented as
 * rb_destination_write writes it. */
static char **items(const char *full, rb_format fmt, const char *list_key, size_t *count)
{
	char **out = NULL;
	size_t n = 0;
	const char *p = strstr(full, list_key);
	ck_assert_ptr_nonnull(p);
	p = strchr(p, '\n') + 1;
	size_t indent = fmt == RB_FORMAT_YAML ? 2 : 4;
	char *cur = NULL;
	size_t len = 0;
	for (; *p; p = strchr(p, '\n') + 1) {
		const char *eol = strchr(p, '\n');
		size_t l = (size_t)(eol - p);
		bool starts = fmt == RB_FORMAT_YAML ? !strncmp(p, "- ", 2) : !strncmp(p, "    {", 5);
		bool inside = fmt == RB_FORMAT_YAML ? !strncmp(p, "  ", 2) : !strncmp(p, "     ", 5) ||
		                                                                 !strncmp(p, "    }", 5);
		if (!starts && !inside)
			break; /* the end of the list */
		if (starts) {
			out = realloc(out, (n + 1) * sizeof(char *));
			cur = out[n++] = calloc(1, strlen(full) + 1);
			len = 0;
		}
		size_t take = l - indent;
		if (fmt == RB_FORMAT_JSON && !strncmp(p, "    },", 6))
			take--; /* the separator belongs to the list */
		memcpy(cur + len, p + indent, take);
		len += take;
		cur[len++] = '\n';
	}
	*count = n;
	return out;
}

START_TEST(one_entry_alone_is_its_item_in_the_full_output)
{
	int eps[N] = {0, 2, 1};
	char *doc = cluster(eps);
	tu_fixture f = tu_translate(doc);
	for (rb_format fmt = RB_FORMAT_YAML; fmt <= RB_FORMAT_JSON; fmt++) {
		char *full = tu_render(f.res, fmt);
		size_t n;
		char **want = items(full, fmt, fmt == RB_FORMAT_YAML ? "destinations:" : "\"destinations\"", &n);
		ck_assert_uint_eq(n, rb_result_destination_count(f.res));
		for (size_t i = 0; i < n; i++) {
			char *got;
			size_t len;
			ck_assert_int_eq(rb_destination_to_buffer(f.ctx, rb_result_destination(f.res, i), fmt,
			                                          &got, &len),
			                 RB_OK);
			ck_assert_str_eq(got, want[i]);
			ck_assert_uint_eq(len, strlen(want[i]));
			rb_free(f.ctx, got);
			free(want[i]);
		}
		free(want);
		want = items(full, fmt, fmt == RB_FORMAT_YAML ? "routeStatuses:" : "\"routeStatuses\"", &n);
		ck_assert_uint_eq(n, rb_result_route_status_count(f.res));
		for (size_t i = 0; i < n; i++) {
			char *got;
			size_t len;
			ck_assert_int_eq(rb_route_status_to_buffer(f.ctx, rb_result_route_status(f.res, i), fmt,
			                                           &got, &len),
			                 RB_OK);
			ck_assert_str_eq(got, want[i]);
			rb_free(f.ctx, got);
			free(want[i]);
		}
		free(want);
		free(full);
		/* The xDS entry of each destination alone, likewise. */
		size_t xlen;
		ck_assert_int_eq(rb_xds_to_buffer(f.res, fmt, &full, &xlen), RB_OK);
		want = items(full, fmt, fmt == RB_FORMAT_YAML ? "rules:" : "\"rules\"", &n);
		ck_assert_uint_eq(n, rb_result_destination_count(f.res));
		for (size_t i = 0; i < n; i++) {
			char *got;
			size_t len;
			ck_assert_int_eq(rb_destination_xds_to_buffer(f.ctx, rb_result_destination(f.res, i),
			                                              fmt, &got, &len),
			                 RB_OK);
			ck_assert_str_eq(got, want[i]);
			rb_free(f.ctx, got);
			free(want[i]);
		}
		free(want);
		rb_free(f.ctx, full);
	}
	char *got;
	size_t len;
	ck_assert_int_eq(rb_destination_to_buffer(NULL, rb_result_destination(f.res, 0),
	                                          RB_FORMAT_JSON, &got, &len),
	                 RB_EINVAL);
	ck_assert_int_eq(rb_destination_to_buffer(f.ctx, NULL, RB_FORMAT_JSON, &got, &len), RB_EINVAL);
	ck_assert_int_eq(rb_destination_xds_to_buffer(NULL, rb_result_destination(f.res, 0),
	                                              RB_FORMAT_JSON, &got, &len),
	                 RB_EINVAL);
	ck_assert_int_eq(rb_destination_to_buffer(f.ctx, rb_result_destination(f.res, 0),
	                                          (rb_format)7, &got, &len),
	                 RB_EINVAL);
	tu_done(&f);
	free(doc);
}
END_TEST

/* mergeBackends: a rule alone carries the shared clusters it routes to, even
 * those an earlier rule of its Gateway writes in the full document. */
START_TEST(xds_alone_carries_its_shared_clusters)
{
	size_t len;
	char *doc = tu_read_file(REBALANCE_SOURCE_DIR "/tests/golden/merge-backends/input.yaml", &len);
	ck_assert_ptr_nonnull(doc);
	tu_fixture f = tu_translate(doc);
	size_t shared_rules = 0;
	for (size_t i = 0; i < rb_result_destination_count(f.res); i++) {
		const rb_destination *d = rb_result_destination(f.res, i);
		char *x;
		size_t n;
		ck_assert_int_eq(rb_destination_xds_to_buffer(f.ctx, d, RB_FORMAT_JSON, &x, &n), RB_OK);
		for (size_t k = 0; k < rb_destination_setting_count(d); k++) {
			const rb_setting *s = rb_destination_setting(d, k);
			if (!(rb_setting_flags(s) & RB_SETTING_SHARED_CLUSTER))
				continue;
			char want[1024];
			snprintf(want, sizeof want, "\"name\": \"%s\",\n", rb_setting_name(s));
			ck_assert_msg(strstr(x, want) != NULL, "%s lacks cluster %s", rb_destination_name(d),
			              rb_setting_name(s));
			shared_rules++;
		}
		rb_free(f.ctx, x);
	}
	ck_assert_uint_gt(shared_rules, 1);
	tu_done(&f);
	free(doc);
}
END_TEST

START_TEST(null_arguments)
{
	ck_assert_ptr_null(rb_engine_changes(NULL));
	ck_assert_uint_eq(rb_changes_destination_count(NULL), 0);
	ck_assert_int_eq(rb_changes_destination_change(NULL, 0), 0);
	ck_assert_ptr_null(rb_changes_destination_key(NULL, 0));
	ck_assert_ptr_null(rb_changes_destination(NULL, 0));
	ck_assert_uint_eq(rb_changes_route_count(NULL), 0);
	ck_assert_ptr_null(rb_changes_route_kind(NULL, 0));
	ck_assert_ptr_null(rb_changes_route_status(NULL, 0, 0));
	ck_assert_ptr_null(rb_result_ref(NULL));
	rb_result *r = (rb_result *)1;
	ck_assert_int_eq(rb_engine_snapshot(NULL, &r), RB_EINVAL);
	ck_assert_ptr_null(r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("engine_changes");
	TCase *tc = tcase_create("changes");
	tcase_add_test(tc, first_translation_adds_everything_then_nothing_changes);
	tcase_add_test(tc, slices_and_services);
	tcase_add_test(tc, routes_added_removed_edited);
	tcase_add_test(tc, full_translations_give_a_minimal_delta);
	tcase_add_test(tc, null_arguments);
	suite_add_tcase(s, tc);
	tc = tcase_create("snapshots");
	tcase_add_test(tc, snapshots_outlive_later_translations);
	suite_add_tcase(s, tc);
	tc = tcase_create("entry_alone");
	tcase_add_test(tc, one_entry_alone_is_its_item_in_the_full_output);
	tcase_add_test(tc, xds_alone_carries_its_shared_clusters);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
