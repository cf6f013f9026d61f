#!/usr/bin/env python3
"""Every golden output of translate, xds and explain (-o json|yaml) against its schema.

usage: validate_outputs.py SOURCE_DIR

The schemas are docs/schema/{ir,xds,explain}.schema.json (docs/ir.md). A run of
tests/golden/<case>/ is NAME.args (the command line after `rebalance`) and
NAME.out (what it printed); runs that failed (NAME.rc not 0), ask for help or
print text are not documents and are left out. YAML outputs are read with
python3-yaml, JSON outputs with the json module. Exits 77 (skipped) when
python3-jsonschema or python3-yaml is missing.
"""
import glob
import json
import os
import sys

try:
    import jsonschema
    import yaml
except ImportError as e:
    print("SKIP: %s (install python3-jsonschema and python3-yaml)" % e)
    sys.exit(77)

# The format a command prints when -o is not given.
DEFAULT_FORMAT = {"translate": "yaml", "xds": "json", "explain": "text"}
SCHEMA_OF = {"translate": "ir", "xds": "xds", "explain": "explain"}


def output_format(args):
    for i, a in enumerate(args):
        if a in ("-o", "--output") and i + 1 < len(args):
            return args[i + 1]
        if a.startswith("--output="):
            return a.split("=", 1)[1]
        if a.startswith("-o") and len(a) > 2:
            return a[2:]
    return DEFAULT_FORMAT.get(args[0]) if args else None


def runs(golden):
    for path in sorted(glob.glob(os.path.join(golden, "*", "*.args"))):
        base = path[:-len(".args")]
        with open(path, encoding="utf-8") as f:
            args = f.read().split()
        if not args or args[0] not in SCHEMA_OF or "--help" in args or "-h" in args:
            continue
        rc = base + ".rc"
        if os.path.exists(rc) and open(rc, encoding="utf-8").read().strip() not in ("", "0"):
            continue
        fmt = output_format(args)
        if fmt not in ("json", "yaml"):
            continue
        yield base, args[0], fmt


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    root = argv[1]
    validators = {}
    for cmd, name in SCHEMA_OF.items():
        with open(os.path.join(root, "docs", "schema", name + ".schema.json"), encoding="utf-8") as f:
            schema = json.load(f)
        jsonschema.Draft202012Validator.check_schema(schema)
        validators[cmd] = jsonschema.Draft202012Validator(schema)
    counts = {cmd: 0 for cmd in SCHEMA_OF}
    problems = 0
    for base, cmd, fmt in runs(os.path.join(root, "tests", "golden")):
        with open(base + ".out", encoding="utf-8") as f:
            text = f.read()
        rel = os.path.relpath(base + ".out", root)
        try:
            doc = json.loads(text) if fmt == "json" else yaml.safe_load(text)
        except (ValueError, yaml.YAMLError) as e:
            print("FAIL %s: not %s: %s" % (rel, fmt, e))
            problems += 1
            continue
        errors = sorted(validators[cmd].iter_errors(doc), key=lambda e: list(e.absolute_path))
        for e in errors[:5]:
            print("FAIL %s: /%s: %s" % (rel, "/".join(str(p) for p in e.absolute_path), e.message))
        problems += bool(errors)
        counts[cmd] += 1
    # The schemas can fail: an unknown field and an unknown condition type are refused.
    probe = {"destinations": [{"name": "d", "route": {"kind": "HTTPRoute", "namespace": "n",
                                                      "name": "r", "rule": 0},
                               "gateway": {"namespace": "n", "name": "g"}, "key": "n/g/d",
                               "backendWeights": {"valid": 1, "invalid": 0, "noEndpoints": 0},
                               "settings": [{"name": "s", "weight": 1, "surprise": True}]}],
             "routeStatuses": [{"kind": "HTTPRoute", "namespace": "n", "name": "r",
                                "parentRef": {"name": "g"},
                                "conditions": [{"type": "Surprise", "status": "True",
                                                "reason": "R", "message": ""}]}]}
    if len(list(validators["translate"].iter_errors(probe))) != 2:
        print("FAIL the IR schema accepts an unknown field or condition type")
        problems += 1
    print("validated: %s" % ", ".join("%d %s" % (n, c) for c, n in sorted(counts.items())))
    if not all(counts.values()):
        print("FAIL: a kind of output has no golden case at all")
        problems += 1
    print("%d output(s) with problems" % problems)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
