#!/usr/bin/env python3
"""Run compare.py on a split and hold the result to a list of known failures.

usage: suite_gate.py KNOWN_FAILURES_FILE -- COMPARE_PY_ARGS...

Passes when the cases that fail are exactly those listed in KNOWN_FAILURES_FILE
(one case name per line; `#` starts a comment, which should say why the case
fails). A case that fails and is not listed fails the test (a regression); a
listed case that passes also fails it, so that the list only ever shrinks.
compare.py's own output is printed, then the verdict.
"""
import re
import subprocess
import sys


def known_failures(path):
    names = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            name = line.split("#", 1)[0].strip()
            if name:
                names.add(name)
    return names


def main(argv):
    if len(argv) < 4 or argv[2] != "--":
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    known = known_failures(argv[1])
    res = subprocess.run([sys.executable, "-B"] + argv[3:], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True)
    sys.stdout.write(res.stdout)
    failed = set(re.findall(r"^FAIL (\S+) \[", res.stdout, re.M))
    if not re.search(r"^\d+ passed, \d+ failed$", res.stdout, re.M):
        print("suite_gate: compare.py did not finish (exit %d)" % res.returncode)
        return 1
    new = sorted(failed - known)
    fixed = sorted(known - failed)
    for name in new:
        print("suite_gate: REGRESSION %s fails and is not a known failure" % name)
    for name in fixed:
        print("suite_gate: %s passes now: remove it from %s" % (name, argv[1]))
    print("suite_gate: %d known failure(s), %d new, %d fixed" % (len(known & failed), len(new), len(fixed)))
    return 1 if new or fixed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
