#!/bin/sh
# The output budget (--limit output-bytes, docs/limits.md): an output of
# exactly the budget is printed whole; one byte less is exit 2, a message
# naming the limit, and nothing on stdout -- for every command and format,
# to a regular file (written as produced, cut back past the budget) and to a
# pipe (held until it is known to fit).
# Usage: output_budget.sh REBALANCE INPUT
set -u
cli=$1
input=$2
# A directory of its own: ctest runs the CLI tests side by side.
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
fail=0
for args in "translate" "translate -o json" "xds" "xds -o yaml" "explain" "explain -o json" \
	"explain -o yaml"; do
	# shellcheck disable=SC2086 # $args is several words on purpose
	"$cli" $args "$input" >full.out 2>/dev/null || {
		echo "rebalance $args: exit $?" >&2
		fail=1
		continue
	}
	size=$(wc -c <full.out | tr -d ' ')
	# shellcheck disable=SC2086
	"$cli" $args --limit "output-bytes=$size" "$input" >at.out 2>err.txt
	rc=$?
	if [ "$rc" -ne 0 ] || ! cmp -s full.out at.out; then
		echo "rebalance $args --limit output-bytes=$size (its size): exit $rc, $(cat err.txt)" >&2
		fail=1
	fi
	# shellcheck disable=SC2086
	"$cli" $args --limit "output-bytes=$((size - 1))" "$input" >past.out 2>err.txt
	rc=$?
	if [ "$rc" -ne 2 ] || [ -s past.out ] ||
		! grep -q "the output is larger than the limit of $((size - 1)) bytes (--limit output-bytes); nothing was written" err.txt; then
		echo "rebalance $args --limit output-bytes=$((size - 1)) >file: exit $rc, $(wc -c <past.out) bytes out, $(cat err.txt)" >&2
		fail=1
	fi
	# shellcheck disable=SC2086
	{ "$cli" $args --limit "output-bytes=$size" "$input" 2>err.txt; echo $? >rc.txt; } | cat >at.out
	if [ "$(cat rc.txt)" -ne 0 ] || ! cmp -s full.out at.out; then
		echo "rebalance $args --limit output-bytes=$size | cat: exit $(cat rc.txt), $(cat err.txt)" >&2
		fail=1
	fi
	# shellcheck disable=SC2086
	{ "$cli" $args --limit "output-bytes=$((size - 1))" "$input" 2>err.txt; echo $? >rc.txt; } | cat >past.out
	if [ "$(cat rc.txt)" -ne 2 ] || [ -s past.out ] ||
		! grep -q "the output is larger than the limit of $((size - 1)) bytes (--limit output-bytes); nothing was written" err.txt; then
		echo "rebalance $args --limit output-bytes=$((size - 1)) | cat: exit $(cat rc.txt), $(wc -c <past.out) bytes out, $(cat err.txt)" >&2
		fail=1
	fi
done
# A file the output is appended to, or shares with other commands, keeps
# what was there and where the next command writes: the cut goes back to
# where this output started.
size=$(wc -c <full.out | tr -d ' ')
printf 'before\n' >shared.out
{ "$cli" explain -o yaml --limit "output-bytes=$((size - 1))" "$input" 2>/dev/null; printf 'after\n'; } >>shared.out
printf 'before\n' >kept.out
{ printf 'first\n'; "$cli" explain -o yaml --limit "output-bytes=$((size - 1))" "$input" 2>/dev/null; printf 'next\n'; } >kept.out
if [ "$(cat shared.out)" != "$(printf 'before\nafter')" ] || [ "$(cat kept.out)" != "$(printf 'first\nnext')" ]; then
	echo "past the budget, a shared file was not cut back to where the output began: $(cat shared.out) / $(cat kept.out)" >&2
	fail=1
fi
# A terminal or /dev/null cannot be cut back: the budget's worth is printed
# and the message says so.
"$cli" explain -o yaml --limit "output-bytes=$((size - 1))" "$input" >/dev/null 2>err.txt
rc=$?
if [ "$rc" -ne 2 ] || ! grep -q "(--limit output-bytes); it stops there: what was printed is incomplete" err.txt; then
	echo "past the budget, to /dev/null: exit $rc, $(cat err.txt)" >&2
	fail=1
fi
# On a terminal (script(1) gives the command one), the message starts on a
# line of its own after the cut output.
if command -v script >/dev/null 2>&1; then
	script -qc "'$cli' explain -o yaml --limit output-bytes=$((size - 1)) '$input'" /dev/null >tty.out 2>&1
	if ! grep -q "^rebalance explain: the output is larger than the limit of $((size - 1)) bytes" tty.out; then
		echo "past the budget, on a terminal: $(tail -c 400 tty.out)" >&2
		fail=1
	fi
