#!/usr/bin/env bash
# Creates on PostgreSQL beside SQLite, in the same run: POST /api/posts from 8 concurrent clients (wrk -t2 -c8, each
# request a distinct post) against two servers of the same build, one on SQLite and one on a PostgreSQL cluster this
# script starts from the machine's binaries (initdb into a temporary directory, default durability settings: fsync and
# synchronous commit on, as in production), then stops and removes. After a warm-up of each, rounds alternate between
# the two so a change in the machine's speed reaches both. Target: >= 1,500 creates/s on PostgreSQL.
# Usage: tests/Feeds.Benchmarks/scripts/creates-postgres.sh [DURATION=10s] [ROUNDS=3] [WARMUP=45s]
# The warm-up is long because the runtime's tiered compiler keeps compiling for some 40 s of this load (4,000 methods in
# the 10 s after the first 20 s, under 600 after 50 s), much of it for work done once a render: rounds after a shorter
# warm-up measure that compiling as well as the creates.
# Each round also gives the CPU time a create took in the server and, for PostgreSQL, in the database's processes: on a
# machine shared with other work that is steadier than the rate.
# FEEDS_POSTGRES_OPTIONS adds server settings (-c synchronous_commit=off, to see what waiting for the disk costs).
# FEEDS_POSTGRES_STATEMENTS=N prints the N statements that took most of PostgreSQL's time over the rounds
# (pg_stat_statements, loaded for the run), with their calls and mean time, and how often and how long each was planned.
set -euo pipefail
source "$(dirname "$0")/feeds-server.sh"
dur=${1:-10s}
rounds=${2:-3}
warmup=${3:-45s}
require_programs wrk curl
bin=${FEEDS_POSTGRES_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
[ -x "$bin/initdb" ] || { echo "needs PostgreSQL (apt-get install postgresql), or FEEDS_POSTGRES_BIN naming its bin directory" >&2; exit 2; }

# PostgreSQL refuses to run as root: then the cluster runs as nobody.
as=()
[ "$(id -u)" = 0 ] && as=(setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups)
cluster=$(mktemp -d)
chmod 755 "$cluster"
[ ${#as[@]} -gt 0 ] && chown nobody "$cluster"
pg_port=$((25000 + RANDOM % 5000))
"${as[@]}" "$bin/initdb" -D "$cluster/data" -U feeds -A trust -E UTF8 --locale=C >/dev/null
"${as[@]}" "$bin/postgres" -D "$cluster/data" -p "$pg_port" -k "$cluster/data" -c listen_addresses=127.0.0.1 \
  -c shared_buffers=128MB ${FEEDS_POSTGRES_STATEMENTS:+-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all -c pg_stat_statements.track_planning=on} \
  ${FEEDS_POSTGRES_OPTIONS:-} >"$cluster/postgres.log" 2>&1 &
postgres=$!
for _ in $(seq 100); do "$bin/pg_isready" -q -h 127.0.0.1 -p "$pg_port" && break; sleep 0.1; done
"$bin/psql" -q -h 127.0.0.1 -p "$pg_port" -U feeds -d postgres -c "create database feeds"

start_feeds_server "${FEEDS_PORT:-5083}"
sqlite_base=$base
sqlite_server=$server
pg_base="http://127.0.0.1:$((${FEEDS_PORT:-5083} + 1))"
pg_work=$(mktemp -d)
Feeds__DataDirectory="$pg_work" Feeds__BaseUrl="$pg_base" Feeds__AdminToken="$token" Logging__LogLevel__Default=Warning \
  Feeds__Database__Provider=Postgres Feeds__Database__ConnectionString="Host=127.0.0.1;Port=$pg_port;Username=feeds;Database=feeds" \
  dotnet "$root/src/Feeds.Server/bin/Release/net10.0/Feeds.Server.dll" --urls "$pg_base" >"$pg_work/server.log" 2>&1 &
pg_server=$!
trap 'kill $sqlite_server $pg_server 2>/dev/null; wait $sqlite_server $pg_server 2>/dev/null; kill -INT $postgres; wait $postgres; rm -rf "$work" "$pg_work" "$cluster"' EXIT
for _ in $(seq 300); do curl -sf -o /dev/null "$pg_base/alive" && break; sleep 0.1; done
curl -sf -o /dev/null "$pg_base/alive" || { cat "$pg_work/server.log" >&2; exit 1; }

# CPU time (user and system, in clock ticks) of the processes named, and of their children: PostgreSQL's backends.
cpu_ticks() {
  local total=0 pid
  for pid in "$@" $(for p in "$@"; do pgrep -P "$p" || true; done); do
    if [ -r "/proc/$pid/stat" ]; then total=$((total + $(awk '{ print $14 + $15 }' "/proc/$pid/stat"))); fi
  done
  echo "$total"
}

creates() { # URL DURATION SERVER_PID [DATABASE_PID]: prints creates/s, the latency line and the CPU a create took in each
  local out url=$1 duration=$2 server_pid=${3:-} database_pid=${4:-} server_before database_before requests
  server_before=$(cpu_ticks $server_pid)
  database_before=$(cpu_ticks $database_pid)
  out=$(FEEDS_TOKEN=$token wrk -t2 -c8 -d"$duration" -s "$(dirname "$0")/create-post.lua" "$url/api/posts")
  grep -q 'Non-2xx' <<<"$out" && { echo "$out" >&2; echo "some creates failed" >&2; exit 1; }
  requests=$(awk '/requests in/ { print $1 }' <<<"$out")
  printf '%s/s, %s, CPU per create: server %s µs' "$(awk '/Requests\/sec/ { print $2 }' <<<"$out")" "$(grep '^latency' <<<"$out")" \
    "$(per_create "$server_before" "$(cpu_ticks $server_pid)" "$requests")"
  [ -n "$database_pid" ] && printf ', database %s µs' "$(per_create "$database_before" "$(cpu_ticks $database_pid)" "$requests")"
  echo
}

per_create() { # TICKS_BEFORE TICKS_AFTER REQUESTS: microseconds of CPU per request
  echo $(( ($2 - $1) * 1000000 / $(getconf CLK_TCK) / ($3 > 0 ? $3 : 1) ))
}

echo "== creates: POST /api/posts, 8 concurrent clients, rounds of $dur after $warmup of warm-up each (PostgreSQL $("$bin/postgres" --version | awk '{print $3}'))"
creates "$sqlite_base" "$warmup" >/dev/null
creates "$pg_base" "$warmup" >/dev/null
statements() { "$bin/psql" -q -h 127.0.0.1 -p "$pg_port" -U feeds -d feeds -c "$1"; }
# A site in service has planner statistics: autovacuum gathers them about once a minute after a tenth of a table's rows
# changed. The warm-up filled tables that were empty a few seconds before, so they are gathered here as it would.
statements "analyze"
if [ -n "${FEEDS_POSTGRES_STATEMENTS:-}" ]; then
  statements "create extension if not exists pg_stat_statements" && statements "select pg_stat_statements_reset()" >/dev/null
fi
for round in $(seq "$rounds"); do
  echo "round $round: sqlite $(creates "$sqlite_base" "$dur" "$sqlite_server")"
  echo "round $round: postgres $(creates "$pg_base" "$dur" "$pg_server" "$postgres")"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "${FEEDS_POSTGRES_STATEMENTS:-}" ]; then
  statements "select round(total_exec_time::numeric, 0) as total_ms, calls, round(mean_exec_time::numeric, 3) as mean_ms,
                     plans, round(total_plan_time::numeric, 0) as plan_ms,
                     round((100 * total_exec_time / sum(total_exec_time) over ())::numeric, 1) as percent, left(regexp_replace(query, '\s+', ' ', 'g'), 110) as query
              from pg_stat_statements order by total_exec_time desc limit ${FEEDS_POSTGRES_STATEMENTS}"
fi
