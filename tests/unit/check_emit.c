/*
 * Unit tests of lib/emit: the writer (YAML and JSON back ends, the quoting
 * rule, errors) and the two serializers (IR, node trees).
 *
 * The round-trip checks re-read our own output with a small test-only reader
 * (libyaml events / cJSON into rb__node, plain YAML scalars resolved by the
 * YAML 1.2 core schema as load/node.h describes) and write it again with
 * rb__emit_node: the bytes must be identical, in both formats and across them.
 */
#include <check.h>
#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "core/arena.h"
#include "core/mem.h"
#include "emit/emit.h"
#include "model/model.h"
#include "emit/writer.h"
#include "rebalance/errors.h"
#include "testutil.h"

/* ---------------------------------------------------------------- sinks */

static rb__mem g_mem;
static tu_sink g_sink;

static rb__writer *wopen(rb_format f)
{
	rb__mem_default(&g_mem);
	free(g_sink.data);
	memset(&g_sink, 0, sizeof g_sink);
	rb__writer *w = NULL;
	ck_assert_int_eq(rb__writer_new(&w, &g_mem, f, tu_sink_write, &g_sink), RB_OK);
	ck_assert_ptr_nonnull(w);
	return w;
}

/* Finish, free, and return the output (owned by g_sink until the next wopen). */
static const char *wclose(rb__writer *w)
{
	ck_assert_int_eq(rb__writer_finish(w), RB_OK);
	rb__writer_free(w);
	return g_sink.data ? g_sink.data : "";
}

static char *dupstr(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);
	ck_assert_ptr_nonnull(d);
	return memcpy(d, s, n);
}

/* A malloc'd copy of the output of the IR / a node tree. */
static char *render_ir(const rb__ir *ir, rb_format f)
{
	rb__writer *w = wopen(f);
	ck_assert_int_eq(rb__emit_ir(w, ir), RB_OK);
	return dupstr(wclose(w));
}

static char *render_node(const rb__node *n, rb_format f)
{
	rb__writer *w = wopen(f);
	ck_assert_int_eq(rb__emit_node(w, n), RB_OK);
	return dupstr(wclose(w));
}

/* String equality with the full text of both on failure. */
#define expect_text(got, want) expect_text_(got, want, __FILE__, __LINE__)
static void expect_text_(const char *got, const char *want, const char *file, int line)
{
	if (strcmp(got, want) != 0) {
		fprintf(stderr, "%s:%d: output differs\n--- want\n%s--- got\n%s---\n", file, line, want,
		        got);
		ck_abort_msg("output differs (see stderr)");
	}
}

/* ----------------------------------------------------------- node trees */

static rb__arena g_arena;

static void arena_setup(void)
{
	rb__mem_default(&g_mem);
	rb__arena_init(&g_arena, &g_mem);
	memset(&g_sink, 0, sizeof g_sink);
}

static void arena_teardown(void)
{
	rb__arena_free(&g_arena);
	free(g_sink.data);
	memset(&g_sink, 0, sizeof g_sink);
}

static rb__node *n_new(uint8_t kind)
{
	rb__node *n = rb__arena_calloc(&g_arena, 1, sizeof *n);
	ck_assert_ptr_nonnull(n);
	n->kind = kind;
	return n;
}

static rb__node *n_scalar_n(uint8_t stype, const char *text, size_t len)
{
	rb__node *n = n_new(RB_NODE_SCALAR);
	n->stype = stype;
	n->scalar.text = rb__arena_strndup(&g_arena, text, len);
	n->scalar.len = len;
	return n;
}

static rb__node *n_scalar(uint8_t stype, const char *text)
{
	return n_scalar_n(stype, text, strlen(text));
}

static rb__node *S(const char *s)
{
	return n_scalar(RB_SCALAR_STRING, s);
}
static rb__node *I(const char *s)
{
	return n_scalar(RB_SCALAR_INT, s);
}
static rb__node *F(const char *s)
{
	return n_scalar(RB_SCALAR_FLOAT, s);
}
static rb__node *B(const char *s)
{
	return n_scalar(RB_SCALAR_BOOL, s);
}
static rb__node *Z(void)
{
	return n_scalar(RB_SCALAR_NULL, "null");
}

static rb__node **items_new(size_t count)
{
	rb__node **items = rb__arena_calloc(&g_arena, count ? count : 1, sizeof *items);
	ck_assert_ptr_nonnull(items);
	return items;
}

/* M(count, "key1", node1, "key2", node2, ...) */
static rb__node *M(size_t count, ...)
{
	rb__node *n = n_new(RB_NODE_MAP);
	n->coll.items = items_new(count);
	n->coll.count = count;
	va_list ap;
	va_start(ap, count);
	for (size_t i = 0; i < count; i++) {
		const char *key = va_arg(ap, const char *);
		rb__node *m = va_arg(ap, rb__node *);
		m->parent = n;
		m->key = key;
		m->key_len = strlen(key);
		n->coll.items[i] = m;
	}
	va_end(ap);
	return n;
}

/* Q(count, node1, node2, ...) */
static rb__node *Q(size_t count, ...)
{
	rb__node *n = n_new(RB_NODE_SEQ);
	n->coll.items = items_new(count);
	n->coll.count = count;
	va_list ap;
	va_start(ap, count);
	for (size_t i = 0; i < count; i++) {
		rb__node *m = va_arg(ap, rb__node *);
		m->parent = n;
		m->index = i;
		n->coll.items[i] = m;
	}
	va_end(ap);
	return n;
}

/* ------------------------------------------- test-only readers (round trips) */

/* Growable item list while building a collection. */
typedef struct nb {
	rb__node *node;
	rb__node **items;
	size_t count, cap;
	char *pending_key;
	size_t pending_len;
} nb;

static bool is_dig(char c)
{
	return c >= '0' && c <= '9';
}

/* YAML 1.2 core schema resolution of a plain scalar (load/node.h). */
static uint8_t resolve_plain(const char *s, size_t n)
{
	if (n == 0 || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
	    !strcmp(s, "NULL"))
		return RB_SCALAR_NULL;
	if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE") ||
	    !strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE"))
		return RB_SCALAR_BOOL;
	size_t i = 0;
	if (s[i] == '+' || s[i] == '-')
		i++;
	size_t k = i;
	while (i < n && is_dig(s[i]))
		i++;
	if (i == n && i > k)
		return RB_SCALAR_INT;
	if (n > 2 && s[0] == '0' && (s[1] == 'o' || s[1] == 'x')) {
		size_t j = 2;
		while (j < n && (is_dig(s[j]) || (s[1] == 'x' && strchr("abcdefABCDEF", s[j]))))
			j++;
		if (j == n)
			return RB_SCALAR_INT;
	}
	const char *r = s + k;
	if (!strcmp(r, ".inf") || !strcmp(r, ".Inf") || !strcmp(r, ".INF") ||
	    !strcmp(s, ".nan") || !strcmp(s, ".NaN") || !strcmp(s, ".NAN"))
		return RB_SCALAR_FLOAT;
	i = k;
	size_t d = 0;
	while (i < n && is_dig(s[i]))
		i++, d++;
	if (i < n && s[i] == '.') {
		i++;
		while (i < n && is_dig(s[i]))
			i++, d++;
	}
	if (d == 0)
		return RB_SCALAR_STRING;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		size_t e = i;
		while (i < n && is_dig(s[i]))
			i++;
		if (i == e)
			return RB_SCALAR_STRING;
	}
	return i == n ? RB_SCALAR_FLOAT : RB_SCALAR_STRING;
}

static void nb_add(nb *b, rb__node *m)
{
	if (b->count == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 8;
		rb__node **items = items_new(cap);
		if (b->count)
			memcpy(items, b->items, b->count * sizeof *items);
		b->items = items;
		b->cap = cap;
	}
	m->parent = b->node;
	m->index = b->count;
	b->items[b->count++] = m;
}

/* Parse one YAML document into nodes (quoted scalars are strings, plain ones resolved). */
static rb__node *yaml_to_node(const char *text)
{
	yaml_parser_t p;
	ck_assert(yaml_parser_initialize(&p));
	yaml_parser_set_input_string(&p, (const unsigned char *)text, strlen(text));
	nb stack[64];
	size_t depth = 0;
	rb__node *root = NULL;
	for (;;) {
		yaml_event_t ev;
		ck_assert_msg(yaml_parser_parse(&p, &ev), "re-reading YAML: %s", p.problem);
		yaml_event_type_t t = ev.type;
		rb__node *done = NULL;
		nb *top = depth ? &stack[depth - 1] : NULL;
		if (t == YAML_SCALAR_EVENT) {
			const char *v = (const char *)ev.data.scalar.value;
			size_t len = ev.data.scalar.length;
			if (top && top->node->kind == RB_NODE_MAP && !top->pending_key) {
				top->pending_key = rb__arena_strndup(&g_arena, v, len);
				top->pending_len = len;
			} else {
				uint8_t st = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE
				                 ? resolve_plain(v, len)
				                 : RB_SCALAR_STRING;
				done = n_scalar_n(st, v, len);
			}
		} else if (t == YAML_MAPPING_START_EVENT || t == YAML_SEQUENCE_START_EVENT) {
			ck_assert_uint_lt(depth, 64);
			nb *b = &stack[depth++];
			memset(b, 0, sizeof *b);
			b->node = n_new(t == YAML_MAPPING_START_EVENT ? RB_NODE_MAP : RB_NODE_SEQ);
		} else if (t == YAML_MAPPING_END_EVENT || t == YAML_SEQUENCE_END_EVENT) {
			nb *b = &stack[--depth];
			b->node->coll.items = b->items;
			b->node->coll.count = b->count;
			done = b->node;
		}
		if (done) {
			top = depth ? &stack[depth - 1] : NULL;
			if (!top) {
				root = done;
			} else {
				if (top->node->kind == RB_NODE_MAP) {
					done->key = top->pending_key;
					done->key_len = top->pending_len;
					top->pending_key = NULL;
				}
				nb_add(top, done);
			}
		}
		yaml_event_delete(&ev);
		if (t == YAML_STREAM_END_EVENT)
			break;
	}
	yaml_parser_delete(&p);
	ck_assert_ptr_nonnull(root);
	return root;
}

static rb__node *cjson_to_node(const cJSON *j)
{
	if (cJSON_IsObject(j) || cJSON_IsArray(j)) {
		nb b;
		memset(&b, 0, sizeof b);
		b.node = n_new(cJSON_IsObject(j) ? RB_NODE_MAP : RB_NODE_SEQ);
		for (const cJSON *c = j->child; c; c = c->next) {
			rb__node *m = cjson_to_node(c);
			if (cJSON_IsObject(j)) {
				m->key = rb__arena_strdup(&g_arena, c->string);
				m->key_len = strlen(c->string);
			}
			nb_add(&b, m);
		}
		b.node->coll.items = b.items;
		b.node->coll.count = b.count;
		return b.node;
	}
	if (cJSON_IsString(j))
		return S(j->valuestring);
	if (cJSON_IsBool(j))
		return B(cJSON_IsTrue(j) ? "true" : "false");
	if (cJSON_IsNull(j))
		return Z();
	ck_assert(cJSON_IsNumber(j));
	double v = j->valuedouble;
	ck_assert_msg(v == (double)(int64_t)v && v < 9007199254740992.0 && v > -9007199254740992.0,
	              "test reader: only exact integers");
	char tmp[32];
	snprintf(tmp, sizeof tmp, "%lld", (long long)v);
	return I(tmp);
}

static rb__node *json_to_node(const char *text)
{
	const char *end = NULL;
	cJSON *j = cJSON_ParseWithOpts(text, &end, 1);
	ck_assert_msg(j != NULL, "re-reading JSON failed near: %.40s", end ? end : "?");
	rb__node *n = cjson_to_node(j);
	cJSON_Delete(j);
	return n;
}

