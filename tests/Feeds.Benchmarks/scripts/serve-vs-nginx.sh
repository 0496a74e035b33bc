#!/usr/bin/env bash
# Serving throughput of /everything.atom against nginx serving the same bytes, in one run on this machine.
#   1. starts Feeds.Server (Release) on 127.0.0.1 with the 50 sample posts and saves the firehose it serves;
#   2. warms Feeds up with the same load (WARMUP per kind, not counted: the runtime's tiered compiler takes some
#      seconds of load to settle, while nginx's first request is already its fastest);
#   3. in each of ROUNDS rounds, runs shared/tools/bench/nginx-wrk.sh on those bytes (the anchor) and then the same wrk
#      load (-t2 -c50) against Feeds: no Accept-Encoding, Accept-Encoding: gzip, and conditional requests answered 304;
#   4. prints each round's figures as ratios of nginx's in that round, then the median ratio of each kind
#      (targets: >= 0.8x plain and gzip; 304s >= nginx's 200s).
# Rounds alternate because this machine's speed changes by a third and more over seconds to minutes: two figures
# taken a minute apart can straddle such a change, two taken seconds apart rarely do.
# Usage: tests/Feeds.Benchmarks/scripts/serve-vs-nginx.sh [DURATION=5s] [PORT=5081] [WARMUP=10s] [ROUNDS=5]
set -euo pipefail
source "$(dirname "$0")/feeds-server.sh"
dur=${1:-5s}
warmup=${3:-10s}
rounds=${4:-5}
require_programs wrk nginx curl
start_feeds_server "${2:-5081}" --seed-samples
for _ in $(seq 300); do
  curl -s -o "$work/feed.atom" "$base/everything.atom" && grep -q '<entry>' "$work/feed.atom" && break
  sleep 0.1
done
etag=$(curl -s -D - -o /dev/null "$base/everything.atom" | awk 'tolower($1) == "etag:" { sub(/\r$/, "", $2); print $2 }')
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "$base/everything.atom")" = 304 ] || { echo "conditional request did not get 304" >&2; exit 1; }

feeds() { # extra wrk arguments... -> requests/s
  wrk -t2 -c50 -d"$dur" "$@" "$base/everything.atom" | awk '/Requests\/sec/ { print $2 }'
}

for headers in "X-Warm-Up: plain" "Accept-Encoding: gzip" "If-None-Match: $etag"; do
  wrk -t2 -c50 -d"$warmup" -H "$headers" "$base/everything.atom" >/dev/null
done

echo "$(stat -c %s "$work/feed.atom") bytes; $(nproc) cores shared by the server and wrk; $rounds rounds of $dur per figure"
printf '%-6s %28s %28s %28s\n' round "plain: Feeds/nginx" "gzip: Feeds/nginx static" "304: Feeds/nginx 200"
: >"$work/ratios"
for round in $(seq "$rounds"); do
  anchor=$(bash "$tools/bench/nginx-wrk.sh" "$work/feed.atom" 18180 "$dur")
  plain=$(feeds)
  gzip=$(feeds -H "Accept-Encoding: gzip")
  notmodified=$(feeds -H "If-None-Match: $etag")
  nginx_plain=$(awk '$1 == "plain" { print $4 }' <<<"$anchor")
  nginx_gzip=$(awk '$1 == "gzip_static+AE" { print $4 }' <<<"$anchor")
  awk -v r="$round" -v p="$plain" -v g="$gzip" -v n="$notmodified" -v np="$nginx_plain" -v ng="$nginx_gzip" -v out="$work/ratios" 'BEGIN {
    printf "%-6s %9.0f/%6.0f = %5.2fx %9.0f/%6.0f = %5.2fx %9.0f/%6.0f = %5.2fx\n", r, p, np, p / np, g, ng, g / ng, n, np, n / np
    printf "%f %f %f\n", p / np, g / ng, n / np >> out
  }'
done

echo "== median ratio over $rounds rounds (Feeds / nginx)"
for column in 1 2 3; do
  median=$(awk -v c=$column '{ print $c }' "$work/ratios" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
  case $column in
    1) printf 'plain: %.2fx nginx plain (target >= 0.8)\n' "$median" ;;
    2) printf 'gzip:  %.2fx nginx gzip_static (target >= 0.8)\n' "$median" ;;
    3) printf '304:   %.2fx nginx plain 200s (target >= 1.0)\n' "$median" ;;
  esac
done
