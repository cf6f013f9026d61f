module rebalance/bindings/go

go 1.19
