/*
 * YAML read a window at a time (rb_input_add_file, rb_input_add_fd) loads and
 * fails exactly as the same bytes in one buffer (rb_input_add_buffer): the
 * objects, the warnings, every diagnostic with its line, column and offset,
 * and the input-bytes limit -- for inputs longer than the loader's window, with
 * the interesting part far from the start and past non-ASCII text.
 */
#define _POSIX_C_SOURCE 200809L /* mkstemp, fdopen */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "load/instream.h"
#include "load/load.h"
#include "rebalance/rebalance.h"
#include "testutil.h"

#include <dirent.h>

typedef enum how { BY_BUFFER, BY_FILE, BY_PIPE } how;

/* A growing string. */
typedef struct str {
	char *data;
	size_t len, cap;
} str;

static void put(str *s, const void *p, size_t n)
{
	if (s->len + n + 1 > s->cap) {
		s->cap = (s->len + n + 1) * 2;
		s->data = realloc(s->data, s->cap);
		ck_assert_ptr_nonnull(s->data);
	}
	memcpy(s->data + s->len, p, n);
	s->len += n;
	s->data[s->len] = '\0';
}

static void puts_(str *s, const char *t)
{
	put(s, t, strlen(t));
}

static int collect(void *ud, const void *bytes, size_t len)
{
	put(ud, bytes, len);
	return 0;
}

static void put_diag(str *s, const char *what, const rb_diag *d)
{
	char line[2048];
	rb_diag_format(d, line, sizeof line);
	char at[64];
	snprintf(at, sizeof at, " [offset %llu]\n", (unsigned long long)rb_diag_offset(d));
	puts_(s, what);
	puts_(s, line);
	puts_(s, at);
}

/* A child writing doc into a pipe: the read end, and the child's pid. */
static int pipe_from_child(const char *doc, size_t len, pid_t *pid)
{
	int fds[2];
	ck_assert_int_eq(pipe(fds), 0);
	*pid = fork();
	ck_assert_int_ge(*pid, 0);
	if (*pid == 0) {
		close(fds[0]);
		signal(SIGPIPE, SIG_DFL);
		size_t at = 0;
		while (at < len) {
			ssize_t n = write(fds[1], doc + at, len - at > 4000 ? 4000 : len - at);
			if (n <= 0)
				_exit(0); /* the reader stopped: past the limit */
			at += (size_t)n;
		}
		_exit(0);
	}
	close(fds[1]);
	return fds[0];
}

/* Everything a load shows: its code, the diagnostics, the warnings and the translation. */
static char *load(const char *doc, size_t len, how by, rb_limit limit, uint64_t value)
{
	static const char NAME[] = "/tmp/rb-stream-XXXXXX";
	char path[sizeof NAME];
	memcpy(path, NAME, sizeof NAME);
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, doc, len), (ssize_t)len);
	close(fd);

	/* (The writer is forked before anything is allocated: it holds nothing to lose.) */
	pid_t pid = 0;
	int rfd = by == BY_PIPE ? pipe_from_child(doc, len, &pid) : -1;
	rb_ctx *ctx;
	rb_input *in;
	ck_assert_int_eq(rb_ctx_new(&ctx, NULL), RB_OK);
	if (value)
		ck_assert_int_eq(rb_ctx_set_limit(ctx, limit, value), RB_OK);
	ck_assert_int_eq(rb_input_new(&in, ctx), RB_OK);
	int rc;
	if (by == BY_BUFFER) {
		rc = rb_input_add_buffer(in, doc, len, path, RB_INPUT_AUTO);
	} else if (by == BY_FILE) {
		rc = rb_input_add_file(in, path, RB_INPUT_AUTO);
	} else {
		rc = rb_input_add_fd(in, rfd, path, RB_INPUT_AUTO);
		close(rfd);
		ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
	}
	unlink(path);

	str s = {NULL, 0, 0};
	char head[64];
	snprintf(head, sizeof head, "rc %d, %zu objects\n", rc, rb_input_object_count(in));
	puts_(&s, head);
	for (size_t i = 0; i < rb_input_diag_count(in); i++)
		put_diag(&s, "error: ", rb_input_diag(in, i));
	for (size_t i = 0; i < rb_input_warning_count(in); i++)
		put_diag(&s, "warning: ", rb_input_warning(in, i));
	if (rc == RB_OK) {
		rb_result *res;
		ck_assert_int_eq(rb_translate(&res, in, NULL), RB_OK);
		ck_assert_int_eq(rb_result_write(res, RB_FORMAT_JSON, collect, &s), RB_OK);
		rb_result_free(res);
	}
	rb_input_free(in);
	rb_ctx_free(ctx);
	/* The file's random name is not part of what is compared. */
	for (char *p = s.data; (p = strstr(p, path)) != NULL; p += sizeof NAME - 1)
		memcpy(p, NAME, sizeof NAME - 1);
	return s.data;
}

