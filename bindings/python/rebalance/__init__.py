"""rebalance: Gateway API route destinations as Envoy Gateway computes them,
with the share of backendRefs without endpoints rebalanced onto their peers.

    import rebalance
    result = rebalance.translate(pathlib.Path("routes.yaml"))      # a dict (SPEC.md R.3)
    with rebalance.Translator(mode=rebalance.Mode.COMPAT_ENVOY_GATEWAY) as t:
        result = t.translate(("routes.yaml", text), ("endpoints.json", data))

Unusable input raises RebalanceError, whose .diagnostics say where and why
(file, line, column, JSON-pointer path, message). Route-level problems are
data in the result, never errors.

A Translator may be shared by threads (the GIL is released in the library,
which only reads the context once set up); close() waits for calls in flight.
"""

import enum
import json
import os
import threading
from ctypes import byref, c_size_t, c_void_p, sizeof, string_at
from typing import NamedTuple, Optional, Union

from . import _lib
from ._lib import ABI

__all__ = [
    "ABI", "Diagnostic", "ErrorCode", "Flag", "Format", "Input", "Limit", "Mode", "Preset",
    "RebalanceError", "Translator", "render", "translate", "version", "version_number",
]

_L = _lib.lib


class Mode(enum.IntEnum):
    """Translation rules (rb_mode)."""

    REBALANCE = 0  #: the default: Envoy Gateway PR 9075's rebalancing
    COMPAT_ENVOY_GATEWAY = 1  #: Envoy Gateway exactly


class Flag(enum.IntFlag):
    """Option flags (RB_OPT_*)."""

    NONE = 0
    DISABLE_BACKEND_API = 1 << 0
    RUNNING_ON_HOST = 1 << 1
    REBALANCE_NOT_READY = 1 << 2
    HONOR_POLICY = 1 << 3
    GATEWAY_NAMESPACE_MODE = 1 << 4


_KNOWN_FLAGS = sum(int(f) for f in Flag)


class Preset(enum.IntEnum):
    """Option presets (rb_preset)."""

    REBALANCE = 0
    ENVOY_GATEWAY = 1


class Format(enum.IntEnum):
    """Input formats (AUTO, YAML, JSON) and output formats (YAML, JSON)."""

    AUTO = 0
    YAML = 1
    JSON = 2


class Limit(enum.IntEnum):
    """Input limits of a context (rb_limit)."""

    INPUT_BYTES = 1
    DOCUMENTS = 2
    DEPTH = 3
    SCALAR_BYTES = 4
    NODES = 5
    ALIAS_EXPANSION = 6


class ErrorCode(enum.IntEnum):
    """Library error codes (rb_error)."""

    NOMEM = _lib.RB_ENOMEM
    INVAL = _lib.RB_EINVAL
    PARSE = _lib.RB_EPARSE
    LIMIT = _lib.RB_ELIMIT
    IO = _lib.RB_EIO
    UNSUPPORTED = _lib.RB_EUNSUPPORTED


def _strerror(code):
    return _L.rb_strerror(code).decode("utf-8", "replace")


def _code(code):
    try:
        return ErrorCode(code)
    except ValueError:
        return code


class Diagnostic(NamedTuple):
    """One input the library refused: where and why."""

    code: ErrorCode  #: PARSE, LIMIT, IO or NOMEM
    file: str  #: the source name ("<buffer>" when none was given)
    line: int  #: 1-based, 0 when unknown
    column: int  #: 1-based in code points, 0 when unknown
    offset: int  #: byte offset into the source
    path: str  #: JSON pointer of the offending node, "" for syntax errors
    message: str

    def __str__(self):
        """As the CLI prints it: FILE:LINE:COL: PATH: MESSAGE."""
        where = "%s:%d:%d" % (self.file, self.line, self.column) if self.line else self.file
        path = self.path + ": " if self.path else ""
        return "%s: %s%s" % (where, path, self.message)


