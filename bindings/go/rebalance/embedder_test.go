package rebalance

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// The methods of a nil *Translator or *Engine (what New and NewEngine return
// with an error) fail with ErrNilHandle, never panic.
func TestNilHandlesReturnErrors(t *testing.T) {
	var tr *Translator
	if err := tr.Close(); !errors.Is(err, ErrNilHandle) {
		t.Fatalf("nil Translator Close: %v", err)
	}
	if _, err := tr.Translate([]byte("{}")); !errors.Is(err, ErrNilHandle) || !errors.Is(err, ErrClosed) {
		t.Fatalf("nil Translator Translate: %v", err)
	}
	if _, err := tr.TranslateContext(context.Background()); !errors.Is(err, ErrNilHandle) {
		t.Fatalf("nil Translator TranslateContext: %v", err)
	}
	if _, err := tr.Explain(nil, "default/web"); !errors.Is(err, ErrNilHandle) {
		t.Fatalf("nil Translator Explain: %v", err)
	}
	if _, err := tr.Xds(); !errors.Is(err, ErrNilHandle) {
		t.Fatalf("nil Translator Xds: %v", err)
	}
	if _, err := tr.Warnings(); !errors.Is(err, ErrNilHandle) {
		t.Fatalf("nil Translator Warnings: %v", err)
	}
	var en *Engine
	if err := en.Close(); !errors.Is(err, ErrNilHandle) {
		t.Fatalf("nil Engine Close: %v", err)
	}
	if err := en.Apply(nil); !errors.Is(err, ErrNilHandle) {
		t.Fatalf("nil Engine Apply: %v", err)
	}
	if err := en.Delete("Service", "default", "web"); !errors.Is(err, ErrNilHandle) {
		t.Fatalf("nil Engine Delete: %v", err)
	}
	if _, err := en.Translate(); !errors.Is(err, ErrNilHandle) {
		t.Fatalf("nil Engine Translate: %v", err)
	}
	if _, err := en.Xds(); !errors.Is(err, ErrNilHandle) {
		t.Fatalf("nil Engine Xds: %v", err)
	}
	if s := en.Stats(); s != (EngineStats{}) {
		t.Fatalf("nil Engine Stats: %+v", s)
	}
}

// A done context stops a translation before any work, and an engine's
// changes survive a cancelled Translate.
func TestContextCancels(t *testing.T) {
	manifests := File{Path: "../../../examples/failover/manifests.yaml"}
	ready := File{Path: "../../../examples/failover/endpoints-ready.yaml"}
	tr := newT(t, Options{})
	done, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := tr.TranslateContext(done, manifests, ready); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled TranslateContext: %v", err)
	}
	if _, err := tr.RenderContext(done, FormatJSON, manifests, ready); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled RenderContext: %v", err)
	}
	res, err := tr.TranslateContext(context.Background(), manifests, ready)
	if err != nil || len(res.Destinations) != 1 {
		t.Fatalf("TranslateContext: %v %+v", err, res)
	}

	en := newEngine(t, Options{}, manifests, ready)
	if _, err := en.TranslateContext(done); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled Engine.TranslateContext: %v", err)
	}
	if s := en.Stats(); s.Translations != 0 {
		t.Fatalf("a cancelled Translate translated: %+v", s)
	}
	empty, err := os.ReadFile("../../../examples/failover/endpoints-empty.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := en.Apply(empty); err != nil {
		t.Fatal(err)
	}
	if _, err := en.RenderContext(done, FormatJSON); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled Engine.RenderContext: %v", err)
	}
	got, err := en.TranslateContext(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Destinations) != 1 || len(got.Destinations[0].Excluded) != 1 {
		t.Fatalf("the applied slice was lost: %+v", got.Destinations)
	}
}

// `host: ""` (Service routing to a Service without a clusterIP) is written by
// the library and survives decoding and re-encoding the typed Result.
func TestEmptyHostSurvivesReencoding(t *testing.T) {
	tr := newT(t, Options{})
	raw, err := tr.RenderFiles(FormatJSON, File{Path: "../../../tests/golden/audit-service-routing/input.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(raw, []byte(`"host": ""`)) && !bytes.Contains(raw, []byte(`"host":""`)) {
		t.Fatalf("the input no longer gives an empty host:\n%s", raw)
	}
	res, err := decodeResult(raw)
	if err != nil {
		t.Fatal(err)
	}
	again, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	if !sameDocument(t, again, raw) {
		t.Fatalf("re-encoding differs\n got: %s\nwant: %s", again, raw)
	}
}

// The README's Go example, as written, is a program of a module outside the
// tree that requires this one by its module path (resolved by a local
// replace, no network: GOPROXY=off), and prints what the example promises.
func TestREADMEExampleBuildsAndRuns(t *testing.T) {
	if raceEnabled || asanEnabled {
		t.Skip("covered by the run without -race and -asan")
	}
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(readme)
	start := strings.Index(text, "```go\n")
	if start < 0 {
		t.Fatal("README.md has no Go example")
	}
	body := text[start+len("```go\n"):]
	body = body[:strings.Index(body, "```")]
	if !strings.Contains(body, `import rebalance "rebalance.dev/bindings/go/rebalance"`) {
		t.Fatalf("the README example does not name the module path:\n%s", body)
	}
	dir := t.TempDir()
	program := "package main\n\nimport (\n\t\"fmt\"\n\t\"log\"\n\n\t\"rebalance.dev/bindings/go/rebalance\"\n)\n\nfunc main() {\n" +
		body + "}\n"
	gomod := "module example.com/readme\n\ngo 1.19\n\nrequire rebalance.dev/bindings/go v0.0.0\n\n" +
		"replace rebalance.dev/bindings/go => " + filepath.Join(root, "bindings", "go") + "\n"
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(program), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(gomod), 0o644); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "readme")
	// The go command of the toolchain running this test, whatever PATH says.
	build := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-o", bin, ".")
	build.Dir = dir
	build.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build of the README example: %v\n%s\n%s", err, out, program)
	}
	run := exec.Command(bin)
	run.Dir = root // the example's paths are relative to the repository
	out, err := run.CombinedOutput()
	if err != nil {
		t.Fatalf("README example: %v\n%s", err, out)
	}
	want := "httproute/default/failover/rule/0 {1 0 0} 1 excluded\n"
	if string(out) != want {
		t.Fatalf("README example printed %q, want %q", out, want)
	}
}
