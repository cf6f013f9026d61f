#!/bin/sh
# A bounded libFuzzer run of every fuzz target (docs/fuzzing.md): clang from
# Debian, ASan+UBSan, 50 s each (REBALANCE_FUZZ_SECONDS; six targets in the
# five minutes five took at 60 s), starting from the committed corpus and
# regression inputs. New corpus entries go to the build
# directory, never into the checkout; a crash fails the job and leaves the
# reproducer in build-libfuzzer/artifacts/.
set -eu
cd "$(dirname "$0")/../.."
scripts/install-deps.sh clang libclang-rt-14-dev
start=$(date +%s)
B=build-libfuzzer
SECONDS_PER_TARGET=${REBALANCE_FUZZ_SECONDS:-50}
TARGETS="yaml json translate roundtrip config engine"
CC=clang cmake -S . -B "$B" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DREBALANCE_FUZZ=libfuzzer \
	-DREBALANCE_BUILD_TESTS=OFF -DREBALANCE_BUILD_CLI=OFF -DREBALANCE_WERROR=ON >/dev/null
for t in $TARGETS; do
	cmake --build "$B" -j 2 --target "fuzz_$t" >/dev/null
done
# fuzz_engine reads one choice per byte: no text dictionary, short inputs
# (fuzz/fuzz_engine.options).
dict_of() { [ "$1" = engine ] || echo "-dict=fuzz/rebalance.dict"; }
max_len_of() { if [ "$1" = engine ]; then echo 4096; else echo 65536; fi; }
mkdir -p "$B/artifacts"
passed=0
failed=0
for t in $TARGETS; do
	rm -rf "$B/corpus-$t"
	mkdir -p "$B/corpus-$t"
	log="$B/fuzz_$t.log"
	# shellcheck disable=SC2046 # dict_of prints one option or nothing
	if ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		"$B/fuzz/fuzz_$t" -max_total_time="$SECONDS_PER_TARGET" $(dict_of "$t") \
		-max_len="$(max_len_of "$t")" -timeout=25 -rss_limit_mb=2560 -print_final_stats=1 \
		-artifact_prefix="$B/artifacts/$t-" \
		"$B/corpus-$t" "fuzz/corpus/$t" "fuzz/regressions/$t" >"$log" 2>&1; then
		passed=$((passed + 1))
		echo "ok   fuzz_$t: $(grep -h 'stat::number_of_executed_units' "$log" | awk '{print $2}') runs" >&2
	else
		failed=$((failed + 1))
		echo "FAIL fuzz_$t:" >&2
		tail -n 60 "$log" >&2
	fi
done
echo "libfuzzer job: $(( $(date +%s) - start )) s" >&2
echo "libfuzzer: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