/* The same load by a buffer, a file and a pipe. */
static void check_alike(const char *doc, size_t len, rb_limit limit, uint64_t value,
                        const char *expect)
{
	char *buffer = load(doc, len, BY_BUFFER, limit, value);
	char *file = load(doc, len, BY_FILE, limit, value);
	char *piped = load(doc, len, BY_PIPE, limit, value);
	ck_assert_str_eq(file, buffer);
	ck_assert_str_eq(piped, buffer);
	if (expect && !strstr(buffer, expect))
		ck_abort_msg("expected \"%s\" in:\n%.2000s", expect, buffer);
	free(buffer);
	free(file);
	free(piped);
}

/*
 * A cluster of n routes in the testdata layout, about 600 bytes each, with a
 * non-ASCII label on every route (the positions after it are not byte counts
 * of characters) and a comment line on every tenth.
 */
static void cluster(str *s, int n)
{
	puts_(s, "gatewayClass: {apiVersion: gateway.networking.k8s.io/v1, kind: GatewayClass, "
	         "metadata: {name: eg}, spec: {controllerName: "
	         "gateway.envoyproxy.io/gatewayclass-controller}}\n"
	         "gateways:\n- apiVersion: gateway.networking.k8s.io/v1\n  kind: Gateway\n"
	         "  metadata: {namespace: infra, name: eg}\n"
	         "  spec:\n    gatewayClassName: eg\n    listeners:\n"
	         "    - {name: http, protocol: HTTP, port: 80, allowedRoutes: {namespaces: {from: "
	         "All}}}\nhttpRoutes:\n");
	char item[1024];
	for (int i = 0; i < n; i++) {
		snprintf(item, sizeof item,
		         "%s- apiVersion: gateway.networking.k8s.io/v1\n  kind: HTTPRoute\n"
		         "  metadata:\n    namespace: shop\n    name: route-%d\n"
		         "    labels: {owner: \"équipe-%d ✓\"}\n"
		         "  spec:\n    parentRefs: [{namespace: infra, name: eg}]\n"
		         "    rules:\n    - matches: [{path: {type: PathPrefix, value: /r%d}}]\n"
		         "      backendRefs:\n      - {name: svc-%d, port: 80, weight: 3}\n"
		         "      - {name: svc-%d, port: 80, weight: 1}\n",
		         i % 10 == 0 ? "# a comment, ça va\n" : "", i, i, i, i % 7, (i + 1) % 7);
		puts_(s, item);
	}
	puts_(s, "services:\n");
	for (int k = 0; k < 7; k++) {
		snprintf(item, sizeof item,
		         "- {apiVersion: v1, kind: Service, metadata: {namespace: shop, name: svc-%d}, "
		         "spec: {ports: [{port: 80}]}}\n",
		         k);
		puts_(s, item);
	}
	puts_(s, "endpointSlices:\n");
	for (int k = 0; k < 5; k++) {
		snprintf(item, sizeof item,
		         "- {apiVersion: discovery.k8s.io/v1, kind: EndpointSlice, metadata: {namespace: "
		         "shop, name: svc-%d-a, labels: {kubernetes.io/service-name: svc-%d}}, "
		         "addressType: IPv4, ports: [{port: 80}], endpoints: [{addresses: [10.0.0.%d]}]}\n",
		         k, k, k + 1);
		puts_(s, item);
	}
}

