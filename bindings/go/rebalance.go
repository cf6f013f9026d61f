// Package rebalance binds librebalance, which computes, per Gateway API route
// rule, the destination IR Envoy Gateway's translator computes and, by
// default, rebalances the share of backendRefs without endpoints onto their
// healthy peers.
//
//	t, err := rebalance.New(rebalance.Options{})
//	if err != nil { ... }
//	defer t.Close()
//	res, err := t.Translate(manifests)
//	for _, d := range res.Destinations { ... d.Settings, d.Excluded, d.BackendWeights ... }
//
// Input problems come back as an ErrorList of *Error, each carrying the file,
// line, column and JSON-pointer path of the offending node; route-level
// problems are data in the Result, never errors.
//
// A Translator is safe for concurrent use by many goroutines: its library
// context is only read once set up, and every call makes its own input and
// result. Close it when done (a finalizer is only a safety net).
//
// Linking: `#cgo pkg-config: rebalance` (the shared library); build with
// `-tags rebalance_static` to link the static library and its dependencies.
package rebalance

/*
#include <stdlib.h>
#include <rebalance/rebalance.h>

// The compile-time gate: this binding is written against the 0.1 ABI. At 0.x
// every minor may change the ABI (the SONAME is librebalance.so.0.<minor>).
#if !defined(RB_VERSION_MAJOR) || RB_VERSION_MAJOR != 0 || RB_VERSION_MINOR != 1
#error "rebalance Go binding: these headers are not rebalance 0.1.x (ABI 0.1); use the binding of your rebalance release"
#endif

enum { RBGO_HEADER_VERSION = RB_VERSION_NUMBER };
*/
import "C"

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"unsafe"
)

// HeaderVersion is the RB_VERSION_NUMBER (major*10000 + minor*100 + patch)
// of the headers this package was compiled against.
const HeaderVersion = int(C.RBGO_HEADER_VERSION)

// Version returns the version string of the loaded library, e.g. "0.1.0".
func Version() string { return C.GoString(C.rb_version_string()) }

// VersionNumber returns the version of the loaded library in
// RB_VERSION_NUMBER's encoding (major*10000 + minor*100 + patch).
func VersionNumber() int { return int(C.rb_version_number()) }

// ErrVersionMismatch is returned (wrapped) by New and CheckVersion when the
// loaded library belongs to another ABI generation than the headers.
var ErrVersionMismatch = errors.New("rebalance: library version mismatch")

// ErrClosed is returned by the methods of a closed Translator.
var ErrClosed = errors.New("rebalance: translator is closed")

// versionErr is computed once, when the package is initialised.
var versionErr = checkVersion(HeaderVersion, VersionNumber())

// CheckVersion reports whether the loaded library can be used with the
// headers this package was compiled against: while at 0.x, the major and
// minor must both match; from 1.0, the major must match and the library must
// be at least as new as the headers. New calls it; it never panics.
func CheckVersion() error { return versionErr }

func versionString(n int) string {
	return fmt.Sprintf("%d.%d.%d", n/10000, n/100%100, n%100)
}

func checkVersion(header, library int) error {
	hMajor, hMinor := header/10000, header/100%100
	lMajor, lMinor := library/10000, library/100%100
	ok := hMajor == lMajor && (hMajor == 0 && hMinor == lMinor || hMajor > 0 && library >= header)
	if ok {
		return nil
	}
	want := fmt.Sprintf("%d.x (at least %s)", hMajor, versionString(header))
	if hMajor == 0 {
		want = fmt.Sprintf("%d.%d.x", hMajor, hMinor)
	}
	return fmt.Errorf("%w: the loaded librebalance is %s, but this binding was built against the %s headers and needs a %s library (another ABI generation); rebuild the binding against the installed library or install a matching librebalance",
		ErrVersionMismatch, versionString(library), versionString(header), want)
}

// Mode selects the translation rules (rb_mode).
type Mode uint32

const (
	// ModeRebalance is the default: backendRefs without endpoints are
	// excluded and their peers take their share (Envoy Gateway PR 9075).
	ModeRebalance Mode = C.RB_MODE_REBALANCE
	// ModeCompatEnvoyGateway reproduces Envoy Gateway exactly.
	ModeCompatEnvoyGateway Mode = C.RB_MODE_COMPAT_ENVOY_GATEWAY
)

