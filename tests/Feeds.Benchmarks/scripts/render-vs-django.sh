#!/usr/bin/env bash
# render-vs-django.sh - one 50-entry Atom feed of about 1 KB HTML per entry, rendered by Feeds (BenchmarkDotNet,
# from posts to bytes) and by Django's Atom1Feed (shared/tools/bench/django-atom-bench.py) in the same run;
# prints both and their ratio (target: Feeds >= 10x faster).
# Usage: render-vs-django.sh [DJANGO_RUNS=2000]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
tools=${FEEDS_TOOLS_DIR:-$root/../shared/tools}

django=$("$tools/bench/django-atom-bench.py" "${1:-2000}" | awk '/build\+serialize/ { print $5 }')
dotnet build -c Release "$root/tests/Feeds.Benchmarks" --nologo -v quiet >/dev/null
report=$(cd "$root/tests/Feeds.Benchmarks" && dotnet run -c Release --no-build -- --filter '*FeedRenderingBenchmarks.ComposeAndWriteAtom*' 2>&1)
ours=$(awk -F'|' '/\| ComposeAndWriteAtom/ { gsub(/[ ,]|us|μs/, "", $3); print $3 }' <<<"$report")
[ -n "$ours" ] || { echo "$report" >&2; echo "no figure from BenchmarkDotNet" >&2; exit 1; }
echo "Django Atom1Feed: median $django us per feed"
echo "Feeds:            mean $ours us per feed"
awk -v d="$django" -v o="$ours" 'BEGIN { printf "ratio: %.1fx (target >= 10x)\n", d / o }'
