//go:build rebalance_static && linux

package rebalance

import (
	"os"
	"strings"
	"testing"
)

// With -tags rebalance_static the library is linked in: no librebalance.so is
// mapped, although one is on LD_LIBRARY_PATH in the test environment.
func TestStaticBuildLoadsNoSharedLibrary(t *testing.T) {
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		t.Skip("no /proc/self/maps:", err)
	}
	if strings.Contains(string(maps), "librebalance.so") {
		t.Fatalf("a -tags rebalance_static binary loaded the shared library:\n%s", maps)
	}
	if Version() == "" {
		t.Fatal("no version from the linked-in library")
	}
}