/* 400 routes: about 150 KB, more than two of the loader's 64 KiB reads. */
enum { ROUTES = 400 };

START_TEST(a_long_input_loads_alike)
{
	str s = {NULL, 0, 0};
	cluster(&s, ROUTES);
	ck_assert_uint_gt(s.len, 2 * 65536);
	check_alike(s.data, s.len, RB_LIMIT_INPUT_BYTES, 0, "rc 0, 414 objects");
	/* With a byte order mark, CRLF line breaks (the last one split between two reads
	 * somewhere), and without a final line break. */
	str t = {NULL, 0, 0};
	puts_(&t, "\xEF\xBB\xBF");
	for (size_t i = 0; i < s.len; i++)
		put(&t, s.data[i] == '\n' ? "\r\n" : &s.data[i], s.data[i] == '\n' ? 2 : 1);
	t.len -= 2;
	check_alike(t.data, t.len, RB_LIMIT_INPUT_BYTES, 0, "rc 0, 414 objects");
	free(s.data);
	free(t.data);
}
END_TEST

START_TEST(errors_far_in_are_located_alike)
{
	static const char *const TAILS[] = {
	    /* a syntax error */
	    "- {apiVersion: v1, kind: Service, metadata: {name: x}\n",
	    /* truncated mid-scalar, no final line break */
	    "- {apiVersion: v1, kind: Service, metadata: {name: \"x",
	    /* ill-formed UTF-8 (a reader error) */
	    "- {apiVersion: v1, kind: Service, metadata: {name: \xC3(}}\n",
	    /* a control character */
	    "- {apiVersion: v1, kind: Service, metadata: {name: a\x01}}\n",
	    /* a decoder error */
	    "- {apiVersion: v1, kind: Service, metadata: {name: x}, spec: {ports: [{port: "
	    "99999}]}}\n",
	    /* an unknown anchor, then a tab where it cannot be */
	    "- *nowhere\n",
	    "- {apiVersion: v1,\n\tkind: Service}\n",
	};
	for (size_t k = 0; k < sizeof TAILS / sizeof *TAILS; k++) {
		str s = {NULL, 0, 0};
		cluster(&s, ROUTES);
		puts_(&s, "configMaps:\n");
		puts_(&s, TAILS[k]);
		check_alike(s.data, s.len, RB_LIMIT_INPUT_BYTES, 0, NULL);
		/* The same error where a document ends it, not the input. */
		puts_(&s, "---\nkind: Service\n");
		check_alike(s.data, s.len, RB_LIMIT_INPUT_BYTES, 0, NULL);
		free(s.data);
	}
	/* Documents, depth and alias limits are met far in. */
	str s = {NULL, 0, 0};
	cluster(&s, ROUTES);
	check_alike(s.data, s.len, RB_LIMIT_NODES, 5000, "nodes");
	check_alike(s.data, s.len, RB_LIMIT_DEPTH, 3, "nesting deeper");
	free(s.data);
}
END_TEST

START_TEST(the_size_limit_is_judged_on_the_whole_input)
{
	str s = {NULL, 0, 0};
	cluster(&s, ROUTES);
	/* Past the limit anywhere (in a line, on a line break, in a character of two
	 * and three bytes, at the very end): the limit, at the byte past it. */
	const char *e_acute = strstr(s.data, "\xC3\xA9");
	const char *check = strstr(s.data, "\xE2\x9C\x93");
	const char *crlf_free = strchr(s.data + 100000, '\n');
	uint64_t at[] = {1,
	                 100,
	                 70000,
	                 (uint64_t)(e_acute - s.data),
	                 (uint64_t)(e_acute - s.data) + 1,
	                 (uint64_t)(check - s.data) + 2,
	                 (uint64_t)(crlf_free - s.data),
	                 (uint64_t)s.len - 1};
	for (size_t i = 0; i < sizeof at / sizeof *at; i++)
		check_alike(s.data, s.len, RB_LIMIT_INPUT_BYTES, at[i],
		            "input is larger than the limit of");
	check_alike(s.data, s.len, RB_LIMIT_INPUT_BYTES, s.len, "rc 0");
	/* An input past the limit that also has an error before it: the limit is the error, as
	 * when the input was read whole before it was parsed. */
	str t = {NULL, 0, 0};
	puts_(&t, "kind: [\n");
	put(&t, s.data, s.len);
	check_alike(t.data, t.len, RB_LIMIT_INPUT_BYTES, 100000, "larger than the limit");
	check_alike(t.data, t.len, RB_LIMIT_INPUT_BYTES, t.len, "rc -3,");
	free(s.data);
	free(t.data);
}
END_TEST

