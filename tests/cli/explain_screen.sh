#!/bin/sh
# On a generated 3,000-route cluster with 10% empty Services, explain's default
# text answers at a glance: the summary -- everything before the detail of the
# first rule -- fits one screen (40 lines), and --fail-on trips.
# Usage: explain_screen.sh REBALANCE RB_BENCH_GEN
set -eu
cli=$1
gen=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$gen" -n 3000 -k 2 -e 10 -i 0 -f stream-yaml >"$tmp/cluster.yaml"
LANG=C.UTF-8 "$cli" explain --width 80 -f "$tmp/cluster.yaml" >"$tmp/out" 2>"$tmp/err"

# The detail starts at the first rule heading: "HTTPRoute NS/NAME, rule ...".
summary=$(awk '/^HTTPRoute /{print NR - 1; exit}' "$tmp/out")
total=$(wc -l <"$tmp/out")
if [ -z "$summary" ]; then
	echo "no rule detail in the output ($total lines)" >&2
	exit 1
fi
if [ "$summary" -gt 40 ]; then
	echo "the summary takes $summary lines (more than one screen of 40):" >&2
	head -n "$summary" "$tmp/out" >&2
	exit 1
fi
# Every line fits the width (display columns, not bytes: the bars are UTF-8).
wide=$(LC_ALL=C tr -d '\200-\277' <"$tmp/out" | awk 'length($0) > 80 {n++} END {print n + 0}')
if [ "$wide" -ne 0 ]; then
	echo "$wide lines wider than 80 columns" >&2
	exit 1
fi
# The gate: both sides answer 503 somewhere (10% of the Services are empty).
for mode in "" "--compat envoy-gateway"; do
	# shellcheck disable=SC2086 # $mode is zero or two words
	if "$cli" explain $mode --fail-on 503 -o json -f "$tmp/cluster.yaml" >/dev/null 2>"$tmp/gate"; then
		echo "--fail-on 503 did not trip ($mode)" >&2
		exit 1
	else
		rc=$?
		[ "$rc" -eq 1 ] || { echo "--fail-on 503 exited $rc, expected 1 ($mode)" >&2; cat "$tmp/gate" >&2; exit 1; }
	fi
done
echo "summary $summary lines of $total; --fail-on 503 trips in both modes"
