//go:build asan

package rebalance

import (
	"fmt"
	"os"
	"testing"
)

func TestMain(m *testing.M) {
	code := m.Run()
	if leakCheck() != 0 {
		fmt.Fprintln(os.Stderr, "LeakSanitizer: C memory leaked by the tests")
		code = 1
	}
	os.Exit(code)
}
