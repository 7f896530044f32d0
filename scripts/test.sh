#!/usr/bin/env bash
# Runs the whole suite, browser tests included, on SQLite and then on a throwaway PostgreSQL.
# Arguments are passed to pytest on both runs (e.g. scripts/test.sh -k nhs_number).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

# tests/browser/conftest.py launches Debian's Chromium at this exact path; a browser is never
# downloaded. Without fonts-liberation, pages render with missing glyphs.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg -s fonts-liberation >/dev/null 2>&1 || missing+=(fonts-liberation)
# WeasyPrint (care-plan and resource-pack PDFs) renders with Pango.
dpkg -s libpango-1.0-0 >/dev/null 2>&1 || missing+=(libpango-1.0-0)
dpkg -s libpangoft2-1.0-0 >/dev/null 2>&1 || missing+=(libpangoft2-1.0-0)
# Debian keeps initdb and pg_ctl off PATH, under /usr/lib/postgresql/<version>/bin.
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "The tests need these Debian packages: ${missing[*]}" >&2
    echo "Install them with: sudo apt-get install --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
fi

# pg_throwaway_start traps EXIT, INT and TERM so the server is stopped and its directory
# deleted however this script ends. As root the server runs as `postgres`, which may not be
# allowed into the checkout (under /root, say), so start it from a directory anyone can enter.
# shellcheck source=scripts/pg_throwaway.sh
source scripts/pg_throwaway.sh
cd /
pg_throwaway_start
cd "$repo"

# Both runs always happen, so one report shows every backend's failures.
status_sqlite=0
status_postgres=0
echo "== SQLite"
env -u DATABASE_URL WAYPOINT_EXPECT_DB_VENDOR=sqlite .venv/bin/pytest -q "$@" || status_sqlite=$?
echo "== PostgreSQL ($PG_THROWAWAY_URL)"
DATABASE_URL="$PG_THROWAWAY_URL" WAYPOINT_EXPECT_DB_VENDOR=postgresql .venv/bin/pytest -q "$@" \
  || status_postgres=$?

verdict() {
  case "$1" in
    0) echo passed ;;
    5) echo "FAILED (no tests ran)" ;;
    *) echo "FAILED (pytest exit $1)" ;;
  esac
}
echo "SQLite: $(verdict "$status_sqlite")"
echo "PostgreSQL: $(verdict "$status_postgres")"
[ "$status_sqlite" = 0 ] && [ "$status_postgres" = 0 ]
