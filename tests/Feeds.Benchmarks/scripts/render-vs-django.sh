#!/usr/bin/env bash
# render-vs-django.sh - one 50-entry Atom feed of about 1 KB HTML per entry, rendered by Feeds (from posts to bytes)
# and by Django's Atom1Feed (shared/tools/bench/django-atom-bench.py), in rounds that alternate between the two so that
# each ratio compares figures taken seconds apart; both are medians of single renders. Prints every round's pair and
# ratio, then the median and lowest ratio (target: Feeds >= 10x faster).
# Usage: render-vs-django.sh [ROUNDS=9] [DJANGO_RUNS=1000] [FEEDS_RUNS=3000]
# (BenchmarkDotNet's view of the same render, with allocations: dotnet run -c Release --project tests/Feeds.Benchmarks
#  -- --filter '*FeedRenderingBenchmarks*')
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
tools=${FEEDS_TOOLS_DIR:-$root/../shared/tools}

dotnet build -c Release "$root/tests/Feeds.Benchmarks" --nologo -v quiet >/dev/null
cd "$root/tests/Feeds.Benchmarks"
dotnet run -c Release --no-build -- render-vs-django "$tools" "${1:-9}" "${2:-1000}" "${3:-3000}"
