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
import tempfile
import threading
import unittest
from typing import Any, Dict, List, Tuple

import rebalance
from rebalance import _lib

ROOT = pathlib.Path(__file__).resolve().parents[3]
GOLDEN = ROOT / "tests" / "golden"
FAILOVER = ROOT / "examples" / "failover"


def parse_args(args):
    """The CLI options a golden run may use -> a dict (command, opts, format,
    text, what_if, files), or None for runs that test the CLI itself (unknown
    option, bad format, what-if syntax)."""
    if not args or args[0] not in ("translate", "xds", "explain"):
        return None
    run = {"command": args[0], "opts": {"mode": rebalance.Mode.REBALANCE, "flags": rebalance.Flag.NONE},
           "format": {"translate": "yaml", "xds": "json", "explain": None}[args[0]],
           "what_if": [], "files": [], "config": None}
    flags = {"--disable-backend-api": rebalance.Flag.DISABLE_BACKEND_API,
             "--running-on-host": rebalance.Flag.RUNNING_ON_HOST,
             "--rebalance-not-ready": rebalance.Flag.REBALANCE_NOT_READY,
             "--honor-policy": rebalance.Flag.HONOR_POLICY,
             "--ignore-policy": rebalance.Flag.IGNORE_POLICY,
             "--assume-secrets": rebalance.Flag.ASSUME_SECRETS}
    it = iter(args[1:])
    for a in it:
        flag, eq, value = a.partition("=") if a.startswith("--") else (a, "", "")
        if flag in ("-o", "--compat", "--config", "--what-if", "--gateway-class",
                    "--controller-name", "-n", "--namespace") and not eq:
            value = next(it, None)
        if flag == "-o":
            if value not in ("yaml", "json"):
                return None
            run["format"] = value
        elif flag == "--compat":
            if value != "envoy-gateway":
                return None
            run["opts"]["mode"] = rebalance.Mode.COMPAT_ENVOY_GATEWAY
        elif flag == "--config":
            run["config"] = value
        elif flag == "--what-if":
            if run["command"] != "explain" or not value:
                return None
            run["what_if"].append(value)  # the CLI's forms (NAMESPACE/SERVICE=N...)
        elif flag in flags:
            run["opts"]["flags"] |= flags[flag]
        elif flag == "--gateway-class":
            run["opts"]["gateway_classes"] = run["opts"].get("gateway_classes", ()) + (value,)
        elif flag == "--controller-name":
            run["opts"]["controller_name"] = value
        elif flag in ("-n", "--namespace"):
            run["opts"]["namespace"] = value
        elif flag == "--strict":
            run["strict"] = True
        elif a.startswith("-"):
            return None
        else:
            run["files"].append(a)
    return run


def golden_runs():
    runs = []
    for case in sorted(p for p in GOLDEN.iterdir() if p.is_dir()):
        inputs = [rebalance.Input(p.read_bytes(), p.name,
                                  rebalance.Format.JSON if p.suffix == ".json" else rebalance.Format.AUTO)
                  for p in sorted(case.iterdir())
                  if p.name.startswith("input") and p.suffix in (".yaml", ".json")]
        for args in sorted(case.glob("*.args")):
            run = parse_args(args.read_text().split())
            if run is None:
                continue
            name = args.name[:-len(".args")]
            out, err = case / (name + ".out"), case / (name + ".err")
            if run.pop("strict", False) and not out.exists():
                continue  # --strict refusing warnings: the CLI's rule
            files = run.pop("files")
            if run["config"]:
                run["opts"]["config"] = case / run.pop("config")
            run.update({
                "name": "%s/%s" % (case.name, name), "dir": case,
                # The CLI appends the case's inputs to the file arguments.
                "inputs": [case / f for f in files] + [case / i.name for i in inputs] if files else inputs,
                "out": out.read_bytes() if out.exists() else None,
                # The diagnostics, without the CLI's own hints ("rebalance: ...").
                "err": "\n".join(l for l in err.read_text().splitlines()
                                 if not l.startswith("rebalance: ")) if not out.exists() else None,
                # A run that succeeds with warnings: the CLI's "FILE:L:C: warning: PATH: MSG".
                "warnings": [l.replace(": warning: ", ": ", 1) for l in err.read_text().splitlines()]
                if out.exists() and err.exists() else [],
            })
            runs.append(run)
    assert len(runs) >= 20, "only %d golden runs under %s" % (len(runs), GOLDEN)
    return runs


