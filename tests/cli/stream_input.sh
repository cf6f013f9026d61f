#!/bin/sh
# A YAML input longer than the loader's window (it reads 64 KiB at a time) gives
# the same output, warnings and errors -- with the same line, column and byte
# offset -- from a file and from standard input (a pipe): valid, with a syntax
# error at its end, and past the input-bytes limit. (tests/unit/check_input_stream.c
# compares the library's buffer, file and pipe readers byte for byte.)
cli=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
fail=0
awk 'BEGIN {
	print "gatewayClass: {apiVersion: gateway.networking.k8s.io/v1, kind: GatewayClass, metadata: {name: eg}, spec: {controllerName: gateway.envoyproxy.io/gatewayclass-controller}}"
	print "gateways: [{apiVersion: gateway.networking.k8s.io/v1, kind: Gateway, metadata: {namespace: infra, name: eg}, spec: {gatewayClassName: eg, listeners: [{name: http, protocol: HTTP, port: 80, allowedRoutes: {namespaces: {from: All}}}]}}]"
	print "services:"
	for (k = 0; k < 8; k++)
		printf "- {apiVersion: v1, kind: Service, metadata: {namespace: shop, name: s%d}, spec: {ports: [{port: 80}]}}\n", k
	print "httpRoutes:"
	for (i = 0; i < 1000; i++) {
		printf "# route %d, équipe ✓\n", i
		printf "- apiVersion: gateway.networking.k8s.io/v1\n  kind: HTTPRoute\n  metadata: {namespace: shop, name: r%d, labels: {team: \"é%d\"}}\n", i, i
		printf "  spec:\n    parentRefs: [{namespace: infra, name: eg}]\n    rules: [{backendRefs: [{name: s%d, port: 80}, {name: s%d, port: 80}]}]\n", i % 8, (i + 3) % 8
	}
}' >big.yaml
if [ "$(wc -c <big.yaml)" -le 200000 ]; then
	echo "big.yaml: $(wc -c <big.yaml) bytes, expected more than 3 windows" >&2
	fail=1
fi
printf -- '- {apiVersion: v1, kind: Service, metadata: {name: x}\n' >tail.yaml
cat big.yaml tail.yaml >broken.yaml
# Same stdout, same stderr with the source's name, same status.
same() {
	"$cli" "$@" "$work/input.yaml" >file.out 2>file.err
	frc=$?
	cat "$work/input.yaml" | "$cli" "$@" - >pipe.out 2>pipe.err
	prc=$?
	sed "s|$work/input.yaml|<stdin>|g" file.err >file.err.named
	if [ "$frc" != "$prc" ] || ! cmp -s file.out pipe.out || ! cmp -s file.err.named pipe.err; then
		echo "$*: file (exit $frc) and stdin (exit $prc) differ:" >&2
		diff file.err.named pipe.err | head -5 >&2
		fail=1
	fi
}
cp big.yaml input.yaml
same translate -o json
if ! grep -q '"name": "r999"' file.out; then
	echo "big.yaml: route r999 is not in the output" >&2
	fail=1
fi
cp broken.yaml input.yaml
same translate
# (libyaml finds the mapping unclosed at the end of the input: the line after the last.)
line=$(($(wc -l <broken.yaml) + 1))
if ! grep -q "^<stdin>:$line:1: did not find expected ',' or '}'" pipe.err; then
	echo "broken.yaml: expected the syntax error at $line:1, got: $(cat pipe.err)" >&2
	fail=1
fi
for limit in 100000 150001 $(($(wc -c <broken.yaml) - 1)); do
	same translate --limit "input-bytes=$limit"
	if ! grep -q "input is larger than the limit of $limit bytes" pipe.err; then
		echo "--limit input-bytes=$limit: $(cat pipe.err)" >&2
		fail=1
	fi
done
exit $fail
