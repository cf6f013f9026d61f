#!/bin/sh
# The man page and --help must list the same options (both are generated from
# tools/rebalance/options.c; this catches a generator that drops or adds one).
# Usage: man_matches_help.sh REBALANCE MAN_PAGE
set -eu
cli=$1
man=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for cmd in translate explain xds; do
	"$cli" "$cmd" --help
done | sed -n 's/^ \{2,\}\(-[A-Za-z], \)\{0,1\}--\([a-z][a-z-]*\).*/\2/p' | sort -u >"$tmp/help"

# In the OPTIONS section, each option is the line after .TP: \fB\-o\fR, \fB\-\-output\fR ...
sed -n '/^\.SH OPTIONS/,/^\.SH /p' "$man" | sed -n '/^\.TP/{n;p;}' |
	sed -n 's/.*\\fB\\-\\-\([-a-z\\]*\)\\fR.*/\1/p' | sed 's/\\-/-/g' | sort -u >"$tmp/man"

if [ ! -s "$tmp/help" ] || [ ! -s "$tmp/man" ]; then
	echo "no options found (help: $(wc -l <"$tmp/help"), man: $(wc -l <"$tmp/man"))" >&2
	exit 1
fi
if ! diff -u "$tmp/help" "$tmp/man"; then
	echo "the man page and --help list different options (- help, + man)" >&2
	exit 1
fi
echo "$(wc -l <"$tmp/help") options in both"
