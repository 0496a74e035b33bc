#!/usr/bin/env bash
# Runs the test suite with the clock of every process set to instants where calendar bugs show, and reports each.
#
#   tests/run-at-clock-edges.sh                      # the three edges below, in UTC
#   TZ=Pacific/Kiritimati tests/run-at-clock-edges.sh '2027-03-01 00:00:30 +14:00'
#
# An edge is anything `date -d` reads. The default edges: the first of a month just after midnight (after a short
# February), New Year's Eve at 23:59 (the run crosses into the new year), and 29 February of a leap year.
# The processes run under libfaketime (Debian: apt-get install faketime) with their clocks moved by a fixed offset
# and running on at the real rate. An offset rather than a start time (`@…`), because libfaketime starts a start
# time again in every process, while the suite runs a server process, Python feedparser and node beside the test
# host and they must agree on the time. The monotonic clock moves by the same offset: libfaketime shifts the
# deadlines of timed waits, so with it left real (FAKETIME_DONT_FAKE_MONOTONIC) every .NET wait with a timeout
# expires at once. The solution is built once at the real time (NuGet checks certificates and its cache against
# the clock); each edge runs `dotnet test --no-build`.
set -uo pipefail
cd "$(dirname "$0")/.."

command -v faketime >/dev/null || { echo "run-at-clock-edges.sh needs faketime (Debian: apt-get install faketime)" >&2; exit 2; }

export TZ="${TZ:-UTC}"
# Every process of a run must start under libfaketime: no build server or MSBuild node left from the real-time build.
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_DO_NOT_USE_MSBUILD_SERVER=1

edges=("$@")
if [ ${#edges[@]} -eq 0 ]; then
  edges=('2027-03-01 00:00:30 UTC' '2026-12-31 23:59:00 UTC' '2028-02-29 12:00:00 UTC')
fi

results=$(mktemp -d "${TMPDIR:-/tmp}/feeds-clock-edges.XXXXXX")
dotnet build Feeds.sln -nologo -v quiet >"$results/build.log" 2>&1 || { cat "$results/build.log"; exit 1; }

summary=()
status=0
for edge in "${edges[@]}"; do
  target=$(date -d "$edge" +%s) || exit 2
  name=$(date -u -d "@$target" +%Y%m%dT%H%M%SZ)
  offset=$((target - $(date +%s)))
  echo "== $(date -d "@$target" '+%F %T %Z') (TZ=$TZ): faketime -f +${offset}s dotnet test Feeds.sln --no-build"
  faketime -f "+${offset}s" dotnet test Feeds.sln --no-build --logger trx --results-directory "$results/$name" 2>&1 | tee "$results/$name.log"
  code=${PIPESTATUS[0]}

  # Sum the per-assembly lines: "Passed!  - Failed:     0, Passed:   123, Skipped:     2, Total:   125, …".
  counts=$(grep -E '^(Passed|Failed)!' "$results/$name.log" | awk -F'[:,]' '{f += $2; p += $4; s += $6} END {printf "%d passed, %d failed, %d skipped", p, f, s}')
  # The test host records when each test started: proof that it ran at the edge.
  seen=$(grep -ho 'startTime="[^"]*"' "$results/$name"/*.trx 2>/dev/null | sort | head -1 | cut -d'"' -f2)
  verdict=$([ "$code" -eq 0 ] && echo PASS || echo FAIL)
  [ "$code" -eq 0 ] || status=1
  summary+=("$verdict  $edge (TZ=$TZ): $counts; first test started at ${seen:-unknown}")
done

echo
printf '%s\n' "${summary[@]}"
echo "logs: $results"
exit $status