// Flags are option bits (RB_OPT_*).
type Flags uint32

const (
	// DisableBackendAPI: Envoy Gateway's BackendEnabled=false.
	DisableBackendAPI Flags = C.RB_OPT_DISABLE_BACKEND_API
	// RunningOnHost: Envoy Gateway's RunningOnHost=true.
	RunningOnHost Flags = C.RB_OPT_RUNNING_ON_HOST
	// RebalanceNotReady also excludes backendRefs whose endpoints are all draining.
	RebalanceNotReady Flags = C.RB_OPT_REBALANCE_NOT_READY
	// HonorPolicy: in compat mode, honour BackendTrafficPolicy spec.rebalanceOnNoEndpoints.
	HonorPolicy Flags = C.RB_OPT_HONOR_POLICY
	// GatewayNamespaceMode: Envoy Gateway's GatewayNamespaceMode (reserved).
	GatewayNamespaceMode Flags = C.RB_OPT_GATEWAY_NAMESPACE_MODE
)

// Preset names a set of options (rb_preset).
type Preset int

const (
	PresetRebalance    Preset = C.RB_PRESET_REBALANCE
	PresetEnvoyGateway Preset = C.RB_PRESET_ENVOY_GATEWAY
)

// Limits bound what one input buffer may hold (rb_limit). A zero field keeps
// the library's default; AliasExpansion 0 (the default) rejects YAML aliases.
type Limits struct {
	InputBytes     uint64 // bytes per buffer or file (default 64 MiB)
	Documents      uint64 // YAML documents per buffer (default 100000)
	Depth          uint64 // nesting depth (default 64)
	ScalarBytes    uint64 // bytes of one scalar or key (default 1 MiB)
	Nodes          uint64 // nodes per buffer (default 16777216)
	AliasExpansion uint64 // nodes YAML aliases may add (default 0: aliases rejected)
}

// Options configure a Translator. The zero value is the library's default:
// rebalance mode, no flags, GatewayClass "envoy-gateway-class".
type Options struct {
	Mode         Mode
	Flags        Flags
	GatewayClass string // "" means "envoy-gateway-class"
	Limits       Limits
}

// PresetOptions returns the options of a preset (rb_translate_options_preset).
func PresetOptions(p Preset) (Options, error) {
	var o C.rb_translate_options
	if rc := C.rb_translate_options_preset(&o, C.size_t(unsafe.Sizeof(o)), C.rb_preset(p)); rc != C.RB_OK {
		return Options{}, fmt.Errorf("rebalance: preset %d: %w", int(p), Code(rc))
	}
	return Options{Mode: Mode(o.mode), Flags: Flags(o.flags)}, nil
}

// Format is an input or output format.
type Format int

const (
	// FormatAuto (input only): JSON when the first non-blank byte is `{` or
	// `[`, YAML otherwise; files ending in .json are JSON.
	FormatAuto Format = 0
	FormatYAML Format = 1
	FormatJSON Format = 2
)

func (f Format) input() (C.rb_input_format, bool) {
	switch f {
	case FormatAuto:
		return C.RB_INPUT_AUTO, true
	case FormatYAML:
		return C.RB_INPUT_YAML, true
	case FormatJSON:
		return C.RB_INPUT_JSON, true
	}
	return 0, false
}

func (f Format) output() (C.rb_format, bool) {
	switch f {
	case FormatYAML:
		return C.RB_FORMAT_YAML, true
	case FormatJSON:
		return C.RB_FORMAT_JSON, true
	}
	return 0, false
}

// Input is one named buffer. Name appears in diagnostics; "" means
// "<buffer>". The library does not keep Data after the call.
type Input struct {
	Name   string
	Data   []byte
	Format Format
}

// File names an input file to be read by the library.
type File struct {
	Path   string
	Format Format
}

// Translator holds one library context (allocator and limits) and the
// translation options. It is safe for concurrent use; Close waits for calls
// in flight.
type Translator struct {
	mu    sync.RWMutex // read: calls in flight; write: Close
	ctx   *C.rb_ctx
	opts  *C.rb_translate_options // C memory, read-only once set up
	class *C.char                 // C memory, or nil
}

