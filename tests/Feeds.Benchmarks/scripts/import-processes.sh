#!/usr/bin/env bash
# `feeds import` end to end as it is run: the tool and the service as two processes of their Release builds, the service
# just started on a new SQLite file each round (so both still compile their code as they go, as on a first import),
# the benchmark's file of N generated Netscape bookmarks (`Feeds.Benchmarks -- bookmarks`). Prints posts/s per round
# (target >= 5,000/s with the search index) and the CPU time of the tool and of the service over the import.
# The in-process `Feeds.Benchmarks -- import` runs both in one process after a first import; this one shows what an
# author sees.
# Usage: tests/Feeds.Benchmarks/scripts/import-processes.sh [N=100000] [ROUNDS=3] [PORT=5089]
set -euo pipefail
source "$(dirname "$0")/feeds-server.sh"
count=${1:-100000}
rounds=${2:-3}
port=${3:-5089}
require_programs curl
dotnet build -c Release "$root/tests/Feeds.Benchmarks" -v quiet -nologo >/dev/null
dotnet build -c Release "$root/src/Feeds.Cli" -v quiet -nologo >/dev/null
files=$(mktemp -d)
trap 'rm -rf "$files"' EXIT
dotnet "$root/tests/Feeds.Benchmarks/bin/Release/net10.0/Feeds.Benchmarks.dll" bookmarks "$count" "$files/bookmarks.html"
echo "== feeds import of $count bookmarks ($(( $(stat -c %s "$files/bookmarks.html") / 1048576 )) MiB) into a service just started"
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
for round in $(seq "$rounds"); do
  start_feeds_server "$port"
  trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work" "$files"' EXIT
  server_before=$(ticks "$server")
  started=$(date +%s%N)
  TIMEFORMAT='%U %S'
  tool=$( { time FEEDS_SERVER="$base" FEEDS_TOKEN=$token HOME="$work" \
    dotnet "$root/src/Feeds.Cli/bin/Release/net10.0/feeds.dll" import "$files/bookmarks.html" >"$work/import.out" 2>"$work/import.err"; } 2>&1 ) \
    || { cat "$work/import.out" "$work/import.err" >&2; exit 1; }
  ended=$(date +%s%N)
  server_after=$(ticks "$server")
  awk -v round="$round" -v n="$count" -v ns=$((ended - started)) -v tool="$tool" -v ticks=$((server_after - server_before)) -v hz="$(getconf CLK_TCK)" \
    'BEGIN { split(tool, t, " "); cpu = t[1] + t[2]; printf "round %d: %.2f s, %d posts/s (target >= 5,000/s); CPU: tool %.1f s, service %.1f s, %d µs per post together\n", round, ns / 1e9, n / (ns / 1e9), cpu, ticks / hz, (cpu + ticks / hz) * 1e6 / n }'
  kill "$server"
  wait "$server" 2>/dev/null || true
  rm -rf "$work"
done
