package rebalance

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// The shared golden cases of the C library (tests/golden/<case>/): inputs
// input*.yaml|json, runs NAME.args with NAME.out (stdout) or NAME.err and
// NAME.rc. The binding must give byte for byte the CLI's output.
var goldenRoot = filepath.Join("..", "..", "..", "tests", "golden")

type goldenRun struct {
	name    string // "<case>/<run>"
	dir     string
	command string // translate, xds or explain
	opts    Options
	format  Format
	text    bool     // explain without -o: the CLI's table, not data
	whatIf  []string // explain --what-if targets (without "=0")
	inputs  []Input  // the case's input* files, as named buffers
	files   []File   // file arguments of the run, when it has any
	out     []byte   // expected stdout, nil for an error run
	errText string   // expected stderr (trimmed) of an error run
	warns   []string // expected warnings of a run that succeeds (its stderr lines)
}

// goldenArgs is what parseArgs understood of a run's arguments.
type goldenArgs struct {
	command string
	opts    Options
	format  Format
	text    bool
	config  string // --config FILE, relative to the case
	whatIf  []string
	files   []string
	strict  bool // --strict: warnings are errors (the CLI's rule, not the library's)
}

// parseArgs understands the CLI options a run may use. ok is false for runs
// that test the CLI rather than the library (unknown options, bad format,
// what-if syntax).
func parseArgs(args []string) (g goldenArgs, ok bool) {
	if len(args) == 0 {
		return g, false
	}
	g.command = args[0]
	switch g.command {
	case "translate":
		g.format = FormatYAML
	case "xds":
		g.format = FormatJSON
	case "explain":
		g.text = true
	default:
		return g, false
	}
	value := func(i *int, flag string) (string, bool) {
		a := args[*i]
		if strings.HasPrefix(a, flag+"=") {
			return a[len(flag)+1:], true
		}
		if *i+1 >= len(args) {
			return "", false
		}
		*i++
		return args[*i], true
	}
	for i := 1; i < len(args); i++ {
		a := args[i]
		flag := a
		if j := strings.IndexByte(a, '='); j > 0 && strings.HasPrefix(a, "--") {
			flag = a[:j]
		}
		switch flag {
		case "-o":
			v, ok := value(&i, flag)
			switch {
			case !ok:
				return g, false
			case v == "json":
				g.format, g.text = FormatJSON, false
			case v == "yaml":
				g.format, g.text = FormatYAML, false
			default:
				return g, false
			}
		case "--compat":
			if v, ok := value(&i, flag); !ok || v != "envoy-gateway" {
				return g, false
			}
			g.opts.Mode = ModeCompatEnvoyGateway
		case "--config":
			v, ok := value(&i, flag)
			if !ok {
				return g, false
			}
			g.config = v
		case "--what-if":
			v, ok := value(&i, flag)
			if !ok || g.command != "explain" || !strings.HasSuffix(v, "=0") {
				return g, false // only NS/SERVICE=0 is the CLI's syntax
			}
			g.whatIf = append(g.whatIf, strings.TrimSuffix(v, "=0"))
		case "--disable-backend-api":
			g.opts.Flags |= DisableBackendAPI
		case "--running-on-host":
			g.opts.Flags |= RunningOnHost
		case "--rebalance-not-ready":
			g.opts.Flags |= RebalanceNotReady
		case "--honor-policy":
			g.opts.Flags |= HonorPolicy
		case "--ignore-policy":
			g.opts.Flags |= IgnorePolicy
		case "--gateway-class":
			v, ok := value(&i, flag)
			if !ok {
				return g, false
			}
			g.opts.GatewayClasses = append(g.opts.GatewayClasses, v)
		case "--controller-name":
			v, ok := value(&i, flag)
			if !ok {
				return g, false
			}
			g.opts.ControllerName = v
		case "-n", "--namespace":
			v, ok := value(&i, flag)
			if !ok {
				return g, false
			}
			g.opts.Namespace = v
		case "--assume-secrets":
			g.opts.Flags |= AssumeSecrets
		case "--strict":
			g.strict = true
		default:
			if strings.HasPrefix(a, "-") {
				return g, false
			}
			g.files = append(g.files, a)
		}
	}
	return g, true
}

