module rebalance.dev/bindings/go

go 1.19
