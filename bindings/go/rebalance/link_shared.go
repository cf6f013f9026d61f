//go:build !rebalance_static

package rebalance

// The default: the shared librebalance found by pkg-config. For the in-tree
// tests, CMake puts rebalance-uninstalled.pc on PKG_CONFIG_PATH.

// #cgo pkg-config: rebalance
import "C"
