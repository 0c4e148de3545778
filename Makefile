# The two commands of the quick start. Each installs libclang first if the
# machine lacks it (Oxigraph's RocksDB build needs it), then calls cargo.
.PHONY: build test check

# Convert data/ into the store at .yushu-kg/store.
build:
	./scripts/ensure-libclang
	cargo run -- build

# Run every test.
test:
	./scripts/ensure-libclang
	cargo test

# What CI runs: formatting, lints, tests.
check:
	./.ci/run