def options_key(opts):
    return tuple(sorted((k, int(v) if isinstance(v, int) else str(v)) for k, v in opts.items()))


def render_run(t, run):
    """The run through the binding: bytes, as the CLI printed them."""
    fmt = rebalance.Format.JSON if run["format"] == "json" else rebalance.Format.YAML
    if run["command"] == "xds":
        return t.render_xds(*run["inputs"], format=fmt)
    if run["command"] == "explain":
        return t.render_explain(*run["inputs"], what_if=run["what_if"], format=fmt)
    return t.render(*run["inputs"], format=fmt)


def decode_run(t, run):
    """The run through the binding: a dict."""
    if run["command"] == "xds":
        return t.xds(*run["inputs"])
    if run["command"] == "explain":
        return t.explain(*run["inputs"], what_if=run["what_if"])
    return t.translate(*run["inputs"])


class GoldenTest(unittest.TestCase):
    """Results equal the CLI's output for every shared golden run."""

    def test_golden(self):
        translators = {}
        try:
            for run in golden_runs():
                with self.subTest(run["name"]):
                    key = options_key(run["opts"])
                    try:
                        t = translators.get(key) or translators.setdefault(
                            key, rebalance.Translator(**run["opts"]))
                    except rebalance.RebalanceError as e:  # a configuration document refused
                        self.check_error(run, e)
                        continue
                    if run["command"] == "explain" and run["format"] is None:
                        self.check_explain_text(t, run)
                        continue
                    if run["out"] is None:
                        with self.assertRaises(rebalance.RebalanceError) as cm:
                            render_run(t, run)
                        self.check_error(run, cm.exception)
                        continue
                    self.assertEqual(render_run(t, run), run["out"])
                    if run["command"] == "translate":
                        got = t.warnings(*run["inputs"])
                        self.assertEqual([str(w).replace(str(run["dir"]) + os.sep, "") for w in got],
                                         run["warnings"])
                        self.assertTrue(all(w.code == 0 for w in got))
                    if run["format"] == "json":
                        self.assertEqual(decode_run(t, run), json.loads(run["out"]))
        finally:
            for t in translators.values():
                t.close()

    def check_error(self, run, e):
        self.assertIsNotNone(run["err"], "refused a run the CLI accepted: %s" % e)
        self.assertEqual(str(e).replace(str(run["dir"]) + os.sep, ""), run["err"])
        self.assertIn(e.code, (rebalance.ErrorCode.PARSE, rebalance.ErrorCode.LIMIT,
                               rebalance.ErrorCode.IO))
        self.assertEqual(len(e.diagnostics), 1)
        d = e.diagnostics[0]
        self.assertTrue(d.file and d.message)

    def check_explain_text(self, t, run):
        """The CLI printed its table (the binding has none) or refused a
        what-if target: a malformed one, or a Service not in the input, raises
        ValueError with the CLI's reason."""
        if run["out"] is not None:
            ex = t.explain(*run["inputs"], what_if=run["what_if"])
            self.assertTrue(all(w["found"] for w in ex["whatIf"]))
            return
        with self.assertRaises(ValueError) as cm:
            t.explain(*run["inputs"], what_if=run["what_if"])
        reason = str(cm.exception).split(": ", 2)[-1]
        self.assertIn(reason, run["err"])


def same_json(a, b):
    """Equal as json.loads gives them: values, key order, and int versus float."""
    return a == b and json.dumps(a) == json.dumps(b)


