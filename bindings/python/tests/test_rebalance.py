"""Tests of the Python binding: the shared golden cases of the C library
(tests/golden), diagnostics, options, threads and the version check.

Run from bindings/python:  REBALANCE_LIBRARY=.../librebalance.so python3 -m unittest -v
"""

import gc
import json
import os
import pathlib
import subprocess
import sys
import threading
import unittest

import rebalance
from rebalance import _lib

ROOT = pathlib.Path(__file__).resolve().parents[3]
GOLDEN = ROOT / "tests" / "golden"
FAILOVER = ROOT / "examples" / "failover"


def parse_args(args):
    """The CLI options a golden run may use -> (options, format, files), or
    None for runs that test the CLI itself (unknown option, bad format)."""
    if not args or args[0] != "translate":
        return None
    opts, fmt, files = {"mode": rebalance.Mode.REBALANCE, "flags": rebalance.Flag.NONE}, "yaml", []
    flags = {"--disable-backend-api": rebalance.Flag.DISABLE_BACKEND_API,
             "--running-on-host": rebalance.Flag.RUNNING_ON_HOST,
             "--rebalance-not-ready": rebalance.Flag.REBALANCE_NOT_READY}
    it = iter(args[1:])
    for a in it:
        if a == "-o":
            fmt = next(it, None)
            if fmt not in ("yaml", "json"):
                return None
        elif a == "--compat":
            if next(it, None) != "envoy-gateway":
                return None
            opts["mode"] = rebalance.Mode.COMPAT_ENVOY_GATEWAY
        elif a in flags:
            opts["flags"] |= flags[a]
        elif a == "--gateway-class":
            opts["gateway_class"] = next(it, None)
        elif a.startswith("-"):
            return None
        else:
            files.append(a)
    return opts, fmt, files


def golden_runs():
    runs = []
    for case in sorted(p for p in GOLDEN.iterdir() if p.is_dir()):
        inputs = [rebalance.Input(p.read_bytes(), p.name,
                                  rebalance.Format.JSON if p.suffix == ".json" else rebalance.Format.AUTO)
                  for p in sorted(case.iterdir())
                  if p.name.startswith("input") and p.suffix in (".yaml", ".json")]
        for args in sorted(case.glob("*.args")):
            parsed = parse_args(args.read_text().split())
            if parsed is None:
                continue
            opts, fmt, files = parsed
            run = args.name[:-len(".args")]
            out, err = case / (run + ".out"), case / (run + ".err")
            runs.append({
                "name": "%s/%s" % (case.name, run), "dir": case, "opts": opts, "format": fmt,
                # The CLI appends the case's inputs to the file arguments.
                "inputs": [case / f for f in files] + [case / i.name for i in inputs] if files else inputs,
                "out": out.read_bytes() if out.exists() else None,
                "err": err.read_text().rstrip("\n") if not out.exists() else None,
            })
    assert len(runs) >= 20, "only %d golden runs under %s" % (len(runs), GOLDEN)
    return runs


class GoldenTest(unittest.TestCase):
    """Results equal the CLI's output for every shared golden run."""

    def test_golden(self):
        translators = {}
        try:
            for run in golden_runs():
                key = tuple(sorted((k, int(v) if isinstance(v, int) else v) for k, v in run["opts"].items()))
                t = translators.get(key) or translators.setdefault(key, rebalance.Translator(**run["opts"]))
                with self.subTest(run["name"]):
                    fmt = rebalance.Format.JSON if run["format"] == "json" else rebalance.Format.YAML
                    if run["out"] is None:
                        with self.assertRaises(rebalance.RebalanceError) as cm:
                            t.render(*run["inputs"], format=fmt)
                        e = cm.exception
                        self.assertEqual(str(e).replace(str(run["dir"]) + os.sep, ""), run["err"])
                        self.assertIn(e.code, (rebalance.ErrorCode.PARSE, rebalance.ErrorCode.LIMIT,
                                               rebalance.ErrorCode.IO))
                        self.assertEqual(len(e.diagnostics), 1)
                        d = e.diagnostics[0]
                        self.assertTrue(d.file and d.message)
                        continue
                    self.assertEqual(t.render(*run["inputs"], format=fmt), run["out"])
                    if fmt == rebalance.Format.JSON:
                        self.assertEqual(t.translate(*run["inputs"]), json.loads(run["out"]))
        finally:
            for t in translators.values():
                t.close()


