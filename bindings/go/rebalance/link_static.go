//go:build rebalance_static

package rebalance

// go build -tags rebalance_static: link librebalance.a and its dependencies
// (libcyaml, libcjson, libyaml, libm) statically.

// #cgo pkg-config: --static rebalance
import "C"
