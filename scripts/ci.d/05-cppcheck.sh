#!/bin/sh
# Static analysis of the library and the CLI with cppcheck.
set -eu
cd "$(dirname "$0")/../.."
scripts/install-deps.sh cppcheck
cppcheck --project=build/compile_commands.json --enable=warning,performance,portability \
	--inline-suppr --error-exitcode=1 -q --suppress=missingIncludeSystem \
	-i build -i tests -i bench -i fuzz
echo "cppcheck: no findings"
