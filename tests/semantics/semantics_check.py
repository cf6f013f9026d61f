#!/usr/bin/env python3
"""The repository stands on its own: rule IDs, citations and module boundaries.

usage: semantics_check.py SOURCE_DIR CHECK...

CHECK is one or more of:
  rules      every rule ID cited anywhere (code, tests, docs) is defined in
             docs/semantics/*.md, and every rule defined there is cited by at
             least one test under tests/ (a golden case's `covers` file, a
             comment above a Check test, a test script);
  citations  no file of lib, include, tools, docs, cmake, bindings, the
             CMakeLists.txt files or README.md cites the working notes kept
             outside the repository (their file names or ../shared);
  openers    every C source file of lib, include, tools, tests, fuzz and bench
             opens with a comment saying what it is;
  cycles     the include graph between modules (lib/<dir>, include/<dir>,
             tools/<dir>) has no cycle other than those listed in
             tests/semantics/known-include-cycles.txt; a listed cycle that is
             gone fails too, so the list only shrinks.

A rule is defined by a list item that starts with its ID in bold:
`- **[weight.zero]** ...`. It is cited by writing `[weight.zero]`. Only IDs
whose first part is a prefix some rule uses count as citations, so C code such
as `a[p.len]` is never mistaken for one.
"""
import os
import re
import sys

DEFINE = re.compile(r"^- \*\*\[([a-z][a-z0-9-]*(?:\.[a-z0-9-]+)+)\]\*\*", re.M)
CITE = re.compile(r"\[([a-z][a-z0-9-]*(?:\.[a-z0-9-]+)+)\]")
CODE_EXT = (".c", ".h", ".py", ".sh", ".go", ".cmake", ".txt", ".md", ".yaml", ".json",
            ".args", ".map", ".in")
NOT_RULES = {"md", "c", "h", "py", "sh", "txt", "yaml", "json", "com", "io", "org", "net",
             "local"}
SKIP_DIRS = {".git", "build", "__pycache__", "node_modules"}


def walk(root, sub):
    top = os.path.join(root, sub)
    if os.path.isfile(top):
        yield top
        return
    for d, dirs, files in os.walk(top):
        dirs[:] = sorted(x for x in dirs if x not in SKIP_DIRS and not x.startswith("build"))
        for f in sorted(files):
            yield os.path.join(d, f)


def read(path):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except (UnicodeDecodeError, OSError):
        return ""


WITHDRAWN = re.compile(r"^- \*\*\[([a-z0-9.-]+)\]\*\* \*withdrawn\*", re.M)


def withdrawn_rules(root):
    sem = os.path.join(root, "docs", "semantics")
    out = set()
    for f in os.listdir(sem):
        if f.endswith(".md"):
            out.update(WITHDRAWN.findall(read(os.path.join(sem, f))))
    return out


def defined_rules(root):
    rules = {}
    sem = os.path.join(root, "docs", "semantics")
    for f in sorted(os.listdir(sem)):
        if f.endswith(".md"):
            for m in DEFINE.finditer(read(os.path.join(sem, f))):
                if m.group(1) in rules:
                    raise SystemExit("rule [%s] defined twice (%s, %s)" %
                                     (m.group(1), rules[m.group(1)], f))
                rules[m.group(1)] = f
    return rules


def citations(root, subs, prefixes, exts=CODE_EXT):
    found = {}
    for sub in subs:
        for path in walk(root, sub):
            name = os.path.basename(path)
            if not (name.endswith(exts) or name in ("covers", "CMakeLists.txt")):
                continue
            for n, line in enumerate(read(path).splitlines(), 1):
                own = DEFINE.match(line)  # a definition is not a citation
                for m in CITE.finditer(line):
                    rid = m.group(1)
                    if own and rid == own.group(1) and m.start() == 4:
                        continue
                    if rid.rsplit(".", 1)[1] in NOT_RULES:
                        continue  # a file or host name: [xds.md](xds.md), [grpc.example.com]
                    if rid.split(".", 1)[0] in prefixes:
                        found.setdefault(rid, []).append("%s:%d" % (os.path.relpath(path, root), n))
    return found


