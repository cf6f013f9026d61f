/*
 * Random clusters and changes for the incremental engine's checks (the
 * property test tests/property/engine_property.c and the fuzz target
 * fuzz/fuzz_engine.c): objects of every kind the engine knows as YAML text,
 * and a reference snapshot that applies changes by engine.h's rules
 * (ordered lists per kind, replace-in-place, delete-all-of-an-identity),
 * independently of the engine, to be loaded again as a manifest stream.
 *
 * Header-only and static: each program includes it once.
 */
#ifndef RB_CLUSTER_GEN_H
#define RB_CLUSTER_GEN_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	K_GW,
	K_NS,
	K_SVC,
	K_SI,
	K_ES,
	K_BE,
	K_RG,
	K_HR,
	K_GR,
	K_TLS,
	K_TCP,
	K_UDP,
	K_BTP,
	K_EP,
	K_GC,
	K_SEC,
	K_CM,
	K_BTLS,
	K_LS,
	K_HRF,
	K_SP,
	K_EEP,
	K_CTP,
	K_COUNT
};

static const char *const KIND[K_COUNT] = {
	"Gateway", "Namespace", "Service", "ServiceImport", "EndpointSlice", "Backend",
	"ReferenceGrant", "HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "UDPRoute",
	"BackendTrafficPolicy", "EnvoyProxy", "GatewayClass", "Secret", "ConfigMap",
	"BackendTLSPolicy", "ListenerSet", "HTTPRouteFilter", "SecurityPolicy",
	"EnvoyExtensionPolicy", "ClientTrafficPolicy"};

static const char *const API[K_COUNT] = {
	"gateway.networking.k8s.io/v1", "v1", "v1", "multicluster.x-k8s.io/v1alpha1",
	"discovery.k8s.io/v1", "gateway.envoyproxy.io/v1alpha1",
	"gateway.networking.k8s.io/v1beta1", "gateway.networking.k8s.io/v1",
	"gateway.networking.k8s.io/v1", "gateway.networking.k8s.io/v1alpha2",
	"gateway.networking.k8s.io/v1alpha2", "gateway.networking.k8s.io/v1alpha2",
	"gateway.envoyproxy.io/v1alpha1", "gateway.envoyproxy.io/v1alpha1",
	"gateway.networking.k8s.io/v1", "v1", "v1", "gateway.networking.k8s.io/v1alpha3",
	"gateway.networking.k8s.io/v1", "gateway.envoyproxy.io/v1alpha1",
	"gateway.envoyproxy.io/v1alpha1", "gateway.envoyproxy.io/v1alpha1",
	"gateway.envoyproxy.io/v1alpha1"};

/* ---- randomness: splitmix64, or the bytes of a fuzz input ---- */

/*
 * Where the choices come from: a splitmix64 sequence (data NULL), or the
 * bytes of a fuzz input, one per choice (0 once they are used up), so that
 * libFuzzer's mutations steer every choice.
 */
typedef struct gen_rng {
	uint64_t state;
	const uint8_t *data;
	size_t size, pos;
} gen_rng;

