"""rebalance: Gateway API route destinations as Envoy Gateway computes them,
with the share of backendRefs without endpoints rebalanced onto their peers.

    import rebalance
    result = rebalance.translate(pathlib.Path("routes.yaml"))      # a dict (docs/ir.md)
    with rebalance.Translator(mode=rebalance.Mode.COMPAT_ENVOY_GATEWAY) as t:
        result = t.translate(("routes.yaml", text), ("endpoints.json", data))
        clusters = t.xds(("routes.yaml", text))                     # `rebalance xds`
        shares = t.explain(("routes.yaml", text), what_if=["shop/cart"])  # `explain -o json`
    with rebalance.Engine(manifests, endpoints) as engine:          # incremental
        engine.apply(changed_slice)
        result = engine.translate()
        delta = engine.changes()    # or only what changed since the last call

Unusable input raises RebalanceError, whose .diagnostics say where and why
(file, line, column, JSON-pointer path, message); so does an EnvoyGateway
configuration document (config=) the library refuses. Route-level problems are
data in the result, never errors.

A Translator may be shared by threads (the GIL is released in the library,
which only reads the context once set up); close() waits for calls in flight.
An Engine runs one call at a time (a lock), and is meant for one owner.
"""

import enum
import io
import os
import pickle
import threading
from ctypes import POINTER, byref, c_char_p, c_size_t, c_void_p, cast, sizeof, string_at
from typing import Any, Dict, Iterable, List, Mapping, NamedTuple, Optional, Tuple, Union

from . import _lib
from ._lib import ABI

