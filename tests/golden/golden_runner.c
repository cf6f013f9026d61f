/*
 * Golden tests, in jansson's data-driven shape (docs/conventions.md, Tests).
 *
 * A case is a directory tests/golden/<case>/ holding its inputs (input*.yaml,
 * input*.json, sorted by name) and one or more runs. A run NAME is:
 *   NAME.args  the arguments after `rebalance` (whitespace-separated), e.g.
 *              "translate --compat envoy-gateway -o json"; inputs are appended.
 *              Leading NAME=VALUE words set the environment (COLUMNS=200
 *              explain); every run starts from LANG=C.UTF-8 without LC_ALL,
 *              LC_CTYPE, COLUMNS and NO_COLOR, so that outputs are the same
 *              on every machine
 *   NAME.out   expected stdout (byte for byte)
 *   NAME.err   expected stderr (optional; absent means empty)
 *   NAME.rc    expected exit status (optional; absent means 0)
 * Every translate run that succeeds is also read back: its output re-emitted
 * in the same format must give the same bytes, and when the case has a run
 * NAME-yaml and NAME-json, the YAML re-emitted as JSON must equal the JSON.
 *
 * Usage: golden_runner CLI CASE_DIR. With REBALANCE_UPDATE_GOLDEN=1 the
 * expectations are rewritten from what the CLI printed.
 */
#define _GNU_SOURCE /* posix_spawn_file_actions_addchdir_np */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/ctx.h"
#include "emit/emit.h"
#include "load/load.h"

extern char **environ;

typedef struct text {
	char *data;
	size_t len;
} text;

static bool read_text(const char *path, text *t)
{
	t->data = NULL;
	t->len = 0;
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	size_t cap = 4096;
	t->data = malloc(cap);
	size_t got;
	while (t->data && (got = fread(t->data + t->len, 1, cap - t->len - 1, f)) > 0) {
		t->len += got;
		if (t->len + 1 == cap) {
			cap *= 2;
			char *d = realloc(t->data, cap);
			if (!d) {
				free(t->data);
				t->data = NULL;
			}
			t->data = d;
		}
	}
	fclose(f);
	if (t->data)
		t->data[t->len] = '\0';
	return t->data != NULL;
}

static bool write_text(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return false;
	bool ok = fwrite(data, 1, len, f) == len;
	return fclose(f) == 0 && ok;
}

/* Run argv in directory `dir`, capturing stdout and stderr. */
/*
 * The environment of a run: ours without what changes explain's layout
 * (LANG, LC_ALL, LC_CTYPE, COLUMNS, NO_COLOR), then LANG=C.UTF-8, then the
 * run's own NAME=VALUE words (leading words of its .args). Up to 255 entries.
 */
static char **run_env(char **assign, int n_assign)
{
	static char *env[512];
	static const char *const drop[] = {"LANG=", "LC_ALL=", "LC_CTYPE=", "COLUMNS=", "NO_COLOR="};
	int n = 0;
	for (char **e = environ; *e && n < 400; e++) {
		bool dropped = false;
		for (size_t i = 0; i < sizeof drop / sizeof drop[0]; i++)
			dropped |= !strncmp(*e, drop[i], strlen(drop[i]));
		if (!dropped)
			env[n++] = *e;
	}
	env[n++] = (char *)"LANG=C.UTF-8";
	for (int i = 0; i < n_assign && n < 510; i++) {
		/* a run's own value replaces ours (getenv reads the first) */
		size_t name = strcspn(assign[i], "=") + 1;
		int k = 0;
		while (k < n && strncmp(env[k], assign[i], name))
			k++;
		env[k] = assign[i];
		if (k == n)
			n++;
	}
	env[n] = NULL;
	return env;
}

