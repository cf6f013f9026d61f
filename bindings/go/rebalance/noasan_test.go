//go:build !asan

package rebalance

const asanEnabled = false
