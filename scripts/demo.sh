#!/usr/bin/env bash
# Builds and runs the store with its demo data: SQLite, about 1,000 generated
# items plus the real sample rows of ../shared/spec/data/ (when present), the
# KakaoPay simulator, and the web storefront (web/, built with Vite) served at /.
# Ctrl-C stops both.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scripts/install-deps.sh
# The /docs viewer (Redoc from npm), compiled into the server by the build below.
npm ci --prefix tools/api --no-audit --no-fund --loglevel=error && npm run --prefix tools/api --silent build
cmake --preset release >/dev/null
cmake --build --preset release
bin="$root/build/release/bin"
npm --prefix web ci --no-audit --no-fund --loglevel=error
npm --prefix web run build --silent
export PILLIVERY_WEB_ROOT="${PILLIVERY_WEB_ROOT:-$root/web/dist}"
export PILLIVERY_IMAGE_DIR="${PILLIVERY_IMAGE_DIR:-$root/var/images}"
export PILLIVERY_ADMIN_EMAIL="${PILLIVERY_ADMIN_EMAIL:-admin@pillivery.local}"
export PILLIVERY_ADMIN_PASSWORD="${PILLIVERY_ADMIN_PASSWORD:-Admin-pass-1234}"
mkdir -p var
export PILLIVERY_DB_URL="${PILLIVERY_DB_URL:-sqlite://$root/var/demo.db}"
export PILLIVERY_HTTP_PORT="${PILLIVERY_HTTP_PORT:-8080}"
sim_port="${PILLIVERY_SIMULATOR_PORT:-9090}"
export PILLIVERY_KAKAOPAY_BASE_URL="${PILLIVERY_KAKAOPAY_BASE_URL:-http://127.0.0.1:$sim_port/online/v1/payment/}"
# The test clock, so the demo can show a renewal at once: as the admin below,
# POST /api/admin/test-clock {"advanceDays": N} to a subscription's due date and
# the scheduler (checking every minute, billing from 00:00) charges it within a
# minute (docs/operations.md, "Test clock"). With a real gateway URL set above,
# set PILLIVERY_TEST_CLOCK=false: the server refuses the test clock then.
export PILLIVERY_TEST_CLOCK="${PILLIVERY_TEST_CLOCK:-true}"
export PILLIVERY_BILLING_TIME="${PILLIVERY_BILLING_TIME:-00:00}"
export PILLIVERY_ADMIN_EMAIL="${PILLIVERY_ADMIN_EMAIL:-admin@pillivery.local}"
export PILLIVERY_ADMIN_PASSWORD="${PILLIVERY_ADMIN_PASSWORD:-Demo-admin-1234}"

"$bin/pillivery" migrate
if [ ! -f var/.demo-seeded ]; then
  samples=("$root"/../shared/spec/data/*sample*.json)
  if [ -e "${samples[0]}" ]; then "$bin/pillivery" import file "${samples[@]}"; fi
  "$bin/pillivery" seed --items 1000 --seed 42
  touch var/.demo-seeded
fi

"$bin/pg-simulator" --port "$sim_port" --db "$root/var/simulator.db" &
sim=$!
trap 'kill $sim 2>/dev/null || true' EXIT
store="http://127.0.0.1:$PILLIVERY_HTTP_PORT/"
echo "store: $store   admin: $PILLIVERY_ADMIN_EMAIL / $PILLIVERY_ADMIN_PASSWORD at ${store}admin"
echo "API docs: ${store}docs   simulator: http://127.0.0.1:$sim_port   test clock: $PILLIVERY_TEST_CLOCK"
# Open the store in a browser once it answers (where there is a desktop).
if command -v xdg-open >/dev/null 2>&1 && [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  (for _ in $(seq 50); do curl -fs "${store}health/live" >/dev/null && exec xdg-open "$store"; sleep 0.2; done) &
fi
"$bin/pillivery" serve
