#!/usr/bin/env python3
"""Hostile inputs through the CLI, with the default limits.

Every input must end either in exit status 2 with nothing on stdout and
`FILE:LINE:COL: ...` on stderr (JSON included: a location, and a path where
there is a node), or in a translation (exit 0, output on stdout); within
5 seconds and 512 MB (address space limit and peak RSS), whatever the bytes.
An output past the output budget (`--limit output-bytes`) ends in exit 2 with
nothing on stdout and the CLI's message naming that limit (expect
'output-limit'). Some cases run another command or raise a limit (a 5th
element: the arguments instead of `translate`).

Costs that must stay linear are also checked as ratios: a hostile input
against a plain one of the same size, both timed (RATIOS below); a ratio
above its bound fails.

The inputs are generated here (some are large: 100k-deep nesting, 1 MB of
random bytes, 1M nodes); small ones with an exact message worth pinning are
golden cases under tests/golden/error-*.

Usage: hostile.py CLI [--sanitizer] [-k SUBSTRING] [-v]
  --sanitizer  an ASan/UBSan build: no address-space limit (ASan reserves
               terabytes of it), no RSS check, and 10x the time (a -O0 ASan build reads 1M nodes in 10-20 s).
Prints one line per failure and a closing "N passed, N failed" line.
"""
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time

TIME_LIMIT = 5.0
MEM_LIMIT = 512 * 1024 * 1024
WARNING = re.compile(r"^[^:\n]+(:\d+:\d+)?: warning: ")
LOC = re.compile(r"^(?P<file>[^\n:]+):(?P<line>[0-9]+):(?P<col>[0-9]+): \S")

# ---- a valid input touching every kind, the base of the wrong-type cases ----

BASE = {
    "gatewayClass": {
        "apiVersion": "gateway.networking.k8s.io/v1", "kind": "GatewayClass",
        "metadata": {"name": "envoy-gateway-class"},
        "spec": {"controllerName": "gateway.envoyproxy.io/gatewayclass-controller"},
    },
    "gateways": [{
        "apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway",
        "metadata": {"namespace": "infra", "name": "eg"},
        "spec": {
            "gatewayClassName": "envoy-gateway-class",
            "listeners": [
                {"name": "http", "protocol": "HTTP", "port": 80, "hostname": "*.example.com",
                 "allowedRoutes": {"namespaces": {"from": "All"}}},
                {"name": "tcp", "protocol": "TCP", "port": 9000,
                 "allowedRoutes": {"namespaces": {"from": "All"}}},
            ],
        },
    }],
    "httpRoutes": [{
        "apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
        "metadata": {"namespace": "shop", "name": "checkout"},
        "spec": {
            "parentRefs": [{"namespace": "infra", "name": "eg", "sectionName": "http"}],
            "hostnames": ["www.example.com"],
            "rules": [{
                "matches": [{"path": {"type": "PathPrefix", "value": "/"}}],
                "backendRefs": [
                    {"name": "payments", "namespace": "billing", "port": 8080, "weight": 3},
                    {"name": "canary", "port": 8080, "weight": 1},
                    {"group": "gateway.envoyproxy.io", "kind": "Backend", "name": "passive",
                     "weight": 1},
                ],
            }],
        },
    }],
    "grpcRoutes": [{
        "apiVersion": "gateway.networking.k8s.io/v1", "kind": "GRPCRoute",
        "metadata": {"namespace": "shop", "name": "rpc"},
        "spec": {
            "parentRefs": [{"namespace": "infra", "name": "eg"}],
            "rules": [{"backendRefs": [{"name": "canary", "port": 8080}]}],
        },
    }],
    "tcpRoutes": [{
        "apiVersion": "gateway.networking.k8s.io/v1alpha2", "kind": "TCPRoute",
        "metadata": {"namespace": "shop", "name": "raw"},
        "spec": {
            "parentRefs": [{"namespace": "infra", "name": "eg", "sectionName": "tcp"}],
            "rules": [{"backendRefs": [{"name": "canary", "port": 8080}]}],
        },
    }],
    "services": [
        {"apiVersion": "v1", "kind": "Service",
         "metadata": {"namespace": "billing", "name": "payments"},
         "spec": {"clusterIP": "10.96.0.16",
                  "ports": [{"name": "http", "port": 8080, "protocol": "TCP",
                             "targetPort": 3000}]}},
        {"apiVersion": "v1", "kind": "Service",
         "metadata": {"namespace": "shop", "name": "canary"},
         "spec": {"clusterIP": "10.96.0.17",
                  "ports": [{"name": "http", "port": 8080, "protocol": "TCP",
                             "appProtocol": "kubernetes.io/h2c"}]}},
    ],
    "endpointSlices": [{
        "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
        "metadata": {"namespace": "billing", "name": "payments-abcde",
                     "labels": {"kubernetes.io/service-name": "payments"}},
        "addressType": "IPv4",
        "ports": [{"name": "http", "port": 3000, "protocol": "TCP"}],
        "endpoints": [{"addresses": ["10.244.2.1"], "zone": "a",
                       "conditions": {"ready": True, "serving": True, "terminating": False}}],
    }],
    "backends": [{
        "apiVersion": "gateway.envoyproxy.io/v1alpha1", "kind": "Backend",
        "metadata": {"namespace": "shop", "name": "passive"},
        "spec": {"fallback": True,
                 "endpoints": [{"ip": {"address": "10.244.1.20", "port": 8080}},
                               {"fqdn": {"hostname": "backup.example.com", "port": 443}}]},
    }],
    "referenceGrants": [{
        "apiVersion": "gateway.networking.k8s.io/v1beta1", "kind": "ReferenceGrant",
        "metadata": {"namespace": "billing", "name": "allow-shop"},
        "spec": {"from": [{"group": "gateway.networking.k8s.io", "kind": "HTTPRoute",
                           "namespace": "shop"}],
                 "to": [{"group": "", "kind": "Service"}]},
    }],
    "backendTrafficPolicies": [{
        "apiVersion": "gateway.envoyproxy.io/v1alpha1", "kind": "BackendTrafficPolicy",
        "metadata": {"namespace": "shop", "name": "policy"},
        "spec": {"targetRefs": [{"group": "gateway.networking.k8s.io", "kind": "HTTPRoute",
                                 "name": "checkout"}]},
    }],
}