def check_rules(root):
    rules = defined_rules(root)
    prefixes = {r.split(".", 1)[0] for r in rules}
    errors = []
    cited = citations(root, ["lib", "include", "tools", "tests", "fuzz", "bench", "bindings",
                             "docs", "README.md", "CHANGELOG.md"], prefixes)
    gone = withdrawn_rules(root)
    for rid, where in sorted(cited.items()):
        if rid in gone:
            errors.append("[%s] is withdrawn but still cited (%s)" % (rid, ", ".join(where[:3])))
        if rid not in rules:
            errors.append("[%s] is cited but not defined in docs/semantics/ (%s)" %
                          (rid, ", ".join(where[:3])))
    tested = citations(root, ["tests"], prefixes)
    untested = sorted(r for r in rules if r not in tested and r not in gone)
    for rid in untested:
        errors.append("[%s] (docs/semantics/%s) is cited by no test under tests/" %
                      (rid, rules[rid]))
    # A rule lives on the page of its topic: its prefix is one the page's title names.
    sem = os.path.join(root, "docs", "semantics")
    for rid, page in sorted(rules.items()):
        title = read(os.path.join(sem, page)).split("\n", 1)[0]
        if "`%s`" % rid.split(".", 1)[0] not in title:
            errors.append("[%s] is on %s, whose title names other prefixes" % (rid, page))
    print("rules: %d defined, %d cited in code/docs/tests, %d cited by tests" %
          (len(rules), len(cited), len([r for r in rules if r in tested])))
    return errors


NOTES = re.compile(r"SPEC\.md|CONVENTIONS\.md|\.\./shared")


def check_citations(root):
    errors = []
    subs = ["lib", "include", "tools", "docs", "cmake", "bindings", "README.md",
            "CMakeLists.txt"]
    for sub in subs:
        if not os.path.exists(os.path.join(root, sub)):
            continue
        for path in walk(root, sub):
            for n, line in enumerate(read(path).splitlines(), 1):
                if NOTES.search(line):
                    errors.append("%s:%d cites notes outside the repository: %s" %
                                  (os.path.relpath(path, root), n, line.strip()[:100]))
    print("citations: %d outside the repository" % len(errors))
    return errors


def check_openers(root):
    errors = []
    n = 0
    for top in ("lib", "include", "tools", "tests", "fuzz", "bench"):
        for path in walk(root, top):
            if path.endswith((".c", ".h")):
                n += 1
                first = read(path).lstrip("\ufeff").split("\n", 1)[0]
                if not first.startswith(("/*", "//")):
                    errors.append("%s does not open with a comment saying what it is" %
                                  os.path.relpath(path, root))
    print("openers: %d source files, %d without an opening comment" % (n, len(errors)))
    return errors


INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def module_of(root, path):
    rel = os.path.relpath(path, root).split(os.sep)
    if len(rel) >= 3 and rel[0] in ("lib", "include", "tools"):
        return "%s/%s" % (rel[0], rel[1])
    return None


def include_graph(root):
    roots = [os.path.join(root, "lib"), os.path.join(root, "include")]
    graph = {}
    for top in ("lib", "include", "tools"):
        for path in walk(root, top):
            if not path.endswith((".c", ".h")):
                continue
            mod = module_of(root, path)
            if not mod:
                continue
            graph.setdefault(mod, set())
            for inc in INCLUDE.findall(read(path)):
                target = None
                for base in [os.path.dirname(path)] + roots:
                    cand = os.path.normpath(os.path.join(base, inc))
                    if os.path.isfile(cand):
                        target = cand
                        break
                tmod = module_of(root, target) if target else None
                if tmod and tmod != mod:
                    graph[mod].add(tmod)
    return graph


def cycles(graph):
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(" <-> ".join(sorted(comp)))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(out)


def known_cycles(path):
    known = set()
    if os.path.exists(path):
        for line in read(path).splitlines():
            entry = line.split("#", 1)[0].strip()
            if entry:
                known.add(" <-> ".join(sorted(p.strip() for p in entry.split("<->"))))
    return known


def check_cycles(root):
    graph = include_graph(root)
    found = set(cycles(graph))
    known = known_cycles(os.path.join(root, "tests", "semantics", "known-include-cycles.txt"))
    errors = []
    for c in sorted(found - known):
        edges = []
        mods = c.split(" <-> ")
        for a in mods:
            edges += ["%s -> %s" % (a, b) for b in sorted(graph[a]) if b in mods]
        errors.append("include cycle between modules: %s (%s)" % (c, "; ".join(edges)))
    for c in sorted(known - found):
        errors.append("known include cycle %s is gone: remove it from "
                      "tests/semantics/known-include-cycles.txt" % c)
    print("cycles: %d modules, cycles now: %s" % (len(graph), "; ".join(sorted(found)) or "none"))
    return errors


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    root = argv[1]
    checks = {"rules": check_rules, "citations": check_citations, "openers": check_openers,
              "cycles": check_cycles}
    errors = []
    for name in argv[2:]:
        if name not in checks:
            print("unknown check %s" % name, file=sys.stderr)
            return 2
        errors += checks[name](root)
    for e in errors:
        print("FAIL " + e)
    print("%d problem(s)" % len(errors))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
