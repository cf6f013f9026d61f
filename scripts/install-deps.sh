#!/bin/sh
# Install the Debian 12 packages rebalance needs that are not installed yet.
# Usage: scripts/install-deps.sh [PACKAGE...]   (extra packages are added to the base set)
set -eu

BASE="build-essential cmake pkg-config libyaml-dev libcyaml-dev libcjson-dev liblua5.1-0-dev check libsubunit-dev"

missing=""
for pkg in $BASE "$@"; do
	if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $pkg"
	fi
done
[ -z "$missing" ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	if ! command -v sudo >/dev/null 2>&1; then
		echo "$0: missing packages:$missing" >&2
		echo "$0: run as root (there is no sudo here): apt-get update && apt-get install -y$missing" >&2
		exit 1
	fi
	SUDO=sudo
fi
echo "installing:$missing" >&2
$SUDO apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
