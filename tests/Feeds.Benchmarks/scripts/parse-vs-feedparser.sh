#!/usr/bin/env bash
# parse-vs-feedparser.sh - times Feeds.Core's FeedParser and Debian's Python feedparser over the same
# feed files, each in-process after a warm-up, and prints both throughputs and their ratio.
#
# Usage: parse-vs-feedparser.sh [DIR] [ROUNDS] [FEEDPARSER_ROUNDS]
#   DIR                feed files (*.xml, *.json; default: the parser's fixture corpus)
#   ROUNDS             passes over the corpus for our parser (default 2000, about a second of measurement)
#   FEEDPARSER_ROUNDS  passes for feedparser, which is much slower (default ROUNDS/10)
# Needs python3-feedparser (shared/tools/install.sh installs it).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
dir="${1:-$root/tests/Feeds.Core.Tests/testdata/parsing}"
rounds="${2:-2000}"
py_rounds="${3:-$(( rounds / 10 > 0 ? rounds / 10 : 1 ))}"

if ! /usr/bin/python3 -c 'import feedparser' 2>/dev/null; then
  echo "python3-feedparser is not installed (run shared/tools/install.sh)" >&2
  exit 2
fi

dotnet build -c Release "$root/tests/Feeds.Benchmarks" --nologo -v quiet >/dev/null
ours="$(dotnet run -c Release --no-build --project "$root/tests/Feeds.Benchmarks" -- parse-corpus "$dir" "$rounds")"

# Same file selection as FeedCorpus.Load: feeds directly in DIR, golden files excluded.
theirs="$(/usr/bin/python3 - "$dir" "$py_rounds" <<'PY'
import os, sys, time, feedparser
directory, rounds = sys.argv[1], int(sys.argv[2])
names = sorted(f for f in os.listdir(directory)
               if os.path.isfile(os.path.join(directory, f))
               and (f.endswith(".xml") or (f.endswith(".json") and not f.endswith(".golden.json"))))
corpus = [open(os.path.join(directory, f), "rb").read() for f in names]
for body in corpus:
    feedparser.parse(body)
documents, total = 0, 0
start = time.perf_counter()
for _ in range(rounds):
    for body in corpus:
        feedparser.parse(body)
        documents += 1
        total += len(body)
seconds = time.perf_counter() - start
print("feedparser files=%d documents=%d seconds=%.3f docs_per_s=%.1f mib_per_s=%.2f"
      % (len(corpus), documents, seconds, documents / seconds, total / seconds / (1024 * 1024)))
PY
)"

echo "$ours"
echo "$theirs"
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$2"; }
awk -v a="$(field docs_per_s "$ours")" -v b="$(field docs_per_s "$theirs")" \
  'BEGIN { r = a / b; printf "ratio (ours / feedparser, documents per second): %.1fx %s\n", r, (r >= 20 ? "(target >= 20x met)" : "(below the 20x target)") }'
