#!/bin/sh
# ThreadSanitizer over the concurrency test (tests/threads/threads.c: 8
# threads translating different inputs, 8 readers of one result, results and
# inputs freed while others are read, the engine with readers between steps;
# docs/threading.md). Only the library and that program are built, with clang
# and -fsanitize=thread, to keep the job short; a data race fails it.
set -eu
cd "$(dirname "$0")/../.."
scripts/install-deps.sh clang libclang-rt-14-dev
start=$(date +%s)
B=build-tsan
CC=clang cmake -S . -B "$B" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	-DCMAKE_C_FLAGS="-fsanitize=thread -fno-omit-frame-pointer" \
	-DBUILD_SHARED_LIBS=OFF -DREBALANCE_BUILD_CLI=OFF -DREBALANCE_BUILD_BENCH=OFF \
	-DREBALANCE_TEST_BINDINGS=OFF -DREBALANCE_FUZZ=OFF -DREBALANCE_WERROR=ON >/dev/null
cmake --build "$B" -j 2 --target threads >/dev/null
built=$(date +%s)
TSAN_OPTIONS="halt_on_error=1 abort_on_error=1 second_deadlock_stack=1" \
	"$B/tests/threads/threads" tests/golden 10
echo "tsan job: $(( $(date +%s) - start )) s (build $(( built - start )) s)" >&2
