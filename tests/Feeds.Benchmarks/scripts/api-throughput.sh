#!/usr/bin/env bash
# Throughput of the posts API through HTTP on this machine (wrk on the same cores as the server):
#   creates: POST /api/posts from 8 concurrent clients (wrk -t2 -c8), each request a distinct post;
#            target >= 2,000 creates/s, with p50/p99 latency, and the server's CPU time and bytes written (to files
#            and sockets, /proc/PID/io's wchar) per create: on a machine whose speed changes through the day, these
#            move less than the rate;
#   reads:   GET /api/posts?limit=50 from 50 connections, anonymous (served from the output cache between
#            writes) and authenticated (read from SQLite each time); target >= 10,000 reads/s.
# Each figure follows a warm-up of the same requests (WARMUP, not counted): the runtime's tiered compiler takes some
# 20 s of load to settle, and the figures are meant to show the service as it runs, not while it compiles.
# Usage: tests/Feeds.Benchmarks/scripts/api-throughput.sh [DURATION=10s] [PORT=5082] [WARMUP=15s]
set -euo pipefail
source "$(dirname "$0")/feeds-server.sh"
dur=${1:-10s}
warmup=${3:-15s}
require_programs wrk curl
start_feeds_server "${2:-5082}"

echo "== creates: POST /api/posts, 8 concurrent clients, $dur after $warmup of warm-up"
FEEDS_TOKEN=$token wrk -t2 -c8 -d"$warmup" -s "$(dirname "$0")/create-post.lua" "$base/api/posts" >/dev/null
ticks_before=$(awk '{ print $14 + $15 }' "/proc/$server/stat")
written_before=$(awk '/^wchar/ { print $2 }' "/proc/$server/io")
out=$(FEEDS_TOKEN=$token wrk -t2 -c8 -d"$dur" -s "$(dirname "$0")/create-post.lua" "$base/api/posts")
grep -q 'Non-2xx' <<<"$out" && { echo "$out" >&2; echo "some creates failed" >&2; exit 1; }
requests=$(awk '/requests in/ { print $1 }' <<<"$out")
printf 'creates: %s/s, %s; per create: server CPU %s µs, %s KB written\n' "$(awk '/Requests\/sec/ { print $2 }' <<<"$out")" "$(grep '^latency' <<<"$out")" \
  "$(( ($(awk '{ print $14 + $15 }' "/proc/$server/stat") - ticks_before) * 1000000 / $(getconf CLK_TCK) / requests ))" \
  "$(( ($(awk '/^wchar/ { print $2 }' "/proc/$server/io") - written_before) / 1024 / requests ))"
created=$(curl -s "$base/api/tags" | sed -n 's/.*"slug":"load","name":"load","publishedCount":\([0-9]*\).*/\1/p')
echo "posts stored (warm-up included): $created; server RSS after the creates: $(server_rss_mb) MB"

for who in anonymous authenticated; do
  auth=()
  [ "$who" = authenticated ] && auth=(-H "Authorization: Bearer $token")
  wrk -t2 -c50 -d"$warmup" "${auth[@]}" "$base/api/posts?limit=50" >/dev/null
  out=$(wrk -t2 -c50 -d"$dur" "${auth[@]}" "$base/api/posts?limit=50")
  grep -q 'Non-2xx' <<<"$out" && { echo "$out" >&2; exit 1; }
  printf 'reads (%s): %s/s, latency avg %s, %s per response\n' "$who" "$(awk '/Requests\/sec/ { print $2 }' <<<"$out")" \
    "$(awk '/Latency/ { print $2; exit }' <<<"$out")" "$(curl -s "${auth[@]}" -o /dev/null -w '%{size_download} bytes' "$base/api/posts?limit=50")"
done
echo "server RSS at the end: $(server_rss_mb) MB"
