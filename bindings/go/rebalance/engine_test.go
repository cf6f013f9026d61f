package rebalance

import (
	"bytes"
	"errors"
	"sync"
	"testing"
)

func newEngine(t testing.TB, o Options, sources ...Source) *Engine {
	t.Helper()
	en, err := NewEngine(o, sources...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { en.Close() })
	return en
}

// full is a fresh full translation of inputs, as JSON.
func full(t testing.TB, o Options, inputs ...Input) []byte {
	t.Helper()
	out, err := newT(t, o).Render(FormatJSON, inputs...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestEngine(t *testing.T) {
	ready := failoverInputs(t, "endpoints-ready.yaml")
	empty := failoverInputs(t, "endpoints-empty.yaml")
	for _, o := range []Options{{}, {Mode: ModeCompatEnvoyGateway}} {
		en := newEngine(t, o, inputSources(ready)...)
		res, err := en.Translate()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(res.JSON(), full(t, o, ready...)) {
			t.Fatalf("%+v: the first translation differs from a full one", o)
		}
		if s := en.Stats(); s.Translations != 1 || s.FullTranslations != 1 || s.Routes != 1 {
			t.Errorf("stats %+v", s)
		}

		// The active Service's EndpointSlice scaled to zero: it replaces the
		// slice of the same name, so the snapshot is manifests + empty endpoints.
		if err := en.ApplyInput(empty[1]); err != nil {
			t.Fatal(err)
		}
		got, err := en.Render(FormatJSON)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, full(t, o, empty...)) {
			t.Fatalf("%+v: after the scale to zero\n got: %s\nwant: %s", o, got, full(t, o, empty...))
		}
		if s := en.Stats(); s.Translations != 2 || s.FullTranslations != 1 || s.RoutesTranslated != 1 {
			t.Errorf("stats %+v", s)
		}
		// The Result of the first Translate is a copy: the change left it alone.
		if !bytes.Equal(res.JSON(), full(t, o, ready...)) {
			t.Errorf("an earlier Result changed")
		}
		// Nothing changed since: the same document, nothing translated.
		if again, err := en.Render(FormatJSON); err != nil || !bytes.Equal(again, got) {
			t.Errorf("again: %v", err)
		}
		// xDS of the engine's result equals the Translator's.
		want, err := newT(t, o).RenderXds(FormatJSON, inputSources(empty)...)
		if err != nil {
			t.Fatal(err)
		}
		if x, err := en.Xds(); err != nil || !bytes.Equal(x.JSON(), want) {
			t.Errorf("Xds: %v", err)
		}
		if y, err := en.RenderXds(FormatYAML); err != nil || len(y) == 0 {
			t.Errorf("RenderXds: %v", err)
		}

		// Back to ready, then the slice deleted: manifests alone.
		if err := en.Apply(ready[1].Data); err != nil {
			t.Fatal(err)
		}
		if got, err := en.Render(FormatJSON); err != nil || !bytes.Equal(got, full(t, o, ready...)) {
			t.Errorf("back to ready: %v", err)
		}
		if err := en.Delete("EndpointSlice", "default", "active-x7k2p"); err != nil {
			t.Fatal(err)
		}
		if err := en.Delete("EndpointSlice", "default", "not-there"); err != nil {
			t.Errorf("deleting what is not there: %v", err)
		}
		if got, err := en.Render(FormatYAML); err != nil {
			t.Error(err)
		} else if want, _ := newT(t, o).Render(FormatYAML, ready[0]); !bytes.Equal(got, want) {
			t.Errorf("after the delete\n got: %s\nwant: %s", got, want)
		}
	}
}

func TestEngineErrors(t *testing.T) {
	ready := failoverInputs(t, "endpoints-ready.yaml")
	en := newEngine(t, Options{}, inputSources(ready)...)
	before, err := en.Render(FormatJSON)
	if err != nil {
		t.Fatal(err)
	}
	// A buffer the library refuses changes nothing; its diagnostics say where.
	bad := []byte("kind: Service\napiVersion: v1\nmetadata: {name: active, namespace: default}\nspec:\n  ports: {a: 1}\n")
	err = en.ApplyInput(Input{Name: "svc.yaml", Data: bad})
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrParse) || e.File != "svc.yaml" || e.Line != 5 || e.Path != "/spec/ports" {
		t.Fatalf("%v", err)
	}
	if err := en.Apply(bad); !errors.As(err, &e) || e.File != "<buffer>" {
		t.Errorf("unnamed: %v", err)
	}
	if after, err := en.Render(FormatJSON); err != nil || !bytes.Equal(after, before) {
		t.Errorf("a refused buffer changed the result: %v", err)
	}
	if err := en.ApplyInput(Input{Format: 9}); !errors.Is(err, ErrInvalid) {
		t.Errorf("format 9: %v", err)
	}
	if err := en.Delete("Frobnicator", "default", "x"); !errors.Is(err, ErrInvalid) {
		t.Errorf("unknown kind: %v", err)
	}
	if _, err := en.Render(FormatAuto); !errors.Is(err, ErrInvalid) {
		t.Errorf("format auto: %v", err)
	}
	// Unusable sources fail NewEngine with their diagnostics.
	_, err = NewEngine(Options{}, Input{Name: "svc.yaml", Data: bad}, File{Path: "does-not-exist.yaml"})
	var list ErrorList
	if !errors.As(err, &list) || len(list) != 2 || !errors.Is(err, ErrIO) {
		t.Errorf("NewEngine: %v", err)
	}
	if _, err := NewEngine(Options{Mode: 7}); !errors.Is(err, ErrInvalid) {
		t.Errorf("mode 7: %v", err)
	}

	if err := en.Close(); err != nil {
		t.Fatal(err)
	}
	if err := en.Close(); err != nil {
		t.Fatal("Close is idempotent")
	}
	if _, err := en.Translate(); !errors.Is(err, ErrClosed) {
		t.Errorf("Translate after Close: %v", err)
	}
	if err := en.Apply(nil); !errors.Is(err, ErrClosed) {
		t.Errorf("Apply after Close: %v", err)
	}
	if err := en.Delete("Service", "default", "active"); !errors.Is(err, ErrClosed) {
		t.Errorf("Delete after Close: %v", err)
	}
	if s := en.Stats(); s != (EngineStats{}) {
		t.Errorf("Stats after Close: %+v", s)
	}
}