class PickleTest(unittest.TestCase):
    """Every dict the binding returns is decoded from the library's pickle
    (RB_FORMAT_PICKLE): for every golden input it must equal json.loads of
    the library's JSON, for translate, xds, explain and engine change sets."""

    def test_golden_documents(self):
        translators = {}
        checked = 0
        try:
            for run in golden_runs():
                if run["out"] is None:
                    continue
                with self.subTest(run["name"]):
                    key = options_key(run["opts"])
                    t = translators.get(key) or translators.setdefault(
                        key, rebalance.Translator(**run["opts"]))
                    want = json.loads(render_run(t, dict(run, format="json")))
                    self.assertTrue(same_json(decode_run(t, run), want))
                    checked += 1
        finally:
            for t in translators.values():
                t.close()
        self.assertGreaterEqual(checked, 100)

    def test_golden_changes(self):
        from rebalance import _L, _take
        for run in golden_runs():
            if run["command"] != "translate" or run["out"] is None:
                continue
            with self.subTest(run["name"]), rebalance.Engine(*run["inputs"], **run["opts"]) as engine:
                with engine._lock:
                    engine._translate_locked()
                    changes = _L.rb_engine_changes(engine._engine)
                    docs = [_take(engine._ctx, _L.rb_changes_to_buffer, engine._ctx, changes, fmt)
                            for fmt in (_lib.RB_FORMAT_JSON, _lib.RB_FORMAT_PICKLE)]
                self.assertTrue(same_json(rebalance._decode(docs[1]), json.loads(docs[0])))

    def test_text(self):
        """Annotation values carry any text to the result: empty, control
        characters and quotes, non-ASCII, and strings of 255, 256 and 70,000
        bytes (a str longer than a pickle frame)."""
        base = (GOLDEN / "decode-yaml-scalars" / "input.yaml").read_text()
        line = "    gateway.envoyproxy.io/canary: yes       # \"true\"\n"
        self.assertIn(line, base)
        # (YAML spelling, the text it stands for)
        values = [("", ""), (r"\t \x01 \x7f \" \\", "\t \x01 \x7f \" \\"),
                  ("\u00e9\u4e2d\U0001f600" * 40,) * 2, ("a" * 255,) * 2, ("b" * 256,) * 2,
                  ("c" * 70000,) * 2]

        def canary(result):
            return [a["value"] for d in result["destinations"] for st in d["settings"]
                    for a in st.get("metadata", {}).get("annotations", []) if a["key"] == "canary"]

        with rebalance.Translator(mode=rebalance.Mode.COMPAT_ENVOY_GATEWAY) as t:
            for spelled, text in values:
                doc = base.replace(line, '    gateway.envoyproxy.io/canary: "%s"\n' % spelled)
                got, want = t.translate(doc), json.loads(t.render(doc, format=rebalance.Format.JSON))
                self.assertTrue(same_json(got, want))
                self.assertIn(text, canary(got))

    def test_refuses_classes(self):
        import collections
        import pickle
        for obj in (collections.OrderedDict(a=1), os.getcwd, pathlib.Path("/")):
            with self.assertRaises(pickle.UnpicklingError):
                rebalance._decode(pickle.dumps(obj, protocol=4))
        self.assertEqual(rebalance._decode(pickle.dumps({"a": [1, 2.5, None, True]}, protocol=4)),
                         {"a": [1, 2.5, None, True]})


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


BACKEND_DISABLED = ("apiVersion: gateway.envoyproxy.io/v1alpha1\nkind: EnvoyGateway\n"
                    "extensionApis: {enableBackend: false}\n")
BAD_CONFIG = ("apiVersion: gateway.envoyproxy.io/v1alpha1\nkind: EnvoyGateway\n"
              "extensionApis: {enableBackend: nope}\n")


