#!/usr/bin/env python3
"""semantics_check.py can fail: each check run on a small made-up tree with one fault.

usage: selftest.py

A tree is written to a temporary directory: docs/semantics with two rules, a
lib/ with two modules, tests/ citing rules. The clean tree must pass; each
fault (an undefined ID cited in code, a rule no test cites, a citation of
notes outside the repository, a C file without an opening comment, a new
include cycle, a listed cycle that is gone) must fail with its message.
"""
import os
import subprocess
import sys
import tempfile

CHECK = os.path.join(os.path.dirname(os.path.abspath(__file__)), "semantics_check.py")

CLEAN = {
    "docs/semantics/rules.md": "# Rules (`demo`)\n\n- **[demo.one]** One. *EG:* `f`.\n"
                               "- **[demo.two]** Two. *EG:* `g`.\n",
    "lib/a/a.c": "/* Module a. [demo.one] */\n#include \"b/b.h\"\n",
    "lib/a/a.h": "/* Module a's header. */\n",
    "lib/b/b.c": "/* Module b. [demo.two] */\n#include \"b/b.h\"\n",
    "lib/b/b.h": "/* Module b's header. */\n",
    "tests/golden/case/covers": "[demo.one]\n[demo.two]\n",
    "tests/semantics/known-include-cycles.txt": "# none\n",
}

FAULTS = [
    ("undefined ID", {"lib/a/a.c": "/* Module a. [demo.three] */\n"}, "[demo.three] is cited but not defined"),
    ("rule on the wrong page", {"docs/semantics/other.md": "# Other (`other`)\n\n- **[demo.four]** Four.\n",
                                 "tests/golden/case/covers": "[demo.one]\n[demo.two]\n[demo.four]\n"},
     "[demo.four] is on other.md, whose title names other prefixes"),
    ("untested rule", {"tests/golden/case/covers": "[demo.one]\n"}, "[demo.two] (docs/semantics/rules.md) is cited by no test"),
    ("notes cited", {"lib/b/b.h": "/* See SPEC.md 2.3. */\n"}, "cites notes outside the repository"),
    ("no opener", {"lib/b/b.c": "#include \"b/b.h\"\n"}, "does not open with a comment"),
    ("new cycle", {"lib/b/b.h": "/* Module b's header. */\n#include \"a/a.h\"\n"}, "include cycle between modules: lib/a <-> lib/b"),
    ("stale cycle", {"tests/semantics/known-include-cycles.txt": "lib/a <-> lib/b\n"}, "known include cycle lib/a <-> lib/b is gone"),
]


def write(root, files):
    for rel, text in files.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)


def run(root):
    res = subprocess.run([sys.executable, "-B", CHECK, root, "rules", "citations", "openers", "cycles"],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return res.returncode, res.stdout


def main():
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        clean = os.path.join(tmp, "clean")
        write(clean, CLEAN)
        rc, out = run(clean)
        if rc != 0:
            print("FAIL the clean tree does not pass:\n" + out)
            failures += 1
        for i, (name, change, expected) in enumerate(FAULTS):
            root = os.path.join(tmp, "fault%d" % i)
            write(root, dict(CLEAN, **change))
            rc, out = run(root)
            if rc == 0 or expected not in out:
                print("FAIL %s: exit %d, expected %r in:\n%s" % (name, rc, expected, out))
                failures += 1
            else:
                print("ok   %s" % name)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