# An EnvoyGateway configuration document (`--config`) using every field read.
CONFIG = {
    "apiVersion": "gateway.envoyproxy.io/v1alpha1", "kind": "EnvoyGateway",
    "extensionApis": {"enableBackend": True},
    "extensionManager": {
        "resources": [{"group": "example.io", "version": "v1", "kind": "Filter"}],
        "backendResources": [{"group": "storage.example.io", "version": "v1",
                              "kind": "Bucket"}],
    },
}
CONFIG_SUFFIX = ".config.yaml"  # read with --config (always YAML; JSON is YAML)


def scalar(v):
    return json.dumps(v)  # JSON scalars, {} and [] read back the same in YAML


def to_yaml(v, indent=0):
    """Block YAML; strings double-quoted (JSON escapes are YAML escapes)."""
    pad = "  " * indent
    lines = []
    if isinstance(v, dict) and v:
        for k, x in v.items():
            if isinstance(x, (dict, list)) and x:
                lines.append("%s%s:" % (pad, json.dumps(k)))
                lines.append(to_yaml(x, indent + 1).rstrip("\n"))
            else:
                lines.append("%s%s: %s" % (pad, json.dumps(k), scalar(x)))
    elif isinstance(v, list) and v:
        for x in v:
            if isinstance(x, (dict, list)) and x:
                lines.append("%s-" % pad)
                lines.append(to_yaml(x, indent + 1).rstrip("\n"))
            else:
                lines.append("%s- %s" % (pad, scalar(x)))
    else:
        lines.append(pad + scalar(v))
    return "\n".join(lines) + "\n"


def paths(v, path=()):
    """Every node path of a JSON-like value, parents first."""
    yield path
    if isinstance(v, dict):
        for k, x in v.items():
            yield from paths(x, path + (k,))
    elif isinstance(v, list):
        for i, x in enumerate(v):
            yield from paths(x, path + (i,))


def replaced(v, path, new):
    if not path:
        return new
    v = json.loads(json.dumps(v))
    cur = v
    for p in path[:-1]:
        cur = cur[p]
    cur[path[-1]] = new
    return v


WRONG = [("string", "x"), ("int", 7), ("negative", -1), ("float", 1.5), ("bool", True),
         ("null", None), ("map", {"a": 1}), ("seq", [1]), ("empty-seq", [])]


# ---- hash flooding: keys that collide under the unseeded hash of earlier releases ----

M64 = (1 << 64) - 1
H0, M, A, B = 0x9e3779b97f4a7c15, 0x9fb21c651e98df25, 0xff51afd7ed558ccd, 0xc4ceb9fe1a85ec53

def unseeded_hash(b):
    """The table hash of releases before the keyed one (lib/core/hash.c): public, so
    collisions could be computed offline."""
    h = H0
    n = len(b); i = 0
    while n - i >= 8:
        w = int.from_bytes(b[i:i + 8], "little")
        h = ((h ^ w) * M) & M64; h ^= h >> 28; i += 8
    w = int.from_bytes(b[i:] + bytes(8 - (n - i)), "little") if n - i else 0
    h = ((h ^ w ^ (n << 56)) * M) & M64; h ^= h >> 33
    h = (h * A) & M64; h ^= h >> 33
    h = (h * B) & M64; h ^= h >> 33
    return h

