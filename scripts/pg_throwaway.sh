# Source this file to start a throwaway PostgreSQL server for the tests or the benchmark:
#   source scripts/pg_throwaway.sh; pg_throwaway_start; ...; (stopped automatically on exit)
# It sets PG_THROWAWAY_URL. initdb refuses to run as root, so as root the server runs as the
# unprivileged `postgres` system user that Debian's package creates.

pg_throwaway_bindir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$dir" ]; then
    dir=$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")
  fi
  [ -x "$dir/initdb" ] || { echo "PostgreSQL server binaries not found (install postgresql)" >&2; return 1; }
  echo "$dir"
}

pg_throwaway_as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg_throwaway_stop() {
  if [ -n "${PG_THROWAWAY_DIR:-}" ] && [ -d "$PG_THROWAWAY_DIR" ]; then
    if [ -f "$PG_THROWAWAY_DIR/data/postmaster.pid" ]; then
      pg_throwaway_as_owner "$PG_THROWAWAY_BIN/pg_ctl" -D "$PG_THROWAWAY_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$PG_THROWAWAY_DIR"
  fi
  PG_THROWAWAY_DIR=""
}

pg_throwaway_start() {
  PG_THROWAWAY_BIN=$(pg_throwaway_bindir)
  PG_THROWAWAY_DIR=$(mktemp -d -t waypoint-pg.XXXXXX)
  trap pg_throwaway_stop EXIT
  trap 'pg_throwaway_stop; exit 130' INT TERM
  chmod 755 "$PG_THROWAWAY_DIR"
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || { echo "the postgres system user is missing" >&2; return 1; }
    chown postgres "$PG_THROWAWAY_DIR"
  fi
  local port
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  local locale=C.UTF-8
  locale -a 2>/dev/null | grep -qi '^c\.utf-\?8$' || locale=C
  pg_throwaway_as_owner "$PG_THROWAWAY_BIN/initdb" -D "$PG_THROWAWAY_DIR/data" -A trust -U postgres \
    --no-sync -E UTF8 --locale="$locale" >"$PG_THROWAWAY_DIR/initdb.log" 2>&1 \
    || { cat "$PG_THROWAWAY_DIR/initdb.log" >&2; return 1; }
  # Durability is traded for speed: this server lives for one run and is then deleted.
  pg_throwaway_as_owner "$PG_THROWAWAY_BIN/pg_ctl" -D "$PG_THROWAWAY_DIR/data" -w -t 60 \
    -l "$PG_THROWAWAY_DIR/server.log" \
    -o "-p $port -k $PG_THROWAWAY_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
    start >/dev/null || { cat "$PG_THROWAWAY_DIR/server.log" >&2; return 1; }
  "$PG_THROWAWAY_BIN/pg_isready" -h 127.0.0.1 -p "$port" -t 30 >/dev/null
  "$PG_THROWAWAY_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres waypoint
  PG_THROWAWAY_URL="postgres://postgres@127.0.0.1:$port/waypoint"
  export PG_THROWAWAY_URL
}
