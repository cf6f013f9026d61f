#!/bin/sh
# The main job on the bundled example: build rebalance and translate the active/passive
# failover manifests with the active Service scaled to zero (default mode; add
# --compat envoy-gateway to see what Envoy Gateway computes).
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release >/dev/null
echo "# rebalance translate (default mode: the empty active backend is excluded," >&2
echo "# the passive fallback takes all traffic)" >&2
build-release/rebalance translate examples/failover/manifests.yaml examples/failover/endpoints-empty.yaml
