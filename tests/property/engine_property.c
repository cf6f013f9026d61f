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

/* ---- PRNG (splitmix64) ---- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t x = (rng_state += 0x9e3779b97f4a7c15ull);
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static unsigned pick(unsigned n)
{
	return (unsigned)(rnd() % n);
}

static bool chance(unsigned pct)
{
	return pick(100) < pct;
}

/* ---- text ---- */

typedef struct sbuf {
	char *p;
	size_t len, cap;
} sbuf;

static void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void sb_printf(sbuf *b, const char *fmt, ...)
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

static const char *route_ns(void)
{
	return pick(3) ? "ns-a" : "ns-b";
}

static void backend_ref(sbuf *b, const char *own_ns, bool udp)
{
	unsigned what = pick(10);
	const char *other = strcmp(own_ns, "ns-a") ? "ns-a" : "ns-b";
	sb_printf(b, "{");
	if (what < 7) {
		sb_printf(b, "name: svc-%u, port: %u", pick(5),
		          udp ? 53u : (unsigned[]){80, 8080, 9999, 53}[pick(4)]);
	} else if (what < 8) {
		sb_printf(b, "group: multicluster.x-k8s.io, kind: ServiceImport, name: si-%u, port: 80",
		          pick(2));
	} else if (what < 9) {
		sb_printf(b, "group: gateway.envoyproxy.io, kind: Backend, name: be-%u", pick(2));
	} else {
		sb_printf(b, "group: example.com, kind: Unknown, name: x, port: 80");
	}
	if (chance(20))
		sb_printf(b, ", namespace: %s", other);
	if (chance(50))
		sb_printf(b, ", weight: %u", pick(4));
	sb_printf(b, "}");
}

static void parent_refs(sbuf *b, const char *section)
{
	sb_printf(b, "  parentRefs:\n  - {name: gw-0, namespace: infra, sectionName: %s}\n", section);
	if (chance(30))
		sb_printf(b, "  - {name: gw-1, namespace: infra%s%s}\n", chance(50) ? ", sectionName: " : "",
		          chance(50) ? section : "");
}

static void rules(sbuf *b, const char *ns, unsigned nrules, bool udp)
{
	sb_printf(b, "  rules:\n");
	for (unsigned r = 0; r < nrules; r++) {
		if (!udp && chance(15)) {
			/* Rule filters that change destinations: mirror, HTTPRouteFilter, redirect. */
			unsigned f = pick(3);
			if (f == 0)
				sb_printf(b, "  - filters: [{type: RequestMirror, requestMirror: {backendRef: "
				             "{name: svc-%u, port: 80}}}]\n",
				          pick(5));
			else if (f == 1)
				sb_printf(b, "  - filters: [{type: ExtensionRef, extensionRef: {group: "
				             "gateway.envoyproxy.io, kind: HTTPRouteFilter, name: hrf-%u}}]\n",
				          pick(2));
			else
				sb_printf(b, "  - filters: [{type: RequestRedirect, requestRedirect: {scheme: "
				             "https}}]\n");
			sb_printf(b, "    backendRefs:\n");
		} else {
			sb_printf(b, "  - backendRefs:\n");
		}
		unsigned n = 1 + pick(3);
		for (unsigned i = 0; i < n; i++) {
			sb_printf(b, "    - ");
			backend_ref(b, ns, udp);
			sb_printf(b, "\n");
		}
	}
}