class ConfigTest(unittest.TestCase):
    def test_config(self):
        # The Backend API disabled: the failover's fallback Backend is invalid.
        res = rebalance.translate(FAILOVER / "manifests.yaml", FAILOVER / "endpoints-ready.yaml",
                                  config=("eg.yaml", BACKEND_DISABLED))
        (d,) = res["destinations"]
        self.assertTrue(d["settings"][1]["invalid"])
        self.assertEqual(d["backendWeights"]["invalid"], 1)
        # The golden case, with the document as a path, bytes and an Input.
        case = GOLDEN / "custom-backends"
        want = (case / "rebalance-json.out").read_bytes()
        doc = case / "envoy-gateway.yaml"
        for config in (doc, doc.read_bytes(), doc.read_text(), rebalance.Input(doc.read_bytes(), "eg.yaml")):
            self.assertEqual(rebalance.render(case / "input.yaml", config=config), want)
        self.assertNotEqual(rebalance.render(case / "input.yaml"), want)
        # xds and explain read it too.
        with rebalance.Translator(config=BACKEND_DISABLED) as t:
            ex = t.explain(FAILOVER / "manifests.yaml", FAILOVER / "endpoints-ready.yaml")
            self.assertEqual(ex["rules"][0]["backendRefs"][1]["selected"]["state"], "invalid")
            self.assertEqual(len(t.xds(FAILOVER / "manifests.yaml")["rules"]), 1)

    def test_config_errors(self):
        with self.assertRaises(rebalance.RebalanceError) as cm:
            rebalance.Translator(config=("eg.yaml", BAD_CONFIG))
        e = cm.exception
        self.assertEqual(e.code, rebalance.ErrorCode.PARSE)
        (d,) = e.diagnostics
        self.assertEqual((d.file, d.line, d.column, d.path, d.message),
                         ("eg.yaml", 3, 32, "/extensionApis/enableBackend", "expected true or false, got a string"))
        self.assertEqual(str(e), "eg.yaml:3:32: /extensionApis/enableBackend: expected true or false, got a string")
        with self.assertRaises(rebalance.RebalanceError) as cm:
            rebalance.translate("", config=BAD_CONFIG)
        self.assertEqual(cm.exception.diagnostics[0].file, "<config>")
        with self.assertRaises(rebalance.RebalanceError) as cm:
            rebalance.Engine(config=GOLDEN / "error-config" / "envoy-gateway.yaml")
        d = cm.exception.diagnostics[0]
        self.assertEqual((d.line, d.column, d.path), (5, 5, "/extensionManager/backendResources/0"))
        with self.assertRaises(rebalance.RebalanceError) as cm:
            rebalance.Translator(config=pathlib.Path("does-not-exist.yaml"))
        self.assertEqual(cm.exception.code, rebalance.ErrorCode.IO)
        self.assertTrue(str(cm.exception).startswith("does-not-exist.yaml: "))
        with self.assertRaises(TypeError):
            rebalance.Translator(config=42)
        # A path is read again by every call.
        with tempfile.TemporaryDirectory() as tmp:
            path = pathlib.Path(tmp) / "eg.yaml"
            path.write_text(BACKEND_DISABLED)
            with rebalance.Translator(config=path) as t:
                path.write_text(BAD_CONFIG)
                with self.assertRaises(rebalance.RebalanceError) as cm:
                    t.translate(FAILOVER / "manifests.yaml")
                self.assertEqual(cm.exception.diagnostics[0].file, str(path))
                self.assertEqual(cm.exception.diagnostics[0].line, 3)


class PolicyOptionsTest(unittest.TestCase):
    def excluded(self, *extra, **options):
        res = rebalance.translate(FAILOVER / "manifests.yaml", FAILOVER / "endpoints-empty.yaml", *extra, **options)
        return len(res["destinations"][0].get("excluded", []))

    def test_rebalance_default(self):
        compat = rebalance.Mode.COMPAT_ENVOY_GATEWAY
        for options, want in (({}, 1), ({"rebalance_default": False}, 0),
                              ({"rebalance_default": rebalance.KnobDefault.OFF}, 0),
                              ({"rebalance_default": None}, 1), ({"mode": compat}, 0),
                              ({"mode": compat, "rebalance_default": True}, 1),
                              ({"mode": compat, "rebalance_default": rebalance.KnobDefault.ON,
                                "flags": rebalance.Flag.IGNORE_POLICY}, 1),
                              ({"preset": rebalance.Preset.ENVOY_GATEWAY, "rebalance_default": True}, 1)):
            self.assertEqual(self.excluded(**options), want, options)
        with self.assertRaises(ValueError):
            rebalance.Translator(rebalance_default=7)
        with self.assertRaises(ValueError):
            rebalance.Translator(flags=rebalance.Flag.HONOR_POLICY | rebalance.Flag.IGNORE_POLICY)

    def test_ignore_policy(self):
        policy = ("apiVersion: gateway.envoyproxy.io/v1alpha1\nkind: BackendTrafficPolicy\n"
                  "metadata: {namespace: default, name: off}\nspec:\n"
                  "  targetRefs: [{group: gateway.networking.k8s.io, kind: HTTPRoute, name: failover}]\n"
                  "  rebalanceOnNoEndpoints: false\n")
        self.assertEqual(self.excluded(("policy.yaml", policy)), 0)
        self.assertEqual(self.excluded(("policy.yaml", policy), flags=rebalance.Flag.IGNORE_POLICY), 1)


