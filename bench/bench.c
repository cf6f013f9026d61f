/*
 * rb-bench: end-to-end throughput against the parsing floor.
 *
 *   rb-bench [-r REPEATS] [-k REFS] [-m ENDPOINTS] [SIZES...]     (default 1000 10000 50000)
 *   rb-bench run MODE FILE     one measurement in this process (for callgrind / perf):
 *                              MODE is yaml-scan, json-parse, yaml-ir or json-ir
 *   rb-bench engine [ROUTES [CHANGES]]   the incremental engine (default 10000, 1000)
 *   rb-bench engine-files ROUTES CHANGES DIR   its snapshot and changes, for the bindings
 *   rb-bench cli CLI [-r N] [-c translate|xds] [SIZES...]   the CLI as a whole process
 *                              against a libyaml scan as a whole process (cli_bench.c)
 *   rb-bench flood [KEYS [REPEATS]]      crafted against plain table keys (flood.c)
 *
 * For every size (routes), a synthetic cluster (gen.h) is written as YAML
 * (testdata layout) and as JSON (`kind: List`), and each measurement runs in a
 * fresh process (this program re-executed with `run`), so that its peak RSS is
 * its own: time is the median over the repeats, peak RSS the largest, counted
 * from before the input file is read (the input buffer is included). Times
 * are CPU times of the measuring process (steadier than wall time on a shared
 * machine); floor and IR runs alternate.
 *
 *   floor  yaml-scan   libyaml events only (yaml_parser_parse + yaml_event_delete)
 *          json-parse  cJSON_ParseWithLength + cJSON_Delete
 *   IR     yaml-ir / json-ir: rb_input_add_buffer, rb_translate and
 *          rb_result_write(JSON) to a sink that only counts bytes
 */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <rebalance/rebalance.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <yaml.h>

#include "cli_bench.h"
#include "flood.h"
#include "gen.h"

/*
 * CPU time of this process: on a shared machine it is far steadier than wall
 * time (other processes do not count), and every measurement is single-threaded.
 */
static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* A field of /proc/self/status, in KiB. */
static long status_kib(const char *field)
{
	FILE *f = fopen("/proc/self/status", "r");
	if (!f)
		return -1;
	char line[256];
	long v = -1;
	size_t n = strlen(field);
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, field, n) && line[n] == ':') {
			v = strtol(line + n + 1, NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static int count_sink(void *ud, const void *p, size_t n)
{
	(void)p;
	*(size_t *)ud += n;
	return 0;
}

typedef struct phases {
	double load, translate, write;
	size_t out_bytes;
} phases;

static int run_ir(const char *buf, size_t len, rb_input_format fmt, phases *ph)
{
	rb_ctx *ctx;
	rb_input *in;
	rb_result *res = NULL;
	double t0 = now();
	if (rb_ctx_new(&ctx, NULL))
		return 1;
	rb_ctx_set_limit(ctx, RB_LIMIT_INPUT_BYTES, (uint64_t)1 << 32);
	rb_ctx_set_limit(ctx, RB_LIMIT_NODES, (uint64_t)1 << 32);
	rb_ctx_set_limit(ctx, RB_LIMIT_DOCUMENTS, (uint64_t)1 << 32);
	rb_input_new(&in, ctx);
	int rc = rb_input_add_buffer(in, buf, len, "bench", fmt);
	if (rc) {
		fprintf(stderr, "load: %s\n", rb_diag_message(rb_input_diag(in, 0)));
		return 1;
	}
	double t1 = now();
	rc = rb_translate(&res, in, NULL);
	double t2 = now();
	ph->out_bytes = 0;
	if (!rc)
		rc = rb_result_write(res, RB_FORMAT_JSON, count_sink, &ph->out_bytes);
	rb_result_free(res);
	rb_input_free(in);
	rb_ctx_free(ctx);
	double t3 = now();
	ph->load = t1 - t0;
	ph->translate = t2 - t1;
	ph->write = t3 - t2;
	return rc ? 1 : 0;
}

static int run_yaml_scan(const char *buf, size_t len)
{
	yaml_parser_t p;
	yaml_parser_initialize(&p);
	yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
	for (;;) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&p, &ev)) {
			yaml_parser_delete(&p);
			return 1;
		}
		int end = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
		if (end)
			break;
	}
	yaml_parser_delete(&p);
	return 0;
}

static int run_json_parse(const char *buf, size_t len)
{
	cJSON *root = cJSON_ParseWithLength(buf, len);
	if (!root)
		return 1;
	cJSON_Delete(root);
	return 0;
}

