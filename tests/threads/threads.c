/*
 * The library under concurrent use, as docs/threading.md promises it:
 *
 *  1. 8 threads translate 8 different inputs at once (one shared context),
 *     each run giving exactly the single-threaded output;
 *  2. 8 threads read one result at once: the IR as JSON and YAML, the xDS,
 *     an explanation of the same input, and every accessor;
 *  3. results freed while others are read: readers of one result while the
 *     main thread translates the same input again and again, frees those
 *     results, and finally frees the input the read result came from;
 *  4. the incremental engine with readers between its steps: after each
 *     change and rb_engine_translate, 8 threads read the engine's result
 *     and must see what the engine's own thread wrote out;
 *  5. snapshots read while the engine goes on: after each step the engine's
 *     thread takes a snapshot and hands it to a thread of its own, which
 *     reads it while the engine applies and translates the next changes
 *     (the snapshot must not change), then frees it.
 *
 * Run plain in ctest (threads.concurrent) and under ThreadSanitizer in CI
 * (scripts/ci.d/25-tsan.sh), where a data race fails the run.
 *
 * Usage: threads GOLDEN_DIR [ROUNDS]
 */
#define _POSIX_C_SOURCE 200809L
#include "cluster_gen.h"

#include <dirent.h>
#include <pthread.h>
#include <rebalance/rebalance.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { THREADS = 8 };

static int failures;
static pthread_mutex_t fail_lock = PTHREAD_MUTEX_INITIALIZER;

static void failed(const char *what)
{
	pthread_mutex_lock(&fail_lock);
	fprintf(stderr, "threads: %s\n", what);
	failures++;
	pthread_mutex_unlock(&fail_lock);
}

/* ---- inputs ---- */

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	sbuf b = {0};
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		sb_printf(&b, "%.*s", (int)n, chunk);
	fclose(f);
	*len = b.len;
	return b.p;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The input.yaml of the first THREADS golden cases (in name order) that translate. */
static size_t golden_inputs(const char *dir, char *texts[THREADS], size_t lens[THREADS])
{
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	char *names[1024];
	size_t count = 0;
	struct dirent *e;
	while ((e = readdir(d)) && count < 1024)
		if (e->d_name[0] != '.')
			names[count++] = strdup(e->d_name);
	closedir(d);
	qsort(names, count, sizeof *names, by_name);
	size_t got = 0;
	for (size_t i = 0; i < count; i++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/%s/input.yaml", dir, names[i]);
		size_t len;
		char *text = got < THREADS ? read_file(path, &len) : NULL;
		if (text && strstr(text, "httpRoutes")) {
			texts[got] = text;
			lens[got++] = len;
		} else {
			free(text);
		}
		free(names[i]);
	}
	return got;
}

static rb_input *load(rb_ctx *ctx, const char *text, size_t len)
{
	rb_input *in = NULL;
	if (rb_input_new(&in, ctx) ||
	    rb_input_add_buffer(in, text, len, "input.yaml", RB_INPUT_AUTO)) {
		rb_input_free(in);
		return NULL;
	}
	return in;
}

/* What a reader produces from a result: IR JSON + YAML, xDS JSON, and an accessor digest. */
static char *views(const rb_result *res)
{
	rb_ctx *ctx = rb_result_ctx(res);
	char *ir_json = NULL, *ir_yaml = NULL, *xds = NULL;
	size_t a, b, c;
	if (rb_result_to_buffer(res, RB_FORMAT_JSON, &ir_json, &a) ||
	    rb_result_to_buffer(res, RB_FORMAT_YAML, &ir_yaml, &b) ||
	    rb_xds_to_buffer(res, RB_FORMAT_JSON, &xds, &c)) {
		rb_free(ctx, ir_json);
		rb_free(ctx, ir_yaml);
		return NULL;
	}
	sbuf s = {0};
	sb_printf(&s, "%s%s%s", ir_json, ir_yaml, xds);
	for (size_t i = 0; i < rb_result_destination_count(res); i++) {
		const rb_destination *d = rb_result_destination(res, i);
		sb_printf(&s, "%s %d %u\n", rb_destination_name(d), (int)rb_destination_rule(d),
		          (unsigned)rb_destination_backend_weight(d, RB_WEIGHT_VALID));
		for (size_t k = 0; k < rb_destination_setting_count(d); k++) {
			const rb_setting *st = rb_destination_setting(d, k);
			sb_printf(&s, " %s %u", rb_setting_name(st),
			          (unsigned)rb_setting_endpoint_count(st));
		}
	}
	for (size_t i = 0; i < rb_result_route_status_count(res); i++)
		sb_printf(&s, "%s\n", rb_route_status_name(rb_result_route_status(res, i)));
	rb_free(ctx, ir_json);
	rb_free(ctx, ir_yaml);
	rb_free(ctx, xds);
	return s.p;
}

