#!/usr/bin/env bash
# Seeds a population into a throwaway PostgreSQL, serves Waypoint with gunicorn and debug off,
# and measures page latency against the stack's floor (bench/run.py; bench/README.md).
# Then the triage measurements: grading throughput on one core (bench/triage_rules.py), symptom
# reports through the API under concurrent load (bench/triage_api.py) and the background worker
# draining a backlog of escalations and messages (bench/triage_worker.py).
#   PATIENTS=60000 REQUESTS=300 CONCURRENCY="1 4" WORKERS=2 scripts/bench.sh
#   TRIAGE_REQUESTS=300 TRIAGE_CONCURRENCY=20 TRIAGE_BACKLOG=10000 TRIAGE_WORKERS=2 scripts/bench.sh
# Last, the FHIR export: Patient/$everything for people given full histories (bench/fhir_export.py).
#   FHIR_REQUESTS=300 FHIR_CONCURRENCY="1 4" FHIR_PEOPLE=20 scripts/bench.sh
# Whatever happens, gunicorn and PostgreSQL are stopped and their directory deleted on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
PATIENTS="${PATIENTS:-60000}"
REQUESTS="${REQUESTS:-300}"
WARMUP="${WARMUP:-20}"
CONCURRENCY="${CONCURRENCY:-1 4}"
WORKERS="${WORKERS:-2}"
TRIAGE_SECONDS="${TRIAGE_SECONDS:-3}"
TRIAGE_REQUESTS="${TRIAGE_REQUESTS:-$REQUESTS}"
TRIAGE_CONCURRENCY="${TRIAGE_CONCURRENCY:-20}"
TRIAGE_BACKLOG="${TRIAGE_BACKLOG:-10000}"
TRIAGE_WORKERS="${TRIAGE_WORKERS:-2}"
FHIR_REQUESTS="${FHIR_REQUESTS:-$REQUESTS}"
FHIR_CONCURRENCY="${FHIR_CONCURRENCY:-1 4}"
FHIR_PEOPLE="${FHIR_PEOPLE:-20}"
PY="$repo/.venv/bin/python"

compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || command -v initdb >/dev/null || {
  echo "The benchmark needs PostgreSQL's server binaries: apt-get install postgresql" >&2
  exit 1
}

# pg_throwaway_start installs its own EXIT/INT/TERM traps; they are replaced below by one that
# also stops gunicorn. As root the server runs as `postgres`, which may not be allowed into the
# checkout, so it is started from a directory anyone can enter.
# shellcheck source=scripts/pg_throwaway.sh
source scripts/pg_throwaway.sh
gunicorn_pid=""
log_dir=""
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [ -n "$gunicorn_pid" ] && kill -0 "$gunicorn_pid" 2>/dev/null; then
    kill -TERM "$gunicorn_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$gunicorn_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$gunicorn_pid" 2>/dev/null || true
    wait "$gunicorn_pid" 2>/dev/null || true
  fi
  if [ "$status" != 0 ] && [ -n "$log_dir" ] && [ -s "$log_dir/gunicorn.log" ]; then
    echo "--- last lines of the gunicorn log" >&2
    tail -n 40 "$log_dir/gunicorn.log" >&2 || true
  fi
  pg_throwaway_stop
  exit "$status"
}
cd /
pg_throwaway_start
cd "$repo"
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
log_dir="$PG_THROWAWAY_DIR/logs"
mkdir -p "$log_dir"

export DATABASE_URL="$PG_THROWAWAY_URL"
# Not WAYPOINT_PRODUCTION: production refuses seed_demo and plain HTTP (its cookies are HTTPS-only),
# and the benchmark seeds the demo and talks HTTP to 127.0.0.1. Debug is off, as in production.
export WAYPOINT_DEBUG=false WAYPOINT_LOG_LEVEL=ERROR
WAYPOINT_SECRET_KEY="bench-$("$PY" -c 'import secrets; print(secrets.token_urlsafe(32))')"
export WAYPOINT_SECRET_KEY
export WAYPOINT_VAR_DIR="$PG_THROWAWAY_DIR/var"
# One token sends thousands of writes a minute here: the per-token limits are still counted (their
# cost is part of what is measured) but set out of reach.
export WAYPOINT_TOKEN_WRITES_PER_MINUTE=100000000 WAYPOINT_FHIR_POSTS_PER_MINUTE=100000000

