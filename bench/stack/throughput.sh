#!/usr/bin/env bash
# bench/stack/throughput: the seed's scenarios through nginx in the production
# topology (scripts/stack.sh: nginx, two API servers, MariaDB with the shipped
# settings, Redis, monitoring), against the original's figures (Spring Boot,
# MySQL, two API servers behind nginx: order detail 1,027 TPS at 93 ms with 100
# users, cart read → add → read ~92 TPS); the target (issue 18) is 10× on each.
# wrk at CONNECTIONS (100, the original's users) after a 2 s warm-up, DURATION
# per scenario; CPU per request of nginx, each API server and MariaDB from /proc.
# Brings its own stack up (state in a temporary folder) and takes it down on exit.
#   bench/stack/throughput.sh
# Environment: PILLIVERY_STACK_BIN (built pillivery and pg-simulator; default
# build/release/bin, built when missing), PILLIVERY_STACK_PORT (8400),
# DURATION (10s), CONNECTIONS (100), ORDERS (seeded, 10000 over 20 users),
# WRITE_DOCS=1 to write the table into docs/benchmarks.md. Not a test: numbers are noisy.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
source bench/lib.sh
duration="${DURATION:-10s}" connections="${CONNECTIONS:-100}" orders="${ORDERS:-10000}"
bin="${PILLIVERY_STACK_BIN:-$root/build/release/bin}"
if [ ! -x "$bin/pillivery" ] || [ ! -x "$bin/pg-simulator" ]; then
  cmake --preset release >/dev/null && cmake --build --preset release >/dev/null
  bin="$root/build/release/bin"