def flood_keys(count, seed=1):
    """16-byte keys whose unseeded hashes all end in 20 zero bits: the first 8 bytes
    are free, the last 8 cancel the state they leave (bytes below 0x80)."""
    mi, ai, bi = pow(M, -1, 1 << 64), pow(A, -1, 1 << 64), pow(B, -1, 1 << 64)
    def step(x):
        x = (x * M) & M64
        return x ^ (x >> 28)
    def unstep(y):
        y ^= (y >> 28) ^ (y >> 56)
        return (y * mi) & M64
    rnd = random.Random(seed)
    by_pattern = {}
    while len(by_pattern) < 256:
        h = rnd.getrandbits(44) << 20
        h ^= h >> 33; h = (h * bi) & M64
        h ^= h >> 33; h = (h * ai) & M64
        h ^= h >> 33; h = (h * mi) & M64
        z = unstep(h ^ (16 << 56))  # the state before the last word's step, xor the word
        pat = z & 0x8080808080808080
        pat = sum(((pat >> (8 * i + 7)) & 1) << i for i in range(8))
        by_pattern.setdefault(pat, z)
    keys = []
    i = 0
    while len(keys) < count:
        first = b"k%07x" % i
        i += 1
        s1 = step(H0 ^ int.from_bytes(first, "little"))
        hb = s1 & 0x8080808080808080
        pat = sum(((hb >> (8 * j + 7)) & 1) << j for j in range(8))
        last = (s1 ^ by_pattern[pat]).to_bytes(8, "little")
        if 0 not in last:  # NUL is refused in strings
            keys.append(first + last)
    return keys


def amplified(routes, slices):
    """Routes that all reach one Service of many one-endpoint EndpointSlices."""
    doc = {k: BASE[k] for k in ("gatewayClass", "gateways")}
    doc["services"] = [{"apiVersion": "v1", "kind": "Service",
                        "metadata": {"namespace": "shop", "name": "wide"},
                        "spec": {"ports": [{"port": 80}]}}]
    doc["httpRoutes"] = [{
        "apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
        "metadata": {"namespace": "shop", "name": "r%d" % i},
        "spec": {"parentRefs": [{"namespace": "infra", "name": "eg"}],
                 "rules": [{"backendRefs": [{"name": "wide", "port": 80}]}]}}
        for i in range(routes)]
    doc["endpointSlices"] = [{
        "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
        "metadata": {"namespace": "shop", "name": "e%d" % k,
                     "labels": {"kubernetes.io/service-name": "wide"}},
        "addressType": "IPv4", "ports": [{"port": 80}],
        "endpoints": [{"addresses": ["10.%d.%d.%d" % (k >> 16, (k >> 8) & 255, k & 255)]}]}
        for k in range(slices)]
    return json.dumps(doc).encode()


# Timed pairs: (name, hostile bytes, plain bytes of about the same size, suffix,
# arguments, bound on the hostile/plain time ratio). Both inputs may fail
# (the hostile one is refused); what is bounded is the cost.
def ratio_pairs():
    deep = 200000
    flow = ("x: " + "[" * deep + "]" * deep + "\n").encode()
    flat = ("x: [" + "0," * (deep - 2) + "0]\n").encode()
    # 493 s before the flow cap (libyaml's scanner: tokens x flow depth); now refused at
    # the 65th level.
    yield "deep-flow-200k-vs-flat", flow, flat, ".yaml", \
        ["translate", "--limit", "depth=10000000"], 5.0
    wide = ("x: " + "[" * 64 + "0," * 300000 + "0" + "]" * 64 + "\n").encode()
    flat = ("x: [" + "0," * 300000 + "0" + "]\n").encode()
    # At the cap libyaml still walks 64 flow levels per token: about 3.4x a flat
    # sequence (1000 levels, before the cap, cost 10x more than 64).
    yield "flow-64-levels-wide-vs-flat", wide, flat, ".yaml", \
        ["translate", "--limit", "depth=10000000", "--limit", "nodes=2000000"], 8.0


