/*
 * Invariant checks (lib/core/invariant.h): in the builds that enable them, a
 * broken RB_ASSERT / ALWAYS / NEVER aborts and says where and what; a kept one
 * costs nothing and ALWAYS / NEVER still give their condition's value.
 */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/invariant.h"
#include "testutil.h"

START_TEST(kept_invariants_pass_through)
{
	int x = 3;
	RB_ASSERT(x == 3);
	ck_assert_int_eq(ALWAYS(x == 3), 1);
	ck_assert_int_eq(NEVER(x == 4), 0);
}
END_TEST

#ifdef REBALANCE_ASSERTS
/* Run `which` in a child with stderr into a pipe: how it ended, what it said. */
static int broken_in_child(int which, char *said, size_t size)
{
	int fds[2];
	ck_assert_int_eq(pipe(fds), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		dup2(fds[1], 2);
		close(fds[0]);
		int two = 2;
		if (which == 0)
			RB_ASSERT(two == 1);
		else if (which == 1)
			(void)ALWAYS(two == 1);
		else
			(void)NEVER(two == 2);
		_exit(0);
	}
	close(fds[1]);
	size_t n = 0;
	ssize_t r;
	while (n + 1 < size && (r = read(fds[0], said + n, size - n - 1)) > 0)
		n += (size_t)r;
	said[n] = '\0';
	close(fds[0]);
	int status = 0;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	return status;
}

START_TEST(a_broken_invariant_aborts_with_where_and_what)
{
	static const char *const CONDS[] = {"two == 1", "two == 1", "two == 2"};
	for (int i = 0; i < 3; i++) {
		char said[512];
		int status = broken_in_child(i, said, sizeof said);
		ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
		ck_assert_msg(strstr(said, "check_invariant.c:") != NULL, "no file:line in: %s", said);
		ck_assert_msg(strstr(said, CONDS[i]) != NULL, "no condition in: %s", said);
	}
}
END_TEST
#endif

int main(void)
{
	Suite *s = suite_create("invariant");
	TCase *tc = tcase_create("invariant");
	tcase_add_test(tc, kept_invariants_pass_through);
#ifdef REBALANCE_ASSERTS
	tcase_add_test(tc, a_broken_invariant_aborts_with_where_and_what);
#endif
	suite_add_tcase(s, tc);
	return tu_run(s);
}
