#!/bin/sh
# Every test: install what is missing, build with warnings as errors, run ctest
# (unit, golden, header, ABI and, when ../shared is beside the checkout, the
# Envoy Gateway conformance cases).
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh python3 python3-yaml
cmake --preset dev
cmake --build --preset dev
ctest --preset dev