class XdsExplainTest(unittest.TestCase):
    def test_xds(self):
        x = rebalance.xds(FAILOVER / "manifests.yaml", FAILOVER / "endpoints-empty.yaml")
        (rule,) = x["rules"]
        self.assertEqual(rule["route"], {"cluster": rule["name"]})
        self.assertEqual(rule["clusters"][0]["loadAssignment"]["endpoints"][0]["priority"], 1)
        compat = rebalance.xds(FAILOVER / "manifests.yaml", FAILOVER / "endpoints-empty.yaml",
                               mode=rebalance.Mode.COMPAT_ENVOY_GATEWAY)
        self.assertIn("weightedClusters", compat["rules"][0]["route"])
        yaml = rebalance.render_xds(FAILOVER / "manifests.yaml", format=rebalance.Format.YAML)
        self.assertTrue(yaml.startswith(b"rules:\n"))
        with self.assertRaises(ValueError):
            rebalance.render_xds("", format=rebalance.Format.AUTO)
        with self.assertRaises(rebalance.RebalanceError) as cm:
            rebalance.xds(("bad.yaml", "kind: ["))
        self.assertEqual(cm.exception.diagnostics[0].file, "bad.yaml")

    def test_explain(self):
        inputs = (FAILOVER / "manifests.yaml", FAILOVER / "endpoints-ready.yaml")
        ex = rebalance.explain(*inputs)
        self.assertEqual((ex["mode"], ex["whatIf"]), ("rebalance", []))
        refs = ex["rules"][0]["backendRefs"]
        self.assertEqual(refs[0]["selected"], {"state": "serving", "share": 100})
        self.assertEqual(refs[1]["selected"]["state"], "standby")
        # The active Service scaled to zero.
        ex = rebalance.explain(*inputs, what_if=["default/active"])
        self.assertEqual(ex["whatIf"], [{"service": "default/active", "found": True, "endpointSlices": 1}])
        rule = ex["rules"][0]
        self.assertEqual(rule["backendRefs"][0]["selected"]["state"], "excluded")
        self.assertEqual(rule["upstream"]["shares"]["answered503"], 50)
        self.assertEqual(rule["selected"]["shares"]["served"], 100)
        self.assertEqual(rebalance.explain(*inputs, what_if="default/active"), ex)  # one target as a str
        # The CLI's bytes for the same run.
        cli = rebalance.render_explain(*inputs, what_if=["default/active"], format=rebalance.Format.YAML)
        self.assertTrue(cli.startswith(b"mode: rebalance\nwhatIf:\n"))
        # The CLI's form is the same target.
        self.assertEqual(rebalance.explain(*inputs, what_if=["default/active=0"]), ex)
        # Unknown Service (a typo would scale nothing) and malformed target:
        # ValueError naming it.
        for call in (rebalance.explain, rebalance.render_explain):
            with self.assertRaises(ValueError) as cm:
                call(*inputs, what_if=["default/active", "default/nope=0"])
            self.assertIn("no Service default/nope in the input", str(cm.exception))
        for bad in ("active", "/active", "default/", "a/b/c", "a/b\0c", "", "default/active=x",
                    "default/active=", "default=0/active"):
            with self.assertRaises(ValueError) as cm:
                rebalance.explain(*inputs, what_if=[bad])
            self.assertIn("what-if", str(cm.exception))
        with self.assertRaises(TypeError):
            rebalance.explain(*inputs, what_if=[42])
        compat = rebalance.explain(*inputs, what_if=["default/active"], preset=rebalance.Preset.ENVOY_GATEWAY)
        self.assertEqual(compat["mode"], "envoy-gateway")
        self.assertEqual(compat["rules"][0]["selected"]["shares"], compat["rules"][0]["upstream"]["shares"])
        t = rebalance.Translator()
        t.close()
        for call in (t.xds, t.explain):
            with self.assertRaises(ValueError):
                call(*inputs)


