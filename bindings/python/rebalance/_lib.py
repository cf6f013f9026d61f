"""Loading librebalance and declaring its C API for ctypes.

Every function used is declared here with its argtypes and restype. Buffers
the library allocates (rb_result_to_buffer, rb_xds_to_buffer,
rb_explanation_to_buffer) come back as c_void_p, are copied
with ctypes.string_at and then freed with rb_free: a c_char_p restype would
convert them to bytes and lose the pointer.

The library is looked up in this order: the REBALANCE_LIBRARY environment
variable (a path; nothing else is tried when it is set); the SONAME of the ABI
generation this binding is written for (librebalance.so.0.<minor>), through the
dynamic loader's search path and then in the lib directories of the usual
install prefixes (sys.prefix, /usr/local, /usr: `cmake --install` does not run
ldconfig); ctypes.util.find_library("rebalance"); a copy next to this package.
"""

import ctypes
import ctypes.util
import glob
import os
import sys
import sysconfig
from typing import List, Tuple
from ctypes import (
    POINTER,
    Structure,
    c_char_p,
    c_int,
    c_size_t,
    c_uint32,
    c_uint64,
    c_void_p,
)

#: The ABI generation this binding is written for: (major, minor). While at
#: 0.x, every minor release may change the ABI (SONAME librebalance.so.0.<minor>).
ABI = (0, 1)


class _Opaque(Structure):
    pass


class _Ctx(_Opaque):
    pass


class _Input(_Opaque):
    pass


class _Result(_Opaque):
    pass


class _Diag(_Opaque):
    pass


class _Explanation(_Opaque):
    pass


class _Engine(_Opaque):
    pass


CtxP = POINTER(_Ctx)
InputP = POINTER(_Input)
ResultP = POINTER(_Result)
DiagP = POINTER(_Diag)
ExplanationP = POINTER(_Explanation)
EngineP = POINTER(_Engine)


class TranslateOptions(Structure):
    """rb_translate_options; `size` tells the library which fields we know."""

    _fields_ = [
        ("size", c_uint32),
        ("mode", c_uint32),
        ("flags", c_uint32),
        ("gateway_class", c_char_p),
        ("rebalance_default", c_uint32),
        ("gateway_classes", POINTER(c_char_p)),
        ("gateway_class_count", c_size_t),
        ("controller_name", c_char_p),
    ]


class ExplainOptions(Structure):
    """rb_explain_options: the what-if targets ("NAMESPACE/NAME"), copied by rb_explain;
    the rule filters (unused here); `advice`, as the CLI sets it."""

    _fields_ = [
        ("size", c_uint32),
        ("what_if", POINTER(c_char_p)),
        ("what_if_count", c_size_t),
        ("namespace_", c_char_p),
        ("routes", POINTER(c_char_p)),
        ("route_count", c_size_t),
        ("gateways", POINTER(c_char_p)),
        ("gateway_count", c_size_t),
        ("advice", c_int),
    ]


class EngineStats(Structure):
    """rb_engine_stats; set `size` before rb_engine_get_stats."""

    _fields_ = [
        ("size", c_uint32),
        ("translations", c_uint64),
        ("full_translations", c_uint64),
        ("routes_translated", c_uint64),
        ("routes", c_uint64),
    ]


# Error codes (rb_error), limits (rb_limit), formats, modes, presets, flags.
RB_OK = 0
RB_ENOMEM = -1
RB_EINVAL = -2
RB_EPARSE = -3
RB_ELIMIT = -4
RB_EIO = -5
RB_EUNSUPPORTED = -6

RB_INPUT_AUTO, RB_INPUT_YAML, RB_INPUT_JSON = 0, 1, 2
RB_FORMAT_YAML, RB_FORMAT_JSON, RB_FORMAT_PICKLE = 1, 2, 3

