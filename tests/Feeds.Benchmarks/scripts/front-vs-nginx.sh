#!/usr/bin/env bash
# The shipped nginx front (deploy/nginx/) serving /everything.atom from a node's static directory, against the anchor
# nginx of shared/tools/bench/nginx-wrk.sh serving the same bytes, in one run on this machine.
#   1. starts Feeds.Server (Release) with the 50 sample posts and Feeds:Publishing:StaticDirectory, and waits for its
#      firehose file;
#   2. starts nginx with deploy/nginx/feeds-*.conf included unchanged (the node as upstream, the directory as root);
#   3. in each of ROUNDS rounds, runs nginx-wrk.sh on the firehose file (the anchor) and the same wrk load (-t2 -c50)
#      against the front: no Accept-Encoding, and Accept-Encoding: gzip (the node's .gz sibling through gzip_static);
#   4. prints each round's ratios to the anchor's plain and gzip_static figures, then their medians (target >= 0.95x:
#      nothing of ours in the way).
# Usage: tests/Feeds.Benchmarks/scripts/front-vs-nginx.sh [DURATION=5s] [PORT=5082] [ROUNDS=5]
set -euo pipefail
source "$(dirname "$0")/feeds-server.sh"
dur=${1:-5s}
rounds=${3:-5}
require_programs wrk nginx curl
brotli=/usr/lib/nginx/modules/ngx_http_brotli_static_module.so
[ -f "$brotli" ] || { echo "needs nginx's Brotli static module (apt-get install libnginx-mod-http-brotli-static)" >&2; exit 2; }
static=$(mktemp -d)
chmod 755 "$static"
Feeds__Publishing__StaticDirectory="$static" start_feeds_server "${2:-5082}" --seed-samples
for _ in $(seq 300); do
  [ -f "$static/everything.atom" ] && grep -q '<entry>' "$static/everything.atom" && break
  sleep 0.1
done

front=$(mktemp -d)
chmod 755 "$front"
mkdir -p "$front/tmp"
chmod 777 "$front/tmp"
cp "$root"/deploy/nginx/feeds-*.conf "$front/"
front_port=18190
cat >"$front/nginx.conf" <<CONF
load_module $brotli;
worker_processes auto;
pid $front/nginx.pid;
error_log $front/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $front/tmp/b; proxy_temp_path $front/tmp/p; fastcgi_temp_path $front/tmp/f; uwsgi_temp_path $front/tmp/u; scgi_temp_path $front/tmp/s;
  sendfile on; tcp_nopush on; keepalive_timeout 65; keepalive_requests 1000000;
  upstream feeds_nodes { server ${base#http://}; keepalive 16; }
  server { listen 127.0.0.1:$front_port; root $static; include feeds-locations.conf; }
}
CONF
nginx -p "$front" -c "$front/nginx.conf" -e "$front/error.log" -g 'daemon off;' &
ngx=$!
trap 'kill -QUIT $ngx 2>/dev/null; wait $ngx 2>/dev/null; kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work" "$static" "$front"' EXIT
url="http://127.0.0.1:$front_port/everything.atom"
for _ in $(seq 50); do curl -s -o /dev/null "$url" && break; sleep 0.1; done
cmp -s <(curl -s "$url") "$static/everything.atom" || { echo "the front does not serve the static file" >&2; exit 1; }
[ "$(curl -s -H 'Accept-Encoding: gzip' -o /dev/null -w '%{size_download}' "$url")" = "$(stat -c %s "$static/everything.atom.gz")" ] \
  || { echo "the front does not serve the .gz sibling" >&2; exit 1; }

ours() { # extra wrk arguments... -> requests/s
  wrk -t2 -c50 -d"$dur" "$@" "$url" | awk '/Requests\/sec/ { print $2 }'
}

echo "$(stat -c %s "$static/everything.atom") bytes ($(stat -c %s "$static/everything.atom.gz") gzip); $(nproc) cores shared by nginx and wrk; $rounds rounds of $dur per figure"
printf '%-6s %30s %34s\n' round "plain: front/anchor" "gzip: front/anchor gzip_static"
: >"$front/ratios"
for round in $(seq "$rounds"); do
  anchor=$(bash "$tools/bench/nginx-wrk.sh" "$static/everything.atom" 18180 "$dur")
  plain=$(ours)
  gzip=$(ours -H "Accept-Encoding: gzip")
  anchor_plain=$(awk '$1 == "plain" { print $4 }' <<<"$anchor")
  anchor_gzip=$(awk '$1 == "gzip_static+AE" { print $4 }' <<<"$anchor")
  awk -v r="$round" -v p="$plain" -v g="$gzip" -v np="$anchor_plain" -v ng="$anchor_gzip" -v out="$front/ratios" 'BEGIN {
    printf "%-6s %9.0f/%6.0f = %5.2fx %13.0f/%6.0f = %5.2fx\n", r, p, np, p / np, g, ng, g / ng
    printf "%f %f\n", p / np, g / ng >> out
  }'
done

echo "== median ratio over $rounds rounds (front / anchor nginx)"
for column in 1 2; do
  median=$(awk -v c=$column '{ print $c }' "$front/ratios" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
  case $column in
    1) printf 'plain: %.2fx (target >= 0.95)\n' "$median" ;;
    2) printf 'gzip:  %.2fx (target >= 0.95)\n' "$median" ;;
  esac
done