static void gen(int kind, doc *d)
{
	sbuf b = {0};
	const char *ns = "infra";
	char name[32];
	switch (kind) {
	case K_GW:
		snprintf(name, sizeof name, "gw-%u", pick(2));
		break;
	case K_NS:
		snprintf(name, sizeof name, "ns-%c", pick(2) ? 'a' : 'b');
		ns = "";
		break;
	case K_SVC:
		ns = route_ns();
		snprintf(name, sizeof name, "svc-%u", pick(5));
		break;
	case K_SI:
		ns = route_ns();
		snprintf(name, sizeof name, "si-%u", pick(2));
		break;
	case K_ES:
		ns = route_ns();
		snprintf(name, sizeof name, "es-%u", pick(7));
		break;
	case K_BE:
		ns = route_ns();
		snprintf(name, sizeof name, "be-%u", pick(2));
		break;
	case K_RG:
		/* In infra: a grant for ListenerSet certificates (the Secrets live there). */
		ns = chance(25) ? "infra" : route_ns();
		snprintf(name, sizeof name, "rg-%u", pick(2));
		break;
	case K_HR:
	case K_GR:
		ns = route_ns();
		snprintf(name, sizeof name, "%s-%u", kind == K_HR ? "hr" : "gr", pick(kind == K_HR ? 5 : 2));
		break;
	case K_TLS:
	case K_TCP:
	case K_UDP:
		ns = route_ns();
		snprintf(name, sizeof name, "%s-%u", kind == K_TLS ? "tl" : kind == K_TCP ? "tc" : "ud",
		         pick(2));
		break;
	case K_BTP:
		ns = pick(2) ? "ns-a" : "infra";
		snprintf(name, sizeof name, "btp-%u", pick(2));
		break;
	case K_EP:
		snprintf(name, sizeof name, "ep-0");
		break;
	case K_SEC:
		snprintf(name, sizeof name, "cert-%u", pick(2));
		break;
	case K_CM:
		ns = route_ns();
		snprintf(name, sizeof name, "ca-%u", pick(2));
		break;
	case K_BTLS:
		ns = route_ns();
		snprintf(name, sizeof name, "btls-%u", pick(2));
		break;
	case K_LS:
		ns = route_ns();
		snprintf(name, sizeof name, "ls-%u", pick(2));
		break;
	case K_HRF:
		ns = route_ns();
		snprintf(name, sizeof name, "hrf-%u", pick(2));
		break;
	case K_SP:
	case K_EEP:
	case K_CTP:
		ns = pick(2) ? "ns-a" : "infra";
		snprintf(name, sizeof name, "%s-%u", kind == K_SP ? "sp" : kind == K_EEP ? "eep" : "ctp",
		         pick(2));
		break;
	case K_GC:
		snprintf(name, sizeof name, "%s", pick(4) ? "envoy-gateway-class" : "other-class");
		ns = "";
		break;
	}
	sb_printf(&b, "apiVersion: %s\nkind: %s\nmetadata:\n  name: %s\n", API[kind], KIND[kind], name);
	if (*ns)
		sb_printf(&b, "  namespace: %s\n", ns);
	if (kind == K_HR || kind == K_NS || kind == K_SVC)
		sb_printf(&b, "  labels: {%s: %s}\n", kind == K_NS ? "team" : "app", pick(2) ? "x" : "y");
	switch (kind) {
	case K_GW: {
		const char *from = (const char *[]){"All", "All", "Same", "Selector"}[pick(4)];
		sb_printf(&b, "spec:\n  gatewayClassName: %s\n",
		          chance(85) ? "envoy-gateway-class" : "other-class");
		if (chance(20))
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
		          pick(2));
		if (chance(60))
			sb_printf(&b, "  allowedListeners: {namespaces: {from: %s}}\n",
			          pick(3) ? "All" : "Same");
		break;
	}
	case K_NS:
		break;
	case K_SVC:
		sb_printf(&b, "spec:\n  clusterIP: %s\n", chance(15) ? "None" : "10.96.0.7");
		if (chance(5))
			sb_printf(&b, "  type: ExternalName\n");
		sb_printf(&b, "  ports:\n  - {name: http, port: %u, protocol: TCP}\n", pick(4) ? 80u : 8080u);
		if (chance(40))
			sb_printf(&b, "  - {name: alt, port: 8080, protocol: TCP, appProtocol: "
			              "kubernetes.io/h2c}\n");
		if (chance(40))
			sb_printf(&b, "  - {name: dns, port: 53, protocol: UDP}\n");
		break;
	case K_SI:
		sb_printf(&b, "spec:\n  ips: [%s]\n  ports:\n  - {name: http, port: 80, protocol: TCP}\n",
		          chance(50) ? "10.1.0.1" : "");
		break;
	case K_ES: {
		unsigned owner = pick(10);
		if (owner < 7)
			sb_printf(&b, "  labels: {kubernetes.io/service-name: svc-%u}\n", pick(5));
		else if (owner < 9)
			sb_printf(&b, "  labels: {multicluster.kubernetes.io/service-name: si-%u}\n", pick(2));
		sb_printf(&b, "addressType: %s\nports:\n", chance(5) ? "FQDN" : "IPv4");
		sb_printf(&b, "- {name: %s, port: 3000, protocol: TCP}\n", pick(3) ? "http" : "alt");
		if (chance(30))
			sb_printf(&b, "- {name: dns, port: 5353, protocol: UDP}\n");
		unsigned n = pick(4);
		sb_printf(&b, "endpoints:%s\n", n ? "" : " []");
		for (unsigned i = 0; i < n; i++)
			sb_printf(&b, "- {addresses: [10.2.%u.%u], conditions: {ready: %s}, zone: z%u}\n",
			          pick(4), pick(250), chance(75) ? "true" : "false", pick(2));
		break;
	}
	case K_BE:
		sb_printf(&b, "spec:\n  endpoints:\n");
		if (pick(2))
			sb_printf(&b, "  - {ip: {address: 10.3.0.%u, port: 8080}}\n", pick(9));
		else
			sb_printf(&b, "  - {fqdn: {hostname: be%u.example.com, port: 80}}\n", pick(9));
		if (chance(30))
			sb_printf(&b, "  fallback: true\n");
		break;
	case K_RG:
		if (!strcmp(ns, "infra")) {
			sb_printf(&b, "spec:\n  from:\n  - {group: gateway.networking.k8s.io, kind: ListenerSet, "
			              "namespace: %s}\n  to:\n  - {group: \"\", kind: Secret}\n",
			          route_ns());
			break;
		}
		sb_printf(&b, "spec:\n  from:\n  - {group: gateway.networking.k8s.io, kind: %s, namespace: %s}\n"
		              "  to:\n  - {group: \"\", kind: Service}\n",
		          pick(3) ? "HTTPRoute" : "TCPRoute", strcmp(ns, "ns-a") ? "ns-a" : "ns-b");
		break;
	case K_HR:
	case K_GR:
		sb_printf(&b, "spec:\n");
		parent_refs(&b, chance(20) ? "https" : "http");
		if (chance(25))
			sb_printf(&b, "  - {group: gateway.networking.k8s.io, kind: ListenerSet, "
			              "name: ls-%u}\n",
			          pick(2));
		rules(&b, ns, 1 + pick(2), false);
		break;
	case K_TLS:
		sb_printf(&b, "spec:\n  hostnames: [a.example.com]\n");
		parent_refs(&b, "tls");
		rules(&b, ns, 1 + pick(2), false);
		break;
	case K_TCP:
	case K_UDP:
		sb_printf(&b, "spec:\n");
		parent_refs(&b, kind == K_TCP ? "tcp" : "udp");
		rules(&b, ns, chance(85) ? 1 : 2, kind == K_UDP);
		break;
	case K_BTP:
		sb_printf(&b, "spec:\n  routingType: %s\n", pick(2) ? "Service" : "Endpoint");
		if (chance(30)) /* invalid: its routes answer 500 */
			sb_printf(&b, "  retry: {perRetry: {backOff: {baseInterval: 0s}}}\n");
		if (chance(30)) /* keeps backends out of shared clusters below Gateway scope */
			sb_printf(&b, "  circuitBreaker: {maxConnections: 10}\n");
		if (chance(20))
			sb_printf(&b, "  mergeType: StrategicMerge\n");
		if (!strcmp(ns, "infra"))
			sb_printf(&b, "  targetRefs:\n  - {group: gateway.networking.k8s.io, kind: Gateway, "
			              "name: gw-0}\n");
		else if (pick(2))
			sb_printf(&b, "  targetRefs:\n  - {group: gateway.networking.k8s.io, kind: HTTPRoute, "
			              "name: hr-%u}\n",
			          pick(5));
		else
			sb_printf(&b, "  targetSelectors:\n  - {kind: HTTPRoute, matchLabels: {app: x}}\n");
		break;
	case K_EP:
		/* mergeBackends: on for every backend, on for the selected ones, or off. */
		sb_printf(&b, "spec: {routingType: %s%s}\n", pick(2) ? "Service" : "Endpoint",
		          (const char *[]){"", ", mergeBackends: {}",
		                           ", mergeBackends: {selector: {matchLabels: {app: x}}}"}[pick(3)]);
		break;
	case K_SEC:
		sb_printf(&b, "type: %s\ndata: {tls.crt: Y2VydA==%s}\n",
		          chance(85) ? "kubernetes.io/tls" : "Opaque", chance(85) ? ", tls.key: a2V5" : "");
		break;
	case K_CM:
		sb_printf(&b, "data: {%s: \"-----BEGIN CERTIFICATE-----\"%s}\n", chance(75) ? "ca.crt" : "other",
		          chance(50) ? ", lua: \"function envoy_on_request(h) end\"" : "");
		break;
	case K_BTLS:
		sb_printf(&b, "spec:\n  targetRefs: [{group: \"\", kind: Service, name: svc-%u}]\n", pick(5));
		if (pick(3))
			sb_printf(&b, "  validation: {caCertificateRefs: [{group: \"\", kind: ConfigMap, "
			              "name: ca-%u}], hostname: x.example.com}\n",
			          pick(3));
		else
			sb_printf(&b, "  validation: {wellKnownCACertificates: System, hostname: x.example.com}\n");
		break;
	case K_LS: {
		/* Port 80 without a hostname clashes with the Gateway's own "http" listener
		 * (which wins); a hostname there makes it fine. */
		uint32_t port = pick(3) ? 8081 : 80;
		sb_printf(&b, "spec:\n  parentRef: {name: gw-%u, namespace: infra}\n  listeners:\n"
		              "  - {name: extra, protocol: HTTP, port: %u%s, allowedRoutes: {namespaces: "
		              "{from: %s}}}\n",
		          pick(2), port, pick(2) ? ", hostname: ls.example.com" : "",
		          pick(2) ? "All" : "Same");
		if (chance(30))
			sb_printf(&b, "  - {name: secure, protocol: HTTPS, port: 8444, tls: {certificateRefs: "
			              "[{name: cert-%u%s}]}, allowedRoutes: {namespaces: {from: All}}}\n",
			          pick(2), pick(2) ? ", namespace: infra" : "");
		break;
	}
	case K_HRF:
		sb_printf(&b, "spec: {urlRewrite: {hostname: {type: %s}}}\n", pick(2) ? "PathRegex" : "Header");
		break;
	case K_SP:
	case K_EEP:
	case K_CTP:
		sb_printf(&b, "spec:\n");
		if (!strcmp(ns, "infra") || kind == K_CTP)
			sb_printf(&b, "  targetRefs:\n  - {group: gateway.networking.k8s.io, kind: Gateway, "
			              "name: gw-%u}\n",
			          pick(2));
		else if (chance(30))
			sb_printf(&b, "  targetSelectors:\n  - {kind: HTTPRoute, matchLabels: {app: x}}\n");
		else
			sb_printf(&b, "  targetRefs:\n  - {group: gateway.networking.k8s.io, kind: HTTPRoute, "
			              "name: hr-%u}\n",
			          pick(5));
		/* Valid or not depending on other objects: a Service, a ConfigMap. */
		if (kind == K_SP)
			sb_printf(&b, "  extAuth: {failOpen: %s, http: {backendRefs: [{name: svc-%u, port: "
			              "80}]}}\n",
			          pick(4) ? "false" : "true", pick(5));
		else if (kind == K_EEP)
			sb_printf(&b, "  lua: [{type: ValueRef, valueRef: {kind: ConfigMap, name: ca-%u}}]\n",
			          pick(3));
		else
			sb_printf(&b, "  timeout: {http: {idleTimeout: %s}}\n", pick(3) ? "5s" : "5 seconds");
		break;
	case K_GC:
		sb_printf(&b, "spec:\n  controllerName: gateway.envoyproxy.io/gatewayclass-controller\n");
		if (chance(50))
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
static int churn_kind(void)
{
	static const int w[K_COUNT] = {2, 1, 8, 2, 16, 2, 2, 6, 2, 2, 2, 1, 2, 1, 1, 1, 1, 1, 1, 1,
	                               1, 1, 1};
	int total = 0;
	for (int k = 0; k < K_COUNT; k++)
		total += w[k];
	int x = (int)pick((unsigned)total);
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

static bool same_id(const doc *a, const doc *b)
{
	return a->kind == b->kind && !strcmp(a->ns, b->ns) && !strcmp(a->name, b->name);
}

static void snap_append(snapshot *s, doc d)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->docs = realloc(s->docs, s->cap * sizeof *s->docs);
		if (!s->docs)
			abort();
	}
	s->docs[s->n++] = d;
}