class TranslateTest(unittest.TestCase):
    def test_failover(self):
        res = rebalance.translate(FAILOVER / "manifests.yaml", FAILOVER / "endpoints-empty.yaml")
        (d,) = res["destinations"]
        self.assertEqual(d["route"], {"kind": "HTTPRoute", "namespace": "default",
                                      "name": "failover", "rule": 0})
        self.assertEqual([s["priority"] for s in d["settings"]], [1])
        self.assertEqual(d["excluded"][0]["reason"], "NoReadyEndpoints")
        self.assertEqual(d["backendWeights"], {"valid": 1, "invalid": 0, "noEndpoints": 0})
        compat = rebalance.translate(FAILOVER / "manifests.yaml", FAILOVER / "endpoints-empty.yaml",
                                     preset=rebalance.Preset.ENVOY_GATEWAY)
        self.assertNotIn("excluded", compat["destinations"][0])
        self.assertEqual(compat["destinations"][0]["backendWeights"]["noEndpoints"], 1)

    def test_input_kinds(self):
        text = (FAILOVER / "manifests.yaml").read_text()
        data = (FAILOVER / "endpoints-ready.yaml").read_bytes()
        want = rebalance.translate(FAILOVER / "manifests.yaml", FAILOVER / "endpoints-ready.yaml")
        self.assertEqual(rebalance.translate(text, data), want)
        self.assertEqual(rebalance.translate(("m.yaml", text), ("e.yaml", bytearray(data))), want)
        self.assertEqual(rebalance.translate(rebalance.Input(memoryview(text.encode())),
                                             rebalance.Input(data, "e.yaml", rebalance.Format.YAML)), want)
        self.assertEqual(rebalance.translate(), {"destinations": [], "routeStatuses": []})
        self.assertTrue(rebalance.render(text, format=rebalance.Format.YAML).startswith(b"destinations:\n"))
        with self.assertRaises(TypeError):
            rebalance.translate(42)

    def test_diagnostics(self):
        bad = "kind: Service\napiVersion: v1\nmetadata: {name: s}\nspec:\n  ports: {a: 1}\n"
        good = "kind: Service\napiVersion: v1\nmetadata: {name: s}\nspec: {}\n"
        with self.assertRaises(rebalance.RebalanceError) as cm:
            rebalance.translate(bad)
        e = cm.exception
        self.assertEqual(e.code, rebalance.ErrorCode.PARSE)
        (d,) = e.diagnostics
        self.assertEqual((d.file, d.line, d.column, d.path, d.message),
                         ("<buffer>", 5, 10, "/spec/ports", "expected a sequence, got a mapping"))
        self.assertEqual(str(e), "<buffer>:5:10: /spec/ports: expected a sequence, got a mapping")
        # Every unusable input is reported, under its name, in order.
        with self.assertRaises(rebalance.RebalanceError) as cm:
            rebalance.translate(bad, ("good.yaml", good), ("bad.yaml", bad))
        self.assertEqual([d.file for d in cm.exception.diagnostics], ["<buffer 1>", "bad.yaml"])
        with self.assertRaises(rebalance.RebalanceError) as cm:
            rebalance.translate(pathlib.Path("does-not-exist.yaml"))
        self.assertEqual(cm.exception.code, rebalance.ErrorCode.IO)
        self.assertTrue(str(cm.exception).startswith("does-not-exist.yaml: "))

    def test_limits(self):
        with self.assertRaises(rebalance.RebalanceError) as cm:
            rebalance.translate("a: [[[[[[1]]]]]]\n", limits={rebalance.Limit.DEPTH: 4})
        self.assertEqual(cm.exception.code, rebalance.ErrorCode.LIMIT)
        alias = "kind: Service\napiVersion: v1\nmetadata: &m {name: s}\nspec: {}\nx: *m\n"
        with self.assertRaises(rebalance.RebalanceError):
            rebalance.translate(alias)
        rebalance.translate(alias, limits={rebalance.Limit.ALIAS_EXPANSION: 100})
        with self.assertRaises(ValueError):
            rebalance.Translator(limits={rebalance.Limit.DEPTH: 0})

    def test_options(self):
        with self.assertRaises(ValueError):
            rebalance.Translator(mode=7)
        with self.assertRaises(ValueError):
            rebalance.Translator(flags=1 << 20)
        with self.assertRaises(ValueError):
            rebalance.Translator(preset=9)
        with self.assertRaises(ValueError):
            rebalance.render("", format=rebalance.Format.AUTO)
        other = rebalance.translate(FAILOVER / "manifests.yaml", gateway_class="other")
        self.assertEqual(other["destinations"], [])
        flagged = rebalance.translate(FAILOVER / "manifests.yaml",
                                      flags=rebalance.Flag.REBALANCE_NOT_READY | rebalance.Flag.RUNNING_ON_HOST)
        self.assertEqual(len(flagged["destinations"]), 1)

    def test_close(self):
        t = rebalance.Translator()
        self.assertFalse(t.closed)
        t.close()
        t.close()
        self.assertTrue(t.closed)
        with self.assertRaises(ValueError):
            t.translate("")
        with rebalance.Translator() as t:
            t.translate("")
        self.assertTrue(t.closed)
        # An unclosed translator is freed by its finalizer.
        rebalance.Translator()
        gc.collect()


