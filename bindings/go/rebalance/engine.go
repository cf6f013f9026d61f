package rebalance

/*
#include <stdlib.h>
#include <rebalance/rebalance.h>
*/
import "C"

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"unsafe"
)

// Engine is the library's incremental engine (include/rebalance/engine.h):
// a snapshot translated once, then changes -- objects added or replaced
// (Apply), deleted (Delete) -- after which Translate translates again only
// the route rules that depend on what changed. At any time its result equals,
// byte for byte, a full translation of the objects it holds, in the order
// engine.h defines: an applied object takes the place of the first object of
// the same kind, namespace and name, or goes last among its kind.
//
// The library's engine is single-threaded. An Engine is NOT meant for
// concurrent use: calls hold a mutex, so goroutines that share one cannot
// corrupt it, but they run one at a time and the order in which their
// changes land is whatever the mutex gives; give each engine one owner.
// Close it when done (a finalizer is only a safety net).
type Engine struct {
	mu  sync.Mutex
	ctx *C.rb_ctx
	in  *C.rb_input // the snapshot, borrowed by the engine: freed after it
	e   *C.rb_engine
}

// EngineStats are the engine's counters.
type EngineStats struct {
	Translations     uint64 // Translate calls that translated something
	FullTranslations uint64 // ... of which everything was translated
	RoutesTranslated uint64 // routes translated by the last Translate
	Routes           uint64 // routes in the snapshot now
}

// NewEngine makes an engine over a snapshot of the sources (and
// o.Config), translated with o. Nothing is translated before the first
// Translate. Unusable sources fail as for Translator calls: an ErrorList.
func NewEngine(o Options, sources ...Source) (*Engine, error) {
	if err := o.check(); err != nil {
		return nil, err
	}
	ctx, err := newCtx(o.Limits)
	if err != nil {
		return nil, err
	}
	en := &Engine{ctx: ctx}
	config, err := checkConfig(ctx, o.Config)
	if err == nil {
		var ns *C.char
		if o.Namespace != "" {
			ns = C.CString(o.Namespace)
			defer C.free(unsafe.Pointer(ns))
		}
		en.in, err = newInput(ctx, config, ns, sources)
	}
	if err != nil {
		en.free()
		return nil, err
	}
	opts, class, err := newCOptions(&o)
	if err != nil {
		en.free()
		return nil, err
	}
	rc := C.rb_engine_new(&en.e, en.in, opts) // copies the options
	freeCOptions(opts, class)
	if rc != C.RB_OK {
		en.free()
		return nil, fmt.Errorf("rebalance: new engine: %w", Code(rc))
	}
	runtime.SetFinalizer(en, (*Engine).Close)
	return en, nil
}

// free: the engine first, then the input it borrows, then the context.
func (en *Engine) free() {
	C.rb_engine_free(en.e)
	C.rb_input_free(en.in)
	C.rb_ctx_free(en.ctx)
	en.e, en.in, en.ctx = nil, nil, nil
}

// Close frees the engine, its snapshot and its context. It is idempotent
// and returns nil (ErrNilHandle for a nil Engine); later calls return
// ErrClosed.
func (en *Engine) Close() error {
	if en == nil {
		return ErrNilHandle
	}
	en.mu.Lock()
	defer en.mu.Unlock()
	if en.ctx != nil {
		en.free()
		runtime.SetFinalizer(en, nil)
	}
	return nil
}

// Apply adds or replaces every object of a buffer (any input layout,
// format detected), named "<buffer>" in diagnostics. A buffer the library
// refuses changes nothing and comes back as an ErrorList. Nothing is
// translated until Translate.
func (en *Engine) Apply(data []byte) error {
	return en.ApplyInput(Input{Data: data})
}

// ApplyInput is Apply with a name and a format.
func (en *Engine) ApplyInput(x Input) error {
	f, ok := x.Format.input()
	if !ok {
		return fmt.Errorf("rebalance: input %q: format %d: %w", x.Name, int(x.Format), ErrInvalid)
	}
	if en == nil {
		return ErrNilHandle
	}
	en.mu.Lock()
	defer en.mu.Unlock()
	if en.e == nil {
		return ErrClosed
	}
	var p unsafe.Pointer
	if len(x.Data) > 0 {
		p = unsafe.Pointer(&x.Data[0])
	}
	var name *C.char
	if x.Name != "" {
		name = C.CString(x.Name)
		defer C.free(unsafe.Pointer(name))
	}
	rc := C.rb_engine_apply_buffer(en.e, p, C.size_t(len(x.Data)), name, f)
	runtime.KeepAlive(x.Data)
	switch rc {
	case C.RB_OK:
		return nil
	case C.RB_EPARSE, C.RB_ELIMIT:
		return diagList(int(C.rb_engine_diag_count(en.e)), func(i int) *C.rb_diag {
			return C.rb_engine_diag(en.e, C.size_t(i))
		})
	}
	// RB_ENOMEM: the buffer may be applied in part; the engine stays
	// consistent and the next Translate translates everything.
	return fmt.Errorf("rebalance: apply %q: %w", x.Name, Code(rc))
}