/* ---- 1. translating different inputs at once ---- */

typedef struct translate_job {
	rb_ctx *ctx;
	const char *text;
	size_t len;
	const char *want;
	unsigned rounds;
} translate_job;

static void *translate_thread(void *arg)
{
	translate_job *j = arg;
	for (unsigned r = 0; r < j->rounds; r++) {
		rb_input *in = load(j->ctx, j->text, j->len);
		rb_result *res = NULL;
		char *got = NULL;
		if (!in || rb_translate(&res, in, NULL) || !(got = views(res)) ||
		    strcmp(got, j->want))
			failed("a translation in a thread differs from the single-threaded one");
		free(got);
		rb_result_free(res);
		rb_input_free(in);
	}
	return NULL;
}

/* ---- 2. and 3. readers of one result ---- */

typedef struct read_job {
	const rb_result *res;
	const rb_input *in; /* for explain; NULL once the main thread may free it */
	const char *want;
	unsigned rounds;
} read_job;

static void *read_thread(void *arg)
{
	read_job *j = arg;
	for (unsigned r = 0; r < j->rounds; r++) {
		char *got = views(j->res);
		if (!got || strcmp(got, j->want))
			failed("a reader of a shared result saw something else");
		free(got);
		if (j->in) {
			rb_explanation *ex = NULL;
			char *out = NULL;
			size_t len;
			if (rb_explain(&ex, j->in, NULL, NULL) ||
			    rb_explanation_to_buffer(ex, RB_FORMAT_JSON, &out, &len))
				failed("explain in a reader thread failed");
			if (out)
				rb_free(rb_result_ctx(j->res), out);
			rb_explanation_free(ex);
		}
	}
	return NULL;
}

static void run_readers(read_job *job, pthread_t t[THREADS])
{
	for (int i = 0; i < THREADS; i++)
		if (pthread_create(&t[i], NULL, read_thread, job))
			failed("pthread_create");
}

static void join(pthread_t t[THREADS])
{
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
}

/* ---- 4. the engine, with readers between steps ---- */

static void engine_steps(rb_ctx *ctx, unsigned steps)
{
	gen_rng g = {14, NULL, 0, 0};
	snapshot s;
	memset(&s, 0, sizeof s);
	for (unsigned i = 0; i < 24; i++) {
		doc d;
		gen(&g, i < 2 ? K_GW : i < 10 ? K_HR : churn_kind(&g), &d);
		snap_put(&s, d);
	}
	size_t len;
	char *text = snap_stream(&s, &len);
	rb_input *in = load(ctx, text, len);
	free(text);
	rb_engine *e = NULL;
	if (!in || rb_engine_new(&e, in, NULL)) {
		failed("the engine's snapshot does not load");
		rb_input_free(in);
		return;
	}
	for (unsigned step = 0; step < steps; step++) {
		doc d;
		gen(&g, churn_kind(&g), &d);
		if (rb_engine_apply_buffer(e, d.text, strlen(d.text), "change", RB_INPUT_YAML))
			failed("rb_engine_apply_buffer");
		snap_put(&s, d);
		const rb_result *res;
		if (rb_engine_translate(e, &res)) {
			failed("rb_engine_translate");
			break;
		}
		char *want = views(res); /* the engine's own thread */
		if (!want) {
			failed("the engine's result does not serialize");
			break;
		}
		read_job job = {res, NULL, want, 2};
		pthread_t t[THREADS];
		run_readers(&job, t);
		join(t);
		free(want);
	}
	rb_engine_free(e);
	rb_input_free(in);
	for (size_t i = 0; i < s.n; i++)
		free(s.docs[i].text);
	free(s.docs);
	free(s.gc.text);
}

/* ---- 5. snapshots read while the engine goes on ---- */

typedef struct snap_job {
	rb_result *snap; /* the reader's own reference, freed by it */
	char *want;
	unsigned rounds;
} snap_job;

static void *snapshot_reader(void *arg)
{
	snap_job *j = arg;
	for (unsigned r = 0; r < j->rounds; r++) {
		char *got = views(j->snap);
		if (!got || strcmp(got, j->want))
			failed("a snapshot changed while the engine went on");
		free(got);
	}
	rb_result_free(j->snap);
	return NULL;
}

