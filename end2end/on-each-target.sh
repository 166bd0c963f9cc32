#!/usr/bin/env bash
# Runs COMMAND against the release server and then the Worker under wrangler dev, each
# started on a fresh database by serve.sh, with TARGET and BASE_URL set (make stress, bench):
#   on-each-target.sh PORT COMMAND...
set -euo pipefail
cd "$(dirname "$0")/.."
port=$1; shift
export E2E_OWNER_PASSWORD=load-owner-password E2E_SECRET_KEY=ZTJlLXNlYWxpbmcta2V5LWZvci10ZXN0cy1vbmx5ISE
export PORTICO_BIN=target/release/portico BASE_URL="http://127.0.0.1:$port"
for TARGET in server worker; do
  export TARGET
  setsid end2end/serve.sh "$TARGET" "$port" > "target/load-$TARGET.log" 2>&1 &
  pid=$!
  trap 'kill -- -$pid 2>/dev/null' EXIT
  until curl -sf -o /dev/null "$BASE_URL/login"; do
    kill -0 "$pid" 2>/dev/null || { cat "target/load-$TARGET.log"; exit 1; }
    sleep 1
  done
  "$@"
  kill -- -"$pid" && wait "$pid" || true
done
