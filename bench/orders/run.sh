#!/usr/bin/env bash
# bench/orders: 100,000 seeded orders on SQLite; order detail, order list and a
# cart flow (read → add → read) at 64 connections. Prints a table and writes it
# into docs/benchmarks.md. Not a test: numbers are noisy.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
source bench/lib.sh
orders="${ORDERS:-100000}" duration="${DURATION:-10s}" connections="${CONNECTIONS:-64}"
scripts/install-deps.sh
cmake --preset release >/dev/null && cmake --build --preset release >/dev/null
bin="$root/build/release/bin"
work="$(mktemp -d)"
port=$((23000 + RANDOM % 1000))
export PILLIVERY_DB_URL="sqlite://$work/bench.db" PILLIVERY_HTTP_PORT="$port" PILLIVERY_LOG_LEVEL=warn
export PILLIVERY_BILLING_SCHEDULER=false
"$bin/pillivery" seed --items 2000 --users 100 --orders "$orders" --seed 5 >/dev/null
sqlite3 "$work/bench.db" "UPDATE items SET stock = 100000000 WHERE id = 1"
${SERVER_PRELOAD:+env LD_PRELOAD=$SERVER_PRELOAD} "$bin/pillivery" serve >"$work/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -fs "$base/health/live" >/dev/null && break; sleep 0.1; done
login() {
  curl -fs -XPOST "$base/api/auth/login" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$1@seed.pillivery.test\",\"password\":\"Passw0rd!\"}" |
    python3 -c "import json,sys; print(json.load(sys.stdin)['data']['accessToken'])"
}
token=$(login user1)
uid=$(sqlite3 "$work/bench.db" "SELECT id FROM users WHERE email='user1@seed.pillivery.test'")
ids=$(sqlite3 "$work/bench.db" "SELECT group_concat(id) FROM (SELECT id FROM orders WHERE user_id=$uid LIMIT 500)")
table="| scenario | requests/s | p50 | p99 |\n|---|---:|---:|---:|\n"
for mode in detail list cart; do
  out=$(MODE=$mode TOKEN=$token ORDER_IDS=$ids wrk -t2 -c"$connections" -d"$duration" --latency -s bench/orders/flow.lua "$base" 2>&1)
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  label=$mode; [ "$mode" = cart ] && label="cart flow (requests; flows/s = requests/s ÷ 3)"
  table+="| $label | $rps | $p50 | $p99 |\n"
  echo "$out" | grep -E "Non-2xx|Socket errors" >&2 || true
done
rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
summary="$orders orders (user1 owns $(echo "$ids" | tr ',' '\n' | wc -l) of those read); wrk -t2 -c$connections -d$duration beside the server on $(nproc) cores; server peak RSS $((rss_kb / 1024)) MB."
printf "%b" "$table"; echo "$summary"
write_bench_section orders "## Orders (bench/orders/run.sh)" \
  "$(date -u +%Y-%m-%d), commit $(git rev-parse --short HEAD).\n\n$table\n$summary"
