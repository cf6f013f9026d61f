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
// Besides the destination IR (Translate, Render), a Translator gives what the
// data plane gets (Xds, RenderXds: `rebalance xds`) and, per rule, what Envoy
// does with each backendRef next to Envoy Gateway as it is (Explain,
// RenderExplain: `rebalance explain -o json`). An Engine keeps a snapshot and
// translates again only what a change touched.
//
// Input problems come back as an ErrorList of *Error, each carrying the file,
// line, column and JSON-pointer path of the offending node; route-level
// problems are data in the Result, never errors.
//
// A Translator is safe for concurrent use by many goroutines: its library
// context is only read once set up, and every call makes its own input and
// result. Close it when done (a finalizer is only a safety net). An Engine
// runs one call at a time (see Engine).
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
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
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

// ErrClosed is returned by the methods of a closed Translator or Engine.
var ErrClosed = errors.New("rebalance: closed")

// ErrNilHandle is returned by the methods of a nil *Translator or *Engine
// (typically the one New or NewEngine returned with an error): they never
// panic. It wraps ErrClosed, so errors.Is(err, ErrClosed) holds too.
var ErrNilHandle = fmt.Errorf("rebalance: nil Translator or Engine: %w", ErrClosed)

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
	// IgnorePolicy: never read BackendTrafficPolicy spec.rebalanceOnNoEndpoints
	// and spec.rebalanceOnNoReadyEndpoints, in any mode; every rule gets the
	// defaults (Options.RebalanceDefault, RebalanceNotReady). Contradicts
	// HonorPolicy (both: ErrInvalid).
	IgnorePolicy Flags = C.RB_OPT_IGNORE_POLICY
	// AssumeSecrets: a listener certificate Secret absent from the input
	// counts as valid (a `kubectl get` dump without Secrets).
	AssumeSecrets Flags = C.RB_OPT_ASSUME_SECRETS
)

const knownFlags = DisableBackendAPI | RunningOnHost | RebalanceNotReady | HonorPolicy |
	GatewayNamespaceMode | IgnorePolicy | AssumeSecrets

// KnobDefault is the zero-endpoint exclusion (BackendTrafficPolicy
// spec.rebalanceOnNoEndpoints) of the rules no policy decides
// (rb_knob_default).
type KnobDefault uint32

const (
	// KnobDefaultMode: the mode decides (on in ModeRebalance, off in
	// ModeCompatEnvoyGateway). The zero value.
	KnobDefaultMode KnobDefault = C.RB_KNOB_DEFAULT_MODE
	// KnobDefaultOff: off unless a policy turns it on.
	KnobDefaultOff KnobDefault = C.RB_KNOB_DEFAULT_OFF
	// KnobDefaultOn: on unless a policy turns it off. With IgnorePolicy, on everywhere.
	KnobDefaultOn KnobDefault = C.RB_KNOB_DEFAULT_ON
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
	Nodes          uint64 // nodes per buffer (default 1048576)
	AliasExpansion uint64 // nodes YAML aliases may add (default 0: aliases rejected)
}

// Options configure a Translator or an Engine. The zero value is the
// library's default: rebalance mode, no flags, the Gateways of the input's
// GatewayClasses of Envoy Gateway's controller (else of class
// "envoy-gateway-class"), the mode's zero-endpoint exclusion, no
// configuration document. New and NewEngine copy what they need.
type Options struct {
	Mode  Mode
	Flags Flags
	// Which Gateways are ours: those of the input's GatewayClasses whose
	// controllerName is ControllerName ("" means Envoy Gateway's), plus those
	// of GatewayClass and GatewayClasses. With none, "envoy-gateway-class",
	// and a warning (Warnings) names the classes the Gateways use.
	GatewayClass   string
	GatewayClasses []string
	ControllerName string
	// Namespace is the namespace of namespaced manifest objects without
	// metadata.namespace, as `kubectl apply -n` gives them ("" means
	// "default"); not used by the Envoy Gateway testdata layout.
	Namespace string
	Limits    Limits
	// RebalanceDefault is the zero-endpoint exclusion where no
	// BackendTrafficPolicy decides; KnobDefaultMode (zero) lets the mode decide.
	RebalanceDefault KnobDefault
	// Config is an EnvoyGateway configuration document read into every
	// translation, as `rebalance --config FILE` does; nil for none.
	Config *Config
}

