/*
 * The EnvoyGateway document through libcyaml (docs/conventions.md,
 * Input: the one typed document not read through our node tree): our loader checks it first --
 * syntax with exact marks, limits, aliases (libcyaml would expand them without bound), one document
 * (libcyaml reads only the first) and the kind -- then libcyaml fills the schema, with booleans
 * read as strings and parsed strictly (its own bool parser takes "maybe" as true).
 *
 * Rules: [input.config.document] [input.config.backend-disabled].
 */
#include "config/config.h"

#include <cyaml/cyaml.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/invariant.h"
#include "core/strutil.h"
#include "load/load.h"
#include "load/yaml_scalar.h"
#include "rebalance/errors.h"

/* ---- the schema ---- */

typedef struct cfg_group_kind {
	char *group;
	char *version;
	char *kind;
} cfg_group_kind;

typedef struct cfg_extension_manager {
	cfg_group_kind *resources;
	unsigned resources_count;
	cfg_group_kind *backendResources;
	unsigned backendResources_count;
} cfg_extension_manager;

typedef struct cfg_extension_apis {
	char *enableBackend;
} cfg_extension_apis;

typedef struct cfg_document {
	char *apiVersion;
	char *kind;
	cfg_extension_apis *extensionApis;
	cfg_extension_manager *extensionManager;
} cfg_document;

#define OPT (CYAML_FLAG_OPTIONAL | CYAML_FLAG_POINTER_NULL_STR)
/* Optional, and null (`~`, `null`, nothing) is as if absent: as in the fence. */
#define OPT_NULL (CYAML_FLAG_OPTIONAL | CYAML_FLAG_POINTER_NULL_STR)

static const cyaml_schema_field_t GROUP_KIND_FIELDS[] = {
	CYAML_FIELD_STRING_PTR("group", OPT, cfg_group_kind, group, 0, CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("version", OPT, cfg_group_kind, version, 0, CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("kind", CYAML_FLAG_POINTER, cfg_group_kind, kind, 1, CYAML_UNLIMITED),
	CYAML_FIELD_END};
static const cyaml_schema_value_t GROUP_KIND = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, cfg_group_kind, GROUP_KIND_FIELDS)};

static const cyaml_schema_field_t EXTENSION_MANAGER_FIELDS[] = {
	CYAML_FIELD_SEQUENCE("resources", OPT_NULL | CYAML_FLAG_POINTER,
	                     cfg_extension_manager, resources, &GROUP_KIND, 0, CYAML_UNLIMITED),
	CYAML_FIELD_SEQUENCE("backendResources", OPT_NULL | CYAML_FLAG_POINTER,
	                     cfg_extension_manager, backendResources, &GROUP_KIND, 0, CYAML_UNLIMITED),
	CYAML_FIELD_END};

static const cyaml_schema_field_t EXTENSION_APIS_FIELDS[] = {
	CYAML_FIELD_STRING_PTR("enableBackend", OPT, cfg_extension_apis, enableBackend, 0,
	                       CYAML_UNLIMITED),
	CYAML_FIELD_END};

static const cyaml_schema_field_t DOCUMENT_FIELDS[] = {
	CYAML_FIELD_STRING_PTR("apiVersion", OPT, cfg_document, apiVersion, 0, CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("kind", OPT, cfg_document, kind, 0, CYAML_UNLIMITED),
	CYAML_FIELD_MAPPING_PTR("extensionApis", OPT_NULL, cfg_document, extensionApis,
	                        EXTENSION_APIS_FIELDS),
	CYAML_FIELD_MAPPING_PTR("extensionManager", OPT_NULL, cfg_document,
	                        extensionManager, EXTENSION_MANAGER_FIELDS),
	CYAML_FIELD_END};
static const cyaml_schema_value_t DOCUMENT = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, cfg_document, DOCUMENT_FIELDS)};

/* ---- libcyaml plumbing: our allocator, and errors captured as a diagnostic ---- */

static void *cfg_mem(void *ctx, void *ptr, size_t size)
{
	const rb__mem *mem = ctx;
	if (size == 0) {
		rb__free(mem, ptr);
		return NULL;
	}
	return rb__realloc(mem, ptr, size);
}

typedef struct cfg_log {
	char message[512];
	unsigned line, column; /* of the first backtrace entry, 1-based */
	bool have_message, have_location;
} cfg_log;

/* libcyaml logs an error, then backtrace lines such as
 * "in mapping field 'kind' (line: 3, column: 9)". Keep the first of each. */
