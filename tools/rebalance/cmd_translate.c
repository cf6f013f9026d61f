/* rebalance translate: print the destination IR (docs/cli.md, docs/ir.md). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cmd_translate(int argc, char **argv)
{
	cli_options o;
	int rc = cli_parse("translate", argc, argv, &o, NULL, NULL);
	if (rc) {
		cli_options_free(&o);
		return rc;
	}
	rc = cli_translate_and_print("translate", &o, rb_result_write);
	cli_options_free(&o);
	return rc;
}