__all__ = [
    "ABI", "Change", "Changes", "DestinationChange", "Diagnostic", "Engine", "EngineStats",
    "ErrorCode", "Flag", "Format", "Input", "RouteStatusChange",
    "KnobDefault", "Limit", "Mode", "Preset", "RebalanceError", "Translator", "explain",
    "render", "render_explain", "render_xds", "translate", "version", "version_number", "xds",
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
    #: never read the BackendTrafficPolicy knobs, in any mode (contradicts HONOR_POLICY)
    IGNORE_POLICY = 1 << 5
    #: a listener certificate Secret absent from the input counts as valid (dumps without Secrets)
    ASSUME_SECRETS = 1 << 6


_KNOWN_FLAGS = sum(int(f) for f in Flag)


class KnobDefault(enum.IntEnum):
    """The zero-endpoint exclusion where no BackendTrafficPolicy decides
    (rb_knob_default); Translator(rebalance_default=) also takes None (MODE),
    True (ON) and False (OFF)."""

    MODE = 0  #: the mode decides: on in REBALANCE, off in COMPAT_ENVOY_GATEWAY
    OFF = 1  #: off unless a policy turns it on
    ON = 2  #: on unless a policy turns it off


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

    def __str__(self) -> str:
        """As the CLI prints it: FILE:LINE:COL: PATH: MESSAGE."""
        where = "%s:%d:%d" % (self.file, self.line, self.column) if self.line else self.file
        path = self.path + ": " if self.path else ""
        return "%s: %s%s" % (where, path, self.message)


class RebalanceError(Exception):
    """A library error. For unusable input, .diagnostics lists one Diagnostic
    per refused input, in input order; .code is the first one's code."""

    def __init__(self, code: int, diagnostics: Iterable[Diagnostic] = ()) -> None:
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


#: What translate() and friends take: a buffer (bytes or str), a file
#: (os.PathLike), a (name, data) tuple or an Input.
InputLike = Union[bytes, bytearray, memoryview, str, "os.PathLike[str]", Tuple[Any, ...], Input]
#: A what-if target or several: "NAMESPACE/SERVICE" or the CLI's "NAMESPACE/SERVICE=0".
WhatIf = Union[str, bytes, Iterable[Union[str, bytes]]]
#: The options Translator, Engine and the module functions take.
KnobLike = Union[KnobDefault, bool, None]


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


def _diagnostics(inp, count=None, get=None):
    """The diagnostics of an input (or, with count and get, of an engine) as a
    RebalanceError, copied before their owner frees them."""
    count = count or _L.rb_input_diag_count
    get = get or _L.rb_input_diag
    diags = []
    for i in range(count(inp)):
        d = get(inp, i)
        if not d:
            continue

        def s(fn):
            return (fn(d) or b"").decode("utf-8", "replace")

        diags.append(Diagnostic(
            _code(_L.rb_diag_code(d)), s(_L.rb_diag_source), _L.rb_diag_line(d),
            _L.rb_diag_column(d), _L.rb_diag_offset(d), s(_L.rb_diag_path), s(_L.rb_diag_message)))
    return RebalanceError(diags[0].code if diags else _lib.RB_EPARSE, diags)


def _knob_default(value):
    if value is None:
        return KnobDefault.MODE
    if isinstance(value, bool):
        return KnobDefault.ON if value else KnobDefault.OFF
    try:
        return KnobDefault(value)
    except ValueError:
        raise ValueError("rebalance: rebalance_default %r (None, True, False or a KnobDefault)"
                         % (value,)) from None


def _options(mode, flags, gateway_class, preset, rebalance_default, gateway_classes=None,
             controller_name=None):
    """rb_translate_options from keyword arguments (ValueError when unusable)."""
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
    if opts.flags & Flag.HONOR_POLICY and opts.flags & Flag.IGNORE_POLICY:
        raise ValueError("rebalance: HONOR_POLICY and IGNORE_POLICY contradict each other")
    if rebalance_default is not None:
        opts.rebalance_default = int(_knob_default(rebalance_default))
    if gateway_class is not None:
        opts.gateway_class = _encode(gateway_class)  # the Structure keeps the bytes alive
    if controller_name is not None:
        opts.controller_name = _encode(controller_name)
    if gateway_classes:
        if isinstance(gateway_classes, (str, bytes)):
            gateway_classes = [gateway_classes]
        names = (c_char_p * len(gateway_classes))(*(_encode(c) for c in gateway_classes))
        opts._classes = names  # kept alive with the options
        opts.gateway_classes = names
        opts.gateway_class_count = len(gateway_classes)
    return opts


def _new_ctx(limits):
    ctx = _lib.CtxP()
    rc = _L.rb_ctx_new(byref(ctx), None)
    if rc != _lib.RB_OK:
        raise RebalanceError(rc)
    for limit, value in (limits or {}).items():
        rc = _L.rb_ctx_set_limit(ctx, int(Limit(limit)), int(value))
        if rc != _lib.RB_OK:
            _L.rb_ctx_free(ctx)
            raise ValueError("rebalance: limit %s=%r: %s" % (Limit(limit).name, value, _strerror(rc)))
    return ctx


def _config_item(config):
    """The config= argument (bytes, str, os.PathLike, (name, data) or Input) as an item."""
    if config is None:
        return None
    return _items([config])[0]


def _warnings(inp, res):
    """The warnings of an input and of a result (rb_input_warning, rb_result_warning)
    as Diagnostic tuples with code 0."""
    out = []
    for count, get, owner in ((_L.rb_input_warning_count, _L.rb_input_warning, inp),
                              (_L.rb_result_warning_count, _L.rb_result_warning, res)):
        for i in range(count(owner)):
            d = get(owner, i)

            def s(fn):
                return (fn(d) or b"").decode("utf-8", "replace")

            out.append(Diagnostic(_L.rb_diag_code(d), s(_L.rb_diag_source), _L.rb_diag_line(d),
                                  _L.rb_diag_column(d), _L.rb_diag_offset(d),
                                  s(_L.rb_diag_path), s(_L.rb_diag_message)))
    return out


def _new_input(ctx, config, items, namespace=None):
    """An rb_input holding the configuration document (an item, or None) and
    the items, in order. Every item is tried, so that the error names every
    unusable one; on failure nothing is left allocated."""
    inp = _lib.InputP()
    rc = _L.rb_input_new(byref(inp), ctx)
    if rc != _lib.RB_OK:
        raise RebalanceError(rc)
    try:
        if namespace is not None:
            rc = _L.rb_input_set_namespace(inp, _encode(namespace))
            if rc != _lib.RB_OK:
                raise RebalanceError(rc)
        failed = False
        if config is not None:
            kind, name, data, _ = config
            if kind == "file":
                rc = _L.rb_input_add_config_file(inp, name)
            else:
                rc = _L.rb_input_add_config(inp, data, len(data), name)
            if rc == _lib.RB_EINVAL:
                raise RebalanceError(rc)
            failed = rc != _lib.RB_OK
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
    except BaseException:
        _L.rb_input_free(inp)
        raise
    return inp


#: Format values as the library's input format numbers (apply()'s fast path).
_INPUT_FORMATS = {f: int(f) for f in Format}


def _output_format(format):
    fmt = {Format.YAML: _lib.RB_FORMAT_YAML, Format.JSON: _lib.RB_FORMAT_JSON}.get(format)
    if fmt is None:
        raise ValueError("rebalance: output format %r (YAML or JSON)" % (format,))
    return fmt


def _take(ctx, to_buffer, *args):
    """Serialize with to_buffer (rb_result_to_buffer, rb_xds_to_buffer,
    rb_explanation_to_buffer, rb_changes_to_buffer: their arguments before
    the buffer's), copy the bytes and free the library's buffer."""
    buf, n = c_void_p(), c_size_t()
    rc = to_buffer(*args, byref(buf), byref(n))
    if rc != _lib.RB_OK:
        raise RebalanceError(rc)
    try:
        return string_at(buf, n.value)
    finally:
        _L.rb_free(ctx, buf)


class _PlainUnpickler(pickle.Unpickler):
    """Reads the library's RB_FORMAT_PICKLE documents, which hold plain values
    only (dict, list, str, int, float, bool, None): any opcode that would name
    a class or a function to call is refused, so no bytes make it run code."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError("rebalance: the library's documents name no class "
                                     "(%s.%s)" % (module, name))


def _decode(data: bytes) -> Any:
    """A document the library serialized as RB_FORMAT_PICKLE, as the objects
    json.loads gives for its JSON: what every dict-returning method returns."""
    return _PlainUnpickler(io.BytesIO(data)).load()


_WHAT_IF_FORMS = ("expected NAMESPACE/SERVICE=N (N ready endpoints, 0: scaled to zero), "
                  "NAMESPACE/ROUTE:RULE:REF=weight:W or NAMESPACE/ROUTE:RULE:REF=fallback "
                  "(RULE: its name or index, REF: the backendRef's index), N and W up to "
                  "1000000")


def _small_number(b: bytes) -> bool:
    return 0 < len(b) <= 7 and b.isdigit() and int(b) <= 1000000


def _what_if_ok(b: bytes) -> bool:
    """The CLI's forms: NS/SERVICE[=N], NS/ROUTE:RULE:REF=weight:W or
    NS/ROUTE:RULE:REF=fallback."""
    head, eq, value = b.partition(b"=")
    ns, slash, name = head.partition(b"/")
    if not ns or not slash or not name or b"/" in name or b"\0" in b:
        return False
    if b":" not in name:
        return not eq or _small_number(value)
    route, _, rest = name.partition(b":")
    rule, _, ref = rest.partition(b":")
    return (bool(route) and bool(rule) and _small_number(ref) and eq == b"="
            and (value == b"fallback"
                 or (value.startswith(b"weight:") and _small_number(value[7:]))))


def _targets(what_if: Union[str, bytes, Iterable[Union[str, bytes]]]) -> List[bytes]:
    """what_if= as encoded library targets (ValueError when malformed): the
    CLI's forms, NAMESPACE/SERVICE=N (N ready endpoints; "=0" or no "=N" at
    all scales it to zero), NAMESPACE/ROUTE:RULE:REF=weight:W and
    NAMESPACE/ROUTE:RULE:REF=fallback."""
    if isinstance(what_if, (str, bytes)):
        what_if = [what_if]
    targets = []
    for t in what_if:
        b = _encode(t)
        if not isinstance(b, bytes):
            raise TypeError("rebalance: what-if target %r: expected a str" % (t,))
        if not _what_if_ok(b):
            raise ValueError("rebalance: what-if %s: %s" % (b.decode("utf-8", "replace"),
                                                             _WHAT_IF_FORMS))
        if b.endswith(b"=0") and b":" not in b:
            b = b[:-2]  # the library's form of a scale to zero
        targets.append(b)
    return targets


def _check_found(ex, targets: List[bytes]) -> None:
    """A what-if Service that is not in the input is a typo: an error, as the CLI's."""
    for i, t in enumerate(targets):
        if not _L.rb_explanation_what_if_found(ex, i):
            name = t.decode("utf-8", "replace")
            if name.endswith("=fallback"):
                raise ValueError("rebalance: what-if %s: no such backendRef to a Service with a "
                                 "clusterIP and a port in the input" % name)
            if ":" in name:
                raise ValueError("rebalance: what-if %s: no such backendRef in the input" % name)
            raise ValueError("rebalance: what-if %s: no Service %s in the input"
                             % (name, name.partition("=")[0]))


