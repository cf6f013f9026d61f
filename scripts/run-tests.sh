#!/bin/sh
# Every test: install what is missing, build with warnings as errors, run ctest
# (unit, golden, header, ABI and, when ../shared is beside the checkout, the
# Envoy Gateway conformance cases), then every further job in scripts/ci.d/
# (sanitizers, valgrind, fuzz replay, bindings), each installing what it needs.
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh python3 python3-yaml golang-go
cmake --preset dev
cmake --build --preset dev
ctest --preset dev
for job in scripts/ci.d/*.sh; do
	[ -e "$job" ] || continue
	echo "==> $job"
	"$job"
done
