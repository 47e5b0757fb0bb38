#!/usr/bin/env bash
# bench/payments: 1,000 unpaid orders with payment ready done, then all 1,000
# approval redirects at once against the real pg-simulator answering after
# LATENCY_MS, on MariaDB. Scenarios: (a) no faults; (b) 20% connection failures
# on every KakaoPay call (10% connectionRefused + 10% lostResponse: both a reset,
# the second after the approve went through); (c) as (b) with
# payment.approve_attempts = RAISED_ATTEMPTS; (d) as (a) with the original system's
# bulkhead of 50 (wait 10 s). Each scenario gets a fresh server
# (its own /metrics). Prints a table and writes it into docs/benchmarks.md.
# Not a test: numbers are noisy.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
source bench/lib.sh
n="${APPROVALS:-1000}" latency="${LATENCY_MS:-2000}" raised="${RAISED_ATTEMPTS:-6}"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  scripts/install-deps.sh
  cmake --preset release >/dev/null && cmake --build --preset release >/dev/null
fi
bin="${BIN_DIR:-$root/build/release/bin}"
work="$(mktemp -d)"
export PILLIVERY_SERVICES_DIR="$work/services" PILLIVERY_TEST_MARIADB_PORT=13318 PILLIVERY_TEST_REDIS_PORT=16388
# A first start of MariaDB on a busy machine can take longer than the script waits.
(source scripts/test-services.sh start >/dev/null 2>&1) || true
for _ in $(seq 1 300); do
  mariadb-admin --no-defaults --protocol=tcp -h127.0.0.1 -P13318 -uroot ping >/dev/null 2>&1 && break; sleep 0.2
done
source scripts/test-services.sh start >/dev/null
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; scripts/test-services.sh stop; rm -rf "$work"; }
trap cleanup EXIT
sql() { mariadb --no-defaults --protocol=tcp -h127.0.0.1 -P13318 -uroot "$db" -N -e "$1"; }
db="bench_payments_$$"
mariadb --no-defaults --protocol=tcp -h127.0.0.1 -P13318 -uroot -e "CREATE DATABASE $db"
export PILLIVERY_DB_URL="${PILLIVERY_TEST_MARIADB_URL}$db" PILLIVERY_LOG_LEVEL=warn PILLIVERY_BILLING_SCHEDULER=false
sim_port=$((24000 + RANDOM % 1000))
sim="http://127.0.0.1:$sim_port"
export PILLIVERY_KAKAOPAY_BASE_URL="$sim/online/v1/payment/"
drops="\"failureRates\": {\"connectionRefused\": 0.1, \"lostResponse\": 0.1}"
scenarios=("a|no faults|{\"latencyMs\": $latency}|3|256"
           "b|20% connection failures|{\"latencyMs\": $latency, $drops}|3|256"
           "c|20% connection failures|{\"latencyMs\": $latency, $drops}|$raised|256"
           "d|no faults, bulkhead 50|{\"latencyMs\": $latency}|3|50")