class Translator:
    """A library context (allocator and limits) with translation options.

    mode, flags, gateway_class, gateway_classes (a list), controller_name and
    rebalance_default (a KnobDefault, or None, True, False) are
    rb_translate_options: the Gateways of the input's GatewayClasses of
    `controller_name` (Envoy Gateway's by default) and of the classes named are
    ours, else those of "envoy-gateway-class". `namespace` is the namespace of
    namespaced manifest objects without one (kubectl's `-n`; "default"). `preset` starts from a preset
    instead (its flags are then OR-ed with `flags`). `limits` maps Limit to
    values. `config` is an EnvoyGateway configuration document (bytes or str, an
    os.PathLike read by the library, a (name, data) tuple or an Input), read
    into every call as `rebalance --config FILE` does; it is checked here, and
    a document the library refuses raises RebalanceError with its diagnostics.
    A path is read again by every call. Use as a context manager, or call close().
    """

    def __init__(self, mode: Mode = Mode.REBALANCE, flags: Flag = Flag.NONE,
                 gateway_class: Optional[str] = None, limits: Optional[Mapping[Limit, int]] = None,
                 preset: Optional[Preset] = None, rebalance_default: KnobLike = None,
                 config: Optional[InputLike] = None, gateway_classes: Optional[Iterable[str]] = None,
                 controller_name: Optional[str] = None, namespace: Optional[str] = None) -> None:
        self._ctx = None
        self._cond = threading.Condition()
        self._active = 0
        self._opts = _options(mode, flags, gateway_class, preset, rebalance_default,
                              gateway_classes, controller_name)
        self._namespace = namespace
        self._config = _config_item(config)
        ctx = _new_ctx(limits)
        if self._config is not None:
            try:
                _L.rb_input_free(_new_input(ctx, self._config, []))
            except BaseException:
                _L.rb_ctx_free(ctx)
                raise
        self._ctx = ctx

    @property
    def closed(self) -> bool:
        return self._ctx is None

    def close(self) -> None:
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

    def __enter__(self) -> "Translator":
        return self

    def __exit__(self, *exc: Any) -> None:
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

    def translate(self, *inputs: InputLike) -> Dict[str, Any]:
        """Translate the inputs as one (resources merge in order) and return
        the result as a dict: {"destinations": [...], "routeStatuses": [...]}.

        Each input is bytes or str (a buffer), an os.PathLike (a file read by
        the library), a (name, data) tuple or an Input.
        """
        return _decode(self._run(inputs, self._translator(_L.rb_result_to_buffer,
                                                          _lib.RB_FORMAT_PICKLE)))

    def warnings(self, *inputs: InputLike) -> List[Diagnostic]:
        """Translate the inputs and return the warnings, a list of Diagnostic
        (code 0): unknown fields of structs whose fields are all known ("did
        you mean ..."), unknown kinds and apiVersions, Services without
        EndpointSlices, absent listener Secrets, routes naming no Gateway of
        ours, nothing reaching a Gateway of ours, the class used when the input
        names none of ours. `rebalance --strict` refuses inputs that have any."""
        def body(ctx, inp):
            res = _lib.ResultP()
            rc = _L.rb_translate(byref(res), inp, byref(self._opts))
            if rc != _lib.RB_OK:
                raise RebalanceError(rc)
            try:
                return _warnings(inp, res)
            finally:
                _L.rb_result_free(res)
        return self._run(inputs, body)

    def render(self, *inputs: InputLike, format: Format = Format.JSON) -> bytes:
        """Translate and return the library's own serialization (bytes), byte
        for byte what `rebalance translate -o yaml|json` prints."""
        return self._run(inputs, self._translator(_L.rb_result_to_buffer, _output_format(format)))

    def xds(self, *inputs: InputLike) -> Dict[str, Any]:
        """What the data plane gets, per destination: the Envoy v3 route
        action and clusters Envoy Gateway derives from each rule, in proto3
        JSON names (what `rebalance xds` prints), as a dict {"rules": [...]}."""
        return _decode(self._run(inputs, self._translator(_L.rb_xds_to_buffer,
                                                          _lib.RB_FORMAT_PICKLE)))

    def render_xds(self, *inputs: InputLike, format: Format = Format.JSON) -> bytes:
        """xds() as the library's bytes, as `rebalance xds -o json|yaml` prints them."""
        return self._run(inputs, self._translator(_L.rb_xds_to_buffer, _output_format(format)))

    def explain(self, *inputs: InputLike, what_if: WhatIf = ()) -> Dict[str, Any]:
        """Per rule, what Envoy does with each backendRef, Envoy Gateway as it
        is ("upstream") next to this Translator's options ("selected"): the
        document of `rebalance explain -o json` (docs/explain.md) as a dict.

        what_if lists Services ("NAMESPACE/SERVICE", or the CLI's
        "NAMESPACE/SERVICE=0") scaled to zero first, on both sides; a malformed
        target, and a Service that is not in the input (a typo would scale
        nothing), raise ValueError naming it.
        """
        return _decode(self._explain(inputs, what_if, _lib.RB_FORMAT_PICKLE))

    def render_explain(self, *inputs: InputLike, what_if: WhatIf = (),
                       format: Format = Format.JSON) -> bytes:
        """explain() as the library's bytes, as `rebalance explain -o json|yaml` prints them."""
        return self._explain(inputs, what_if, _output_format(format))

    def _explain(self, inputs, what_if, fmt):
        targets = _targets(what_if)

        def body(ctx, inp):
            eo = _lib.ExplainOptions()
            _L.rb_explain_options_init(byref(eo), sizeof(eo))
            array = (c_char_p * len(targets))(*targets)  # alive until rb_explain copies it
            if targets:
                eo.what_if = cast(array, POINTER(c_char_p))
                eo.what_if_count = len(targets)
            eo.advice = 1  # as `rebalance explain`: the advice is part of the document
            ex = _lib.ExplanationP()
            rc = _L.rb_explain(byref(ex), inp, byref(self._opts), byref(eo))
            if rc != _lib.RB_OK:
                raise RebalanceError(rc)
            try:
                _check_found(ex, targets)
                return _take(ctx, _L.rb_explanation_to_buffer, ex, fmt)
            finally:
                _L.rb_explanation_free(ex)

        return self._run(inputs, body)

    def _translator(self, to_buffer, fmt):
        def body(ctx, inp):
            res = _lib.ResultP()
            rc = _L.rb_translate(byref(res), inp, byref(self._opts))
            if rc != _lib.RB_OK:
                raise RebalanceError(rc)
            try:
                return _take(ctx, to_buffer, res, fmt)
            finally:
                _L.rb_result_free(res)
        return body

    def _run(self, inputs, body):
        """One rb_input (the config, then the inputs) given to body(ctx, inp),
        freed afterwards; close() waits meanwhile."""
        items = _items(inputs)
        with self._cond:
            if self._ctx is None:
                raise ValueError("rebalance: the translator is closed")
            self._active += 1
            ctx = self._ctx
        try:
            inp = _new_input(ctx, self._config, items, self._namespace)
            try:
                return body(ctx, inp)
            finally:
                _L.rb_input_free(inp)
        finally:
            with self._cond:
                self._active -= 1
                if not self._active:
                    self._cond.notify_all()