START_TEST(short_and_odd_inputs_load_alike)
{
	static const char *const DOCS[] = {
	    "",
	    "\n\n",
	    "\xEF\xBB\xBF",
	    "\xEF\xBB",
	    "\xFF\xFEk\0i\0",
	    "   \n  {\"kind\": \"Service\", \"metadata\": {\"name\": \"a\"}}",
	    "\xEF\xBB\xBF[ ]",
	    "kind: Service\nmetadata: {name: a}",
	    "kind: Service\nmetadata: {name: a}\n...\n",
	    "a: &x 1\nb: *x\n",
	    "kind: Service\nmetadata:\n  name: a\n  labels: {\"k\": \"\\u00e9\"}\n",
	};
	for (size_t k = 0; k < sizeof DOCS / sizeof *DOCS; k++) {
		size_t len = k == 4 ? 6 : strlen(DOCS[k]);
		check_alike(DOCS[k], len, RB_LIMIT_INPUT_BYTES, 0, NULL);
		check_alike(DOCS[k], len, RB_LIMIT_INPUT_BYTES, 2, NULL);
		check_alike(DOCS[k], len, RB_LIMIT_ALIAS_EXPANSION, 5, NULL);
	}
}
END_TEST

START_TEST(an_unreadable_input_is_an_io_error)
{
	rb_ctx *ctx;
	rb_input *in;
	ck_assert_int_eq(rb_ctx_new(&ctx, NULL), RB_OK);
	ck_assert_int_eq(rb_input_new(&in, ctx), RB_OK);
	ck_assert_int_eq(rb_input_add_file(in, "/", RB_INPUT_AUTO), RB_EIO);
	ck_assert_int_eq(rb_input_add_fd(in, -1, NULL, RB_INPUT_AUTO), RB_EINVAL);
	ck_assert_int_eq(rb_input_diag_count(in), 1);
	char line[512];
	rb_diag_format(rb_input_diag(in, 0), line, sizeof line);
	ck_assert_msg(strstr(line, "/: read error: ") != NULL, "%s", line);
	ck_assert_int_eq(rb_input_object_count(in), 0);
	rb_input_free(in);
	rb_ctx_free(ctx);
}
END_TEST

/* ---- the loader itself, with reads of a few bytes: the window's edges everywhere ---- */

static void dump_node(str *s, const rb__node *n)
{
	char head[128];
	snprintf(head, sizeof head, "(%u %u:%u@%llu ", n->kind, n->line, n->column,
	         (unsigned long long)n->offset);
	puts_(s, head);
	if (n->key)
		put(s, n->key, n->key_len);
	puts_(s, "=");
	if (n->kind == RB_NODE_MAP || n->kind == RB_NODE_SEQ) {
		for (size_t i = 0; i < n->coll.count; i++)
			dump_node(s, n->coll.items[i]);
	} else if (n->kind == RB_NODE_SCALAR) {
		put(s, n->scalar.text, n->scalar.len);
	}
	puts_(s, ")");
}

static int dump_object(void *ud, const rb__node *obj, const char *layout_key)
{
	str *s = ud;
	puts_(s, layout_key ? layout_key : "-");
	dump_node(s, obj);
	puts_(s, "\n");
	return RB_OK;
}

/* What rb__load_yaml makes of text from a buffer (chunk 0) or from a file read `chunk` bytes at
 * a time: every object (nodes, positions) of a load that succeeds, the code and every
 * diagnostic. */
