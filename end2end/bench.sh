#!/usr/bin/env bash
# Load figures for one running target (make bench): wrk on loopback, 16 connections,
# BENCH_SECONDS (10) a case. Prints req/s, p50 and p99 per case, and the sign-in rate
# against its ceiling: cores ÷ the time one sign-in takes alone (an argon2id hash, mostly);
# then what a phone downloads for the invitation page and the portal (end2end/phone.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(node end2end/bench-setup.mjs "$BASE_URL")"
seconds=${BENCH_SECONDS:-10}

# wrk's report → "req/s p50 p99 non-2xx/3xx"
measure() {
  wrk -t"$(( connections < 2 ? 1 : 2 ))" -c"$connections" -d"${seconds}s" --latency "$@" | awk '
    /Requests\/sec/ { rps = $2 }
    $1 == "50%" { p50 = $2 }
    $1 == "99%" { p99 = $2 }
    /Non-2xx or 3xx/ { bad = $5 }
    END { printf "%s %s %s %d\n", rps, p50, p99, bad }'
}

# With a third argument (the static file's req/s), the page's throughput against it too.
report() {
  read -r rps p50 p99 bad <<< "$2"
  printf '%-7s %-22s %9s req/s   p50 %9s   p99 %9s%s%s\n' "$TARGET" "$1" "$rps" "$p50" "$p99" \
    "${3:+$(awk -v page="$rps" -v file="$3" 'BEGIN { r = page / file; printf "   %.2f× the static file%s", r, r < 0.5 ? "   BELOW 0.5×" : "" }')}" \
    "$([ "$bad" -gt 0 ] && echo "   ($bad answers not 2xx/3xx)")"
}

# The static file first: each page is measured against it (issue 25: within 2×, ≥ 0.5×).
connections=16
static=$(measure "$BASE_URL/pkg/$(cat target/site/bundle-name).css")
report "static file (CSS)" "$static"
read -r static_rps _ <<< "$static"
report "sign-in page" "$(measure "$BASE_URL/login")" "$static_rps"
report "invitation page" "$(measure "$BASE_URL$INVITE")" "$static_rps"
report "staff member list" "$(measure -H "Cookie: $COOKIE" "$BASE_URL/staff/members")" "$static_rps"

export BENCH_ORIGIN="$BASE_URL"
connections=1
alone=$(measure -s end2end/sign-in.lua "$BASE_URL/api/login")
report "one sign-in at a time" "$alone"
connections=16
storm=$(measure -s end2end/sign-in.lua "$BASE_URL/api/login")
report "sign-in storm" "$storm"
read -r _ p50 _ _ <<< "$alone"
read -r rate _ _ _ <<< "$storm"
awk -v p50="$p50" -v rate="$rate" -v cores="$(nproc)" -v target="$TARGET" 'BEGIN {
  ms = p50 + 0; if (p50 ~ /us$/) ms /= 1000; else if (p50 ~ /[^m]s$/) ms *= 1000
  ceiling = cores * 1000 / ms
  printf "%-7s sign-ins: %.1f/s under the storm, ceiling %.1f/s (%d cores / %.1f ms a sign-in)\n", target, rate, ceiling, cores, ms
}'

