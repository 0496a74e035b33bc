#!/usr/bin/env bash
# Brings up a compose file's topology with Docker and uses it as a subscriber and an author would, then takes it down
# with its volumes. For docker-compose.yml (the default): every service healthy; a post published through nginx is
# served by nginx from the static directory (plain, gzip and Brotli, with its media type, and 304 for its ETag) and by
# each node; node A killed, the next post published through nginx is served within 20 s; node A started again is
# healthy. For docker-compose.single.yml: the node healthy, a post published and served.
# Usage: tests/compose-smoke.sh [docker-compose.yml | docker-compose.single.yml]
# Needs Docker with Compose (`docker compose`, or `docker-compose`), curl, and ports 8080 (cluster) or 5000 (single) free.
# COMPOSE_SMOKE_BUILD=0 uses the images feeds:latest (and feeds-nginx:latest) as they are instead of building them.
set -euo pipefail
cd "$(dirname "$0")/.."
file=${1:-docker-compose.yml}
if docker compose version >/dev/null 2>&1; then compose=(docker compose); else compose=(docker-compose); fi
command -v curl >/dev/null || { echo "needs curl" >&2; exit 2; }
"${compose[@]}" version >/dev/null 2>&1 || { echo "needs Docker Compose (docker compose or docker-compose)" >&2; exit 2; }

project=feeds-smoke-$$
export FEEDS_ADMIN_TOKEN="smoke-$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
export POSTGRES_PASSWORD="smoke-$(head -c 12 /dev/urandom | base64 | tr -d '/+=')"
if [ "$file" = docker-compose.single.yml ]; then base=http://localhost:5000; else base=http://localhost:8080; fi
export FEEDS_BASE_URL=$base
dc() { "${compose[@]}" -p "$project" -f "$file" "$@"; }
trap 'status=$?; [ $status -ne 0 ] && dc logs --no-color --tail 40 >&2; dc down -v --remove-orphans >/dev/null 2>&1; exit $status' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }

# Waits until every container of the project reports healthy (or TIMEOUT seconds pass).
wait_healthy() {
  local timeout=$1 deadline=$((SECONDS + $1)) id states
  while [ $SECONDS -lt $deadline ]; do
    states=$(for id in $(dc ps -q); do docker inspect -f '{{.Name}} {{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "$id"; done)
    if [ -n "$states" ] && ! grep -qv ' healthy$' <<<"$states"; then return 0; fi
    sleep 2
  done
  echo "$states" >&2
  fail "not every service was healthy within $timeout s"
}

publish() { # TITLE TAG: publishes a post through the front
  local answer
  answer=$(curl -sS --fail-with-body -X POST "$base/api/posts" -H "Authorization: Bearer $FEEDS_ADMIN_TOKEN" -H 'Content-Type: application/json' \
    -d "{\"url\":\"https://example.com/$RANDOM/${1// /-}\",\"title\":\"$1\",\"commentary\":\"Published by the *smoke test*.\",\"tags\":[\"$2\"]}") \
    || fail "publishing $1 through $base was refused: $answer"
}

served_within() { # SECONDS PATH TEXT: waits until PATH served through the front contains TEXT
  local deadline=$((SECONDS + $1))
  while [ $SECONDS -lt $deadline ]; do
    curl -sf "$base$2" | grep -qF "$3" && return 0
    sleep 0.25
  done
  fail "$2 did not show \"$3\" within $1 s"
}

node_serves() { # SERVICE PATH TEXT: the node itself (not the front) serves TEXT at PATH
  dc exec -T "$1" bash -c "exec 3<>/dev/tcp/127.0.0.1/8080; printf 'GET $2 HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3; cat <&3" | grep -qF "$3" \
    || fail "$1 does not serve \"$3\" at $2"
}

up() { # ARGUMENTS of up: what Compose says is shown only when it fails
  local out
  out=$(dc up -d "$@" 2>&1) || { echo "$out" >&2; fail "docker compose up $* failed"; }
}

if [ "${COMPOSE_SMOKE_BUILD:-1}" = 0 ]; then up --no-build; else up --build; fi
wait_healthy 240
ok "every service of $file is healthy"

tag=smoke$RANDOM
publish "First smoke post" "$tag"
served_within 10 "/tags/$tag.atom" "First smoke post"
ok "a post published through $base is in /tags/$tag.atom"

if [ "$file" = docker-compose.single.yml ]; then
  exit 0
fi

for node in feeds-a feeds-b; do node_serves "$node" "/tags/$tag.atom" "First smoke post"; done
ok "both nodes serve it"

for coding in identity gzip br; do
  headers=$(curl -s -D - -o /dev/null -H "Accept-Encoding: $coding" "$base/tags/$tag.atom")
  grep -qi '^content-type: application/atom+xml' <<<"$headers" || fail "/tags/$tag.atom ($coding) has no Atom media type: $headers"
  [ "$coding" = identity ] || grep -qi "^content-encoding: $coding" <<<"$headers" || fail "/tags/$tag.atom asked for $coding came without it: $headers"
  etag=$(grep -i '^etag:' <<<"$headers" | cut -d' ' -f2 | tr -d '\r')
  [ -n "$etag" ] || fail "/tags/$tag.atom ($coding) has no ETag"
  status=$(curl -s -o /dev/null -w '%{http_code}' -H "Accept-Encoding: $coding" -H "If-None-Match: $etag" "$base/tags/$tag.atom")
  [ "$status" = 304 ] || fail "/tags/$tag.atom ($coding) with its ETag answered $status, not 304"
done
ok "the front serves it plain, gzip and Brotli from the static directory, each with 304 for its ETag"

docker kill -s KILL "$(dc ps -q feeds-a)" >/dev/null
killed=$SECONDS
publish "After the kill" "$tag"
served_within 20 "/tags/$tag.atom" "After the kill"
ok "node A killed: a post published through the front is served $((SECONDS - killed)) s after the kill"

up --no-build feeds-a
wait_healthy 120
node_serves feeds-a "/tags/$tag.atom" "After the kill"
ok "node A started again is healthy and serves what was published while it was down"
