//go:build asan

package rebalance

import (
	"fmt"
	"os"
	"testing"
)

// asanEnabled: under -asan, tests that build a second program skip (it would
// need the sanitizer runtime too; the plain `go test` run covers them).
const asanEnabled = true

func TestMain(m *testing.M) {
	code := m.Run()
	if leakCheck() != 0 {
		fmt.Fprintln(os.Stderr, "LeakSanitizer: C memory leaked by the tests")
		code = 1
	}
	os.Exit(code)
}