static char *load_yaml(const char *text, size_t len, size_t chunk, const rb__limits *limits)
{
	rb__mem mem;
	rb__mem_default(&mem);
	rb__arena arena;
	rb__arena_init(&arena, &mem);
	rb__diags diags;
	rb__diags_init(&diags, &mem, &arena);
	str s = {NULL, 0, 0};
	puts_(&s, "");
	rb__load_params p = {"in.yaml", text, len, RB_FMT_YAML, limits, &mem, &diags, false};
	rb__sink sink = {dump_object, &s};
	int rc;
	if (!chunk) {
		rc = rb__load_yaml(&p, &sink);
	} else {
		FILE *f = tmpfile();
		ck_assert_ptr_nonnull(f);
		ck_assert_uint_eq(fwrite(text, 1, len, f), len);
		ck_assert_int_eq(fflush(f), 0);
		ck_assert_int_eq(fseek(f, 0, SEEK_SET), 0);
		rb__instream in;
		rb__instream_init(&in, fileno(f), &mem);
		in.chunk = chunk;
		p.buf = NULL;
		p.len = 0;
		rc = rb__load_yaml_stream(&p, &in, &sink);
		rb__instream_free(&in);
		fclose(f);
	}
	/* After an error the objects handed over are the caller's to drop (rb_input drops them);
	 * a stream may have handed over more of them before the size limit was known. */
	if (rc != RB_OK)
		s.len = 0;
	char line[2048];
	snprintf(line, sizeof line, "rc %d\n", rc);
	puts_(&s, line);
	for (size_t i = 0; i < rb__diags_count(&diags); i++)
		put_diag(&s, "error: ", rb__diags_at(&diags, i));
	rb__diags_free(&diags);
	rb__arena_free(&arena);
	return s.data;
}

static void check_chunks(const char *what, const char *text, size_t len, const rb__limits *limits)
{
	static const size_t CHUNKS[] = {1, 2, 3, 5, 64};
	char *whole = load_yaml(text, len, 0, limits);
	for (size_t c = 0; c < sizeof CHUNKS / sizeof *CHUNKS; c++) {
		char *streamed = load_yaml(text, len, CHUNKS[c], limits);
		if (strcmp(whole, streamed) != 0)
			ck_abort_msg("%s, reads of %zu bytes:\n%.1500s\n-- from a buffer:\n%.1500s", what,
			             CHUNKS[c], streamed, whole);
		free(streamed);
	}
	free(whole);
}

/* Every YAML corpus file of the fuzzers and every golden input, with the default limits and
 * with small ones (the size limit in the middle of the text, a few aliases). */
START_TEST(tiny_reads_load_every_corpus_file_alike)
{
	static const char *const DIRS[] = {"fuzz/corpus/yaml", "fuzz/regressions/yaml",
	                                   "fuzz/corpus/translate", "fuzz/regressions/translate"};
	size_t files = 0;
	for (size_t d = 0; d < sizeof DIRS / sizeof *DIRS; d++) {
		char dir[1024];
		snprintf(dir, sizeof dir, "%s/%s", REBALANCE_SOURCE_DIR, DIRS[d]);
		DIR *dh = opendir(dir);
		ck_assert_msg(dh != NULL, "%s", dir);
		struct dirent *e;
		while ((e = readdir(dh)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			char path[2048];
			snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
			size_t len;
			char *text = tu_read_file(path, &len);
			ck_assert_ptr_nonnull(text);
			rb__limits limits;
			rb__limits_default(&limits);
			check_chunks(path, text, len, &limits);
			limits.input_bytes = len / 2;
			limits.alias_expansion = 20;
			check_chunks(path, text, len, &limits);
			free(text);
			files++;
		}
		closedir(dh);
	}
	ck_assert_uint_gt(files, 100);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("input_stream");
	TCase *tc = tcase_create("alike");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, a_long_input_loads_alike);
	tcase_add_test(tc, errors_far_in_are_located_alike);
	tcase_add_test(tc, the_size_limit_is_judged_on_the_whole_input);
	tcase_add_test(tc, short_and_odd_inputs_load_alike);
	tcase_add_test(tc, an_unreadable_input_is_an_io_error);
	tcase_add_test(tc, tiny_reads_load_every_corpus_file_alike);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