class EngineTest(unittest.TestCase):
    MANIFESTS = FAILOVER / "manifests.yaml"
    READY = FAILOVER / "endpoints-ready.yaml"
    EMPTY = FAILOVER / "endpoints-empty.yaml"

    def test_engine(self):
        for options in ({}, {"mode": rebalance.Mode.COMPAT_ENVOY_GATEWAY}):
            with rebalance.Engine(self.MANIFESTS, self.READY, **options) as engine:
                first = engine.translate()
                self.assertEqual(first, rebalance.translate(self.MANIFESTS, self.READY, **options))
                self.assertEqual(engine.stats(), rebalance.EngineStats(1, 1, 1, 1))
                # The active Service's EndpointSlice scaled to zero: it replaces the
                # slice of the same name, so the snapshot is manifests + empty endpoints.
                engine.apply(self.EMPTY.read_bytes())
                want = rebalance.render(self.MANIFESTS, self.EMPTY, **options)
                self.assertEqual(engine.render(), want)
                s = engine.stats()
                self.assertEqual((s.translations, s.full_translations, s.routes_translated), (2, 1, 1))
                self.assertEqual(engine.render(), want)  # nothing changed since
                self.assertEqual(engine.xds(), rebalance.xds(self.MANIFESTS, self.EMPTY, **options))
                self.assertEqual(engine.render_xds(format=rebalance.Format.YAML),
                                 rebalance.render_xds(self.MANIFESTS, self.EMPTY, format=rebalance.Format.YAML,
                                                      **options))
                # Back to ready (a path, a tuple), then the slice deleted.
                engine.apply(self.READY)
                engine.apply(("ready.yaml", self.READY.read_text()))
                self.assertEqual(engine.translate(), first)
                engine.delete("EndpointSlice", "default", "active-x7k2p")
                engine.delete("EndpointSlice", "default", "not-there")
                self.assertEqual(engine.render(format=rebalance.Format.YAML),
                                 rebalance.render(self.MANIFESTS, format=rebalance.Format.YAML, **options))

    def test_engine_changes(self):
        """An embedder's copy of the result, kept up to date from change sets
        only, equals the engine's result after each change."""
        def keyed(result):
            routes: Dict[Tuple[str, str, str], List[Any]] = {}
            for s in result["routeStatuses"]:
                routes.setdefault((s["kind"], s["namespace"], s["name"]), []).append(s)
            return {d["key"]: d for d in result["destinations"]}, routes

        with rebalance.Engine(self.MANIFESTS, self.READY) as engine:
            dests: Dict[str, Any] = {}
            routes: Dict[Tuple[str, str, str], Any] = {}

            def follow(delta):
                for d in delta.destinations:
                    self.assertIsInstance(d.change, rebalance.Change)
                    if d.change == rebalance.Change.REMOVED:
                        self.assertIsNone(d.destination)
                        del dests[d.key]
                        continue
                    self.assertEqual(d.key in dests, d.change == rebalance.Change.CHANGED)
                    self.assertNotEqual(dests.get(d.key), d.destination)
                    dests[d.key] = d.destination
                for r in delta.route_statuses:
                    ident = (r.kind, r.namespace, r.name)
                    if r.change == rebalance.Change.REMOVED:
                        del routes[ident]
                    else:
                        routes[ident] = r.statuses
                self.assertEqual((dests, routes), keyed(engine.translate()))

            first = engine.changes()
            self.assertTrue(first)
            self.assertTrue(all(d.change == rebalance.Change.ADDED for d in first.destinations))
            follow(first)
            self.assertFalse(engine.changes())  # nothing applied since
            engine.apply(self.EMPTY.read_bytes())  # the active Service scaled to zero
            delta = engine.changes()
            self.assertEqual([d.change for d in delta.destinations], [rebalance.Change.CHANGED])
            follow(delta)
            engine.apply(self.EMPTY.read_bytes())  # the same again: nothing changed
            self.assertFalse(engine.changes())
            engine.apply(self.READY)
            follow(engine.changes())
            for kind, ns, name in list(routes):
                engine.delete(kind, ns, name)
            delta = engine.changes()
            self.assertTrue(all(d.change == rebalance.Change.REMOVED for d in delta.destinations))
            follow(delta)
            self.assertEqual((dests, routes), ({}, {}))
        with self.assertRaises(ValueError):
            engine.changes()  # closed

    def test_engine_golden(self):
        # Every translate run: the engine's first result equals the CLI's.
        for run in golden_runs():
            if run["command"] != "translate" or run["out"] is None or run["format"] != "json":
                continue
            with self.subTest(run["name"]), rebalance.Engine(*run["inputs"], **run["opts"]) as engine:
                self.assertEqual(engine.render(), run["out"])

    def test_engine_errors(self):
        engine = rebalance.Engine(self.MANIFESTS, self.READY)
        before = engine.render()
        bad = "kind: Service\napiVersion: v1\nmetadata: {name: active, namespace: default}\nspec:\n  ports: {a: 1}\n"
        with self.assertRaises(rebalance.RebalanceError) as cm:
            engine.apply(bad, name="svc.yaml")
        (d,) = cm.exception.diagnostics
        self.assertEqual((d.file, d.line, d.path), ("svc.yaml", 5, "/spec/ports"))
        with self.assertRaises(rebalance.RebalanceError) as cm:
            engine.apply(bad)
        self.assertEqual(cm.exception.diagnostics[0].file, "<buffer>")
        self.assertEqual(engine.render(), before)  # nothing changed
        # A path is read as the library reads files: up to the input-bytes limit.
        small = rebalance.Engine(limits={rebalance.Limit.INPUT_BYTES: 1000})
        with self.assertRaises(rebalance.RebalanceError) as cm:
            small.apply(pathlib.Path("/dev/zero"))
        self.assertEqual(cm.exception.code, rebalance.ErrorCode.LIMIT)
        self.assertIn("larger than the limit of 1000 bytes", str(cm.exception))
        small.close()
        with self.assertRaises(ValueError):
            engine.delete("Frobnicator", "default", "x")
        with self.assertRaises(ValueError):
            engine.render(format=rebalance.Format.AUTO)
        with self.assertRaises(rebalance.RebalanceError) as cm:
            rebalance.Engine(("svc.yaml", bad), pathlib.Path("does-not-exist.yaml"))
        self.assertEqual(len(cm.exception.diagnostics), 2)
        with self.assertRaises(ValueError):
            rebalance.Engine(mode=7)
        self.assertIn("routes=1", repr(engine))
        engine.close()
        engine.close()
        self.assertTrue(engine.closed)
        self.assertIn("closed", repr(engine))
        for call in (engine.translate, engine.stats, lambda: engine.apply(b""),
                     lambda: engine.delete("Service", "default", "active")):
            with self.assertRaises(ValueError):
                call()
        rebalance.Engine(self.MANIFESTS)  # freed by its finalizer
        gc.collect()

    def test_engine_threads(self):
        # Threads sharing an engine are serialized by its lock: every result
        # is one of the two snapshots; close() waits for the call in flight.
        want = {rebalance.render(self.MANIFESTS, self.READY), rebalance.render(self.MANIFESTS, self.EMPTY)}
        ready, empty = self.READY.read_bytes(), self.EMPTY.read_bytes()
        errors = []
        engine = rebalance.Engine(self.MANIFESTS, self.READY)

        def work(k):
            try:
                for i in range(20):
                    engine.apply(empty if (k + i) % 2 else ready)
                    if engine.render() not in want:
                        errors.append("neither snapshot")
            except ValueError:
                pass  # closed meanwhile
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append(repr(e))
        for close in (False, True):
            threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
            for th in threads:
                th.start()
            if close:
                engine.close()
            for th in threads:
                th.join()
        self.assertEqual(errors, [])