/* `run MODE FILE`: prints "seconds peak_kib load translate write out_bytes". */
static int cmd_run(const char *mode, const char *path)
{
	long base = status_kib("VmRSS");
	size_t len;
	char *buf = read_file(path, &len);
	if (!buf) {
		fprintf(stderr, "rb-bench: cannot read %s\n", path);
		return 1;
	}
	phases ph = {0, 0, 0, 0};
	double t0 = now();
	int rc;
	if (!strcmp(mode, "yaml-scan"))
		rc = run_yaml_scan(buf, len);
	else if (!strcmp(mode, "json-parse"))
		rc = run_json_parse(buf, len);
	else if (!strcmp(mode, "yaml-ir"))
		rc = run_ir(buf, len, RB_INPUT_YAML, &ph);
	else if (!strcmp(mode, "json-ir"))
		rc = run_ir(buf, len, RB_INPUT_JSON, &ph);
	else {
		fprintf(stderr, "rb-bench: unknown mode %s\n", mode);
		return 2;
	}
	double t = now() - t0;
	long peak = status_kib("VmHWM");
	free(buf);
	if (rc) {
		fprintf(stderr, "rb-bench: %s failed on %s\n", mode, path);
		return 1;
	}
	printf("%.6f %ld %.6f %.6f %.6f %zu\n", t, peak - base, ph.load, ph.translate, ph.write,
	       ph.out_bytes);
	return 0;
}

typedef struct sample {
	double t, load, translate, write;
	long peak_kib;
	size_t out_bytes;
} sample;

