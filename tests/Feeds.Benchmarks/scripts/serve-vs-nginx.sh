#!/usr/bin/env bash
# Serving throughput of /everything.atom against nginx serving the same bytes, in one run on this machine.
#   1. starts Feeds.Server (Release) on 127.0.0.1 with the 50 sample posts and saves the firehose it serves;
#   2. runs shared/tools/bench/nginx-wrk.sh on those bytes (the anchor);
#   3. runs the same wrk load (-t2 -c50) against Feeds: no Accept-Encoding, Accept-Encoding: gzip, and
#      conditional requests answered 304, after a warm-up of the same requests (WARMUP, not counted: the runtime's
#      tiered compiler takes some seconds of load to settle, while nginx's first request is already its fastest);
#   4. prints each figure as a ratio of nginx's (targets: >= 0.8x plain and gzip; 304s >= nginx's 200s).
# Usage: tests/Feeds.Benchmarks/scripts/serve-vs-nginx.sh [DURATION=10s] [PORT=5081] [WARMUP=10s]
set -euo pipefail
source "$(dirname "$0")/feeds-server.sh"
dur=${1:-10s}
warmup=${3:-10s}
require_programs wrk nginx curl
start_feeds_server "${2:-5081}" --seed-samples
for _ in $(seq 300); do
  curl -s -o "$work/feed.atom" "$base/everything.atom" && grep -q '<entry>' "$work/feed.atom" && break
  sleep 0.1
done
etag=$(curl -s -D - -o /dev/null "$base/everything.atom" | awk 'tolower($1) == "etag:" { sub(/\r$/, "", $2); print $2 }')

echo "== nginx (anchor), same bytes"
anchor=$(bash "$tools/bench/nginx-wrk.sh" "$work/feed.atom" 18180 "$dur")
echo "$anchor"

feeds() { # name, extra wrk arguments...
  local name=$1 out
  shift
  out=$(wrk -t2 -c50 -d"$dur" "$@" "$base/everything.atom")
  awk '/Requests\/sec/ { print $2 }' <<<"$out"
  printf '%-15s %10s req/s  (latency avg %s)\n' "$name" "$(awk '/Requests\/sec/ { print $2 }' <<<"$out")" \
    "$(awk '/Latency/ { print $2; exit }' <<<"$out")" >&2
}
echo "== Feeds"
for headers in "X-Warm-Up: plain" "Accept-Encoding: gzip" "If-None-Match: $etag"; do
  wrk -t2 -c50 -d"$warmup" -H "$headers" "$base/everything.atom" >/dev/null
done
plain=$(feeds plain)
gzip=$(feeds gzip+AE -H "Accept-Encoding: gzip")
notmodified=$(feeds 304 -H "If-None-Match: $etag")
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "$base/everything.atom")" = 304 ] || { echo "conditional request did not get 304" >&2; exit 1; }

nginx_plain=$(awk '$1 == "plain" { print $4 }' <<<"$anchor")
nginx_gzip=$(awk '$1 == "gzip_static+AE" { print $4 }' <<<"$anchor")
echo "== ratios (Feeds / nginx)"
awk -v p="$plain" -v g="$gzip" -v n="$notmodified" -v np="$nginx_plain" -v ng="$nginx_gzip" 'BEGIN {
  printf "plain: %.2fx nginx plain (target >= 0.8)\n", p / np
  printf "gzip:  %.2fx nginx gzip_static (target >= 0.8)\n", g / ng
  printf "304:   %.2fx nginx plain 200s (target >= 1.0)\n", n / np
}'
