/*
 * Allocation failure over the golden inputs: for every case under
 * tests/golden, both modes and three outputs (the IR, xDS and explain, as
 * JSON), a baseline (the output, or the load diagnostic) is taken with an
 * allocator that counts allocations; then the same run is repeated with
 * allocation K failing (that one only), for every K when a run makes at most
 * FULL_RUNS allocations (all golden runs today: about 20,000 runs, 3 s),
 * else for the first HEAD_RUNS and then a sample spread evenly over the rest
 * (a stride, its start shifted per case so that cases cover different
 * points), to stay well under a minute on the dev build. Each repeated run
 * must end in RB_ENOMEM or give exactly the baseline: never a different
 * result (issue 14: group_reason once answered RB_OK with `reason: ""`).
 *
 * libyaml and cJSON allocate with malloc themselves: their failures are not
 * simulated here.
 *
 * Usage: alloc_fail GOLDEN_DIR [CASE_SUBSTRING]
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <rebalance/rebalance.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FULL_RUNS 600
#define HEAD_RUNS 150
#define SAMPLED   450

typedef struct counter {
	uint64_t count;   /* allocations so far */
	uint64_t fail_at; /* 1-based allocation that fails; 0: none */
	uint64_t failed;  /* how many were refused */
} counter;

static void *counting_realloc(void *ud, void *p, size_t old, size_t n)
{
	(void)old;
	counter *c = ud;
	if (n == 0) {
		free(p);
		return NULL;
	}
	if (++c->count == c->fail_at) {
		c->failed++;
		return NULL;
	}
	return realloc(p, n);
}

typedef struct text {
	char *data;
	size_t len, cap;
} text;

static int text_sink(void *ud, const void *p, size_t n)
{
	text *t = ud;
	if (t->len + n + 1 > t->cap) {
		size_t cap = (t->len + n + 1) * 2;
		char *d = realloc(t->data, cap);
		if (!d)
			return -1;
		t->data = d;
		t->cap = cap;
	}
	memcpy(t->data + t->len, p, n);
	t->len += n;
	t->data[t->len] = '\0';
	return 0;
}

/* What a run writes: the IR, the xDS resources, or the explanation (JSON each). */
typedef enum view { VIEW_IR, VIEW_XDS, VIEW_EXPLAIN } view;
static const char *const VIEW_NAMES[] = {"translate", "xds", "explain"};

/* One run: rc and, on success, the JSON; on a load error, its first diagnostic. */
static int run(char *const *inputs, size_t ninputs, rb_mode mode, view v, counter *c, text *out)
{
	out->len = 0;
	rb_allocator a = {counting_realloc, c};
	rb_ctx *ctx;
	int rc = rb_ctx_new(&ctx, &a);
	if (rc)
		return rc;
	rb_ctx_set_hash_seed(ctx, 1);
	rb_input *in = NULL;
	rb_result *res = NULL;
	rc = rb_input_new(&in, ctx);
	for (size_t i = 0; !rc && i < ninputs; i++) {
		rc = rb_input_add_file(in, inputs[i], RB_INPUT_AUTO);
		if (rc && rb_input_diag_count(in)) {
			const rb_diag *d = rb_input_diag(in, 0);
			text_sink(out, rb_diag_message(d), strlen(rb_diag_message(d)));
		}
	}
	rb_translate_options o = RB_TRANSLATE_OPTIONS_INIT;
	o.mode = mode;
	if (!rc && v == VIEW_EXPLAIN) {
		rb_explanation *ex = NULL;
		rc = rb_explain(&ex, in, &o, NULL);
		if (!rc)
			rc = rb_explanation_write(ex, RB_FORMAT_JSON, text_sink, out);
		rb_explanation_free(ex);
	} else if (!rc) {
		rc = rb_translate(&res, in, &o);
		if (!rc)
			rc = v == VIEW_XDS ? rb_xds_write(res, RB_FORMAT_JSON, text_sink, out)
			                   : rb_result_write(res, RB_FORMAT_JSON, text_sink, out);
	}
	rb_result_free(res);
	rb_input_free(in);
	rb_ctx_free(ctx);
	return rc;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The input files of a case, sorted (as golden_runner takes them). */
static size_t case_inputs(const char *dir, char **inputs, size_t max)
{
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < max) {
		size_t l = strlen(e->d_name);
		if (strncmp(e->d_name, "input", 5) ||
		    !(l > 5 &&
		      (!strcmp(e->d_name + l - 5, ".yaml") || !strcmp(e->d_name + l - 5, ".json"))))
			continue;
		inputs[n] = malloc(strlen(dir) + l + 2);
		sprintf(inputs[n], "%s/%s", dir, e->d_name);
		n++;
	}
	closedir(d);
	qsort(inputs, n, sizeof *inputs, by_name);
	return n;
}

