#!/bin/bash -eu
# OSS-Fuzz entry point (projects/rebalance/build.sh upstream): the build logic
# is in the rebalance repository, fuzz/ossfuzz.sh (jansson's pattern).
"$SRC/rebalance/fuzz/ossfuzz.sh"