/* Re-read both outputs of an IR and write them again: every combination gives the same bytes. */
static void check_roundtrip(const char *yaml, const char *json)
{
	rb__node *ny = yaml_to_node(yaml);
	rb__node *nj = json_to_node(json);
	char *yy = render_node(ny, RB_FORMAT_YAML), *yj = render_node(ny, RB_FORMAT_JSON);
	char *jy = render_node(nj, RB_FORMAT_YAML), *jj = render_node(nj, RB_FORMAT_JSON);
	expect_text(yy, yaml);
	expect_text(yj, json);
	expect_text(jy, yaml);
	expect_text(jj, json);
	free(yy);
	free(yj);
	free(jy);
	free(jj);
}

/* ---------------------------------------------------------- IR samples */

static const rb__ir_endpoint eps_full[] = {
	{.host = "7.7.7.7", .port = 8080, .zone = "zone-a", .draining = true,
	 .hostname = "pod-1.example.com", .path = "/var/run/sock"},
	{.host = "::1", .port = 0},
	{.host = "", .port = 9090, .zone = ""},
	{.host = "8.8.8.8", .port = 443},
};

static const rb__ir_prefer_local prefer = {.min_endpoints_threshold = 3,
                                           .min_endpoints_in_zone_threshold = 2};

static const rb__ir_metadata meta_flat = {.kind = "Service", .name = "service-1",
                                          .namespace_ = "default", .section_name = "8080"};

static const rb__ir_setting settings_full[] = {
	{
		.name = "httproute/default/httproute-1/rule/0/backend/0",
		.weight = 80,
		.has_priority = true,
		.priority = 1,
		.protocol = RB_IR_PROTOCOL_HTTP,
		.force_http1 = true,
		.address_type = RB_IR_ADDRESS_IP,
		.ip_family = RB_IR_IP_FAMILY_DUAL_STACK,
		.endpoints = eps_full,
		.endpoint_count = 4,
		.prefer_local = &prefer,
		.metadata = &meta_flat,
		.invalid = true,
		.dynamic_resolver = true,
		.custom_backend = true,
		.all_draining = true,
	},
	{
		.name = "httproute/default/httproute-1/rule/0/backend/1",
		.weight = 0,
	},
};

static const rb__ir_excluded excluded[] = {
	{.name = "httproute/default/httproute-1/rule/0/backend/2", .weight = 10,
	 .reason = "NoReadyEndpoints"},
	{.name = "httproute/default/httproute-1/rule/0/backend/3", .weight = 5,
	 .reason = "AllEndpointsDraining"},
};


static const rb__ir_listener_ref listeners_full[] = {
	{.name = "http", .port = 80},
	{.name = "alt", .port = 8080, .listener_set = "shop/extra"},
};

static const rb__ir_knob knobs_full[2] = {{.on = true, .policy = "default/btp", .scope = "route"},
                                          {.on = false}};

static const rb__ir_destination dests_full[] = {
	{
		.gateway_namespace = "envoy-gateway",
		.gateway_name = "gateway-1",
		.listeners = listeners_full,
		.listener_count = 2,
		.key = "envoy-gateway/gateway-1/httproute/default/httproute-1/rule/0",
		.knobs = knobs_full,
		.name = "httproute/default/httproute-1/rule/0",
		.route_kind = "HTTPRoute",
		.route_namespace = "default",
		.route_name = "httproute-1",
		.rule = 0,
		.settings = settings_full,
		.setting_count = 2,
		.excluded = excluded,
		.excluded_count = 2,
		.weights = {80, 20, 15},
		.direct_response = 503,
	},
	{
		.gateway_namespace = "envoy-gateway",
		.gateway_name = "gateway-1",
		.key = "envoy-gateway/gateway-1/tcproute/ns/tcp-1",
		.name = "tcproute/ns/tcp-1",
		.route_kind = "TCPRoute",
		.route_namespace = "",
		.route_name = "tcp-1",
		.rule = -1,
		.weights = {0, 0, 0},
	},
};

static const rb__ir_condition conds[] = {
	{.type = "Accepted", .status = "True", .reason = "Accepted", .message = "Route is accepted"},
	{.type = "ResolvedRefs", .status = "False", .reason = "BackendNotFound",
	 .message = "Failed to process route rule 0 backendRef 0: service default/svc not found.\n"
	            "Second line\twith a tab, \"quotes\" and ünïcödé ✓"},
};

static const rb__parent_ref parent_full = {
	.group = "gateway.networking.k8s.io", .kind = "Gateway", .namespace_ = "envoy-gateway",
	.name = "gateway-1", .section_name = "8080", .has_port = true, .port = 8443};
static const rb__parent_ref parent_none = {0};
static const rb__parent_ref parent_quote = {.section_name = "443"};

static const rb__ir_route_status statuses_full[] = {
	{
		.kind = "HTTPRoute",
		.namespace_ = "default",
		.name = "httproute-1",
		.parent = &parent_full,
		.conditions = conds,
		.condition_count = 2,
	},
	{
		.kind = "TCPRoute",
		.namespace_ = "",
		.name = "tcp-1",
		.parent = &parent_none,
		.conditions = NULL,
		.condition_count = 0,
	},
};

static const rb__ir ir_full = {dests_full, 2, statuses_full, 2};

static const char ir_full_yaml[] =
	"destinations:\n"
	"- name: httproute/default/httproute-1/rule/0\n"
	"  route: {kind: HTTPRoute, namespace: default, name: httproute-1, rule: 0}\n"
	"  gateway: {namespace: envoy-gateway, name: gateway-1}\n"
	"  listeners:\n"
	"  - {name: http, port: 80}\n"
	"  - {name: alt, port: 8080, listenerSet: shop/extra}\n"
	"  key: envoy-gateway/gateway-1/httproute/default/httproute-1/rule/0\n"
	"  knobs:\n"
	"    rebalanceOnNoEndpoints: {value: true, policy: default/btp, scope: route}\n"
	"    rebalanceOnNoReadyEndpoints: {value: false}\n"
	"  settings:\n"
	"  - name: httproute/default/httproute-1/rule/0/backend/0\n"
	"    weight: 80\n"
	"    priority: 1\n"
	"    protocol: HTTP\n"
	"    forceHTTP1Upstream: true\n"
	"    addressType: IP\n"
	"    ipFamily: DualStack\n"
	"    endpoints:\n"
	"    - {host: 7.7.7.7, port: 8080, zone: zone-a, draining: true, hostname: pod-1.example.com, path: /var/run/sock}\n"
	"    - {host: \"::1\", port: 0}\n"
	"    - {host: \"\", port: 9090, zone: \"\"}\n"
	"    - {host: 8.8.8.8, port: 443}\n"
	"    preferLocal: {minEndpointsThreshold: 3, force: {minEndpointsInZoneThreshold: 2}}\n"
	"    metadata: {kind: Service, name: service-1, namespace: default, sectionName: \"8080\"}\n"
	"    invalid: true\n"
	"    isDynamicResolver: true\n"
	"    isCustomBackend: true\n"
	"  - name: httproute/default/httproute-1/rule/0/backend/1\n"
	"    weight: 0\n"
	"  excluded:\n"
	"  - {name: httproute/default/httproute-1/rule/0/backend/2, weight: 10, reason: NoReadyEndpoints}\n"
	"  - {name: httproute/default/httproute-1/rule/0/backend/3, weight: 5, reason: AllEndpointsDraining}\n"
	"  backendWeights: {valid: 80, invalid: 20, noEndpoints: 15}\n"
	"  directResponse: {statusCode: 503}\n"
	"- name: tcproute/ns/tcp-1\n"
	"  route: {kind: TCPRoute, namespace: \"\", name: tcp-1, rule: -1}\n"
	"  gateway: {namespace: envoy-gateway, name: gateway-1}\n"
	"  key: envoy-gateway/gateway-1/tcproute/ns/tcp-1\n"
	"  backendWeights: {valid: 0, invalid: 0, noEndpoints: 0}\n"
	"routeStatuses:\n"
	"- kind: HTTPRoute\n"
	"  namespace: default\n"
	"  name: httproute-1\n"
	"  parentRef: {group: gateway.networking.k8s.io, kind: Gateway, namespace: envoy-gateway, name: gateway-1, sectionName: \"8080\", port: 8443}\n"
	"  conditions:\n"
	"  - {type: Accepted, status: \"True\", reason: Accepted, message: Route is accepted}\n"
	"  - {type: ResolvedRefs, status: \"False\", reason: BackendNotFound, message: \"Failed to process route rule 0 backendRef 0: service default/svc not found.\\nSecond line\\twith a tab, \\\"quotes\\\" and ünïcödé ✓\"}\n"
	"- kind: TCPRoute\n"
	"  namespace: \"\"\n"
	"  name: tcp-1\n"
	"  parentRef: {}\n"
	"  conditions: []\n";

static const char ir_full_json[] =
	"{\n"
	"  \"destinations\": [\n"
	"    {\n"
	"      \"name\": \"httproute/default/httproute-1/rule/0\",\n"
	"      \"route\": {\"kind\": \"HTTPRoute\", \"namespace\": \"default\", \"name\": \"httproute-1\", \"rule\": 0},\n"
	"      \"gateway\": {\"namespace\": \"envoy-gateway\", \"name\": \"gateway-1\"},\n"
	"      \"listeners\": [\n"
	"        {\"name\": \"http\", \"port\": 80},\n"
	"        {\"name\": \"alt\", \"port\": 8080, \"listenerSet\": \"shop/extra\"}\n"
	"      ],\n"
	"      \"key\": \"envoy-gateway/gateway-1/httproute/default/httproute-1/rule/0\",\n"
	"      \"knobs\": {\n"
	"        \"rebalanceOnNoEndpoints\": {\"value\": true, \"policy\": \"default/btp\", \"scope\": \"route\"},\n"
	"        \"rebalanceOnNoReadyEndpoints\": {\"value\": false}\n"
	"      },\n"
	"      \"settings\": [\n"
	"        {\n"
	"          \"name\": \"httproute/default/httproute-1/rule/0/backend/0\",\n"
	"          \"weight\": 80,\n"
	"          \"priority\": 1,\n"
	"          \"protocol\": \"HTTP\",\n"
	"          \"forceHTTP1Upstream\": true,\n"
	"          \"addressType\": \"IP\",\n"
	"          \"ipFamily\": \"DualStack\",\n"
	"          \"endpoints\": [\n"
	"            {\"host\": \"7.7.7.7\", \"port\": 8080, \"zone\": \"zone-a\", \"draining\": true, \"hostname\": \"pod-1.example.com\", \"path\": \"/var/run/sock\"},\n"
	"            {\"host\": \"::1\", \"port\": 0},\n"
	"            {\"host\": \"\", \"port\": 9090, \"zone\": \"\"},\n"
	"            {\"host\": \"8.8.8.8\", \"port\": 443}\n"
	"          ],\n"
	"          \"preferLocal\": {\"minEndpointsThreshold\": 3, \"force\": {\"minEndpointsInZoneThreshold\": 2}},\n"
	"          \"metadata\": {\"kind\": \"Service\", \"name\": \"service-1\", \"namespace\": \"default\", \"sectionName\": \"8080\"},\n"
	"          \"invalid\": true,\n"
	"          \"isDynamicResolver\": true,\n"
	"          \"isCustomBackend\": true\n"
	"        },\n"
	"        {\n"
	"          \"name\": \"httproute/default/httproute-1/rule/0/backend/1\",\n"
	"          \"weight\": 0\n"
	"        }\n"
	"      ],\n"
	"      \"excluded\": [\n"
	"        {\"name\": \"httproute/default/httproute-1/rule/0/backend/2\", \"weight\": 10, \"reason\": \"NoReadyEndpoints\"},\n"
	"        {\"name\": \"httproute/default/httproute-1/rule/0/backend/3\", \"weight\": 5, \"reason\": \"AllEndpointsDraining\"}\n"
	"      ],\n"
	"      \"backendWeights\": {\"valid\": 80, \"invalid\": 20, \"noEndpoints\": 15},\n"
	"      \"directResponse\": {\"statusCode\": 503}\n"
	"    },\n"
	"    {\n"
	"      \"name\": \"tcproute/ns/tcp-1\",\n"
	"      \"route\": {\"kind\": \"TCPRoute\", \"namespace\": \"\", \"name\": \"tcp-1\", \"rule\": -1},\n"
	"      \"gateway\": {\"namespace\": \"envoy-gateway\", \"name\": \"gateway-1\"},\n"
	"      \"key\": \"envoy-gateway/gateway-1/tcproute/ns/tcp-1\",\n"
	"      \"backendWeights\": {\"valid\": 0, \"invalid\": 0, \"noEndpoints\": 0}\n"
	"    }\n"
	"  ],\n"
	"  \"routeStatuses\": [\n"
	"    {\n"
	"      \"kind\": \"HTTPRoute\",\n"
	"      \"namespace\": \"default\",\n"
	"      \"name\": \"httproute-1\",\n"
	"      \"parentRef\": {\"group\": \"gateway.networking.k8s.io\", \"kind\": \"Gateway\", \"namespace\": \"envoy-gateway\", \"name\": \"gateway-1\", \"sectionName\": \"8080\", \"port\": 8443},\n"
	"      \"conditions\": [\n"
	"        {\"type\": \"Accepted\", \"status\": \"True\", \"reason\": \"Accepted\", \"message\": \"Route is accepted\"},\n"
	"        {\"type\": \"ResolvedRefs\", \"status\": \"False\", \"reason\": \"BackendNotFound\", \"message\": \"Failed to process route rule 0 backendRef 0: service default/svc not found.\\nSecond line\\twith a tab, \\\"quotes\\\" and ünïcödé ✓\"}\n"
	"      ]\n"
	"    },\n"
	"    {\n"
	"      \"kind\": \"TCPRoute\",\n"
	"      \"namespace\": \"\",\n"
	"      \"name\": \"tcp-1\",\n"
	"      \"parentRef\": {},\n"
	"      \"conditions\": []\n"
	"    }\n"
	"  ]\n"
	"}\n";

