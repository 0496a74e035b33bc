#!/usr/bin/env bash
# For a machine that reaches Debian's mirror and NuGet but no container registry: builds local images under the names
# the compose files and Dockerfiles start from, then the service's own images, so that tests/compose-smoke.sh can run
# there (COMPOSE_SMOKE_BUILD=0). They stand in for the registry's images, they are not them:
#   debian:bookworm-slim                 debootstrap --variant=minbase bookworm
#   mcr.microsoft.com/dotnet/aspnet:10.0 Debian, the runtime's libraries, this machine's ASP.NET Core runtime, user app (1654)
#   mcr.microsoft.com/dotnet/sdk:10.0    that, and this machine's .NET SDK
#   postgres:15                          Debian's PostgreSQL 15 with an entrypoint doing what the official image's does
#                                        with POSTGRES_USER, POSTGRES_PASSWORD and POSTGRES_DB
# Certificate authorities in /usr/local/share/ca-certificates (a proxy's, say) are trusted inside the images as well.
# Needs root, Docker, debootstrap and dotnet. Builds run on the host's network (--network host) with the classic builder.
set -euo pipefail
cd "$(dirname "$0")/.."
for program in docker debootstrap dotnet; do command -v "$program" >/dev/null || { echo "needs $program" >&2; exit 2; }; done
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
build() { # NAME CONTEXT: what the builder says is shown only when it fails
  local out
  out=$(DOCKER_BUILDKIT=0 docker build --network host -q -t "$@" 2>&1) || { echo "$out" >&2; return 1; }
  echo "built $1"
}

debootstrap --variant=minbase bookworm "$work/rootfs" "$mirror" >/dev/null
rm -rf "$work/rootfs/var/lib/apt/lists/"*
tar -C "$work/rootfs" -c . | docker import - debian:bookworm-slim >/dev/null
echo "built debian:bookworm-slim"

mkdir -p "$work/aspnet/ca" "$work/aspnet/dotnet" "$work/sdk"
cp /usr/local/share/ca-certificates/*.crt "$work/aspnet/ca/" 2>/dev/null || true
cp -a "$dotnet_root/dotnet" "$dotnet_root/host" "$dotnet_root/shared" "$work/aspnet/dotnet/"
cat >"$work/aspnet/Dockerfile" <<'EOF'
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates libicu72 libssl3 tzdata zlib1g && rm -rf /var/lib/apt/lists/*
COPY ca/ /usr/local/share/ca-certificates/
RUN update-ca-certificates >/dev/null
COPY dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet && groupadd --gid 1654 app && useradd --uid 1654 --gid 1654 --create-home app
ENV APP_UID=1654 ASPNETCORE_HTTP_PORTS=8080 DOTNET_RUNNING_IN_CONTAINER=true
EOF
build mcr.microsoft.com/dotnet/aspnet:10.0 "$work/aspnet"

cp -a "$dotnet_root" "$work/sdk/dotnet"
cat >"$work/sdk/Dockerfile" <<'EOF'
FROM mcr.microsoft.com/dotnet/aspnet:10.0
COPY dotnet /usr/share/dotnet
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
EOF
build mcr.microsoft.com/dotnet/sdk:10.0 "$work/sdk"

mkdir -p "$work/postgres"
cat >"$work/postgres/entrypoint.sh" <<'EOF'
#!/bin/bash
set -e
if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /var/run/postgresql && chown -R postgres:postgres "$PGDATA" /var/run/postgresql && chmod 700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  initdb -D "$PGDATA" -U "$POSTGRES_USER" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") -A scram-sha-256 --auth-local=trust >/dev/null
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
  postgres -D "$PGDATA" -c listen_addresses='' &
  pid=$!
  until pg_isready -q -U "$POSTGRES_USER"; do sleep 0.2; done
  psql -q -U "$POSTGRES_USER" -d postgres -c "create database \"${POSTGRES_DB:-$POSTGRES_USER}\""
  kill -INT "$pid"; wait "$pid" || true
fi
exec postgres -D "$PGDATA" -c listen_addresses='*'
EOF
chmod +x "$work/postgres/entrypoint.sh"
cat >"$work/postgres/Dockerfile" <<'EOF'
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-15 && rm -rf /var/lib/apt/lists/*
ENV PATH=/usr/lib/postgresql/15/bin:$PATH PGDATA=/var/lib/postgresql/data
COPY entrypoint.sh /usr/local/bin/
VOLUME /var/lib/postgresql/data
ENTRYPOINT ["entrypoint.sh"]
EOF
build postgres:15 "$work/postgres"

build feeds:latest .
build feeds-nginx:latest deploy/nginx