func loadGolden(t testing.TB) []goldenRun {
	t.Helper()
	dirs, err := os.ReadDir(goldenRoot)
	if err != nil {
		t.Fatalf("golden cases: %v", err)
	}
	var runs []goldenRun
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		dir := filepath.Join(goldenRoot, d.Name())
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		var inputs []Input
		var argFiles []string
		for _, e := range entries { // os.ReadDir sorts by name, as the runner does
			n := e.Name()
			if strings.HasPrefix(n, "input") && (strings.HasSuffix(n, ".yaml") || strings.HasSuffix(n, ".json")) {
				data, err := os.ReadFile(filepath.Join(dir, n))
				if err != nil {
					t.Fatal(err)
				}
				in := Input{Name: n, Data: data}
				if strings.HasSuffix(n, ".json") {
					in.Format = FormatJSON
				}
				inputs = append(inputs, in)
			}
			if strings.HasSuffix(n, ".args") {
				argFiles = append(argFiles, n)
			}
		}
		sort.Strings(argFiles)
		for _, a := range argFiles {
			run := strings.TrimSuffix(a, ".args")
			text, err := os.ReadFile(filepath.Join(dir, a))
			if err != nil {
				t.Fatal(err)
			}
			g, ok := parseArgs(strings.Fields(string(text)))
			if !ok {
				continue // a CLI-only case (unknown option, output format)
			}
			if _, err := os.Stat(filepath.Join(dir, run+".out")); err != nil && g.strict {
				continue // --strict refusing warnings: the CLI's rule
			}
			r := goldenRun{name: d.Name() + "/" + run, dir: dir, command: g.command, opts: g.opts,
				format: g.format, text: g.text, whatIf: g.whatIf, inputs: inputs}
			if g.config != "" {
				r.opts.Config = &Config{Path: filepath.Join(dir, g.config)}
			}
			for _, f := range g.files {
				r.files = append(r.files, File{Path: filepath.Join(dir, f)})
			}
			if len(r.files) > 0 { // the CLI appends the case's inputs to the arguments
				for _, in := range inputs {
					r.files = append(r.files, File{Path: filepath.Join(dir, in.Name)})
				}
			}
			if out, err := os.ReadFile(filepath.Join(dir, run+".out")); err == nil {
				r.out = out
				if e, err := os.ReadFile(filepath.Join(dir, run+".err")); err == nil {
					for _, l := range strings.Split(strings.TrimRight(string(e), "\n"), "\n") {
						// The CLI's "FILE:L:C: warning: PATH: MSG" is Error()'s "FILE:L:C: PATH: MSG".
						r.warns = append(r.warns, strings.Replace(l, ": warning: ", ": ", 1))
					}
				}
			} else if e, err := os.ReadFile(filepath.Join(dir, run+".err")); err == nil {
				// The diagnostics, without the CLI's own hints ("rebalance: ...").
				var lines []string
				for _, l := range strings.Split(strings.TrimRight(string(e), "\n"), "\n") {
					if !strings.HasPrefix(l, "rebalance: ") {
						lines = append(lines, l)
					}
				}
				r.errText = strings.Join(lines, "\n")
			} else {
				t.Fatalf("%s: neither .out nor .err", r.name)
			}
			runs = append(runs, r)
		}
	}
	if len(runs) < 20 {
		t.Fatalf("only %d golden runs found under %s", len(runs), goldenRoot)
	}
	return runs
}

// sources are the run's inputs: its files when it has any, else the buffers.
func (r *goldenRun) sources() []Source {
	if len(r.files) > 0 {
		return fileSources(r.files)
	}
	return inputSources(r.inputs)
}

// render runs one golden case through RenderFiles, Render, RenderXds or
// RenderExplain.
func (r *goldenRun) render(tr *Translator) ([]byte, error) {
	switch {
	case r.command == "xds":
		return tr.RenderXds(r.format, r.sources()...)
	case r.command == "explain":
		return tr.RenderExplain(r.format, r.sources(), r.whatIf...)
	case len(r.files) > 0:
		return tr.RenderFiles(r.format, r.files...)
	}
	return tr.Render(r.format, r.inputs...)
}

// decoded gives the typed document of a JSON run and its raw bytes.
func (r *goldenRun) decoded(tr *Translator) (v interface{}, raw []byte, err error) {
	switch r.command {
	case "xds":
		x, err := tr.Xds(r.sources()...)
		if err != nil {
			return nil, nil, err
		}
		return x, x.JSON(), nil
	case "explain":
		x, err := tr.Explain(r.sources(), r.whatIf...)
		if err != nil {
			return nil, nil, err
		}
		return x, x.JSON(), nil
	}
	x, err := tr.TranslateInputs(r.inputs...)
	if err != nil {
		return nil, nil, err
	}
	return x, x.JSON(), nil
}

// sameDocument reports whether two JSON texts carry the same value.
func sameDocument(t testing.TB, a, b []byte) bool {
	t.Helper()
	var va, vb interface{}
	if err := json.Unmarshal(a, &va); err != nil {
		t.Fatalf("decode: %v", err)
	}
	if err := json.Unmarshal(b, &vb); err != nil {
		t.Fatalf("decode: %v", err)
	}
	return reflect.DeepEqual(va, vb)
}