/* Metadata with annotations: still one flow mapping, annotations inside it. */
static const rb__ir_kv annots[] = {
	{.key = "a", .value = "1"},
	{.key = "owner", .value = "team: blue"},
	{.key = "weight", .value = "true"},
};
static const rb__ir_metadata meta_annot = {.kind = "Backend", .name = "b-1", .namespace_ = "",
                                           .annotations = annots, .annotation_count = 3,
                                           .section_name = "http"};
static const rb__ir_setting settings_annot[] = {
	{.name = "d/backend/0", .weight = 1, .metadata = &meta_annot},
};
static const rb__ir_destination dests_annot[] = {
	{.name = "d", .route_kind = "GRPCRoute", .route_namespace = "n", .route_name = "r",
	 .rule = 2, .settings = settings_annot, .setting_count = 1, .weights = {1, 0, 0},
	 .gateway_namespace = "g", .gateway_name = "gw", .key = "g/gw/d"},
};
static const rb__ir ir_annot = {dests_annot, 1, NULL, 0};

static const char ir_annot_yaml[] =
	"destinations:\n"
	"- name: d\n"
	"  route: {kind: GRPCRoute, namespace: \"n\", name: r, rule: 2}\n"
	"  gateway: {namespace: g, name: gw}\n"
	"  key: g/gw/d\n"
	"  knobs:\n"
	"    rebalanceOnNoEndpoints: {value: false}\n"
	"    rebalanceOnNoReadyEndpoints: {value: false}\n"
	"  settings:\n"
	"  - name: d/backend/0\n"
	"    weight: 1\n"
	"    metadata: {kind: Backend, name: b-1, annotations: [{key: a, value: \"1\"}, {key: owner, value: \"team: blue\"}, {key: weight, value: \"true\"}], sectionName: http}\n"
	"  backendWeights: {valid: 1, invalid: 0, noEndpoints: 0}\n"
	"routeStatuses: []\n";

static const char ir_annot_json[] =
	"{\n"
	"  \"destinations\": [\n"
	"    {\n"
	"      \"name\": \"d\",\n"
	"      \"route\": {\"kind\": \"GRPCRoute\", \"namespace\": \"n\", \"name\": \"r\", \"rule\": 2},\n"
	"      \"gateway\": {\"namespace\": \"g\", \"name\": \"gw\"},\n"
	"      \"key\": \"g/gw/d\",\n"
	"      \"knobs\": {\n"
	"        \"rebalanceOnNoEndpoints\": {\"value\": false},\n"
	"        \"rebalanceOnNoReadyEndpoints\": {\"value\": false}\n"
	"      },\n"
	"      \"settings\": [\n"
	"        {\n"
	"          \"name\": \"d/backend/0\",\n"
	"          \"weight\": 1,\n"
	"          \"metadata\": {\"kind\": \"Backend\", \"name\": \"b-1\", \"annotations\": [{\"key\": \"a\", \"value\": \"1\"}, {\"key\": \"owner\", \"value\": \"team: blue\"}, {\"key\": \"weight\", \"value\": \"true\"}], \"sectionName\": \"http\"}\n"
	"        }\n"
	"      ],\n"
	"      \"backendWeights\": {\"valid\": 1, \"invalid\": 0, \"noEndpoints\": 0}\n"
	"    }\n"
	"  ],\n"
	"  \"routeStatuses\": []\n"
	"}\n";

/* Strings of every quoting class, as route and condition fields. */
static const rb__ir_condition conds_quote[] = {
	{.type = "8080", .status = "True", .reason = "null", .message = ""},
	{.type = "1e3", .status = "0x1F", .reason = "yes", .message = "*"},
	{.type = "2001-12-14", .status = "- a", .reason = "a: b", .message = "~"},
	{.type = "::1", .status = "a #b", .reason = " lead", .message = "trail "},
	{.type = "[x]", .status = "{y}", .reason = "a,b", .message = "what?"},
	{.type = "'q'", .status = "\"q\"", .reason = "%x", .message = "@x"},
	{.type = "`x`", .status = "!x", .reason = "&x", .message = "|x"},
	{.type = ">x", .status = "...", .reason = "---", .message = "<<"},
	{.type = ".inf", .status = "0o17", .reason = "0b101", .message = "1_000"},
	{.type = "07", .status = "+1", .reason = "-1.5", .message = ".5"},
	{.type = "Off", .status = "Y", .reason = "NULL", .message = "="},
	{.type = "\xf0\x9f\x98\x80", .status = "\xc2\xa0x", .reason = "x\xe2\x80\xa8y", .message = "\x7f"},
	{.type = "7.7.7.7", .status = "1.2.3", .reason = "a#b", .message = "it's \"fine\""},
};
static const rb__ir_route_status statuses_quote[] = {
	{.kind = "K", .namespace_ = "true", .name = "n", .parent = &parent_quote,
	 .conditions = conds_quote, .condition_count = sizeof conds_quote / sizeof conds_quote[0]},
};
static const rb__ir ir_quote = {NULL, 0, statuses_quote, 1};

static const char ir_quote_yaml[] =
	"destinations: []\n"
	"routeStatuses:\n"
	"- kind: K\n"
	"  namespace: \"true\"\n"
	"  name: \"n\"\n"
	"  parentRef: {sectionName: \"443\"}\n"
	"  conditions:\n"
	"  - {type: \"8080\", status: \"True\", reason: \"null\", message: \"\"}\n"
	"  - {type: \"1e3\", status: \"0x1F\", reason: \"yes\", message: \"*\"}\n"
	"  - {type: \"2001-12-14\", status: \"- a\", reason: \"a: b\", message: \"~\"}\n"
	"  - {type: \"::1\", status: \"a #b\", reason: \" lead\", message: \"trail \"}\n"
	"  - {type: \"[x]\", status: \"{y}\", reason: \"a,b\", message: \"what?\"}\n"
	"  - {type: \"'q'\", status: \"\\\"q\\\"\", reason: \"%x\", message: \"@x\"}\n"
	"  - {type: \"`x`\", status: \"!x\", reason: \"&x\", message: \"|x\"}\n"
	"  - {type: \">x\", status: \"...\", reason: \"---\", message: \"<<\"}\n"
	"  - {type: \".inf\", status: \"0o17\", reason: \"0b101\", message: \"1_000\"}\n"
	"  - {type: \"07\", status: \"+1\", reason: \"-1.5\", message: \".5\"}\n"
	"  - {type: \"Off\", status: \"Y\", reason: \"NULL\", message: \"=\"}\n"
	"  - {type: \"\\U0001F600\", status: \"\xc2\xa0x\", reason: \"x\\Ly\", message: \"\\x7F\"}\n"
	"  - {type: 7.7.7.7, status: 1.2.3, reason: a#b, message: it's \"fine\"}\n";

static const rb__ir ir_empty = {NULL, 0, NULL, 0};

/* ---------------------------------------------------------------- tests */

START_TEST(test_ir_yaml_full)
{
	char *y = render_ir(&ir_full, RB_FORMAT_YAML);
	expect_text(y, ir_full_yaml);
	free(y);
}
END_TEST

START_TEST(test_ir_yaml_empty)
{
	char *y = render_ir(&ir_empty, RB_FORMAT_YAML);
	expect_text(y, "destinations: []\nrouteStatuses: []\n");
	free(y);
}
END_TEST

START_TEST(test_ir_yaml_annotations)
{
	char *y = render_ir(&ir_annot, RB_FORMAT_YAML);
	expect_text(y, ir_annot_yaml);
	free(y);
}
END_TEST

START_TEST(test_ir_yaml_quoting)
{
	char *y = render_ir(&ir_quote, RB_FORMAT_YAML);
	expect_text(y, ir_quote_yaml);
	free(y);
}
END_TEST

START_TEST(test_ir_json_full)
{
	char *j = render_ir(&ir_full, RB_FORMAT_JSON);
	expect_text(j, ir_full_json);
	free(j);
}
END_TEST

START_TEST(test_ir_json_empty)
{
	char *j = render_ir(&ir_empty, RB_FORMAT_JSON);
	expect_text(j, "{\n  \"destinations\": [],\n  \"routeStatuses\": []\n}\n");
	free(j);
}
END_TEST

START_TEST(test_ir_json_annotations)
{
	char *j = render_ir(&ir_annot, RB_FORMAT_JSON);
	expect_text(j, ir_annot_json);
	free(j);
}
END_TEST

START_TEST(test_ir_json_valid)
{
	/* Every JSON output parses, and the strings come back unchanged. */
	char *j = render_ir(&ir_quote, RB_FORMAT_JSON);
	cJSON *doc = cJSON_Parse(j);
	ck_assert_ptr_nonnull(doc);
	const cJSON *cs = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "routeStatuses"), 0),
		"conditions");
	ck_assert_int_eq(cJSON_GetArraySize(cs), (int)(sizeof conds_quote / sizeof conds_quote[0]));
	for (int i = 0; i < cJSON_GetArraySize(cs); i++) {
		const cJSON *c = cJSON_GetArrayItem(cs, i);
		ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(c, "type")->valuestring,
		                 conds_quote[i].type);
		ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(c, "status")->valuestring,
		                 conds_quote[i].status);
		ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(c, "reason")->valuestring,
		                 conds_quote[i].reason);
		ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(c, "message")->valuestring,
		                 conds_quote[i].message);
	}
	cJSON_Delete(doc);
	free(j);
}
END_TEST

/* The IR re-read from YAML and from JSON and written with rb__emit_node: same bytes. */
START_TEST(test_node_roundtrip_ir)
{
	const rb__ir *irs[] = {&ir_full, &ir_empty, &ir_annot, &ir_quote};
	for (size_t i = 0; i < sizeof irs / sizeof irs[0]; i++) {
		char *y = render_ir(irs[i], RB_FORMAT_YAML);
		char *j = render_ir(irs[i], RB_FORMAT_JSON);
		check_roundtrip(y, j);
		free(y);
		free(j);
	}
}
END_TEST