def cases():
    """(name, bytes, suffix, expect) with expect in ('error', 'ok', 'any')."""
    rnd = random.Random(20240521)
    base_json = json.dumps(BASE).encode()
    yield "base-yaml", to_yaml(BASE).encode(), ".yaml", "ok"
    yield "base-json", base_json, ".json", "ok"

    # Alias bombs (aliases are rejected by default, bombs or not).
    lol = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for i in range(1, 10):
        lol += "%s: &%s [%s]\n" % (chr(97 + i), chr(97 + i), ", ".join(["*" + chr(96 + i)] * 10))
    yield "alias-bomb", lol.encode(), ".yaml", "error"
    yield "alias-bomb-keys", ("a: &a {x: 1}\nb: {<<: *a}\n" * 1).encode(), ".yaml", "error"
    yield "alias-unknown", b"kind: Service\nx: *nope\n", ".yaml", "error"
    # Merge keys: wide inline merges (no copies, hashed), and merge values of the wrong type.
    wide = "{" + ", ".join("k%d: %d" % (i, i) for i in range(50000)) + "}"
    yield "merge-wide", ("kind: Service\nmetadata: {name: s}\nx:\n  <<: [%s, %s]\n%s" % (
        wide, wide, "".join("  k%d: x\n" % i for i in range(0, 50000, 3)))).encode(), ".yaml", \
        "any"
    yield "merge-scalar", b"kind: Service\nmetadata: {name: s}\nx: {<<: 1}\n", ".yaml", "error"
    yield "merge-nested-seq", b"kind: Service\nmetadata: {name: s}\nx: {<<: [[{a: 1}]]}\n", \
        ".yaml", "error"
    # A stream of many JSON values, and one broken far into the stream.
    one = json.dumps({"apiVersion": "v1", "kind": "List", "items": []})
    yield "json-stream-many", (one * 20000).encode(), ".json", "ok"
    yield "json-stream-broken", (one * 2000 + "{" + one).encode(), ".json", "error"

    # 100k-deep nesting.
    n = 100000
    yield "deep-yaml-flow-seq", ("x: " + "[" * n + "]" * n + "\n").encode(), ".yaml", "error"
    yield "deep-yaml-flow-map", ("x: " + "{a: " * n + "1" + "}" * n + "\n").encode(), ".yaml", \
        "error"
    yield "deep-yaml-block-seq", ("x:\n" + "- " * n + "1\n").encode(), ".yaml", "error"
    yield "deep-yaml-unclosed", ("x: " + "[" * n).encode(), ".yaml", "error"
    yield "deep-yaml-block-map", "".join("  " * i + "k%d:\n" % i for i in range(2000)).encode(), \
        ".yaml", "error"
    yield "deep-json-array", ("[" * n + "]" * n).encode(), ".json", "error"
    yield "deep-json-object", ('{"a":' * n + "1" + "}" * n).encode(), ".json", "error"
    yield "deep-json-unclosed", ("[" * n).encode(), ".json", "error"
    yield "deep-json-in-string", ('{"kind": "' + "[" * n + '"}').encode(), ".json", "ok"

    # EnvoyExtensionPolicy Lua scripts run in the validator's sandbox: many distinct
    # endless or allocation-heavy scripts share one budget per translation.
    def lua_policy(bodies):
        # One route and one policy per script: a policy stops at its first failing script.
        route = BASE["httpRoutes"][0]
        routes = [dict(route, metadata={"namespace": "shop", "name": "r%d" % i})
                  for i in range(len(bodies))]
        return json.dumps(dict(BASE, httpRoutes=routes, envoyExtensionPolicies=[{
            "apiVersion": "gateway.envoyproxy.io/v1alpha1", "kind": "EnvoyExtensionPolicy",
            "metadata": {"namespace": "shop", "name": "p%d" % i},
            "spec": {"targetRefs": [{"group": "gateway.networking.k8s.io",
                                     "kind": "HTTPRoute", "name": "r%d" % i}],
                     "lua": [{"type": "Inline", "inline":
                              "function envoy_on_request(h) local n = %d %s end" % (i, body)}]}}
            for i, body in enumerate(bodies)]))
    yield "lua-endless-scripts", lua_policy(["while true do end"] * 200).encode(), ".json", "ok"
    yield "lua-string-churn", lua_policy(
        ["local s = string.rep('x', 1e6) while true do s = s:upper():lower() end"] * 200
    ).encode(), ".json", "ok"
    yield "lua-pattern-bombs", lua_policy(
        ["local s = string.rep('a', 3000) while true do s:find('a-a-b') end"] * 200
    ).encode(), ".json", "ok"

    # Numbers beyond 64 bits, weights beyond uint32, negative and zero ports.
    def route_with(ref):
        doc = replaced(BASE, ("httpRoutes", 0, "spec", "rules", 0, "backendRefs", 0), ref)
        return doc

    ref = BASE["httpRoutes"][0]["spec"]["rules"][0]["backendRefs"][0]
    for label, field, val in [
            ("port-2^64", "port", "18446744073709551616"), ("port-2^64-1", "port",
                                                            "18446744073709551615"),
            ("port-huge", "port", "9" * 400), ("port-negative", "port", "-1"),
            ("port-negative-huge", "port", "-" + "9" * 30), ("port-zero", "port", "0"),
            ("port-65536", "port", "65536"), ("port-float", "port", "80.5"),
            ("port-exp", "port", "1e3"), ("port-inf", "port", "1e400"),
            ("weight-2^32", "weight", "4294967296"), ("weight-2^32-1", "weight", "4294967295"),
            ("weight-2^64", "weight", "18446744073709551616"), ("weight-negative", "weight",
                                                                "-1"),
            ("weight-1000001", "weight", "1000001")]:
        marker = "@@NUM@@"
        doc = route_with(dict(ref, **{field: marker}))
        js = json.dumps(doc).replace('"%s"' % marker, val)
        yield "number-%s-json" % label, js.encode(), ".json", "error"
        ym = to_yaml(doc).replace('"%s"' % marker, val)
        # YAML reads numbers as Kubernetes clients do: 1e3 is the integer 1000 there.
        yield "number-%s-yaml" % label, ym.encode(), ".yaml", "ok" if val == "1e3" else "error"
    for val in ["0x10000", "0o200000", "+80", "080", ".inf", "-.inf", ".nan"]:
        ym = to_yaml(route_with(dict(ref, port="@@N@@"))).replace('"@@N@@"', val)
        yield "number-yaml-%s" % val, ym.encode(), ".yaml", "any"

    # Invalid UTF-8, in YAML and JSON, in keys, values and comments.
    bad = [b"\xff", b"\xc3", b"\xc3\x28", b"\xe2\x82", b"\xed\xa0\x80", b"\xf4\x90\x80\x80",
           b"\xc0\xaf", b"\xf8\x88\x80\x80\x80", b"\x80"]
    for i, b in enumerate(bad):
        yield "utf8-yaml-value-%d" % i, b"kind: Service\nmetadata: {name: a" + b + b"}\n", \
            ".yaml", "error"
        yield "utf8-yaml-key-%d" % i, b"kind: Service\nk" + b + b": 1\n", ".yaml", "error"
        yield "utf8-yaml-comment-%d" % i, b"kind: Service # " + b + b"\n", ".yaml", "error"
        yield "utf8-yaml-end-%d" % i, b"kind: Service\nx: y" + b, ".yaml", "error"
        yield "utf8-json-value-%d" % i, b'{"kind": "Service", "x": "a' + b + b'"}', ".json", \
            "error"
        yield "utf8-json-key-%d" % i, b'{"kind": "Service", "k' + b + b'": 1}', ".json", "error"
    yield "utf16-le", "kind: Service\n".encode("utf-16-le"), ".yaml", "error"
    yield "utf16-bom", "kind: Service\n".encode("utf-16"), ".yaml", "error"
    yield "nul-yaml", b"kind: Service\nx: \"a\\0b\"\n", ".yaml", "error"
    yield "nul-raw-yaml", b"kind: Service\nx: a\x00b\n", ".yaml", "error"
    yield "nul-json", b'{"kind": "Service", "x": "a\\u0000b"}', ".json", "error"

    # Duplicate keys: root, nested, after many keys (hashed), in YAML and JSON.
    yield "dup-yaml-root", b"kind: Service\nkind: Service\n", ".yaml", "error"
    yield "dup-yaml-nested", b"kind: Service\nmetadata: {name: a, name: b}\n", ".yaml", "error"
    many = "".join("k%d: 1\n" % i for i in range(100))
    yield "dup-yaml-hashed", ("kind: Service\n" + many + "k57: 2\n").encode(), ".yaml", "error"
    yield "dup-json-root", b'{"kind": "Service", "kind": "Service"}', ".json", "error"
    yield "dup-json-nested", b'{"kind": "Service", "metadata": {"name": "a", "name": "b"}}', \
        ".json", "error"
    yield "dup-json-escaped", b'{"kind": "Service", "a": 1, "\\u0061": 2}', ".json", "error"

    # Random bytes: 1 MB, several flavours.
    for seed in range(3):
        r = random.Random(seed)
        yield "random-bytes-%d" % seed, bytes(r.getrandbits(8) for _ in range(1 << 20)), \
            ".yaml", "error"
    r = random.Random(7)
    yield "random-bytes-json", b"{" + bytes(r.getrandbits(8) for _ in range(1 << 20)), ".json", \
        "error"
    alphabet = b"abc:-[]{},'\"&*!|># \n\n  01."
    yield "random-yamlish", bytes(alphabet[rnd.randrange(len(alphabet))]
                                  for _ in range(1 << 20)), ".yaml", "any"
    alphabet = b'{}[],:"0123 \n'
    yield "random-jsonish", b"[" + bytes(alphabet[rnd.randrange(len(alphabet))]
                                         for _ in range(1 << 20)), ".json", "any"

    # Empty and trivial inputs.
    yield "empty-yaml", b"", ".yaml", "ok"
    yield "empty-json", b"", ".json", "error"
    yield "blank-yaml", b"  \n\n", ".yaml", "ok"
    yield "only-separators", b"---\n---\n...\n", ".yaml", "ok"
    yield "null-document", b"null\n", ".yaml", "ok"
    yield "bom-only", b"\xef\xbb\xbf", ".yaml", "ok"
    yield "empty-object-json", b"{}", ".json", "error"
    yield "empty-array-json", b"[]", ".json", "ok"
    yield "scalar-root", b"42\n", ".yaml", "error"
    yield "json-trailing", b'{"kind": "Service"} x', ".json", "error"

    # The input size limit (64 MiB), from a file: reported at its byte.
    yield "input-bytes-yaml", b"kind: Service\n#" + b"x" * (64 << 20) + b"\n", ".yaml", "error"
    yield "input-bytes-json", b"[" + b" " * (64 << 20) + b"]", ".json", "error"

    # Big but well-formed: the node limit, the scalar limit, many objects.
    yield "nodes-yaml-flow", ("x: [" + "0," * 1100000 + "0]\n").encode(), ".yaml", "error"
    yield "nodes-yaml-block", ("x:\n" + "- 0\n" * 1100000).encode(), ".yaml", "error"
    yield "nodes-json", ('{"x": [' + "0," * 1100000 + "0]}").encode(), ".json", "error"
    yield "nodes-json-objects", ("[" + "{}," * 1100000 + "{}]").encode(), ".json", "error"
    yield "scalar-2MB-yaml", b"kind: Service\nx: " + b"a" * (2 << 20) + b"\n", ".yaml", "error"
    yield "scalar-2MB-json", b'{"kind": "Service", "x": "' + b"a" * (2 << 20) + b'"}', \
        ".json", "error"
    yield "key-2MB-yaml", b"kind: Service\n" + b"a" * (2 << 20) + b": 1\n", ".yaml", "error"
    yield "documents-100001", b"---\n" * 100001, ".yaml", "error"
    docs = "".join("---\nkind: Service\napiVersion: v1\nmetadata: {name: s%d, namespace: n}\n"
                   % i for i in range(10000))
    yield "documents-10000", docs.encode(), ".yaml", "ok"
    svc = [{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s%d" % i,
                                                                "namespace": "n"},
            "spec": {"ports": [{"port": 80}]}} for i in range(20000)]
    yield "many-services-json", json.dumps({"kind": "List", "items": svc}).encode(), ".json", \
        "ok"
    routes = [{"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
               "metadata": {"namespace": "shop", "name": "r%d" % i},
               "spec": {"parentRefs": [{"namespace": "infra", "name": "eg"}],
                        "rules": [{"backendRefs": [{"name": "canary", "port": 8080}]}]}}
              for i in range(5000)]
    yield "many-routes", json.dumps(dict(BASE, httpRoutes=routes)).encode(), ".json", "ok"
    # The Gateway API's CRD bounds (docs/limits.md): past them the object is
    # refused, as the API server refuses it; at them, weights sum far below 2^32.
    def wide(refs):
        return json.dumps(route_with(refs[0]) | {"httpRoutes": [{
            "apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
            "metadata": {"namespace": "shop", "name": "wide"},
            "spec": {"parentRefs": [{"namespace": "infra", "name": "eg"}],
                     "rules": [{"backendRefs": refs}]}}]}).encode()
    refs = [{"name": "s%d" % i, "port": 80, "weight": 1} for i in range(20000)]
    yield "many-backendrefs", wide(refs), ".json", "error"
    heavy = [{"name": "s%d" % i, "port": 80, "weight": 1000000} for i in range(16)]
    yield "backendrefs-at-bounds", wide(heavy), ".json", "ok"
    yield "backendrefs-17", wide(heavy + heavy[:1]), ".json", "error"
    yield "weight-past-bound", wide([dict(heavy[0], weight=1000001)]), ".json", "error"
    many_rules = [{"backendRefs": [{"name": "canary", "port": 8080}]}] * 17
    yield "rules-17", json.dumps(dict(BASE, httpRoutes=[{
        "apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
        "metadata": {"namespace": "shop", "name": "long"},
        "spec": {"rules": many_rules}}])).encode(), ".json", "error"
    wide_slice = [{"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
                   "metadata": {"namespace": "billing", "name": "wide",
                                "labels": {"kubernetes.io/service-name": "payments"}},
                   "addressType": "IPv4",
                   "endpoints": [{"addresses": ["10.0.%d.%d" % (i >> 8, i & 255)]}
                                 for i in range(1001)]}]
    yield "slice-1001-endpoints", json.dumps(dict(BASE, endpointSlices=wide_slice)).encode(), \
        ".json", "error"
    eps = [{"addresses": ["10.%d.%d.%d" % (i >> 16, (i >> 8) & 255, i & 255)],
            "conditions": {"ready": i % 3 != 0}} for i in range(50000)]
    slices = [{"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
               "metadata": {"namespace": "billing", "name": "p%d" % k,
                            "labels": {"kubernetes.io/service-name": "payments"}},
               "addressType": "IPv4", "ports": [{"name": "http", "port": 3000}],
               "endpoints": eps[k * 1000:(k + 1) * 1000]} for k in range(50)]
    yield "many-endpoints", json.dumps(dict(BASE, endpointSlices=slices)).encode(), ".json", \
        "ok"

    # Deep flow nesting with the depth limit raised: libyaml's scanner costs
    # tokens x flow depth, so flow collections stop at 64 levels whatever the
    # limit (200k levels took minutes in libyaml before; see RATIOS too).
    deep = 200000
    raised = ["translate", "--limit", "depth=10000000"]
    yield "deep-flow-seq-raised-depth", ("x: " + "[" * deep + "]" * deep + "\n").encode(), \
        ".yaml", "error", raised
    yield "deep-flow-map-raised-depth", ("x: " + "{a: " * deep + "1" + "}" * deep + "\n").encode(), \
        ".yaml", "error", raised
    yield "deep-flow-unclosed-raised-depth", ("x: " + "[" * deep).encode(), ".yaml", "error", raised
    yield "deep-flow-two-lines-raised-depth", ("x: " + "[" * 40 + "\n  " + "[" * 40 + "]" * 80 +
                                               "\n").encode(), ".yaml", "error", raised
    yield "deep-block-raised-depth", ("apiVersion: example.com/v1\nkind: Thing\n"
                                      "metadata: {name: a}\nspec:\n" + "- " * 20000 +
                                      "1\n").encode(), ".yaml", "ok", raised

    # Output amplification: routes x endpoints. 40 routes to one Service of
    # 12,000 one-endpoint slices (3 MB of JSON) ask for about 20 MB of IR and
    # more xDS; past the output budget, nothing is printed (exit 2), and
    # nothing holds the whole output.
    yield "output-amplified", amplified(20, 8000), ".json", "ok"
    for cmd, budget in (("translate", "4Mi"), ("xds", "4Mi"), ("explain", "2Ki")):
        # explain shows counts, not endpoints: its output grows with the routes only,
        # and by default only the summary is printed when no rule answers 5xx (--all:
        # every rule's detail).
        args = [cmd, "--all"] if cmd == "explain" else [cmd]
        yield "output-amplified-budget-%s" % cmd, amplified(40, 12000), ".json", \
            "output-limit", args + ["--limit", "output-bytes=" + budget]
    yield "output-amplified-budget-xds-yaml", amplified(40, 12000), ".json", "output-limit", \
        ["xds", "-o", "yaml", "--limit", "output-bytes=4Mi"]

    # Hash flooding: 100k label keys whose unseeded hashes share their low 20 bits
    # (one home slot in the duplicate-key table; 43-66 s before keyed hashing).
    flood = {k.decode("ascii"): "v" for k in flood_keys(100000)}
    svc = {"apiVersion": "v1", "kind": "Service",
           "metadata": {"namespace": "n", "name": "s", "labels": flood},
           "spec": {"ports": [{"port": 80}]}}
    yield "hash-flood-label-keys", json.dumps(svc).encode(), ".json", "ok"

    # Terminal and diagnostic injection: names, keys and values holding
    # controls (an OSC title, a screen clear, CR/LF, BEL, DEL, a C1 CSI) are
    # printed escaped in errors and warnings (checked in run_case), exact in
    # the output.
    for label, ctl in (("esc-osc", "\x1b]0;pwned\x07"), ("esc-clear", "\x1b[2J"),
                       ("crlf", "\r\nother.yaml:1:1: forged diagnostic: x"),
                       ("bel-del", "\x07\x7f"), ("c1-csi", "\u009b31m")):
        named = json.loads(json.dumps(BASE))
        named["httpRoutes"] = [{
            "apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
            "metadata": {"namespace": "shop", "name": "r" + ctl},
            "spec": {"parentRefs": [{"namespace": "infra", "name": "eg"}],
                     "rules": [{"backendRefs": [{"name": "canary" + ctl, "port": 8080}],
                                "k" + ctl: 1}]}}]
        yield "inject-%s-names-json" % label, json.dumps(named).encode(), ".json", "ok"
        yield "inject-%s-names-yaml" % label, to_yaml(named).encode(), ".yaml", "ok"
        bad = {"apiVersion": "v1", "kind": "Service",
               "metadata": {"namespace": "n", "name": "s", "labels": {"k" + ctl: 7}}}
        yield "inject-%s-key-error-json" % label, json.dumps(bad).encode(), ".json", "error"
        bad = {"apiVersion": "v1", "kind": "Service", "metadata": {"namespace": "n", "name": "s"},
               "spec": {"ports": [{"port": "80" + ctl}]}}
        yield "inject-%s-value-error-yaml" % label, to_yaml(bad).encode(), ".yaml", "error"

    # The configuration document (`--config`): the same kinds of abuse.
    yield "config-base", to_yaml(CONFIG).encode(), CONFIG_SUFFIX, "ok"
    yield "config-base-json", json.dumps(CONFIG).encode(), CONFIG_SUFFIX, "ok"
    yield "config-empty", b"", CONFIG_SUFFIX, "error"
    yield "config-alias-bomb", lol.encode(), CONFIG_SUFFIX, "error"
    yield "config-deep", ("kind: EnvoyGateway\nextensionApis: " + "[" * n + "]" * n +
                          "\n").encode(), CONFIG_SUFFIX, "error"
    yield "config-random", bytes(rnd.getrandbits(8) for _ in range(1 << 20)), CONFIG_SUFFIX, \
        "error"
    yield "config-two-documents", (to_yaml(CONFIG) + "---\n" + to_yaml(CONFIG)).encode(), \
        CONFIG_SUFFIX, "error"
    many = dict(CONFIG, extensionManager={"resources": [
        {"group": "g%d.example.io" % i, "kind": "K%d" % i} for i in range(20000)]})
    yield "config-many-kinds", json.dumps(many).encode(), CONFIG_SUFFIX, "ok"
    for path in paths(CONFIG):
        for label, val in WRONG:
            doc = replaced(CONFIG, path, val)
            name = "config-type-/%s=%s" % ("/".join(str(p) for p in path), label)
            yield name + "-json", json.dumps(doc).encode(), CONFIG_SUFFIX, "any"
            yield name + "-yaml", to_yaml(doc).encode(), CONFIG_SUFFIX, "any"

    # Wrong types at every level of the base document, in JSON and in YAML.
    for path in paths(BASE):
        for label, val in WRONG:
            doc = replaced(BASE, path, val)
            name = "type-/%s=%s" % ("/".join(str(p) for p in path), label)
            yield name + "-json", json.dumps(doc).encode(), ".json", "any"
            if label in ("string", "map", "seq"):
                yield name + "-yaml", to_yaml(doc).encode(), ".yaml", "any"


