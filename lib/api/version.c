/* rb_version_number and rb_version_string: the library's version at run time. */
#include "rebalance/version.h"

int rb_version_number(void)
{
	return RB_VERSION_NUMBER;
}

const char *rb_version_string(void)
{
	return RB_VERSION_STRING;
}
