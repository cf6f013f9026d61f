package rebalance

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func newT(t testing.TB, o Options) *Translator {
	t.Helper()
	tr, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tr.Close() })
	return tr
}

func failoverInputs(t testing.TB, endpoints string) []Input {
	t.Helper()
	var ins []Input
	for _, n := range []string{"manifests.yaml", endpoints} {
		p := filepath.Join("..", "..", "..", "examples", "failover", n)
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		ins = append(ins, Input{Name: n, Data: data})
	}
	return ins
}

func TestVersion(t *testing.T) {
	if err := CheckVersion(); err != nil {
		t.Fatal(err)
	}
	if got, want := Version(), versionString(VersionNumber()); got != want {
		t.Errorf("Version() = %q, VersionNumber() says %q", got, want)
	}
	if HeaderVersion/100 != VersionNumber()/100 {
		t.Errorf("headers %d, library %d", HeaderVersion, VersionNumber())
	}
}

func TestCheckVersion(t *testing.T) {
	for _, c := range []struct {
		header, library int
		ok              bool
	}{
		{100, 100, true},    // 0.1.0 / 0.1.0
		{100, 105, true},    // a patch release
		{105, 100, true},    // patches never change the ABI
		{100, 200, false},   // 0.1 headers, 0.2 library: another ABI generation
		{200, 100, false},   // and the other way round
		{100, 10100, false}, // 0.1 headers, 1.1 library
		{10200, 10300, true},
		{10200, 10100, false}, // 1.x: the library must be at least as new
		{10200, 20000, false},
	} {
		err := checkVersion(c.header, c.library)
		if (err == nil) != c.ok {
			t.Errorf("checkVersion(%d, %d) = %v; want ok=%v", c.header, c.library, err, c.ok)
		}
		if err != nil {
			if !errors.Is(err, ErrVersionMismatch) {
				t.Errorf("%v is not ErrVersionMismatch", err)
			}
			if !strings.Contains(err.Error(), versionString(c.library)) ||
				!strings.Contains(err.Error(), versionString(c.header)) {
				t.Errorf("message does not name both versions: %v", err)
			}
		}
	}
}

func TestTranslateFailover(t *testing.T) {
	tr := newT(t, Options{})
	res, err := tr.TranslateInputs(failoverInputs(t, "endpoints-empty.yaml")...)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Destinations) != 1 {
		t.Fatalf("%d destinations", len(res.Destinations))
	}
	d := res.Destinations[0]
	if d.Route.Kind != "HTTPRoute" || d.Route.Rule != 0 || d.DirectResponse != nil {
		t.Errorf("destination %+v", d)
	}
	if len(d.Settings) != 1 || d.Settings[0].Priority != 1 || d.Settings[0].Metadata.Kind != "Backend" {
		t.Errorf("settings %+v", d.Settings)
	}
	if len(d.Excluded) != 1 || d.Excluded[0].Reason != "NoReadyEndpoints" {
		t.Errorf("excluded %+v", d.Excluded)
	}
	if d.BackendWeights != (BackendWeights{Valid: 1}) {
		t.Errorf("weights %+v", d.BackendWeights)
	}
	if len(res.RouteStatuses) != 1 || res.RouteStatuses[0].ParentRef.Name != "eg" ||
		res.RouteStatuses[0].ParentRef.Namespace != nil {
		t.Errorf("statuses %+v", res.RouteStatuses)
	}

	compat := newT(t, Options{Mode: ModeCompatEnvoyGateway})
	res, err = compat.TranslateInputs(failoverInputs(t, "endpoints-empty.yaml")...)
	if err != nil {
		t.Fatal(err)
	}
	if d := res.Destinations[0]; len(d.Excluded) != 0 || d.BackendWeights.NoEndpoints != 1 {
		t.Errorf("compat: %+v", d)
	}
}

