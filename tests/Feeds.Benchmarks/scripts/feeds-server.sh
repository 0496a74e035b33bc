# Sourced by the load scripts: builds Feeds.Server in Release and starts it on 127.0.0.1 with a fresh data directory.
#   start_feeds_server PORT [SERVER ARGUMENTS...]
# sets $base (the server's URL), $work (its data directory), $token (the admin token) and stops the server on exit.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
tools=${FEEDS_TOOLS_DIR:-$root/../shared/tools}
token=load-script-admin-token-0123456789

start_feeds_server() {
  local port=$1
  shift
  dotnet build -c Release "$root/src/Feeds.Server" -v quiet -nologo >/dev/null
  work=$(mktemp -d)
  base="http://127.0.0.1:$port"
  Feeds__DataDirectory="$work" Feeds__BaseUrl="$base" Feeds__AdminToken="$token" Logging__LogLevel__Default=Warning \
    dotnet "$root/src/Feeds.Server/bin/Release/net10.0/Feeds.Server.dll" --urls "$base" "$@" >"$work/server.log" 2>&1 &
  server=$!
  trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
  for _ in $(seq 300); do
    curl -sf -o /dev/null "$base/alive" && return 0
    sleep 0.1
  done
  echo "Feeds.Server did not start; its log:" >&2
  cat "$work/server.log" >&2
  exit 1
}

# The server's resident memory in MB.
server_rss_mb() {
  awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$server/status"
}

require_programs() {
  for program in "$@"; do
    command -v "$program" >/dev/null || { echo "needs $program (shared/tools/install.sh)" >&2; exit 2; }
  done
}
