#!/usr/bin/env bash
# bench/orders: seeded orders on SQLite (ENGINE=sqlite, the default) or MariaDB
# (ENGINE=mariadb, started here with deploy/mariadb/pillivery-server.cnf); order
# detail, order list and a cart flow (read → add → read) at 64 connections
# against one API server. Prints requests/s, p50/p99 and the CPU each process
# spent per request (µs, user + system from /proc: far less disturbed by other
# load on the machine than requests/s), and for MariaDB the statements it ran
# per request. Writes the table into docs/benchmarks.md. Not a test: numbers are noisy.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
source bench/lib.sh
engine="${ENGINE:-sqlite}"
orders="${ORDERS:-100000}" duration="${DURATION:-10s}" connections="${CONNECTIONS:-64}"
# MARIADB_CNF: the server settings for ENGINE=mariadb ("none": the test
# services' command-line defaults, for comparison).
cnf="${MARIADB_CNF:-deploy/mariadb/pillivery-server.cnf}"
scripts/install-deps.sh
# BENCH_BIN: a directory of already built binaries (e.g. another build tree's bin/).
bin="${BENCH_BIN:-}"
if [ -z "$bin" ]; then
  cmake --preset release >/dev/null && cmake --build --preset release >/dev/null
  bin="$root/build/release/bin"
fi
work="$(mktemp -d)"
port="${BENCH_HTTP_PORT:-$((23000 + RANDOM % 1000))}"
mariadb_port="${BENCH_MARIADB_PORT:-13318}"
pids=()
mariadb_pid=""
cleanup() {
  kill "${pids[@]}" 2>/dev/null || true
  if [ -n "$mariadb_pid" ]; then
    kill "$mariadb_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$mariadb_pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$work"
}
trap cleanup EXIT
if [ "$engine" = sqlite ]; then
  export PILLIVERY_DB_URL="sqlite://$work/bench.db"
  sql() { sqlite3 "$work/bench.db" "$1"; }
else
  data="$work/mariadb"
  mariadb-install-db --no-defaults --datadir="$data" --user="$(id -un)" \
    --auth-root-authentication-method=normal --skip-test-db >"$work/install.log" 2>&1
  if [ "$cnf" = none ]; then
    settings=(--no-defaults --innodb-buffer-pool-size=256M --innodb-flush-log-at-trx-commit=2 --max-connections=500
              --character-set-server=utf8mb4 --collation-server=utf8mb4_bin)
  else
    settings=(--defaults-file="$cnf")
  fi
  mariadbd "${settings[@]}" --datadir="$data" --socket="$work/mariadb.sock" --port="$mariadb_port" \
    --bind-address=127.0.0.1 --user="$(id -un)" --pid-file="$work/mariadb.pid" --log-error="$work/mariadb.err" &
  mariadb_pid=$!
  for _ in $(seq 1 100); do
    mariadb-admin --no-defaults --protocol=tcp -h127.0.0.1 -P"$mariadb_port" -uroot ping >/dev/null 2>&1 && break
    sleep 0.1
  done
  mariadb --no-defaults --protocol=tcp -h127.0.0.1 -P"$mariadb_port" -uroot -e \
    "CREATE DATABASE bench; CREATE USER 'pillivery'@'%' IDENTIFIED BY 'pillivery'; GRANT ALL ON *.* TO 'pillivery'@'%';"
  # SERVER_PREPARE=false: statements as text (SOCI), for comparison.
  export PILLIVERY_DB_URL="mariadb://pillivery:pillivery@127.0.0.1:$mariadb_port/bench?server_prepare=${SERVER_PREPARE:-true}"
  sql() { mariadb --no-defaults --protocol=tcp -h127.0.0.1 -P"$mariadb_port" -uroot bench -N -e "$1"; }