/* A hand-built node tree equivalent to ir_annot, plus one equivalent to a small full IR. */
START_TEST(test_node_equals_ir)
{
	rb__node *doc = M(
		2, "destinations",
		Q(1, M(7, "name", S("d"), "route",
		       M(4, "kind", S("GRPCRoute"), "namespace", S("n"), "name", S("r"), "rule", I("2")),
		       "gateway", M(2, "namespace", S("g"), "name", S("gw")), "key", S("g/gw/d"), "knobs", M(2, "rebalanceOnNoEndpoints", M(1, "value", B("false")), "rebalanceOnNoReadyEndpoints", M(1, "value", B("false"))), "settings",
		       Q(1, M(3, "name", S("d/backend/0"), "weight", I("1"), "metadata",
		              M(4, "kind", S("Backend"), "name", S("b-1"), "annotations",
		                Q(3, M(2, "key", S("a"), "value", S("1")),
		                  M(2, "key", S("owner"), "value", S("team: blue")),
		                  M(2, "key", S("weight"), "value", S("true"))),
		                "sectionName", S("http")))),
		       "backendWeights",
		       M(3, "valid", I("1"), "invalid", I("0"), "noEndpoints", I("0")))),
		"routeStatuses", Q(0));
	char *y = render_node(doc, RB_FORMAT_YAML);
	char *j = render_node(doc, RB_FORMAT_JSON);
	expect_text(y, ir_annot_yaml);
	expect_text(j, ir_annot_json);
	free(y);
	free(j);

	/* The second destination and status of ir_full, and every endpoint shape. */
	static const rb__ir_destination d2[] = {
		{.name = "x", .route_kind = "HTTPRoute", .route_namespace = "default",
		 .route_name = "h", .rule = 0, .settings = settings_full, .setting_count = 1,
		 .weights = {80, 0, 0}, .gateway_namespace = "g", .gateway_name = "gw", .key = "g/gw/x"},
		{.name = "tcproute/ns/tcp-1", .route_kind = "TCPRoute", .route_namespace = "",
		 .route_name = "tcp-1", .rule = -1, .gateway_namespace = "g", .gateway_name = "gw",
		 .key = "g/gw/t"},
	};
	static const rb__ir_route_status s2[] = {
		{.kind = "TCPRoute", .namespace_ = "", .name = "tcp-1", .parent = &parent_none,
		 .conditions = conds, .condition_count = 1},
	};
	const rb__ir ir2 = {d2, 2, s2, 1};
	rb__node *doc2 = M(
		2, "destinations",
		Q(2,
		  M(7, "name", S("x"), "route",
		    M(4, "kind", S("HTTPRoute"), "namespace", S("default"), "name", S("h"), "rule",
		      I("0")),
		    "gateway", M(2, "namespace", S("g"), "name", S("gw")), "key", S("g/gw/x"), "knobs", M(2, "rebalanceOnNoEndpoints", M(1, "value", B("false")), "rebalanceOnNoReadyEndpoints", M(1, "value", B("false"))), "settings",
		    Q(1, M(13, "name", S("httproute/default/httproute-1/rule/0/backend/0"), "weight",
		           I("80"), "priority", I("1"), "protocol", S("HTTP"), "forceHTTP1Upstream",
		           B("true"), "addressType", S("IP"), "ipFamily", S("DualStack"), "endpoints",
		           Q(4,
		             M(6, "host", S("7.7.7.7"), "port", I("8080"), "zone", S("zone-a"),
		               "draining", B("True"), "hostname", S("pod-1.example.com"), "path",
		               S("/var/run/sock")),
		             M(2, "host", S("::1"), "port", I("0")),
		             M(3, "host", S(""), "port", I("9090"), "zone", S("")),
		             M(2, "host", S("8.8.8.8"), "port", I("443"))),
		           "preferLocal",
		           M(2, "minEndpointsThreshold", I("3"), "force",
		             M(1, "minEndpointsInZoneThreshold", I("2"))),
		           "metadata",
		           M(4, "kind", S("Service"), "name", S("service-1"), "namespace",
		             S("default"), "sectionName", S("8080")),
		           "invalid", B("TRUE"), "isDynamicResolver", B("true"), "isCustomBackend",
		           B("true"))),
		    "backendWeights", M(3, "valid", I("80"), "invalid", I("0"), "noEndpoints", I("0"))),
		  M(5, "name", S("tcproute/ns/tcp-1"), "route",
		    M(4, "kind", S("TCPRoute"), "namespace", S(""), "name", S("tcp-1"), "rule",
		      I("-1")),
		    "gateway", M(2, "namespace", S("g"), "name", S("gw")), "key", S("g/gw/t"), "backendWeights",
		    M(3, "valid", I("0"), "invalid", I("0"), "noEndpoints", I("0")))),
		"routeStatuses",
		Q(1, M(5, "kind", S("TCPRoute"), "namespace", S(""), "name", S("tcp-1"), "parentRef",
		       M(0), "conditions",
		       Q(1, M(4, "type", S("Accepted"), "status", S("True"), "reason", S("Accepted"),
		              "message", S("Route is accepted"))))));
	for (int f = RB_FORMAT_YAML; f <= RB_FORMAT_JSON; f++) {
		char *a = render_ir(&ir2, (rb_format)f);
		char *b = render_node(doc2, (rb_format)f);
		expect_text(b, a);
		free(a);
		free(b);
	}
}
END_TEST

/* Scalar types of node trees. */
START_TEST(test_node_scalars)
{
	rb__node *doc = M(14, "s", S("8080"), "i", I("8080"), "neg", I("-12"), "plus", I("+7"),
	                  "zeros", I("007"), "hex", I("0x1F"), "oct", I("0o17"), "big",
	                  I("123456789012345678901234567890"), "f", F("1.5"), "inf", F(".inf"),
	                  "e", F("1e3"), "bools", Q(3, B("True"), B("FALSE"), B("false")), "nul",
	                  Z(), "flt", Q(3, F("-.inf"), F(".NaN"), F("-0.5e-3")));
	char *y = render_node(doc, RB_FORMAT_YAML);
	char *j = render_node(doc, RB_FORMAT_JSON);
	expect_text(y, "s: \"8080\"\n"
	               "i: 8080\n"
	               "neg: -12\n"
	               "plus: 7\n"
	               "zeros: 7\n"
	               "hex: 31\n"
	               "oct: 15\n"
	               "big: 123456789012345678901234567890\n"
	               "f: 1.5\n"
	               "inf: .inf\n"
	               "e: 1e3\n"
	               "bools:\n"
	               "- true\n"
	               "- false\n"
	               "- false\n"
	               "nul: null\n"
	               "flt:\n"
	               "- -.inf\n"
	               "- .NaN\n"
	               "- -0.5e-3\n");
	expect_text(j, "{\n"
	               "  \"s\": \"8080\",\n"
	               "  \"i\": 8080,\n"
	               "  \"neg\": -12,\n"
	               "  \"plus\": 7,\n"
	               "  \"zeros\": 7,\n"
	               "  \"hex\": 31,\n"
	               "  \"oct\": 15,\n"
	               "  \"big\": 123456789012345678901234567890,\n"
	               "  \"f\": 1.5,\n"
	               "  \"inf\": \".inf\",\n"
	               "  \"e\": 1e3,\n"
	               "  \"bools\": [\n"
	               "    true,\n"
	               "    false,\n"
	               "    false\n"
	               "  ],\n"
	               "  \"nul\": null,\n"
	               "  \"flt\": [\n"
	               "    \"-.inf\",\n"
	               "    \".NaN\",\n"
	               "    -0.5e-3\n"
	               "  ]\n"
	               "}\n");
	free(y);
	free(j);
}
END_TEST

/* Scalars read from YAML are written with go-yaml v2's values (load/yaml_scalar.h). */
START_TEST(test_node_scalars_from_yaml)
{
	rb__node *octal = I("010"), *under = I("1_000"), *yes = B("yes"), *off = B("Off");
	octal->from_yaml = under->from_yaml = yes->from_yaml = off->from_yaml = 1;
	rb__node *doc = M(4, "octal", octal, "under", under, "yes", yes, "off", off);
	char *j = render_node(doc, RB_FORMAT_JSON);
	expect_text(j, "{\n"
	               "  \"octal\": 8,\n"
	               "  \"under\": 1000,\n"
	               "  \"yes\": true,\n"
	               "  \"off\": false\n"
	               "}\n");
	free(j);
}
END_TEST

/* Layout rule on node trees: nested flow maps, empty collections, sequences of sequences. */
START_TEST(test_node_layout)
{
	rb__node *doc =
		Q(5, M(2, "a", M(1, "b", M(0)), "c", S("d")), M(1, "s", Q(0)),
		  Q(2, S("x"), Q(1, I("1"))), M(0), Q(0));
	char *y = render_node(doc, RB_FORMAT_YAML);
	char *j = render_node(doc, RB_FORMAT_JSON);
	expect_text(y, "- a:\n"
	               "    b: {}\n"
	               "  c: d\n"
	               "- s: []\n"
	               "- - x\n"
	               "  - - 1\n"
	               "- {}\n"
	               "- []\n");
	expect_text(j, "[\n"
	               "  {\n"
	               "    \"a\": {\n"
	               "      \"b\": {}\n"
	               "    },\n"
	               "    \"c\": \"d\"\n"
	               "  },\n"
	               "  {\n"
	               "    \"s\": []\n"
	               "  },\n"
	               "  [\n"
	               "    \"x\",\n"
	               "    [\n"
	               "      1\n"
	               "    ]\n"
	               "  ],\n"
	               "  {},\n"
	               "  []\n"
	               "]\n");
	check_roundtrip(y, j);
	free(y);
	free(j);

	/* Keys that need quoting; flow by key: the value of route, the items of endpoints. */
	rb__node *k = M(4, "8080", S("v"), "a: b", I("1"), "route",
	                M(2, "kind", S("x"), "n", Q(1, S("y"))), "endpoints",
	                Q(2, M(1, "host", S("h")), M(1, "deep", M(1, "z", Q(0)))));
	y = render_node(k, RB_FORMAT_YAML);
	j = render_node(k, RB_FORMAT_JSON);
	expect_text(y, "\"8080\": v\n"
	               "\"a: b\": 1\n"
	               "route: {kind: x, \"n\": [\"y\"]}\n"
	               "endpoints:\n"
	               "- {host: h}\n"
	               "- {deep: {z: []}}\n");
	expect_text(j, "{\n"
	               "  \"8080\": \"v\",\n"
	               "  \"a: b\": 1,\n"
	               "  \"route\": {\"kind\": \"x\", \"n\": [\"y\"]},\n"
	               "  \"endpoints\": [\n"
	               "    {\"host\": \"h\"},\n"
	               "    {\"deep\": {\"z\": []}}\n"
	               "  ]\n"
	               "}\n");
	check_roundtrip(y, j);
	free(y);
	free(j);
	y = render_node(S("root"), RB_FORMAT_YAML);
	expect_text(y, "root\n");
	free(y);
	j = render_node(S("root"), RB_FORMAT_JSON);
	expect_text(j, "\"root\"\n");
	free(j);
}
END_TEST

/* ----------------------------------------------------------- yaml_scalars */

typedef struct qcase {
	const char *s;
	bool plain;
} qcase;

