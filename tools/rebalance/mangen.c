/* rebalance-mangen OUT: write the rebalance(1) man page (run by the build, installed by CMake). */
#include "options.h"
#include "rebalance/rebalance.h"

#include <stdio.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: rebalance-mangen OUT\n");
		return 2;
	}
	FILE *out = fopen(argv[1], "w");
	if (!out) {
		perror(argv[1]);
		return 1;
	}
	int rc = cli_print_man(out, rb_version_string());
	if (fclose(out) || rc) {
		fprintf(stderr, "%s: cannot write the man page\n", argv[1]);
		remove(argv[1]);
		return 1;
	}
	return 0;
}