class EngineStats(NamedTuple):
    """The counters of an Engine (rb_engine_stats)."""

    translations: int  #: translate() calls that translated something
    full_translations: int  #: ... of which everything was translated
    routes_translated: int  #: routes translated by the last call
    routes: int  #: routes in the snapshot now


class Change(enum.IntEnum):
    """What happened to an entry between two translations (rb_change)."""

    ADDED = 1  #: not in the previous result
    CHANGED = 2  #: in both, serialized differently
    REMOVED = 3  #: in the previous result only


class DestinationChange(NamedTuple):
    """One destination added, changed or removed, by its key."""

    change: Change
    key: str  #: the destination's "key" (docs/ir.md)
    destination: Optional[Dict[str, Any]]  #: as translate() gives it; None when removed


class RouteStatusChange(NamedTuple):
    """One route whose status entries (one per parentRef) were added,
    changed or removed, as a whole."""

    change: Change
    kind: str  #: HTTPRoute, GRPCRoute, TLSRoute, TCPRoute, UDPRoute
    namespace: str
    name: str
    statuses: Optional[List[Dict[str, Any]]]  #: as translate() gives them; None when removed


class Changes(NamedTuple):
    """What one translation changed (rb_engine_changes): applied to the
    previous result's destinations (by key) and route statuses (by route),
    it gives the new result."""

    destinations: List[DestinationChange]
    route_statuses: List[RouteStatusChange]

    def __bool__(self) -> bool:
        return bool(self.destinations or self.route_statuses)