static void cfg_log_fn(cyaml_log_t level, void *ctx, const char *fmt, va_list args)
{
	cfg_log *log = ctx;
	if (level < CYAML_LOG_ERROR)
		return;
	char line[512];
	/* libcyaml's own format strings: the log callback's contract. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	vsnprintf(line, sizeof line, fmt, args);
#pragma GCC diagnostic pop
	size_t n = strlen(line);
	while (n && (line[n - 1] == '\n' || line[n - 1] == ' '))
		line[--n] = '\0';
	const char *loc = strstr(line, "(line: ");
	if (loc && !log->have_location) {
		if (sscanf(loc, "(line: %u, column: %u)", &log->line, &log->column) == 2)
			log->have_location = true;
		return;
	}
	if (!log->have_message && !loc) {
		const char *text = rb__has_prefix(line, "Load: ") ? line + 6 : line;
		snprintf(log->message, sizeof log->message, "%s", text);
		log->have_message = true;
	}
}

/* ---- the fence: our loader first ---- */

/*
 * The fence accepts exactly what the schema above can read, so that libcyaml
 * never sees a document it would refuse: every type error is ours, at the
 * node, in our words (libcyaml's say "got event: MAPPING_START").
 */
typedef struct fence {
	rb__diags *diags;
	const char *source;
	size_t documents;
	uint32_t root_line, root_column;
	uint64_t root_offset;
	bool kind_ok;
} fence;

typedef enum want { WANT_MAP, WANT_SEQ, WANT_SCALAR, WANT_BOOL } want;

/* n absent or null, or of the type wanted; else an error at n. */
static bool fence_type(fence *f, const rb__node *n, want w)
{
	static const char *const EXPECTED[] = {"a mapping", "a sequence", "a scalar",
	                                       "true or false"};
	if (rb__node_is_null(n))
		return true;
	bool ok = w == WANT_MAP      ? rb__node_is_map(n)
	          : w == WANT_SEQ    ? rb__node_is_seq(n)
	          : w == WANT_SCALAR ? rb__node_is_scalar(n)
	                             : rb__node_is_scalar(n) && n->stype == RB_SCALAR_BOOL;
	if (!ok)
		rb__node_error(f->diags, f->source, n, "expected %s, got %s", EXPECTED[w],
		               rb__node_type_name(n));
	return ok;
}

static bool fence_group_kinds(fence *f, const rb__node *seq)
{
	if (!fence_type(f, seq, WANT_SEQ))
		return false;
	for (size_t i = 0; seq && rb__node_is_seq(seq) && i < seq->coll.count; i++) {
		const rb__node *it = seq->coll.items[i];
		const rb__node *k = rb__node_get(it, "kind");
		if (!rb__node_is_map(it) || !rb__node_is_scalar(k) || k->stype != RB_SCALAR_STRING ||
		    !k->scalar.len) {
			rb__node_error(f->diags, f->source, it,
			               "expected a mapping with group, version and kind");
			return false;
		}
		if (!fence_type(f, rb__node_get(it, "group"), WANT_SCALAR) ||
		    !fence_type(f, rb__node_get(it, "version"), WANT_SCALAR))
			return false;
	}
	return true;
}

static int fence_root(void *ud, const rb__node *root, const char *layout_key)
{
	(void)layout_key;
	fence *f = ud;
	if (++f->documents > 1) {
		rb__node_error(f->diags, f->source, root,
		               "expected one EnvoyGateway configuration document, found another");
		return RB_EPARSE;
	}
	f->root_line = root->line;
	f->root_column = root->column;
	f->root_offset = root->offset;
	if (!rb__node_is_map(root)) {
		rb__node_error(f->diags, f->source, root,
		               "expected an EnvoyGateway configuration document (a mapping), found %s",
		               rb__node_type_name(root));
		return RB_EPARSE;
	}
	const rb__node *kind = rb__node_get(root, "kind");
	if (!rb__node_is_scalar(kind) || strcmp(kind->scalar.text, "EnvoyGateway")) {
		rb__node_error(f->diags, f->source, kind ? kind : root,
		               "expected kind: EnvoyGateway (gateway.envoyproxy.io/v1alpha1)");
		return RB_EPARSE;
	}
	const rb__node *apis = rb__node_get(root, "extensionApis");
	const rb__node *em = rb__node_get(root, "extensionManager");
	bool ok = fence_type(f, rb__node_get(root, "apiVersion"), WANT_SCALAR) &&
	          fence_type(f, apis, WANT_MAP) &&
	          fence_type(f, rb__node_get(apis, "enableBackend"), WANT_BOOL) &&
	          fence_type(f, em, WANT_MAP) &&
	          fence_group_kinds(f, rb__node_get(em, "resources")) &&
	          fence_group_kinds(f, rb__node_get(em, "backendResources"));
	if (!ok)
		return RB_EPARSE;
	f->kind_ok = true;
	return RB_OK;
}

static int parse_bool(rb__diags *d, const char *source, const char *text, const char *field,
                      bool *out)
{
	if (!text) {
		*out = false;
		return RB_OK;
	}
	/* Any YAML 1.1 boolean, as Envoy Gateway reads its configuration (sigs.k8s.io/yaml):
	 * the fence let through only plain scalars that are one. */
	size_t len = strlen(text);
	if (NEVER(rb__yaml_resolve_plain(text, len) != RB_SCALAR_BOOL)) {
		rb__diag_add(d, RB_EPARSE, source, 0, 0, 0, field, "expected true or false, got \"%s\"",
		             text);
		return RB_EPARSE;
	}
	*out = rb__yaml_bool_value(text, len);
	return RB_OK;
}

static int copy_kinds(rb__arena *a, rb__config *c, const cfg_group_kind *kinds, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		rb__group_kind *gk = &c->extension_kinds[c->extension_kind_count++];
		gk->group = rb__arena_strdup(a, kinds[i].group ? kinds[i].group : "");
		gk->kind = rb__arena_strdup(a, kinds[i].kind);
		if (!gk->group || !gk->kind)
			return RB_ENOMEM;
	}
	return RB_OK;
}

