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
