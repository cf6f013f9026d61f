/* The loader: YAML and JSON to node trees, layouts, limits, positions, diagnostics. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/ctx.h"
#include "core/diag.h"
#include "core/mem.h"
#include "load/load.h"
#include "load/node.h"
#include "load/text.h"
#include "testutil.h"

/* ---- harness ---- */

enum { MAX_OBJ = 64 };

typedef struct obj_rec {
	char key[64];   /* layout key or "-" */
	char path[256]; /* path of the object, or of the probed node */
	uint32_t line, col;
	uint64_t off;
	char dump[2048];
} obj_rec;

typedef struct run {
	rb__mem mem;
	rb__arena darena;
	rb__diags diags;
	rb__limits limits;
	obj_rec objs[MAX_OBJ];
	size_t nobj;
	size_t calls;
	size_t fail_at;    /* the sink fails on this call (1-based), 0: never */
	const char *probe; /* "spec/rules/0": record this node instead of the object */
	char diag[1024];   /* the first diagnostic, formatted */
	int dcode;
	uint32_t dline, dcol;
	uint64_t doff;
	char dpath[256];
	size_t ndiags;
} run;

static void dump(rb__buf *b, const rb__node *n)
{
	switch (n->kind) {
	case RB_NODE_MAP:
		rb__buf_putc(b, '{');
		for (size_t i = 0; i < n->coll.count; i++) {
			if (i)
				rb__buf_putc(b, ',');
			rb__buf_append(b, n->coll.items[i]->key, n->coll.items[i]->key_len);
			rb__buf_putc(b, ':');
			dump(b, n->coll.items[i]);
		}
		rb__buf_putc(b, '}');
		break;
	case RB_NODE_SEQ:
		rb__buf_putc(b, '[');
		for (size_t i = 0; i < n->coll.count; i++) {
			if (i)
				rb__buf_putc(b, ',');
			dump(b, n->coll.items[i]);
		}
		rb__buf_putc(b, ']');
		break;
	default:
		switch (n->stype) {
		case RB_SCALAR_STRING:
			rb__buf_putc(b, '"');
			rb__buf_append(b, n->scalar.text, n->scalar.len);
			rb__buf_putc(b, '"');
			return;
		case RB_SCALAR_INT:
			rb__buf_puts(b, "i:");
			break;
		case RB_SCALAR_FLOAT:
			rb__buf_puts(b, "f:");
			break;
		case RB_SCALAR_BOOL:
			rb__buf_puts(b, "b:");
			break;
		default:
			rb__buf_puts(b, "~");
			return;
		}
		rb__buf_append(b, n->scalar.text, n->scalar.len);
	}
}

static const rb__node *walk(const rb__node *n, const char *probe)
{
	char part[64];
	while (n && *probe) {
		size_t k = strcspn(probe, "/");
		snprintf(part, sizeof part, "%.*s", (int)k, probe);
		probe += k + (probe[k] == '/');
		if (rb__node_is_seq(n)) {
			size_t i = (size_t)strtoul(part, NULL, 10);
			n = i < n->coll.count ? n->coll.items[i] : NULL;
		} else {
			n = rb__node_get(n, part);
		}
	}
	return n;
}

static int sink_object(void *ud, const rb__node *obj, const char *layout_key)
{
	run *r = ud;
	r->calls++;
	if (r->fail_at && r->calls == r->fail_at) {
		rb__diag_add(&r->diags, RB_EPARSE, "sink", 0, 0, 0, "", "sink says no");
		return RB_EPARSE;
	}
	ck_assert_uint_lt(r->nobj, MAX_OBJ);
	obj_rec *o = &r->objs[r->nobj++];
	const rb__node *n = r->probe ? walk(obj, r->probe) : obj;
	ck_assert_ptr_nonnull(n);
	snprintf(o->key, sizeof o->key, "%s", layout_key ? layout_key : "-");
	rb__arena a;
	rb__arena_init(&a, &r->mem);
	snprintf(o->path, sizeof o->path, "%s", rb__node_path(n, &a));
	rb__arena_free(&a);
	o->line = n->line;
	o->col = n->column;
	o->off = n->offset;
	rb__buf b;
	rb__buf_init(&b, &r->mem);
	dump(&b, obj);
	snprintf(o->dump, sizeof o->dump, "%.*s", (int)b.len, b.data ? b.data : "");
	rb__buf_free(&b);
	return RB_OK;
}

static void run_init(run *r)
{
	memset(r, 0, sizeof *r);
	rb__mem_default(&r->mem);
	rb__arena_init(&r->darena, &r->mem);
	rb__diags_init(&r->diags, &r->mem, &r->darena);
	rb__limits_default(&r->limits);
}

static void run_free(run *r)
{
	rb__diags_free(&r->diags);
	rb__arena_free(&r->darena);
}

static int run_load(run *r, const char *text, size_t len, rb__format fmt)
{
	rb__load_params p = {"in.yaml", text, len, fmt, &r->limits, &r->mem, &r->diags};
	if (fmt == RB_FMT_JSON)
		p.source = "in.json";
	rb__sink sink = {sink_object, r};
	int rc = rb__load(&p, &sink);
	r->ndiags = rb__diags_count(&r->diags);
	if (r->ndiags) {
		const rb_diag *d = rb__diags_at(&r->diags, 0);
		rb_diag_format(d, r->diag, sizeof r->diag);
		r->dcode = d->code;
		r->dline = d->line;
		r->dcol = d->column;
		r->doff = d->offset;
		snprintf(r->dpath, sizeof r->dpath, "%s", d->path);
	}
	return rc;
}

/* Load text, expect success; returns the number of objects. */
#define LOAD_OK(r, text, fmt)                                                                      \
	do {                                                                                       \
		int rc_ = run_load((r), (text), strlen(text), (fmt));                              \
		ck_assert_msg(rc_ == RB_OK, "rc %d: %s", rc_, (r)->diag);                          \
		ck_assert_uint_eq((r)->ndiags, 0);                                                 \
	} while (0)

/* Load text, expect failure with code and an exact formatted diagnostic. */
#define LOAD_FAIL(r, text, fmt, code, msg)                                                         \
	do {                                                                                       \
		int rc_ = run_load((r), (text), strlen(text), (fmt));                              \
		ck_assert_int_eq(rc_, (code));                                                     \
		ck_assert_uint_eq((r)->ndiags, 1);                                                 \
		ck_assert_int_eq((r)->dcode, (code));                                              \
		ck_assert_str_eq((r)->diag, (msg));                                                \
	} while (0)

#define OBJ(r, i, k, d)                                                                            \
	do {                                                                                       \
		ck_assert_str_eq((r)->objs[i].key, (k));                                           \
		ck_assert_str_eq((r)->objs[i].dump, (d));                                          \
	} while (0)

#define AT(r, i, p, l, c, o)                                                                       \
	do {                                                                                       \
		ck_assert_str_eq((r)->objs[i].path, (p));                                          \
		ck_assert_uint_eq((r)->objs[i].line, (l));                                         \
		ck_assert_uint_eq((r)->objs[i].col, (c));                                          \
		ck_assert_uint_eq((r)->objs[i].off, (o));                                          \
	} while (0)

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A time budget in seconds, scaled like Check's timeouts for slow runs (sanitizers, valgrind). */
static double budget(double seconds)
{
	const char *m = getenv("CK_TIMEOUT_MULTIPLIER");
	double f = m ? atof(m) : 1.0;
	return seconds * (f >= 1.0 ? f : 1.0);
}

/* A malloc'd string: prefix, then unit repeated n times, then suffix. */
static char *repeat(const char *prefix, const char *unit, size_t n, const char *suffix, size_t *len)
{
	size_t pl = strlen(prefix), ul = strlen(unit), sl = strlen(suffix);
	char *s = malloc(pl + ul * n + sl + 1);
	ck_assert_ptr_nonnull(s);
	memcpy(s, prefix, pl);
	for (size_t i = 0; i < n; i++)
		memcpy(s + pl + i * ul, unit, ul);
	memcpy(s + pl + ul * n, suffix, sl + 1);
	*len = pl + ul * n + sl;
	return s;
}

/* ---- yaml_basic ---- */

START_TEST(yaml_single_object)
{
	run r;
	run_init(&r);
	LOAD_OK(&r, "apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n  namespace: ns\n",
	        RB_FMT_AUTO);
	ck_assert_uint_eq(r.nobj, 1);
	OBJ(&r, 0, "-",
	    "{apiVersion:\"v1\",kind:\"Service\",metadata:{name:\"a\",namespace:\"ns\"}}");
	AT(&r, 0, "", 1, 1, 0);
	run_free(&r);
}
END_TEST

