#!/usr/bin/env bash
# Builds and runs the store with its demo data: SQLite, about 1,000 generated
# items plus the real sample rows of ../shared/spec/data/ (when present), and
# the KakaoPay simulator. Ctrl-C stops both.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scripts/install-deps.sh
# The /docs viewer (Redoc from npm), compiled into the server by the build below.
npm ci --prefix tools/api --no-audit --no-fund --loglevel=error && npm run --prefix tools/api --silent build
cmake --preset release >/dev/null
cmake --build --preset release
bin="$root/build/release/bin"
mkdir -p var
export PILLIVERY_DB_URL="${PILLIVERY_DB_URL:-sqlite://$root/var/demo.db}"
export PILLIVERY_HTTP_PORT="${PILLIVERY_HTTP_PORT:-8080}"
sim_port="${PILLIVERY_SIMULATOR_PORT:-9090}"
export PILLIVERY_KAKAOPAY_BASE_URL="${PILLIVERY_KAKAOPAY_BASE_URL:-http://127.0.0.1:$sim_port/online/v1/payment/}"

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
echo "store: http://127.0.0.1:$PILLIVERY_HTTP_PORT/docs   simulator: http://127.0.0.1:$sim_port"
"$bin/pillivery" serve