#: The library's names of the kinds of change (rb_changes_write).
_CHANGES = {"Added": Change.ADDED, "Changed": Change.CHANGED, "Removed": Change.REMOVED}
_new_tuple = tuple.__new__


class Engine:
    """The incremental engine (include/rebalance/engine.h): a snapshot of the
    inputs, translated once, then changes -- apply() adds or replaces objects,
    delete() removes them -- after which translate() translates again only the
    route rules that depend on what changed. Its result always equals, byte
    for byte, a full translation of the objects it holds, in the order
    engine.h defines (an applied object takes the place of the first one of the
    same kind, namespace and name, or goes last among its kind).

    The options are Translator's. The library's engine is single-threaded: an
    Engine holds a lock, so threads that share one cannot corrupt it, but
    their calls run one at a time in whatever order they get the lock; give it
    one owner. Use as a context manager, or call close().
    """

    def __init__(self, *inputs: InputLike, mode: Mode = Mode.REBALANCE, flags: Flag = Flag.NONE,
                 gateway_class: Optional[str] = None, limits: Optional[Mapping[Limit, int]] = None,
                 preset: Optional[Preset] = None, rebalance_default: KnobLike = None,
                 config: Optional[InputLike] = None, gateway_classes: Optional[Iterable[str]] = None,
                 controller_name: Optional[str] = None, namespace: Optional[str] = None) -> None:
        self._engine = None
        self._lock = threading.Lock()
        opts = _options(mode, flags, gateway_class, preset, rebalance_default, gateway_classes,
                        controller_name)
        config = _config_item(config)
        items = _items(inputs)
        ctx = _new_ctx(limits)
        inp = None
        try:
            if config is not None:  # checked alone first, as Translator does
                _L.rb_input_free(_new_input(ctx, config, []))
            inp = _new_input(ctx, config, items, namespace)
            engine = _lib.EngineP()
            rc = _L.rb_engine_new(byref(engine), inp, byref(opts))  # copies the options
            if rc != _lib.RB_OK:
                raise RebalanceError(rc)
        except BaseException:
            _L.rb_input_free(inp)
            _L.rb_ctx_free(ctx)
            raise
        # The engine borrows the input: both live until close(), freed in that order.
        self._ctx, self._input, self._engine = ctx, inp, engine
        # The out-parameters of every call, made once: used under the lock only.
        self._res, self._buf, self._len = _lib.ResultP(), c_void_p(), c_size_t()
        self._res_ref, self._buf_ref, self._len_ref = byref(self._res), byref(self._buf), byref(self._len)

    @property
    def closed(self) -> bool:
        return self._engine is None

    def close(self) -> None:
        """Free the engine, its snapshot and its context, after the call in
        flight. Idempotent."""
        lock = getattr(self, "_lock", None)
        if lock is None:
            return
        with lock:
            if self._engine is not None:
                _L.rb_engine_free(self._engine)
                _L.rb_input_free(self._input)
                _L.rb_ctx_free(self._ctx)
                self._engine = self._input = self._ctx = None

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self):
        if getattr(self, "_engine", None) is not None and _L is not None:
            try:
                self.close()
            except Exception:
                pass

    def __repr__(self):
        if self.closed:
            return "<rebalance.Engine closed>"
        return "<rebalance.Engine routes=%d>" % self.stats().routes

    def _check(self):
        if self._engine is None:
            raise ValueError("rebalance: the engine is closed")

    def apply(self, data: Union[bytes, bytearray, memoryview, str], name: Optional[str] = None,
              format: Format = Format.AUTO) -> None:
        """Add or replace every object of a buffer (bytes or str, an
        os.PathLike read here, a (name, data) tuple or an Input; any input
        layout). A buffer the library refuses changes nothing and raises
        RebalanceError with its diagnostics. Nothing is translated until
        translate()."""
        fmt = _INPUT_FORMATS.get(format) if type(data) is bytes else None
        if fmt is not None:  # the usual call, without _items' normalisation
            buf, bname = data, _encode(name)
        else:
            buf, bname, fmt = self._apply_args(data, name, format)
        with self._lock:
            self._check()
            rc = _L.rb_engine_apply_buffer(self._engine, buf, len(buf), bname, fmt)
            if rc in (_lib.RB_EPARSE, _lib.RB_ELIMIT):
                raise _diagnostics(self._engine, _L.rb_engine_diag_count, _L.rb_engine_diag)
            if rc != _lib.RB_OK:
                # RB_ENOMEM: applied in part; the next translate() translates everything.
                raise RebalanceError(rc)

    def _apply_args(self, data, name, format):
        """apply()'s arguments as (buffer, encoded name, format number)."""
        if isinstance(data, os.PathLike):
            # At most one byte past input-bytes, as rb_input_add_file reads: the
            # library reports the limit at that byte, and a FIFO or /dev/zero
            # cannot fill memory.
            with self._lock:
                limit = _L.rb_ctx_get_limit(self._ctx, Limit.INPUT_BYTES) if self._ctx else 0
            with open(data, "rb") as f:
                name, data = name or os.fsdecode(data), f.read(limit + 1)
        if not isinstance(data, tuple):  # (name, data) tuples and Inputs carry their own
            data = Input(data, name, format)
        ((_, bname, buf, fmt),) = _items([data])
        return buf, bname, fmt

    def delete(self, kind: str, namespace: Optional[str], name: str) -> None:
        """Remove every object of a kind ("Service", "EndpointSlice",
        "HTTPRoute", ...), namespace ("" or None when cluster-scoped) and name.
        Deleting what is not there is not an error; an unknown kind raises
        ValueError."""
        with self._lock:
            self._check()
            rc = _L.rb_engine_delete(self._engine, _encode(kind), _encode(namespace or None), _encode(name))
            if rc == _lib.RB_EINVAL:
                raise ValueError("rebalance: delete %s %s/%s: %s" % (kind, namespace or "", name,
                                                                      _strerror(rc)))
            if rc != _lib.RB_OK:
                raise RebalanceError(rc)

    def translate(self) -> Dict[str, Any]:
        """Bring the result up to date and return it as a dict, as
        Translator.translate() does."""
        return _decode(self._render(_L.rb_result_to_buffer, _lib.RB_FORMAT_PICKLE))

    def render(self, format: Format = Format.JSON) -> bytes:
        """translate() as the library's bytes (`rebalance translate -o yaml|json`)."""
        return self._render(_L.rb_result_to_buffer, _output_format(format))

    def xds(self) -> Dict[str, Any]:
        """The up-to-date result's xDS projection, as Translator.xds() gives it."""
        return _decode(self._render(_L.rb_xds_to_buffer, _lib.RB_FORMAT_PICKLE))

    def render_xds(self, format: Format = Format.JSON) -> bytes:
        """xds() as the library's bytes (`rebalance xds -o json|yaml`)."""
        return self._render(_L.rb_xds_to_buffer, _output_format(format))

    def _translate_locked(self) -> Any:
        """rb_engine_translate, with the lock held: the result is borrowed from
        the engine, valid until the next translate, read under the lock and
        never freed here."""
        self._check()
        rc = _L.rb_engine_translate(self._engine, self._res_ref)
        if rc != _lib.RB_OK:
            raise RebalanceError(rc)
        return self._res

    def _render(self, to_buffer, fmt):
        with self._lock:
            return _take(self._ctx, to_buffer, self._translate_locked(), fmt)

    def changes(self) -> Changes:
        """Bring the result up to date, as translate() does, and return what
        differs from the result of the previous translation (by translate(),
        render(), xds() or changes(); everything is added the first time).
        Only the changed entries are serialized (rb_changes_to_buffer) and
        decoded: the cost follows the size of the change, not of the result."""
        with self._lock:
            self._translate_locked()
            rc = _L.rb_changes_to_buffer(self._ctx, _L.rb_engine_changes(self._engine),
                                         _lib.RB_FORMAT_PICKLE, self._buf_ref, self._len_ref)
            if rc != _lib.RB_OK:
                raise RebalanceError(rc)
            try:
                data = string_at(self._buf, self._len.value)
            finally:
                _L.rb_free(self._ctx, self._buf)
        doc = _decode(data)  # the engine is free meanwhile
        # tuple.__new__ directly: a NamedTuple's own __new__ is Python code,
        # called once per entry.
        return _new_tuple(Changes, (
            [_new_tuple(DestinationChange, (_CHANGES[d["change"]], d["key"], d.get("destination")))
             for d in doc["destinations"]],
            [_new_tuple(RouteStatusChange, (_CHANGES[r["change"]], r["kind"], r["namespace"],
                                            r["name"], r.get("statuses")))
             for r in doc["routeStatuses"]]))

    def stats(self) -> "EngineStats":
        """The engine's counters, an EngineStats."""
        with self._lock:
            self._check()
            s = _lib.EngineStats()
            s.size = sizeof(s)
            rc = _L.rb_engine_get_stats(self._engine, byref(s))
            if rc != _lib.RB_OK:
                raise RebalanceError(rc)
            return EngineStats(s.translations, s.full_translations, s.routes_translated, s.routes)