static int run(char **argv, char **envp, const char *dir, text *out, text *err, int *status)
{
	int po[2], pe[2];
	if (pipe(po) || pipe(pe))
		return -1;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, po[1], 1);
	posix_spawn_file_actions_adddup2(&fa, pe[1], 2);
	posix_spawn_file_actions_addclose(&fa, po[0]);
	posix_spawn_file_actions_addclose(&fa, pe[0]);
	/* Inputs are named relative to the case, so messages are the same in any checkout. */
	posix_spawn_file_actions_addchdir_np(&fa, dir);
	pid_t pid;
	int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	close(po[1]);
	close(pe[1]);
	if (rc)
		return -1;
	text *dst[2] = {out, err};
	int fds[2] = {po[0], pe[0]};
	size_t caps[2] = {0, 0};
	for (int i = 0; i < 2; i++) {
		dst[i]->data = NULL;
		dst[i]->len = 0;
	}
	int open_fds = 2;
	while (open_fds) {
		struct pollfd p[2];
		int np = 0;
		for (int i = 0; i < 2; i++)
			if (fds[i] >= 0)
				p[np++] = (struct pollfd){fds[i], POLLIN, 0};
		if (poll(p, (nfds_t)np, -1) < 0 && errno != EINTR)
			break;
		for (int i = 0; i < 2; i++) {
			if (fds[i] < 0)
				continue;
			if (caps[i] - dst[i]->len < 65537) {
				caps[i] = caps[i] ? caps[i] * 2 : 131072;
				dst[i]->data = realloc(dst[i]->data, caps[i]);
			}
			ssize_t n = read(fds[i], dst[i]->data + dst[i]->len, caps[i] - dst[i]->len - 1);
			if (n > 0) {
				dst[i]->len += (size_t)n;
			} else if (n == 0 || errno != EINTR) {
				close(fds[i]);
				fds[i] = -1;
				open_fds--;
			}
		}
	}
	for (int i = 0; i < 2; i++) {
		if (!dst[i]->data)
			dst[i]->data = malloc(1);
		dst[i]->data[dst[i]->len] = '\0';
	}
	if (waitpid(pid, status, 0) < 0)
		return -1;
	return 0;
}

/* Print the first line where the two texts differ. */
static void show_diff(const char *what, const text *want, const text *got)
{
	size_t line = 1, i = 0;
	while (i < want->len && i < got->len && want->data[i] == got->data[i]) {
		if (want->data[i] == '\n')
			line++;
		i++;
	}
	size_t ws = i, gs = i;
	while (ws > 0 && want->data[ws - 1] != '\n')
		ws--;
	while (gs > 0 && got->data[gs - 1] != '\n')
		gs--;
	size_t we = ws, ge = gs;
	while (we < want->len && want->data[we] != '\n')
		we++;
	while (ge < got->len && got->data[ge] != '\n')
		ge++;
	fprintf(stderr, "  %s differs at line %zu:\n    expected: %.*s\n    actual:   %.*s\n", what,
	        line, (int)(we - ws), want->data + ws, (int)(ge - gs), got->data + gs);
}

static bool compare(const char *what, const char *path, const text *got, bool update)
{
	text want;
	bool have = read_text(path, &want);
	if (update) {
		if (!have || want.len != got->len || memcmp(want.data, got->data, got->len)) {
			if (got->len || have)
				write_text(path, got->data, got->len);
			fprintf(stderr, "  updated %s\n", path);
		}
		free(want.data);
		return true;
	}
	if (!have) {
		want.data = malloc(1);
		want.data[0] = '\0';
		want.len = 0;
	}
	bool same = want.len == got->len && !memcmp(want.data, got->data, got->len);
	if (!same)
		show_diff(what, &want, got);
	free(want.data);
	return same;
}

/* ---- reading the IR back ---- */

typedef struct reemit {
	rb__mem mem;
	rb_format format;
	rb__buf out;
	int rc;
} reemit;

static int buf_write(void *ud, const void *p, size_t n)
{
	return rb__buf_append(ud, p, n) ? 0 : 1;
}

static int reemit_root(void *ud, const rb__node *root, const char *layout_key)
{
	(void)layout_key;
	reemit *r = ud;
	rb__writer *w;
	int rc = rb__writer_new(&w, &r->mem, r->format, buf_write, &r->out);
	if (rc)
		return rc;
	rc = rb__emit_node(w, root);
	int frc = rb__writer_finish(w);
	rb__writer_free(w);
	return rc ? rc : frc;
}