pg_version=$("$PG_THROWAWAY_BIN/postgres" --version | awk '{print $3}')
machine="$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
machine+=", $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
echo "Machine: $machine; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "PostgreSQL $pg_version, throwaway server at ${PG_THROWAWAY_URL#*@}"
echo "Durability relaxed for seeding speed: fsync=off, synchronous_commit=off," \
  "full_page_writes=off (the server and its data are deleted when this script ends)"

"$PY" manage.py migrate --no-input -v0
seed_start=$(date +%s.%N)
if ! "$PY" manage.py seed_demo --patients "$PATIENTS" >"$log_dir/seed.log" 2>&1; then
  cat "$log_dir/seed.log" >&2
  echo "seed_demo failed" >&2
  exit 1
fi
seed_end=$(date +%s.%N)
grep -E "people loaded|already loaded" "$log_dir/seed.log" | tail -n 1 || true
"$PG_THROWAWAY_BIN/psql" -q -X -v ON_ERROR_STOP=1 "$PG_THROWAWAY_URL" -c 'VACUUM (ANALYZE)'
analyze_end=$(date +%s.%N)
seed_seconds=$(awk -v a="$seed_start" -v b="$seed_end" 'BEGIN {printf "%.1f", b - a}')
analyze_seconds=$(awk -v a="$seed_end" -v b="$analyze_end" 'BEGIN {printf "%.1f", b - a}')
patients_in_db=$("$PG_THROWAWAY_BIN/psql" -tA -X "$PG_THROWAWAY_URL" \
  -c 'SELECT count(*) FROM registry_patient')
db_size=$("$PG_THROWAWAY_BIN/psql" -tA -X "$PG_THROWAWAY_URL" \
  -c 'SELECT pg_size_pretty(pg_database_size(current_database()))')
echo "Seeded $PATIENTS people in $seed_seconds s (seed_demo); VACUUM ANALYZE $analyze_seconds s;" \
  "$patients_in_db patient rows, database $db_size"

# Issue 5's measure: every care standard for everyone, today and at the last two month ends (the
# dashboard's snapshots; target under 30 s for today's evaluation).
echo "Evaluating every care standard for everyone (manage.py evaluate_standards --months 2):"
"$PY" manage.py evaluate_standards --months 2

port=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
WAYPOINT_BIND="127.0.0.1:$port" WAYPOINT_WORKERS="$WORKERS" WAYPOINT_ACCESS_LOG="" \
  .venv/bin/gunicorn -c gunicorn.conf.py >"$log_dir/gunicorn.log" 2>&1 &
gunicorn_pid=$!
if ! "$PY" - "$port" "$gunicorn_pid" <<'PY'
import os, sys, time, urllib.request
port, pid = sys.argv[1], int(sys.argv[2])
deadline = time.monotonic() + 30
while time.monotonic() < deadline:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        sys.exit("gunicorn exited before it answered")
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=2)
        sys.exit(0)
    except OSError:
        time.sleep(0.2)
sys.exit("gunicorn did not answer within 30 s")
PY
then
  exit 1
fi
echo "gunicorn: $WORKERS sync workers on 127.0.0.1:$port, WAYPOINT_DEBUG=false"

postgres_pid=$(head -n 1 "$PG_THROWAWAY_DIR/data/postmaster.pid")
meta=(
  --meta "patients=$PATIENTS" --meta "seed_seconds=$seed_seconds"
  --meta "vacuum_analyze_seconds=$analyze_seconds" --meta "database_size=$db_size"
  --meta "postgresql=$pg_version" --meta "gunicorn_workers=$WORKERS"
  --meta "durability=fsync, synchronous_commit and full_page_writes off"
  --meta "commit=$(git -C "$repo" describe --always --dirty 2>/dev/null || echo unknown)"
)
# shellcheck disable=SC2086  # CONCURRENCY is a list of numbers
"$PY" bench/run.py --base-url "http://127.0.0.1:$port" --requests "$REQUESTS" --warmup "$WARMUP" \
  --concurrency $CONCURRENCY --server-pid "$gunicorn_pid" --postgres-pid "$postgres_pid" \
  "${meta[@]}"

# Triage. The rules need neither the database nor the server (both idle meanwhile).
"$PY" bench/triage_rules.py --seconds "$TRIAGE_SECONDS" "${meta[@]}"

# The token goes through the environment, not the command line, to stay out of the process list.
WAYPOINT_BENCH_TOKEN=$("$PY" manage.py create_api_token keyworker --label benchmark | tail -n 1)
export WAYPOINT_BENCH_TOKEN
case "$WAYPOINT_BENCH_TOKEN" in
  wp_*) ;;
  *) echo "manage.py create_api_token printed no token" >&2; exit 1 ;;
esac
"$PY" bench/triage_api.py --base-url "http://127.0.0.1:$port" --requests "$TRIAGE_REQUESTS" \
  --warmup "$WARMUP" --concurrency "$TRIAGE_CONCURRENCY" --server-pid "$gunicorn_pid" \
  --postgres-pid "$postgres_pid" "${meta[@]}"
unset WAYPOINT_BENCH_TOKEN

# The worker runs in this script's environment (DATABASE_URL and all), like manage.py.
"$PY" bench/triage_worker.py --escalations "$TRIAGE_BACKLOG" --messages "$TRIAGE_BACKLOG" \
  --workers "$TRIAGE_WORKERS" --postgres-pid "$postgres_pid" "${meta[@]}"

# FHIR import: synthetic mCODE bundles through bundle_import on the same database
# (bench/fhir_import.py; FHIR_PATIENTS bundles of 15 resources, FHIR_REIMPORT of them again).
"$PY" bench/fhir_import.py --patients "${FHIR_PATIENTS:-2000}" --reimport "${FHIR_REIMPORT:-200}" \
  "${meta[@]}"

# The FHIR export, against the same server: seeds full histories through the services (in this
# script's environment, like the worker), then times Patient/$everything with a fresh token.
WAYPOINT_BENCH_TOKEN=$("$PY" manage.py create_api_token keyworker --label fhir-benchmark | tail -n 1)
export WAYPOINT_BENCH_TOKEN
case "$WAYPOINT_BENCH_TOKEN" in
  wp_*) ;;
  *) echo "manage.py create_api_token printed no token" >&2; exit 1 ;;
esac
# shellcheck disable=SC2086  # FHIR_CONCURRENCY is a list of numbers
"$PY" bench/fhir_export.py --base-url "http://127.0.0.1:$port" --requests "$FHIR_REQUESTS" \
  --warmup "$WARMUP" --people "$FHIR_PEOPLE" --concurrency $FHIR_CONCURRENCY \
  --server-pid "$gunicorn_pid" --postgres-pid "$postgres_pid" "${meta[@]}"
unset WAYPOINT_BENCH_TOKEN