fi
# An output larger than what the CLI holds in memory (256 KiB) goes on to a
# temporary file in $TMPDIR; where none can be made, it is produced twice,
# counted then streamed: either way the same bytes, the same budget. 40
# routes to one Service of 12,000 one-endpoint slices: 2 MB in, about 20 MB
# out.
awk 'BEGIN {
	print "gatewayClass: {apiVersion: gateway.networking.k8s.io/v1, kind: GatewayClass, metadata: {name: envoy-gateway-class}, spec: {controllerName: gateway.envoyproxy.io/gatewayclass-controller}}"
	print "gateways: [{apiVersion: gateway.networking.k8s.io/v1, kind: Gateway, metadata: {namespace: infra, name: eg}, spec: {gatewayClassName: envoy-gateway-class, listeners: [{name: http, protocol: HTTP, port: 80, allowedRoutes: {namespaces: {from: All}}}]}}]"
	print "services: [{apiVersion: v1, kind: Service, metadata: {namespace: shop, name: s}, spec: {ports: [{port: 80}]}}]"
	print "httpRoutes:"
	for (i = 0; i < 40; i++)
		printf "- {apiVersion: gateway.networking.k8s.io/v1, kind: HTTPRoute, metadata: {namespace: shop, name: r%d}, spec: {parentRefs: [{namespace: infra, name: eg}], rules: [{backendRefs: [{name: s, port: 80}]}]}}\n", i
	print "endpointSlices:"
	for (k = 0; k < 12000; k++)
		printf "- {apiVersion: discovery.k8s.io/v1, kind: EndpointSlice, metadata: {namespace: shop, name: e%d, labels: {kubernetes.io/service-name: s}}, addressType: IPv4, ports: [{port: 80}], endpoints: [{addresses: [10.0.%d.%d]}]}\n", k, int(k / 256), k % 256
}' >amplified.yaml
mkdir spill
"$cli" translate amplified.yaml >full.out 2>/dev/null
size=$(wc -c <full.out | tr -d ' ')
if [ "$size" -le $((16 << 20)) ]; then
	echo "amplified.yaml: $size bytes of output, expected more than 16 MiB" >&2
	fail=1
fi
# To a pipe, beyond what is held in memory: the temporary file.
for tmpdir in "$work/spill" "$work/no-such-directory"; do
	{ TMPDIR=$tmpdir "$cli" translate --limit "output-bytes=$size" amplified.yaml 2>err.txt; echo $? >rc.txt; } | cat >at.out
	if [ "$(cat rc.txt)" -ne 0 ] || ! cmp -s full.out at.out; then
		echo "TMPDIR=$tmpdir translate amplified.yaml --limit output-bytes=$size | cat: exit $(cat rc.txt), $(cat err.txt)" >&2
		fail=1
	fi
	{ TMPDIR=$tmpdir "$cli" translate --limit "output-bytes=$((size - 1))" amplified.yaml 2>err.txt; echo $? >rc.txt; } | cat >past.out
	if [ "$(cat rc.txt)" -ne 2 ] || [ -s past.out ]; then
		echo "TMPDIR=$tmpdir translate amplified.yaml --limit output-bytes=$((size - 1)) | cat: exit $(cat rc.txt), $(wc -c <past.out) bytes out" >&2
		fail=1
	fi
done
# Without $TMPDIR the temporary file is a memory file (Linux), copied to the
# pipe by sendfile. A file, written as produced, also when appended to.
env -u TMPDIR "$cli" translate amplified.yaml 2>err.txt | cat >at.out
cmp -s full.out at.out || { echo "no TMPDIR, to a pipe: $(cat err.txt)" >&2; fail=1; }
"$cli" translate amplified.yaml >at.out 2>err.txt &&
	cmp -s full.out at.out || { echo "to a file: $(cat err.txt)" >&2; fail=1; }
: >at.out
"$cli" translate amplified.yaml >>at.out 2>err.txt &&
	cmp -s full.out at.out || { echo "appended to a file: $(cat err.txt)" >&2; fail=1; }
# A temporary directory that fills up mid-way (a 1 MiB tmpfs, where this runs
# as root and may mount one): the CLI falls back to counting, then streaming.
mkdir full
if mount -t tmpfs -o size=1m tmpfs "$work/full" 2>/dev/null; then
	trap 'umount "$work/full" 2>/dev/null; rm -rf "$work"' EXIT
	{ TMPDIR=$work/full "$cli" translate --limit "output-bytes=$size" amplified.yaml 2>err.txt; echo $? >rc.txt; } | cat >at.out
	if [ "$(cat rc.txt)" -ne 0 ] || ! cmp -s full.out at.out; then
		echo "TMPDIR=(a full 1 MiB tmpfs) translate amplified.yaml | cat: exit $(cat rc.txt), $(cat err.txt)" >&2
		fail=1
	fi
	umount "$work/full"
else
	echo "full temporary directory: not tried (cannot mount a tmpfs here)"
fi
# The temporary file is unlinked as soon as it is made: nothing is left behind.
if [ -n "$(ls -A spill)" ]; then
	echo "a temporary file was left in \$TMPDIR: $(ls -A spill)" >&2
	fail=1
fi
rm -f amplified.yaml full.out at.out past.out shared.out kept.out tty.out
# A value is checked like the other limits.
"$cli" translate --limit output-bytes=0 "$input" >/dev/null 2>err.txt
rc=$?
if [ "$rc" -ne 2 ] || ! grep -q "output-bytes=0" err.txt; then
	echo "--limit output-bytes=0: exit $rc, $(cat err.txt)" >&2
	fail=1
fi
exit $fail
