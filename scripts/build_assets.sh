#!/usr/bin/env bash
# Copies the NHS.UK frontend, htmx and the project's own CSS into assets/build for Django's static files.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules/nhsuk-frontend ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
out=assets/build/vendor
rm -rf "$out"
mkdir -p "$out/nhsuk" "$out/htmx"
nhsuk=node_modules/nhsuk-frontend/dist/nhsuk
cp "$nhsuk/nhsuk-frontend.min.css" "$nhsuk/nhsuk-frontend.min.js" "$out/nhsuk/"
cp -r "$nhsuk/assets" "$out/nhsuk/assets"
cp node_modules/htmx.org/dist/htmx.min.js "$out/htmx/"
mkdir -p assets/build/waypoint
cp assets/src/*.css assets/src/*.js assets/build/waypoint/ 2>/dev/null || true