class RebalanceError(Exception):
    """A library error. For unusable input, .diagnostics lists one Diagnostic
    per refused input, in input order; .code is the first one's code."""

    def __init__(self, code, diagnostics=()):
        self.code = _code(code)
        self.diagnostics = list(diagnostics)
        if self.diagnostics:
            text = "\n".join(str(d) for d in self.diagnostics)
        else:
            text = "rebalance: " + _strerror(int(code))
        super().__init__(text)


class Input(NamedTuple):
    """A named buffer; `name` appears in diagnostics (None: "<buffer>")."""

    data: Union[bytes, bytearray, memoryview, str]
    name: Optional[str] = None
    format: Format = Format.AUTO


def _encode(s):
    return s.encode("utf-8") if isinstance(s, str) else s


def _items(inputs):
    """Normalise translate()'s arguments to ("buf"|"file", name, data, format)."""
    items = []
    for i, x in enumerate(inputs):
        if isinstance(x, tuple) and not isinstance(x, Input):
            x = Input(x[1], x[0], *x[2:])
        if isinstance(x, os.PathLike):
            items.append(("file", os.fsencode(x), None, int(Format.AUTO)))
            continue
        if not isinstance(x, Input):
            x = Input(x)
        data = x.data
        if isinstance(data, str):
            data = data.encode("utf-8")
        elif isinstance(data, (bytearray, memoryview)):
            data = bytes(data)
        elif not isinstance(data, bytes):
            raise TypeError("rebalance: input %d: expected bytes, str, os.PathLike, "
                            "(name, data) or Input, got %s" % (i, type(x.data).__name__))
        name = x.name
        if name is None and len(inputs) > 1:
            name = "<buffer %d>" % (i + 1)
        items.append(("buf", _encode(name), data, int(Format(x.format))))
    return items


def _diagnostics(inp):
    diags = []
    for i in range(_L.rb_input_diag_count(inp)):
        d = _L.rb_input_diag(inp, i)
        if not d:
            continue

        def s(fn):
            return (fn(d) or b"").decode("utf-8", "replace")

        diags.append(Diagnostic(
            _code(_L.rb_diag_code(d)), s(_L.rb_diag_source), _L.rb_diag_line(d),
            _L.rb_diag_column(d), _L.rb_diag_offset(d), s(_L.rb_diag_path), s(_L.rb_diag_message)))
    return RebalanceError(diags[0].code if diags else _lib.RB_EPARSE, diags)