static void engine_snapshots(rb_ctx *ctx, unsigned steps)
{
	gen_rng g = {41, NULL, 0, 0};
	snapshot s;
	memset(&s, 0, sizeof s);
	for (unsigned i = 0; i < 24; i++) {
		doc d;
		gen(&g, i < 2 ? K_GW : i < 10 ? K_HR : churn_kind(&g), &d);
		snap_put(&s, d);
	}
	size_t len;
	char *text = snap_stream(&s, &len);
	rb_input *in = load(ctx, text, len);
	free(text);
	rb_engine *e = NULL;
	if (!in || rb_engine_new(&e, in, NULL)) {
		failed("the engine's snapshot does not load");
		rb_input_free(in);
		return;
	}
	snap_job *jobs = calloc(steps, sizeof *jobs);
	pthread_t *t = calloc(steps, sizeof *t);
	unsigned started = 0;
	for (unsigned step = 0; step < steps && jobs && t; step++) {
		doc d;
		gen(&g, churn_kind(&g), &d);
		if (rb_engine_apply_buffer(e, d.text, strlen(d.text), "change", RB_INPUT_YAML))
			failed("rb_engine_apply_buffer");
		snap_put(&s, d);
		const rb_result *res;
		if (rb_engine_translate(e, &res) || rb_engine_snapshot(e, &jobs[step].snap)) {
			failed("rb_engine_translate");
			break;
		}
		jobs[step].want = views(jobs[step].snap);
		jobs[step].rounds = 3;
		if (!jobs[step].want || pthread_create(&t[step], NULL, snapshot_reader, &jobs[step])) {
			failed("a snapshot reader does not start");
			rb_result_free(jobs[step].snap);
			break;
		}
		started++;
	}
	rb_engine_free(e); /* the snapshots outlive the engine, and the input */
	rb_input_free(in);
	for (unsigned i = 0; i < started; i++) {
		pthread_join(t[i], NULL);
		free(jobs[i].want);
	}
	free(jobs);
	free(t);
	for (size_t i = 0; i < s.n; i++)
		free(s.docs[i].text);
	free(s.docs);
	free(s.gc.text);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: threads GOLDEN_DIR [ROUNDS]\n");
		return 2;
	}
	unsigned rounds = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 10) : 4;
	char *texts[THREADS];
	size_t lens[THREADS];
	size_t n = golden_inputs(argv[1], texts, lens);
	if (n < THREADS) {
		fprintf(stderr, "threads: only %zu golden inputs in %s\n", n, argv[1]);
		return 2;
	}
	rb_ctx *ctx;
	if (rb_ctx_new(&ctx, NULL))
		return 1;
	/* Baselines, single-threaded. */
	char *want[THREADS];
	for (int i = 0; i < THREADS; i++) {
		rb_input *in = load(ctx, texts[i], lens[i]);
		rb_result *res = NULL;
		if (!in || rb_translate(&res, in, NULL) || !(want[i] = views(res))) {
			fprintf(stderr, "threads: golden input %d does not translate\n", i);
			return 1;
		}
		rb_result_free(res);
		rb_input_free(in);
	}

	/* 1. */
	pthread_t t[THREADS];
	translate_job tj[THREADS];
	for (int i = 0; i < THREADS; i++) {
		tj[i] = (translate_job){ctx, texts[i], lens[i], want[i], rounds};
		if (pthread_create(&t[i], NULL, translate_thread, &tj[i]))
			failed("pthread_create");
	}
	join(t);

	/* 2. */
	rb_input *in = load(ctx, texts[0], lens[0]);
	rb_result *shared = NULL;
	if (!in || rb_translate(&shared, in, NULL)) {
		failed("the shared result");
		return 1;
	}
	read_job job = {shared, in, want[0], rounds};
	run_readers(&job, t);
	join(t);

	/* 3. The readers no longer touch the input: the main thread frees results
	 * of it, then the input itself, while they read. */
	job.in = NULL;
	job.rounds = rounds * 2;
	run_readers(&job, t);
	for (unsigned r = 0; r < rounds * 4; r++) {
		rb_result *other = NULL;
		if (rb_translate(&other, in, NULL))
			failed("rb_translate in the main thread");
		rb_result_free(other);
	}
	rb_input_free(in);
	join(t);
	rb_result_free(shared);

	/* 4. */
	engine_steps(ctx, rounds * 5);

	/* 5. */
	engine_snapshots(ctx, rounds * 5);

	for (int i = 0; i < THREADS; i++) {
		free(want[i]);
		free(texts[i]);
	}
	rb_ctx_free(ctx);
	printf("threads: %d failures\n", failures);
	return failures ? 1 : 0;
}
