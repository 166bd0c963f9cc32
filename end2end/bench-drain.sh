#!/usr/bin/env bash
# The outbox draining to a local stand-in of the e-mail API's batch endpoint (make bench,
# server only): a release server on its own database of 10,000 members sends everyone one
# round; prints the rate from the first batch the stand-in got to the last, and how long
# after the round's answer the last arrived. A webhook endpoint on the same stand-in hears
# of each invitation made: the rate it is told at (issue 26: at least 500 a second).
#   bench-drain.sh PORT      (uses PORT and PORT + 1)
set -euo pipefail
cd "$(dirname "$0")/.."
port=$1 api_port=$(($1 + 1)) members=${BENCH_DRAIN_MEMBERS:-10000}
base="http://127.0.0.1:$port"
state=$(mktemp -d)
node end2end/email-api-stand-in.mjs "$api_port" & api=$!
PORTICO_ENV=development PORTICO_DEMO_PASSWORD="$E2E_OWNER_PASSWORD" PORTICO_ADDR="127.0.0.1:$port" \
  PORTICO_PUBLIC_URL="$base" PORTICO_DATABASE="$state/portico.db" LEPTOS_SITE_ROOT=target/site \
  PORTICO_EMAIL_API_URL="http://127.0.0.1:$api_port" PORTICO_EMAIL_API_KEY=stand-in \
  "$PORTICO_BIN" > target/load-drain.log 2>&1 & server=$!
trap 'kill $server $api 2>/dev/null; rm -rf "$state"' EXIT
until curl -sf -o /dev/null "$base/login"; do
  kill -0 "$server" 2>/dev/null || { cat target/load-drain.log; exit 1; }
  sleep 0.2
done
PORTICO_ENV=development PORTICO_DATABASE="$state/portico.db" "$PORTICO_BIN" seed --members "$members" > /dev/null
cookie=$(curl -s -o /dev/null -D - -H "Origin: $base" --data-urlencode "email=owner@example.org" \
  --data-urlencode "password=$E2E_OWNER_PASSWORD" "$base/api/login" | sed -n 's/^set-cookie: \(portico_session=[^;]*\).*/\1/ip')
call() {
  curl -sf -o target/bench-drain.json -H "Cookie: $cookie" -H "Origin: $base" -H 'Accept: application/json' \
    --data "$2" "$base/api/$1"
}
call add_webhook "url=http://127.0.0.1:$api_port/hooks&invitation_created=true"
call plan_round 'q='
read -r invite key < <(node -e 'const p = require("./target/bench-drain.json"); console.log(p.will_invite, p.request_key)')
call send_round "request_key=$key&q=&confirmed_count=$invite"
enqueued=$(date +%s%3N)
stats() { curl -sf "http://127.0.0.1:$api_port/stats"; }
until [ "$(stats | node -e 'process.stdin.on("data", d => console.log(JSON.parse(d).messages))')" -ge "$invite" ]; do
  sleep 0.1
done
read -r messages batches first last < <(stats | node -e '
  process.stdin.on("data", d => { const s = JSON.parse(d); console.log(s.messages, s.batches, s.first_at, s.last_at) })')
awk -v n="$messages" -v b="$batches" -v ms="$((last - first))" -v after="$((last - enqueued))" -v target="$TARGET" 'BEGIN {
  rate = n * 1000 / ms
  printf "%-7s outbox drain to the batch endpoint: %d messages in %d batches in %.2f s (%.0f messages/s, target 1000), the last %.2f s after the round was enqueued%s\n", target, n, b, ms / 1000, rate, after / 1000, rate < 1000 ? "   OVER TARGET" : ""
}'
until [ "$(stats | node -e 'process.stdin.on("data", d => console.log(JSON.parse(d).hooks))')" -ge "$invite" ]; do
  sleep 0.1
done
read -r hooks first last < <(stats | node -e '
  process.stdin.on("data", d => { const s = JSON.parse(d); console.log(s.hooks, s.hooks_first_at, s.hooks_last_at) })')
awk -v n="$hooks" -v ms="$((last - first))" -v after="$((last - enqueued))" -v target="$TARGET" 'BEGIN {
  rate = n * 1000 / ms
  printf "%-7s webhooks to a local receiver: %d messages in %.2f s (%.0f a second, target 500), the last %.2f s after the round was enqueued%s\n", target, n, ms / 1000, rate, after / 1000, rate < 500 ? "   OVER TARGET" : ""
}'