static inline uint64_t rnd(gen_rng *g)
{
	if (g->data)
		return g->pos < g->size ? g->data[g->pos++] : 0;
	uint64_t x = (g->state += 0x9e3779b97f4a7c15ull);
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static inline unsigned pick(gen_rng *g, unsigned n)
{
	return (unsigned)(rnd(g) % n);
}

static inline bool chance(gen_rng *g, unsigned pct)
{
	return pick(g, 100) < pct;
}

/* ---- text ---- */

typedef struct sbuf {
	char *p;
	size_t len, cap;
} sbuf;

static inline void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static inline void sb_printf(sbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		abort();
	if (b->len + (size_t)n + 1 > b->cap) {
		b->cap = (b->len + (size_t)n + 1) * 2;
		b->p = realloc(b->p, b->cap);
		if (!b->p)
			abort();
	}
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* ---- random objects ---- */

typedef struct doc {
	int kind;
	char ns[16];
	char name[32];
	char *text;
} doc;

static inline const char *route_ns(gen_rng *g)
{
	return pick(g, 3) ? "ns-a" : "ns-b";
}

static inline void backend_ref(gen_rng *g, sbuf *b, const char *own_ns, bool udp)
{
	unsigned what = pick(g, 10);
	const char *other = strcmp(own_ns, "ns-a") ? "ns-a" : "ns-b";
	sb_printf(b, "{");
	if (what < 7) {
		sb_printf(b, "name: svc-%u, port: %u", pick(g, 5),
		          udp ? 53u : (unsigned[]){80, 8080, 9999, 53}[pick(g, 4)]);
	} else if (what < 8) {
		sb_printf(b, "group: multicluster.x-k8s.io, kind: ServiceImport, name: si-%u, port: 80",
		          pick(g, 2));
	} else if (what < 9) {
		sb_printf(b, "group: gateway.envoyproxy.io, kind: Backend, name: be-%u", pick(g, 2));
	} else {
		sb_printf(b, "group: example.com, kind: Unknown, name: x, port: 80");
	}
	if (chance(g, 20))
		sb_printf(b, ", namespace: %s", other);
	if (chance(g, 50))
		sb_printf(b, ", weight: %u", pick(g, 4));
	sb_printf(b, "}");
}

static inline void parent_refs(gen_rng *g, sbuf *b, const char *section)
{
	sb_printf(b, "  parentRefs:\n  - {name: gw-0, namespace: infra, sectionName: %s}\n", section);
	if (chance(g, 30))
		sb_printf(b, "  - {name: gw-1, namespace: infra%s%s}\n", chance(g, 50) ? ", sectionName: " : "",
		          chance(g, 50) ? section : "");
}

static inline void rules(gen_rng *g, sbuf *b, const char *ns, unsigned nrules, bool udp)
{
	sb_printf(b, "  rules:\n");
	for (unsigned r = 0; r < nrules; r++) {
		if (!udp && chance(g, 15)) {
			/* Rule filters that change destinations: mirror, HTTPRouteFilter, redirect. */
			unsigned f = pick(g, 3);
			if (f == 0)
				sb_printf(b, "  - filters: [{type: RequestMirror, requestMirror: {backendRef: "
				             "{name: svc-%u, port: 80}}}]\n",
				          pick(g, 5));
			else if (f == 1)
				sb_printf(b, "  - filters: [{type: ExtensionRef, extensionRef: {group: "
				             "gateway.envoyproxy.io, kind: HTTPRouteFilter, name: hrf-%u}}]\n",
				          pick(g, 2));
			else
				sb_printf(b, "  - filters: [{type: RequestRedirect, requestRedirect: {scheme: "
				             "https}}]\n");
			sb_printf(b, "    backendRefs:\n");
		} else {
			sb_printf(b, "  - backendRefs:\n");
		}
		unsigned n = 1 + pick(g, 3);
		for (unsigned i = 0; i < n; i++) {
			sb_printf(b, "    - ");
			backend_ref(g, b, ns, udp);
			sb_printf(b, "\n");
		}
	}
}

static inline void gen(gen_rng *g, int kind, doc *d)
{
	sbuf b = {0};
	const char *ns = "infra";
	char name[32];
	switch (kind) {
	case K_GW:
		snprintf(name, sizeof name, "gw-%u", pick(g, 2));
		break;
	case K_NS:
		snprintf(name, sizeof name, "ns-%c", pick(g, 2) ? 'a' : 'b');
		ns = "";
		break;
	case K_SVC:
		ns = route_ns(g);
		snprintf(name, sizeof name, "svc-%u", pick(g, 5));
		break;
	case K_SI:
		ns = route_ns(g);
		snprintf(name, sizeof name, "si-%u", pick(g, 2));
		break;
	case K_ES:
		ns = route_ns(g);
		snprintf(name, sizeof name, "es-%u", pick(g, 7));
		break;
	case K_BE:
		ns = route_ns(g);
		snprintf(name, sizeof name, "be-%u", pick(g, 2));
		break;
	case K_RG:
		/* In infra: a grant for ListenerSet certificates (the Secrets live there). */
		ns = chance(g, 25) ? "infra" : route_ns(g);
		snprintf(name, sizeof name, "rg-%u", pick(g, 2));
		break;
	case K_HR:
	case K_GR:
		ns = route_ns(g);
		snprintf(name, sizeof name, "%s-%u", kind == K_HR ? "hr" : "gr", pick(g, kind == K_HR ? 5 : 2));
		break;
	case K_TLS:
	case K_TCP:
	case K_UDP:
		ns = route_ns(g);
		snprintf(name, sizeof name, "%s-%u", kind == K_TLS ? "tl" : kind == K_TCP ? "tc" : "ud",
		         pick(g, 2));
		break;
	case K_BTP:
		ns = pick(g, 2) ? "ns-a" : "infra";
		snprintf(name, sizeof name, "btp-%u", pick(g, 2));
		break;
	case K_EP:
		snprintf(name, sizeof name, "ep-0");
		break;
	case K_SEC:
		snprintf(name, sizeof name, "cert-%u", pick(g, 2));
		break;
	case K_CM:
		ns = route_ns(g);
		snprintf(name, sizeof name, "ca-%u", pick(g, 2));
		break;
	case K_BTLS:
		ns = route_ns(g);
		snprintf(name, sizeof name, "btls-%u", pick(g, 2));
		break;
	case K_LS:
		ns = route_ns(g);
		snprintf(name, sizeof name, "ls-%u", pick(g, 2));
		break;
	case K_HRF:
		ns = route_ns(g);
		snprintf(name, sizeof name, "hrf-%u", pick(g, 2));
		break;
	case K_SP:
	case K_EEP:
	case K_CTP:
		ns = pick(g, 2) ? "ns-a" : "infra";
		snprintf(name, sizeof name, "%s-%u", kind == K_SP ? "sp" : kind == K_EEP ? "eep" : "ctp",
		         pick(g, 2));
		break;
	case K_GC:
		snprintf(name, sizeof name, "%s", pick(g, 4) ? "envoy-gateway-class" : "other-class");
		ns = "";
		break;
	}
	sb_printf(&b, "apiVersion: %s\nkind: %s\nmetadata:\n  name: %s\n", API[kind], KIND[kind], name);
	if (*ns)
		sb_printf(&b, "  namespace: %s\n", ns);
	if (kind == K_HR || kind == K_NS || kind == K_SVC)
		sb_printf(&b, "  labels: {%s: %s}\n", kind == K_NS ? "team" : "app", pick(g, 2) ? "x" : "y");
	switch (kind) {
	case K_GW: {
		const char *from = (const char *[]){"All", "All", "Same", "Selector"}[pick(g, 4)];
		sb_printf(&b, "spec:\n  gatewayClassName: %s\n",
		          chance(g, 85) ? "envoy-gateway-class" : "other-class");
		if (chance(g, 20))
			sb_printf(&b, "  infrastructure: {parametersRef: {group: gateway.envoyproxy.io, kind: "
			              "EnvoyProxy, name: ep-0}}\n");
		sb_printf(&b, "  listeners:\n  - name: http\n    protocol: HTTP\n    port: 80\n"
		              "    allowedRoutes: {namespaces: {from: %s%s}}\n",
		          from, strcmp(from, "Selector") ? "" : ", selector: {matchLabels: {team: x}}");
		sb_printf(&b, "  - {name: tcp, protocol: TCP, port: 9000, allowedRoutes: {namespaces: {from: "
		              "All}}}\n");
		sb_printf(&b, "  - {name: tls, protocol: TLS, port: 443, tls: {mode: Passthrough}, "
		              "allowedRoutes: {namespaces: {from: All}}}\n");
		sb_printf(&b, "  - {name: udp, protocol: UDP, port: 5300, allowedRoutes: {namespaces: {from: "
		              "All}}}\n");
		sb_printf(&b, "  - {name: https, protocol: HTTPS, port: 8443, tls: {certificateRefs: "
		              "[{name: cert-%u}]}, allowedRoutes: {namespaces: {from: All}}}\n",
		          pick(g, 2));
		if (chance(g, 60))
			sb_printf(&b, "  allowedListeners: {namespaces: {from: %s}}\n",
			          pick(g, 3) ? "All" : "Same");
		break;
	}
	case K_NS:
		break;
	case K_SVC:
		sb_printf(&b, "spec:\n  clusterIP: %s\n", chance(g, 15) ? "None" : "10.96.0.7");
		if (chance(g, 5))
			sb_printf(&b, "  type: ExternalName\n");
		sb_printf(&b, "  ports:\n  - {name: http, port: %u, protocol: TCP}\n", pick(g, 4) ? 80u : 8080u);
		if (chance(g, 40))
			sb_printf(&b, "  - {name: alt, port: 8080, protocol: TCP, appProtocol: "
			              "kubernetes.io/h2c}\n");
		if (chance(g, 40))
			sb_printf(&b, "  - {name: dns, port: 53, protocol: UDP}\n");
		break;
	case K_SI:
		sb_printf(&b, "spec:\n  ips: [%s]\n  ports:\n  - {name: http, port: 80, protocol: TCP}\n",
		          chance(g, 50) ? "10.1.0.1" : "");
		break;
	case K_ES: {
		unsigned owner = pick(g, 10);
		if (owner < 7)
			sb_printf(&b, "  labels: {kubernetes.io/service-name: svc-%u}\n", pick(g, 5));
		else if (owner < 9)
			sb_printf(&b, "  labels: {multicluster.kubernetes.io/service-name: si-%u}\n", pick(g, 2));
		sb_printf(&b, "addressType: %s\nports:\n", chance(g, 5) ? "FQDN" : "IPv4");
		sb_printf(&b, "- {name: %s, port: 3000, protocol: TCP}\n", pick(g, 3) ? "http" : "alt");
		if (chance(g, 30))
			sb_printf(&b, "- {name: dns, port: 5353, protocol: UDP}\n");
		unsigned n = pick(g, 4);
		sb_printf(&b, "endpoints:%s\n", n ? "" : " []");
		for (unsigned i = 0; i < n; i++)
			sb_printf(&b, "- {addresses: [10.2.%u.%u], conditions: {ready: %s}, zone: z%u}\n",
			          pick(g, 4), pick(g, 250), chance(g, 75) ? "true" : "false", pick(g, 2));
		break;
	}
	case K_BE:
		sb_printf(&b, "spec:\n  endpoints:\n");
		if (pick(g, 2))
			sb_printf(&b, "  - {ip: {address: 10.3.0.%u, port: 8080}}\n", pick(g, 9));
		else
			sb_printf(&b, "  - {fqdn: {hostname: be%u.example.com, port: 80}}\n", pick(g, 9));
		if (chance(g, 30))
			sb_printf(&b, "  fallback: true\n");
		break;
	case K_RG:
		if (!strcmp(ns, "infra")) {
			sb_printf(&b, "spec:\n  from:\n  - {group: gateway.networking.k8s.io, kind: ListenerSet, "
			              "namespace: %s}\n  to:\n  - {group: \"\", kind: Secret}\n",
			          route_ns(g));
			break;
		}
		sb_printf(&b, "spec:\n  from:\n  - {group: gateway.networking.k8s.io, kind: %s, namespace: %s}\n"
		              "  to:\n  - {group: \"\", kind: Service}\n",
		          pick(g, 3) ? "HTTPRoute" : "TCPRoute", strcmp(ns, "ns-a") ? "ns-a" : "ns-b");
		break;
	case K_HR:
	case K_GR:
		sb_printf(&b, "spec:\n");
		parent_refs(g, &b, chance(g, 20) ? "https" : "http");
		if (chance(g, 25))
			sb_printf(&b, "  - {group: gateway.networking.k8s.io, kind: ListenerSet, "
			              "name: ls-%u}\n",
			          pick(g, 2));
		rules(g, &b, ns, 1 + pick(g, 2), false);
		break;
	case K_TLS:
		sb_printf(&b, "spec:\n  hostnames: [a.example.com]\n");
		parent_refs(g, &b, "tls");
		rules(g, &b, ns, 1 + pick(g, 2), false);
		break;
	case K_TCP:
	case K_UDP:
		sb_printf(&b, "spec:\n");
		parent_refs(g, &b, kind == K_TCP ? "tcp" : "udp");
		rules(g, &b, ns, chance(g, 85) ? 1 : 2, kind == K_UDP);
		break;
	case K_BTP:
		sb_printf(&b, "spec:\n  routingType: %s\n", pick(g, 2) ? "Service" : "Endpoint");
		if (chance(g, 30)) /* invalid: its routes answer 500 */
			sb_printf(&b, "  retry: {perRetry: {backOff: {baseInterval: 0s}}}\n");
		if (chance(g, 30)) /* keeps backends out of shared clusters below Gateway scope */
			sb_printf(&b, "  circuitBreaker: {maxConnections: 10}\n");
		if (chance(g, 20))
			sb_printf(&b, "  mergeType: StrategicMerge\n");
		if (!strcmp(ns, "infra"))
			sb_printf(&b, "  targetRefs:\n  - {group: gateway.networking.k8s.io, kind: Gateway, "
			              "name: gw-0}\n");
		else if (pick(g, 2))
			sb_printf(&b, "  targetRefs:\n  - {group: gateway.networking.k8s.io, kind: HTTPRoute, "
			              "name: hr-%u}\n",
			          pick(g, 5));
		else
			sb_printf(&b, "  targetSelectors:\n  - {kind: HTTPRoute, matchLabels: {app: x}}\n");
		break;
	case K_EP:
		/* mergeBackends: on for every backend, on for the selected ones, or off. */
		sb_printf(&b, "spec: {routingType: %s%s}\n", pick(g, 2) ? "Service" : "Endpoint",
		          (const char *[]){"", ", mergeBackends: {}",
		                           ", mergeBackends: {selector: {matchLabels: {app: x}}}"}[pick(g, 3)]);
		break;
	case K_SEC:
		sb_printf(&b, "type: %s\ndata: {tls.crt: Y2VydA==%s}\n",
		          chance(g, 85) ? "kubernetes.io/tls" : "Opaque", chance(g, 85) ? ", tls.key: a2V5" : "");
		break;
	case K_CM:
		sb_printf(&b, "data: {%s: \"-----BEGIN CERTIFICATE-----\"%s}\n", chance(g, 75) ? "ca.crt" : "other",
		          chance(g, 50) ? ", lua: \"function envoy_on_request(h) end\"" : "");
		break;
	case K_BTLS:
		sb_printf(&b, "spec:\n  targetRefs: [{group: \"\", kind: Service, name: svc-%u}]\n", pick(g, 5));
		if (pick(g, 3))
			sb_printf(&b, "  validation: {caCertificateRefs: [{group: \"\", kind: ConfigMap, "
			              "name: ca-%u}], hostname: x.example.com}\n",
			          pick(g, 3));
		else
			sb_printf(&b, "  validation: {wellKnownCACertificates: System, hostname: x.example.com}\n");
		break;
	case K_LS: {
		/* Port 80 without a hostname clashes with the Gateway's own "http" listener
		 * (which wins); a hostname there makes it fine. */
		uint32_t port = pick(g, 3) ? 8081 : 80;
		sb_printf(&b, "spec:\n  parentRef: {name: gw-%u, namespace: infra}\n  listeners:\n"
		              "  - {name: extra, protocol: HTTP, port: %u%s, allowedRoutes: {namespaces: "
		              "{from: %s}}}\n",
		          pick(g, 2), port, pick(g, 2) ? ", hostname: ls.example.com" : "",
		          pick(g, 2) ? "All" : "Same");
		if (chance(g, 30))
			sb_printf(&b, "  - {name: secure, protocol: HTTPS, port: 8444, tls: {certificateRefs: "
			              "[{name: cert-%u%s}]}, allowedRoutes: {namespaces: {from: All}}}\n",
			          pick(g, 2), pick(g, 2) ? ", namespace: infra" : "");
		break;
	}
	case K_HRF:
		sb_printf(&b, "spec: {urlRewrite: {hostname: {type: %s}}}\n", pick(g, 2) ? "PathRegex" : "Header");
		break;
	case K_SP:
	case K_EEP:
	case K_CTP:
		sb_printf(&b, "spec:\n");
		if (!strcmp(ns, "infra") || kind == K_CTP)
			sb_printf(&b, "  targetRefs:\n  - {group: gateway.networking.k8s.io, kind: Gateway, "
			              "name: gw-%u}\n",
			          pick(g, 2));
		else if (chance(g, 30))
			sb_printf(&b, "  targetSelectors:\n  - {kind: HTTPRoute, matchLabels: {app: x}}\n");
		else
			sb_printf(&b, "  targetRefs:\n  - {group: gateway.networking.k8s.io, kind: HTTPRoute, "
			              "name: hr-%u}\n",
			          pick(g, 5));
		/* Valid or not depending on other objects: a Service, a ConfigMap. */
		if (kind == K_SP)
			sb_printf(&b, "  extAuth: {failOpen: %s, http: {backendRefs: [{name: svc-%u, port: "
			              "80}]}}\n",
			          pick(g, 4) ? "false" : "true", pick(g, 5));
		else if (kind == K_EEP)
			sb_printf(&b, "  lua: [{type: ValueRef, valueRef: {kind: ConfigMap, name: ca-%u}}]\n",
			          pick(g, 3));
		else
			sb_printf(&b, "  timeout: {http: {idleTimeout: %s}}\n", pick(g, 3) ? "5s" : "5 seconds");
		break;
	case K_GC:
		sb_printf(&b, "spec:\n  controllerName: gateway.envoyproxy.io/gatewayclass-controller\n");
		if (chance(g, 50))
			sb_printf(&b, "  parametersRef: {group: gateway.envoyproxy.io, kind: EnvoyProxy, name: "
			              "ep-0, namespace: infra}\n");
		break;
	}
	d->kind = kind;
	snprintf(d->ns, sizeof d->ns, "%s", ns);
	snprintf(d->name, sizeof d->name, "%s", name);
	d->text = b.p;
}

/* A kind, weighted like the churn of a cluster: endpoints most. */
static inline int churn_kind(gen_rng *g)
{
	static const int w[K_COUNT] = {2, 1, 8, 2, 16, 2, 2, 6, 2, 2, 2, 1, 2, 1, 1, 1, 1, 1, 1, 1,
	                               1, 1, 1};
	int total = 0;
	for (int k = 0; k < K_COUNT; k++)
		total += w[k];
	int x = (int)pick(g, (unsigned)total);
	for (int k = 0; k < K_COUNT; k++) {
		if (x < w[k])
			return k;
		x -= w[k];
	}
	return K_ES;
}

/* ---- the reference snapshot (engine.h's rules, independently) ---- */

typedef struct snapshot {
	doc *docs; /* lists of all kinds, interleaved; order within a kind is what counts */
	size_t n, cap;
	/* The GatewayClass applied last (text NULL: none), repeated at the end of
	 * the stream: the engine's single class (its parametersRef) is the last
	 * one applied, while every class in `docs` decides which Gateways are ours. */
	doc gc;
} snapshot;

static inline bool same_id(const doc *a, const doc *b)
{
	return a->kind == b->kind && !strcmp(a->ns, b->ns) && !strcmp(a->name, b->name);
}

static inline void snap_append(snapshot *s, doc d)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->docs = realloc(s->docs, s->cap * sizeof *s->docs);
		if (!s->docs)
			abort();
	}
	s->docs[s->n++] = d;
}

