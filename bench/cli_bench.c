/*
 * rb-bench cli: the command-line tool as a whole process, against a bare
 * libyaml scan as a whole process.
 *
 *   rb-bench cli CLI [-r REPEATS] [-c translate|xds] [SIZES...]   (default 2000 8000)
 *
 * For every size, a YAML cluster (testdata layout) is written to a file, then
 * `CLI COMMAND -o json FILE > /dev/null` and `rb-bench run yaml-scan FILE`
 * run alternately as child processes. Both are measured by the kernel
 * (wait4): CPU time (user + system) and peak RSS (ru_maxrss), so everything
 * the process does counts -- loading, start-up, the output it writes. This is
 * what a user of the CLI pays, where `rb-bench` without `cli` measures the
 * library path inside one process.
 */
#define _DEFAULT_SOURCE /* wait4 */
#include "cli_bench.h"

#include "gen.h"

#include <errno.h>
#include <fcntl.h>
#include <rebalance/rebalance.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct proc_cost {
	double cpu_s;
	double fastest_s; /* summaries: the smallest CPU time of the repeats */
	long peak_kib;
} proc_cost;

/* Run argv with stdout on /dev/null; its CPU time and peak RSS. 0 when it exited 0. */
static int run_measured(char *const argv[], proc_cost *cost)
{
	pid_t pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		if (null < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0)
			_exit(127);
		execv(argv[0], argv);
		_exit(127);
	}
	int status;
	struct rusage ru;
	if (wait4(pid, &status, 0, &ru) < 0)
		return 1;
	cost->cpu_s = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	              (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	cost->peak_kib = ru.ru_maxrss;
	return !WIFEXITED(status) || WEXITSTATUS(status);
}

static int by_cpu(const void *a, const void *b)
{
	double x = ((const proc_cost *)a)->cpu_s, y = ((const proc_cost *)b)->cpu_s;
	return x < y ? -1 : x > y;
}

/* The median and the smallest CPU time, and the largest peak RSS. */
static proc_cost summarize(proc_cost *c, int n)
{
	long peak = 0;
	for (int i = 0; i < n; i++)
		if (c[i].peak_kib > peak)
			peak = c[i].peak_kib;
	qsort(c, (size_t)n, sizeof *c, by_cpu);
	proc_cost m = c[n / 2];
	m.fastest_s = c[0].cpu_s;
	m.peak_kib = peak;
	return m;
}

static int write_input(const char *path, size_t routes, size_t *bytes)
{
	gen_params gp = GEN_PARAMS_DEFAULT;
	gp.routes = routes;
	gen_buf b = {0};
	if (gen_write(&gp, GEN_TESTDATA_YAML, &b)) {
		gen_buf_free(&b);
		return 1;
	}
	FILE *f = fopen(path, "wb");
	int rc = !f || fwrite(b.data, 1, b.len, f) != b.len;
	if (f && fclose(f))
		rc = 1;
	*bytes = b.len;
	gen_buf_free(&b);
	return rc;
}

int cmd_cli(const char *self, int argc, char **argv)
{
	if (argc < 1) {
		fprintf(stderr,
		        "usage: rb-bench cli CLI [-r REPEATS] [-c translate|xds] [SIZES...]\n");
		return 2;
	}
	char *cli = argv[0];
	char default_command[] = "translate";
	char *command = default_command;
	int repeats = 5;
	size_t sizes[16], nsizes = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-r") && i + 1 < argc)
			repeats = atoi(argv[++i]);
		else if (!strcmp(argv[i], "-c") && i + 1 < argc)
			command = argv[++i];
		else if (argv[i][0] >= '1' && argv[i][0] <= '9' && nsizes < 16)
			sizes[nsizes++] = strtoull(argv[i], NULL, 10);
		else
			return cmd_cli(self, 0, NULL);
	}
	if (!nsizes) {
		sizes[0] = 2000;
		sizes[1] = 8000;
		nsizes = 2;
	}
	if (repeats < 1 || repeats > 64)
		repeats = repeats < 1 ? 1 : 64;
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	printf("rebalance %s; `%s %s -o json FILE > /dev/null` against `rb-bench run yaml-scan "
	       "FILE`, whole processes; %d repeats (median CPU time, largest peak RSS; fastest: "
	       "the ratio of the smallest CPU times)\n\n",
	       rb_version_string(), cli, command, repeats);
	printf("| routes | input MB | scan ms | CLI ms | CLI/scan | fastest CLI/scan | scan peak MiB "
	       "| CLI peak MiB | CLI peak/input |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
	for (size_t s = 0; s < nsizes; s++) {
		char path[4200];
		snprintf(path, sizeof path, "%s/rb-bench-cli-%d-%zu.yaml", tmp, (int)getpid(),
		         sizes[s]);
		size_t bytes;
		if (write_input(path, sizes[s], &bytes)) {
			fprintf(stderr, "rb-bench: cannot write %s: %s\n", path, strerror(errno));
			unlink(path);
			return 1;
		}
		char self_arg[4096], run_arg[] = "run", scan_arg[] = "yaml-scan", o_arg[] = "-o",
		                     json_arg[] = "json";
		snprintf(self_arg, sizeof self_arg, "%s", self);
		char *scan_argv[] = {self_arg, run_arg, scan_arg, path, NULL};
		char *cli_argv[] = {cli, command, o_arg, json_arg, path, NULL};
		proc_cost scan[64], run[64];
		int rc = 0;
		/* alternate, so that a slow spell of the machine hits both */
		for (int k = 0; k < repeats && !rc; k++)
			rc = run_measured(scan_argv, &scan[k]) || run_measured(cli_argv, &run[k]);
		unlink(path);
		if (rc) {
			fprintf(stderr, "rb-bench: a run failed (size %zu)\n", sizes[s]);
			return 1;
		}
		proc_cost sm = summarize(scan, repeats), cm = summarize(run, repeats);
		double mb = (double)bytes / 1e6;
		printf("| %zu | %.1f | %.1f | %.1f | %.2f | %.2f | %.1f | %.1f | %.2f |\n", sizes[s], mb,
		       sm.cpu_s * 1e3, cm.cpu_s * 1e3, cm.cpu_s / sm.cpu_s, cm.fastest_s / sm.fastest_s,
		       (double)sm.peak_kib / 1024.0, (double)cm.peak_kib / 1024.0,
		       (double)cm.peak_kib * 1024.0 / (double)bytes);
	}
	printf("\ntargets: CLI peak/input <= 2; CLI/scan <= 1.5\n");
	return 0;
}