func TestGolden(t *testing.T) {
	tr := map[string]*Translator{} // by fmt.Sprint(Options): Options hold a slice
	defer func() {
		for _, x := range tr {
			x.Close()
		}
	}()
	for _, r := range loadGolden(t) {
		r := r
		t.Run(r.name, func(t *testing.T) {
			key := fmt.Sprintf("%+v", r.opts)
			x := tr[key]
			var got []byte
			var err error
			if x == nil {
				// A configuration document the library refuses fails New.
				if x, err = New(r.opts); err == nil {
					tr[key] = x
				}
			}
			if err == nil && !r.text {
				got, err = r.render(x)
			}
			if r.command == "explain" && r.text {
				checkExplainText(t, &r, x, err)
				return
			}
			if r.out == nil { // an error run
				checkErrorRun(t, &r, err)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, r.out) {
				t.Fatalf("output differs from the CLI's\n got: %s\nwant: %s", got, r.out)
			}
			if r.command == "translate" {
				checkWarnings(t, &r, x)
			}
			if r.format != FormatJSON || len(r.files) > 0 {
				return
			}
			// The typed document (Result, Xds, Explanation): decoded from the
			// library's JSON, it re-encodes to the same document, so no field
			// is lost or invented.
			doc, raw, err := r.decoded(x)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(raw, r.out) {
				t.Fatalf("JSON() differs from the CLI's output")
			}
			again, err := json.Marshal(doc)
			if err != nil {
				t.Fatal(err)
			}
			if !sameDocument(t, again, r.out) {
				t.Fatalf("typed %T re-encodes differently\n got: %s\nwant: %s", doc, again, r.out)
			}
		})
	}
}

// checkErrorRun: the binding refuses the input with the CLI's diagnostics.
func checkErrorRun(t *testing.T, r *goldenRun, err error) {
	t.Helper()
	if err == nil {
		t.Fatalf("translated; want the error %q", r.errText)
	}
	msg := strings.ReplaceAll(err.Error(), r.dir+string(filepath.Separator), "")
	if msg != r.errText {
		t.Errorf("error\n got: %s\nwant: %s", msg, r.errText)
	}
	var list ErrorList
	var one *Error
	if !errors.As(err, &list) || !errors.As(err, &one) {
		t.Fatalf("error %T is not an ErrorList of *Error", err)
	}
	if !errors.Is(err, ErrParse) && !errors.Is(err, ErrLimit) && !errors.Is(err, ErrIO) {
		t.Errorf("errors.Is: code %d is none of ErrParse, ErrLimit, ErrIO", one.Code)
	}
	if one.File == "" || one.Message == "" {
		t.Errorf("diagnostic without file or message: %+v", one)
	}
}

// checkExplainText: the CLI printed its table (the binding has none) or
// refused a what-if target. The binding must explain the same run, and flag
// the same targets: a malformed one is ErrInvalid, an unknown Service has
// Found false.
func checkExplainText(t *testing.T, r *goldenRun, x *Translator, err error) {
	t.Helper()
	var ex *Explanation
	if err == nil {
		ex, err = x.Explain(r.sources(), r.whatIf...)
	}
	if r.out != nil {
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range ex.WhatIf {
			if !w.Found {
				t.Errorf("what-if %s not found, but the CLI explained the run", w.Service)
			}
		}
		return
	}
	if err != nil {
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("want ErrInvalid for %q, got %v", r.errText, err)
		}
		return
	}
	for _, w := range ex.WhatIf {
		if !w.Found && strings.Contains(r.errText, "no Service "+w.Service+" in the input") {
			return
		}
	}
	t.Errorf("explained; the CLI refused the run: %s", r.errText)
}

// checkWarnings compares Translator.Warnings with the CLI's warning lines.
func checkWarnings(t *testing.T, r *goldenRun, x *Translator) {
	t.Helper()
	var ws []*Error
	var err error
	if len(r.files) > 0 {
		paths := make([]string, len(r.files))
		for i, f := range r.files {
			paths[i] = f.Path
		}
		ws, err = x.WarningsFiles(paths...)
	} else {
		ws, err = x.Warnings(r.inputs...)
	}
	if err != nil {
		t.Fatal(err)
	}
	got := make([]string, len(ws))
	for i, w := range ws {
		got[i] = w.Error()
	}
	if !reflect.DeepEqual(got, append([]string{}, r.warns...)) && !(len(got) == 0 && len(r.warns) == 0) {
		t.Fatalf("warnings differ from the CLI's\n got: %q\nwant: %q", got, r.warns)
	}
}