// Every translate run of the golden cases through an engine: its first
// result equals the CLI's (the engine translates everything the first time).
func TestEngineGolden(t *testing.T) {
	for _, r := range loadGolden(t) {
		if r.command != "translate" || r.out == nil || len(r.files) > 0 || r.format != FormatJSON {
			continue
		}
		en := newEngine(t, r.opts, inputSources(r.inputs)...)
		got, err := en.Render(FormatJSON)
		if err != nil {
			t.Fatalf("%s: %v", r.name, err)
		}
		if !bytes.Equal(got, r.out) {
			t.Errorf("%s: the engine's result differs from the CLI's", r.name)
		}
	}
}

// Goroutines that share an Engine are serialized by its mutex (run under
// -race): whatever the order, the last state is one of the two snapshots,
// and Close waits for calls in flight.
func TestEngineShared(t *testing.T) {
	ready := failoverInputs(t, "endpoints-ready.yaml")
	empty := failoverInputs(t, "endpoints-empty.yaml")
	wantReady, wantEmpty := full(t, Options{}, ready...), full(t, Options{}, empty...)
	en := newEngine(t, Options{}, inputSources(ready)...)
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				in := ready[1]
				if (g+i)%2 == 1 {
					in = empty[1]
				}
				if err := en.ApplyInput(in); err != nil {
					t.Error(err)
					return
				}
				got, err := en.Render(FormatJSON)
				if err != nil {
					t.Error(err)
					return
				}
				if !bytes.Equal(got, wantReady) && !bytes.Equal(got, wantEmpty) {
					t.Error("a result that is neither snapshot")
					return
				}
				_ = en.Stats()
			}
		}(g)
	}
	wg.Wait()
	// Close racing with calls: they finish or get ErrClosed.
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				if _, err := en.Translate(); err != nil {
					if !errors.Is(err, ErrClosed) {
						t.Error(err)
					}
					return
				}
			}
		}()
	}
	en.Close()
	wg.Wait()
}
