package rebalance

import (
	"bytes"
	"errors"
	"fmt"
	"sync"
	"testing"
)

// Eight goroutines share one Translator per mode and translate, project
// (Xds) or explain different golden inputs at the same time; every result
// must equal the CLI's JSON.
// Run under -race (ctest: go.race).
func TestConcurrentTranslate(t *testing.T) {
	const goroutines = 8
	var runs []goldenRun
	for _, r := range loadGolden(t) {
		if r.out != nil && r.format == FormatJSON && len(r.files) == 0 {
			runs = append(runs, r)
		}
	}
	if len(runs) < goroutines {
		t.Fatalf("only %d JSON runs", len(runs))
	}
	shared := map[string]*Translator{} // by fmt.Sprint(Options): Options hold a slice
	for _, r := range runs {
		if k := fmt.Sprintf("%+v", r.opts); shared[k] == nil {
			shared[k] = newT(t, r.opts)
		}
	}
	iterations := 3 * len(runs)
	if testing.Short() {
		iterations = len(runs)
	}
	var wg sync.WaitGroup
	errs := make(chan error, goroutines)
	start := make(chan struct{})
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			<-start
			for i := 0; i < iterations; i++ {
				// Goroutine g starts at its own case: at any moment the
				// eight are on different inputs.
				r := &runs[(g*len(runs)/goroutines+i)%len(runs)]
				_, raw, err := r.decoded(shared[fmt.Sprintf("%+v", r.opts)])
				if err != nil {
					errs <- err
					return
				}
				if !bytes.Equal(raw, r.out) {
					errs <- errors.New(r.name + ": result differs from the CLI's JSON")
					return
				}
			}
		}(g)
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// Close while other goroutines translate: they either finish or get
// ErrClosed, never touch a freed context.
func TestConcurrentClose(t *testing.T) {
	tr, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	ins := failoverInputs(t, "endpoints-empty.yaml")
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				if _, err := tr.TranslateInputs(ins...); err != nil {
					if !errors.Is(err, ErrClosed) {
						t.Error(err)
					}
					return
				}
			}
		}()
	}
	tr.Close()
	wg.Wait()
}
