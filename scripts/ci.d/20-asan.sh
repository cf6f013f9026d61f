#!/bin/sh
# ASan+UBSan (clang, static, the `asan` preset) over every test: unit, golden,
# conformance, the fuzz corpora and regressions replayed (fuzz.replay.*), and
# the hostile inputs (hostile). docs/conventions.md (sanitizers).
set -eu
cd "$(dirname "$0")/../.."
scripts/install-deps.sh clang libclang-rt-14-dev python3
start=$(date +%s)
cmake --preset asan
cmake --build --preset asan
ctest --preset asan
echo "asan job: $(( $(date +%s) - start )) s" >&2
