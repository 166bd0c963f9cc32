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

report() {
  read -r rps p50 p99 bad <<< "$2"
  printf '%-7s %-22s %9s req/s   p50 %9s   p99 %9s%s\n' "$TARGET" "$1" "$rps" "$p50" "$p99" \
    "$([ "$bad" -gt 0 ] && echo "   ($bad answers not 2xx/3xx)")"
}

connections=16
report "sign-in page" "$(measure "$BASE_URL/login")"
report "invitation page" "$(measure "$BASE_URL$INVITE")"
report "staff member list" "$(measure -H "Cookie: $COOKIE" "$BASE_URL/staff/members")"
report "static file (CSS)" "$(measure "$BASE_URL/pkg/$(cat target/site/bundle-name).css")"

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

# What a member's phone downloads, and how long until the page works (Chromium, throttled).
node end2end/phone.mjs "$BASE_URL"
