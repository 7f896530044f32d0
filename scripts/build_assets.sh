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
cp "$nhsuk/nhsuk-frontend.min.js" "$out/nhsuk/"
# The stylesheet's @font-face rules load Frutiger from an NHS host; pages must never call a third
# party, so they are removed here and waypoint.css names local fonts instead.
sed -E 's/@font-face\{[^}]*\}//g' "$nhsuk/nhsuk-frontend.min.css" >"$out/nhsuk/nhsuk-frontend.min.css"
if grep -q 'https://' "$out/nhsuk/nhsuk-frontend.min.css"; then
  echo "nhsuk-frontend.min.css still refers to an off-site resource" >&2
  exit 1
fi
cp -r "$nhsuk/assets" "$out/nhsuk/assets"
cp node_modules/htmx.org/dist/htmx.min.js "$out/htmx/"
mkdir -p assets/build/waypoint
cp assets/src/*.css assets/src/*.js assets/build/waypoint/ 2>/dev/null || true