/* Parse `in` (an IR document) and write it again as `format`. */
static bool read_back(const text *in, rb_format in_format, rb_format format, text *out,
                      char *err, size_t errlen)
{
	reemit r;
	rb__mem_default(&r.mem);
	r.format = format;
	rb__buf_init(&r.out, &r.mem);
	rb__limits lim;
	rb__limits_default(&lim);
	rb__arena da;
	rb__arena_init(&da, &r.mem);
	rb__diags diags;
	rb__diags_init(&diags, &r.mem, &da);
	rb__load_params p = {"output", in->data, in->len,
	                     in_format == RB_FORMAT_JSON ? RB_FMT_JSON : RB_FMT_YAML, &lim, &r.mem,
	                     &diags, false};
	p.raw = true;
	rb__sink sink = {reemit_root, &r};
	int rc = rb__load(&p, &sink);
	if (rc) {
		const rb_diag *d = rb__diags_at(&diags, 0);
		snprintf(err, errlen, "%s", d ? rb_diag_message(d) : "load failed");
	}
	rb__diags_free(&diags);
	rb__arena_free(&da);
	/* Hand back plain malloc memory: the caller frees with free(). */
	out->len = r.out.len;
	out->data = malloc(r.out.len + 1);
	if (out->data) {
		if (r.out.len)
			memcpy(out->data, r.out.data, r.out.len);
		out->data[r.out.len] = '\0';
	}
	rb__buf_free(&r.out);
	return rc == 0 && out->data;
}

/* ---- one case ---- */

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);
	return n >= m && !strcmp(s + n - m, suf);
}

static char *join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);
	snprintf(p, n, "%s/%s", dir, name);
	return p;
}

