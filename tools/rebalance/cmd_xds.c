/* rebalance xds: what the data plane gets, per rule (docs/cli.md; docs/semantics/xds.md). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cmd_xds(int argc, char **argv)
{
	cli_options o;
	int rc = cli_parse("xds", argc, argv, &o, NULL, NULL);
	if (rc) {
		cli_options_free(&o);
		return rc;
	}
	rc = cli_translate_and_print("xds", &o, rb_xds_write);
	cli_options_free(&o);
	return rc;
}
