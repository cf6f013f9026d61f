//go:build race

package rebalance

// raceEnabled: under -race, tests that build a second program skip (the
// plain `go test` run covers them).
const raceEnabled = true