var limitIDs = [...]C.rb_limit{
	C.RB_LIMIT_INPUT_BYTES, C.RB_LIMIT_DOCUMENTS, C.RB_LIMIT_DEPTH,
	C.RB_LIMIT_SCALAR_BYTES, C.RB_LIMIT_NODES, C.RB_LIMIT_ALIAS_EXPANSION,
}

// New creates a Translator. It fails with ErrVersionMismatch when the
// loaded library belongs to another ABI generation, and with ErrInvalid for
// an unknown mode or flag.
func New(o Options) (*Translator, error) {
	if versionErr != nil {
		return nil, versionErr
	}
	if o.Mode != ModeRebalance && o.Mode != ModeCompatEnvoyGateway {
		return nil, fmt.Errorf("rebalance: unknown mode %d: %w", uint32(o.Mode), ErrInvalid)
	}
	known := DisableBackendAPI | RunningOnHost | RebalanceNotReady | HonorPolicy | GatewayNamespaceMode
	if o.Flags&^known != 0 {
		return nil, fmt.Errorf("rebalance: unknown flags %#x: %w", uint32(o.Flags&^known), ErrInvalid)
	}
	t := &Translator{}
	if rc := C.rb_ctx_new(&t.ctx, nil); rc != C.RB_OK {
		return nil, fmt.Errorf("rebalance: new context: %w", Code(rc))
	}
	l := o.Limits
	values := [...]uint64{l.InputBytes, l.Documents, l.Depth, l.ScalarBytes, l.Nodes, l.AliasExpansion}
	for i, v := range values {
		if v == 0 {
			continue
		}
		if rc := C.rb_ctx_set_limit(t.ctx, limitIDs[i], C.uint64_t(v)); rc != C.RB_OK {
			t.free()
			return nil, fmt.Errorf("rebalance: limit %d: %w", int(limitIDs[i]), Code(rc))
		}
	}
	t.opts = (*C.rb_translate_options)(C.calloc(1, C.sizeof_rb_translate_options))
	if t.opts == nil {
		t.free()
		return nil, fmt.Errorf("rebalance: options: %w", ErrNoMemory)
	}
	C.rb_translate_options_init(t.opts, C.size_t(unsafe.Sizeof(*t.opts)))
	t.opts.mode = C.uint32_t(o.Mode)
	t.opts.flags = C.uint32_t(o.Flags)
	if o.GatewayClass != "" {
		t.class = C.CString(o.GatewayClass)
		t.opts.gateway_class = t.class
	}
	runtime.SetFinalizer(t, (*Translator).Close)
	return t, nil
}

func (t *Translator) free() {
	C.rb_ctx_free(t.ctx) // NULL is a no-op
	C.free(unsafe.Pointer(t.opts))
	C.free(unsafe.Pointer(t.class))
	t.ctx, t.opts, t.class = nil, nil, nil
}

// Close frees the library context. It waits for calls in flight, is
// idempotent, and always returns nil. Later calls return ErrClosed.
func (t *Translator) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.ctx != nil {
		t.free()
		runtime.SetFinalizer(t, nil)
	}
	return nil
}

// Translate translates the buffers as one input (resources merge in order).
// Diagnostics name a single buffer "<buffer>", several "<buffer 1>",
// "<buffer 2>"...; use TranslateInputs to name them.
func (t *Translator) Translate(inputs ...[]byte) (*Result, error) {
	named := make([]Input, len(inputs))
	for i, data := range inputs {
		named[i].Data = data
		if len(inputs) > 1 {
			named[i].Name = fmt.Sprintf("<buffer %d>", i+1)
		}
	}
	return t.TranslateInputs(named...)
}

// TranslateInputs translates named buffers as one input.
func (t *Translator) TranslateInputs(inputs ...Input) (*Result, error) {
	raw, err := t.run(inputs, nil, FormatJSON)
	if err != nil {
		return nil, err
	}
	return decodeResult(raw)
}

// TranslateFiles reads and translates files as one input; diagnostics name
// the paths as given.
func (t *Translator) TranslateFiles(paths ...string) (*Result, error) {
	files := make([]File, len(paths))
	for i, p := range paths {
		files[i].Path = p
	}
	raw, err := t.run(nil, files, FormatJSON)
	if err != nil {
		return nil, err
	}
	return decodeResult(raw)
}

