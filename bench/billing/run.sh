#!/usr/bin/env bash
# bench/billing: N subscriptions due today, the simulator answering after
# LATENCY_MS, API_SERVERS API processes on one database, and one batch charging
# them all through the internal endpoint of every server. ENGINE=mariadb (the
# default, the production layout) or ENGINE=sqlite (single-node mode: one API
# server on a WAL file, which the batch reads too). Prints charges/s, the
# run time, p99 per charge (from the gateway metrics) and peak RSS of each
# process, and writes the table into docs/benchmarks.md. Not a test: numbers are noisy.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
source bench/lib.sh
engine="${ENGINE:-mariadb}"
n="${SUBSCRIPTIONS:-100000}" latency="${LATENCY_MS:-50}" concurrency="${CONCURRENCY:-192}"
if [ "$engine" = sqlite ]; then servers=1; else servers="${API_SERVERS:-2}"; fi
# The internal charge route runs on the gateway pool; the bulkhead must admit as
# many calls as that pool has threads, or charges queue for a slot.
gateway_threads="${GATEWAY_THREADS:-128}"
scripts/install-deps.sh
# BENCH_BIN: a directory of already built binaries (e.g. another build tree's bin/).
bin="${BENCH_BIN:-}"
if [ -z "$bin" ]; then
  cmake --preset release >/dev/null && cmake --build --preset release >/dev/null
  bin="$root/build/release/bin"
fi
work="$(mktemp -d)"
# BENCH_MARIADB_PORT / BENCH_REDIS_PORT: for two runs side by side.
mariadb_port="${BENCH_MARIADB_PORT:-13317}"
export PILLIVERY_SERVICES_DIR="$work/services" PILLIVERY_TEST_MARIADB_PORT="$mariadb_port" PILLIVERY_TEST_REDIS_PORT="${BENCH_REDIS_PORT:-16387}"
source scripts/test-services.sh start >/dev/null
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; scripts/test-services.sh stop; rm -rf "$work"; }
trap cleanup EXIT
if [ "$engine" = sqlite ]; then
  export PILLIVERY_DB_URL="sqlite://$work/bench.db"
  sql() { sqlite3 "$work/bench.db" "$1"; }
else
  db="bench_billing_$$"
  mariadb --no-defaults --protocol=tcp -h127.0.0.1 -P"$mariadb_port" -uroot -e "CREATE DATABASE $db"
  export PILLIVERY_DB_URL="${PILLIVERY_TEST_MARIADB_URL}$db"
  sql() { mariadb --no-defaults --protocol=tcp -h127.0.0.1 -P"$mariadb_port" -uroot "$db" -N -e "$1"; }
fi
export PILLIVERY_LOG_LEVEL=warn PILLIVERY_BILLING_SCHEDULER=false
export PILLIVERY_INTERNAL_TOKEN="bench-internal-token-0123456789abcdef" PILLIVERY_WORKER_THREADS=32
export PILLIVERY_GATEWAY_THREADS="$gateway_threads" PILLIVERY_PAYMENT_MAX_CONCURRENT_CALLS="$gateway_threads"
if [ "$engine" = sqlite ]; then unset PILLIVERY_WORKER_THREADS; fi  # the server sizes it for SQLite
export PILLIVERY_DB_POOL_SIZE=48
sim_port=$((21000 + RANDOM % 1000))
export PILLIVERY_KAKAOPAY_BASE_URL="http://127.0.0.1:$sim_port/online/v1/payment/"
"$bin/pillivery" seed --items 2000 --users 20000 --subscriptions "$n" --seed 3 >/dev/null
today=$(TZ=Asia/Seoul date +%F)
sql "UPDATE subscriptions SET next_payment_date='$today', next_attempt_date='$today'; UPDATE items SET stock = 10000000"
"$bin/pg-simulator" --port "$sim_port" >"$work/sim.log" 2>&1 &
pids+=($!)
sleep 0.5
curl -fs -XPOST "http://127.0.0.1:$sim_port/__faults" -d "{\"latencyMs\": $latency}" >/dev/null
ports=()
for i in $(seq 1 "$servers"); do
  port=$((22000 + RANDOM % 1000 + i))
  PILLIVERY_HTTP_PORT=$port "$bin/pillivery" serve --no-migrate >"$work/serve$i.log" 2>&1 &
  pids+=($!); ports+=($port)
