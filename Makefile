# Portico. A newcomer needs two commands: `make run` and `make test`. Each installs what
# is missing (and skips what is there), so they work on a fresh machine and in CI.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := run

export PATH := $(HOME)/.cargo/bin:$(PATH)
# Compiled into the server so its pages name /pkg/portico.wasm, the file cargo-leptos
# writes; every cargo command here sets it, so builds share one target dir.
export LEPTOS_OUTPUT_NAME := portico

CARGO_LEPTOS_VERSION := 0.3.10
# The wasm-bindgen CLI must be exactly the library's version in Cargo.lock.
WASM_BINDGEN_VERSION := $(shell awk '/^name = "wasm-bindgen"$$/ { getline; gsub(/version = |"/, ""); print }' Cargo.lock)

.PHONY: run test tools site unit-tests integration-tests

## Build and start the self-hosted server on 127.0.0.1:3000 (PORTICO_ADDR to change).
run: site
	./target/debug/portico

## Every test: domain, store and mail unit tests, then the HTTP flow against the real
## server with the hydrate bundle built and served.
test: site unit-tests integration-tests

unit-tests: tools
	cargo test --locked -p portico-app --features ssr --lib

# One test at a time: with several apps, each on its own tokio runtime, rendering in one
# process, Leptos' async SSR now and then never finished a page (about one test run in
# two); one server per process, as in production, did not show it.
integration-tests: site
	cargo test --locked -p portico-server -- --test-threads=1

## The server binary and the hydrate WASM + CSS in target/site.
site: tools
	cargo leptos build

# Build tools compile faster without their release profile's fat LTO (single-threaded).
QUICK_INSTALL := CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16

## Toolchain pieces from the package registries; each skipped when already present.
tools:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown \
	  || rustup target add wasm32-unknown-unknown
	@cargo leptos --version 2>/dev/null | grep -q "$(CARGO_LEPTOS_VERSION)" \
	  || $(QUICK_INSTALL) cargo install cargo-leptos --version $(CARGO_LEPTOS_VERSION) --locked
	@wasm-bindgen --version 2>/dev/null | grep -q "$(WASM_BINDGEN_VERSION)" \
	  || $(QUICK_INSTALL) cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)