def run_case(cli, tmp, name, data, suffix, expect, sanitizer, args=None):
    path = os.path.join(tmp, "input" + suffix)
    with open(path, "wb") as f:
        f.write(data)
    argv = [cli] + (args or ["translate"]) + ["input" + suffix]
    if suffix == CONFIG_SUFFIX:  # the configuration, with the base resources
        with open(os.path.join(tmp, "resources.json"), "wb") as f:
            f.write(json.dumps(BASE).encode())
        argv = [cli, "translate", "--config", "input" + suffix, "resources.json"]
    start = time.monotonic()
    proc = subprocess.Popen(argv, cwd=tmp,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            close_fds=False)
    try:
        out, err = proc.communicate(timeout=TIME_LIMIT * (10 if sanitizer else 1) + 5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return "timed out"
    elapsed = time.monotonic() - start
    rc = proc.returncode
    problems = []
    if elapsed > TIME_LIMIT * (10 if sanitizer else 1):
        problems.append("took %.2f s" % elapsed)
    if rc == 0:
        if expect in ("error", "output-limit"):
            problems.append("translated, expected exit 2")
        # Success may warn: one line per warning, located, never a raw control character.
        for line in err.decode("utf-8", "replace").splitlines():
            if not WARNING.match(line) or any(ord(c) < 0x20 or ord(c) == 0x7f or 0x80 <= ord(c) <= 0x9f for c in line):
                problems.append("stderr on success is not a warning line: %r" % line[:200])
                break
    elif rc == 2 and expect == "output-limit":
        if out:
            problems.append("stdout past the output budget")
        text = err.decode("utf-8", "replace")
        if not re.match(r"rebalance \w+: the output is larger than the limit of \d+ bytes "
                        r"\(--limit output-bytes\); nothing was written\n", text):
            problems.append("not the output budget's message: %r" % text[:300])
    elif rc == 2:
        if expect in ("ok", "output-limit"):
            problems.append("exit 2, expected a translation: %r" % err[:300])
        if out:
            problems.append("stdout on exit 2")
        text = err.decode("utf-8", "replace")
        if any(ord(c) < 0x20 and c != "\n" or ord(c) == 0x7f or 0x80 <= ord(c) <= 0x9f
               or c == "\ufffd" for c in text):
            problems.append("a raw control character or invalid UTF-8 in the error: %r"
                            % text[:300])
        m = LOC.match(text)
        if not m or m.group("file") != "input" + suffix or int(m.group("line")) < 1 \
                or int(m.group("col")) < 1:
            problems.append("no FILE:LINE:COL: %r" % text[:300])
        else:
            # One diagnostic; after a limit, the CLI's hint to raise it.
            lines = text.splitlines()
            if len(lines) == 2 and lines[1].startswith("rebalance: an input limit was reached"):
                lines.pop()
            if len(lines) != 1 or not text.endswith("\n"):
                problems.append("more than one line on stderr: %r" % text[:300])
    else:
        problems.append("exit status %d: %r" % (rc, err[-300:]))
    return "; ".join(problems)


def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    cli = os.path.abspath(args[0])
    sanitizer = "--sanitizer" in args
    verbose = "-v" in args
    only = args[args.index("-k") + 1] if "-k" in args else None
    passed = failed = 0
    peak = 0
    if not sanitizer:
        # Inherited by every run of the CLI (set here rather than in a preexec_fn,
        # which makes each spawn a slow fork). This script stays far below it.
        resource.setrlimit(resource.RLIMIT_AS, (MEM_LIMIT, MEM_LIMIT))
    slowest = (0.0, "")
    with tempfile.TemporaryDirectory(prefix="rb-hostile-") as tmp:
        for case in cases():
            name, data, suffix, expect = case[:4]
            args = case[4] if len(case) > 4 else None
            if only and only not in name:
                continue
            t0 = time.monotonic()
            r0 = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            problem = run_case(cli, tmp, name, data, suffix, expect, sanitizer, args)
            dt = time.monotonic() - t0
            # ru_maxrss of the children is the peak over all of them so far (KiB).
            r1 = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            if r1 > r0 and not sanitizer and r1 * 1024 > MEM_LIMIT:
                problem = (problem + "; " if problem else "") + "peak RSS %d MB" % (r1 >> 10)
            peak = max(peak, r1)
            if dt > slowest[0]:
                slowest = (dt, name)
            if problem:
                failed += 1
                print("FAIL %s (%d bytes): %s" % (name, len(data), problem))
            else:
                passed += 1
                if verbose:
                    print("ok   %s (%d bytes, %.2f s)" % (name, len(data), dt))
        for name, hostile, plain, suffix, args, bound in ratio_pairs():
            if only and only not in name:
                continue
            times = []
            for data in (hostile, plain):
                path = os.path.join(tmp, "input" + suffix)
                with open(path, "wb") as f:
                    f.write(data)
                best = None
                for _ in range(3):  # the best of three: the machine may be busy
                    t0 = time.monotonic()
                    subprocess.run([cli] + args + ["input" + suffix], cwd=tmp,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   timeout=TIME_LIMIT * (10 if sanitizer else 1) * 4 + 5)
                    dt = time.monotonic() - t0
                    best = dt if best is None else min(best, dt)
                times.append(best)
            ratio = times[0] / max(times[1], 1e-3)
            line = "ratio %s: %.3f s / %.3f s = %.2f (bound %.1f)" % (
                name, times[0], times[1], ratio, bound)
            if ratio > bound:
                failed += 1
                print("FAIL " + line)
            else:
                passed += 1
                print(line)
    print("hostile: peak RSS %d MB, slowest %.2f s (%s)" % (peak >> 10, slowest[0], slowest[1]))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