"$bin/pillivery" seed --items 500 --users 100 --orders $((n * ${#scenarios[@]})) --seed 7 >/dev/null
# The seeded orders become user1's unpaid orders; stock is plentiful.
uid=$(sql "SELECT id FROM users WHERE email='user1@seed.pillivery.test'")
sql "UPDATE orders SET user_id=$uid, status='PENDING_PAYMENT', paid_at=NULL, payment_provider=NULL, payment_tid=NULL,
       payment_approved_at=NULL, expires_at_ms=4102444800000; UPDATE items SET stock=10000000"
"$bin/pg-simulator" --port "$sim_port" >"$work/sim.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do curl -fs "$sim/__health" >/dev/null && break; sleep 0.1; done
metric() { curl -fs "$1/metrics" | awk -v m="$2" 'index($0, m) == 1 {s += $NF} END {print s + 0}'; }
table="| scenario | bulkhead | approve attempts | approvals | succeeded | failed | wall time | p50 | p99 | DB pool timeouts | server peak RSS |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
extra=""
i=0
for scenario in "${scenarios[@]}"; do
  IFS='|' read -r name label faults attempts bulkhead <<<"$scenario"
  port=$((25000 + RANDOM % 1000))
  base="http://127.0.0.1:$port"
  PILLIVERY_HTTP_PORT=$port PILLIVERY_PAYMENT_APPROVE_ATTEMPTS=$attempts \
    PILLIVERY_PAYMENT_MAX_CONCURRENT_CALLS=$bulkhead "$bin/pillivery" serve --no-migrate \
    >"$work/serve_$name.log" 2>&1 &
  server=$!; pids+=($server)
  for _ in $(seq 1 100); do curl -fs "$base/health/live" >/dev/null && break; sleep 0.1; done
  token=$(curl -fs -XPOST "$base/api/auth/login" -H 'Content-Type: application/json' \
    -d '{"email":"user1@seed.pillivery.test","password":"Passw0rd!"}' |
    python3 -c "import json,sys; print(json.load(sys.stdin)['data']['accessToken'])")
  sql "SELECT id FROM orders ORDER BY id LIMIT $n OFFSET $((i * n))" >"$work/ids_$name"
  curl -fs -XDELETE "$sim/__faults" >/dev/null
  python3 bench/payments/approvals.py prepare "$base" "$sim" "$token" "$work/ids_$name" "$work/paths_$name"
  curl -fs -XPOST "$sim/__faults" -d "$faults" >/dev/null
  result=$(python3 bench/payments/approvals.py fire "$base" "$work/paths_$name")
  injected=$(curl -fs "$sim/__faults" | python3 -c "import json,sys; print(json.load(sys.stdin)['injected'])")
  timeouts=$(metric "$base" pillivery_db_pool_timeouts_total)
  unknown=$(metric "$base" 'pillivery_gateway_calls_total{operation="approve",outcome="unknown"}')
  full=$(metric "$base" 'pillivery_gateway_calls_total{operation="approve",outcome="bulkhead_full"}')
  open=$(curl -fs "$base/metrics" | awk '/^pillivery_gateway_calls_total\{/ && /outcome="circuit_open"/ {s += $NF} END {print s + 0}')
  rss=$(( $(awk '/VmHWM/ {print $2}' /proc/$server/status) / 1024 ))
  kill "$server"; wait "$server" 2>/dev/null || true
  table+=$(echo "$result" | python3 -c "
import json,sys; r=json.load(sys.stdin)
print(f\"| ($name) $label | $bulkhead | $attempts | {r['approvals']} | {r['succeeded']} | {r['failed']} | {r['wall_s']} s | {r['p50_ms']} ms | {r['p99_ms']} ms | $timeouts | $rss MB |\")")
  table+="\n"
  extra+="($name): answers $(echo "$result" | python3 -c "import json,sys; print(json.load(sys.stdin)['statuses'])"), simulator injected $injected, approves with unknown outcome $unknown, refused by the bulkhead $full, calls refused by the open breaker $open.\n"
  i=$((i + 1))
done
ledger=$(curl -fs "$sim/__ledger" | python3 -c "
import json,sys; p=json.load(sys.stdin)['payments']; a=[e for e in p if e['kind']=='APPROVE']
print(f\"{len(a)} APPROVE entries for {len(set(e['tid'] for e in a))} tids\")")
paid=$(sql "SELECT COUNT(*) FROM orders WHERE status='PAID'")
summary="Simulator latency ${latency} ms on every call; gateway pool 256 threads, DB pool 16 (defaults); $(nproc) cores shared by the client (one Python thread per approval), server, simulator and MariaDB. Ledger: $ledger; $paid orders PAID."
printf "%b" "$table"; printf "%b" "$extra"; echo "$summary"
write_bench_section payments "## Payments (bench/payments/run.sh)" \
  "$(date -u +%Y-%m-%d), commit $(git rev-parse --short HEAD), MariaDB.\n\n$table\n$extra\n$summary"
