#!/usr/bin/python3
"""Every `rebalance xds -o json` output we can produce must be an Envoy config Envoy accepts.

usage: validate_all.py REBALANCE_BIN VALIDATE_XDS_PY GOLDEN_DIR [CONFORMANCE_DIR]

Runs `rebalance xds -o json` in both modes (default and `--compat envoy-gateway`) on
  - every golden input (tests/golden/*/input.{yaml,json}) that the CLI accepts, and
  - every Envoy Gateway conformance case (both splits), built the way the oracle
    builds it (its own `build_input`, harness fixtures, per-case flags),
and checks each output with Envoy's v3 protos through `validate_xds.py` (loaded
once, in this process). Prints one line per failing output, then "N passed, M failed".
Exit 0 only when every output is valid.
"""
import contextlib
import importlib.util
import io
import os
import subprocess
import sys
import tempfile

MODES = (("rebalance", []), ("compat", ["--compat", "envoy-gateway"]))


def load_module(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def cached_validator(path):
    """validate_xds.main with its descriptor pool parsed once, not per output."""
    vx = load_module("validate_xds", path)
    pool = vx.load_pool(vx.DESC)
    vx.load_pool = lambda _path: pool
    rules = vx.Rules(*pool)
    vx.Rules = lambda *_args: rules

    def validate(json_path):
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            rc = vx.main(["validate_xds", "-q", json_path])
        return rc, out.getvalue()

    return validate


def golden_inputs(golden_dir):
    for case in sorted(os.listdir(golden_dir)):
        for name in ("input.yaml", "input.json"):
            path = os.path.join(golden_dir, case, name)
            if os.path.isfile(path):
                yield "golden/" + case, path, []


def conformance_inputs(conf_dir, tmp):
    import yaml  # Debian's python3-yaml; only needed for the conformance cases

    sys.path.insert(0, conf_dir)
    compare = load_module("compare", os.path.join(conf_dir, "compare.py"))
    with open(os.path.join(conf_dir, "fixtures.yaml"), encoding="utf-8") as f:
        fixtures = compare.extract.load_yaml_text(f.read())
    source = compare.locate_source(None)
    for case in compare.read_cases(os.path.join(conf_dir, "cases-visible.tsv")):
        in_text = compare.extract.read_case_file(source, case.name, ".in.yaml")
        doc, _ = compare.build_input(case.name, in_text, fixtures)
        path = os.path.join(tmp, case.name + ".yaml")
        with open(path, "w", encoding="utf-8") as f:
            yaml.safe_dump(doc, f, sort_keys=False, default_flow_style=False)
        yield case.split + "/" + case.name, path, case.flags()


def main(argv):
    if len(argv) not in (4, 5):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    binary, validator, golden_dir = argv[1:4]
    validate = cached_validator(validator)
    passed = failed = 0
    with tempfile.TemporaryDirectory(prefix="rebalance-xds-") as tmp:
        inputs = list(golden_inputs(golden_dir))
        if len(argv) == 5:
            inputs += list(conformance_inputs(argv[4], tmp))
        out_path = os.path.join(tmp, "xds.json")
        for label, path, flags in inputs:
            for mode, mode_flags in MODES:
                with open(out_path, "wb") as out:
                    res = subprocess.run([binary, "xds", "-o", "json"] + mode_flags + flags + [path],
                                         stdout=out, stderr=subprocess.DEVNULL)
                if res.returncode == 2:
                    continue  # input the CLI refuses (the error-* goldens): no output to check
                if res.returncode != 0:
                    failed += 1
                    print("%s [%s]: rebalance xds exited %d" % (label, mode, res.returncode))
                    continue
                rc, problems = validate(out_path)
                if rc == 0:
                    passed += 1
                else:
                    failed += 1
                    for line in problems.splitlines()[:-1]:
                        print("%s [%s]: %s" % (label, mode, line))
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
