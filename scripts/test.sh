#!/usr/bin/env bash
# Runs the whole suite, browser tests included, on SQLite and then on a throwaway PostgreSQL.
# Arguments are passed to pytest on both runs (e.g. scripts/test.sh -k nhs_number).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
dpkg -s fonts-liberation >/dev/null 2>&1 || missing+=(fonts-liberation)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "Missing Debian packages: ${missing[*]}. Install them (as root: apt-get install ${missing[*]})." >&2
    exit 1
  fi
fi

# shellcheck source=scripts/pg_throwaway.sh
source scripts/pg_throwaway.sh
pg_throwaway_start

status_sqlite=0
status_postgres=0
echo "== SQLite"
env -u DATABASE_URL WAYPOINT_EXPECT_DB_VENDOR=sqlite .venv/bin/pytest -q "$@" || status_sqlite=$?
echo "== PostgreSQL"
DATABASE_URL="$PG_THROWAWAY_URL" WAYPOINT_EXPECT_DB_VENDOR=postgresql .venv/bin/pytest -q "$@" \
  || status_postgres=$?

verdict() { if [ "$1" = 0 ]; then echo passed; else echo "FAILED (pytest exit $1)"; fi; }
echo "SQLite: $(verdict $status_sqlite)"
echo "PostgreSQL: $(verdict $status_postgres)"
[ "$status_sqlite" = 0 ] && [ "$status_postgres" = 0 ]
