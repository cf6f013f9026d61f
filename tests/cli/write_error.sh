#!/bin/sh
# A write error is exit 1 with a message, as for any Unix filter: translate
# and xds stream their output, and a full disk (/dev/full) must not pass for
# success. Usage: write_error.sh REBALANCE INPUT
set -u
cli=$1
input=$2
# A directory of its own: ctest runs the CLI tests side by side.
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
fail=0
for args in "translate" "translate -o json" "xds" "xds -o json"; do
	# shellcheck disable=SC2086 # $args is several words on purpose
	"$cli" $args "$input" >/dev/full 2>err.txt
	rc=$?
	if [ "$rc" -ne 1 ] || ! grep -q "cannot write the output" err.txt; then
		echo "rebalance $args >/dev/full: exit $rc, stderr: $(cat err.txt)" >&2
		fail=1
	fi
	"$cli" $args "$input" >/dev/null 2>err.txt || {
		echo "rebalance $args >/dev/null: exit $?" >&2
		fail=1
	}
done
# The commands that print no input: help and version.
for args in "--help" "help translate" "--version" "completion bash"; do
	# shellcheck disable=SC2086
	"$cli" $args >/dev/full 2>err.txt
	rc=$?
	if [ "$rc" -ne 1 ] || ! grep -q "cannot write" err.txt; then
		echo "rebalance $args >/dev/full: exit $rc, stderr: $(cat err.txt)" >&2
		fail=1
	fi
done
rm -f err.txt
exit $fail