static int measure_once(const char *self, const char *mode, const char *path, sample *s)
{
	int fd[2];
	if (pipe(fd))
		return 1;
	pid_t pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		execl(self, self, "run", mode, path, (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	char out[256] = {0};
	size_t got = 0;
	ssize_t n;
	while ((n = read(fd[0], out + got, sizeof out - 1 - got)) > 0)
		got += (size_t)n;
	close(fd[0]);
	int status;
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return 1;
	return sscanf(out, "%lf %ld %lf %lf %lf %zu", &s->t, &s->peak_kib, &s->load, &s->translate,
	              &s->write, &s->out_bytes) == 6
	               ? 0
	               : 1;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Median time (and phases of the median run), largest peak. */
static int summarize(sample *s, int repeats, sample *med)
{
	double ts[64];
	long peak = 0;
	for (int i = 0; i < repeats; i++) {
		ts[i] = s[i].t;
		if (s[i].peak_kib > peak)
			peak = s[i].peak_kib;
	}
	qsort(ts, (size_t)repeats, sizeof ts[0], cmp_double);
	double m = ts[repeats / 2];
	for (int i = 0; i < repeats; i++)
		if (s[i].t == m)
			*med = s[i];
	med->peak_kib = peak;
	return 0;
}

static int write_file(const char *path, const gen_buf *b)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return 1;
	int rc = fwrite(b->data, 1, b->len, f) == b->len ? 0 : 1;
	return fclose(f) || rc;
}

typedef struct row {
	size_t routes;
	size_t bytes[2];
	sample floor[2], ir[2];
} row;

/* A sink that counts bytes. */
static int count_bytes(void *ud, const void *p, size_t n)
{
	(void)p;
	*(size_t *)ud += n;
	return 0;
}

/* What an embedder does with a change set: every added or changed entry
 * serialized alone as JSON (rb_destination_write, rb_route_status_write). */
static int write_delta(rb_ctx *ctx, const rb_changes *c, size_t *bytes, size_t *entries)
{
	for (size_t i = 0; i < rb_changes_destination_count(c); i++) {
		const rb_destination *d = rb_changes_destination(c, i);
		(*entries)++;
		if (d && rb_destination_write(ctx, d, RB_FORMAT_JSON, count_bytes, bytes))
			return 1;
	}
	for (size_t i = 0; i < rb_changes_route_count(c); i++) {
		(*entries)++;
		for (size_t j = 0; j < rb_changes_route_status_count(c, i); j++)
			if (rb_route_status_write(ctx, rb_changes_route_status(c, i, j), RB_FORMAT_JSON,
			                          count_bytes, bytes))
				return 1;
	}
	return 0;
}

/* The service the i-th change of `engine` scales (the same sequence in every mode). */
static size_t change_service(size_t routes, int i)
{
	size_t services = routes / 2 ? routes / 2 : 1;
	return (size_t)((unsigned)i * 2654435761u) % services;
}

/*
 * `engine-files ROUTES CHANGES DIR`: the snapshot and the changes of `engine`
 * as files, for the bindings' benchmarks (DIR/snapshot.yaml, the testdata
 * layout; DIR/changes.yaml, one EndpointSlice per document).
 */
static int cmd_engine_files(size_t routes, int changes, const char *dir)
{
	gen_params gp = GEN_PARAMS_DEFAULT;
	gp.routes = routes;
	gen_buf snap = {0};
	if (gen_write(&gp, GEN_TESTDATA_YAML, &snap))
		return 1;
	char path[4096];
	snprintf(path, sizeof path, "%s/snapshot.yaml", dir);
	int rc = write_file(path, &snap);
	gen_buf_free(&snap);
	snprintf(path, sizeof path, "%s/changes.yaml", dir);
	FILE *f = rc ? NULL : fopen(path, "wb");
	rc = !f;
	for (int i = 0; i < changes && !rc; i++) {
		gen_buf b = {0};
		rc = gen_slice(&gp, change_service(routes, i), gp.endpoints, (unsigned)i + 1,
		               GEN_STREAM_YAML, &b) ||
		     fputs("---\n", f) < 0 || fwrite(b.data, 1, b.len, f) != b.len;
		gen_buf_free(&b);
	}
	if (f && fclose(f))
		rc = 1;
	if (rc)
		fprintf(stderr, "rb-bench: cannot write %s\n", path);
	return rc;
}

/*
 * `engine [ROUTES] [CHANGES]`: one EndpointSlice replaced at a time (another
 * set of addresses for a random Service), each followed by
 * rb_engine_translate, against rb_translate of the same snapshot; then the
 * same changes again, each taken to its serialized delta (rb_engine_changes,
 * every changed entry written alone as JSON), against the whole IR written.
 */
static int cmd_engine(size_t routes, int changes)
{
	gen_params gp = GEN_PARAMS_DEFAULT;
	gp.routes = routes;
	gen_buf snap = {0};
	if (gen_write(&gp, GEN_TESTDATA_YAML, &snap))
		return 1;
	rb_ctx *ctx;
	rb_input *in;
	rb_ctx_new(&ctx, NULL);
	rb_ctx_set_limit(ctx, RB_LIMIT_INPUT_BYTES, (uint64_t)1 << 32);
	rb_ctx_set_limit(ctx, RB_LIMIT_NODES, (uint64_t)1 << 32);
	rb_input_new(&in, ctx);
	if (rb_input_add_buffer(in, snap.data, snap.len, "snapshot", RB_INPUT_YAML))
		return 1;
	double full[7];
	for (int i = 0; i < 7; i++) {
		rb_result *res;
		double t0 = now();
		if (rb_translate(&res, in, NULL))
			return 1;
		full[i] = now() - t0;
		rb_result_free(res);
	}
	qsort(full, 7, sizeof full[0], cmp_double);
	rb_engine *e;
	const rb_result *res;
	if (rb_engine_new(&e, in, NULL))
		return 1;
	double t0 = now();
	if (rb_engine_translate(e, &res))
		return 1;
	double first = now() - t0;
	size_t ir_bytes = 0;
	t0 = now();
	if (rb_result_write(res, RB_FORMAT_JSON, count_bytes, &ir_bytes))
		return 1;
	double whole = now() - t0;
	double *t = calloc((size_t)changes, sizeof *t);
	double *td = calloc((size_t)changes, sizeof *td);
	double *ts = calloc((size_t)changes, sizeof *ts);
	rb_result *held = NULL;
	uint64_t translated = 0;
	size_t delta_bytes = 0, delta_entries = 0;
	for (int i = 0; i < 3 * changes; i++) {
		gen_buf b = {0};
		int round = i / changes; /* 0: translate; 1: to the serialized delta; 2: a snapshot held */
		bool delta = round == 1;
		int k = i % changes;
		if (gen_slice(&gp, change_service(routes, k), gp.endpoints, (unsigned)i + 1,
		              GEN_STREAM_YAML, &b))
			return 1;
		t0 = now();
		int rc = rb_engine_apply_buffer(e, b.data, b.len, "change", RB_INPUT_YAML);
		if (!rc)
			rc = rb_engine_translate(e, &res);
		if (!rc && delta)
			rc = write_delta(ctx, rb_engine_changes(e), &delta_bytes, &delta_entries);
		(round == 0 ? t : round == 1 ? td : ts)[k] = now() - t0;
		if (!rc && round == 2) {
			/* Someone reads each result until the next one: the engine copies
			 * the arrays before patching them, and keeps what they read. */
			rb_result_free(held);
			rc = rb_engine_snapshot(e, &held);
		}
		gen_buf_free(&b);
		if (rc) {
			fprintf(stderr, "rb-bench: engine change failed\n");
			return 1;
		}
		rb_engine_stats st;
		st.size = sizeof st;
		rb_engine_get_stats(e, &st);
		if (round == 0)
			translated += st.routes_translated;
	}
	rb_engine_stats st;
	st.size = sizeof st;
	rb_engine_get_stats(e, &st);
	qsort(t, (size_t)changes, sizeof *t, cmp_double);
	double med = t[changes / 2], p90 = t[changes * 9 / 10];
	printf("incremental engine, %zu routes (%.1f MB YAML), %d EndpointSlice changes\n", routes,
	       (double)snap.len / 1e6, changes);
	printf("| full rb_translate ms | engine first (full) ms | change median us | p90 us | max us "
	       "| median / full | routes translated per change | full translations |\n");
	printf("|---:|---:|---:|---:|---:|---:|---:|---:|\n");
	printf("| %.1f | %.1f | %.0f | %.0f | %.0f | %.3f%% | %.1f | %llu |\n", full[3] * 1e3,
	       first * 1e3, med * 1e6, p90 * 1e6, t[changes - 1] * 1e6, 100.0 * med / full[3],
	       (double)translated / changes, (unsigned long long)st.full_translations);
	printf("target: one EndpointSlice change <= 1%% of the full translate time\n");
	double td_sum = 0;
	for (int i = 0; i < changes; i++)
		td_sum += td[i];
	qsort(td, (size_t)changes, sizeof *td, cmp_double);
	printf("\nto a serialized delta (rb_engine_changes, each changed entry written alone as JSON):\n");
	printf("| whole IR JSON ms | IR MB | change to delta median us | p90 us | mean us "
	       "| entries per change | delta bytes per change |\n");
	printf("|---:|---:|---:|---:|---:|---:|---:|\n");
	printf("| %.1f | %.1f | %.0f | %.0f | %.0f | %.1f | %.0f |\n", whole * 1e3,
	       (double)ir_bytes / 1e6, td[changes / 2] * 1e6, td[changes * 9 / 10] * 1e6,
	       td_sum / changes * 1e6, (double)delta_entries / changes, (double)delta_bytes / changes);
	qsort(ts, (size_t)changes, sizeof *ts, cmp_double);
	printf("\nwith a snapshot of each result held until the next one (rb_engine_snapshot):\n");
	printf("| change median us | p90 us |\n|---:|---:|\n| %.0f | %.0f |\n",
	       ts[changes / 2] * 1e6, ts[changes * 9 / 10] * 1e6);
	rb_result_free(held);
	free(ts);
	free(td);
	free(t);
	rb_engine_free(e);
	rb_input_free(in);
	rb_ctx_free(ctx);
	gen_buf_free(&snap);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "run"))
		return cmd_run(argv[2], argv[3]);
	if (argc >= 2 && !strcmp(argv[1], "flood"))
		return cmd_flood(argc > 2 ? strtoull(argv[2], NULL, 10) : 100000,
		                 argc > 3 ? atoi(argv[3]) : 5);
	if (argc == 5 && !strcmp(argv[1], "engine-files"))
		return cmd_engine_files(strtoull(argv[2], NULL, 10), atoi(argv[3]), argv[4]);
	if (argc >= 2 && !strcmp(argv[1], "engine"))
		return cmd_engine(argc > 2 ? strtoull(argv[2], NULL, 10) : 10000,
		                  argc > 3 ? atoi(argv[3]) : 1000);
	char self[4096];
	ssize_t sl = readlink("/proc/self/exe", self, sizeof self - 1);
	if (sl <= 0)
		return 1;
	self[sl] = '\0';
	if (argc >= 2 && !strcmp(argv[1], "cli"))
		return cmd_cli(self, argc - 2, argv + 2);
	int repeats = 5;
	gen_params gp = GEN_PARAMS_DEFAULT;
	size_t sizes[16];
	size_t nsizes = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-r") && i + 1 < argc)
			repeats = atoi(argv[++i]);
		else if (!strcmp(argv[i], "-k") && i + 1 < argc)
			gp.refs = strtoull(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "-m") && i + 1 < argc)
			gp.endpoints = strtoull(argv[++i], NULL, 10);
		else if (argv[i][0] >= '1' && argv[i][0] <= '9' && nsizes < 16)
			sizes[nsizes++] = strtoull(argv[i], NULL, 10);
		else {
			fprintf(stderr, "usage: rb-bench [-r REPEATS] [-k REFS] [-m ENDPOINTS] [SIZES...]\n"
			                "       rb-bench run yaml-scan|json-parse|yaml-ir|json-ir FILE\n"
			                "       rb-bench cli CLI [-r REPEATS] [-c translate|xds] [SIZES...]\n");
			return 2;
		}
	}
	if (!nsizes) {
		sizes[0] = 1000;
		sizes[1] = 10000;
		sizes[2] = 50000;
		nsizes = 3;
	}
	if (repeats < 1)
		repeats = 1;
	if (repeats > 64)
		repeats = 64;
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	row rows[16];
	static const char *const floor_mode[2] = {"yaml-scan", "json-parse"};
	static const char *const ir_mode[2] = {"yaml-ir", "json-ir"};
	static const gen_format fmt[2] = {GEN_TESTDATA_YAML, GEN_LIST_JSON};
	printf("rebalance %s; %d repeats (median CPU time, largest peak RSS); refs/rule %zu, "
	       "endpoints/Service %zu, Services = routes/2, %u%% empty, %u%% invalid refs\n\n",
	       rb_version_string(), repeats, gp.refs, gp.endpoints, gp.empty_pct, gp.invalid_pct);
	for (size_t i = 0; i < nsizes; i++) {
		row *r = &rows[i];
		memset(r, 0, sizeof *r);
		r->routes = sizes[i];
		gp.routes = sizes[i];
		for (int f = 0; f < 2; f++) {
			char path[4200];
			snprintf(path, sizeof path, "%s/rb-bench-%d-%zu.%s", tmp, (int)getpid(), sizes[i],
			         f ? "json" : "yaml");
			gen_buf b = {0};
			if (gen_write(&gp, fmt[f], &b) || write_file(path, &b)) {
				fprintf(stderr, "rb-bench: cannot write %s: %s\n", path, strerror(errno));
				return 1;
			}
			r->bytes[f] = b.len;
			gen_buf_free(&b);
			/* Floor and IR runs alternate, so that a slow spell hits both. */
			sample fs[64], is[64];
			int rc = 0;
			for (int k = 0; k < repeats && !rc; k++)
				rc = measure_once(self, floor_mode[f], path, &fs[k]) ||
				     measure_once(self, ir_mode[f], path, &is[k]);
			if (!rc)
				rc = summarize(fs, repeats, &r->floor[f]) || summarize(is, repeats, &r->ir[f]);
			unlink(path);
			if (rc) {
				fprintf(stderr, "rb-bench: a measurement failed (size %zu)\n", sizes[i]);
				return 1;
			}
		}
	}
	for (int f = 0; f < 2; f++) {
		printf("%s -> IR (JSON written)\n", f ? "JSON (kind: List)" : "YAML (testdata layout)");
		printf("| routes | input MB | floor ms | IR ms | load | translate | write | IR/floor "
		       "| MB/s | peak RSS MB | RSS/input | 4x input costs |\n");
		printf("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
		for (size_t i = 0; i < nsizes; i++) {
			const row *r = &rows[i];
			double mb = (double)r->bytes[f] / 1e6;
			double scale = 0;
			if (i) {
				/* time ~ bytes^a, then 4x the input costs 4^a the time */
				double a = log(r->ir[f].t / rows[i - 1].ir[f].t) /
				           log((double)r->bytes[f] / (double)rows[i - 1].bytes[f]);
				scale = pow(4.0, a);
			}
			char sc[32] = "";
			if (i)
				snprintf(sc, sizeof sc, "%.2fx", scale);
			printf("| %zu | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.2f | %.1f | %.1f | %.2f "
			       "| %s |\n",
			       r->routes, mb, r->floor[f].t * 1e3, r->ir[f].t * 1e3, r->ir[f].load * 1e3,
			       r->ir[f].translate * 1e3, r->ir[f].write * 1e3, r->ir[f].t / r->floor[f].t,
			       mb / r->ir[f].t, (double)r->ir[f].peak_kib / 1024.0,
			       (double)r->ir[f].peak_kib * 1024.0 / (double)r->bytes[f], sc);
		}
		printf("\n");
	}
	printf("targets: YAML IR/floor <= 1.5 (stretch 1.3); JSON IR/floor <= 2 (stretch 1.5); "
	       "4x input costs <= 4.4x; RSS/input <= 4 (stretch 2)\n");
	return 0;
}
