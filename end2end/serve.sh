#!/usr/bin/env bash
# Starts one target for the browser tests on a fresh database, as a user would run it:
#   serve.sh server PORT [first-run]   the built portico binary (make run builds it; PORTICO_BIN for another)
#   serve.sh worker PORT [first-run]   wrangler dev on the built Worker (make edge-build), local D1
# Both keep e-mail in the dev mailbox, where the tests read the invitation links; with
# first-run, the target runs as deployed (production) on its empty database instead.
set -euo pipefail
cd "$(dirname "$0")/.."
target=$1 port=$2 mode=${3:-dev}
# Outside the project: wrangler dev watches the project's files and reloads the Worker
# when they change, which D1 writing its files would otherwise set off mid-request.
state="${TMPDIR:-/tmp}/portico-e2e-$target-$port"
rm -rf "$state" && mkdir -p "$state"
# Test-only secrets: a fixed sealing key and the demo owner's password (see playwright.config.ts).
export PORTICO_PUBLIC_URL="http://127.0.0.1:$port"
if [ "$mode" = first-run ]; then
  # Production, which must name an e-mail API: nothing listens on the discard port, and the
  # first-run test sends no e-mail.
  export PORTICO_ENV=production PORTICO_DEMO_PASSWORD="" \
    PORTICO_EMAIL_API_URL=http://127.0.0.1:9 PORTICO_EMAIL_API_KEY=unused
else
  # Dev mode (loopback only): the demo organisation, and e-mail kept in the dev mailbox.
  export PORTICO_ENV=development PORTICO_DEMO_PASSWORD="$E2E_OWNER_PASSWORD"
fi
case "$target" in
  server)
    binary="${PORTICO_BIN:-target/debug/portico}"
    test -x "$binary" || { echo "The server is not built: run make host first." >&2; exit 1; }
    PORTICO_ADDR="127.0.0.1:$port" PORTICO_DATABASE="$state/portico.db" LEPTOS_SITE_ROOT=target/site \
      exec "$binary"
    ;;
  worker)
    test -f edge/build/index.js || { echo "The Worker is not built: run make edge-build first." >&2; exit 1; }
    export CI=1 WRANGLER_SEND_METRICS=false
    node_modules/.bin/wrangler d1 migrations apply DB --local --persist-to "$state"
    exec node_modules/.bin/wrangler dev --local --ip 127.0.0.1 --port "$port" \
      --inspector-port "$((port + 1000))" --show-interactive-dev-session=false --persist-to "$state" \
      --var "PORTICO_SECRET_KEY:$E2E_SECRET_KEY" --var "PORTICO_DEMO_PASSWORD:$PORTICO_DEMO_PASSWORD" \
      --var "PORTICO_PUBLIC_URL:$PORTICO_PUBLIC_URL" --var "PORTICO_ENV:$PORTICO_ENV" \
      ${PORTICO_EMAIL_API_URL:+--var "PORTICO_EMAIL_API_URL:$PORTICO_EMAIL_API_URL"} \
      ${PORTICO_EMAIL_API_KEY:+--var "PORTICO_EMAIL_API_KEY:$PORTICO_EMAIL_API_KEY"} \
      ${PORTICO_RATE_LIMITS:+--var "PORTICO_RATE_LIMITS:$PORTICO_RATE_LIMITS"}
    ;;
  *) echo "usage: serve.sh server|worker PORT [first-run]" >&2; exit 2 ;;
esac
