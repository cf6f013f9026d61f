//go:build !race

package rebalance

const raceEnabled = false