static const qcase qcases[] = {
	/* plain */
	{"default", true},
	{"HTTP", true},
	{"7.7.7.7", true},
	{"1.2.3", true},
	{"10.0.0.1", true},
	{"httproute/default/httproute-1/rule/0", true},
	{"Route is accepted", true},
	{"gateway.envoyproxy.io/foo", true},
	{"pod-1.example.com", true},
	{"/var/run/sock", true},
	{"a#b", true},
	{"a-b", true},
	{"a'b", true},
	{"it's \"fine\"", true},
	{"a!b&c*d|e>f%g@h`i", true},
	{"ünïcödé", true},
	{"日本語", true},
	{"✓", true},
	{"x\xc2\xa0y", true}, /* inner no-break space */
	{"e3", true},
	{"1e", true},
	{"1.2e", true},
	{"0x", true},
	{"0xZZ", true},
	{"+", true},
	{".", true},
	{".foo", true},
	{"..", true},
	{"inf", true},
	{"NaN", true},
	{"nulls", true},
	{"yess", true},
	{"True1", true},
	{"Trueish", true},
	{"o", true},
	{"x", true},
	{"2001-1", true},
	{"2001-12", true},
	{"20011214", false},
	{"a=b", true},
	{"<", true},
	{"<<<", true},
	{"==", true},
	{"_foo", true},
	{"1a", true},
	{"v1.2.3", true},
	{"a\\b", true},
	{"a b  c", true},
	{"a~", true},
	{"x-", true},
	{"a#", true},
	/* empty, null-like */
	{"", false},
	{"~", false},
	{"null", false},
	{"Null", false},
	{"NULL", false},
	{"nUlL", false},
	/* bool-like (YAML 1.1 and 1.2) */
	{"y", false},
	{"Y", false},
	{"yes", false},
	{"Yes", false},
	{"YES", false},
	{"n", false},
	{"N", false},
	{"no", false},
	{"No", false},
	{"NO", false},
	{"true", false},
	{"True", false},
	{"TRUE", false},
	{"false", false},
	{"False", false},
	{"FALSE", false},
	{"on", false},
	{"On", false},
	{"ON", false},
	{"off", false},
	{"Off", false},
	{"OFF", false},
	/* int-like */
	{"0", false},
	{"8080", false},
	{"443", false},
	{"+1", false},
	{"-1", false},
	{"007", false},
	{"0777", false},
	{"0x1F", false},
	{"0X1f", false},
	{"0o17", false},
	{"0b1010", false},
	{"+0x1F", false},
	{"1_000", false},
	{"1__", false},
	{"_", false},
	{"190:20:30", false},
	{"123456789012345678901234567890", false},
	/* float-like */
	{"1.5", false},
	{"1.", false},
	{".5", false},
	{"-.5", false},
	{"+.5", false},
	{"1e3", false},
	{"1E3", false},
	{"1e+3", false},
	{"1.5e-3", false},
	{"6.8523015e+5", false},
	{"685.230_15e+03", false},
	{"._", false},
	{"190:20:30.15", false},
	{".inf", false},
	{".Inf", false},
	{".INF", false},
	{"+.inf", false},
	{"-.inf", false},
	{".nan", false},
	{".NaN", false},
	{".NAN", false},
	/* timestamp-like */
	{"2001-12-14", false},
	{"2001-1-1", false},
	{"2001-12-14t21:59:43.10-05:00", false},
	{"2001-12-14 21:59:43.10 -5", false},
	{"2002-12-14x", false},
	/* merge and value keys */
	{"<<", false},
	{"=", false},
	/* leading indicators */
	{"-", false},
	{"- a", false},
	{"-a", false},
	{"--", false},
	{"---", false},
	{"?", false},
	{"? a", false},
	{"?a", false},
	{":", false},
	{":a", false},
	{"::1", false},
	{",a", false},
	{"[a", false},
	{"]a", false},
	{"{a", false},
	{"}a", false},
	{"#a", false},
	{"&a", false},
	{"*", false},
	{"*a", false},
	{"!a", false},
	{"|a", false},
	{">a", false},
	{"'a'", false},
	{"\"a\"", false},
	{"%a", false},
	{"@a", false},
	{"`a`", false},
	{"...", false},
	{"...x", false},
	/* inside */
	{"a: b", false},
	{"a:b", false},
	{"a:", false},
	{"fe80::1", false},
	{"http://x", false},
	{"a #b", false},
	{"a,b", false},
	{"a[b", false},
	{"a]b", false},
	{"a{b", false},
	{"a}b", false},
	{"a?b", false},
	{"what?", false},
	/* whitespace */
	{" a", false},
	{"a ", false},
	{" ", false},
	{"\xc2\xa0x", false},
	{"x\xc2\xa0", false},
	{"a\tb", false},
	{"\t", false},
	{"a\nb", false},
	{"a\rb", false},
	{"a\n", false},
	/* control and special characters */
	{"a\x01", false},
	{"a\x1f", false},
	{"a\x7f", false},
	{"a\xc2\x85", false},          /* NEL */
	{"a\xc2\x80", false},          /* C1 */
	{"a\xe2\x80\xa8", false},      /* LS */
	{"a\xe2\x80\xa9", false},      /* PS */
	{"\xef\xbb\xbf" "a", false},   /* BOM */
	{"a\xef\xbf\xbe", false},      /* U+FFFE */
	{"a\xef\xbf\xbf", false},      /* U+FFFF */
	{"\xf0\x9f\x98\x80", false},   /* outside the BMP */
};

/* Not valid UTF-8: never plain, and refused by the writer (RB_EINVAL). */
static const char *const bad_utf8[] = {
	"a\xff", "a\xc0\xaf", "\xc1\xbf", "\xe0\x80\xaf", "\xed\xa0\x80", "a\xe2\x80",
	"\xf4\x90\x80\x80", "\xf0\x80\x80\xaf", "\x80", "\xf5\x80\x80\x80", "\xc3\x28",
};

START_TEST(test_plain_table)
{
	for (size_t i = 0; i < sizeof qcases / sizeof qcases[0]; i++) {
		const qcase *c = &qcases[i];
		ck_assert_msg(rb__yaml_plain_ok(c->s, strlen(c->s)) == c->plain,
		              "rb__yaml_plain_ok(\"%s\") should be %s", c->s,
		              c->plain ? "true" : "false");
	}
	ck_assert(!rb__yaml_plain_ok(NULL, 0));
	ck_assert(!rb__yaml_plain_ok("a\0b", 3));
	for (size_t i = 0; i < sizeof bad_utf8 / sizeof bad_utf8[0]; i++) {
		ck_assert(!rb__yaml_plain_ok(bad_utf8[i], strlen(bad_utf8[i])));
		for (int f = RB_FORMAT_YAML; f <= RB_FORMAT_JSON; f++) {
			rb__writer *w = wopen((rb_format)f);
			ck_assert_int_eq(rb__w_seq_begin(w, false), RB_OK);
			ck_assert_int_eq(rb__w_str(w, bad_utf8[i]), RB_EINVAL);
			rb__writer_free(w);
		}
	}
}
END_TEST

/* Write s as a value in a block mapping and in a flow mapping; return the output. */
static char *yaml_in_contexts(const char *s, size_t n)
{
	rb__writer *w = wopen(RB_FORMAT_YAML);
	ck_assert_int_eq(rb__w_map_begin(w, false), RB_OK);
	ck_assert_int_eq(rb__w_key(w, "k"), RB_OK);
	ck_assert_int_eq(rb__w_strn(w, s, n), RB_OK);
	ck_assert_int_eq(rb__w_key(w, "f"), RB_OK);
	ck_assert_int_eq(rb__w_map_begin(w, true), RB_OK);
	ck_assert_int_eq(rb__w_key(w, "k"), RB_OK);
	ck_assert_int_eq(rb__w_strn(w, s, n), RB_OK);
	ck_assert_int_eq(rb__w_map_end(w), RB_OK);
	ck_assert_int_eq(rb__w_key(w, "s"), RB_OK);
	ck_assert_int_eq(rb__w_seq_begin(w, false), RB_OK);
	ck_assert_int_eq(rb__w_strn(w, s, n), RB_OK);
	ck_assert_int_eq(rb__w_seq_end(w), RB_OK);
	ck_assert_int_eq(rb__w_map_end(w), RB_OK);
	return dupstr(wclose(w));
}

/* Re-read the output of yaml_in_contexts: the three values are s, with the expected style. */
static void check_contexts(const char *s, size_t n, bool plain)
{
	char *out = yaml_in_contexts(s, n);
	if (plain) {
		/* libyaml kept the plain style in block and flow context. */
		char want[512];
		ck_assert_uint_lt(3 * n + 32, sizeof want);
		snprintf(want, sizeof want, "k: %s\nf: {k: %s}\ns:\n- %s\n", s, s, s);
		expect_text(out, want);
	}
	yaml_parser_t p;
	ck_assert(yaml_parser_initialize(&p));
	yaml_parser_set_input_string(&p, (const unsigned char *)out, strlen(out));
	int values = 0, scalars = 0;
	for (;;) {
		yaml_event_t ev;
		ck_assert_msg(yaml_parser_parse(&p, &ev), "re-reading failed: %s\n%s", p.problem, out);
		yaml_event_type_t t = ev.type;
		if (t == YAML_SCALAR_EVENT) {
			scalars++;
			/* the values are scalars 2 and 5 (after "k") and 7 (after "s") */
			if (scalars == 2 || scalars == 5 || scalars == 7) {
				values++;
				ck_assert_uint_eq(ev.data.scalar.length, n);
				ck_assert_msg(memcmp(ev.data.scalar.value, s, n) == 0, "value changed: %s",
				              out);
				ck_assert_int_eq(ev.data.scalar.style, plain ? YAML_PLAIN_SCALAR_STYLE
				                                             : YAML_DOUBLE_QUOTED_SCALAR_STYLE);
			}
		}
		yaml_event_delete(&ev);
		if (t == YAML_STREAM_END_EVENT)
			break;
	}
	yaml_parser_delete(&p);
	ck_assert_int_eq(values, 3);
	free(out);
}

START_TEST(test_plain_libyaml)
{
	for (size_t i = 0; i < sizeof qcases / sizeof qcases[0]; i++) {
		const qcase *c = &qcases[i];
		check_contexts(c->s, strlen(c->s), c->plain);
	}
}
END_TEST

/* Random strings over an alphabet of troublemakers: plain ones stay plain in every context. */
START_TEST(test_plain_random)
{
	static const char *const alpha[] = {"a", "e", "x", "y", "0", "1", "7", ".", "-", "+", ":",
	                                    "?", "#", ",", "[", "}", "'", "\"", "\\", "/", "_", "~",
	                                    "!", "&", "*", "|", ">", "%", "@", "`", " ", "\t", "\n",
	                                    "é", "\xc2\xa0", "\xf0\x9f\x98\x80", "<", "=", "N", "o"};
	const size_t na = sizeof alpha / sizeof alpha[0];
	uint64_t seed = 0x9E3779B97F4A7C15u;
	for (int it = 0; it < 3000; it++) {
		char buf[64];
		size_t n = 0;
		seed ^= seed << 13;
		seed ^= seed >> 7;
		seed ^= seed << 17;
		size_t len = 1 + (size_t)(seed % 6);
		for (size_t k = 0; k < len; k++) {
			seed ^= seed << 13;
			seed ^= seed >> 7;
			seed ^= seed << 17;
			const char *a = alpha[seed % na];
			memcpy(buf + n, a, strlen(a));
			n += strlen(a);
		}
		buf[n] = '\0';
		check_contexts(buf, n, rb__yaml_plain_ok(buf, n));
	}
}
END_TEST

START_TEST(test_yaml_escapes)
{
	static const char s[] = "q\" b\\ n\n t\t r\r b\b f\f 1\x01 1f\x1f 7f\x7f /é\xf0\x9f\x98\x80 nul";
	rb__writer *w = wopen(RB_FORMAT_YAML);
	ck_assert_int_eq(rb__w_seq_begin(w, false), RB_OK);
	ck_assert_int_eq(rb__w_strn(w, s, sizeof s), RB_OK); /* with the final NUL */
	ck_assert_int_eq(rb__w_str(w, "line one\nline two\n"), RB_OK);
	ck_assert_int_eq(rb__w_seq_end(w), RB_OK);
	const char *out = wclose(w);
	expect_text(out, "- \"q\\\" b\\\\ n\\n t\\t r\\r b\\b f\\f 1\\x01 1f\\x1F 7f\\x7F /é\\U0001F600 "
	                 "nul\\0\"\n"
	                 "- \"line one\\nline two\\n\"\n");
}
END_TEST