_PROTOTYPES = {
    # version.h
    "rb_version_number": (c_int, []),
    "rb_version_string": (c_char_p, []),
    # errors.h
    "rb_strerror": (c_char_p, [c_int]),
    "rb_diag_code": (c_int, [DiagP]),
    "rb_diag_source": (c_char_p, [DiagP]),
    "rb_diag_line": (c_uint32, [DiagP]),
    "rb_diag_column": (c_uint32, [DiagP]),
    "rb_diag_offset": (c_uint64, [DiagP]),
    "rb_diag_path": (c_char_p, [DiagP]),
    "rb_diag_message": (c_char_p, [DiagP]),
    # ctx.h
    "rb_ctx_new": (c_int, [POINTER(CtxP), c_void_p]),
    "rb_ctx_free": (None, [CtxP]),
    "rb_ctx_set_limit": (c_int, [CtxP, c_int, c_uint64]),
    "rb_ctx_get_limit": (c_uint64, [CtxP, c_int]),
    "rb_free": (None, [CtxP, c_void_p]),
    # options.h
    "rb_translate_options_init": (c_int, [POINTER(TranslateOptions), c_size_t]),
    "rb_translate_options_preset": (c_int, [POINTER(TranslateOptions), c_size_t, c_int]),
    "rb_explain_options_init": (c_int, [POINTER(ExplainOptions), c_size_t]),
    # input.h
    "rb_input_new": (c_int, [POINTER(InputP), CtxP]),
    "rb_input_free": (None, [InputP]),
    "rb_input_add_buffer": (c_int, [InputP, c_char_p, c_size_t, c_char_p, c_int]),
    "rb_input_add_file": (c_int, [InputP, c_char_p, c_int]),
    "rb_input_add_config": (c_int, [InputP, c_char_p, c_size_t, c_char_p]),
    "rb_input_add_config_file": (c_int, [InputP, c_char_p]),
    "rb_input_diag_count": (c_size_t, [InputP]),
    "rb_input_diag": (DiagP, [InputP, c_size_t]),
    "rb_input_object_count": (c_size_t, [InputP]),
    "rb_input_set_namespace": (c_int, [InputP, c_char_p]),
    "rb_input_warning_count": (c_size_t, [InputP]),
    "rb_input_warning": (DiagP, [InputP, c_size_t]),
    # result.h, output.h
    "rb_translate": (c_int, [POINTER(ResultP), InputP, POINTER(TranslateOptions)]),
    "rb_result_free": (None, [ResultP]),
    "rb_result_warning_count": (c_size_t, [ResultP]),
    "rb_result_warning": (DiagP, [ResultP, c_size_t]),
    "rb_result_to_buffer": (c_int, [ResultP, c_int, POINTER(c_void_p), POINTER(c_size_t)]),
    # xds.h
    "rb_xds_to_buffer": (c_int, [ResultP, c_int, POINTER(c_void_p), POINTER(c_size_t)]),
    # explain.h
    "rb_explain": (c_int, [POINTER(ExplanationP), InputP, POINTER(TranslateOptions),
                           POINTER(ExplainOptions)]),
    "rb_explanation_free": (None, [ExplanationP]),
    "rb_explanation_to_buffer": (c_int, [ExplanationP, c_int, POINTER(c_void_p), POINTER(c_size_t)]),
    "rb_explanation_what_if_count": (c_size_t, [ExplanationP]),
    "rb_explanation_what_if_found": (c_int, [ExplanationP, c_size_t]),
    # engine.h
    "rb_engine_new": (c_int, [POINTER(EngineP), InputP, POINTER(TranslateOptions)]),
    "rb_engine_free": (None, [EngineP]),
    "rb_engine_apply_buffer": (c_int, [EngineP, c_char_p, c_size_t, c_char_p, c_int]),
    "rb_engine_delete": (c_int, [EngineP, c_char_p, c_char_p, c_char_p]),
    "rb_engine_translate": (c_int, [EngineP, POINTER(ResultP)]),
    "rb_engine_diag_count": (c_size_t, [EngineP]),
    "rb_engine_diag": (DiagP, [EngineP, c_size_t]),
    "rb_engine_get_stats": (c_int, [EngineP, POINTER(EngineStats)]),
    "rb_engine_changes": (c_void_p, [EngineP]),
    "rb_changes_destination_count": (c_size_t, [c_void_p]),
    "rb_changes_destination_change": (c_int, [c_void_p, c_size_t]),
    "rb_changes_destination_key": (c_char_p, [c_void_p, c_size_t]),
    "rb_changes_destination": (c_void_p, [c_void_p, c_size_t]),
    "rb_changes_route_count": (c_size_t, [c_void_p]),
    "rb_changes_route_change": (c_int, [c_void_p, c_size_t]),
    "rb_changes_route_kind": (c_char_p, [c_void_p, c_size_t]),
    "rb_changes_route_namespace": (c_char_p, [c_void_p, c_size_t]),
    "rb_changes_route_name": (c_char_p, [c_void_p, c_size_t]),
    "rb_changes_route_status_count": (c_size_t, [c_void_p, c_size_t]),
    "rb_changes_route_status": (c_void_p, [c_void_p, c_size_t, c_size_t]),
    "rb_changes_to_buffer": (c_int, [CtxP, c_void_p, c_int, POINTER(c_void_p), POINTER(c_size_t)]),
    "rb_destination_to_buffer": (c_int, [CtxP, c_void_p, c_int, POINTER(c_void_p), POINTER(c_size_t)]),
    "rb_route_status_to_buffer": (c_int, [CtxP, c_void_p, c_int, POINTER(c_void_p), POINTER(c_size_t)]),
}


