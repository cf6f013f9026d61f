package rebalance

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"
)

// The cost of crossing into C at all: one trivial call.
func BenchmarkVersionNumber(b *testing.B) {
	for i := 0; i < b.N; i++ {
		VersionNumber()
	}
}

// The fixed cost of a translation: an empty input (input, translate,
// serialize, copy, free, decode of an empty document).
func BenchmarkTranslateEmpty(b *testing.B) {
	tr := newT(b, Options{})
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := tr.Translate(); err != nil {
			b.Fatal(err)
		}
	}
}

// The failover example (two buffers, one route), typed result.
func BenchmarkTranslateFailover(b *testing.B) {
	tr := newT(b, Options{})
	ins := failoverInputs(b, "endpoints-empty.yaml")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := tr.TranslateInputs(ins...); err != nil {
			b.Fatal(err)
		}
	}
}

// The same, raw JSON only: the difference with the above is Go's JSON decoding.
func BenchmarkRenderFailover(b *testing.B) {
	tr := newT(b, Options{})
	ins := failoverInputs(b, "endpoints-empty.yaml")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := tr.Render(FormatJSON, ins...); err != nil {
			b.Fatal(err)
		}
	}
}

// One Translator shared by GOMAXPROCS goroutines.
func BenchmarkTranslateFailoverParallel(b *testing.B) {
	tr := newT(b, Options{})
	ins := failoverInputs(b, "endpoints-empty.yaml")
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := tr.TranslateInputs(ins...); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// The failover example's explanation (two translations, the projection).
func BenchmarkExplainFailover(b *testing.B) {
	tr := newT(b, Options{})
	srcs := inputSources(failoverInputs(b, "endpoints-empty.yaml"))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := tr.Explain(srcs, "default/active"); err != nil {
			b.Fatal(err)
		}
	}
}

// An engine alternating the active EndpointSlice between ready and empty:
// one apply and one incremental translation (raw JSON) per iteration.
func BenchmarkEngineApply(b *testing.B) {
	ready := failoverInputs(b, "endpoints-ready.yaml")
	empty := failoverInputs(b, "endpoints-empty.yaml")
	en := newEngine(b, Options{}, inputSources(ready)...)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		in := ready[1]
		if i%2 == 0 {
			in = empty[1]
		}
		if err := en.ApplyInput(in); err != nil {
			b.Fatal(err)
		}
		if _, err := en.Render(FormatJSON); err != nil {
			b.Fatal(err)
		}
	}
}

// One EndpointSlice change taken to a typed delta: Apply, then Changes
// (translate, and decode only the changed entries). With
// REBALANCE_BENCH_DIR set, the cluster and changes of `rb-bench
// engine-files ROUTES CHANGES DIR` (bench/README.md), one change per
// iteration (run it with -benchtime CHANGESx: a change applied a second time
// may change nothing); else the failover example's active slice, empty then
// ready.
func BenchmarkEngineChanges(b *testing.B) {
	var en *Engine
	var changes []Input
	if dir := os.Getenv("REBALANCE_BENCH_DIR"); dir != "" {
		// 50,000 routes exceed the default input limits, as for rb-bench.
		big := Limits{InputBytes: 1 << 32, Nodes: 1 << 32}
		en = newEngine(b, Options{Limits: big}, File{Path: filepath.Join(dir, "snapshot.yaml")})
		data, err := os.ReadFile(filepath.Join(dir, "changes.yaml"))
		if err != nil {
			b.Fatal(err)
		}
		for _, doc := range bytes.Split(data, []byte("---\n")) {
			if len(doc) > 0 {
				changes = append(changes, Input{Name: "change.yaml", Data: doc})
			}
		}
	} else {
		ready := failoverInputs(b, "endpoints-ready.yaml")
		empty := failoverInputs(b, "endpoints-empty.yaml")
		en = newEngine(b, Options{}, inputSources(ready)...)
		changes = []Input{empty[1], ready[1]}
	}
	if _, err := en.Changes(); err != nil { // the first, full translation
		b.Fatal(err)
	}
	entries := 0
	took := make([]time.Duration, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if err := en.ApplyInput(changes[i%len(changes)]); err != nil {
			b.Fatal(err)
		}
		c, err := en.Changes()
		if err != nil {
			b.Fatal(err)
		}
		took[i] = time.Since(t0)
		entries += len(c.Destinations) + len(c.RouteStatuses)
	}
	b.StopTimer()
	sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
	b.ReportMetric(float64(took[len(took)/2].Microseconds()), "median-us")
	b.ReportMetric(float64(entries)/float64(b.N), "entries/op")
}