fi
export PILLIVERY_HTTP_PORT="$port" PILLIVERY_LOG_LEVEL=warn PILLIVERY_BILLING_SCHEDULER=false
# WORKER_THREADS / DB_POOL_SIZE: unset leaves the server's defaults (by engine).
if [ -n "${WORKER_THREADS:-}" ]; then export PILLIVERY_WORKER_THREADS="$WORKER_THREADS"; fi
if [ -n "${DB_POOL_SIZE:-}" ]; then export PILLIVERY_DB_POOL_SIZE="$DB_POOL_SIZE"; fi
seed_start=$(date +%s)
"$bin/pillivery" seed --items 2000 --users 100 --orders "$orders" --seed 5 >/dev/null
seed_secs=$(( $(date +%s) - seed_start ))
sql "UPDATE items SET stock = 100000000 WHERE id = 1"
${SERVER_PRELOAD:+env LD_PRELOAD=$SERVER_PRELOAD} "$bin/pillivery" serve >"$work/serve.log" 2>&1 &
pid=$!
pids+=($pid)
base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -fs "$base/health/live" >/dev/null && break; sleep 0.1; done
login() {
  curl -fs -XPOST "$base/api/auth/login" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$1@seed.pillivery.test\",\"password\":\"Passw0rd!\"}" |
    python3 -c "import json,sys; print(json.load(sys.stdin)['data']['accessToken'])"
}
token=$(login user1)
uid=$(sql "SELECT id FROM users WHERE email='user1@seed.pillivery.test'")
ids=$(sql "SELECT id FROM orders WHERE user_id=$uid ORDER BY id LIMIT 500" | paste -sd, -)
# CPU seconds (user + system) a process has used so far, from /proc.
cpu_of() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$1/stat"; }
questions() { if [ "$engine" = sqlite ]; then echo 0; else sql "SHOW GLOBAL STATUS LIKE 'Questions'" | awk '{print $2}'; fi; }
table="| scenario | requests/s | p50 | p99 | server CPU/request | MariaDB CPU/request | statements/request |\n|---|---:|---:|---:|---:|---:|---:|\n"
for mode in detail list cart; do
  # A 2 s warm-up with the same requests (caches, prepared statements), then the measured run.
  MODE=$mode TOKEN=$token ORDER_IDS=$ids wrk -t2 -c"$connections" -d2s -s bench/orders/flow.lua "$base" >/dev/null 2>&1
  server_before=$(cpu_of "$pid"); db_before=0
  if [ -n "$mariadb_pid" ]; then db_before=$(cpu_of "$mariadb_pid"); fi
  questions_before=$(questions)
  out=$(MODE=$mode TOKEN=$token ORDER_IDS=$ids wrk -t2 -c"$connections" -d"$duration" --latency -s bench/orders/flow.lua "$base" 2>&1)
  server_used=$(echo "$(cpu_of "$pid") - $server_before" | bc)
  db_used=0
  if [ -n "$mariadb_pid" ]; then db_used=$(echo "$(cpu_of "$mariadb_pid") - $db_before" | bc); fi
  asked=$(( $(questions) - questions_before - 1 ))  # less the SHOW STATUS of the first reading
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  requests=$(echo "$out" | awk '/requests in/ {print $1}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  server_us=$(echo "scale=0; $server_used * 1000000 / $requests" | bc)
  if [ "$engine" = sqlite ]; then db_us="–" per_request="–"; else
    db_us="$(echo "scale=0; $db_used * 1000000 / $requests" | bc) µs"
    per_request=$(echo "scale=2; $asked / $requests" | bc)
  fi
  label=$mode; [ "$mode" = cart ] && label="cart flow (requests; flows/s = requests/s ÷ 3)"
  table+="| $label | $rps | $p50 | $p99 | $server_us µs | $db_us | $per_request |\n"
  echo "$out" | grep -E "Non-2xx|Socket errors" >&2 || true
done
rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
load=$(cut -d' ' -f1-3 /proc/loadavg)
summary="$engine; $orders orders seeded in $seed_secs s (user1 owns $(echo "$ids" | tr ',' '\n' | wc -l) of those read); wrk -t2 -c$connections -d$duration after a 2 s warm-up, beside the server on $(nproc) cores; server peak RSS $((rss_kb / 1024)) MB; load average at the end $load."
if [ "$engine" != sqlite ]; then summary+=" MariaDB settings: $cnf; server_prepare=${SERVER_PREPARE:-true}."; fi
summary+=" Worker threads ${WORKER_THREADS:-by engine}, pool ${DB_POOL_SIZE:-16}."
printf "%b" "$table"; echo "$summary"
section=orders heading="## Orders (bench/orders/run.sh)"
if [ "$engine" != sqlite ]; then section=orders-mariadb heading="## Orders on MariaDB (ENGINE=mariadb bench/orders/run.sh)"; fi
if [ -z "${BENCH_NO_DOCS:-}" ]; then
  write_bench_section "$section" "$heading" \
    "$(date -u +%Y-%m-%d), commit $(git rev-parse --short HEAD).\n\n$table\n$summary"
fi