class Translator:
    """A library context (allocator and limits) with translation options.

    mode, flags and gateway_class are rb_translate_options; `preset` starts
    from a preset instead (its flags are then OR-ed with `flags`). `limits`
    maps Limit to values. Use as a context manager, or call close().
    """

    def __init__(self, mode=Mode.REBALANCE, flags=Flag.NONE, gateway_class=None,
                 limits=None, preset=None):
        self._ctx = None
        self._cond = threading.Condition()
        self._active = 0
        opts = _lib.TranslateOptions()
        if preset is not None:
            if _L.rb_translate_options_preset(byref(opts), sizeof(opts), int(Preset(preset))) != _lib.RB_OK:
                raise ValueError("rebalance: unknown preset %r" % (preset,))
        else:
            _L.rb_translate_options_init(byref(opts), sizeof(opts))
            opts.mode = int(Mode(mode))
        flags = int(flags)
        if flags & ~_KNOWN_FLAGS or flags < 0:
            raise ValueError("rebalance: unknown flags %#x" % flags)
        opts.flags |= flags
        if gateway_class is not None:
            opts.gateway_class = _encode(gateway_class)  # the Structure keeps the bytes alive
        self._opts = opts
        ctx = _lib.CtxP()
        rc = _L.rb_ctx_new(byref(ctx), None)
        if rc != _lib.RB_OK:
            raise RebalanceError(rc)
        for limit, value in (limits or {}).items():
            rc = _L.rb_ctx_set_limit(ctx, int(Limit(limit)), int(value))
            if rc != _lib.RB_OK:
                _L.rb_ctx_free(ctx)
                raise ValueError("rebalance: limit %s=%r: %s" % (Limit(limit).name, value,
                                                                 _strerror(rc)))
        self._ctx = ctx

    @property
    def closed(self):
        return self._ctx is None

    def close(self):
        """Free the context, after the calls in flight. Idempotent."""
        cond = getattr(self, "_cond", None)
        if cond is None:
            return
        with cond:
            while self._active:
                cond.wait()
            if self._ctx is not None:
                _L.rb_ctx_free(self._ctx)
                self._ctx = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        # A safety net only; during interpreter shutdown the library may be gone.
        if getattr(self, "_ctx", None) is not None and _L is not None:
            try:
                self.close()
            except Exception:
                pass

    def __repr__(self):
        state = "closed" if self.closed else "mode=%s flags=%s" % (
            Mode(self._opts.mode).name, Flag(self._opts.flags))
        return "<rebalance.Translator %s>" % state

    def translate(self, *inputs):
        """Translate the inputs as one (resources merge in order) and return
        the result as a dict: {"destinations": [...], "routeStatuses": [...]}.

        Each input is bytes or str (a buffer), an os.PathLike (a file read by
        the library), a (name, data) tuple or an Input.
        """
        return json.loads(self._run(inputs, _lib.RB_FORMAT_JSON))

    def render(self, *inputs, format=Format.JSON):
        """Translate and return the library's own serialization (bytes), byte
        for byte what `rebalance translate -o yaml|json` prints."""
        fmt = {Format.YAML: _lib.RB_FORMAT_YAML, Format.JSON: _lib.RB_FORMAT_JSON}.get(format)
        if fmt is None:
            raise ValueError("rebalance: output format %r (YAML or JSON)" % (format,))
        return self._run(inputs, fmt)

    def _run(self, inputs, fmt):
        items = _items(inputs)
        with self._cond:
            if self._ctx is None:
                raise ValueError("rebalance: the translator is closed")
            self._active += 1
            ctx = self._ctx
        try:
            return self._translate(ctx, items, fmt)
        finally:
            with self._cond:
                self._active -= 1
                if not self._active:
                    self._cond.notify_all()

    def _translate(self, ctx, items, fmt):
        inp = _lib.InputP()
        rc = _L.rb_input_new(byref(inp), ctx)
        if rc != _lib.RB_OK:
            raise RebalanceError(rc)
        try:
            failed = False
            for kind, name, data, f in items:
                if kind == "file":
                    rc = _L.rb_input_add_file(inp, name, f)
                else:
                    rc = _L.rb_input_add_buffer(inp, data, len(data), name, f)
                if rc == _lib.RB_EINVAL:
                    raise RebalanceError(rc)
                failed = failed or rc != _lib.RB_OK
            if failed:  # every input was tried: the diagnostics name each unusable one
                raise _diagnostics(inp)
            res = _lib.ResultP()
            rc = _L.rb_translate(byref(res), inp, byref(self._opts))
            if rc != _lib.RB_OK:
                raise RebalanceError(rc)
            try:
                buf, n = c_void_p(), c_size_t()
                rc = _L.rb_result_to_buffer(res, fmt, byref(buf), byref(n))
                if rc != _lib.RB_OK:
                    raise RebalanceError(rc)
                try:
                    return string_at(buf, n.value)
                finally:
                    _L.rb_free(ctx, buf)
            finally:
                _L.rb_result_free(res)
        finally:
            _L.rb_input_free(inp)


def translate(*inputs, **options):
    """Translate with a one-off Translator(**options); returns a dict."""
    with Translator(**options) as t:
        return t.translate(*inputs)


def render(*inputs, format=Format.JSON, **options):
    """Render with a one-off Translator(**options); returns bytes."""
    with Translator(**options) as t:
        return t.render(*inputs, format=format)


def version():
    """The version string of the loaded library, e.g. "0.1.0"."""
    return _L.rb_version_string().decode("ascii")


def version_number():
    """The version of the loaded library: major*10000 + minor*100 + patch."""
    return _L.rb_version_number()