func TestTranslateFiles(t *testing.T) {
	tr := newT(t, Options{})
	dir := filepath.Join("..", "..", "..", "examples", "failover")
	res, err := tr.TranslateFiles(filepath.Join(dir, "manifests.yaml"), filepath.Join(dir, "endpoints-ready.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Destinations) != 1 || len(res.Destinations[0].Settings) != 2 {
		t.Errorf("%+v", res.Destinations)
	}
	yaml, err := tr.RenderFiles(FormatYAML, File{Path: filepath.Join(dir, "manifests.yaml")})
	if err != nil || !strings.HasPrefix(string(yaml), "destinations:\n") {
		t.Errorf("RenderFiles(YAML) = %q, %v", yaml, err)
	}
}

func TestEmptyInput(t *testing.T) {
	tr := newT(t, Options{})
	res, err := tr.Translate()
	if err != nil {
		t.Fatal(err)
	}
	if res.Destinations == nil || len(res.Destinations) != 0 || len(res.RouteStatuses) != 0 {
		t.Errorf("%+v", res)
	}
	if _, err := tr.Translate(nil, []byte{}); err != nil {
		t.Errorf("empty buffers: %v", err)
	}
}

func TestDiagnostics(t *testing.T) {
	tr := newT(t, Options{})
	bad := []byte("kind: Service\napiVersion: v1\nmetadata: {name: s}\nspec:\n  ports: {a: 1}\n")
	good := []byte("kind: Service\napiVersion: v1\nmetadata: {name: s}\nspec: {}\n")

	_, err := tr.Translate(bad)
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("%T %v: not an *Error", err, err)
	}
	want := Error{Code: ErrParse, File: "<buffer>", Line: 5, Column: 10, Path: "/spec/ports",
		Message: "expected a sequence, got a mapping", Offset: e.Offset}
	if *e != want {
		t.Errorf("got  %+v\nwant %+v", *e, want)
	}
	if e.Error() != "<buffer>:5:10: /spec/ports: expected a sequence, got a mapping" {
		t.Errorf("Error() = %q", e.Error())
	}
	if !errors.Is(err, ErrParse) || errors.Is(err, ErrLimit) {
		t.Errorf("errors.Is on the code")
	}

	// Every unusable input is reported, in order, under its name.
	_, err = tr.Translate(bad, good, bad)
	var list ErrorList
	if !errors.As(err, &list) || len(list) != 2 {
		t.Fatalf("%v", err)
	}
	if list[0].File != "<buffer 1>" || list[1].File != "<buffer 3>" {
		t.Errorf("names %q %q", list[0].File, list[1].File)
	}
	if strings.Count(err.Error(), "\n") != 1 {
		t.Errorf("one line per diagnostic: %q", err.Error())
	}
	_, err = tr.TranslateInputs(Input{Name: "routes.json", Data: []byte("{"), Format: FormatJSON})
	if !errors.As(err, &e) || e.File != "routes.json" || e.Line != 1 || !errors.Is(err, ErrParse) {
		t.Errorf("%+v", e)
	}
	_, err = tr.TranslateFiles("does-not-exist.yaml")
	if !errors.Is(err, ErrIO) || !strings.HasPrefix(err.Error(), "does-not-exist.yaml: ") {
		t.Errorf("missing file: %v", err)
	}
}

func TestLimits(t *testing.T) {
	deep := []byte("a: [[[[[[1]]]]]]\n")
	tr := newT(t, Options{Limits: Limits{Depth: 4}})
	if _, err := tr.Translate(deep); !errors.Is(err, ErrLimit) {
		t.Errorf("depth 4: %v", err)
	}
	alias := []byte("kind: Service\napiVersion: v1\nmetadata: &m {name: s}\nspec: {}\nx: *m\n")
	if _, err := tr.Translate(alias); err == nil {
		t.Errorf("aliases are rejected by default")
	}
	lenient := newT(t, Options{Limits: Limits{AliasExpansion: 100}})
	if _, err := lenient.Translate(alias); err != nil {
		t.Errorf("aliases allowed: %v", err)
	}
}

func TestOptions(t *testing.T) {
	if _, err := New(Options{Mode: 7}); !errors.Is(err, ErrInvalid) {
		t.Errorf("mode 7: %v", err)
	}
	if _, err := New(Options{Flags: 1 << 20}); !errors.Is(err, ErrInvalid) {
		t.Errorf("flag 1<<20: %v", err)
	}
	if big, err := New(Options{Limits: Limits{Depth: 1 << 62}}); err != nil {
		t.Errorf("large limit: %v", err)
	} else {
		big.Close()
	}
	o, err := PresetOptions(PresetEnvoyGateway)
	if err != nil || o.Mode != ModeCompatEnvoyGateway || o.Flags != 0 {
		t.Errorf("preset: %+v %v", o, err)
	}
	if _, err := PresetOptions(42); !errors.Is(err, ErrInvalid) {
		t.Errorf("preset 42: %v", err)
	}
	tr := newT(t, Options{})
	if _, err := tr.Render(FormatAuto); !errors.Is(err, ErrInvalid) {
		t.Errorf("output format auto: %v", err)
	}
	if _, err := tr.Render(FormatJSON, Input{Format: 9}); !errors.Is(err, ErrInvalid) {
		t.Errorf("input format 9: %v", err)
	}

	// Gateways of another class are not ours: no destinations.
	other := newT(t, Options{GatewayClass: "other"})
	res, err := other.TranslateInputs(failoverInputs(t, "endpoints-ready.yaml")...)
	if err != nil || len(res.Destinations) != 0 {
		t.Errorf("class other: %v %+v", err, res)
	}
}

