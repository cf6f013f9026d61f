#!/usr/bin/env python3
"""The library's layout rules, checked on its sources (docs/design.md, "Rules the parts keep").

- The modules of lib/ (one directory each) include one another without a
  cycle: an #include "a/x.h" in lib/b/ is an edge b -> a.
- Every source file of lib/ has a basename of its own (debuggers, profiles and
  object files name a file by its basename).

Usage: check_layout.py LIB_DIR. Exit 0 when both hold, 1 with the findings.
"""
import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+"([a-z_]+)/[^"]+"', re.M)


def module_graph(lib):
    graph = {}
    for mod in sorted(os.listdir(lib)):
        path = os.path.join(lib, mod)
        if not os.path.isdir(path):
            continue
        edges = graph.setdefault(mod, set())
        for name in os.listdir(path):
            if not name.endswith((".c", ".h")):
                continue
            with open(os.path.join(path, name), encoding="utf-8") as f:
                for dep in INCLUDE.findall(f.read()):
                    if dep != mod and os.path.isdir(os.path.join(lib, dep)):
                        edges.add(dep)
    return graph


def find_cycle(graph):
    """A list of modules forming a cycle, or None (depth-first search)."""
    state = {}  # 1: on the stack, 2: done
    stack = []

    def visit(m):
        state[m] = 1
        stack.append(m)
        for d in sorted(graph.get(m, ())):
            if state.get(d) == 1:
                return stack[stack.index(d):] + [d]
            if d not in state:
                found = visit(d)
                if found:
                    return found
        stack.pop()
        state[m] = 2
        return None

    for m in sorted(graph):
        if m not in state:
            found = visit(m)
            if found:
                return found
    return None


def duplicate_basenames(lib):
    seen = {}
    for root, _, files in os.walk(lib):
        for name in files:
            if name.endswith((".c", ".h")):
                seen.setdefault(name, []).append(os.path.relpath(os.path.join(root, name), lib))
    return {k: v for k, v in seen.items() if len(v) > 1}


def main():
    lib = sys.argv[1]
    failed = False
    cycle = find_cycle(module_graph(lib))
    if cycle:
        print("include cycle between modules: " + " -> ".join(cycle))
        failed = True
    for name, paths in sorted(duplicate_basenames(lib).items()):
        print("basename %s used by %s" % (name, ", ".join(sorted(paths))))
        failed = True
    if not failed:
        print("layout: no include cycle, unique basenames")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