// Config is an Envoy Gateway configuration document (apiVersion
// gateway.envoyproxy.io/v1alpha1, kind EnvoyGateway; rb_input_add_config).
// What of it changes destinations: extensionApis.enableBackend (Backend
// resources are usable only when true; without a document they are usable)
// and extensionManager.resources / backendResources (backendRefs to those
// kinds are custom backends).
//
// New and NewEngine read it once to check it: a document the library refuses
// makes them fail with an ErrorList of *Error (file, line, column, path), as
// an unusable input does. Data is copied there; a Path is read again by every
// call, like TranslateFiles' files.
type Config struct {
	Name string // the name in diagnostics; "" means "<config>"
	Data []byte // the document (YAML or JSON)
	Path string // instead of Data: a file the library reads; the path is the name
}

// PresetOptions returns the options of a preset (rb_translate_options_preset).
func PresetOptions(p Preset) (Options, error) {
	var o C.rb_translate_options
	if rc := C.rb_translate_options_preset(&o, C.size_t(unsafe.Sizeof(o)), C.rb_preset(p)); rc != C.RB_OK {
		return Options{}, fmt.Errorf("rebalance: preset %d: %w", int(p), Code(rc))
	}
	return Options{Mode: Mode(o.mode), Flags: Flags(o.flags), RebalanceDefault: KnobDefault(o.rebalance_default)}, nil
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

// Source is one input of a call: an Input (a buffer) or a File (read by the
// library). Sources merge in order, as the CLI's FILE arguments do.
type Source interface {
	// addTo adds the source to in; failed reports a refusal recorded as a
	// diagnostic of in, err a problem of the arguments.
	addTo(in *C.rb_input) (failed bool, err error)
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

func (x Input) addTo(in *C.rb_input) (bool, error) {
	f, ok := x.Format.input()
	if !ok {
		return false, fmt.Errorf("rebalance: input %q: format %d: %w", x.Name, int(x.Format), ErrInvalid)
	}
	rc := addBuffer(in, x.Name, x.Data, f)
	if rc == C.RB_EINVAL {
		return false, fmt.Errorf("rebalance: input %q: %w", x.Name, Code(rc))
	}
	return rc != C.RB_OK, nil
}

func (x File) addTo(in *C.rb_input) (bool, error) {
	f, ok := x.Format.input()
	if !ok {
		return false, fmt.Errorf("rebalance: file %q: format %d: %w", x.Path, int(x.Format), ErrInvalid)
	}
	path := C.CString(x.Path)
	rc := C.rb_input_add_file(in, path, f)
	C.free(unsafe.Pointer(path))
	return rc != C.RB_OK, nil
}

// add adds the configuration document (rb_input_add_config[_file]). It is
// not named addTo: a Config belongs in Options, it is not a Source.
func (c *Config) add(in *C.rb_input) (bool, error) {
	if c.Path != "" {
		path := C.CString(c.Path)
		rc := C.rb_input_add_config_file(in, path)
		C.free(unsafe.Pointer(path))
		return rc != C.RB_OK, nil
	}
	var p unsafe.Pointer
	if len(c.Data) > 0 {
		p = unsafe.Pointer(&c.Data[0])
	}
	var name *C.char
	if c.Name != "" {
		name = C.CString(c.Name)
		defer C.free(unsafe.Pointer(name))
	}
	rc := C.rb_input_add_config(in, p, C.size_t(len(c.Data)), name)
	runtime.KeepAlive(c)
	if rc == C.RB_EINVAL {
		return false, fmt.Errorf("rebalance: config %q: %w", c.Name, Code(rc))
	}
	return rc != C.RB_OK, nil
}

func inputSources(inputs []Input) []Source {
	s := make([]Source, len(inputs))
	for i, x := range inputs {
		s[i] = x
	}
	return s
}

func fileSources(files []File) []Source {
	s := make([]Source, len(files))
	for i, x := range files {
		s[i] = x
	}
	return s
}

// Translator holds one library context (allocator and limits), the
// translation options and the configuration document. It is safe for
// concurrent use; Close waits for calls in flight.
type Translator struct {
	mu     sync.RWMutex // read: calls in flight; write: Close
	ctx    *C.rb_ctx
	opts   *C.rb_translate_options // C memory, read-only once set up
	class  *cStrings               // the C strings opts points to
	ns     *C.char                 // Options.Namespace in C memory, or nil
	config *Config                 // a private copy, read-only; or nil
}

var limitIDs = [...]C.rb_limit{
	C.RB_LIMIT_INPUT_BYTES, C.RB_LIMIT_DOCUMENTS, C.RB_LIMIT_DEPTH,
	C.RB_LIMIT_SCALAR_BYTES, C.RB_LIMIT_NODES, C.RB_LIMIT_ALIAS_EXPANSION,
}

// check validates the options that the library would only refuse later.
func (o *Options) check() error {
	if versionErr != nil {
		return versionErr
	}
	if o.Mode != ModeRebalance && o.Mode != ModeCompatEnvoyGateway {
		return fmt.Errorf("rebalance: unknown mode %d: %w", uint32(o.Mode), ErrInvalid)
	}
	if o.Flags&^knownFlags != 0 {
		return fmt.Errorf("rebalance: unknown flags %#x: %w", uint32(o.Flags&^knownFlags), ErrInvalid)
	}
	if o.Flags&HonorPolicy != 0 && o.Flags&IgnorePolicy != 0 {
		return fmt.Errorf("rebalance: HonorPolicy and IgnorePolicy contradict each other: %w", ErrInvalid)
	}
	if o.RebalanceDefault > KnobDefaultOn {
		return fmt.Errorf("rebalance: unknown RebalanceDefault %d: %w", uint32(o.RebalanceDefault), ErrInvalid)
	}
	if c := o.Config; c != nil && c.Path != "" && (c.Data != nil || c.Name != "") {
		return fmt.Errorf("rebalance: Config: Path and Data (or Name) are exclusive: %w", ErrInvalid)
	}
	return nil
}

// newCtx makes a context with the limits set.
func newCtx(l Limits) (*C.rb_ctx, error) {
	var ctx *C.rb_ctx
	if rc := C.rb_ctx_new(&ctx, nil); rc != C.RB_OK {
		return nil, fmt.Errorf("rebalance: new context: %w", Code(rc))
	}
	values := [...]uint64{l.InputBytes, l.Documents, l.Depth, l.ScalarBytes, l.Nodes, l.AliasExpansion}
	for i, v := range values {
		if v == 0 {
			continue
		}
		if rc := C.rb_ctx_set_limit(ctx, limitIDs[i], C.uint64_t(v)); rc != C.RB_OK {
			C.rb_ctx_free(ctx)
			return nil, fmt.Errorf("rebalance: limit %d: %w", int(limitIDs[i]), Code(rc))
		}
	}
	return ctx, nil
}

// cStrings is the C memory the C options point to.
type cStrings struct {
	strs    []*C.char
	classes **C.char // C array of gateway_class_count pointers, or nil
}

func (c *cStrings) str(s string) *C.char {
	p := C.CString(s)
	c.strs = append(c.strs, p)
	return p
}

// newCOptions makes the C options (C memory, so that C may keep reading
// them); free them with freeCOptions.
func newCOptions(o *Options) (*C.rb_translate_options, *cStrings, error) {
	opts := (*C.rb_translate_options)(C.calloc(1, C.sizeof_rb_translate_options))
	if opts == nil {
		return nil, nil, fmt.Errorf("rebalance: options: %w", ErrNoMemory)
	}
	C.rb_translate_options_init(opts, C.size_t(unsafe.Sizeof(*opts)))
	opts.mode = C.uint32_t(o.Mode)
	opts.flags = C.uint32_t(o.Flags)
	opts.rebalance_default = C.uint32_t(o.RebalanceDefault)
	c := &cStrings{}
	if o.GatewayClass != "" {
		opts.gateway_class = c.str(o.GatewayClass)
	}
	if o.ControllerName != "" {
		opts.controller_name = c.str(o.ControllerName)
	}
	if n := len(o.GatewayClasses); n > 0 {
		c.classes = (**C.char)(C.calloc(C.size_t(n), C.size_t(unsafe.Sizeof((*C.char)(nil)))))
		if c.classes == nil {
			freeCOptions(opts, c)
			return nil, nil, fmt.Errorf("rebalance: options: %w", ErrNoMemory)
		}
		arr := unsafe.Slice(c.classes, n)
		for i, name := range o.GatewayClasses {
			arr[i] = c.str(name)
		}
		opts.gateway_classes = c.classes
		opts.gateway_class_count = C.size_t(n)
	}
	return opts, c, nil
}

func freeCOptions(opts *C.rb_translate_options, c *cStrings) {
	C.free(unsafe.Pointer(opts))
	if c == nil {
		return
	}
	for _, s := range c.strs {
		C.free(unsafe.Pointer(s))
	}
	C.free(unsafe.Pointer(c.classes))
}

// checkConfig copies the configuration document and reads it once into a
// scratch input, so that a document the library refuses fails New (or
// NewEngine) with its diagnostics.
func checkConfig(ctx *C.rb_ctx, c *Config) (*Config, error) {
	if c == nil {
		return nil, nil
	}
	own := &Config{Name: c.Name, Path: c.Path}
	if c.Path == "" {
		own.Data = append([]byte{}, c.Data...)
	}
	in, err := newInput(ctx, own, nil, nil)
	if err != nil {
		return nil, err
	}
	C.rb_input_free(in)
	return own, nil
}

// New creates a Translator. It fails with ErrVersionMismatch when the
// loaded library belongs to another ABI generation, with ErrInvalid for an
// unknown mode, flag or knob default or contradicting flags, and with the
// ErrorList of the configuration document when the library refuses it.
func New(o Options) (*Translator, error) {
	if err := o.check(); err != nil {
		return nil, err
	}
	t := &Translator{}
	var err error
	if t.ctx, err = newCtx(o.Limits); err != nil {
		return nil, err
	}
	if t.opts, t.class, err = newCOptions(&o); err != nil {
		t.free()
		return nil, err
	}
	if o.Namespace != "" {
		t.ns = C.CString(o.Namespace)
	}
	if t.config, err = checkConfig(t.ctx, o.Config); err != nil {
		t.free()
		return nil, err
	}
	runtime.SetFinalizer(t, (*Translator).Close)
	return t, nil
}

func (t *Translator) free() {
	C.rb_ctx_free(t.ctx) // NULL is a no-op
	freeCOptions(t.opts, t.class)
	C.free(unsafe.Pointer(t.ns))
	t.ctx, t.opts, t.class, t.config, t.ns = nil, nil, nil, nil, nil
}

// Close frees the library context. It waits for calls in flight, is
// idempotent, and returns nil (ErrNilHandle for a nil Translator). Later
// calls return ErrClosed.
func (t *Translator) Close() error {
	if t == nil {
		return ErrNilHandle
	}
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
	return t.TranslateContext(context.Background(), inputSources(inputs)...)
}

// TranslateContext translates the sources (Inputs and Files, mixed, in
// order) as one input, and gives up with ctx.Err() when ctx is done. The
// library's translation itself cannot be interrupted: ctx is checked between
// the steps -- before reading the sources, after reading them, after the
// translation, after the serialization and before decoding -- so a cancelled
// call returns at the end of the step in flight and frees everything.
func (t *Translator) TranslateContext(ctx context.Context, sources ...Source) (*Result, error) {
	raw, err := t.translate(ctx, sources, viewResult, FormatJSON)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return decodeResult(raw)
}

// RenderContext is Render for any sources, with ctx checked between steps
// as TranslateContext does.
func (t *Translator) RenderContext(ctx context.Context, format Format, sources ...Source) ([]byte, error) {
	return t.translate(ctx, sources, viewResult, format)
}

// TranslateFiles reads and translates files as one input; diagnostics name
// the paths as given.
func (t *Translator) TranslateFiles(paths ...string) (*Result, error) {
	files := make([]File, len(paths))
	for i, p := range paths {
		files[i].Path = p
	}
	return t.TranslateContext(context.Background(), fileSources(files)...)
}

// Render translates buffers and returns the library's serialization of the
// result in format (FormatYAML or FormatJSON), byte for byte what
// `rebalance translate -o yaml|json` prints.
func (t *Translator) Render(format Format, inputs ...Input) ([]byte, error) {
	return t.translate(context.Background(), inputSources(inputs), viewResult, format)
}

// RenderFiles is Render for files.
func (t *Translator) RenderFiles(format Format, files ...File) ([]byte, error) {
	return t.translate(context.Background(), fileSources(files), viewResult, format)
}

// Xds translates the sources and returns, per destination, the Envoy v3
// configuration Envoy Gateway derives from it (include/rebalance/xds.h):
// what `rebalance xds` prints, decoded.
func (t *Translator) Xds(sources ...Source) (*Xds, error) {
	raw, err := t.translate(context.Background(), sources, viewXds, FormatJSON)
	if err != nil {
		return nil, err
	}
	return decodeXds(raw)
}

// RenderXds is Xds as the library's serialization in format (FormatJSON or
// FormatYAML), byte for byte what `rebalance xds -o json|yaml` prints.
func (t *Translator) RenderXds(format Format, sources ...Source) ([]byte, error) {
	return t.translate(context.Background(), sources, viewXds, format)
}

// Explain translates the sources twice -- as Envoy Gateway does (the
// compat preset, keeping only the environment flags and the gateway class)
// and with the Translator's options -- and tells per rule what Envoy does
// with each backendRef on both sides: what `rebalance explain -o json`
// prints, decoded (docs/explain.md).
//
// Each whatIf target, "NAMESPACE/SERVICE", is a Service scaled to zero
// first, on both sides (its EndpointSlices kept, emptied). A malformed
// target is an ErrInvalid error; a Service that is not in the input is not
// an error, but its WhatIf entry has Found false (the CLI refuses it, since a
// typo leaves nothing to scale).
func (t *Translator) Explain(sources []Source, whatIf ...string) (*Explanation, error) {
	raw, err := t.explain(sources, whatIf, FormatJSON)
	if err != nil {
		return nil, err
	}
	return decodeExplanation(raw)
}

// RenderExplain is Explain as the library's serialization in format
// (FormatJSON or FormatYAML), byte for byte what `rebalance explain -o
// json|yaml` prints.
func (t *Translator) RenderExplain(format Format, sources []Source, whatIf ...string) ([]byte, error) {
	return t.explain(sources, whatIf, format)
}

// view names a serialization of a result.
type view int

const (
	viewResult view = iota // rb_result_to_buffer
	viewXds                // rb_xds_to_buffer
)

// withInput makes one rb_input holding the configuration document and the
// sources, gives it to f, and frees it; the context stays alive meanwhile.
// A done ctx stops it before and after reading the sources.
func (t *Translator) withInput(ctx context.Context, sources []Source, f func(in *C.rb_input) ([]byte, error)) ([]byte, error) {
	if t == nil {
		return nil, ErrNilHandle
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	if t.ctx == nil {
		return nil, ErrClosed
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	in, err := newInput(t.ctx, t.config, t.ns, sources)
	if err != nil {
		return nil, err
	}
	defer C.rb_input_free(in)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out, err := f(in)
	runtime.KeepAlive(t)
	return out, err
}

// translate: one rb_input, one rb_translate, one serialization copied into
// Go memory, ctx checked between them. Everything C-side is freed before
// returning.
func (t *Translator) translate(ctx context.Context, sources []Source, v view, format Format) ([]byte, error) {
	outFormat, ok := format.output()
	if !ok {
		return nil, fmt.Errorf("rebalance: output format %d: %w", int(format), ErrInvalid)
	}
	return t.withInput(ctx, sources, func(in *C.rb_input) ([]byte, error) {
		var res *C.rb_result
		if rc := C.rb_translate(&res, in, t.opts); rc != C.RB_OK {
			return nil, fmt.Errorf("rebalance: translate: %w", Code(rc))
		}
		defer C.rb_result_free(res)
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		return serialize(t.ctx, res, v, outFormat)
	})
}

// serialize copies a view of a result (owned or borrowed) into Go memory.
func serialize(ctx *C.rb_ctx, res *C.rb_result, v view, f C.rb_format) ([]byte, error) {
	var buf *C.char
	var n C.size_t
	var rc C.int
	if v == viewXds {
		rc = C.rb_xds_to_buffer(res, f, &buf, &n)
	} else {
		rc = C.rb_result_to_buffer(res, f, &buf, &n)
	}
	if rc != C.RB_OK {
		return nil, fmt.Errorf("rebalance: serialize: %w", Code(rc))
	}
	return takeBuffer(ctx, buf, n), nil
}

// takeBuffer copies a buffer the library allocated and frees it.
func takeBuffer(ctx *C.rb_ctx, buf *C.char, n C.size_t) []byte {
	out := make([]byte, int(n))
	copy(out, unsafe.Slice((*byte)(unsafe.Pointer(buf)), int(n)))
	C.rb_free(ctx, unsafe.Pointer(buf))
	return out
}

// checkTarget applies the library's rule for a what-if target (one '/',
// text on both sides), so that the error can name the target.
func checkTarget(s string) error {
	i := strings.IndexByte(s, '/')
	if i <= 0 || i == len(s)-1 || strings.IndexByte(s[i+1:], '/') >= 0 || strings.IndexByte(s, 0) >= 0 {
		return fmt.Errorf("rebalance: what-if %q: expected NAMESPACE/SERVICE: %w", s, ErrInvalid)
	}
	return nil
}

// explain: one rb_input, one rb_explain, one serialization.
func (t *Translator) explain(sources []Source, whatIf []string, format Format) ([]byte, error) {
	outFormat, ok := format.output()
	if !ok {
		return nil, fmt.Errorf("rebalance: output format %d: %w", int(format), ErrInvalid)
	}
	for _, w := range whatIf {
		if err := checkTarget(w); err != nil {
			return nil, err
		}
	}
	return t.withInput(context.Background(), sources, func(in *C.rb_input) ([]byte, error) {
		// The options struct is Go memory holding C pointers only; the
		// targets are C strings, copied by rb_explain.
		var eo C.rb_explain_options
		C.rb_explain_options_init(&eo, C.size_t(unsafe.Sizeof(eo)))
		eo.advice = 1 // as `rebalance explain`: the advice is part of the document
		if len(whatIf) > 0 {
			arr := (**C.char)(C.calloc(C.size_t(len(whatIf)), C.size_t(unsafe.Sizeof((*C.char)(nil)))))
			if arr == nil {
				return nil, fmt.Errorf("rebalance: explain: %w", ErrNoMemory)
			}
			targets := unsafe.Slice(arr, len(whatIf))
			defer func() {
				for _, p := range targets {
					C.free(unsafe.Pointer(p))
				}
				C.free(unsafe.Pointer(arr))
			}()
			for i, w := range whatIf {
				targets[i] = C.CString(w)
			}
			eo.what_if = arr
			eo.what_if_count = C.size_t(len(whatIf))
		}
		var ex *C.rb_explanation
		if rc := C.rb_explain(&ex, in, t.opts, &eo); rc != C.RB_OK {
			return nil, fmt.Errorf("rebalance: explain: %w", Code(rc))
		}
		defer C.rb_explanation_free(ex)
		var buf *C.char
		var n C.size_t
		if rc := C.rb_explanation_to_buffer(ex, outFormat, &buf, &n); rc != C.RB_OK {
			return nil, fmt.Errorf("rebalance: serialize: %w", Code(rc))
		}
		return takeBuffer(t.ctx, buf, n), nil
	})
}

// newInput makes an rb_input holding the configuration document (when not
// nil) and the sources, in order. Every source is tried, so that the
// ErrorList names every unusable one; on failure nothing is left allocated.
func newInput(ctx *C.rb_ctx, config *Config, ns *C.char, sources []Source) (*C.rb_input, error) {
	var in *C.rb_input
	if rc := C.rb_input_new(&in, ctx); rc != C.RB_OK {
		return nil, fmt.Errorf("rebalance: new input: %w", Code(rc))
	}
	if ns != nil {
		if rc := C.rb_input_set_namespace(in, ns); rc != C.RB_OK {
			C.rb_input_free(in)
			return nil, fmt.Errorf("rebalance: namespace: %w", Code(rc))
		}
	}
	failed := false
	if config != nil {
		bad, err := config.add(in)
		if err != nil {
			C.rb_input_free(in)
			return nil, err
		}
		failed = bad
	}
	for _, s := range sources {
		if s == nil {
			C.rb_input_free(in)
			return nil, fmt.Errorf("rebalance: nil Source: %w", ErrInvalid)
		}
		bad, err := s.addTo(in)
		if err != nil {
			C.rb_input_free(in)
			return nil, err
		}
		failed = failed || bad
	}
	if failed {
		err := diagList(int(C.rb_input_diag_count(in)), func(i int) *C.rb_diag {
			return C.rb_input_diag(in, C.size_t(i))
		})
		C.rb_input_free(in)
		return nil, err
	}
	return in, nil
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

// diagList copies n diagnostic records (of an input or an engine) into Go
// values, before their owner frees them.
func diagList(n int, at func(i int) *C.rb_diag) error {
	list := make(ErrorList, 0, n)
	for i := 0; i < n; i++ {
		d := at(i)
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
