# Portico. A newcomer needs two commands: `make run` and `make test`. Each installs what
# is missing (and skips what is there), so they work on a fresh machine and in CI.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := run

NODE_BIN := $(CURDIR)/node_modules/.bin
export PATH := $(HOME)/.cargo/bin:$(PATH)
# Compiled into the server so its pages name /pkg/portico.wasm, the file cargo-leptos
# writes; every cargo command here sets it, so builds share one target dir.
export LEPTOS_OUTPUT_NAME := portico
export WRANGLER_SEND_METRICS := false

CARGO_LEPTOS_VERSION := 0.3.10
# The wasm-bindgen CLI must be exactly the library's version in Cargo.lock, and
# worker-build the worker crate's.
locked = $(shell awk '/^name = "$(1)"$$/ { getline; gsub(/version = |"/, ""); print }' Cargo.lock)
WASM_BINDGEN_VERSION := $(call locked,wasm-bindgen)
WORKER_BUILD_VERSION := $(call locked,worker)
# The free Workers plan takes a Worker of at most 3 MiB gzipped.
WORKER_GZIP_BUDGET := 3145728

.PHONY: run test tools site unit-tests integration-tests e2e chromium edge edge-build

## Build and start the self-hosted server on 127.0.0.1:3000 (PORTICO_ADDR to change).
run: site
	./target/debug/portico

## Every test: domain, store and mail unit tests, the HTTP flow against the real server
## with the hydrate bundle built and served, the shared scenario suite against both the
## server and the Worker under wrangler dev, and the browser tests in Chromium on both.
test: unit-tests integration-tests e2e

unit-tests: tools
	cargo test --locked -p portico-app --features ssr --lib

# One test at a time: with several apps, each on its own tokio runtime, rendering in one
# process, Leptos' async SSR now and then never finished a page (about one test run in
# two); one server per process, as in production, did not show it.
integration-tests: site edge-build
	cargo test --locked -p portico-server -- --test-threads=1

## Browser tests (end2end/, Playwright) in Debian's Chromium against the server and the
## Worker, each started on a fresh database by end2end/serve.sh. Screenshots and traces
## land in end2end/test-results, the report in end2end/playwright-report.
e2e: site edge-build chromium end2end/node_modules/.package-lock.json
	cd end2end && node_modules/.bin/playwright test

## The server binary and the hydrate WASM + CSS in target/site.
site: tools
	cargo leptos build

## The Worker (edge/build), built on its own so no server dependency unifies into it.
# No wasm-opt: binaryen's npm build runs under node and took over 6 minutes here, for a
# Worker already well inside its budget.
edge-build: tools site
	cd edge && WASM_BINDGEN_BIN="$$(command -v wasm-bindgen)" ESBUILD_BIN="$(NODE_BIN)/esbuild" \
	  worker-build --profile worker --no-opt
	@size=$$(cat edge/build/index_bg.wasm edge/build/index.js | gzip -9 | wc -c); \
	  echo "Worker size, gzipped: $$((size / 1024)) KiB (budget $$(( $(WORKER_GZIP_BUDGET) / 1024 )) KiB)"; \
	  test "$$size" -le $(WORKER_GZIP_BUDGET) || { echo "The Worker is over the 3 MiB free-plan limit."; exit 1; }

## The Worker under wrangler dev (workerd + a local D1, migrated) on 127.0.0.1:8787.
edge: edge-build .dev.vars
	$(NODE_BIN)/wrangler d1 migrations apply DB --local
	$(NODE_BIN)/wrangler dev --local --ip 127.0.0.1 --port 8787

# Local secrets for wrangler dev (never committed): a sealing key and the demo password.
.dev.vars:
	@echo "PORTICO_SECRET_KEY=$$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')" > $@
	@echo "PORTICO_DEMO_PASSWORD=$$(head -c 12 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')" >> $@
	@echo "Wrote .dev.vars; sign in as owner@example.org with the password in it."

# Build tools compile faster without their release profile's fat LTO (single-threaded).
QUICK_INSTALL := CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16

## Toolchain pieces from the package registries; each skipped when already present.
tools: node_modules/.package-lock.json
	@rustup target list --installed | grep -qx wasm32-unknown-unknown \
	  || rustup target add wasm32-unknown-unknown
	@cargo leptos --version 2>/dev/null | grep -q "$(CARGO_LEPTOS_VERSION)" \
	  || $(QUICK_INSTALL) cargo install cargo-leptos --version $(CARGO_LEPTOS_VERSION) --locked
	@wasm-bindgen --version 2>/dev/null | grep -q "$(WASM_BINDGEN_VERSION)" \
	  || $(QUICK_INSTALL) cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)
	@worker-build --version 2>/dev/null | grep -q "$(WORKER_BUILD_VERSION)" \
	  || $(QUICK_INSTALL) cargo install worker-build --version $(WORKER_BUILD_VERSION) --locked

# wrangler (workerd, local D1) and esbuild, pinned by package-lock.json.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

# Playwright and axe-core, pinned by end2end/package-lock.json; never Playwright's own
# browser download (it cannot reach its servers here).
end2end/node_modules/.package-lock.json: end2end/package.json end2end/package-lock.json
	cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund

# Debian's Chromium, the browser the end2end tests drive.
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
chromium:
	@test -x /usr/bin/chromium || { $(SUDO) apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q chromium chromium-driver; }