static void snap_remove(snapshot *s, size_t i)
{
	free(s->docs[i].text);
	memmove(&s->docs[i], &s->docs[i + 1], (s->n - i - 1) * sizeof *s->docs);
	s->n--;
}

static void snap_put(snapshot *s, doc d)
{
	if (d.kind == K_GC) {
		free(s->gc.text);
		s->gc = d;
		size_t n = strlen(d.text) + 1;
		s->gc.text = malloc(n);
		if (!s->gc.text)
			abort();
		memcpy(s->gc.text, d.text, n);
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

static void snap_delete(snapshot *s, const doc *id)
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

static char *snap_stream(const snapshot *s, size_t *len)
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
	rb_format fmt = chance(90) ? RB_FORMAT_JSON : RB_FORMAT_YAML;
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
	unsigned n0 = 10 + pick(30);
	for (unsigned i = 0; i < n0; i++) {
		doc d;
		gen(i < 2 ? K_GW : churn_kind(), &d);
		if (d.kind == K_GC) {
			/* Every class decides which Gateways are ours; the last is the single one. */
			free(s.gc.text);
			s.gc = d;
			size_t n = strlen(d.text) + 1;
			s.gc.text = malloc(n);
			if (!s.gc.text)
				abort();
			memcpy(s.gc.text, d.text, n);
		}
		snap_append(&s, d);
	}
	rb_translate_options o = RB_TRANSLATE_OPTIONS_INIT;
	if (chance(30))
		o.mode = RB_MODE_COMPAT_ENVOY_GATEWAY;
	if (chance(20))
		o.flags |= RB_OPT_REBALANCE_NOT_READY;
	if (chance(10))
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
	unsigned changes = 5 + pick(30);
	for (unsigned c = 0; c < changes && ok; c++) {
		unsigned op = pick(10);
		if (op < 7) {
			/* add or replace, one to three objects in one buffer */
			unsigned count = chance(80) ? 1 : 2 + pick(2);
			sbuf b = {0};
			doc ds[3];
			for (unsigned i = 0; i < count; i++) {
				gen(churn_kind(), &ds[i]);
				sb_printf(&b, "---\n%s", ds[i].text);
			}
			int rc = rb_engine_apply_buffer(e, b.p, b.len, "change",
			                                chance(50) ? RB_INPUT_YAML : RB_INPUT_AUTO);
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
			if (s.n && pick(4)) {
				const doc *x = &s.docs[pick((unsigned)s.n)];
				id.kind = x->kind;
				snprintf(id.ns, sizeof id.ns, "%s", x->ns);
				snprintf(id.name, sizeof id.name, "%s", x->name);
			} else {
				gen(churn_kind(), &id); /* maybe not there */
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
		if (ok && (chance(70) || c + 1 == changes))
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
	rng_state = 424242;
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
		gen(i < 30 ? K_HR : i < 45 ? K_SVC : K_ES, &d);
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
		gen(pick(4) ? K_ES : K_SVC, &d);
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
		rng_state = 777 + (uint64_t)k;
		snapshot s;
		memset(&s, 0, sizeof s);
		for (unsigned i = 0; i < 14; i++) {
			doc d;
			gen(i < 1 ? K_GW : i < 6 ? K_HR : i < 9 ? K_SVC : K_ES, &d);
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
		gen(k % 2 ? K_ES : (k % 3 ? K_SVC : K_HR), &d);
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
		rng_state = seed * 0x100000001b3ull + i;
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