START_TEST(yaml_scalar_types)
{
	run r;
	run_init(&r);
	LOAD_OK(&r,
	        "kind: X\n"
	        "s: {a: 8080, b: \"8080\", c: true, d: ~, e: 1e3, f: 0x1F, g: .inf, h: yes,\n"
	        "    i: 'x', k: !!str 123, l: 0o17, m: -1.5, n: null, o: NULL, p: False,\n"
	        "    q: .NaN, r: +12, t: 1_000, u: -.inf, v: 1., w: .5, x: 0o8, y: !foo 12,\n"
	        "    z: ! 12, e1: , e2: \"\", e3: 1e, e4: 0x, e5: TRUE, e6: tRue, e7: No}\n"
	        "lit: |\n  a\n  b\n"
	        "fold: >\n  a\n  b\n",
	        RB_FMT_YAML);
	ck_assert_uint_eq(r.nobj, 1);
	OBJ(&r, 0, "-",
	    "{kind:\"X\",s:{a:i:8080,b:\"8080\",c:b:true,d:~,e:f:1e3,f:i:0x1F,g:f:.inf,h:b:yes,"
	    "i:\"x\",k:\"123\",l:i:0o17,m:f:-1.5,false:~,o:~,p:b:False,q:f:.NaN,r:i:+12,t:i:1_000,"
	    "u:f:-.inf,v:f:1.,w:f:.5,x:\"0o8\",true:i:12,z:\"12\",e1:~,e2:\"\",e3:\"1e\",e4:\"0x\","
	    "e5:b:TRUE,e6:\"tRue\",e7:b:No},lit:\"a\nb\n\",fold:\"a b\n\"}");
	run_free(&r);
}
END_TEST

