/* rebalance xds: what the data plane gets, per rule (docs/cli.md; docs/semantics/xds.md). */
#include "cli.h"

int cmd_xds(int argc, char **argv)
{
	return cli_view_command("xds", argc, argv, rb_xds_write);
}