// Delete removes every object of a kind ("Service", "EndpointSlice",
// "HTTPRoute", "Gateway", ... the manifest kinds the library reads),
// namespace ("" for cluster-scoped objects) and name. Deleting what is not
// there is not an error; an unknown kind is ErrInvalid.
func (en *Engine) Delete(kind, namespace, name string) error {
	if en == nil {
		return ErrNilHandle
	}
	en.mu.Lock()
	defer en.mu.Unlock()
	if en.e == nil {
		return ErrClosed
	}
	ck, cn := C.CString(kind), C.CString(name)
	defer C.free(unsafe.Pointer(ck))
	defer C.free(unsafe.Pointer(cn))
	var cns *C.char
	if namespace != "" {
		cns = C.CString(namespace)
		defer C.free(unsafe.Pointer(cns))
	}
	if rc := C.rb_engine_delete(en.e, ck, cns, cn); rc != C.RB_OK {
		return fmt.Errorf("rebalance: delete %s %s/%s: %w", kind, namespace, name, Code(rc))
	}
	return nil
}

// Translate brings the result up to date (translating again what the
// changes since the last call touched; everything the first time) and
// returns it, decoded. The Result is a copy: later changes leave it alone.
func (en *Engine) Translate() (*Result, error) {
	return en.TranslateContext(context.Background())
}

// TranslateContext is Translate that gives up with ctx.Err() when ctx is
// done. The engine's translation itself cannot be interrupted: ctx is
// checked before it, before the serialization and before decoding. Changes
// already applied stay applied: a cancelled call leaves the engine as
// consistent as a finished one, and the next Translate returns them.
func (en *Engine) TranslateContext(ctx context.Context) (*Result, error) {
	raw, err := en.render(ctx, viewResult, FormatJSON)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return decodeResult(raw)
}

// RenderContext is Render with ctx checked between steps as TranslateContext does.
func (en *Engine) RenderContext(ctx context.Context, format Format) ([]byte, error) {
	return en.render(ctx, viewResult, format)
}

// Render is Translate as the library's serialization in format
// (FormatYAML or FormatJSON): byte for byte what `rebalance translate`
// prints for the objects the engine holds.
func (en *Engine) Render(format Format) ([]byte, error) {
	return en.render(context.Background(), viewResult, format)
}

// Xds is Translate's result as Translator.Xds gives it.
func (en *Engine) Xds() (*Xds, error) {
	raw, err := en.render(context.Background(), viewXds, FormatJSON)
	if err != nil {
		return nil, err
	}
	return decodeXds(raw)
}

// RenderXds is Xds as the library's serialization in format.
func (en *Engine) RenderXds(format Format) ([]byte, error) {
	return en.render(context.Background(), viewXds, format)
}

// render translates and serializes the borrowed result under the lock: it
// is only valid until the next rb_engine_translate, and never freed here.
func (en *Engine) render(ctx context.Context, v view, format Format) ([]byte, error) {
	outFormat, ok := format.output()
	if !ok {
		return nil, fmt.Errorf("rebalance: output format %d: %w", int(format), ErrInvalid)
	}
	if en == nil {
		return nil, ErrNilHandle
	}
	en.mu.Lock()
	defer en.mu.Unlock()
	if en.e == nil {
		return nil, ErrClosed
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var res *C.rb_result
	if rc := C.rb_engine_translate(en.e, &res); rc != C.RB_OK {
		return nil, fmt.Errorf("rebalance: translate: %w", Code(rc))
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return serialize(en.ctx, res, v, outFormat)
}

// Stats reads the engine's counters (zero once closed, and for a nil Engine).
func (en *Engine) Stats() EngineStats {
	if en == nil {
		return EngineStats{}
	}
	en.mu.Lock()
	defer en.mu.Unlock()
	if en.e == nil {
		return EngineStats{}
	}
	var s C.rb_engine_stats
	s.size = C.uint32_t(unsafe.Sizeof(s))
	if C.rb_engine_get_stats(en.e, &s) != C.RB_OK {
		return EngineStats{}
	}
	return EngineStats{
		Translations:     uint64(s.translations),
		FullTranslations: uint64(s.full_translations),
		RoutesTranslated: uint64(s.routes_translated),
		Routes:           uint64(s.routes),
	}
}
