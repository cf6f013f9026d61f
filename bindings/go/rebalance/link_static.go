//go:build rebalance_static

package rebalance

// go build -tags rebalance_static: link librebalance.a (-l:librebalance.a,
// so the shared library cannot be picked instead) and its dependencies (libcyaml,
// libcjson, libyaml, liblua5.1, libm) through rebalance-static.pc.
// static_test.go checks that no librebalance.so is loaded.

// #cgo pkg-config: rebalance-static
import "C"