static int check_case(const char *dir, const char *name, unsigned salt, uint64_t *runs,
                      uint64_t *largest)
{
	char *inputs[16];
	size_t ninputs = case_inputs(dir, inputs, 16);
	if (!ninputs)
		return 0;
	int bad = 0;
	for (int mv = 0; mv < 6 && !bad; mv++) {
		int m = mv % 2;
		view v = (view)(mv / 2);
		rb_mode mode = m ? RB_MODE_COMPAT_ENVOY_GATEWAY : RB_MODE_REBALANCE;
		counter c = {0, 0, 0};
		text base = {0}, got = {0};
		int base_rc = run(inputs, ninputs, mode, v, &c, &base);
		uint64_t total = c.count;
		if (total > *largest)
			*largest = total;
		uint64_t stride = total <= FULL_RUNS ? 1 : (total - HEAD_RUNS) / SAMPLED + 1;
		for (uint64_t k = 1; k <= total && !bad; k++) {
			if (k > HEAD_RUNS && stride > 1 &&
			    (k - HEAD_RUNS) % stride != salt % stride)
				continue;
			counter f = {0, k, 0};
			int rc = run(inputs, ninputs, mode, v, &f, &got);
			(*runs)++;
			if (rc == RB_ENOMEM && f.failed)
				continue;
			if (rc != base_rc || got.len != base.len ||
			    (got.len && memcmp(got.data, base.data, got.len))) {
				fprintf(stderr,
				        "%s (%s, %s): allocation %llu of %llu failing gave rc %d "
				        "(baseline %d), %s\n",
				        name, VIEW_NAMES[v], m ? "compat" : "rebalance",
				        (unsigned long long)k, (unsigned long long)total, rc,
				        base_rc,
				        rc == base_rc ? "different output" : "not RB_ENOMEM");
				fprintf(stderr, "  baseline: %.200s\n  got: %.200s\n",
				        base.data ? base.data : "", got.data ? got.data : "");
				bad = 1;
			}
		}
		free(base.data);
		free(got.data);
	}
	for (size_t i = 0; i < ninputs; i++)
		free(inputs[i]);
	return bad;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: alloc_fail GOLDEN_DIR [CASE_SUBSTRING]\n");
		return 2;
	}
	struct dirent **cases;
	int n = scandir(argv[1], &cases, NULL, alphasort);
	if (n < 0) {
		perror(argv[1]);
		return 2;
	}
	int bad = 0, tried = 0;
	uint64_t runs = 0, largest = 0;
	for (int i = 0; i < n; i++) {
		const char *name = cases[i]->d_name;
		if (name[0] != '.' && (argc < 3 || strstr(name, argv[2]))) {
			char dir[4096];
			snprintf(dir, sizeof dir, "%s/%s", argv[1], name);
			bad += check_case(dir, name, (unsigned)i * 7919u, &runs, &largest);
			tried++;
		}
		free(cases[i]);
	}
	free(cases);
	printf("%d cases, %llu failing runs (largest run: %llu allocations), %d with a wrong "
	       "result\n",
	       tried, (unsigned long long)runs, (unsigned long long)largest, bad);
	return bad ? 1 : 0;
}
