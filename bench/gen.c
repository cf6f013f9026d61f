/* Synthetic clusters (gen.h): hand-written templates per kind, YAML or JSON. */
#include "gen.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void gen_buf_free(gen_buf *b)
{
	free(b->data);
	memset(b, 0, sizeof *b);
}

static bool reserve(gen_buf *b, size_t n)
{
	if (b->failed)
		return false;
	if (b->cap - b->len > n)
		return true;
	size_t cap = b->cap ? b->cap : 4096;
	while (cap - b->len <= n)
		cap *= 2;
	char *d = realloc(b->data, cap);
	if (!d) {
		b->failed = 1;
		return false;
	}
	b->data = d;
	b->cap = cap;
	return true;
}

static void put(gen_buf *b, const char *s)
{
	size_t n = strlen(s);
	if (!reserve(b, n))
		return;
	memcpy(b->data + b->len, s, n + 1);
	b->len += n;
}

static void putf(gen_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void putf(gen_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* splitmix64 */
static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static uint64_t rnd(const gen_params *p, uint64_t a, uint64_t b)
{
	return mix(p->seed ^ mix(a * 0x100000001b3ull + b));
}

static size_t services(const gen_params *p)
{
	size_t s = p->services ? p->services : p->routes / 2;
	return s ? s : 1;
}

static size_t namespaces(const gen_params *p)
{
	size_t n = p->namespaces ? p->namespaces : p->routes / 100;
	if (!n)
		n = 1;
	return n < services(p) ? n : services(p);
}

void gen_service_id(const gen_params *p, size_t s, char *ns, size_t ns_size, char *name,
                    size_t name_size)
{
	snprintf(ns, ns_size, "ns-%zu", s % namespaces(p));
	snprintf(name, name_size, "svc-%zu", s);
}

/* 0: endpoints; 1: a slice without endpoints; 2: no slice at all. */
static int emptiness(const gen_params *p, size_t s)
{
	uint64_t r = rnd(p, 1, s);
	if (r % 100 >= p->empty_pct)
		return 0;
	return (r >> 32) & 1 ? 1 : 2;
}

/* ---- the objects, as a list of lines with a nesting level ---- */

/*
 * Objects are described once, as a tree of calls on a tiny emitter with two
 * back ends: YAML block style as kubectl prints it, and JSON pretty-printed.
 */
typedef struct em {
	gen_buf *b;
	bool json;
	const char *first; /* YAML: prefix of the first line ("- " for a list item, "" else) */
	int base;          /* indentation of the object */
	/* stack */
	struct {
		bool map;
		size_t count;
	} st[16];
	int depth;
	bool key_pending; /* YAML: a key was written, its value comes */
	const char *key;
	int line_started; /* YAML: the current line already has "- " written */
} em;

static void indent(em *e, int n)
{
	for (int i = 0; i < n; i++)
		put(e->b, " ");
}

/* YAML: start a line at the current depth for a member/item. */
static void y_line(em *e, int level)
{
	if (e->b->len && e->b->data[e->b->len - 1] != '\n' && e->line_started == 0)
		put(e->b, "\n");
	if (e->line_started) {
		e->line_started = 0;
		return;
	}
	indent(e, e->base + level * 2);
}

static void j_sep(em *e)
{
	if (e->depth == 0)
		return;
	if (e->st[e->depth - 1].count)
		put(e->b, ",");
	put(e->b, "\n");
	indent(e, e->base + e->depth * 2);
}

static void em_begin(em *e, bool map)
{
	if (e->json) {
		if (!e->key_pending)
			j_sep(e);
		e->key_pending = false;
		put(e->b, map ? "{" : "[");
	} else if (e->depth == 0) {
		put(e->b, e->first);
		e->line_started = 1;
	} else if (!e->st[e->depth - 1].map) {
		/* an item of a sequence */
		y_line(e, e->depth - 1);
		put(e->b, "- ");
		e->line_started = map ? 1 : 0;
	} else {
		/* a value of a mapping: "key:" then the children on the next lines */
		e->key_pending = false;
	}
	if (e->depth)
		e->st[e->depth - 1].count++;
	e->st[e->depth].map = map;
	e->st[e->depth].count = 0;
	e->depth++;
}

static void em_end(em *e)
{
	e->depth--;
	if (e->json) {
		if (e->st[e->depth].count) {
			put(e->b, "\n");
			indent(e, e->base + e->depth * 2);
		}
		put(e->b, e->st[e->depth].map ? "}" : "]");
	}
	if (e->depth == 0 && !e->json)
		put(e->b, "\n");
	e->line_started = 0;
}

/* A key; for YAML the level of a sequence under it is the key's own (kubectl style). */
static void em_key(em *e, const char *k)
{
	if (e->json) {
		j_sep(e);
		putf(e->b, "\"%s\": ", k);
		e->key_pending = true;
		e->st[e->depth - 1].count++;
		return;
	}
	y_line(e, e->depth - 1);
	putf(e->b, "%s:", k);
	e->key_pending = true;
}

static void em_scalar(em *e, const char *text, bool quote)
{
	if (e->json) {
		if (!e->key_pending)
			j_sep(e);
		if (quote)
			putf(e->b, "\"%s\"", text);
		else
			put(e->b, text);
		if (!e->key_pending)
			e->st[e->depth - 1].count++;
		e->key_pending = false;
		return;
	}
	if (e->key_pending) {
		put(e->b, " ");
		if (quote && (!text[0] || strchr("0123456789", text[0])))
			putf(e->b, "\"%s\"", text);
		else
			put(e->b, text);
		e->key_pending = false;
		return;
	}
	y_line(e, e->depth - 1);
	putf(e->b, "- %s", text);
	e->st[e->depth - 1].count++;
}

static void kv(em *e, const char *k, const char *v)
{
	em_key(e, k);
	em_scalar(e, v, true);
}

static void kvn(em *e, const char *k, size_t v)
{
	char tmp[32];
	snprintf(tmp, sizeof tmp, "%zu", v);
	em_key(e, k);
	em_scalar(e, tmp, false);
}

static void kvb(em *e, const char *k, bool v)
{
	em_key(e, k);
	em_scalar(e, v ? "true" : "false", false);
}

/* An empty sequence value. */
static void kv_empty_seq(em *e, const char *k)
{
	em_key(e, k);
	if (e->json) {
		put(e->b, "[]");
		e->key_pending = false;
	} else {
		put(e->b, " []");
		e->key_pending = false;
	}
}

static void key_map(em *e, const char *k)
{
	em_key(e, k);
	em_begin(e, true);
}

static void key_seq(em *e, const char *k)
{
	em_key(e, k);
	if (!e->json) {
		/* kubectl style: items at the key's own indentation */
		e->key_pending = false;
		e->st[e->depth].map = false;
		e->st[e->depth].count = 0;
		e->depth++;
		/* one level less than a regular nested collection */
		e->base -= 2;
		return;
	}
	em_begin(e, false);
}

static void end_seq(em *e)
{
	if (!e->json) {
		e->depth--;
		e->base += 2;
		e->line_started = 0;
		return;
	}
	em_end(e);
}

static void meta(em *e, const char *ns, const char *name)
{
	key_map(e, "metadata");
	kv(e, "name", name);
	kv(e, "namespace", ns);
	em_end(e);
}

static void gateway(em *e)
{
	em_begin(e, true);
	kv(e, "apiVersion", "gateway.networking.k8s.io/v1");
	kv(e, "kind", "Gateway");
	meta(e, "infra", "eg");
	key_map(e, "spec");
	kv(e, "gatewayClassName", "envoy-gateway-class");
	key_seq(e, "listeners");
	em_begin(e, true);
	kv(e, "name", "http");
	kvn(e, "port", 80);
	kv(e, "protocol", "HTTP");
	key_map(e, "allowedRoutes");
	key_map(e, "namespaces");
	kv(e, "from", "All");
	em_end(e);
	em_end(e);
	em_end(e);
	end_seq(e);
	em_end(e);
	em_end(e);
}

static void route(em *e, const gen_params *p, size_t r)
{
	char ns[32], name[32], tmp[64];
	size_t nns = namespaces(p), ns_idx = r % nns, ns_svcs = (services(p) + nns - 1) / nns;
	snprintf(ns, sizeof ns, "ns-%zu", ns_idx);
	snprintf(name, sizeof name, "route-%zu", r);
	em_begin(e, true);
	kv(e, "apiVersion", "gateway.networking.k8s.io/v1");
	kv(e, "kind", "HTTPRoute");
	meta(e, ns, name);
	key_map(e, "spec");
	key_seq(e, "parentRefs");
	em_begin(e, true);
	kv(e, "group", "gateway.networking.k8s.io");
	kv(e, "kind", "Gateway");
	kv(e, "name", "eg");
	kv(e, "namespace", "infra");
	kv(e, "sectionName", "http");
	em_end(e);
	end_seq(e);
	key_seq(e, "hostnames");
	snprintf(tmp, sizeof tmp, "r%zu.example.com", r);
	em_scalar(e, tmp, true);
	end_seq(e);
	key_seq(e, "rules");
	em_begin(e, true);
	key_seq(e, "matches");
	em_begin(e, true);
	key_map(e, "path");
	kv(e, "type", "PathPrefix");
	snprintf(tmp, sizeof tmp, "/r%zu", r);
	kv(e, "value", tmp);
	em_end(e);
	em_end(e);
	end_seq(e);
	key_seq(e, "backendRefs");
	for (size_t j = 0; j < p->refs; j++) {
		uint64_t x = rnd(p, 2 + j, r);
		size_t s = (size_t)(x % ns_svcs) * nns + ns_idx;
		if (s >= services(p))
			s = ns_idx < services(p) ? ns_idx : 0;
		size_t port = 8080;
		bool invalid = (x >> 40) % 100 < p->invalid_pct;
		em_begin(e, true);
		kv(e, "group", "");
		kv(e, "kind", "Service");
		if (invalid && (x >> 20) & 1)
			snprintf(tmp, sizeof tmp, "missing-%zu", s);
		else
			snprintf(tmp, sizeof tmp, "svc-%zu", s);
		if (invalid && !((x >> 20) & 1))
			port = 9999;
		kv(e, "name", tmp);
		kvn(e, "port", port);
		kvn(e, "weight", 1 + (size_t)((x >> 8) % 100));
		em_end(e);
	}
	end_seq(e);
	em_end(e);
	end_seq(e);
	em_end(e);
	em_end(e);
}

static void service(em *e, const gen_params *p, size_t s)
{
	char ns[32], name[32], ip[32];
	gen_service_id(p, s, ns, sizeof ns, name, sizeof name);
	snprintf(ip, sizeof ip, "10.96.%zu.%zu", (s >> 8) & 255, s & 255);
	em_begin(e, true);
	kv(e, "apiVersion", "v1");
	kv(e, "kind", "Service");
	meta(e, ns, name);
	key_map(e, "spec");
	kv(e, "clusterIP", ip);
	key_seq(e, "ports");
	em_begin(e, true);
	kv(e, "name", "http");
	kvn(e, "port", 8080);
	kv(e, "protocol", "TCP");
	kvn(e, "targetPort", 3000);
	em_end(e);
	end_seq(e);
	kv(e, "type", "ClusterIP");
	em_end(e);
	em_end(e);
}

static void slice(em *e, const gen_params *p, size_t s, size_t count, unsigned variant)
{
	char ns[32], svc[32], name[48], tmp[64];
	gen_service_id(p, s, ns, sizeof ns, svc, sizeof svc);
	snprintf(name, sizeof name, "%s-%05x", svc, (unsigned)(rnd(p, 3, s) & 0xfffff));
	em_begin(e, true);
	kv(e, "apiVersion", "discovery.k8s.io/v1");
	kv(e, "kind", "EndpointSlice");
	key_map(e, "metadata");
	key_map(e, "labels");
	kv(e, "kubernetes.io/service-name", svc);
	em_end(e);
	kv(e, "name", name);
	kv(e, "namespace", ns);
	em_end(e);
	kv(e, "addressType", "IPv4");
	key_seq(e, "ports");
	em_begin(e, true);
	kv(e, "name", "http");
	kvn(e, "port", 3000);
	kv(e, "protocol", "TCP");
	em_end(e);
	end_seq(e);
	if (!count) {
		kv_empty_seq(e, "endpoints");
	} else {
		key_seq(e, "endpoints");
		for (size_t i = 0; i < count; i++) {
			uint64_t a = s * 64 + i + (uint64_t)variant * 7919;
			em_begin(e, true);
			key_seq(e, "addresses");
			snprintf(tmp, sizeof tmp, "10.%u.%u.%u", (unsigned)((a >> 16) & 255),
			         (unsigned)((a >> 8) & 255), (unsigned)(a & 255));
			em_scalar(e, tmp, true);
			end_seq(e);
			key_map(e, "conditions");
			bool ready = (rnd(p, 4 + variant, a) % 50) != 0;
			kvb(e, "ready", ready);
			kvb(e, "serving", ready);
			kvb(e, "terminating", false);
			em_end(e);
			snprintf(tmp, sizeof tmp, "node-%u", (unsigned)(a % 97));
			kv(e, "nodeName", tmp);
			snprintf(tmp, sizeof tmp, "zone-%c", 'a' + (int)(a % 3));
			kv(e, "zone", tmp);
			em_end(e);
		}
		end_seq(e);
	}
	em_end(e);
}

/* ---- layouts ---- */

typedef struct layout {
	gen_format f;
	gen_buf *b;
	size_t items; /* items written in the current list */
	size_t total; /* items written in all */
	bool any_list;
} layout;

static void list_begin(layout *l, const char *key)
{
	l->items = 0;
	switch (l->f) {
	case GEN_TESTDATA_YAML:
		putf(l->b, "%s:\n", key);
		break;
	case GEN_TESTDATA_JSON:
		putf(l->b, "%s\n  \"%s\": [", l->any_list ? "," : "", key);
		break;
	default:
		break;
	}
	l->any_list = true;
}

static void list_end(layout *l)
{
	if (l->f == GEN_TESTDATA_JSON)
		put(l->b, l->items ? "\n  ]" : "]");
}

static void item_begin(layout *l, em *e)
{
	memset(e, 0, sizeof *e);
	e->b = l->b;
	switch (l->f) {
	case GEN_TESTDATA_YAML:
		e->first = "- ";
		e->base = 2;
		break;
	case GEN_STREAM_YAML:
		put(l->b, "---\n");
		e->first = "";
		e->base = 0;
		break;
	case GEN_LIST_JSON:
	case GEN_TESTDATA_JSON:
		e->json = true;
		e->base = 4;
		putf(l->b, "%s\n    ", (l->items || (l->f == GEN_LIST_JSON && l->total)) ? "," : "");
		break;
	}
	/* YAML testdata items: the first line has "- ", the rest 2 spaces */
	l->items++;
	l->total++;
}

int gen_write(const gen_params *p, gen_format f, gen_buf *out)
{
	layout l = {f, out, 0, 0, false};
	em e;
	size_t ns = services(p);
	if (f == GEN_LIST_JSON)
		put(out, "{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"List\",\n  \"items\": [");
	else if (f == GEN_TESTDATA_JSON)
		put(out, "{");

	list_begin(&l, "gateways");
	item_begin(&l, &e);
	gateway(&e);
	list_end(&l);

	list_begin(&l, "httpRoutes");
	for (size_t r = 0; r < p->routes; r++) {
		item_begin(&l, &e);
		route(&e, p, r);
	}
	list_end(&l);

	list_begin(&l, "services");
	for (size_t s = 0; s < ns; s++) {
		item_begin(&l, &e);
		service(&e, p, s);
	}
	list_end(&l);

	list_begin(&l, "endpointSlices");
	for (size_t s = 0; s < ns; s++) {
		int em_ = emptiness(p, s);
		if (em_ == 2)
			continue;
		item_begin(&l, &e);
		slice(&e, p, s, em_ ? 0 : p->endpoints, 0);
	}
	list_end(&l);

	if (f == GEN_LIST_JSON)
		put(out, "\n  ]\n}\n");
	else if (f == GEN_TESTDATA_JSON)
		put(out, "\n}\n");
	return out->failed ? -1 : 0;
}

int gen_slice(const gen_params *p, size_t s, size_t endpoints, unsigned variant, gen_format f,
              gen_buf *out)
{
	em e;
	memset(&e, 0, sizeof e);
	e.b = out;
	e.first = "";
	e.json = f == GEN_LIST_JSON || f == GEN_TESTDATA_JSON;
	slice(&e, p, s, endpoints, variant);
	if (e.json)
		put(out, "\n");
	return out->failed ? -1 : 0;
}

gen_format gen_format_parse(const char *s, int *ok)
{
	static const char *const names[] = {"testdata-yaml", "stream-yaml", "list-json",
	                                    "testdata-json"};
	*ok = 1;
	for (int i = 0; i < 4; i++)
		if (!strcmp(s, names[i]))
			return (gen_format)i;
	*ok = 0;
	return GEN_TESTDATA_YAML;
}
