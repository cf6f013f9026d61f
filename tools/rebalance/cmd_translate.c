/* rebalance translate: print the destination IR and the route statuses (docs/cli.md, docs/ir.md). */
#include "cli.h"

int cmd_translate(int argc, char **argv)
{
	return cli_view_command("translate", argc, argv, rb_result_write);
}