/* A copy of a document's text (the snapshot's single GatewayClass keeps its own). */
static inline char *text_copy(const char *t)
{
	size_t n = strlen(t) + 1;
	char *c = malloc(n);
	if (!c)
		abort();
	memcpy(c, t, n);
	return c;
}

/* A document of the initial snapshot, appended as it is (duplicates too); a
 * GatewayClass is also the single one (every class decides which Gateways are
 * ours; the last is the engine's single class). */
static inline void snap_add_initial(snapshot *s, doc d)
{
	if (d.kind == K_GC) {
		free(s->gc.text);
		s->gc = d;
		s->gc.text = text_copy(d.text);
	}
	snap_append(s, d);
}

static inline void snap_remove(snapshot *s, size_t i)
{
	free(s->docs[i].text);
	memmove(&s->docs[i], &s->docs[i + 1], (s->n - i - 1) * sizeof *s->docs);
	s->n--;
}

static inline void snap_put(snapshot *s, doc d)
{
	if (d.kind == K_GC) {
		free(s->gc.text);
		s->gc = d;
		s->gc.text = text_copy(d.text);
	}
	size_t first = SIZE_MAX;
	for (size_t i = 0; i < s->n; i++) {
		if (!same_id(&s->docs[i], &d))
			continue;
		if (first == SIZE_MAX) {
			first = i;
		} else {
			snap_remove(s, i);
			i--;
		}
	}
	if (first == SIZE_MAX) {
		snap_append(s, d);
	} else {
		free(s->docs[first].text);
		s->docs[first] = d;
	}
}

static inline void snap_delete(snapshot *s, const doc *id)
{
	if (id->kind == K_GC) {
		if (s->gc.text && !strcmp(s->gc.name, id->name)) {
			free(s->gc.text);
			s->gc.text = NULL;
		}
	}
	for (size_t i = 0; i < s->n; i++)
		if (same_id(&s->docs[i], id)) {
			snap_remove(s, i);
			i--;
		}
}

static inline char *snap_stream(const snapshot *s, size_t *len)
{
	sbuf b = {0};
	sb_printf(&b, "# snapshot\n");
	for (size_t i = 0; i < s->n; i++)
		sb_printf(&b, "---\n%s", s->docs[i].text);
	if (s->gc.text)
		sb_printf(&b, "---\n%s", s->gc.text);
	*len = b.len;
	return b.p;
}

#endif
