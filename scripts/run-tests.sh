#!/bin/sh
# Every test: install what is missing, build with warnings as errors, run every
# further job in scripts/ci.d/ (static analysis, sanitizers, valgrind, fuzz
# replay...), each installing what it needs, then ctest: unit, golden, header,
# ABI, package, bindings and, when ../shared is beside the checkout, the Envoy
# Gateway conformance cases.
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh python3 python3-yaml python3-jsonschema python3-protobuf golang-go
cmake --preset dev
cmake --build --preset dev
for job in scripts/ci.d/*.sh; do
	[ -e "$job" ] || continue
	echo "==> $job"
	"$job"
done
if [ ! -f ../shared/conformance/envoy-gateway/compare.py ]; then
	echo "note: ../shared/conformance/envoy-gateway is not beside the checkout:" \
		"the Envoy Gateway conformance tests are not run" >&2
fi
# Last, so that the final lines are ctest's summary of the main suite.
ctest --preset dev
