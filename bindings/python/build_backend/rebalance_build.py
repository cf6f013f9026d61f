"""A PEP 517 build backend for the rebalance binding, standard library only.

The package is pure Python (ctypes), so a wheel is a zip of rebalance/*.py,
py.typed and the dist-info files; no setuptools/wheel is needed, which keeps
`pip install --no-build-isolation --no-index bindings/python` working on
machines without network access or build tools. Name and version come from
pyproject.toml's [project] table.
"""

import base64
import hashlib
import os
import re
import tarfile
import zipfile

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_PACKAGE = "rebalance"


def _project():
    """name, version and description from pyproject.toml (flat string keys only)."""
    with open(os.path.join(_ROOT, "pyproject.toml"), encoding="utf-8") as f:
        text = f.read()
    table = text.split("[project]", 1)[1].split("\n[", 1)[0]
    fields = dict(re.findall(r'^(\w+)\s*=\s*"([^"]*)"', table, re.M))
    return fields["name"], fields["version"], fields.get("description", "")


def _package_files():
    """(path in the archive, path on disk) of the package, sorted."""
    src = os.path.join(_ROOT, _PACKAGE)
    names = sorted(n for n in os.listdir(src) if n.endswith(".py") or n == "py.typed")
    return [(_PACKAGE + "/" + n, os.path.join(src, n)) for n in names]


def _metadata(name, version, summary):
    return ("Metadata-Version: 2.1\nName: %s\nVersion: %s\nSummary: %s\n"
            "Classifier: Typing :: Typed\n" % (name, version, summary))


def _record_line(arcname, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return "%s,sha256=%s,%d\n" % (arcname, digest, len(data))


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    name, version, summary = _project()
    dist_info = "%s-%s.dist-info" % (name, version)
    wheel_name = "%s-%s-py3-none-any.whl" % (name, version)
    record = []
    with zipfile.ZipFile(os.path.join(wheel_directory, wheel_name), "w",
                         zipfile.ZIP_DEFLATED) as whl:
        def add(arcname, data):
            whl.writestr(arcname, data)
            record.append(_record_line(arcname, data))

        for arcname, path in _package_files():
            with open(path, "rb") as f:
                add(arcname, f.read())
        add(dist_info + "/METADATA", _metadata(name, version, summary).encode())
        add(dist_info + "/WHEEL", b"Wheel-Version: 1.0\nGenerator: rebalance_build\n"
            b"Root-Is-Purelib: true\nTag: py3-none-any\n")
        record.append(dist_info + "/RECORD,,\n")
        whl.writestr(dist_info + "/RECORD", "".join(record))
    return wheel_name


def build_sdist(sdist_directory, config_settings=None):
    name, version, _ = _project()
    base = "%s-%s" % (name, version)
    out = base + ".tar.gz"
    with tarfile.open(os.path.join(sdist_directory, out), "w:gz") as tar:
        for rel in ["pyproject.toml", "build_backend/rebalance_build.py"] + [
                a for a, _ in _package_files()]:
            tar.add(os.path.join(_ROOT, rel), arcname=base + "/" + rel)
    return out
