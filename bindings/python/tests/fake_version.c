/* A stand-in library of another ABI generation (0.99.0): the Python binding
 * must refuse it at import with a clear message (test_rebalance.VersionTest). */
int rb_version_number(void);

int rb_version_number(void)
{
	return 9900;
}