fi
bin="$(cd "$bin" && pwd)"
work="$(mktemp -d)"
export PILLIVERY_STACK_PORT="${PILLIVERY_STACK_PORT:-8400}" PILLIVERY_STACK_DIR="$work/stack" PILLIVERY_STACK_BIN="$bin"
# Every request comes from 127.0.0.1: neither nginx's nor the servers' own limits may refuse it.
export PILLIVERY_STACK_APP_RATE_LIMITS=false PILLIVERY_STACK_RATE_EXEMPT=127.0.0.1
export PILLIVERY_STACK_ITEMS=1000 PILLIVERY_STACK_USERS=20 PILLIVERY_STACK_ORDERS="$orders" PILLIVERY_STACK_SUBSCRIPTIONS=20
base=$PILLIVERY_STACK_PORT
store="http://127.0.0.1:$base"
mariadb_port="${PILLIVERY_STACK_MARIADB_PORT:-$((base + 306))}"
cleanup() {
  status=$?
  if [ "$status" -ne 0 ]; then tail -n 20 "$work"/stack/logs/*.log >&2 2>/dev/null || true; fi
  scripts/stack.sh down >/dev/null 2>&1 || true
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
# Bounded: the whole run (stack up, seven scenarios, down) stops by itself.
timeout 300 scripts/stack.sh up >"$work/up.log" 2>&1 || { cat "$work/up.log" >&2; exit 1; }
dir="$PILLIVERY_STACK_DIR"
# The batch timer runs the daily batch once at start-up: let it finish first.
for _ in $(seq 1 600); do grep -q 'batch run exit' "$dir/logs/batch-timer.log" 2>/dev/null && break; sleep 0.1; done

sql() { mariadb --no-defaults --protocol=tcp -h127.0.0.1 -P"$mariadb_port" -upillivery -ppillivery pillivery -N -e "$1"; }
sql "UPDATE items SET stock = 100000000 WHERE id = 1"
token=$(curl -fs -XPOST "$store/api/auth/login" -H 'Content-Type: application/json' \
  -d '{"email":"user1@seed.pillivery.test","password":"Passw0rd!"}' |
  python3 -c "import json,sys; print(json.load(sys.stdin)['data']['accessToken'])")
uid=$(sql "SELECT id FROM users WHERE email='user1@seed.pillivery.test'")
ids=$(sql "SELECT id FROM orders WHERE user_id=$uid ORDER BY id LIMIT 500" | paste -sd, -)
[ -n "$ids" ] || { echo "user1 owns no orders" >&2; exit 1; }
items=$(seq 1 200 | sed 's|^|/api/items/|' | paste -sd'|' -)
searches=$(python3 -c '
import urllib.parse
words = ["비타민", "오메가", "루테인", "프로바이오틱스", "홍삼", "밀크씨슬", "칼슘", "마그네슘"]
print("|".join("/api/items?" + urllib.parse.urlencode({"keyword": w, "size": 20}) for w in words))')

# CPU seconds (user + system) so far of the processes PIDS (space-separated), from /proc.
cpu_of() {
  local pid total=0
  for pid in $1; do
    total=$(awk -v hz="$(getconf CLK_TCK)" -v t="$total" '{printf "%.2f", t + ($14 + $15) / hz}' "/proc/$pid/stat")
  done
  echo "$total"
}
nginx_pids=$(pgrep -P "$(cat "$dir/nginx/nginx.pid")" | paste -sd' ' -)  # the workers
api1=$(cat "$dir/pids/api1.pid") api2=$(cat "$dir/pids/api2.pid") db=$(cat "$dir/pids/mariadb.pid")
parts=("$nginx_pids" "$api1" "$api2" "$db")  # one word per part: nginx's is its workers, split by cpu_of

# scenario LABEL ORIGINAL PER_FLOW SCRIPT ENV...: ORIGINAL is the original's TPS
# ("–" when it has none), PER_FLOW the requests one of the original's
# transactions makes (the cart flow: 3).
table="| scenario | requests/s | p50 | p99 | original | ratio | 10× met | nginx CPU/req | API 1 CPU/req | API 2 CPU/req | MariaDB CPU/req | total CPU/req |\n|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|\n"
scenario() {
  local label="$1" original="$2" per_flow="$3" script="$4"; shift 4
  env "$@" wrk -t2 -c"$connections" -d2s -s "$script" "$store" >/dev/null 2>&1
  local before=() used=() part out rps requests p50 p99 ratio met cells="" i
  for part in "${parts[@]}"; do before+=("$(cpu_of "$part")"); done
  out=$(env "$@" timeout 120 wrk -t2 -c"$connections" -d"$duration" --latency -s "$script" "$store" 2>&1)
  i=0
  for part in "${parts[@]}"; do used+=("$(echo "$(cpu_of "$part") - ${before[$i]}" | bc)"); i=$((i + 1)); done
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  requests=$(echo "$out" | awk '/requests in/ {print $1}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  if echo "$out" | grep -E "Non-2xx|Socket errors" >&2; then label+=" (errors: see the run's output)"; fi
  if [ "$original" = – ]; then ratio="–" met="–"; else
    ratio="$(echo "scale=1; $rps / $per_flow / $original" | bc)×"
    met=$(echo "$rps / $per_flow >= 10 * $original" | bc | sed 's/1/yes/;s/0/no/')
  fi
  for i in 0 1 2 3; do cells+=" $(echo "scale=0; ${used[$i]} * 1000000 / $requests" | bc) µs |"; done
  cells+=" $(echo "scale=0; (${used[0]} + ${used[1]} + ${used[2]} + ${used[3]}) * 1000000 / $requests" | bc) µs |"
  table+="| $label | $rps | $p50 | $p99 | $original | $ratio | $met |$cells\n"
}
scenario "order detail" 1027 1 bench/orders/flow.lua MODE=detail TOKEN="$token" ORDER_IDS="$ids"
scenario "order list (20 a page)" – 1 bench/orders/flow.lua MODE=list TOKEN="$token" ORDER_IDS="$ids"
scenario "cart flow (read → add → read; requests, ratio per flow)" 92 3 bench/orders/flow.lua MODE=cart TOKEN="$token" ORDER_IDS="$ids"
scenario "item detail" – 1 bench/catalog/rotate.lua PATHS="$items"
scenario "main page" – 1 bench/catalog/rotate.lua PATHS=/api/items/main
scenario "search (keyword, 20 a page)" – 1 bench/catalog/rotate.lua PATHS="$searches"

load=$(cut -d' ' -f1-3 /proc/loadavg)
summary="nginx (2 workers), two API servers ($bin), MariaDB (deploy/mariadb/pillivery-server.cnf), Redis, Prometheus and exporters, and wrk -t2 -c$connections -d$duration (after a 2 s warm-up) all on this $(nproc)-core machine; $orders orders seeded over 20 users (user1's $(echo "$ids" | tr ',' '\n' | wc -l) read by the order scenarios); load average before the stack came up $load_before, at the end $load (the run itself adds about two to three)."
summary+=" The original's figures are its own measurement on its own hardware (order detail 1,027 TPS at 93 ms average, cart ~92 TPS with 100 users); the cart ratio counts flows (requests/s ÷ 3). CPU/req is user + system time from /proc over the measured run divided by all its requests (nginx: both workers; each API server serves about half of them, so the total is the sum of the four, wrk's own share not included)."
printf "%b" "$table"; echo "$summary"
if [ "${WRITE_DOCS:-0}" = 1 ]; then
  write_bench_section stack-throughput "## The production topology's throughput (bench/stack/throughput.sh)" \
    "$(date -u +%Y-%m-%d), commit $(git rev-parse --short HEAD).\n\n$table\n$summary"
fi
