package rebalance

import (
	"bytes"
	"encoding/json"
	"errors"
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
var goldenRoot = filepath.Join("..", "..", "tests", "golden")

type goldenRun struct {
	name    string // "<case>/<run>"
	dir     string
	opts    Options
	format  Format
	inputs  []Input // the case's input* files, as named buffers
	files   []File  // file arguments of the run, when it has any
	out     []byte  // expected stdout, nil for an error run
	errText string  // expected stderr (trimmed) of an error run
}

// parseArgs understands the CLI options a run may use. ok is false for runs
// that test the CLI rather than the library (unknown options, bad format).
func parseArgs(args []string) (o Options, f Format, files []string, ok bool) {
	f = FormatYAML
	if len(args) == 0 || args[0] != "translate" {
		return o, f, nil, false
	}
	for i := 1; i < len(args); i++ {
		switch a := args[i]; a {
		case "-o":
			if i+1 >= len(args) {
				return o, f, nil, false
			}
			i++
			switch args[i] {
			case "json":
				f = FormatJSON
			case "yaml":
				f = FormatYAML
			default:
				return o, f, nil, false
			}
		case "--compat":
			if i+1 >= len(args) || args[i+1] != "envoy-gateway" {
				return o, f, nil, false
			}
			i++
			o.Mode = ModeCompatEnvoyGateway
		case "--disable-backend-api":
			o.Flags |= DisableBackendAPI
		case "--running-on-host":
			o.Flags |= RunningOnHost
		case "--rebalance-not-ready":
			o.Flags |= RebalanceNotReady
		case "--gateway-class":
			if i+1 >= len(args) {
				return o, f, nil, false
			}
			i++
			o.GatewayClass = args[i]
		default:
			if strings.HasPrefix(a, "-") {
				return o, f, nil, false
			}
			files = append(files, a)
		}
	}
	return o, f, files, true
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
			opts, format, files, ok := parseArgs(strings.Fields(string(text)))
			if !ok {
				continue // a CLI-only case (unknown option, output format)
			}
			r := goldenRun{name: d.Name() + "/" + run, dir: dir, opts: opts, format: format, inputs: inputs}
			for _, f := range files {
				r.files = append(r.files, File{Path: filepath.Join(dir, f)})
			}
			if len(r.files) > 0 { // the CLI appends the case's inputs to the arguments
				for _, in := range inputs {
					r.files = append(r.files, File{Path: filepath.Join(dir, in.Name)})
				}
			}
			if out, err := os.ReadFile(filepath.Join(dir, run+".out")); err == nil {
				r.out = out
			} else if e, err := os.ReadFile(filepath.Join(dir, run+".err")); err == nil {
				r.errText = strings.TrimRight(string(e), "\n")
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

// render runs one golden case through Render or RenderFiles.
func (r *goldenRun) render(tr *Translator) ([]byte, error) {
	if len(r.files) > 0 {
		return tr.RenderFiles(r.format, r.files...)
	}
	return tr.Render(r.format, r.inputs...)
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
	tr := map[Options]*Translator{}
	defer func() {
		for _, x := range tr {
			x.Close()
		}
	}()
	for _, r := range loadGolden(t) {
		r := r
		t.Run(r.name, func(t *testing.T) {
			x := tr[r.opts]
			if x == nil {
				var err error
				if x, err = New(r.opts); err != nil {
					t.Fatal(err)
				}
				tr[r.opts] = x
			}
			got, err := r.render(x)
			if r.out == nil { // an error run
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
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, r.out) {
				t.Fatalf("output differs from the CLI's\n got: %s\nwant: %s", got, r.out)
			}
			if r.format != FormatJSON || len(r.files) > 0 {
				return
			}
			// The typed Result: decoded from the library's JSON, it re-encodes
			// to the same document, so no field is lost or invented.
			res, err := x.TranslateInputs(r.inputs...)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(res.JSON(), r.out) {
				t.Fatalf("Result.JSON differs from the CLI's output")
			}
			again, err := json.Marshal(res)
			if err != nil {
				t.Fatal(err)
			}
			if !sameDocument(t, again, r.out) {
				t.Fatalf("typed Result re-encodes differently\n got: %s\nwant: %s", again, r.out)
			}
		})
	}
}