def translate(*inputs: InputLike, **options: Any) -> Dict[str, Any]:
    """Translate with a one-off Translator(**options); returns a dict."""
    with Translator(**options) as t:
        return t.translate(*inputs)


def render(*inputs: InputLike, format: Format = Format.JSON, **options: Any) -> bytes:
    """Render with a one-off Translator(**options); returns bytes."""
    with Translator(**options) as t:
        return t.render(*inputs, format=format)


def xds(*inputs: InputLike, **options: Any) -> Dict[str, Any]:
    """Translator(**options).xds(*inputs): the xDS projection as a dict."""
    with Translator(**options) as t:
        return t.xds(*inputs)


def render_xds(*inputs: InputLike, format: Format = Format.JSON, **options: Any) -> bytes:
    """Translator(**options).render_xds(*inputs): the xDS projection as bytes."""
    with Translator(**options) as t:
        return t.render_xds(*inputs, format=format)


def explain(*inputs: InputLike, what_if: WhatIf = (), **options: Any) -> Dict[str, Any]:
    """Translator(**options).explain(*inputs, what_if=...): a dict."""
    with Translator(**options) as t:
        return t.explain(*inputs, what_if=what_if)


def render_explain(*inputs: InputLike, what_if: WhatIf = (), format: Format = Format.JSON,
                   **options: Any) -> bytes:
    """Translator(**options).render_explain(...): bytes."""
    with Translator(**options) as t:
        return t.render_explain(*inputs, what_if=what_if, format=format)


def version() -> str:
    """The version string of the loaded library, e.g. "0.1.0"."""
    return _L.rb_version_string().decode("ascii")


def version_number() -> int:
    """The version of the loaded library: major*10000 + minor*100 + patch."""
    return _L.rb_version_number()