static bool run_case(const char *cli, const char *dir, char **inputs, size_t ninputs,
                     const char *run_name, bool update, text *outputs_yaml_json[2])
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s.args", dir, run_name);
	text args;
	if (!read_text(path, &args))
		return false;
	char *argv[256], *assign[16];
	int argc = 0, n_assign = 0;
	argv[argc++] = (char *)cli;
	for (char *tok = strtok(args.data, " \t\r\n"); tok && argc < 200; tok = strtok(NULL, " \t\r\n")) {
		/* leading NAME=VALUE words set the environment, as in a shell */
		size_t name = strspn(tok, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_");
		if (argc == 1 && name && tok[name] == '=' && n_assign < 16)
			assign[n_assign++] = tok;
		else
			argv[argc++] = tok;
	}
	for (size_t i = 0; i < ninputs && argc < 255; i++)
		argv[argc++] = inputs[i];
	argv[argc] = NULL;
	text out, err;
	int status;
	if (run(argv, run_env(assign, n_assign), dir, &out, &err, &status)) {
		fprintf(stderr, "  %s: cannot run %s\n", run_name, cli);
		free(args.data);
		return false;
	}
	int rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	bool ok = true;
	snprintf(path, sizeof path, "%s/%s.out", dir, run_name);
	ok &= compare("stdout", path, &out, update);
	snprintf(path, sizeof path, "%s/%s.err", dir, run_name);
	ok &= compare("stderr", path, &err, update);
	char rcs[16];
	snprintf(rcs, sizeof rcs, "%d\n", rc);
	text rct = {rcs, strlen(rcs)};
	snprintf(path, sizeof path, "%s/%s.rc", dir, run_name);
	text want_rc;
	if (read_text(path, &want_rc)) {
		ok &= compare("exit status", path, &rct, update);
		free(want_rc.data);
	} else if (rc != 0) {
		if (update)
			write_text(path, rcs, strlen(rcs));
		else {
			fprintf(stderr, "  exit status %d, expected 0\n", rc);
			ok = false;
		}
	}
	/* Read translate output back: same bytes in the same format. */
	bool is_translate = argc > 1 && !strcmp(argv[1], "translate") && rc == 0;
	if (is_translate) {
		bool json = false;
		/* every spelling the CLI takes: -o json, -ojson, -o=json, --output[=]json */
		for (int i = 1; i < argc; i++) {
			const char *a = argv[i], *prev = argv[i - 1];
			if ((!strcmp(a, "json") && (!strcmp(prev, "-o") || !strcmp(prev, "--output"))) ||
			    !strcmp(a, "-ojson") || !strcmp(a, "-o=json") || !strcmp(a, "--output=json"))
				json = true;
			else if ((!strcmp(a, "yaml") && (!strcmp(prev, "-o") || !strcmp(prev, "--output"))) ||
			         !strcmp(a, "-oyaml") || !strcmp(a, "-o=yaml") || !strcmp(a, "--output=yaml"))
				json = false;
		}
		rb_format f = json ? RB_FORMAT_JSON : RB_FORMAT_YAML;
		text again;
		char e[512];
		if (!read_back(&out, f, f, &again, e, sizeof e)) {
			fprintf(stderr, "  %s: output does not read back: %s\n", run_name, e);
			ok = false;
		} else {
			text want = out;
			if (again.len != want.len || memcmp(again.data, want.data, want.len)) {
				show_diff("re-emitted output", &want, &again);
				ok = false;
			}
			free(again.data);
		}
		if (has_suffix(run_name, "-yaml") || has_suffix(run_name, "-json")) {
			text *slot = outputs_yaml_json[json ? 1 : 0];
			slot->data = out.data;
			slot->len = out.len;
			out.data = NULL;
		}
	}
	free(out.data);
	free(err.data);
	free(args.data);
	return ok;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: golden_runner CLI CASE_DIR\n");
		return 2;
	}
	const char *cli = argv[1], *dir = argv[2];
	bool update = getenv("REBALANCE_UPDATE_GOLDEN") && !strcmp(getenv("REBALANCE_UPDATE_GOLDEN"), "1");
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "cannot open %s\n", dir);
		return 2;
	}
	char *inputs[64], *runs[64];
	size_t ni = 0, nr = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strncmp(e->d_name, "input", 5) && (has_suffix(e->d_name, ".yaml") ||
		                                         has_suffix(e->d_name, ".json")) && ni < 64)
			inputs[ni++] = strdup(e->d_name);
		else if (has_suffix(e->d_name, ".args") && nr < 64)
			runs[nr++] = strndup(e->d_name, strlen(e->d_name) - 5);
	}
	closedir(d);
	qsort(inputs, ni, sizeof inputs[0], name_cmp);
	qsort(runs, nr, sizeof runs[0], name_cmp);
	if (!nr) {
		fprintf(stderr, "%s: no runs (*.args)\n", dir);
		return 2;
	}
	bool ok = true;
	for (size_t i = 0; i < nr; i++) {
		text yaml = {NULL, 0}, json = {NULL, 0};
		text *pair[2] = {&yaml, &json};
		bool run_ok = run_case(cli, dir, inputs, ni, runs[i], update, pair);
		fprintf(stderr, "%s %s\n", run_ok ? "ok  " : "FAIL", runs[i]);
		ok &= run_ok;
		free(yaml.data);
		free(json.data);
	}
	/* YAML and JSON of one run pair carry the same IR. */
	for (size_t i = 0; i < nr; i++) {
		if (!has_suffix(runs[i], "-yaml"))
			continue;
		size_t stem = strlen(runs[i]) - 5;
		char path[4096];
		snprintf(path, sizeof path, "%s/%.*s-json.out", dir, (int)stem, runs[i]);
		text json, yaml;
		char ypath[4096];
		snprintf(ypath, sizeof ypath, "%s/%s.out", dir, runs[i]);
		if (!read_text(path, &json) || !read_text(ypath, &yaml))
			continue;
		text as_json;
		char err[512];
		if (!read_back(&yaml, RB_FORMAT_YAML, RB_FORMAT_JSON, &as_json, err, sizeof err)) {
			fprintf(stderr, "FAIL %.*s: YAML output does not read back: %s\n", (int)stem,
			        runs[i], err);
			ok = false;
		} else if (as_json.len != json.len || memcmp(as_json.data, json.data, json.len)) {
			fprintf(stderr, "FAIL %.*s: YAML and JSON outputs carry different IR\n", (int)stem,
			        runs[i]);
			show_diff("YAML re-emitted as JSON vs JSON", &json, &as_json);
			ok = false;
		}
		free(as_json.data);
		free(json.data);
		free(yaml.data);
	}
	for (size_t i = 0; i < ni; i++)
		free(inputs[i]);
	for (size_t i = 0; i < nr; i++)
		free(runs[i]);
	return ok ? 0 : 1;
}