START_TEST(test_yaml_long_lines)
{
	char longs[601];
	for (size_t i = 0; i < 600; i++)
		longs[i] = (i % 7 == 6) ? ' ' : (char)('a' + i % 26);
	longs[600] = '\0';
	ck_assert(rb__yaml_plain_ok(longs, 600));
	rb__writer *w = wopen(RB_FORMAT_YAML);
	ck_assert_int_eq(rb__w_map_begin(w, false), RB_OK);
	ck_assert_int_eq(rb__w_key(w, "plain"), RB_OK);
	ck_assert_int_eq(rb__w_str(w, longs), RB_OK);
	ck_assert_int_eq(rb__w_key(w, "quoted"), RB_OK);
	longs[0] = '*';
	ck_assert_int_eq(rb__w_str(w, longs), RB_OK);
	ck_assert_int_eq(rb__w_key(w, "flow"), RB_OK);
	ck_assert_int_eq(rb__w_map_begin(w, true), RB_OK);
	for (int i = 0; i < 40; i++) {
		ck_assert_int_eq(rb__w_key(w, "key"), RB_OK);
		ck_assert_int_eq(rb__w_str(w, "some value here"), RB_OK);
	}
	ck_assert_int_eq(rb__w_map_end(w), RB_OK);
	ck_assert_int_eq(rb__w_map_end(w), RB_OK);
	const char *out = wclose(w);
	int lines = 0;
	for (const char *p = out; *p; p++)
		lines += *p == '\n';
	ck_assert_int_eq(lines, 3);
}
END_TEST

/* ----------------------------------------------------------- yaml_layout */

/* Drive the same calls on both back ends. */
static void layout_calls(rb__writer *w)
{
	ck_assert_int_eq(rb__w_map_begin(w, false), RB_OK);
	ck_assert_int_eq(rb__w_key(w, "list"), RB_OK);
	ck_assert_int_eq(rb__w_seq_begin(w, false), RB_OK);
	ck_assert_int_eq(rb__w_map_begin(w, true), RB_OK);
	ck_assert_int_eq(rb__w_key(w, "host"), RB_OK);
	ck_assert_int_eq(rb__w_str(w, "7.7.7.7"), RB_OK);
	ck_assert_int_eq(rb__w_key(w, "port"), RB_OK);
	ck_assert_int_eq(rb__w_uint(w, 8080), RB_OK);
	ck_assert_int_eq(rb__w_map_end(w), RB_OK);
	ck_assert_int_eq(rb__w_seq_begin(w, false), RB_OK);
	ck_assert_int_eq(rb__w_int(w, INT64_MIN), RB_OK);
	ck_assert_int_eq(rb__w_uint(w, UINT64_MAX), RB_OK);
	ck_assert_int_eq(rb__w_seq_end(w), RB_OK);
	ck_assert_int_eq(rb__w_map_begin(w, false), RB_OK);
	ck_assert_int_eq(rb__w_key(w, "a"), RB_OK);
	ck_assert_int_eq(rb__w_bool(w, false), RB_OK);
	ck_assert_int_eq(rb__w_key(w, "b"), RB_OK);
	ck_assert_int_eq(rb__w_null(w), RB_OK);
	ck_assert_int_eq(rb__w_map_end(w), RB_OK);
	ck_assert_int_eq(rb__w_seq_end(w), RB_OK);
	ck_assert_int_eq(rb__w_key(w, "flowseq"), RB_OK);
	ck_assert_int_eq(rb__w_seq_begin(w, true), RB_OK);
	ck_assert_int_eq(rb__w_str(w, "x"), RB_OK);
	ck_assert_int_eq(rb__w_map_begin(w, false), RB_OK); /* block inside flow: flow */
	ck_assert_int_eq(rb__w_key(w, "y"), RB_OK);
	ck_assert_int_eq(rb__w_uint(w, 1), RB_OK);
	ck_assert_int_eq(rb__w_map_end(w), RB_OK);
	ck_assert_int_eq(rb__w_seq_end(w), RB_OK);
	ck_assert_int_eq(rb__w_key(w, "emptymap"), RB_OK);
	ck_assert_int_eq(rb__w_map_begin(w, false), RB_OK);
	ck_assert_int_eq(rb__w_map_end(w), RB_OK);
	ck_assert_int_eq(rb__w_key(w, "emptyseq"), RB_OK);
	ck_assert_int_eq(rb__w_seq_begin(w, false), RB_OK);
	ck_assert_int_eq(rb__w_seq_end(w), RB_OK);
	ck_assert_int_eq(rb__w_key(w, "nested"), RB_OK);
	ck_assert_int_eq(rb__w_map_begin(w, false), RB_OK);
	ck_assert_int_eq(rb__w_key(w, "deeper"), RB_OK);
	ck_assert_int_eq(rb__w_map_begin(w, false), RB_OK);
	ck_assert_int_eq(rb__w_key(w, "k"), RB_OK);
	ck_assert_int_eq(rb__w_str(w, "v"), RB_OK);
	ck_assert_int_eq(rb__w_map_end(w), RB_OK);
	ck_assert_int_eq(rb__w_map_end(w), RB_OK);
	ck_assert_int_eq(rb__w_map_end(w), RB_OK);
}

START_TEST(test_yaml_layout)
{
	rb__writer *w = wopen(RB_FORMAT_YAML);
	layout_calls(w);
	expect_text(wclose(w), "list:\n"
	                       "- {host: 7.7.7.7, port: 8080}\n"
	                       "- - -9223372036854775808\n"
	                       "  - 18446744073709551615\n"
	                       "- a: false\n"
	                       "  b: null\n"
	                       "flowseq: [x, {\"y\": 1}]\n"
	                       "emptymap: {}\n"
	                       "emptyseq: []\n"
	                       "nested:\n"
	                       "  deeper:\n"
	                       "    k: v\n");
}
END_TEST

START_TEST(test_yaml_roots)
{
	rb__writer *w = wopen(RB_FORMAT_YAML);
	ck_assert_int_eq(rb__w_uint(w, 5), RB_OK);
	expect_text(wclose(w), "5\n");
	w = wopen(RB_FORMAT_YAML);
	ck_assert_int_eq(rb__w_str(w, "null"), RB_OK);
	expect_text(wclose(w), "\"null\"\n");
	w = wopen(RB_FORMAT_YAML);
	ck_assert_int_eq(rb__w_seq_begin(w, false), RB_OK);
	ck_assert_int_eq(rb__w_seq_end(w), RB_OK);
	expect_text(wclose(w), "[]\n");

	/* libyaml writes keys over 128 characters, or with line breaks, as explicit keys. */
	char key[131];
	memset(key, 'k', 130);
	key[130] = '\0';
	w = wopen(RB_FORMAT_YAML);
	ck_assert_int_eq(rb__w_map_begin(w, false), RB_OK);
	ck_assert_int_eq(rb__w_key(w, key), RB_OK);
	ck_assert_int_eq(rb__w_str(w, "v"), RB_OK);
	ck_assert_int_eq(rb__w_key(w, "a\nb"), RB_OK);
	ck_assert_int_eq(rb__w_str(w, "v"), RB_OK);
	ck_assert_int_eq(rb__w_map_end(w), RB_OK);
	char want[300];
	snprintf(want, sizeof want, "? %s\n: v\n? \"a\\nb\"\n: v\n", key);
	expect_text(wclose(w), want);
}
END_TEST

/* ----------------------------------------------------------- json_writer */

START_TEST(test_json_layout)
{
	rb__writer *w = wopen(RB_FORMAT_JSON);
	layout_calls(w);
	expect_text(wclose(w), "{\n"
	                       "  \"list\": [\n"
	                       "    {\"host\": \"7.7.7.7\", \"port\": 8080},\n"
	                       "    [\n"
	                       "      -9223372036854775808,\n"
	                       "      18446744073709551615\n"
	                       "    ],\n"
	                       "    {\n"
	                       "      \"a\": false,\n"
	                       "      \"b\": null\n"
	                       "    }\n"
	                       "  ],\n"
	                       "  \"flowseq\": [\"x\", {\"y\": 1}],\n"
	                       "  \"emptymap\": {},\n"
	                       "  \"emptyseq\": [],\n"
	                       "  \"nested\": {\n"
	                       "    \"deeper\": {\n"
	                       "      \"k\": \"v\"\n"
	                       "    }\n"
	                       "  }\n"
	                       "}\n");
}
END_TEST

START_TEST(test_json_escapes)
{
	static const char s[] =
		"q\" b\\ n\n t\t r\r b\b f\f 1\x01 1f\x1f 7f\x7f / é\xf0\x9f\x98\x80 \xe2\x80\xa8 nul";
	rb__writer *w = wopen(RB_FORMAT_JSON);
	ck_assert_int_eq(rb__w_map_begin(w, true), RB_OK);
	ck_assert_int_eq(rb__w_keyn(w, "k\"\n\0", 4), RB_OK);
	ck_assert_int_eq(rb__w_strn(w, s, sizeof s), RB_OK); /* with the final NUL */
	ck_assert_int_eq(rb__w_map_end(w), RB_OK);
	const char *out = wclose(w);
	expect_text(out, "{\"k\\\"\\n\\u0000\": \"q\\\" b\\\\ n\\n t\\t r\\r b\\b f\\f 1\\u0001 1f\\u001f "
	                 "7f\\u007f / é\xf0\x9f\x98\x80 \xe2\x80\xa8 nul\\u0000\"}\n");
	cJSON *j = cJSON_Parse(out);
	ck_assert_ptr_nonnull(j);
	cJSON_Delete(j);
}
END_TEST

START_TEST(test_json_numbers)
{
	rb__writer *w = wopen(RB_FORMAT_JSON);
	ck_assert_int_eq(rb__w_seq_begin(w, true), RB_OK);
	ck_assert_int_eq(rb__w_uint(w, 0), RB_OK);
	ck_assert_int_eq(rb__w_int(w, -1), RB_OK);
	ck_assert_int_eq(rb__w_int(w, INT64_MAX), RB_OK);
	ck_assert_int_eq(rb__w_number(w, "-0.5e+10", 8), RB_OK);
	ck_assert_int_eq(rb__w_number(w, "1.", 2), RB_OK);
	ck_assert_int_eq(rb__w_number(w, "+1", 2), RB_OK);
	ck_assert_int_eq(rb__w_number(w, "01", 2), RB_OK);
	ck_assert_int_eq(rb__w_number(w, ".nan", 4), RB_OK);
	ck_assert_int_eq(rb__w_number(w, "abc", 3), RB_OK);
	ck_assert_int_eq(rb__w_seq_end(w), RB_OK);
	expect_text(wclose(w), "[0, -1, 9223372036854775807, -0.5e+10, \"1.\", \"+1\", \"01\", "
	                       "\".nan\", \"abc\"]\n");
	w = wopen(RB_FORMAT_YAML);
	ck_assert_int_eq(rb__w_seq_begin(w, true), RB_OK);
	ck_assert_int_eq(rb__w_number(w, "-0.5e+10", 8), RB_OK);
	ck_assert_int_eq(rb__w_number(w, "1.", 2), RB_OK);
	ck_assert_int_eq(rb__w_number(w, "+1", 2), RB_OK);
	ck_assert_int_eq(rb__w_number(w, "01", 2), RB_OK);
	ck_assert_int_eq(rb__w_number(w, ".nan", 4), RB_OK);
	ck_assert_int_eq(rb__w_number(w, "0x1F", 4), RB_OK);
	ck_assert_int_eq(rb__w_number(w, "abc", 3), RB_OK);
	ck_assert_int_eq(rb__w_number(w, "1_0", 3), RB_OK);
	ck_assert_int_eq(rb__w_seq_end(w), RB_OK);
	expect_text(wclose(w), "[-0.5e+10, 1., +1, 01, .nan, 0x1F, abc, \"1_0\"]\n");
}
END_TEST

