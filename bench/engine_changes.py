#!/usr/bin/env python3
"""One EndpointSlice change taken to a typed delta in Python: Engine.apply,
then Engine.changes() (translate, and decode only the changed entries).

    build-release/bench/rb-bench engine-files 10000 1000 /tmp/b
    REBALANCE_LIBRARY=build-release/lib/librebalance.so PYTHONPATH=bindings/python \\
        python3 bench/engine_changes.py /tmp/b

DIR holds snapshot.yaml and changes.yaml as `rb-bench engine-files` writes
them (bench/README.md); each change is applied once, in order. Prints the
median, p90 and mean time per change. Not a test: nothing here asserts a time.
"""
import pathlib
import sys
import time
from typing import List

import rebalance


def main(argv: List[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    d = pathlib.Path(argv[1])
    changes = [doc for doc in (d / "changes.yaml").read_bytes().split(b"---\n") if doc]
    # 50,000 routes exceed the default input limits, as for rb-bench.
    big = {rebalance.Limit.INPUT_BYTES: 1 << 32, rebalance.Limit.NODES: 1 << 32}
    with rebalance.Engine(d / "snapshot.yaml", limits=big) as engine:
        t0 = time.perf_counter()
        first = engine.changes()  # the first, full translation: everything added
        first_entries = len(first.destinations) + len(first.route_statuses)
        # Not kept: its ~10 objects per endpoint would make every collection of
        # Python's cyclic GC walk the whole cluster, which is the cost of
        # holding them, not of a change (a caller that keeps such a view
        # calls gc.freeze() after building it: docs/embedding.md).
        del first
        full = time.perf_counter() - t0
        times, entries = [], 0
        for doc in changes:
            t0 = time.perf_counter()
            engine.apply(doc, name="change.yaml")
            delta = engine.changes()
            times.append(time.perf_counter() - t0)
            entries += len(delta.destinations) + len(delta.route_statuses)
        routes = engine.stats().routes
    times.sort()
    n = len(times)
    print("python engine, %d routes, %d EndpointSlice changes (first translation %.1f ms, %d entries)"
          % (routes, n, full * 1e3, first_entries))
    if n:
        print("| change to typed delta median us | p90 us | mean us | entries per change |")
        print("|---:|---:|---:|---:|")
        print("| %.0f | %.0f | %.0f | %.1f |" % (times[n // 2] * 1e6, times[n * 9 // 10] * 1e6,
                                               sum(times) / n * 1e6, entries / n))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