class ThreadTest(unittest.TestCase):
    def test_threads(self):
        runs = [r for r in golden_runs()
                if r["out"] is not None and r["format"] == "json" and not r["opts"].get("gateway_class")
                and r["opts"]["mode"] == rebalance.Mode.REBALANCE and r["opts"]["flags"] == 0]
        errors = []
        with rebalance.Translator() as t:
            def work(k):
                try:
                    for i in range(2 * len(runs)):
                        r = runs[(k * len(runs) // 8 + i) % len(runs)]
                        if t.render(*r["inputs"]) != r["out"]:
                            errors.append(r["name"])
                except Exception as e:  # noqa: BLE001 - reported below
                    errors.append(repr(e))
            threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
            for th in threads:
                th.start()
            for th in threads:
                th.join()
        self.assertEqual(errors, [])


class VersionTest(unittest.TestCase):
    def test_version(self):
        n = rebalance.version_number()
        self.assertEqual(rebalance.version(), "%d.%d.%d" % (n // 10000, n // 100 % 100, n % 100))
        self.assertEqual((n // 10000, n // 100 % 100), rebalance.ABI)

    def test_check_version(self):
        _lib.check_version(100, (0, 1))
        _lib.check_version(107, (0, 1))
        _lib.check_version(10300, (1, 2))
        for number, abi in ((200, (0, 1)), (100, (0, 2)), (10100, (0, 1)), (10100, (1, 2)), (20000, (1, 2))):
            with self.assertRaises(ImportError) as cm:
                _lib.check_version(number, abi)
            self.assertIn("%d.%d.%d" % (number // 10000, number // 100 % 100, number % 100),
                          str(cm.exception))

    def _import_with(self, library):
        env = dict(os.environ, REBALANCE_LIBRARY=library)
        return subprocess.run([sys.executable, "-c", "import rebalance"], env=env,
                              capture_output=True, text=True, check=False)

    def test_import_refuses_other_generation(self):
        fake = os.environ.get("REBALANCE_FAKE_LIBRARY")
        if not fake:
            self.skipTest("REBALANCE_FAKE_LIBRARY is not set (ctest sets it)")
        p = self._import_with(fake)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("ImportError: rebalance: the loaded librebalance is 0.99.0", p.stderr)
        self.assertIn("needs a 0.1.x library", p.stderr)

    def test_import_without_library(self):
        p = self._import_with(os.path.join(os.sep, "nonexistent", "librebalance.so"))
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("cannot load librebalance", p.stderr)
        self.assertIn("REBALANCE_LIBRARY", p.stderr)

    def test_prototypes(self):
        # Every function has its restype and argtypes declared (the default
        # restype, int, would truncate pointers).
        for name in _lib._PROTOTYPES:
            fn = getattr(_lib.lib, name)
            self.assertIsNotNone(fn.argtypes, name)
        self.assertIs(_lib.lib.rb_result_to_buffer.argtypes[2]._type_, _lib.c_void_p)


if __name__ == "__main__":
    unittest.main()