#: The SONAME of the ABI generation this binding is written for.
SONAME = "librebalance.so.%d.%d" % ABI if ABI[0] == 0 else "librebalance.so.%d" % ABI[0]


def _prefix_libdirs() -> List[str]:
    """lib directories of the usual install prefixes, multiarch ones first."""
    multiarch = sysconfig.get_config_var("MULTIARCH") or ""
    dirs = []
    for prefix in (sys.prefix, "/usr/local", "/usr"):
        for sub in ((os.path.join("lib", multiarch),) if multiarch else ()) + ("lib64", "lib"):
            d = os.path.join(prefix, sub)
            if d not in dirs:
                dirs.append(d)
    return dirs


def _candidates() -> List[str]:
    env = os.environ.get("REBALANCE_LIBRARY")
    if env:
        return [env]
    # The SONAME first: the loader finds it through LD_LIBRARY_PATH and
    # ld.so.cache, and it is the generation this binding is written for.
    found = [SONAME]
    found.extend(p for p in (os.path.join(d, SONAME) for d in _prefix_libdirs())
                 if os.path.exists(p))
    name = ctypes.util.find_library("rebalance")
    if name:
        found.append(name)
    here = os.path.dirname(os.path.abspath(__file__))
    found.extend(sorted(glob.glob(os.path.join(here, "librebalance.so*")), reverse=True))
    found.extend(sorted(glob.glob(os.path.join(here, "librebalance*.dylib"))))
    return found


def _load() -> Tuple[ctypes.CDLL, str]:
    tried = []
    for path in _candidates():
        try:
            return ctypes.CDLL(path), path
        except OSError as e:
            tried.append("%s (%s)" % (path, e))
    raise ImportError(
        "rebalance: cannot load librebalance; tried: %s. Set REBALANCE_LIBRARY to the "
        "path of librebalance.so" % ("; ".join(tried) or "nothing found by find_library"))


def check_version(number, abi=ABI):
    """Raise ImportError unless a library of version `number` (major*10000 +
    minor*100 + patch) belongs to the ABI generation `abi`: at 0.x the major and
    minor must both match; from 1.0 the major must match and the minor be at
    least the binding's."""
    major, minor = number // 10000, number // 100 % 100
    if major == abi[0] and (minor == abi[1] if major == 0 else minor >= abi[1]):
        return
    have = "%d.%d.%d" % (major, minor, number % 100)
    want = "%d.%d.x" % abi if abi[0] == 0 else "%d.x (at least %d.%d)" % (abi[0], abi[0], abi[1])
    raise ImportError(
        "rebalance: the loaded librebalance is %s, but this binding is written for the %d.%d "
        "ABI and needs a %s library (another ABI generation); install the binding of your "
        "rebalance release, or point REBALANCE_LIBRARY at a matching librebalance"
        % (have, abi[0], abi[1], want))


lib, path = _load()
# The version first: a library of another generation may lack the other symbols.
try:
    lib.rb_version_number.restype = c_int
    lib.rb_version_number.argtypes = []
except AttributeError:
    raise ImportError("rebalance: %s is not librebalance (no rb_version_number)" % path) from None
check_version(lib.rb_version_number())
for _name, (_restype, _argtypes) in _PROTOTYPES.items():
    try:
        _fn = getattr(lib, _name)
    except AttributeError:
        raise ImportError("rebalance: %s lacks %s; it is not librebalance %d.%d"
                          % (path, _name, ABI[0], ABI[1])) from None
    _fn.restype = _restype
    _fn.argtypes = _argtypes