done
for p in "${ports[@]}"; do for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$p/health/live" >/dev/null && break; sleep 0.1; done; done
# One batch, its workers spread over the API servers (--api-url a,b).
urls=""
for p in "${ports[@]}"; do urls+="http://127.0.0.1:$p,"; done
# MariaDB counts the statements and commits the run cost; SQLite has no such counter.
status() { if [ "$engine" = sqlite ]; then echo 0; else sql "SHOW GLOBAL STATUS LIKE '$1'" | awk '{print $2}'; fi; }
# CPU seconds (user + system) a process has used so far, from /proc.
cpu_of() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$1/stat"; }
mariadb_pid=""
if [ "$engine" != sqlite ]; then mariadb_pid=$(cat "$PILLIVERY_SERVICES_DIR/mariadb/pid"); fi
cpu_pids=("${pids[@]}" $mariadb_pid)
cpu_before=(); for p in "${cpu_pids[@]}"; do cpu_before+=("$(cpu_of "$p")"); done
questions_before=$(status Questions) commits_before=$(status Com_commit)
start=$(date +%s.%N)
/usr/bin/time -f "%M %U %S" -o "$work/batch.rss" "$bin/pillivery" batch run --api-url "${urls%,}" --concurrency "$concurrency" \
  >"$work/batch.log" 2>&1 || true
secs=$(echo "$(date +%s.%N) - $start" | bc)
# CPU per charge of each process: where the two cores went.
cpu_names=(simulator); for i in $(seq 1 "$servers"); do cpu_names+=("api$i"); done
if [ -n "$mariadb_pid" ]; then cpu_names+=(mariadb); fi
cpu_used=()
for i in "${!cpu_pids[@]}"; do cpu_used+=("$(echo "$(cpu_of "${cpu_pids[$i]}") - ${cpu_before[$i]}" | bc)"); done
cpu_used+=("$(awk '{print $2 + $3}' "$work/batch.rss")"); cpu_names+=(batch)
questions=$(( $(status Questions) - questions_before )) commits=$(( $(status Com_commit) - commits_before ))
paid=$(sql "SELECT COUNT(*) FROM subscription_charges WHERE result='PAID'")
ledger=$(curl -fs "http://127.0.0.1:$sim_port/__ledger" | python3 -c "import json,sys; print(len(json.load(sys.stdin)['payments']))")
dups=$(sql "SELECT COUNT(*) FROM (SELECT subscription_id FROM subscription_charges WHERE result='PAID' GROUP BY subscription_id HAVING COUNT(*) > 1) d")
rate=$(echo "scale=0; $paid / $secs" | bc)
per_charge="$(echo "scale=1; $questions / $paid" | bc) statements, $(echo "scale=1; $commits / $paid" | bc) commits"
if [ "$engine" = sqlite ]; then per_charge="n/a (SQLite)"; fi
# p99 per charge: the internal charge route's time on the API servers (the
# request histogram, all servers added up), the gateway call included.
p99=$(for p in "${ports[@]}"; do curl -fs "http://127.0.0.1:$p/metrics"; done | python3 -c "
import sys,re
counts={}
for l in sys.stdin:
    if not l.startswith('http_request_duration_seconds_bucket{') or 'route=\"/internal/subscriptions/{id}/charge\"' not in l: continue
    le=re.search(r'le=\"([^\"]+)\"', l).group(1)
    le=float('inf') if le=='+Inf' else float(le)
    counts[le]=counts.get(le,0)+float(l.split()[-1])
buckets=sorted(counts.items())
if buckets and buckets[-1][1] > 0:
    total=buckets[-1][1]
    for le,c in buckets:
        if c >= 0.99*total: print(f'≤ {le*1000:.0f} ms (bucket bound)'); break
else: print('n/a')")
rss=""
for i in "${!ports[@]}"; do rss+="api$((i+1)) $(( $(awk '/VmHWM/ {print $2}' /proc/${pids[$((i+1))]}/status) / 1024 )) MB, "; done
rss+="batch $(( $(awk '{print $1}' "$work/batch.rss") / 1024 )) MB, "
table="| subscriptions due | API servers | gateway latency | run time | charges/s | p99 per charge | PAID | ledger entries | double charges | database work per charge |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n| $n | $servers | ${latency} ms | ${secs%.*} s | $rate | $p99 | $paid | $ledger | $dups | $per_charge |\n"
paid_or_one=$(( paid > 0 ? paid : 1 ))
cpu=""
for i in "${!cpu_names[@]}"; do
  cpu+="${cpu_names[$i]} $(echo "scale=0; ${cpu_used[$i]} * 1000000 / $paid_or_one" | bc) µs, "
done
printf "%b" "$table"; echo "peak RSS: ${rss%, }"; echo "CPU per charge: ${cpu%, }"
heading="## Billing (bench/billing/run.sh)"
if [ "$engine" = sqlite ]; then heading="## Billing, single node on SQLite (ENGINE=sqlite bench/billing/run.sh)"; fi
write_bench_section "billing-$engine" "$heading" \
  "$(date -u +%Y-%m-%d), commit $(git rev-parse --short HEAD), $engine, batch concurrency $concurrency, $gateway_threads gateway threads per server.\n\n$table\nPeak RSS: ${rss%, }.\n\nCPU per charge (user + system): ${cpu%, }."
