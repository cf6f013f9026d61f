package rebalance

import "testing"

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