START_TEST(yaml_resolver)
{
	/* go-yaml v2 (YAML 1.1); the full table is in check_scalars.c. */
	struct {
		const char *s;
		rb__scalar_type t;
	} cases[] = {
	    {"", RB_SCALAR_NULL},        {"~", RB_SCALAR_NULL},      {"Null", RB_SCALAR_NULL},
	    {"nULL", RB_SCALAR_STRING},  {"0", RB_SCALAR_INT},       {"-0", RB_SCALAR_INT},
	    {"007", RB_SCALAR_INT},      {"0o7", RB_SCALAR_INT},     {"0O7", RB_SCALAR_INT},
	    {"0xaF", RB_SCALAR_INT},     {"0XaF", RB_SCALAR_INT},    {"+0x1", RB_SCALAR_INT},
	    {"1.5e-3", RB_SCALAR_FLOAT}, {"1E+3", RB_SCALAR_FLOAT},  {"-", RB_SCALAR_STRING},
	    {".", RB_SCALAR_STRING},     {"+.INF", RB_SCALAR_FLOAT}, {"-.nan", RB_SCALAR_STRING},
	    {"1.2.3", RB_SCALAR_STRING}, {"FALSE", RB_SCALAR_BOOL},  {"on", RB_SCALAR_BOOL},
	    {"12abc", RB_SCALAR_STRING}, {"1e5x", RB_SCALAR_STRING},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		ck_assert_msg(rb__yaml_resolve_plain(cases[i].s, strlen(cases[i].s)) == cases[i].t,
		              "%s", cases[i].s);
}
END_TEST

/* [input.form.manifests] */
START_TEST(yaml_multi_document)
{
	run r;
	run_init(&r);
	LOAD_OK(&r,
	        "---\n"
	        "---\n"
	        "~\n"
	        "--- # comment only\n"
	        "---\n"
	        "apiVersion: v1\n"
	        "kind: List\n"
	        "items:\n"
	        "- kind: Service\n"
	        "  metadata: {name: a}\n"
	        "- {kind: Service, metadata: {name: b}}\n"
	        "metadata: {}\n"
	        "---\n"
	        "kind: Gateway\n"
	        "metadata: {name: gw}\n"
	        "...\n"
	        "---\n"
	        "null\n",
	        RB_FMT_AUTO);
	ck_assert_uint_eq(r.nobj, 3);
	OBJ(&r, 0, "-", "{kind:\"Service\",metadata:{name:\"a\"}}");
	AT(&r, 0, "/items/0", 9, 3, 68);
	OBJ(&r, 1, "-", "{kind:\"Service\",metadata:{name:\"b\"}}");
	AT(&r, 1, "/items/1", 11, 3, 106);
	OBJ(&r, 2, "-", "{kind:\"Gateway\",metadata:{name:\"gw\"}}");
	AT(&r, 2, "", 14, 1, 160);
	run_free(&r);
}
END_TEST

START_TEST(yaml_list_items_before_kind)
{
	/* kubectl prints the keys of a List alphabetically: items come before kind. */
	run r;
	run_init(&r);
	LOAD_OK(&r,
	        "apiVersion: v1\n"
	        "items:\n"
	        "- apiVersion: v1\n"
	        "  kind: Service\n"
	        "- apiVersion: v1\n"
	        "  kind: Secret\n"
	        "kind: ServiceList\n"
	        "metadata:\n"
	        "  resourceVersion: \"\"\n",
	        RB_FMT_AUTO);
	ck_assert_uint_eq(r.nobj, 2);
	OBJ(&r, 0, "-", "{apiVersion:\"v1\",kind:\"Service\"}");
	AT(&r, 0, "/items/0", 3, 3, 24);
	OBJ(&r, 1, "-", "{apiVersion:\"v1\",kind:\"Secret\"}");
	AT(&r, 1, "/items/1", 5, 3, 57);
	run_free(&r);

	/* With a kind that is not a List, "items" first is an error... */
	run_init(&r);
	LOAD_FAIL(&r, "items:\n- kind: A\nkind: Foo\n", RB_FMT_AUTO, RB_EPARSE,
	          "in.yaml:3:7: /kind: \"items\" before the kind were read as the items of a List, "
	          "but kind \"Foo\" does not end in \"List\"");
	run_free(&r);
	/* ... but after such a kind, "items" is an ordinary member of one object. */
	run_init(&r);
	LOAD_OK(&r, "kind: Foo\nitems:\n- kind: A\n", RB_FMT_AUTO);
	ck_assert_uint_eq(r.nobj, 1);
	OBJ(&r, 0, "-", "{kind:\"Foo\",items:[{kind:\"A\"}]}");
	run_free(&r);
	/* A List whose items are not a sequence. */
	run_init(&r);
	LOAD_FAIL(&r, "items: {a: 1}\nkind: List\n", RB_FMT_AUTO, RB_EPARSE,
	          "in.yaml:1:8: /items: \"items\" of a List must be a sequence of objects, found a "
	          "mapping");
	run_free(&r);
	run_init(&r);
	LOAD_FAIL(
	    &r, "kind: List\nitems: 3\n", RB_FMT_AUTO, RB_EPARSE,
	    "in.yaml:2:8: /items: \"items\" of a List must be a sequence of objects, found an "
	    "integer");
	run_free(&r);
	run_init(&r);
	LOAD_OK(&r, "kind: List\nitems:\n", RB_FMT_AUTO);
	ck_assert_uint_eq(r.nobj, 0);
	run_free(&r);
	/* Items without a kind in the testdata layout. */
	run_init(&r);
	LOAD_FAIL(&r, "services: []\nitems: [{kind: A}]\n", RB_FMT_AUTO, RB_EPARSE,
	          "in.yaml:1:1: \"items\" needs a List kind (ending in \"List\"), found no kind");
	run_free(&r);
	/* Items without any kind. */
	run_init(&r);
	LOAD_FAIL(
	    &r, "items: []\n", RB_FMT_AUTO, RB_EPARSE,
	    "in.yaml:1:1: expected a Kubernetes object (with apiVersion and kind) or the Envoy "
	    "Gateway testdata layout (keys such as httpRoutes, services)");
	run_free(&r);
}
END_TEST

START_TEST(yaml_root_sequence)
{
	run r;
	run_init(&r);
	LOAD_OK(&r, "- kind: A\n  x: 1\n- kind: B\n", RB_FMT_AUTO);
	ck_assert_uint_eq(r.nobj, 2);
	OBJ(&r, 0, "-", "{kind:\"A\",x:i:1}");
	AT(&r, 0, "/0", 1, 3, 2);
	OBJ(&r, 1, "-", "{kind:\"B\"}");
	AT(&r, 1, "/1", 3, 3, 19);
	run_free(&r);

	run_init(&r);
	LOAD_FAIL(&r, "- kind: A\n- 5\n", RB_FMT_AUTO, RB_EPARSE,
	          "in.yaml:2:3: /1: expected an object (a mapping), found an integer");
	ck_assert_uint_eq(r.nobj, 1);
	run_free(&r);
	run_init(&r);
	LOAD_FAIL(&r, "- [a]\n", RB_FMT_AUTO, RB_EPARSE,
	          "in.yaml:1:3: /0: expected an object (a mapping), found a sequence");
	run_free(&r);
	run_init(&r);
	LOAD_OK(&r, "[]\n", RB_FMT_YAML);
	ck_assert_uint_eq(r.nobj, 0);
	run_free(&r);
}
END_TEST

START_TEST(yaml_aliases_within_budget)
{
	run r;
	run_init(&r);
	r.limits.alias_expansion = 100;
	LOAD_OK(&r,
	        "kind: X\n"
	        "base: &b {port: 80, tags: [&t x, y]}\n"
	        "copy: *b\n"
	        "tag: *t\n"
	        "list: [*b, *t]\n"
	        "&k key: v\n"
	        "*t : w\n",
	        RB_FMT_AUTO);
	ck_assert_uint_eq(r.nobj, 0 + 1);
	OBJ(&r, 0, "-",
	    "{kind:\"X\",base:{port:i:80,tags:[\"x\",b:y]},copy:{port:i:80,tags:[\"x\",b:y]},"
	    "tag:\"x\",list:[{port:i:80,tags:[\"x\",b:y]},\"x\"],key:\"v\",x:\"w\"}");
	run_free(&r);
}
END_TEST

/* Plain keys that go-yaml reads as numbers or booleans are the text sigs.k8s.io/yaml makes. */
START_TEST(yaml_keys_as_go_reads_them)
{
	run r;
	run_init(&r);
	LOAD_OK(&r,
	        "kind: X\n"
	        "labels: {010: a, yes: b, 1.50: c, .inf: d, \"0x1\": e, 0x2: f, n: g, name: h, ~: i}\n",
	        RB_FMT_YAML);
	OBJ(&r, 0, "-",
	    "{kind:\"X\",labels:{8:\"a\",true:\"b\",1.5:\"c\",.inf:\"d\",0x1:\"e\",2:\"f\","
	    "false:\"g\",name:\"h\",~:\"i\"}}");
	run_free(&r);
	/* Two spellings of one key are one key twice. */
	run_init(&r);
	LOAD_FAIL(&r, "kind: X\na: {on: 1, true: 2}\n", RB_FMT_YAML, RB_EPARSE,
	          "in.yaml:2:12: /a/true: duplicate key \"true\" (first at line 2)");
	run_free(&r);
}
END_TEST

/* Merge keys as go-yaml v2 applies them: in order, later members replacing earlier ones. */
START_TEST(yaml_merge_keys)
{
	run r;
	run_init(&r);
	LOAD_OK(&r,
	        "kind: X\n"
	        "a: {<<: {p: 1, q: 2}, q: 3}\n"     /* written after: overrides */
	        "b: {q: 3, <<: {p: 1, q: 2}}\n"     /* written before: overridden (v2) */
	        "c: {<<: [{p: 1}, {p: 2, q: 2}]}\n" /* earlier mappings of a list win */
	        "d: {\"<<\": {p: 1}}\n"             /* quoted: an ordinary key */
	        "e: {<<: {}, r: 1}\n",
	        RB_FMT_YAML);
	ck_assert_uint_eq(r.nobj, 1);
	OBJ(&r, 0, "-",
	    "{kind:\"X\",a:{p:i:1,q:i:3},b:{q:i:2,p:i:1},c:{p:i:1,q:i:2},d:{<<:{p:i:1}},"
	    "e:{r:i:1}}");
	run_free(&r);
	/* Through aliases (within the alias budget), nested, and not amplified. */
	run_init(&r);
	r.limits.alias_expansion = 100;
	LOAD_OK(&r,
	        "kind: X\n"
	        "base: &b {port: 80, weight: 1}\n"
	        "mid: &m {<<: *b, weight: 2}\n"
	        "top: {<<: [*m, *b], name: t}\n",
	        RB_FMT_YAML);
	OBJ(&r, 0, "-",
	    "{kind:\"X\",base:{port:i:80,weight:i:1},mid:{port:i:80,weight:i:2},"
	    "top:{port:i:80,weight:i:2,name:\"t\"}}");
	run_free(&r);
	/* Aliases stay refused by default, merge or not. */
	run_init(&r);
	LOAD_FAIL(&r, "kind: X\nb: &b {p: 1}\nc: {<<: *b}\n", RB_FMT_YAML, RB_ELIMIT,
	          "in.yaml:3:9: /c/<<: aliases are not allowed (anchor \"b\")");
	run_free(&r);
	run_init(&r);
	LOAD_FAIL(&r, "kind: X\na:\n  <<: 5\n", RB_FMT_YAML, RB_EPARSE,
	          "in.yaml:3:7: /a/<<: the merge key \"<<\" needs a mapping or a sequence of "
	          "mappings, found an integer");
	run_free(&r);
	run_init(&r);
	LOAD_FAIL(&r, "kind: X\na: {<<: [{p: 1}, [2]]}\n", RB_FMT_YAML, RB_EPARSE,
	          "in.yaml:2:18: /a/<</1: the merge key \"<<\" needs a mapping or a sequence of "
	          "mappings, found a sequence");
	run_free(&r);
	/* JSON has no merge key. */
	run_init(&r);
	LOAD_OK(&r, "{\"kind\": \"X\", \"a\": {\"<<\": {\"p\": 1}}}", RB_FMT_JSON);
	OBJ(&r, 0, "-", "{kind:\"X\",a:{<<:{p:i:1}}}");
	run_free(&r);
}
END_TEST

/* A merge of many keys into a mapping of many keys stays linear (hashed): a linear
 * search per key would take seconds here. */
START_TEST(yaml_merge_keys_big)
{
	char *text = malloc(4 << 20);
	ck_assert_ptr_nonnull(text);
	size_t k = (size_t)sprintf(text, "kind: X\na:\n  <<: {");
	for (int i = 0; i < 50000; i++)
		k += (size_t)sprintf(text + k, "%sk%d: %d", i ? ", " : "", i, i);
	k += (size_t)sprintf(text + k, "}\n");
	for (int i = 0; i < 50000; i += 2)
		k += (size_t)sprintf(text + k, "  k%d: x\n", i);
	run r;
	run_init(&r);
	r.limits.nodes = 1000000;
	double t0 = now();
	LOAD_OK(&r, text, RB_FMT_YAML);
	ck_assert_msg(now() - t0 < budget(2.0), "took %.2f s", now() - t0);
	ck_assert_uint_eq(r.nobj, 1);
	run_free(&r);
	free(text);
}
END_TEST

START_TEST(yaml_alias_key_duplicate)
{
	/* The alias above makes a duplicate key in fact; the builder sees it too. */
	run r;
	run_init(&r);
	r.limits.alias_expansion = 100;
	LOAD_FAIL(&r, "kind: X\n&k key: v\n*k : w\n", RB_FMT_AUTO, RB_EPARSE,
	          "in.yaml:3:1: /key: duplicate key \"key\" (first at line 2)");
	run_free(&r);
}
END_TEST

START_TEST(yaml_alias_paths)
{
	run r;
	run_init(&r);
	r.limits.alias_expansion = 100;
	r.probe = "spec/rules/1/name";
	LOAD_OK(&r,
	        "httpRoutes:\n"
	        "- spec:\n"
	        "    rules:\n"
	        "    - &r {name: a}\n"
	        "    - *r\n",
	        RB_FMT_AUTO);
	ck_assert_uint_eq(r.nobj, 1);
	/* The copy has its own path, and the location of the anchored original. */
	AT(&r, 0, "/httpRoutes/0/spec/rules/1/name", 4, 17, 47);
	run_free(&r);
}
END_TEST

/* ---- yaml_layout ---- */

/* [input.form.layout] */
START_TEST(yaml_testdata_layout)
{
	run r;
	run_init(&r);
	LOAD_OK(&r,
	        "gatewayClass:\n"
	        "  kind: GatewayClass\n"
	        "  metadata: {name: eg}\n"
	        "gateways:\n"
	        "- metadata: {name: gw}\n"
	        "unknownKey:\n"
	        "  deep: [1, 2, {x: y}]\n"
	        "endpointslices:\n"
	        "- metadata: {name: s1}\n"
	        "- metadata: {name: s2}\n"
	        "services:\n"
	        "HTTPROUTES: []\n"
	        "envoyProxyForGatewayClass: ~\n",
	        RB_FMT_AUTO);
	ck_assert_uint_eq(r.nobj, 4);
	OBJ(&r, 0, "gatewayClass", "{kind:\"GatewayClass\",metadata:{name:\"eg\"}}");
	AT(&r, 0, "/gatewayClass", 2, 3, 16);
	OBJ(&r, 1, "gateways", "{metadata:{name:\"gw\"}}");
	AT(&r, 1, "/gateways/0", 5, 3, 70);
	OBJ(&r, 2, "endpointSlices", "{metadata:{name:\"s1\"}}");
	AT(&r, 2, "/endpointslices/0", 9, 3, 144);
	OBJ(&r, 3, "endpointSlices", "{metadata:{name:\"s2\"}}");
	AT(&r, 3, "/endpointslices/1", 10, 3, 167);
	run_free(&r);
}
END_TEST

START_TEST(yaml_layout_errors)
{
	run r;
	run_init(&r);
	LOAD_FAIL(&r, "httpRoutes:\n  name: x\n", RB_FMT_AUTO, RB_EPARSE,
	          "in.yaml:2:3: /httpRoutes: \"httpRoutes\" must be a sequence of objects, found a "
	          "mapping");
	run_free(&r);
	run_init(&r);
	LOAD_FAIL(&r, "services: abc\n", RB_FMT_AUTO, RB_EPARSE,
	          "in.yaml:1:11: /services: \"services\" must be a sequence of objects, found a "
	          "string");
	run_free(&r);
	run_init(&r);
	LOAD_FAIL(&r, "gatewayClass: [a]\n", RB_FMT_AUTO, RB_EPARSE,
	          "in.yaml:1:15: /gatewayClass: \"gatewayClass\" must be an object (a mapping), "
	          "found a sequence");
	run_free(&r);
	run_init(&r);
	LOAD_FAIL(&r, "services:\n- a: 1\n- b\n", RB_FMT_AUTO, RB_EPARSE,
	          "in.yaml:3:3: /services/1: expected an object (a mapping), found a string");
	run_free(&r);
	run_init(&r);
	LOAD_FAIL(&r, "services:\n- ~\n", RB_FMT_AUTO, RB_EPARSE,
	          "in.yaml:2:3: /services/0: expected an object (a mapping), found null");
	run_free(&r);
	/* A kind mixed with testdata keys, in either order. */
	run_init(&r);
	LOAD_FAIL(&r, "kind: Service\nmetadata: {}\nhttpRoutes: []\n", RB_FMT_AUTO, RB_EPARSE,
	          "in.yaml:3:1: /httpRoutes: kind \"Service\" cannot be mixed with testdata layout "
	          "keys such as "
	          "\"httpRoutes\"");
	run_free(&r);
	run_init(&r);
	LOAD_FAIL(&r, "httpRoutes:\n- {a: 1}\nkind: Service\n", RB_FMT_AUTO, RB_EPARSE,
	          "in.yaml:3:7: /kind: kind \"Service\" cannot be mixed with testdata layout keys "
	          "such as \"httpRoutes\"");
	ck_assert_uint_eq(r.nobj, 1);
	run_free(&r);
	/* A List kind may sit with testdata keys. */
	run_init(&r);
	LOAD_OK(&r, "kind: List\nitems: [{kind: A}]\nservices: [{kind: B}]\n", RB_FMT_AUTO);
	ck_assert_uint_eq(r.nobj, 2);
	OBJ(&r, 0, "-", "{kind:\"A\"}");
	OBJ(&r, 1, "services", "{kind:\"B\"}");
	run_free(&r);
	/* Neither a kind nor a known key. */
	run_init(&r);
	LOAD_FAIL(
	    &r, "\nfoo: 1\nbar: [2]\n", RB_FMT_AUTO, RB_EPARSE,
	    "in.yaml:2:1: expected a Kubernetes object (with apiVersion and kind) or the Envoy "
	    "Gateway testdata layout (keys such as httpRoutes, services)");
	run_free(&r);
	run_init(&r);
	LOAD_FAIL(
	    &r, "--- {}\n", RB_FMT_AUTO, RB_EPARSE,
	    "in.yaml:1:5: expected a Kubernetes object (with apiVersion and kind) or the Envoy "
	    "Gateway testdata layout (keys such as httpRoutes, services)");
	run_free(&r);
	/* Root scalars. */
	run_init(&r);
	LOAD_FAIL(&r, "hello\n", RB_FMT_AUTO, RB_EPARSE,
	          "in.yaml:1:1: expected a mapping or a sequence of objects at the document root, "
	          "found a string");
	run_free(&r);
	run_init(&r);
	LOAD_FAIL(&r, "--- 42\n", RB_FMT_AUTO, RB_EPARSE,
	          "in.yaml:1:5: expected a mapping or a sequence of objects at the document root, "
	          "found an integer");
	run_free(&r);
}
END_TEST

START_TEST(yaml_sink_error_stops)
{
	run r;
	run_init(&r);
	r.fail_at = 2;
	const char *text = "services:\n- {a: 1}\n- {a: 2}\n- {a: 3}\n---\nkind: X\n";
	int rc = run_load(&r, text, strlen(text), RB_FMT_AUTO);
	ck_assert_int_eq(rc, RB_EPARSE);
	ck_assert_uint_eq(r.calls, 2);
	ck_assert_uint_eq(r.nobj, 1);
	ck_assert_uint_eq(r.ndiags, 1);
	ck_assert_str_eq(r.diag, "sink: sink says no");
	run_free(&r);

	/* A single object, handed over at the end of its document. */
	run_init(&r);
	r.fail_at = 1;
	rc = run_load(&r, "kind: X\n---\nkind: Y\n", 20, RB_FMT_AUTO);
	ck_assert_int_eq(rc, RB_EPARSE);
	ck_assert_uint_eq(r.calls, 1);
	run_free(&r);

	/* JSON too. */
	run_init(&r);
	r.fail_at = 1;
	rc = run_load(&r, "[{\"kind\":\"A\"},{\"kind\":\"B\"}]", 27, RB_FMT_AUTO);
	ck_assert_int_eq(rc, RB_EPARSE);
	ck_assert_uint_eq(r.calls, 1);
	run_free(&r);
}
END_TEST

/* ---- yaml_errors ---- */

START_TEST(yaml_syntax_errors)
{
	run r;
	run_init(&r);
	LOAD_FAIL(&r, "kind: X\nspec:\n  a: 1\n  b: c: d\n", RB_FMT_AUTO, RB_EPARSE,
	          "in.yaml:4:7: mapping values are not allowed in this context");
	ck_assert_uint_eq(r.doff, 27);
	ck_assert_str_eq(r.dpath, "");
	run_free(&r);
	/* At the end of an input without a final line break: on the last line, not after it. */
	run_init(&r);
	LOAD_FAIL(&r, "kind: X\nm: [1", RB_FMT_AUTO, RB_EPARSE,
	          "in.yaml:2:6: did not find expected ',' or ']' (while parsing a flow sequence at "
	          "line 2, column 4)");
	ck_assert_uint_eq(r.doff, 13);
	run_free(&r);
	/* Truncated input. */
	run_init(&r);
	LOAD_FAIL(&r, "kind: X\nname: \"abc", RB_FMT_AUTO, RB_EPARSE,
	          "in.yaml:2:11: found unexpected end of stream (while scanning a quoted scalar at "
	          "line 2, column 7)");
	run_free(&r);
	run_init(&r);
	LOAD_FAIL(
	    &r, "kind: X\nspec: {a: [1, 2}\n", RB_FMT_AUTO, RB_EPARSE,
	    "in.yaml:2:16: did not find expected ',' or ']' (while parsing a flow sequence at "
	    "line 2, column 11)");
	run_free(&r);
	/* Tabs. */
	run_init(&r);
	LOAD_FAIL(
	    &r, "kind: X\nspec:\n\tname: a\n", RB_FMT_AUTO, RB_EPARSE,
	    "in.yaml:3:1: found character that cannot start any token (while scanning for the "
	    "next token)");
	run_free(&r);
	/* Invalid UTF-8: reader errors carry a byte offset. */
	run_init(&r);
	LOAD_FAIL(&r, "kind: X\nname: \xc3\xa9\xff\n", RB_FMT_AUTO, RB_EPARSE,
	          "in.yaml:2:8: invalid leading UTF-8 octet (0xFF)");
	ck_assert_uint_eq(r.doff, 16);
	run_free(&r);
	run_init(&r);
	LOAD_FAIL(&r, "kind: X\nname: a\x01\n", RB_FMT_AUTO, RB_EPARSE,
	          "in.yaml:2:8: control characters are not allowed (0x1)");
	run_free(&r);
	run_init(&r);
	LOAD_FAIL(&r, "\xff\xfek\x00:\x00", RB_FMT_AUTO, RB_EPARSE,
	          "in.yaml:1:1: UTF-16 input is not supported: expected UTF-8");
	run_free(&r);
}
END_TEST

START_TEST(yaml_duplicate_keys)
{
	run r;
	run_init(&r);
	LOAD_FAIL(&r,
	          "kind: X\n"
	          "metadata:\n"
	          "  name: a\n"
	          "  labels: {}\n"
	          "  name: b\n",
	          RB_FMT_AUTO, RB_EPARSE,
	          "in.yaml:5:3: /metadata/name: duplicate key \"name\" (first at line 3)");
	ck_assert_uint_eq(r.doff, 43);
	run_free(&r);
	/* Case differs: not a duplicate. */
	run_init(&r);
	LOAD_OK(&r, "kind: X\nName: a\nname: b\n", RB_FMT_AUTO);
	run_free(&r);
	/* Duplicate root keys, also streamed ones. */
	run_init(&r);
	LOAD_FAIL(&r, "gatewayClass: {a: 1}\ngatewayClass: {a: 2}\n", RB_FMT_AUTO, RB_EPARSE,
	          "in.yaml:2:1: /gatewayClass: duplicate key \"gatewayClass\" (first at line 1)");
	run_free(&r);
	run_init(&r);
	LOAD_FAIL(&r, "services: []\nservices: []\n", RB_FMT_AUTO, RB_EPARSE,
	          "in.yaml:2:1: /services: duplicate key \"services\" (first at line 1)");
	run_free(&r);
	/* A big mapping (hashed). */
	size_t len = 0;
	char *big = malloc(100000);
	ck_assert_ptr_nonnull(big);
	len += (size_t)sprintf(big, "kind: X\nm:\n");
	for (int i = 0; i < 2000; i++)
		len += (size_t)sprintf(big + len, "  k%d: %d\n", i, i);
	len += (size_t)sprintf(big + len, "  k1234: dup\n");
	run_init(&r);
	ck_assert_int_eq(run_load(&r, big, len, RB_FMT_AUTO), RB_EPARSE);
	ck_assert_str_eq(r.diag,
	                 "in.yaml:2003:3: /m/k1234: duplicate key \"k1234\" (first at line 1237)");
	run_free(&r);
	/* Without the duplicate, all 2000 keys are kept in order. */
	len -= strlen("  k1234: dup\n");
	big[len] = '\0';
	run_init(&r);
	r.probe = "m/k1999";
	ck_assert_int_eq(run_load(&r, big, len, RB_FMT_AUTO), RB_OK);
	AT(&r, 0, "/m/k1999", 2002, 10, (uint64_t)(len - 5));
	run_free(&r);
	free(big);
}
END_TEST

START_TEST(yaml_bad_keys_and_nul)
{
	run r;
	run_init(&r);
	LOAD_FAIL(&r, "kind: X\n? [a]\n: b\n", RB_FMT_AUTO, RB_EPARSE,
	          "in.yaml:2:3: a mapping key must be a scalar, found a sequence");
	run_free(&r);
	run_init(&r);
	LOAD_FAIL(&r, "kind: X\nspec: {{a: 1}: b}\n", RB_FMT_AUTO, RB_EPARSE,
	          "in.yaml:2:8: /spec: a mapping key must be a scalar, found a mapping");
	run_free(&r);
	run_init(&r);
	LOAD_FAIL(&r, "kind: X\nname: \"a\\0b\"\n", RB_FMT_AUTO, RB_EPARSE,
	          "in.yaml:2:7: /name: a scalar must not contain a NUL character");
	run_free(&r);
	run_init(&r);
	LOAD_FAIL(&r, "kind: X\n\"a\\0\": b\n", RB_FMT_AUTO, RB_EPARSE,
	          "in.yaml:2:1: a key must not contain a NUL character");
	run_free(&r);
	/* Keys are the scalar text, whatever they resolve to. */
	run_init(&r);
	LOAD_OK(&r, "kind: X\n8080: a\n~: b\n\"8080 \": c\n", RB_FMT_AUTO);
	OBJ(&r, 0, "-", "{kind:\"X\",8080:\"a\",~:\"b\",8080 :\"c\"}");
	run_free(&r);
}
END_TEST

/* ---- yaml_limits ---- */

/*
 * Flow collections nest at most 64 levels whatever the depth limit: libyaml's
 * scanner costs tokens x flow depth (200,000 levels of '[' took minutes with
 * the depth limit raised); block collections nest up to the limit.
 */
START_TEST(yaml_flow_nesting_is_capped)
{
	size_t len;
	run r;
	/* 64 flow levels under a key (65 with the root): fine with a raised limit. */
	char *s = repeat("kind: X\na: ", "[", 64, "", &len);
	char *t = malloc(len + 64 + 2);
	memcpy(t, s, len);
	memset(t + len, ']', 64);
	memcpy(t + len + 64, "\n", 2);
	run_init(&r);
	r.limits.depth = 1000000;
	ck_assert_int_eq(run_load(&r, t, len + 65, RB_FMT_YAML), RB_OK);
	run_free(&r);
	free(t);
	free(s);
	/* 65 flow levels, or 100,000: refused at the 65th, at once. */
	s = repeat("kind: X\na: ", "{b: ", 100000, "", &len);
	run_init(&r);
	r.limits.depth = 10000000;
	double t0 = now();
	ck_assert_int_eq(run_load(&r, s, len, RB_FMT_YAML), RB_ELIMIT);
	double dt = now() - t0;
	ck_assert_msg(dt < budget(1.0), "took %.3f s", dt);
	ck_assert_msg(strstr(r.diag, "in.yaml:2:260: /a") == r.diag, "%s", r.diag);
	ck_assert_msg(strstr(r.diag, ": flow collections ([ ] and { }) nested deeper than 64 "
	                             "levels, the fixed limit of YAML flow nesting"),
	              "%s", r.diag);
	run_free(&r);
	free(s);
	/* Block collections nest up to the depth limit: 200 levels. */
	s = repeat("kind: X\na:\n", "- ", 200, "1\n", &len);
	run_init(&r);
	r.limits.depth = 1000;
	ck_assert_int_eq(run_load(&r, s, len, RB_FMT_YAML), RB_OK);
	run_free(&r);
	free(s);
	/* A flow collection closes: the levels are counted again from the next. */
	run_init(&r);
	r.limits.depth = 1000;
	s = repeat("kind: X\na:\n", "- [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n",
	           10, "", &len);
	ck_assert_int_eq(run_load(&r, s, len, RB_FMT_YAML), RB_OK);
	run_free(&r);
	free(s);
}
END_TEST

START_TEST(yaml_depth_bomb)
{
	size_t len;
	char *s = repeat("kind: X\na: ", "[", 100000, "", &len);
	run r;
	run_init(&r);
	double t0 = now();
	ck_assert_int_eq(run_load(&r, s, len, RB_FMT_YAML), RB_ELIMIT);
	double dt = now() - t0;
	ck_assert_msg(dt < budget(1.0), "took %.3f s", dt);
	char want[512];
	int n = snprintf(want, sizeof want, "in.yaml:2:67: /a");
	for (int i = 0; i < 63; i++)
		n += snprintf(want + n, sizeof want - (size_t)n, "/0");
	snprintf(want + n, sizeof want - (size_t)n, ": nesting deeper than 64 levels");
	ck_assert_str_eq(r.diag, want);
	ck_assert_uint_eq(r.doff, 8 + 3 + 63);
	run_free(&r);
	free(s);

	/* Block style, under a key, with a smaller limit. */
	run_init(&r);
	r.limits.depth = 3;
	LOAD_FAIL(&r, "kind: X\na:\n  b:\n    c: 1\n    d:\n      e: 1\n", RB_FMT_YAML, RB_ELIMIT,
	          "in.yaml:6:7: /a/b/d: nesting deeper than 3 levels");
	run_free(&r);
	run_init(&r);
	r.limits.depth = 3;
	LOAD_OK(&r, "kind: X\na:\n  b:\n    c: 1\n", RB_FMT_YAML);
	run_free(&r);
}
END_TEST

START_TEST(yaml_alias_limits)
{
	run r;
	run_init(&r);
	LOAD_FAIL(&r, "kind: X\na: &a 1\nb: *a\n", RB_FMT_YAML, RB_ELIMIT,
	          "in.yaml:3:4: /b: aliases are not allowed (anchor \"a\")");
	run_free(&r);

	/* The billion laughs. */
	const char *bomb =
	    "kind: X\n"
	    "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
	    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
	    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
	    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
	    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
	    "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
	    "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
	    "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
	    "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
	run_init(&r);
	r.limits.alias_expansion = 100000;
	double t0 = now();
	ck_assert_int_eq(run_load(&r, bomb, strlen(bomb), RB_FMT_YAML), RB_ELIMIT);
	double dt = now() - t0;
	ck_assert_msg(dt < budget(1.0), "took %.3f s", dt);
	ck_assert_str_eq(
	    r.diag, "in.yaml:7:8: /f/0: aliases expand to more than 100000 nodes (anchor \"e\")");
	ck_assert_uint_eq(r.nobj, 0);
	run_free(&r);

	/* The alias budget counts expanded nodes; the node limit counts them too. */
	run_init(&r);
	r.limits.alias_expansion = 4;
	LOAD_FAIL(&r, "kind: X\na: &a [1, 2]\nb: *a\nc: *a\n", RB_FMT_YAML, RB_ELIMIT,
	          "in.yaml:4:4: /c: aliases expand to more than 4 nodes (anchor \"a\")");
	run_free(&r);
	run_init(&r);
	r.limits.alias_expansion = 6;
	LOAD_OK(&r, "kind: X\na: &a [1, 2]\nb: *a\nc: *a\n", RB_FMT_YAML);
	run_free(&r);

	run_init(&r);
	r.limits.alias_expansion = 10;
	LOAD_FAIL(&r, "kind: X\na: *nope\n", RB_FMT_YAML, RB_EPARSE,
	          "in.yaml:2:4: /a: unknown anchor \"nope\"");
	run_free(&r);
	run_init(&r);
	r.limits.alias_expansion = 10;
	LOAD_FAIL(&r, "kind: X\na: &a [1, *a]\n", RB_FMT_YAML, RB_EPARSE,
	          "in.yaml:2:11: /a/1: alias of anchor \"a\" inside the node it names");
	run_free(&r);
	/* Anchors do not cross documents. */
	run_init(&r);
	r.limits.alias_expansion = 10;
	LOAD_FAIL(&r, "kind: X\na: &a 1\n---\nkind: Y\nb: *a\n", RB_FMT_YAML, RB_EPARSE,
	          "in.yaml:5:4: /b: unknown anchor \"a\"");
	ck_assert_uint_eq(r.nobj, 1);
	run_free(&r);
	/* An alias to a collection as a key. */
	run_init(&r);
	r.limits.alias_expansion = 10;
	LOAD_FAIL(&r, "kind: X\na: &a [1]\n*a : 2\n", RB_FMT_YAML, RB_EPARSE,
	          "in.yaml:3:1: a mapping key must be a scalar, found a sequence");
	run_free(&r);
}
END_TEST

START_TEST(yaml_other_limits)
{
	run r;
	/* Scalar bytes: values and keys. */
	run_init(&r);
	r.limits.scalar_bytes = 5;
	LOAD_FAIL(&r, "kind: X\nname: abcdef\n", RB_FMT_YAML, RB_ELIMIT,
	          "in.yaml:2:7: /name: scalar of 6 bytes is longer than the limit of 5 bytes");
	run_free(&r);
	run_init(&r);
	r.limits.scalar_bytes = 5;
	LOAD_FAIL(&r, "kind: X\nm:\n  abcdef: 1\n", RB_FMT_YAML, RB_ELIMIT,
	          "in.yaml:3:3: /m: key of 6 bytes is longer than the limit of 5 bytes");
	run_free(&r);
	run_init(&r);
	r.limits.scalar_bytes = 5;
	LOAD_OK(&r, "kind: X\nname: abcde\n", RB_FMT_YAML);
	run_free(&r);
	/* Documents. */
	run_init(&r);
	r.limits.documents = 2;
	LOAD_FAIL(&r, "kind: A\n---\nkind: B\n---\nkind: C\n", RB_FMT_YAML, RB_ELIMIT,
	          "in.yaml:4:1: more than 2 documents");
	ck_assert_uint_eq(r.nobj, 2);
	run_free(&r);
	run_init(&r);
	r.limits.documents = 2;
	LOAD_OK(&r, "kind: A\n---\nkind: B\n", RB_FMT_YAML);
	run_free(&r);
	/* Nodes per buffer, across documents. */
	run_init(&r);
	r.limits.nodes = 5;
	LOAD_FAIL(&r, "kind: A\nx: 1\n---\nkind: B\nz: [1]\n", RB_FMT_YAML, RB_ELIMIT,
	          "in.yaml:5:4: /z: more than 5 nodes");
	run_free(&r);
	run_init(&r);
	r.limits.nodes = 5;
	LOAD_OK(&r, "kind: A\nx: 1\n---\nkind: B\n", RB_FMT_YAML);
	run_free(&r);
	/* Bytes: checked first, before anything is parsed. */
	run_init(&r);
	r.limits.input_bytes = 10;
	LOAD_FAIL(&r, "kind: A\nx: [\n", RB_FMT_AUTO, RB_ELIMIT,
	          "in.yaml:2:3: input is larger than the limit of 10 bytes");
	run_free(&r);
	run_init(&r);
	r.limits.input_bytes = 10;
	LOAD_FAIL(&r, "{\"kind\":\"A\"}", RB_FMT_AUTO, RB_ELIMIT,
	          "in.yaml:1:11: input is larger than the limit of 10 bytes");
	run_free(&r);
}
END_TEST

/* ---- json_basic ---- */

START_TEST(json_objects)
{
	run r;
	run_init(&r);
	LOAD_OK(&r,
	        "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"spec\":{\"ports\":[{\"port\":80}]}}",
	        RB_FMT_AUTO);
	ck_assert_uint_eq(r.nobj, 1);
	OBJ(&r, 0, "-", "{apiVersion:\"v1\",kind:\"Service\",spec:{ports:[{port:i:80}]}}");
	AT(&r, 0, "", 1, 1, 0);
	run_free(&r);

	run_init(&r);
	LOAD_OK(
	    &r,
	    "\xef\xbb\xbf {\n"
	    "  \"apiVersion\": \"v1\",\n"
	    "  \"items\": [\n"
	    "    {\"kind\": \"Service\", \"n\": [1.0, 1e3, 18446744073709551616, -0, -1.5E-3]},\n"
	    "    {\"kind\": \"Secret\", \"s\": \"a\\u00e9\\\"\\n\", \"t\": true, \"f\": false, "
	    "\"z\": null}\n"
	    "  ],\n"
	    "  \"kind\": \"List\"\n"
	    "}\n",
	    RB_FMT_AUTO);
	ck_assert_uint_eq(r.nobj, 2);
	OBJ(&r, 0, "-", "{kind:\"Service\",n:[f:1.0,f:1e3,i:18446744073709551616,i:-0,f:-1.5E-3]}");
	AT(&r, 0, "/items/0", 4, 5, 45);
	OBJ(&r, 1, "-", "{kind:\"Secret\",s:\"a\xc3\xa9\"\n\",t:b:true,f:b:false,z:~}");
	AT(&r, 1, "/items/1", 5, 5, 122);
	run_free(&r);

	/* A root array, and the testdata layout. */
	run_init(&r);
	LOAD_OK(&r, "[{\"kind\":\"A\"}, {\"kind\":\"B\"}]", RB_FMT_AUTO);
	ck_assert_uint_eq(r.nobj, 2);
	AT(&r, 1, "/1", 1, 16, 15);
	run_free(&r);
	run_init(&r);
	LOAD_OK(&r, "{\"EndpointSlices\": [{\"a\": 1}], \"other\": {}, \"services\": null}",
	        RB_FMT_AUTO);
	ck_assert_uint_eq(r.nobj, 1);
	OBJ(&r, 0, "endpointSlices", "{a:i:1}");
	AT(&r, 0, "/EndpointSlices/0", 1, 21, 20);
	run_free(&r);
	/* A stream of values (two `kubectl get -o json` outputs): one document each,
	 * touching or apart, in order. */
	run_init(&r);
	LOAD_OK(&r,
	        "{\"kind\": \"List\", \"items\": [{\"kind\": \"A\"}]}\n"
	        "\n"
	        "{\"kind\": \"B\"}{\"kind\": \"List\", \"items\": [{\"kind\": \"C\"}]}\n",
	        RB_FMT_AUTO);
	ck_assert_uint_eq(r.nobj, 3);
	OBJ(&r, 0, "-", "{kind:\"A\"}");
	OBJ(&r, 1, "-", "{kind:\"B\"}");
	AT(&r, 1, "", 3, 1, 44);
	OBJ(&r, 2, "-", "{kind:\"C\"}");
	AT(&r, 2, "/items/0", 3, 41, 84);
	run_free(&r);
	/* An explicit format wins over the first byte. */
	run_init(&r);
	LOAD_OK(&r, "{kind: A}", RB_FMT_YAML);
	ck_assert_uint_eq(r.nobj, 1);
	run_free(&r);
	run_init(&r);
	LOAD_OK(&r, "null", RB_FMT_JSON);
	ck_assert_uint_eq(r.nobj, 0);
	run_free(&r);
}
END_TEST

/* ---- json_errors ---- */

START_TEST(json_syntax_errors)
{
	run r;
	run_init(&r);
	LOAD_FAIL(&r, "{\"kind\": \"A\",\n \"x\": [1, 2,]}", RB_FMT_AUTO, RB_EPARSE,
	          "in.yaml:2:13: invalid JSON near ']'");
	run_free(&r);
	run_init(&r);
	LOAD_FAIL(&r, "{\"kind\": \"A\"} x", RB_FMT_AUTO, RB_EPARSE,
	          "in.yaml:1:15: invalid JSON near 'x'");
	run_free(&r);
	/* A stream of values: the second one broken, or not an object. */
	run_init(&r);
	LOAD_FAIL(&r, "{\"kind\": \"A\"}\n{\"kind\": \"B\",\n \"x\": [1,,2]}", RB_FMT_AUTO, RB_EPARSE,
	          "in.yaml:3:10: invalid JSON near ','");
	run_free(&r);
	run_init(&r);
	LOAD_FAIL(&r, "{\"kind\": \"A\"}\n\n  7", RB_FMT_AUTO, RB_EPARSE,
	          "in.yaml:3:3: expected a mapping or a sequence of objects at the document root, "
	          "found an integer");
	run_free(&r);
	run_init(&r);
	LOAD_FAIL(&r, "{\"kind\": \"A\"}\n{\"kind\": ", RB_FMT_AUTO, RB_EPARSE,
	          "in.yaml:2:10: invalid JSON: unexpected end of input");
	run_free(&r);
	run_init(&r);
	LOAD_FAIL(&r, "", RB_FMT_JSON, RB_EPARSE,
	          "in.json:1:1: invalid JSON: unexpected end of input");
	run_free(&r);
	run_init(&r);
	LOAD_FAIL(&r, "{\"a\":\"\xc3\xa9\xc3\xa9\" , \"b\": [1, 01]}", RB_FMT_JSON, RB_EPARSE,
	          "in.json:1:22: /b/1: invalid JSON number \"01\"");
	ck_assert_uint_eq(r.doff, 23);
	run_free(&r);
	run_init(&r);
	LOAD_FAIL(&r, "[1.]", RB_FMT_JSON, RB_EPARSE,
	          "in.json:1:2: /0: invalid JSON number \"1.\"");
	run_free(&r);
	/* cJSON takes any byte up to 0x20 as a blank; JSON does not. */
	run_init(&r);
	LOAD_FAIL(&r, "{\"kind\":\"A\",\"x\":[1,\x01 2]}", RB_FMT_JSON, RB_EPARSE,
	          "in.json:1:20: /x/1: invalid JSON: unexpected byte 0x01");
	run_free(&r);
}
END_TEST

START_TEST(json_string_checks)
{
	run r;
	run_init(&r);
	LOAD_FAIL(&r, "{\"kind\": \"A\", \"n\": \"a\\u0000b\"}", RB_FMT_JSON, RB_EPARSE,
	          "in.json:1:22: /n: a string must not contain \\u0000");
	run_free(&r);
	run_init(&r);
	LOAD_FAIL(&r, "{\"kind\": \"A\", \"a\\u0000\": 1}", RB_FMT_JSON, RB_EPARSE,
	          "in.json:1:17: a string must not contain \\u0000");
	run_free(&r);
	run_init(&r);
	LOAD_FAIL(&r, "{\"kind\": \"A\", \"n\": \"a\xff\"}", RB_FMT_JSON, RB_EPARSE,
	          "in.json:1:22: /n: invalid UTF-8 in a string");
	run_free(&r);
	run_init(&r);
	LOAD_FAIL(&r, "{\"kind\": \"A\", \"\xed\xa0\x80\": 1}", RB_FMT_JSON, RB_EPARSE,
	          "in.json:1:16: invalid UTF-8 in a string");
	run_free(&r);
	run_init(&r);
	LOAD_FAIL(
	    &r, "{\"kind\": \"A\", \"n\": \"a\tb\"}", RB_FMT_JSON, RB_EPARSE,
	    "in.json:1:22: /n: invalid JSON: raw control character 0x09 in a string (write it "
	    "as an escape)");
	run_free(&r);
	run_init(&r);
	LOAD_FAIL(&r, "{\"kind\": \"A\",\r\n \"kind\": \"B\"}", RB_FMT_JSON, RB_EPARSE,
	          "in.json:2:2: /kind: duplicate key \"kind\" (first at line 1)");
	ck_assert_uint_eq(r.doff, 16);
	run_free(&r);
	/* A backslash as the last byte: the error is at it, never past the end. */
	run_init(&r);
	LOAD_FAIL(&r, "{\"a\":\"\\", RB_FMT_JSON, RB_EPARSE,
	          "in.json:1:7: /a: invalid JSON: unexpected '\\'");
	ck_assert_uint_eq(r.doff, 6);
	run_free(&r);
	/* An escaped line break (libFuzzer): at the backslash, on its line. */
	run_init(&r);
	LOAD_FAIL(&r, "{\"t\\\n.\": 1}", RB_FMT_JSON, RB_EPARSE,
	          "in.json:1:4: invalid JSON: invalid escape: a backslash followed by byte 0x0A");
	ck_assert_uint_eq(r.doff, 3);
	run_free(&r);
	run_init(&r);
	LOAD_FAIL(&r, "{\"a\": \"\\q\"}", RB_FMT_JSON, RB_EPARSE,
	          "in.json:1:8: /a: invalid JSON: invalid escape: a backslash followed by 'q'");
	run_free(&r);
	/* Keys are exact: cJSON would match these case-insensitively. */
	run_init(&r);
	LOAD_OK(&r, "{\"kind\": \"A\", \"Kind\": \"B\", \"s\": \"\\ud83d\\ude00\"}", RB_FMT_JSON);
	OBJ(&r, 0, "-", "{kind:\"A\",Kind:\"B\",s:\"\xf0\x9f\x98\x80\"}");
	run_free(&r);
	/* A key beyond 1024 characters (libyaml would refuse it). */
	size_t len;
	char *s = repeat("{\"kind\": \"A\", \"", "k", 2000, "\": 1}", &len);
	run_init(&r);
	ck_assert_int_eq(run_load(&r, s, len, RB_FMT_AUTO), RB_OK);
	run_free(&r);
	free(s);
}
END_TEST

/* ---- json_limits ---- */

START_TEST(json_depth_bomb)
{
	size_t len;
	char *s = repeat("", "[", 100000, "", &len);
	run r;
	run_init(&r);
	double t0 = now();
	ck_assert_int_eq(run_load(&r, s, len, RB_FMT_AUTO), RB_ELIMIT);
	ck_assert_msg(now() - t0 < budget(1.0), "too slow");
	ck_assert_str_eq(r.diag, "in.yaml:1:65: nesting deeper than 64 levels");
	run_free(&r);
	/* Beyond cJSON's own limit. */
	run_init(&r);
	r.limits.depth = 5000;
	ck_assert_int_eq(run_load(&r, s, len, RB_FMT_AUTO), RB_ELIMIT);
	ck_assert_str_eq(
	    r.diag, "in.yaml:1:1001: nesting deeper than 1000 levels (the JSON parser's limit)");
	run_free(&r);
	free(s);
	/* Brackets inside strings do not count. */
	run_init(&r);
	r.limits.depth = 2;
	LOAD_OK(&r, "{\"kind\": \"[[[{{{\\\"[[\", \"a\": {}}", RB_FMT_AUTO);
	run_free(&r);
	run_init(&r);
	r.limits.depth = 2;
	LOAD_FAIL(&r, "{\"kind\": \"A\", \"a\": {\"b\": [1]}}", RB_FMT_AUTO, RB_ELIMIT,
	          "in.yaml:1:26: nesting deeper than 2 levels");
	run_free(&r);
}
END_TEST

START_TEST(json_other_limits)
{
	run r;
	run_init(&r);
	r.limits.scalar_bytes = 4;
	LOAD_FAIL(&r, "{\"kind\": \"A\", \"b\": \"\\u00e9\\u00e9\\u00e9\"}", RB_FMT_JSON, RB_ELIMIT,
	          "in.json:1:20: /b: scalar of 6 bytes is longer than the limit of 4 bytes");
	run_free(&r);
	run_init(&r);
	r.limits.scalar_bytes = 4;
	LOAD_FAIL(&r, "{\"kind\": \"A\", \"b\": 12345}", RB_FMT_JSON, RB_ELIMIT,
	          "in.json:1:20: /b: scalar of 5 bytes is longer than the limit of 4 bytes");
	run_free(&r);
	run_init(&r);
	r.limits.scalar_bytes = 3;
	LOAD_FAIL(&r, "{\"kind\": \"A\"}", RB_FMT_JSON, RB_ELIMIT,
	          "in.json:1:2: key of 4 bytes is longer than the limit of 3 bytes");
	run_free(&r);
	run_init(&r);
	r.limits.nodes = 3;
	LOAD_FAIL(&r, "{\"kind\": \"A\", \"b\": [1, 2]}", RB_FMT_JSON, RB_ELIMIT,
	          "in.json:1:21: more than 3 nodes");
	run_free(&r);
	/* The pre-scan counts as the builder does: values, not keys; empty collections. */
	run_init(&r);
	r.limits.nodes = 5;
	LOAD_FAIL(&r, "{\"a\": [], \"b\": {}, \"c\": [1, 2]}", RB_FMT_JSON, RB_ELIMIT,
	          "in.json:1:29: more than 5 nodes");
	run_free(&r);
	run_init(&r);
	r.limits.nodes = 7;
	LOAD_OK(&r, "{\"a\": [], \"b\": {}, \"c\": [1, 2], \"kind\": \"X\"}", RB_FMT_JSON);
	run_free(&r);
	run_init(&r);
	r.limits.nodes = 7;
	LOAD_FAIL(&r, "{\"a\": [], \"b\": {}, \"c\": [1, 2], \"kind\": \"X\", \"d\": 1}",
	          RB_FMT_JSON, RB_ELIMIT, "in.json:1:51: more than 7 nodes");
	run_free(&r);
	run_init(&r);
	r.limits.input_bytes = 3;
	LOAD_FAIL(&r, "[{}]", RB_FMT_JSON, RB_ELIMIT,
	          "in.json:1:4: input is larger than the limit of 3 bytes");
	run_free(&r);
}
END_TEST

/* ---- positions ---- */

START_TEST(positions_yaml)
{
	run r;
	/* Multi-byte UTF-8 before the node: columns count code points, offsets bytes. */
	run_init(&r);
	r.probe = "spec/rules/0/b";
	LOAD_OK(&r,
	        "httpRoutes:\n"
	        "- metadata: {name: \"é€\"}  # ü\n"
	        "  spec:\n"
	        "    rules:\n"
	        "    - {a: \"ééé\", b: 7}\n",
	        RB_FMT_AUTO);
	ck_assert_uint_eq(r.nobj, 1);
	AT(&r, 0, "/httpRoutes/0/spec/rules/0/b", 5, 21, 88);
	run_free(&r);
	/* CRLF. */
	run_init(&r);
	r.probe = "spec/rules/0";
	LOAD_OK(&r, "services:\r\n- a: 1\r\n  spec:\r\n    rules:\r\n    - x: 1\r\n", RB_FMT_AUTO);
	AT(&r, 0, "/services/0/spec/rules/0", 5, 7, 46);
	run_free(&r);
	/* A BOM is not a column; NEL and LS break lines as in libyaml. */
	run_init(&r);
	r.probe = "c";
	LOAD_OK(&r,
	        "\xef\xbb\xbfkind: X\xc2\x85"
	        "b: 1\xe2\x80\xa8"
	        "c: é\rd: 2\n",
	        RB_FMT_AUTO);
	AT(&r, 0, "/c", 3, 4, 22);
	run_free(&r);
	run_init(&r);
	r.probe = "d";
	LOAD_OK(&r,
	        "\xef\xbb\xbfkind: X\xc2\x85"
	        "b: 1\xe2\x80\xa8"
	        "c: é\rd: 2\n",
	        RB_FMT_AUTO);
	AT(&r, 0, "/d", 4, 4, 28);
	run_free(&r);
	/* Errors carry the same positions. */
	run_init(&r);
	LOAD_FAIL(&r, "kind: X\r\nname: \"é\"\r\nname: b\r\n", RB_FMT_AUTO, RB_EPARSE,
	          "in.yaml:3:1: /name: duplicate key \"name\" (first at line 2)");
	ck_assert_uint_eq(r.doff, 21);
	run_free(&r);
}
END_TEST

START_TEST(positions_json)
{
	run r;
	/* One long line (minified), multi-byte characters before the node. */
	run_init(&r);
	r.probe = "spec/rules/0/b";
	LOAD_OK(&r,
	        "{\"httpRoutes\":[{\"n\":\"é€\",\"spec\":{\"rules\":[{\"a\":\"ééé\",\"b\":7}]}}]}",
	        RB_FMT_AUTO);
	AT(&r, 0, "/httpRoutes/0/spec/rules/0/b", 1, 58, 63);
	run_free(&r);
	/* CRLF and tabs. */
	run_init(&r);
	r.probe = "spec/rules/0";
	LOAD_OK(&r,
	        "{\r\n\t\"services\": [\r\n\t\t{\"spec\": {\"rules\": [\r\n\t\t\t{\"x\": 1}]}}]}",
	        RB_FMT_AUTO);
	AT(&r, 0, "/services/0/spec/rules/0", 4, 4, 46);
	run_free(&r);
	/* Syntax errors after multi-byte characters and CRs. */
	run_init(&r);
	LOAD_FAIL(&r, "{\"a\": \"é\",\r\"b\": tru}", RB_FMT_JSON, RB_EPARSE,
	          "in.json:2:6: invalid JSON near 't'");
	ck_assert_uint_eq(r.doff, 17);
	run_free(&r);
}
END_TEST

START_TEST(positions_text_loc)
{
	const unsigned char *s = (const unsigned char *)"ab\r\ncé\xc2\x85x\xe2\x80\xa8y";
	size_t n = strlen((const char *)s);
	rb__ld_loc l = rb__text_loc(s, n, 5, true); /* the é */
	ck_assert_uint_eq(l.line, 2);
	ck_assert_uint_eq(l.column, 2);
	l = rb__text_loc(s, n, 9, true); /* x after NEL */
	ck_assert_uint_eq(l.line, 3);
	ck_assert_uint_eq(l.column, 1);
	l = rb__text_loc(s, n, 9, false); /* NEL is not a JSON line break */
	ck_assert_uint_eq(l.line, 2);
	ck_assert_uint_eq(l.column, 4);
	l = rb__text_loc(s, n, n - 1, true);
	ck_assert_uint_eq(l.line, 4);
	ck_assert_uint_eq(l.column, 1);
}
END_TEST

/* ---- memory: every allocation failure is handled ---- */

typedef struct failing {
	long left; /* allocations that still succeed; < 0: unlimited */
	long live;
} failing;

static void *failing_realloc(void *ud, void *p, size_t old, size_t n)
{
	failing *f = ud;
	(void)old;
	if (n == 0) {
		if (p)
			f->live--;
		free(p);
		return NULL;
	}
	if (f->left == 0)
		return NULL;
	if (f->left > 0)
		f->left--;
	void *q = realloc(p, n);
	if (q && !p)
		f->live++;
	return q;
}

static int count_sink(void *ud, const rb__node *obj, const char *key)
{
	(void)obj;
	(void)key;
	(*(int *)ud)++;
	return RB_OK;
}

START_TEST(memory_failures)
{
	const char *inputs[] = {
	    "kind: List\nitems:\n- {a: 1, b: [1, 2, {c: d}]}\n- {e: f}\n---\nkind: X\nm: {k0: 0, "
	    "k1: "
	    "1, k2: 2, k3: 3, k4: 4, k5: 5, k6: 6, k7: 7, k8: 8, k9: 9}\n",
	    "services:\n- &a {x: [1, 2]}\n- *a\n- {y: *a}\n",
	    "{\"services\": [{\"a\": [1, 2, {\"b\": null}]}], \"kind\": \"List\", \"items\": []}",
	    "kind: X\nm: {a: 1, a: 2}\n",
	};
	for (size_t k = 0; k < sizeof inputs / sizeof inputs[0]; k++) {
		int ok_rc = 0;
		for (long limit = 0;; limit++) {
			failing f = {limit, 0};
			rb__mem mem = {{failing_realloc, &f}};
			rb__mem dmem;
			rb__mem_default(&dmem);
			rb__arena da;
			rb__arena_init(&da, &dmem);
			rb__diags d;
			rb__diags_init(&d, &dmem, &da);
			rb__limits lim;
			rb__limits_default(&lim);
			lim.alias_expansion = 100;
			rb__load_params p = {"m",  inputs[k], strlen(inputs[k]), RB_FMT_AUTO, &lim,
			                     &mem, &d};
			int count = 0;
			rb__sink sink = {count_sink, &count};
			int rc = rb__load(&p, &sink);
			ck_assert_int_eq(f.live, 0);
			rb__diags_free(&d);
			rb__arena_free(&da);
			if (rc != RB_ENOMEM) {
				if (limit == 0)
					ok_rc = rc;
				ck_assert_int_eq(rc, k == 3 ? RB_EPARSE : RB_OK);
				(void)ok_rc;
				break;
			}
			ck_assert_int_lt(limit, 10000);
		}
	}
}
END_TEST

static Suite *load_suite(void)
{
	Suite *s = suite_create("load");
	TCase *tc = tcase_create("yaml_basic");
	tcase_add_test(tc, yaml_single_object);
	tcase_add_test(tc, yaml_scalar_types);
	tcase_add_test(tc, yaml_resolver);
	tcase_add_test(tc, yaml_multi_document);
	tcase_add_test(tc, yaml_list_items_before_kind);
	tcase_add_test(tc, yaml_root_sequence);
	tcase_add_test(tc, yaml_aliases_within_budget);
	tcase_add_test(tc, yaml_keys_as_go_reads_them);
	tcase_add_test(tc, yaml_merge_keys);
	tcase_add_test(tc, yaml_merge_keys_big);
	tcase_add_test(tc, yaml_alias_key_duplicate);
	tcase_add_test(tc, yaml_alias_paths);
	suite_add_tcase(s, tc);

	tc = tcase_create("yaml_layout");
	tcase_add_test(tc, yaml_testdata_layout);
	tcase_add_test(tc, yaml_layout_errors);
	tcase_add_test(tc, yaml_sink_error_stops);
	suite_add_tcase(s, tc);

	tc = tcase_create("yaml_errors");
	tcase_add_test(tc, yaml_syntax_errors);
	tcase_add_test(tc, yaml_duplicate_keys);
	tcase_add_test(tc, yaml_bad_keys_and_nul);
	suite_add_tcase(s, tc);

	tc = tcase_create("yaml_limits");
	tcase_add_test(tc, yaml_depth_bomb);
	tcase_add_test(tc, yaml_flow_nesting_is_capped);
	tcase_add_test(tc, yaml_alias_limits);
	tcase_add_test(tc, yaml_other_limits);
	suite_add_tcase(s, tc);

	tc = tcase_create("json_basic");
	tcase_add_test(tc, json_objects);
	suite_add_tcase(s, tc);

	tc = tcase_create("json_errors");
	tcase_add_test(tc, json_syntax_errors);
	tcase_add_test(tc, json_string_checks);
	suite_add_tcase(s, tc);

	tc = tcase_create("json_limits");
	tcase_add_test(tc, json_depth_bomb);
	tcase_add_test(tc, json_other_limits);
	suite_add_tcase(s, tc);

	tc = tcase_create("positions");
	tcase_add_test(tc, positions_yaml);
	tcase_add_test(tc, positions_json);
	tcase_add_test(tc, positions_text_loc);
	suite_add_tcase(s, tc);

	tc = tcase_create("memory");
	tcase_add_test(tc, memory_failures);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(load_suite());
}