# The member list at 100,000 members (the server only: seeding goes through its binary),
# one connection at a time, so the latency is the server's time for the page.
if [ "$TARGET" = server ]; then
  start=$SECONDS
  PORTICO_ENV=development PORTICO_DATABASE="${TMPDIR:-/tmp}/portico-e2e-server-${BASE_URL##*:}/portico.db" \
    "$PORTICO_BIN" seed --members 100000 > /dev/null
  echo "$TARGET  seeded 100,000 members with their contacts in $((SECONDS - start)) s"
  connections=1 seconds=${BENCH_LIST_SECONDS:-5}
  report "list, 100k: first page" "$(measure -H "Cookie: $COOKIE" "$BASE_URL/staff/members")"
  report "list, 100k: search" "$(measure -H "Cookie: $COOKIE" "$BASE_URL/staff/members?q=garc")"
  report "list, 100k: by last login" "$(measure -H "Cookie: $COOKIE" "$BASE_URL/staff/members?sort=last-login")"
  for status in not-invited waiting expired delivery-failed declined revoked never-signed-in active no-email; do
    report "list, 100k: $status" "$(measure -H "Cookie: $COOKIE" "$BASE_URL/staff/members?status=$status")"
  done
  # The API's first page of members (issue 26: p50 under 10 ms at 100,000), with a read key
  # made on the API keys page: its one-time cookie carries the key to the page that shows it.
  handed=$(curl -s -D - -o /dev/null -H "Cookie: $COOKIE" -H "Origin: $BASE_URL" -H 'Accept: text/html' \
    --data 'name=Bench&access=read' "$BASE_URL/api/create_api_key" |
    awk -F'[ ;]' 'tolower($1) == "set-cookie:" && $2 ~ /^portico_new_key=/ { print $2 }')
  api_key=$(curl -s -H "Cookie: $COOKIE; $handed" "$BASE_URL/staff/api-keys" | grep -o 'pk_live_[A-Za-z0-9_-]*' | head -1)
  report "API, 100k: members" "$(measure -H "Authorization: Bearer $api_key" "$BASE_URL/api/v1/members")"
  report "API, 100k: search" "$(measure -H "Authorization: Bearer $api_key" "$BASE_URL/api/v1/members?q=garc")"
  # Send All for everyone whose first or last name starts with "a": about 11,000 people.
  call() {
    curl -s -o target/bench-round.json -w '%{time_total}' -H "Cookie: $COOKIE" -H "Origin: $BASE_URL" \
      -H 'Accept: application/json' --data "$2" "$BASE_URL/api/$1"
  }
  planned=$(call plan_round 'q=a')
  read -r invite key < <(node -e 'const p = require("./target/bench-round.json"); console.log(p.will_invite, p.request_key)')
  sent=$(call send_round "request_key=$key&q=a&confirmed_count=$invite")
  # Targets: 1 s each (README). Past one, the line says so: a 60× slower enqueue once sat
  # unnoticed among the figures.
  printf '%-7s Send All for %s people: dry run %.2f s, planned and enqueued %.2f s (targets 1 s)%s\n' \
    "$TARGET" "$invite" "$planned" "$sent" "$(awk -v p="$planned" -v s="$sent" 'BEGIN { if (p > 1 || s > 1) print "   OVER TARGET" }')"
  csv=$(curl -s -o /dev/null -w '%{time_total} %{size_download}' -H "Cookie: $COOKIE" "$BASE_URL/staff/members/export")
  read -r seconds_csv bytes_csv <<< "$csv"
  printf '%-7s CSV export of every member: %.1f s, %d MB\n' "$TARGET" "$seconds_csv" "$((bytes_csv / 1000000))"
  # An import of 100,000 new members, each with a parent (issue 26: dry run and import each
  # under 10 s, the server under 200 MB): the upload, the page with its dry run, then the
  # import asked for again until it is done, as the page does.
  awk 'BEGIN { print "Member number,First name,Last name,E-mail,Parent name,Parent e-mail,Class"
    for (i = 1; i <= 100000; i++) printf "B-%d,Bea%d,Import,bea%d@bench.example,Pat Import%d,pat%d@bench.example,Class %d\n", i, i, i, i, i, i % 40 }' \
    > target/bench-import.csv
  timed() { local start=$EPOCHREALTIME; "$@" > /dev/null; awk -v s="$start" -v e="$EPOCHREALTIME" 'BEGIN { printf "%.2f", e - s }'; }
  upload() {
    curl -s -o /dev/null -w '%{redirect_url}' -H "Cookie: $COOKIE" -H "Origin: $BASE_URL" -H 'Accept: text/html' \
      -F "file=@target/bench-import.csv;type=text/csv" "$BASE_URL/staff/imports/new" > target/bench-import-page
  }
  run_to_end() {
    while true; do
      call run_import "import=$1" > /dev/null
      case $(node -e 'const p = require("./target/bench-round.json"); console.log("finished" in p ? p.finished : "no")') in
        true) return ;;
        false) ;;
        *) cat target/bench-round.json >&2; return 1 ;;
      esac
    done
  }
  # The server's own memory (anonymous: its heap, not the database file it maps), sampled.
  server_pid=$(pgrep -n -f "^$PORTICO_BIN")
  before=$(awk '/RssAnon/ { print int($2 / 1024) }' "/proc/$server_pid/status")
  rm -f target/bench-import-done
  (peak=0; until [ -e target/bench-import-done ]; do
     now=$(awk '/RssAnon/ { print $2 }' "/proc/$server_pid/status"); [ "$now" -gt "$peak" ] && peak=$now
     echo "$peak" > target/bench-import-peak; sleep 0.02; done) &
  uploaded=$(timed upload)
  import=$(sed 's|.*/||' target/bench-import-page)
  dry_run=$(timed curl -s -H "Cookie: $COOKIE" "$BASE_URL/staff/imports/$import")
  imported=$(timed run_to_end "$import")
  touch target/bench-import-done && wait $!
  peak=$(( $(cat target/bench-import-peak) / 1024 ))
  printf '%-7s import of 100,000 rows: upload %.2f s, dry run %.2f s, import %.2f s, server heap peak %d MB, %d MB before it (targets 10 s, 200 MB)%s\n' \
    "$TARGET" "$uploaded" "$dry_run" "$imported" "$peak" "$before" \
    "$(awk -v d="$dry_run" -v i="$imported" -v m="$peak" 'BEGIN { if (d > 10 || i > 10 || m > 200) print "   OVER TARGET" }')"
  end2end/bench-drain.sh "$(( ${BASE_URL##*:} + 10 ))"
fi

# What a member's phone downloads, and how long until the page works (Chromium, throttled).
node end2end/phone.mjs "$BASE_URL"