class ThreadTest(unittest.TestCase):
    def test_threads(self):
        runs = [r for r in golden_runs()
                if r["out"] is not None and r["format"] == "json"
                and r["opts"] == {"mode": rebalance.Mode.REBALANCE, "flags": rebalance.Flag.NONE}]
        errors = []
        with rebalance.Translator() as t:
            def work(k):
                try:
                    for i in range(2 * len(runs)):
                        r = runs[(k * len(runs) // 8 + i) % len(runs)]
                        if render_run(t, r) != r["out"]:
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
        for name in ("rb_result_to_buffer", "rb_xds_to_buffer", "rb_explanation_to_buffer"):
            self.assertIs(getattr(_lib.lib, name).argtypes[2]._type_, _lib.c_void_p, name)



class PackagingTest(unittest.TestCase):
    """The binding as users get it: pip-installed, typed, loading the library by its SONAME."""

    HERE = pathlib.Path(__file__).resolve().parent.parent

    def run_python(self, code, env):
        return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                              text=True, cwd=tempfile.gettempdir())

    def test_loads_the_library_by_its_soname(self):
        """Without REBALANCE_LIBRARY the SONAME of the binding's ABI generation is
        loaded through the loader's search path (LD_LIBRARY_PATH here, ld.so.cache
        or an install prefix's lib directory after `cmake --install`)."""
        env = {k: v for k, v in os.environ.items() if k != "REBALANCE_LIBRARY"}
        env["LD_LIBRARY_PATH"] = os.path.dirname(os.environ["REBALANCE_LIBRARY"])
        env["PYTHONPATH"] = str(self.HERE)
        out = self.run_python("import rebalance._lib as l; print(l.path, l.SONAME)", env)
        self.assertEqual(out.returncode, 0, out.stderr)
        path, soname = out.stdout.split()
        self.assertEqual(soname, "librebalance.so.%d.%d" % rebalance.ABI)
        self.assertEqual(path, soname)

    def test_pip_installs_a_typed_package(self):
        import importlib.util
        if importlib.util.find_spec("pip") is None:
            self.skipTest("pip is not installed")
        with tempfile.TemporaryDirectory() as target:
            pip = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-build-isolation",
                                  "--no-index", "--disable-pip-version-check", "--target", target,
                                  str(self.HERE)], capture_output=True, text=True)
            self.assertEqual(pip.returncode, 0, pip.stderr)
            self.assertTrue((pathlib.Path(target) / "rebalance" / "py.typed").exists())
            env = dict(os.environ, PYTHONPATH=target)
            out = self.run_python(
                "import typing, rebalance\n"
                "print(rebalance.__file__)\n"
                "print(sorted(typing.get_type_hints(rebalance.Translator.explain)))\n"
                "print(typing.get_type_hints(rebalance.translate)['return'])\n", env)
            self.assertEqual(out.returncode, 0, out.stderr)
            lines = out.stdout.splitlines()
            self.assertTrue(lines[0].startswith(target), lines[0])
            self.assertEqual(lines[1], "['inputs', 'return', 'what_if']")
            self.assertEqual(lines[2], "typing.Dict[str, typing.Any]")


