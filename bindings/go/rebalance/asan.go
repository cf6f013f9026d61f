//go:build asan

package rebalance

// Under `go test -asan` (the asan CMake preset links the static sanitized
// library) LeakSanitizer does not run at exit, because a Go program leaves
// through exit_group. TestMain calls this after the tests instead.

// #include <sanitizer/lsan_interface.h>
import "C"

// leakCheck runs LeakSanitizer now; non-zero when leaks were found (reported on stderr).
func leakCheck() int { return int(C.__lsan_do_recoverable_leak_check()) }
