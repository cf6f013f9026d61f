/* Directories as inputs, the way kubectl -f DIR [-R] reads them. */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct path_list {
	char **items;
	size_t count, cap;
} path_list;

static bool push(path_list *l, char *path)
{
	if (!path)
		return false;
	if (l->count == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		char **grown = realloc(l->items, cap * sizeof *grown);
		if (!grown) {
			free(path);
			return false;
		}
		l->items = grown;
		l->cap = cap;
	}
	l->items[l->count++] = path;
	return true;
}

static bool is_manifest_name(const char *name)
{
	size_t n = strlen(name);
	static const char *const SUFFIXES[] = {".yaml", ".yml", ".json"};
	for (size_t i = 0; i < sizeof SUFFIXES / sizeof *SUFFIXES; i++) {
		size_t k = strlen(SUFFIXES[i]);
		if (n > k && !strcmp(name + n - k, SUFFIXES[i]))
			return true;
	}
	return false;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *join(const char *dir, const char *name)
{
	size_t d = strlen(dir), n = strlen(name);
	bool slash = d && dir[d - 1] == '/';
	char *p = malloc(d + !slash + n + 1);
	if (p) {
		memcpy(p, dir, d);
		if (!slash)
			p[d++] = '/';
		memcpy(p + d, name, n + 1);
	}
	return p;
}

/*
 * Append the manifests of `dir` to `out`, in name order; a subdirectory's
 * files come at its name's place (as kubectl -R walks). 0, or errno.
 */
static int list_dir(const char *dir, bool recursive, path_list *out)
{
	DIR *d = opendir(dir);
	if (!d)
		return errno;
	path_list names = {0};
	struct dirent *e;
	int err = 0;
	while (!err && (e = readdir(d)))
		if (e->d_name[0] != '.' && !push(&names, strdup(e->d_name)))
			err = ENOMEM;
	closedir(d);
	if (names.count)
		qsort(names.items, names.count, sizeof *names.items, by_name);
	for (size_t i = 0; !err && i < names.count; i++) {
		char *path = join(dir, names.items[i]);
		struct stat st;
		if (!path) {
			err = ENOMEM;
		} else if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			if (recursive)
				err = list_dir(path, true, out);
			free(path);
		} else if (is_manifest_name(names.items[i])) {
			if (!push(out, path))
				err = ENOMEM;
		} else {
			free(path);
		}
	}
	for (size_t i = 0; i < names.count; i++)
		free(names.items[i]);
	free(names.items);
	return err;
}

int cli_expand_directories(const char *command, cli_options *o, bool recursive)
{
	path_list owned = {o->owned, o->owned_count, o->owned_count};
	const char **inputs = NULL;
	size_t count = 0, cap = 0;
	int rc = CLI_OK;
	for (size_t i = 0; i < o->input_count && rc == CLI_OK; i++) {
		const char *in = o->inputs[i];
		struct stat st;
		size_t first = owned.count;
		if (strcmp(in, "-") && stat(in, &st) == 0 && S_ISDIR(st.st_mode)) {
			int err = list_dir(in, recursive, &owned);
			if (err == ENOMEM) {
				rc = CLI_FAILURE;
			} else if (err) {
				fprintf(stderr, "%s: cannot read the directory: %s\n", in,
				        strerror(err));
				rc = CLI_USAGE;
			} else if (owned.count == first) {
				rc = cli_usage_error(command,
				                     "%s: no *.yaml, *.yml or *.json files%s", in,
				                     recursive ? "" : " (-R reads subdirectories)");
			}
		}
		size_t adding = owned.count > first ? owned.count - first : 1;
		if (rc == CLI_OK && count + adding > cap) {
			size_t ncap = (count + adding) * 2;
			const char **grown = realloc(inputs, ncap * sizeof *grown);
			if (!grown)
				rc = CLI_FAILURE;
			else
				inputs = grown, cap = ncap;
		}
		if (rc != CLI_OK)
			break;
		if (owned.count > first)
			for (size_t k = first; k < owned.count; k++)
				inputs[count++] = owned.items[k];
		else
			inputs[count++] = in;
	}
	if (rc == CLI_FAILURE)
		fprintf(stderr, "rebalance %s: out of memory\n", command);
	free(o->inputs);
	o->inputs = inputs;
	o->input_count = rc == CLI_OK ? count : 0;
	o->owned = owned.items;
	o->owned_count = owned.count;
	return rc;
}