if __name__ == "__main__":
    unittest.main()


class FieldTest(unittest.TestCase):
    """Which Gateways are ours, kubectl's namespaces, warnings."""

    ROUTE = b"""apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: eg}
spec:
  gatewayClassName: eg
  listeners: [{name: http, protocol: HTTP, port: 80}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web}
spec:
  parentRefs: [{name: eg}]
  rules:
  - backendRefs: [{name: web, port: 80, wieght: 3}]
"""

    def test_classes_namespace_warnings(self):
        with rebalance.Translator() as t:
            self.assertEqual(t.translate(("web.yaml", self.ROUTE))["destinations"], [])
            text = "\n".join(str(w) for w in t.warnings(("web.yaml", self.ROUTE)))
            self.assertIn('unknown field "wieght" in a backendRef (did you mean "weight"?)', text)
            self.assertIn('the Gateways use class "eg"', text)
            self.assertIn("web.yaml:14:49: /spec/rules/0/backendRefs/0/wieght: ", text)
        with rebalance.Translator(gateway_classes=["eg"], namespace="shop",
                                  flags=rebalance.Flag.ASSUME_SECRETS) as t:
            dests = t.translate(self.ROUTE)["destinations"]
            self.assertEqual([d["route"]["namespace"] for d in dests], ["shop"])
        cls = b"""apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: eg}
spec: {controllerName: example.com/mine}
"""
        with rebalance.Translator(controller_name="example.com/mine") as t:
            self.assertEqual(len(t.translate(self.ROUTE, cls)["destinations"]), 1)
        with rebalance.Engine(self.ROUTE, gateway_classes=["eg"], namespace="shop") as e:
            self.assertEqual(e.translate()["destinations"][0]["route"]["namespace"], "shop")