int rb__config_load(const char *source, const void *buf, size_t len, const rb__limits *limits,
                    const rb__mem *mem, rb__arena *arena, rb__diags *diags, rb__config **out)
{
	*out = NULL;
	fence f = {diags, source, 0, 1, 1, 0, false};
	rb__sink sink = {fence_root, &f};
	rb__load_params p = {source, buf, len, RB_FMT_YAML, limits, mem, diags, true};
	int rc = rb__load(&p, &sink);
	if (rc)
		return rc;
	if (!f.kind_ok) {
		rb__diag_add(diags, RB_EPARSE, source, 1, 1, 0, "",
		             "expected an EnvoyGateway configuration document, found nothing");
		return RB_EPARSE;
	}

	cfg_log log;
	memset(&log, 0, sizeof log);
	cyaml_config_t cfg = {
		.log_fn = cfg_log_fn,
		.log_ctx = &log,
		.mem_fn = cfg_mem,
		.mem_ctx = (void *)(uintptr_t)mem,
		.log_level = CYAML_LOG_ERROR,
		.flags = CYAML_CFG_IGNORE_UNKNOWN_KEYS | CYAML_CFG_NO_ALIAS,
	};
	cfg_document *doc = NULL;
	cyaml_err_t err = cyaml_load_data(buf, len, &cfg, &DOCUMENT, (cyaml_data_t **)&doc, NULL);
	if (err != CYAML_OK) {
		/* Past the fence only memory should fail; anything else is reported
		 * at the document, with libcyaml's own position in the message. */
		if (err == CYAML_ERR_OOM)
			return RB_ENOMEM;
		char where[64] = "";
		if (log.have_location)
			snprintf(where, sizeof where, " (line %u, column %u)", log.line, log.column);
		rb__diag_add(diags, RB_EPARSE, source, f.root_line, f.root_column, f.root_offset, "",
		             "cannot read the configuration: %s%s",
		             log.have_message ? log.message : cyaml_strerror(err), where);
		return RB_EPARSE;
	}
	rb__config *c = rb__arena_calloc(arena, 1, sizeof(*c));
	if (!c) {
		rc = RB_ENOMEM;
		goto done;
	}
	rc = parse_bool(diags, source, doc && doc->extensionApis ? doc->extensionApis->enableBackend : NULL,
	                "/extensionApis/enableBackend", &c->backend_enabled);
	if (rc)
		goto done;
	const cfg_extension_manager *em = doc ? doc->extensionManager : NULL;
	size_t n = em ? (size_t)em->resources_count + em->backendResources_count : 0;
	if (n) {
		c->extension_kinds = rb__arena_calloc(arena, n, sizeof(*c->extension_kinds));
		if (!c->extension_kinds) {
			rc = RB_ENOMEM;
			goto done;
		}
		rc = copy_kinds(arena, c, em->resources, em->resources_count);
		if (!rc)
			rc = copy_kinds(arena, c, em->backendResources, em->backendResources_count);
		if (rc)
			goto done;
	}
	*out = c;
done:
	cyaml_free(&cfg, &DOCUMENT, doc, 0);
	return rc;
}
