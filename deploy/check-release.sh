#!/usr/bin/env bash
# Starts the folder `make release` made as the README deploys it (its own binary, its site
# folder, production settings, an empty database) on a loopback port, and checks that it
# answers: the first-run page, and the bundle the page names, brotli-compressed and cached.
#   deploy/check-release.sh FOLDER
set -euo pipefail
folder=$(cd "$1" && pwd)
work=$(mktemp -d)
port=$((20000 + RANDOM % 10000))
base="http://127.0.0.1:$port"
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
# As portico.env sets them, on loopback; the e-mail API is never called here.
(cd "$work" && exec env -i PATH="$PATH" PORTICO_ADDR="127.0.0.1:$port" PORTICO_PUBLIC_URL="$base" \
  PORTICO_DATABASE="$work/portico.db" LEPTOS_SITE_ROOT="$folder/site" \
  PORTICO_EMAIL_API_URL=http://127.0.0.1:9 PORTICO_EMAIL_API_KEY=unused "$folder/portico") > "$work/log" 2>&1 &
pid=$!
for _ in $(seq 100); do curl -sf -o /dev/null "$base/setup" && break; kill -0 "$pid" || break; sleep 0.2; done
fail() { echo "release check: $1" >&2; cat "$work/log" >&2; exit 1; }
page=$(curl -sf "$base/setup") || fail "no first-run page at /setup"
grep -q "Set up Portico" <<< "$page" || fail "/setup is not the first-run page"
wasm=$(grep -o '/pkg/portico-[0-9a-f]*\.wasm' <<< "$page" | head -1)
[ -n "$wasm" ] || fail "the page names no content-hashed WASM"
headers=$(curl -sf -o /dev/null -D - -H 'Accept-Encoding: br' "$base$wasm") || fail "$wasm is not served"
grep -qi '^content-encoding: br' <<< "$headers" || fail "$wasm is not sent brotli-compressed"
grep -qi '^cache-control: public, max-age=31536000, immutable' <<< "$headers" || fail "$wasm is not cacheable"
echo "release check: $folder serves /setup and $wasm (brotli, immutable) on $base"