// Render translates buffers and returns the library's serialization of the
// result in format (FormatYAML or FormatJSON), byte for byte what
// `rebalance translate -o yaml|json` prints.
func (t *Translator) Render(format Format, inputs ...Input) ([]byte, error) {
	return t.run(inputs, nil, format)
}

// RenderFiles is Render for files.
func (t *Translator) RenderFiles(format Format, files ...File) ([]byte, error) {
	return t.run(nil, files, format)
}

// run: one rb_input, the buffers and files, one rb_translate, one
// serialization copied into Go memory. Everything C-side is freed before
// returning.
func (t *Translator) run(inputs []Input, files []File, format Format) ([]byte, error) {
	outFormat, ok := format.output()
	if !ok {
		return nil, fmt.Errorf("rebalance: output format %d: %w", int(format), ErrInvalid)
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	if t.ctx == nil {
		return nil, ErrClosed
	}
	var in *C.rb_input
	if rc := C.rb_input_new(&in, t.ctx); rc != C.RB_OK {
		return nil, fmt.Errorf("rebalance: new input: %w", Code(rc))
	}
	defer C.rb_input_free(in)

	failed := false
	for _, x := range inputs {
		f, ok := x.Format.input()
		if !ok {
			return nil, fmt.Errorf("rebalance: input %q: format %d: %w", x.Name, int(x.Format), ErrInvalid)
		}
		if rc := addBuffer(in, x.Name, x.Data, f); rc != C.RB_OK {
			if rc == C.RB_EINVAL {
				return nil, fmt.Errorf("rebalance: input %q: %w", x.Name, Code(rc))
			}
			failed = true
		}
	}
	for _, x := range files {
		f, ok := x.Format.input()
		if !ok {
			return nil, fmt.Errorf("rebalance: file %q: format %d: %w", x.Path, int(x.Format), ErrInvalid)
		}
		path := C.CString(x.Path)
		rc := C.rb_input_add_file(in, path, f)
		C.free(unsafe.Pointer(path))
		if rc != C.RB_OK {
			failed = true
		}
	}
	if failed {
		// Every input has been tried, so the list names every unusable one.
		return nil, diagnostics(in)
	}

	var res *C.rb_result
	if rc := C.rb_translate(&res, in, t.opts); rc != C.RB_OK {
		return nil, fmt.Errorf("rebalance: translate: %w", Code(rc))
	}
	defer C.rb_result_free(res)
	var buf *C.char
	var n C.size_t
	if rc := C.rb_result_to_buffer(res, outFormat, &buf, &n); rc != C.RB_OK {
		return nil, fmt.Errorf("rebalance: serialize: %w", Code(rc))
	}
	out := make([]byte, int(n))
	copy(out, unsafe.Slice((*byte)(unsafe.Pointer(buf)), int(n)))
	C.rb_free(t.ctx, unsafe.Pointer(buf))
	runtime.KeepAlive(t)
	return out, nil
}

// addBuffer passes Go memory to C for the duration of the call only (the
// library does not retain it, and it holds no Go pointers).
func addBuffer(in *C.rb_input, name string, data []byte, f C.rb_input_format) C.int {
	var p unsafe.Pointer
	if len(data) > 0 {
		p = unsafe.Pointer(&data[0])
	}
	var cname *C.char
	if name != "" {
		cname = C.CString(name)
		defer C.free(unsafe.Pointer(cname))
	}
	rc := C.rb_input_add_buffer(in, p, C.size_t(len(data)), cname, f)
	runtime.KeepAlive(data)
	return rc
}

// diagnostics copies the input's diagnostic records into Go values.
func diagnostics(in *C.rb_input) error {
	n := int(C.rb_input_diag_count(in))
	list := make(ErrorList, 0, n)
	for i := 0; i < n; i++ {
		d := C.rb_input_diag(in, C.size_t(i))
		if d == nil {
			continue
		}
		list = append(list, &Error{
			Code:    Code(C.rb_diag_code(d)),
			File:    C.GoString(C.rb_diag_source(d)),
			Line:    int(C.rb_diag_line(d)),
			Column:  int(C.rb_diag_column(d)),
			Offset:  int64(C.rb_diag_offset(d)),
			Path:    C.GoString(C.rb_diag_path(d)),
			Message: C.GoString(C.rb_diag_message(d)),
		})
	}
	if len(list) == 0 {
		return fmt.Errorf("rebalance: input: %w", ErrParse)
	}
	return list
}