/* A sequence of n strings as one value. */
static int write_many_strs(rb__writer *w, int n)
{
	int rc = rb__w_seq_begin(w, false);
	for (int i = 0; !rc && i < n; i++)
		rc = rb__w_str(w, "0123456789 abcdefghij");
	return rc ? rc : rb__w_seq_end(w);
}

/* rb__w_kv_strn writes what rb__w_keyn and rb__w_strn write, fast path or not. */
START_TEST(test_kv_strn)
{
	static const char *const vals[] = {"plain", "", "q\"uote", "back\\slash", "tab\t",
	                                   "é utf8", "0123456789abcdefghijklmnop", "del\x7f"};
	for (int f = RB_FORMAT_YAML; f <= RB_FORMAT_JSON; f++) {
		for (int flow = 0; flow < 2; flow++) {
			char *want;
			rb__writer *w = wopen((rb_format)f);
			ck_assert_int_eq(rb__w_map_begin(w, flow), RB_OK);
			for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
				char key[16];
				snprintf(key, sizeof key, i % 2 ? "k%zu" : "k\"%zu", i);
				ck_assert_int_eq(rb__w_key(w, key), RB_OK);
				ck_assert_int_eq(rb__w_str(w, vals[i]), RB_OK);
			}
			ck_assert_int_eq(rb__w_map_end(w), RB_OK);
			want = dupstr(wclose(w));
			w = wopen((rb_format)f);
			ck_assert_int_eq(rb__w_map_begin(w, flow), RB_OK);
			for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
				char key[16];
				snprintf(key, sizeof key, i % 2 ? "k%zu" : "k\"%zu", i);
				ck_assert_int_eq(rb__w_kv_str(w, key, vals[i]), RB_OK);
			}
			ck_assert_int_eq(rb__w_map_end(w), RB_OK);
			expect_text(wclose(w), want);
			free(want);
		}
		/* Misuse is refused as by the two calls: in a sequence, after a key. */
		rb__writer *w = wopen((rb_format)f);
		ck_assert_int_eq(rb__w_seq_begin(w, false), RB_OK);
		ck_assert_int_eq(rb__w_kv_str(w, "k", "v"), RB_EINVAL);
		rb__writer_free(w);
		w = wopen((rb_format)f);
		ck_assert_int_eq(rb__w_map_begin(w, false), RB_OK);
		ck_assert_int_eq(rb__w_key(w, "a"), RB_OK);
		ck_assert_int_eq(rb__w_kv_str(w, "k", "v"), RB_EINVAL);
		rb__writer_free(w);
	}
}
END_TEST

/* rb__w_flow_map writes what the separate calls write, in every position. */
static void flow_fields(rb__w_field *f, size_t *n, int variant)
{
	static const char *const strs[] = {"10.0.0.1", "", "with \"quote\"", "é", "tab\t"};
	size_t k = 0;
	f[k++] = (rb__w_field){"host", sizeof("host") - 1, RB_WF_STR, strs[variant % 5], 0, 0};
	f[k++] = (rb__w_field){"port", sizeof("port") - 1, RB_WF_UINT, NULL, (uint64_t)variant * 1000, 0};
	f[k++] = (rb__w_field){"rule", sizeof("rule") - 1, RB_WF_INT, NULL, 0, -variant};
	if (variant % 2)
		f[k++] = (rb__w_field){"draining", sizeof("draining") - 1, RB_WF_TRUE, NULL, 0, 0};
	if (variant == 3)
		f[k++] = (rb__w_field){"k\"ey", sizeof("k\"ey") - 1, RB_WF_STR, "v", 0, 0};
	if (variant == 4)
		for (; k < 10; k++)
			f[k] = (rb__w_field){"many", sizeof("many") - 1, RB_WF_UINT, NULL, k + 1, 0};
	*n = k;
}

static void flow_by_calls(rb__writer *w, const rb__w_field *f, size_t n)
{
	ck_assert_int_eq(rb__w_map_begin(w, true), RB_OK);
	for (size_t i = 0; i < n; i++) {
		ck_assert_int_eq(rb__w_key(w, f[i].key), RB_OK);
		if (f[i].type == RB_WF_STR)
			ck_assert_int_eq(rb__w_str(w, f[i].s), RB_OK);
		else if (f[i].type == RB_WF_UINT)
			ck_assert_int_eq(rb__w_uint(w, f[i].u), RB_OK);
		else if (f[i].type == RB_WF_INT)
			ck_assert_int_eq(rb__w_int(w, f[i].i), RB_OK);
		else
			ck_assert_int_eq(rb__w_bool(w, true), RB_OK);
	}
	ck_assert_int_eq(rb__w_map_end(w), RB_OK);
}

static char *flow_doc(rb_format fmt, bool one_call)
{
	rb__writer *w = wopen(fmt);
	ck_assert_int_eq(rb__w_map_begin(w, false), RB_OK);
	for (int outer_flow = 0; outer_flow < 2; outer_flow++) {
		ck_assert_int_eq(rb__w_key(w, outer_flow ? "flowseq" : "seq"), RB_OK);
		ck_assert_int_eq(rb__w_seq_begin(w, outer_flow), RB_OK);
		for (int v = 0; v < 5; v++) {
			rb__w_field f[10];
			size_t n;
			flow_fields(f, &n, v);
			if (one_call)
				ck_assert_int_eq(rb__w_flow_map(w, f, n), RB_OK);
			else
				flow_by_calls(w, f, n);
		}
		ck_assert_int_eq(rb__w_seq_end(w), RB_OK);
	}
	for (int v = 0; v < 5; v++) {
		char key[8];
		snprintf(key, sizeof key, "m%d", v);
		ck_assert_int_eq(rb__w_key(w, key), RB_OK);
		rb__w_field f[10];
		size_t n;
		flow_fields(f, &n, v);
		if (one_call)
			ck_assert_int_eq(rb__w_flow_map(w, f, n), RB_OK);
		else
			flow_by_calls(w, f, n);
	}
	ck_assert_int_eq(rb__w_key(w, "empty"), RB_OK);
	if (one_call)
		ck_assert_int_eq(rb__w_flow_map(w, NULL, 0), RB_OK);
	else
		flow_by_calls(w, NULL, 0);
	ck_assert_int_eq(rb__w_map_end(w), RB_OK);
	return dupstr(wclose(w));
}

START_TEST(test_flow_map)
{
	for (int f = RB_FORMAT_YAML; f <= RB_FORMAT_JSON; f++) {
		char *want = flow_doc((rb_format)f, false);
		char *got = flow_doc((rb_format)f, true);
		expect_text(got, want);
		free(want);
		free(got);
	}
	/* Misuse: where a key is expected. */
	rb__writer *w = wopen(RB_FORMAT_JSON);
	ck_assert_int_eq(rb__w_map_begin(w, false), RB_OK);
	rb__w_field f = {"a", 1, RB_WF_UINT, NULL, 1, 0};
	ck_assert_int_eq(rb__w_flow_map(w, &f, 1), RB_EINVAL);
	rb__writer_free(w);
}
END_TEST

/* A member's value as rb__w_memo keeps it: {"x": [1, 2]} as a block sequence. */
static int memo_value(rb__writer *w)
{
	RB_TRY(rb__w_map_begin(w, false));
	RB_TRY(rb__w_key(w, "x"));
	RB_TRY(rb__w_seq_begin(w, false));
	RB_TRY(rb__w_uint(w, 1));
	RB_TRY(rb__w_uint(w, 2));
	RB_TRY(rb__w_seq_end(w));
	return rb__w_map_end(w);
}

/* The value under key k, from the memo when it holds it (*hit says), else written and kept. */
static void memo_member(rb__writer *w, rb__w_memo *m, const char *k, const void *id, size_t n,
                        bool *hit)
{
	ck_assert_int_eq(rb__w_key(w, k), RB_OK);
	*hit = rb__w_memo_put(w, m, id, n);
	if (*hit)
		return;
	rb__w_memo_start s = rb__w_memo_begin(w);
	ck_assert_int_eq(memo_value(w), RB_OK);
	rb__w_memo_keep(w, m, s, id, n);
}

/* A memoized value is written again byte for byte; only for the same value, depth and format. */
START_TEST(test_memo)
{
	static const int id1 = 1, id2 = 2;
	static rb__w_memo m;
	/* The document written without memos. */
	rb__writer *w = wopen(RB_FORMAT_JSON);
	ck_assert_int_eq(rb__w_map_begin(w, false), RB_OK);
	const char *keys[] = {"a", "b", "c"};
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(rb__w_key(w, keys[i]), RB_OK);
		ck_assert_int_eq(memo_value(w), RB_OK);
	}
	ck_assert_int_eq(rb__w_key(w, "d"), RB_OK);
	ck_assert_int_eq(rb__w_map_begin(w, false), RB_OK);
	ck_assert_int_eq(rb__w_key(w, "e"), RB_OK);
	ck_assert_int_eq(memo_value(w), RB_OK);
	ck_assert_int_eq(rb__w_map_end(w), RB_OK);
	ck_assert_int_eq(rb__w_map_end(w), RB_OK);
	char *want = dupstr(wclose(w));

	memset(&m, 0, sizeof m);
	bool hit;
	w = wopen(RB_FORMAT_JSON);
	ck_assert_int_eq(rb__w_map_begin(w, false), RB_OK);
	memo_member(w, &m, "a", &id1, 2, &hit);
	ck_assert(!hit);
	ck_assert_ptr_eq(m.key, &id1);
	memo_member(w, &m, "b", &id1, 2, &hit);
	ck_assert(hit);
	/* Another count: not the same value. */
	memo_member(w, &m, "c", &id1, 3, &hit);
	ck_assert(!hit);
	/* Deeper: the indentation differs, so the memo does not apply (and keeps the new one). */
	ck_assert_int_eq(rb__w_key(w, "d"), RB_OK);
	ck_assert_int_eq(rb__w_map_begin(w, false), RB_OK);
	memo_member(w, &m, "e", &id1, 3, &hit);
	ck_assert(!hit);
	ck_assert_uint_eq(m.depth, 2);
	ck_assert_int_eq(rb__w_map_end(w), RB_OK);
	ck_assert(!rb__w_memo_put(w, &m, &id2, 3)); /* where a key is due */
	ck_assert_int_eq(rb__w_map_end(w), RB_OK);
	expect_text(wclose(w), want);
	free(want);

	/* A value the chunk was handed out in the middle of is not kept. */
	memset(&m, 0, sizeof m);
	w = wopen(RB_FORMAT_JSON);
	ck_assert_int_eq(rb__w_map_begin(w, false), RB_OK);
	ck_assert_int_eq(rb__w_key(w, "a"), RB_OK);
	rb__w_memo_start s = rb__w_memo_begin(w);
	ck_assert_int_eq(write_many_strs(w, 5000), RB_OK);
	rb__w_memo_keep(w, &m, s, &id1, 1);
	ck_assert_ptr_null(m.key);
	ck_assert_int_eq(rb__w_map_end(w), RB_OK);
	wclose(w);

	/* YAML keeps nothing. */
	w = wopen(RB_FORMAT_YAML);
	ck_assert_int_eq(rb__w_map_begin(w, false), RB_OK);
	memo_member(w, &m, "a", &id1, 1, &hit);
	ck_assert(!hit);
	ck_assert_ptr_null(m.key);
	ck_assert_int_eq(rb__w_map_end(w), RB_OK);
	wclose(w);
}
END_TEST

/* Output goes out in 64 KiB chunks, then the rest at finish. */
START_TEST(test_chunks)
{
	for (int f = RB_FORMAT_YAML; f <= RB_FORMAT_JSON; f++) {
		rb__writer *w = wopen((rb_format)f);
		ck_assert_int_eq(rb__w_seq_begin(w, false), RB_OK);
		for (int i = 0; i < 20000; i++)
			ck_assert_int_eq(rb__w_str(w, "0123456789 abcdefghij"), RB_OK);
		ck_assert_int_eq(rb__w_seq_end(w), RB_OK);
		int before = g_sink.calls;
		ck_assert_int_ge(before, 5);
		ck_assert_int_eq(rb__writer_finish(w), RB_OK);
		ck_assert_int_eq(g_sink.calls, before + 1);
		ck_assert_uint_eq(g_sink.max_chunk, 64 * 1024);
		ck_assert_uint_eq(g_sink.chunks_64k, (size_t)before);
		ck_assert_uint_eq(g_sink.len, f == RB_FORMAT_YAML ? 20000u * 24u : 20000u * 27u + 3u);
		rb__writer_free(w);
	}
}
END_TEST

