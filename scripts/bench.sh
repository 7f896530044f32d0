#!/usr/bin/env bash
# Seeds a population into a throwaway PostgreSQL, serves Waypoint with gunicorn, and measures
# page latency against the stack's floor. PATIENTS=60000 by default.
set -euo pipefail
cd "$(dirname "$0")/.."
PATIENTS="${PATIENTS:-60000}"
REQUESTS="${REQUESTS:-300}"

# shellcheck source=scripts/pg_throwaway.sh
source scripts/pg_throwaway.sh
pg_throwaway_start
gunicorn_pid=""
cleanup() {
  if [ -n "$gunicorn_pid" ]; then kill "$gunicorn_pid" 2>/dev/null || true; wait "$gunicorn_pid" 2>/dev/null || true; fi
  pg_throwaway_stop
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM

export DATABASE_URL="$PG_THROWAWAY_URL" WAYPOINT_DEBUG=false WAYPOINT_LOG_LEVEL=ERROR
export WAYPOINT_VAR_DIR="$PG_THROWAWAY_DIR/var"
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m); PostgreSQL $("$PG_THROWAWAY_BIN/postgres" --version | awk '{print $3}') with fsync off (throwaway server)"
.venv/bin/python manage.py migrate --no-input -v0
start=$(date +%s)
.venv/bin/python manage.py seed_demo --patients "$PATIENTS" | grep -E "people loaded|already"
.venv/bin/python manage.py shell -c "from django.db import connection; connection.cursor().execute('ANALYZE')"
echo "Seeded $PATIENTS people in $(( $(date +%s) - start )) s"

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
WAYPOINT_BIND="127.0.0.1:$port" WAYPOINT_WORKERS=2 WAYPOINT_ACCESS_LOG="" .venv/bin/gunicorn -c gunicorn.conf.py \
  >"$PG_THROWAWAY_DIR/gunicorn.log" 2>&1 &
gunicorn_pid=$!
.venv/bin/python - "$port" <<'PY'
import sys, time, urllib.request
for _ in range(100):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/login/", timeout=2)
        break
    except OSError:
        time.sleep(0.2)
PY
.venv/bin/python bench/run.py --base-url "http://127.0.0.1:$port" --requests "$REQUESTS" \
  --server-pid "$gunicorn_pid"
