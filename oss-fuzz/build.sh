#!/bin/bash -eu
# OSS-Fuzz entry point (projects/rebalance/build.sh upstream): the build logic
# is in the rebalance repository, fuzz/ossfuzz.sh (jansson's pattern): the six
# targets fuzz_yaml, fuzz_json, fuzz_translate, fuzz_roundtrip, fuzz_config and
# fuzz_engine, with libyaml and cJSON built from source with the fuzzing flags.
"$SRC/rebalance/fuzz/ossfuzz.sh"