func TestClose(t *testing.T) {
	tr, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Close(); err != nil {
		t.Fatal(err)
	}
	if err := tr.Close(); err != nil {
		t.Fatal("Close is idempotent")
	}
	if _, err := tr.Translate(); !errors.Is(err, ErrClosed) {
		t.Errorf("after Close: %v", err)
	}
}

func TestResultViews(t *testing.T) {
	tr := newT(t, Options{})
	res, err := tr.TranslateInputs(failoverInputs(t, "endpoints-empty.yaml")...)
	if err != nil {
		t.Fatal(err)
	}
	if res.Section("destinations") == nil || res.Section("xds") != nil {
		t.Errorf("Section")
	}
	var generic map[string]interface{}
	if err := res.Decode(&generic); err != nil || len(generic["destinations"].([]interface{})) != 1 {
		t.Errorf("Decode: %v", err)
	}
	// JSON returns a copy: the Result stays immutable.
	j := res.JSON()
	j[0] = 'x'
	if !json.Valid(res.JSON()) {
		t.Errorf("JSON() exposes the Result's bytes")
	}
}

// The field: which Gateways are ours, kubectl's namespaces, warnings.
func TestFieldOptionsAndWarnings(t *testing.T) {
	gw := []byte(`apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: eg}
spec:
  gatewayClassName: eg
  listeners: [{name: http, protocol: HTTP, port: 80}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web}
spec:
  parentRefs: [{name: eg}]
  rules:
  - backendRef: [{name: web, port: 80}]
  - backendRefs: [{name: web, port: 80}]
`)
	in := Input{Name: "web.yaml", Data: gw}

	// No GatewayClass, no class named: the fallback class, and warnings saying so.
	def := newT(t, Options{})
	ws, err := def.Warnings(in)
	if err != nil {
		t.Fatal(err)
	}
	var text []string
	for _, w := range ws {
		if w.Code != 0 || w.File != "web.yaml" || w.Line == 0 {
			t.Errorf("warning fields: %+v", w)
		}
		text = append(text, w.Error())
	}
	all := strings.Join(text, "\n")
	for _, want := range []string{`/spec/rules/0/backendRef: unknown field "backendRef" in a rule (did you mean "backendRefs"?)`,
		`the Gateways use class "eg"`, "--gateway-class"} {
		if !strings.Contains(all, want) {
			t.Errorf("warnings lack %q:\n%s", want, all)
		}
	}
	if res, err := def.TranslateInputs(in); err != nil || len(res.Destinations) != 0 {
		t.Errorf("fallback class: %v %+v", err, res)
	}

	// Named class and namespace: the route is ours, in namespace shop.
	eg := newT(t, Options{GatewayClasses: []string{"other", "eg"}, Namespace: "shop"})
	res, err := eg.TranslateInputs(in)
	if err != nil || len(res.Destinations) != 2 || res.Destinations[0].Route.Namespace != "shop" {
		t.Fatalf("classes [other eg], namespace shop: %v %+v", err, res)
	}
	// The input's GatewayClass of another controller is not ours; of ours, it is.
	class := Input{Name: "class.yaml", Data: []byte(`apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: eg}
spec: {controllerName: example.com/mine}
`)}
	if res, err := def.TranslateInputs(in, class); err != nil || len(res.Destinations) != 0 {
		t.Errorf("foreign controller: %v %+v", err, res)
	}
	mine := newT(t, Options{ControllerName: "example.com/mine"})
	if res, err := mine.TranslateInputs(in, class); err != nil || len(res.Destinations) != 2 {
		t.Errorf("controller example.com/mine: %v %+v", err, res)
	}
	if tr, err := New(Options{Flags: AssumeSecrets}); err != nil {
		t.Errorf("AssumeSecrets: %v", err)
	} else {
		tr.Close()
	}
}
