#!/bin/sh
# The unit tests under valgrind: no errors, no leaks.
# Check runs without fork (CK_FORK=no) so that valgrind sees every test in one
# process; time budgets inside tests scale with CK_TIMEOUT_MULTIPLIER.
# Uses the dev build that scripts/run-tests.sh made (configures it if absent).
set -eu
cd "$(dirname "$0")/../.."
scripts/install-deps.sh valgrind
start=$(date +%s)
if [ ! -f build/CMakeCache.txt ]; then
	cmake --preset dev
fi
cmake --build --preset dev
passed=0
failed=0
for t in build/tests/check_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	if CK_FORK=no CK_TIMEOUT_MULTIPLIER=20 CK_VERBOSITY=silent \
		valgrind -q --leak-check=full --show-leak-kinds=definite,indirect,possible \
		--errors-for-leak-kinds=definite,indirect,possible --error-exitcode=1 "$t" \
		>"build/valgrind-$name.log" 2>&1; then
		passed=$((passed + 1))
		echo "ok   valgrind $name" >&2
	else
		failed=$((failed + 1))
		echo "FAIL valgrind $name:" >&2
		cat "build/valgrind-$name.log" >&2
	fi
done
echo "valgrind job: $(( $(date +%s) - start )) s" >&2
echo "valgrind: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
