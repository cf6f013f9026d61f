package rebalance

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const backendDisabled = "apiVersion: gateway.envoyproxy.io/v1alpha1\nkind: EnvoyGateway\nextensionApis: {enableBackend: false}\n"

func TestConfig(t *testing.T) {
	// A document that disables the Backend API: the failover's fallback
	// Backend is invalid, as with `--config`.
	tr := newT(t, Options{Config: &Config{Name: "eg.yaml", Data: []byte(backendDisabled)}})
	res, err := tr.TranslateInputs(failoverInputs(t, "endpoints-ready.yaml")...)
	if err != nil {
		t.Fatal(err)
	}
	d := res.Destinations[0]
	if len(d.Settings) != 2 || !d.Settings[1].Invalid || d.BackendWeights.Invalid != 1 {
		t.Errorf("Backend API disabled: %+v", d)
	}
	// The same document from a file, and the CLI's golden case.
	dir := filepath.Join(goldenRoot, "custom-backends")
	want, err := os.ReadFile(filepath.Join(dir, "rebalance-json.out"))
	if err != nil {
		t.Fatal(err)
	}
	input := File{Path: filepath.Join(dir, "input.yaml")}
	byPath := newT(t, Options{Config: &Config{Path: filepath.Join(dir, "envoy-gateway.yaml")}})
	if got, err := byPath.RenderFiles(FormatJSON, input); err != nil || !bytes.Equal(got, want) {
		t.Errorf("Config.Path: %v\n%s", err, got)
	}
	data, err := os.ReadFile(filepath.Join(dir, "envoy-gateway.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := &Config{Data: data}
	byData := newT(t, Options{Config: cfg})
	copy(data, "garbage") // New copied the document
	if got, err := byData.RenderFiles(FormatJSON, input); err != nil || !bytes.Equal(got, want) {
		t.Errorf("Config.Data: %v\n%s", err, got)
	}
	// Without the document, the extension kinds are unknown: another result.
	if got, err := newT(t, Options{}).RenderFiles(FormatJSON, input); err != nil || bytes.Equal(got, want) {
		t.Errorf("without Config: %v", err)
	}
}

func TestConfigErrors(t *testing.T) {
	bad := []byte("apiVersion: gateway.envoyproxy.io/v1alpha1\nkind: EnvoyGateway\nextensionApis: {enableBackend: nope}\n")
	_, err := New(Options{Config: &Config{Name: "eg.yaml", Data: bad}})
	var e *Error
	var list ErrorList
	if !errors.As(err, &list) || len(list) != 1 || !errors.As(err, &e) || !errors.Is(err, ErrParse) {
		t.Fatalf("%T %v: not an ErrorList of one *Error", err, err)
	}
	want := Error{Code: ErrParse, File: "eg.yaml", Line: 3, Column: 32, Offset: e.Offset,
		Path: "/extensionApis/enableBackend", Message: "expected true or false, got a string"}
	if *e != want {
		t.Errorf("got  %+v\nwant %+v", *e, want)
	}
	// Unnamed: "<config>", as the library names it.
	_, err = New(Options{Config: &Config{Data: bad}})
	if !errors.As(err, &e) || e.File != "<config>" || e.Line != 3 {
		t.Errorf("unnamed: %v", err)
	}
	// The golden case's diagnostic, from a file.
	dir := filepath.Join(goldenRoot, "error-config")
	_, err = New(Options{Config: &Config{Path: filepath.Join(dir, "envoy-gateway.yaml")}})
	if !errors.As(err, &e) || e.Line != 5 || e.Column != 5 || e.Path != "/extensionManager/backendResources/0" {
		t.Errorf("error-config: %v", err)
	}
	_, err = New(Options{Config: &Config{Path: "does-not-exist.yaml"}})
	if !errors.Is(err, ErrIO) || !strings.HasPrefix(err.Error(), "does-not-exist.yaml: ") {
		t.Errorf("missing file: %v", err)
	}
	if _, err := New(Options{Config: &Config{Path: "x.yaml", Data: bad}}); !errors.Is(err, ErrInvalid) {
		t.Errorf("Path and Data: %v", err)
	}
	if _, err := NewEngine(Options{Config: &Config{Data: bad}}); !errors.As(err, &e) || e.Line != 3 {
		t.Errorf("NewEngine: %v", err)
	}
	// A Path is read again by every call: a file that became unusable is an
	// input error of that call, with its location.
	path := filepath.Join(t.TempDir(), "eg.yaml")
	if err := os.WriteFile(path, []byte(backendDisabled), 0o600); err != nil {
		t.Fatal(err)
	}
	tr := newT(t, Options{Config: &Config{Path: path}})
	if err := os.WriteFile(path, bad, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = tr.TranslateInputs(failoverInputs(t, "endpoints-ready.yaml")...)
	if !errors.As(err, &e) || e.File != path || e.Line != 3 || !errors.Is(err, ErrParse) {
		t.Errorf("changed file: %v", err)
	}
}

func TestPolicyOptions(t *testing.T) {
	if _, err := New(Options{Flags: HonorPolicy | IgnorePolicy}); !errors.Is(err, ErrInvalid) {
		t.Errorf("HonorPolicy|IgnorePolicy: %v", err)
	}
	if _, err := New(Options{RebalanceDefault: 3}); !errors.Is(err, ErrInvalid) {
		t.Errorf("RebalanceDefault 3: %v", err)
	}
	ins := failoverInputs(t, "endpoints-empty.yaml")
	excluded := func(o Options) int {
		t.Helper()
		res, err := newT(t, o).TranslateInputs(ins...)
		if err != nil {
			t.Fatal(err)
		}
		return len(res.Destinations[0].Excluded)
	}
	for _, c := range []struct {
		o    Options
		want int
	}{
		{Options{}, 1},
		{Options{RebalanceDefault: KnobDefaultOff}, 0},
		{Options{RebalanceDefault: KnobDefaultOff, Flags: IgnorePolicy}, 0},
		{Options{Mode: ModeCompatEnvoyGateway}, 0},
		{Options{Mode: ModeCompatEnvoyGateway, RebalanceDefault: KnobDefaultOn}, 1},
		{Options{Mode: ModeCompatEnvoyGateway, RebalanceDefault: KnobDefaultOn, Flags: IgnorePolicy}, 1},
	} {
		if got := excluded(c.o); got != c.want {
			t.Errorf("%+v: %d excluded, want %d", c.o, got, c.want)
		}
	}
	// A policy that turns the exclusion off is not read with IgnorePolicy.
	policy := []byte(`apiVersion: gateway.envoyproxy.io/v1alpha1
kind: BackendTrafficPolicy
metadata: {namespace: default, name: off}
spec:
  targetRefs: [{group: gateway.networking.k8s.io, kind: HTTPRoute, name: failover}]
  rebalanceOnNoEndpoints: false
`)
	withPolicy := append(append([]Input{}, ins...), Input{Name: "policy.yaml", Data: policy})
	for _, c := range []struct {
		o    Options
		want int
	}{{Options{}, 0}, {Options{Flags: IgnorePolicy}, 1}} {
		res, err := newT(t, c.o).TranslateInputs(withPolicy...)
		if err != nil {
			t.Fatal(err)
		}
		if got := len(res.Destinations[0].Excluded); got != c.want {
			t.Errorf("policy off, %+v: %d excluded, want %d", c.o, got, c.want)
		}
	}
}

func TestXds(t *testing.T) {
	tr := newT(t, Options{})
	srcs := inputSources(failoverInputs(t, "endpoints-empty.yaml"))
	x, err := tr.Xds(srcs...)
	if err != nil {
		t.Fatal(err)
	}
	if len(x.Rules) != 1 || x.Rules[0].Gateway != "default/eg" || len(x.Rules[0].Clusters) != 1 {
		t.Fatalf("%+v", x.Rules)
	}
	// The Envoy messages are proto3 JSON, for protojson or encoding/json.
	var route struct{ Cluster string }
	if err := json.Unmarshal(x.Rules[0].Route, &route); err != nil || route.Cluster != x.Rules[0].Name {
		t.Errorf("route %s: %v", x.Rules[0].Route, err)
	}
	var generic map[string]interface{}
	if err := x.Decode(&generic); err != nil || len(generic["rules"].([]interface{})) != 1 {
		t.Errorf("Decode: %v", err)
	}
	// The compat side: weighted clusters, answered 503 for the missing endpoints.
	compat, err := newT(t, Options{Mode: ModeCompatEnvoyGateway}).Xds(srcs...)
	if err != nil || !strings.Contains(string(compat.Rules[0].Route), `"weightedClusters"`) {
		t.Errorf("compat: %v %s", err, compat.Rules[0].Route)
	}
	yaml, err := tr.RenderXds(FormatYAML, srcs...)
	if err != nil || !strings.HasPrefix(string(yaml), "rules:\n") {
		t.Errorf("YAML: %v %q", err, yaml)
	}
	if _, err := tr.RenderXds(FormatAuto, srcs...); !errors.Is(err, ErrInvalid) {
		t.Errorf("format auto: %v", err)
	}
	// Files and buffers mix.
	dir := filepath.Join("..", "..", "..", "examples", "failover")
	mixed, err := tr.Xds(File{Path: filepath.Join(dir, "manifests.yaml")}, srcs[1])
	if err != nil || !bytes.Equal(mixed.JSON(), x.JSON()) {
		t.Errorf("files and buffers: %v", err)
	}
	if _, err := tr.Xds(nil); !errors.Is(err, ErrInvalid) {
		t.Errorf("nil Source: %v", err)
	}
	_, err = tr.Xds(Input{Name: "bad.yaml", Data: []byte("kind: [")})
	var e *Error
	if !errors.As(err, &e) || e.File != "bad.yaml" {
		t.Errorf("input error: %v", err)
	}
}

func TestExplain(t *testing.T) {
	tr := newT(t, Options{})
	srcs := inputSources(failoverInputs(t, "endpoints-ready.yaml"))
	ex, err := tr.Explain(srcs)
	if err != nil {
		t.Fatal(err)
	}
	r := ex.Rules[0]
	if ex.Mode != "rebalance" || len(ex.WhatIf) != 0 || len(r.BackendRefs) != 2 ||
		r.BackendRefs[0].Selected != (RefView{State: "serving", Share: 100}) || r.BackendRefs[1].Selected.State != "standby" ||
		r.Selected.Routing != "cluster" || r.Selected.Shares.Served != 100 {
		t.Errorf("%+v", ex)
	}
	// The active Service scaled to zero: the fallback serves everything
	// with rebalance, half the requests are answered 503 upstream.
	ex, err = tr.Explain(srcs, "default/active")
	if err != nil {
		t.Fatal(err)
	}
	r = ex.Rules[0]
	if ex.WhatIf[0] != (WhatIf{Service: "default/active", Found: true, EndpointSlices: 1}) || r.BackendRefs[0].Selected.State != "excluded" ||
		r.Selected.Shares.Served != 100 || r.Upstream.Shares.Answered503 != 50 || r.Upstream.Why != "no-endpoint weight" ||
		r.Upstream.StatusCode != 503 || r.Selected.RebalanceOnNoEndpoints == nil || !r.Selected.RebalanceOnNoEndpoints.Value {
		t.Errorf("%+v", ex)
	}
	// The CLI's output for the same run.
	cli, err := tr.RenderExplain(FormatYAML, srcs, "default/active")
	if err != nil || !strings.HasPrefix(string(cli), "mode: rebalance\nwhatIf:\n") {
		t.Errorf("YAML: %v %q", err, cli)
	}
	// A Service that is not there is data (Found false); a malformed target
	// is an error naming it.
	ex, err = tr.Explain(srcs, "default/nope")
	if err != nil || ex.WhatIf[0].Found || ex.WhatIf[0].EndpointSlices != 0 {
		t.Errorf("unknown Service: %v %+v", err, ex)
	}
	for _, bad := range []string{"active", "/active", "default/", "a/b/c", "default/act\x00ive", ""} {
		if _, err := tr.Explain(srcs, bad); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "what-if") {
			t.Errorf("target %q: %v", bad, err)
		}
	}
	// The compat side selected: both sides are Envoy Gateway.
	compat, err := newT(t, Options{Mode: ModeCompatEnvoyGateway}).Explain(srcs, "default/active")
	if err != nil || compat.Mode != "envoy-gateway" || compat.Rules[0].Selected.Shares != compat.Rules[0].Upstream.Shares {
		t.Errorf("compat: %v %+v", err, compat)
	}
	var generic map[string]interface{}
	if err := ex.Decode(&generic); err != nil || generic["mode"] != "rebalance" {
		t.Errorf("Decode: %v", err)
	}
	tr.Close()
	if _, err := tr.Explain(srcs); !errors.Is(err, ErrClosed) {
		t.Errorf("closed: %v", err)
	}
	if _, err := tr.Xds(srcs...); !errors.Is(err, ErrClosed) {
		t.Errorf("closed: %v", err)
	}
}