/* ---------------------------------------------------------------- errors */

/* Writes until a call fails; returns that error. */
static int write_many(rb__writer *w, int n)
{
	int rc = rb__w_seq_begin(w, false);
	for (int i = 0; !rc && i < n; i++)
		rc = rb__w_str(w, "0123456789 abcdefghij");
	if (!rc)
		rc = rb__w_seq_end(w);
	return rc;
}

START_TEST(test_sink_failure)
{
	for (int f = RB_FORMAT_YAML; f <= RB_FORMAT_JSON; f++) {
		/* Fails mid-stream: the failing call and every later one return RB_EIO. */
		rb__writer *w = wopen((rb_format)f);
		g_sink.fail_at = 2;
		ck_assert_int_eq(write_many(w, 100000), RB_EIO);
		ck_assert_int_eq(g_sink.calls, 2);
		ck_assert_int_eq(rb__w_str(w, "x"), RB_EIO);
		ck_assert_int_eq(rb__w_seq_end(w), RB_EIO);
		ck_assert_int_eq(rb__writer_finish(w), RB_EIO);
		ck_assert_int_eq(rb__writer_finish(w), RB_EIO);
		ck_assert_int_eq(g_sink.calls, 2);
		ck_assert_int_eq(g_sink.calls_after, 0);
		ck_assert_uint_eq(g_sink.len, 64 * 1024);
		rb__writer_free(w);

		/* Fails at finish. */
		w = wopen((rb_format)f);
		g_sink.fail_at = 1;
		ck_assert_int_eq(rb__emit_ir(w, &ir_full), RB_OK);
		ck_assert_int_eq(g_sink.calls, 0);
		ck_assert_int_eq(rb__writer_finish(w), RB_EIO);
		ck_assert_int_eq(rb__writer_finish(w), RB_EIO);
		ck_assert_int_eq(g_sink.calls, 1);
		rb__writer_free(w);

		/* The IR serializer passes RB_EIO on. */
		w = wopen((rb_format)f);
		g_sink.fail_at = 1;
		static rb__ir_endpoint many[5000];
		for (size_t i = 0; i < 5000; i++) {
			many[i].host = "10.0.0.1";
			many[i].port = 8080;
		}
		static rb__ir_setting st;
		st.name = "s";
		st.endpoints = many;
		st.endpoint_count = 5000;
		static rb__ir_destination d;
		d.name = "d";
		d.route_kind = "HTTPRoute";
		d.route_namespace = "ns";
		d.route_name = "r";
		d.settings = &st;
		d.setting_count = 1;
		const rb__ir big = {&d, 1, NULL, 0};
		ck_assert_int_eq(rb__emit_ir(w, &big), RB_EIO);
		ck_assert_int_eq(rb__writer_finish(w), RB_EIO);
		ck_assert_int_eq(g_sink.calls, 1);
		rb__writer_free(w);
	}
}
END_TEST

typedef int (*misuse_fn)(rb__writer *w);

static int mis_key_at_root(rb__writer *w)
{
	return rb__w_key(w, "k");
}
static int mis_key_in_seq(rb__writer *w)
{
	rb__w_seq_begin(w, false);
	return rb__w_key(w, "k");
}
static int mis_value_for_key(rb__writer *w)
{
	rb__w_map_begin(w, false);
	return rb__w_str(w, "v");
}
static int mis_map_for_key(rb__writer *w)
{
	rb__w_map_begin(w, true);
	return rb__w_map_begin(w, true);
}
static int mis_two_keys(rb__writer *w)
{
	rb__w_map_begin(w, false);
	rb__w_key(w, "a");
	return rb__w_key(w, "b");
}
static int mis_end_pending(rb__writer *w)
{
	rb__w_map_begin(w, false);
	rb__w_key(w, "a");
	return rb__w_map_end(w);
}
static int mis_map_end_in_seq(rb__writer *w)
{
	rb__w_seq_begin(w, false);
	return rb__w_map_end(w);
}
static int mis_seq_end_in_map(rb__writer *w)
{
	rb__w_map_begin(w, false);
	return rb__w_seq_end(w);
}
static int mis_end_at_root(rb__writer *w)
{
	return rb__w_seq_end(w);
}
static int mis_second_root(rb__writer *w)
{
	rb__w_str(w, "a");
	return rb__w_str(w, "b");
}
static int mis_extra_end(rb__writer *w)
{
	rb__w_seq_begin(w, false);
	rb__w_seq_end(w);
	return rb__w_seq_end(w);
}
static int mis_null_string(rb__writer *w)
{
	rb__w_seq_begin(w, false);
	return rb__w_str(w, NULL);
}
static int mis_null_key(rb__writer *w)
{
	rb__w_map_begin(w, false);
	return rb__w_key(w, NULL);
}
static int mis_bad_utf8(rb__writer *w)
{
	rb__w_seq_begin(w, false);
	return rb__w_str(w, "ok \xc3\x28");
}
static int mis_bad_utf8_key(rb__writer *w)
{
	rb__w_map_begin(w, false);
	return rb__w_key(w, "\xed\xa0\x80");
}
static int mis_finish_open(rb__writer *w)
{
	rb__w_map_begin(w, false);
	return rb__writer_finish(w);
}
static int mis_finish_empty(rb__writer *w)
{
	return rb__writer_finish(w);
}
static int mis_after_finish(rb__writer *w)
{
	rb__w_str(w, "a");
	if (rb__writer_finish(w) != RB_OK)
		return RB_OK;
	return rb__w_str(w, "b");
}

START_TEST(test_misuse)
{
	static const misuse_fn fns[] = {
		mis_key_at_root,  mis_key_in_seq,     mis_value_for_key,  mis_map_for_key,
		mis_two_keys,     mis_end_pending,    mis_map_end_in_seq, mis_seq_end_in_map,
		mis_end_at_root,  mis_second_root,    mis_extra_end,      mis_null_string,
		mis_null_key,     mis_bad_utf8,       mis_bad_utf8_key,   mis_finish_open,
		mis_finish_empty, mis_after_finish,
	};
	for (int f = RB_FORMAT_YAML; f <= RB_FORMAT_JSON; f++) {
		for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
			rb__writer *w = wopen((rb_format)f);
			ck_assert_msg(fns[i](w) == RB_EINVAL, "misuse %zu (format %d)", i, f);
			/* sticky */
			ck_assert_int_eq(rb__w_str(w, "x"), RB_EINVAL);
			ck_assert_int_eq(rb__w_map_begin(w, false), RB_EINVAL);
			ck_assert_int_eq(rb__writer_finish(w), RB_EINVAL);
			rb__writer_free(w);
		}
	}
	rb__mem_default(&g_mem);
	rb__writer *w = (rb__writer *)1;
	ck_assert_int_eq(rb__writer_new(&w, &g_mem, (rb_format)4, tu_sink_write, &g_sink), RB_EINVAL);
	ck_assert_ptr_null(w);
	ck_assert_int_eq(rb__writer_new(&w, &g_mem, RB_FORMAT_JSON, NULL, NULL), RB_EINVAL);
	ck_assert_int_eq(rb__writer_new(NULL, &g_mem, RB_FORMAT_JSON, tu_sink_write, NULL), RB_EINVAL);
	ck_assert_int_eq(rb__w_str(NULL, "x"), RB_EINVAL);
	ck_assert_int_eq(rb__writer_finish(NULL), RB_EINVAL);
	ck_assert_int_eq(rb__emit_ir(NULL, &ir_empty), RB_EINVAL);
	rb__writer_free(NULL);
}
END_TEST

START_TEST(test_enomem)
{
	/* Allocation failures surface as RB_ENOMEM and leak nothing (valgrind/ASan). */
	rb__mem m = {{tu_budget_realloc, NULL}};
	for (int f = RB_FORMAT_YAML; f <= RB_FORMAT_JSON; f++) {
		for (int budget = 0; budget < 4; budget++) {
			tu_alloc_budget = budget;
			rb__writer *w = NULL;
			memset(&g_sink, 0, sizeof g_sink);
			int rc = rb__writer_new(&w, &m, (rb_format)f, tu_sink_write, &g_sink);
			if (rc) {
				ck_assert_int_eq(rc, RB_ENOMEM);
				continue;
			}
			rc = rb__emit_ir(w, &ir_full);
			if (!rc)
				rc = rb__writer_finish(w);
			ck_assert(rc == RB_OK || rc == RB_ENOMEM);
			rb__writer_free(w);
			free(g_sink.data);
			memset(&g_sink, 0, sizeof g_sink);
		}
	}
}
END_TEST

static void wr_teardown(void)
{
	free(g_sink.data);
	memset(&g_sink, 0, sizeof g_sink);
}

static Suite *emit_suite(void)
{
	Suite *s = suite_create("emit");
	TCase *tc;

	tc = tcase_create("yaml_scalars");
	tcase_add_checked_fixture(tc, NULL, wr_teardown);
	tcase_add_test(tc, test_plain_table);
	tcase_add_test(tc, test_plain_libyaml);
	tcase_add_test(tc, test_plain_random);
	tcase_add_test(tc, test_yaml_escapes);
	tcase_add_test(tc, test_yaml_long_lines);
	suite_add_tcase(s, tc);

	tc = tcase_create("yaml_layout");
	tcase_add_checked_fixture(tc, NULL, wr_teardown);
	tcase_add_test(tc, test_yaml_layout);
	tcase_add_test(tc, test_yaml_roots);
	suite_add_tcase(s, tc);

	tc = tcase_create("json_writer");
	tcase_add_checked_fixture(tc, NULL, wr_teardown);
	tcase_add_test(tc, test_json_layout);
	tcase_add_test(tc, test_json_escapes);
	tcase_add_test(tc, test_json_numbers);
	tcase_add_test(tc, test_chunks);
	tcase_add_test(tc, test_kv_strn);
	tcase_add_test(tc, test_flow_map);
	tcase_add_test(tc, test_memo);
	suite_add_tcase(s, tc);

	tc = tcase_create("ir_yaml");
	tcase_add_checked_fixture(tc, NULL, wr_teardown);
	tcase_add_test(tc, test_ir_yaml_full);
	tcase_add_test(tc, test_ir_yaml_empty);
	tcase_add_test(tc, test_ir_yaml_annotations);
	tcase_add_test(tc, test_ir_yaml_quoting);
	suite_add_tcase(s, tc);

	tc = tcase_create("ir_json");
	tcase_add_checked_fixture(tc, NULL, wr_teardown);
	tcase_add_test(tc, test_ir_json_full);
	tcase_add_test(tc, test_ir_json_empty);
	tcase_add_test(tc, test_ir_json_annotations);
	tcase_add_test(tc, test_ir_json_valid);
	suite_add_tcase(s, tc);

	tc = tcase_create("node_roundtrip");
	tcase_add_checked_fixture(tc, arena_setup, arena_teardown);
	tcase_add_test(tc, test_node_roundtrip_ir);
	tcase_add_test(tc, test_node_equals_ir);
	tcase_add_test(tc, test_node_scalars);
	tcase_add_test(tc, test_node_scalars_from_yaml);
	tcase_add_test(tc, test_node_layout);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_checked_fixture(tc, NULL, wr_teardown);
	tcase_add_test(tc, test_sink_failure);
	tcase_add_test(tc, test_misuse);
	tcase_add_test(tc, test_enomem);
	suite_add_tcase(s, tc);

	return s;
}

int main(void)
{
	return tu_run(emit_suite());
}
