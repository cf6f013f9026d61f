/* rb-bench-gen: write a synthetic cluster (gen.h) to stdout. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

static void usage(void)
{
	fprintf(stderr,
	        "usage: rb-bench-gen [-n ROUTES] [-k REFS] [-S SERVICES] [-m ENDPOINTS]\n"
	        "                    [-N NAMESPACES] [-e EMPTY%%] [-i INVALID%%] [-s SEED]\n"
	        "                    [-f testdata-yaml|stream-yaml|list-json|testdata-json]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	gen_params p = GEN_PARAMS_DEFAULT;
	gen_format f = GEN_TESTDATA_YAML;
	for (int i = 1; i < argc; i++) {
		if (i + 1 >= argc || argv[i][0] != '-' || strlen(argv[i]) != 2)
			usage();
		const char *v = argv[++i];
		int ok = 1;
		switch (argv[i - 1][1]) {
		case 'n': p.routes = strtoull(v, NULL, 10); break;
		case 'k': p.refs = strtoull(v, NULL, 10); break;
		case 'S': p.services = strtoull(v, NULL, 10); break;
		case 'm': p.endpoints = strtoull(v, NULL, 10); break;
		case 'N': p.namespaces = strtoull(v, NULL, 10); break;
		case 'e': p.empty_pct = (unsigned)strtoul(v, NULL, 10); break;
		case 'i': p.invalid_pct = (unsigned)strtoul(v, NULL, 10); break;
		case 's': p.seed = strtoull(v, NULL, 10); break;
		case 'f': f = gen_format_parse(v, &ok); break;
		default: usage();
		}
		if (!ok)
			usage();
	}
	gen_buf b = {0};
	if (gen_write(&p, f, &b)) {
		fprintf(stderr, "rb-bench-gen: out of memory\n");
		return 1;
	}
	int rc = fwrite(b.data, 1, b.len, stdout) == b.len ? 0 : 1;
	gen_buf_free(&b);
	return rc;
}
