#!/usr/bin/env bash
# The production topology on one machine, without systemd, every part on
# 127.0.0.1 only: nginx in front of two API servers on MariaDB and Redis, the
# KakaoPay simulator as gateway, the daily batch through this script's own
# timer, Prometheus with the alert rules, Alertmanager and the exporters. The
# configuration is the one under deploy/ (nginx site, Prometheus, rules,
# Alertmanager, batch runner); only the host-specific snippets (addresses and
# ports) are written here.
#
#   scripts/stack.sh up | down | status | logs [PART]
#   scripts/stack.sh rolling-restart          both API servers, one after the other
#   scripts/stack.sh stop-api N | start-api N | kill-api N   (N = 1 or 2)
#   scripts/stack.sh stop PART | start PART   (PART = mariadb or redis)
#   scripts/stack.sh batch                    one batch run now (as the timer does)
#
# Settings (environment): PILLIVERY_STACK_PORT (store, default 8000); every other
# port is that plus an offset unless set: PILLIVERY_STACK_API1_PORT (+11),
# _API2_PORT (+12), _SIMULATOR_PORT (+20), _NGINX_STATUS_PORT (+30),
# _MARIADB_PORT (+306), _REDIS_PORT (+379), _PROMETHEUS_PORT (+90),
# _ALERTMANAGER_PORT (+93), _NODE_EXPORTER_PORT (+100), _NGINX_EXPORTER_PORT (+113),
# _MYSQLD_EXPORTER_PORT (+104), _REDIS_EXPORTER_PORT (+121).
# PILLIVERY_STACK_DIR (state, default var/stack), PILLIVERY_STACK_PRESET (build
# preset, default release) or PILLIVERY_STACK_BIN (a directory holding built
# pillivery and pg-simulator: no build), PILLIVERY_STACK_ITEMS / _USERS /
# _ORDERS / _SUBSCRIPTIONS (demo data, defaults 1000/200/2000/200),
# PILLIVERY_STACK_BATCH_TIME (HH:MM business time of the daily run, 04:05),
# PILLIVERY_STACK_RATE_EXEMPT (addresses nginx never rate limits, e.g.
# 127.0.0.1 for a load run from this machine; default none),
# PILLIVERY_STACK_APP_RATE_LIMITS (the API servers' own per-client and
# per-account limits, PILLIVERY_RATE_LIMITS; default true: false for a load run
# whose users all come from one address).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

base="${PILLIVERY_STACK_PORT:-8000}"
port_store=$base
port_api1="${PILLIVERY_STACK_API1_PORT:-$((base + 11))}"
port_api2="${PILLIVERY_STACK_API2_PORT:-$((base + 12))}"
port_sim="${PILLIVERY_STACK_SIMULATOR_PORT:-$((base + 20))}"
port_status="${PILLIVERY_STACK_NGINX_STATUS_PORT:-$((base + 30))}"
port_mariadb="${PILLIVERY_STACK_MARIADB_PORT:-$((base + 306))}"
port_redis="${PILLIVERY_STACK_REDIS_PORT:-$((base + 379))}"
port_prom="${PILLIVERY_STACK_PROMETHEUS_PORT:-$((base + 90))}"
port_am="${PILLIVERY_STACK_ALERTMANAGER_PORT:-$((base + 93))}"
port_node="${PILLIVERY_STACK_NODE_EXPORTER_PORT:-$((base + 100))}"
port_nginx_exp="${PILLIVERY_STACK_NGINX_EXPORTER_PORT:-$((base + 113))}"
port_mysqld_exp="${PILLIVERY_STACK_MYSQLD_EXPORTER_PORT:-$((base + 104))}"
port_redis_exp="${PILLIVERY_STACK_REDIS_EXPORTER_PORT:-$((base + 121))}"

dir="${PILLIVERY_STACK_DIR:-$root/var/stack}"
fail_timeout="${PILLIVERY_STACK_FAIL_TIMEOUT:-5}"  # nginx passive health check (seconds)
preset="${PILLIVERY_STACK_PRESET:-release}"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
# The binaries `up` started with serve every later command (restarts, batch).
if [ -z "${PILLIVERY_STACK_BIN:-}" ] && [ "${1:-}" != up ] && [ -f "$dir/bin" ]; then PILLIVERY_STACK_BIN="$(cat "$dir/bin")"; fi
# So does `up`'s choice of the servers' own rate limits: a server restarted later
# (rolling restart, kill and start) must not come back with other settings.
# (`up` of a stack that is already running, e.g. to reload nginx, keeps it too.)
if [ -z "${PILLIVERY_STACK_APP_RATE_LIMITS:-}" ] && [ -f "$dir/app-rate-limits" ]; then
  if [ "${1:-}" != up ] || { [ -f "$dir/pids/api1.pid" ] && kill -0 "$(cat "$dir/pids/api1.pid")" 2>/dev/null; }; then
    PILLIVERY_STACK_APP_RATE_LIMITS="$(cat "$dir/app-rate-limits")"
  fi
fi
bin="${PILLIVERY_STACK_BIN:-$root/build/$preset/bin}"
logs="$dir/logs" pids="$dir/pids"
db_url="mariadb://pillivery:pillivery@127.0.0.1:$port_mariadb/pillivery"
redis_url="redis://127.0.0.1:$port_redis/0"
store="http://127.0.0.1:$port_store"

log() { echo "stack: $*" >&2; }

# --- processes: one pid file per part, started detached, logs per part -------
running() { [ -f "$pids/$1.pid" ] && kill -0 "$(cat "$pids/$1.pid")" 2>/dev/null; }

spawn() {  # spawn NAME COMMAND... (environment as given)
  local name="$1"; shift
  mkdir -p "$logs" "$pids"
  if running "$name"; then return 0; fi
  setsid "$@" >>"$logs/$name.log" 2>&1 < /dev/null &
  echo $! >"$pids/$name.pid"
}

halt() {  # halt NAME [SIGNAL]: signals, then waits up to 15 s (SIGKILL after)
  local name="$1" signal="${2:-TERM}" pid
  [ -f "$pids/$name.pid" ] || return 0
  pid="$(cat "$pids/$name.pid")"
  if kill -0 "$pid" 2>/dev/null; then
    # Each part runs in its own session (setsid): signal its whole group, so a
    # child such as the batch timer's `sleep` does not outlive it.
    kill -s "$signal" -- "-$pid" 2>/dev/null || kill -s "$signal" "$pid" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then log "$name did not stop in 15 s; SIGKILL"; kill -9 -- "-$pid" 2>/dev/null || kill -9 "$pid" 2>/dev/null || true; fi
  fi
  rm -f "$pids/$name.pid"
}

wait_http() {  # wait_http URL SECONDS
  local url="$1" tries=$(( ${2:-30} * 10 ))
  for _ in $(seq 1 "$tries"); do curl -fs -o /dev/null "$url" && return 0; sleep 0.1; done
  log "no answer from $url"; return 1
}

# --- parts --------------------------------------------------------------------
build() {
  if [ -n "${PILLIVERY_STACK_BIN:-}" ]; then return 0; fi
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" >/dev/null
}

start_mariadb() {
  local data="$dir/mariadb/data"
  mkdir -p "$dir/mariadb"
  if [ ! -d "$data/mysql" ]; then
    mariadb-install-db --no-defaults --datadir="$data" --user="$(id -un)" \
      --auth-root-authentication-method=normal --skip-test-db >"$logs/mariadb-install.log" 2>&1
  fi
  # The shipped server settings (deploy/mariadb/pillivery-server.cnf), so the
  # topology measures what production runs; only paths, port and user are this
  # stack's.
  spawn mariadb mariadbd --defaults-file="$root/deploy/mariadb/pillivery-server.cnf" \
    --datadir="$data" --socket="$dir/mariadb/sock" --pid-file="$dir/mariadb/mariadb.pid" \
    --port="$port_mariadb" --bind-address=127.0.0.1 --user="$(id -un)" \
    --log-error="$logs/mariadb.err"
  for _ in $(seq 1 300); do
    mariadb-admin --no-defaults --protocol=tcp -h127.0.0.1 -P"$port_mariadb" -uroot ping >/dev/null 2>&1 && break
    sleep 0.1
  done
  mariadb --no-defaults --protocol=tcp -h127.0.0.1 -P"$port_mariadb" -uroot -e "
    CREATE DATABASE IF NOT EXISTS pillivery CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
    CREATE USER IF NOT EXISTS 'pillivery'@'127.0.0.1' IDENTIFIED BY 'pillivery';
    GRANT ALL ON pillivery.* TO 'pillivery'@'127.0.0.1';
    CREATE USER IF NOT EXISTS 'exporter'@'127.0.0.1' IDENTIFIED BY 'exporter' WITH MAX_USER_CONNECTIONS 3;
    GRANT PROCESS, REPLICATION CLIENT, SELECT ON *.* TO 'exporter'@'127.0.0.1';"
}

start_redis() {
  mkdir -p "$dir/redis"
  spawn redis redis-server --port "$port_redis" --bind 127.0.0.1 --save "" --appendonly no --dir "$dir/redis"
  for _ in $(seq 1 100); do redis-cli -p "$port_redis" ping >/dev/null 2>&1 && return 0; sleep 0.1; done
  log "redis did not start"; return 1
}

start_simulator() {
  spawn simulator "$bin/pg-simulator" --address 127.0.0.1 --port "$port_sim" --db "$dir/simulator.db"
  wait_http "http://127.0.0.1:$port_sim/__ledger" 30
}

# The environment every pillivery process of the stack shares.
app_env() {
  export PILLIVERY_DB_URL="$db_url" PILLIVERY_REDIS_URL="$redis_url"
  export PILLIVERY_KAKAOPAY_BASE_URL="http://127.0.0.1:$port_sim/online/v1/payment/"
  export PILLIVERY_PUBLIC_BASE_URL="$store"
  export PILLIVERY_BILLING_SCHEDULER=false
  export PILLIVERY_INTERNAL_NETWORKS="127.0.0.0/8"
  # nginx is the only proxy in front (used once trusted proxies are merged).
  export PILLIVERY_TRUSTED_PROXIES="127.0.0.1/32"
  export PILLIVERY_ADMIN_EMAIL="${PILLIVERY_ADMIN_EMAIL:-admin@pillivery.test}"
  export PILLIVERY_ADMIN_PASSWORD="${PILLIVERY_ADMIN_PASSWORD:-Admin-Passw0rd!}"
  export PILLIVERY_LOG_LEVEL="${PILLIVERY_LOG_LEVEL:-warn}"
  export PILLIVERY_RATE_LIMITS="${PILLIVERY_STACK_APP_RATE_LIMITS:-true}"
  # The two API servers share this machine's cores, so each takes threads for
  # half of them (a server alone sizes itself for all): on 2 cores one I/O
  # thread and 4 workers each. bench/stack on 2 cores: order detail ~9,100 ->
  # ~11,000 requests/s, 200 -> 163 us of CPU per request (docs/benchmarks.md).
  local cores
  cores="$(nproc)"
  export PILLIVERY_IO_THREADS="${PILLIVERY_IO_THREADS:-$(((cores + 1) / 2))}"
  export PILLIVERY_WORKER_THREADS="${PILLIVERY_WORKER_THREADS:-$((2 * cores))}"
}

seed() {
  app_env
  "$bin/pillivery" migrate >>"$logs/seed.log" 2>&1
  if [ ! -f "$dir/.seeded" ]; then
    local samples=("$root"/../shared/spec/data/*sample*.json)
    if [ -e "${samples[0]}" ]; then "$bin/pillivery" import file "${samples[@]}" >>"$logs/seed.log" 2>&1; fi
    "$bin/pillivery" seed --items "${PILLIVERY_STACK_ITEMS:-1000}" --users "${PILLIVERY_STACK_USERS:-200}" \
      --orders "${PILLIVERY_STACK_ORDERS:-2000}" --subscriptions "${PILLIVERY_STACK_SUBSCRIPTIONS:-200}" \
      --seed 42 >>"$logs/seed.log" 2>&1
    touch "$dir/.seeded"
  fi
}

api_port() { if [ "$1" = 1 ]; then echo "$port_api1"; else echo "$port_api2"; fi; }

start_api() {
  local n="$1" port
  port="$(api_port "$n")"
  ( app_env; export PILLIVERY_HTTP_ADDRESS=127.0.0.1 PILLIVERY_HTTP_PORT="$port"
    spawn "api$n" "$bin/pillivery" serve --no-migrate )
  wait_http "http://127.0.0.1:$port/health/ready" 60
}

# --- nginx: deploy/nginx/pillivery.conf with this stack's snippets -----------
write_nginx_snippets() {  # write_nginx_snippets [DOWN_API_NUMBER]
  local down="${1:-}" conf="$dir/nginx" n address
  mkdir -p "$conf/pillivery" "$conf/temp" "$logs"
  {
    for n in 1 2; do
      echo "server 127.0.0.1:$(api_port "$n") max_fails=3 fail_timeout=${fail_timeout}s$([ "$down" = "$n" ] && echo " down");"
    done
  } >"$conf/pillivery/api-servers.conf"
  echo "listen 127.0.0.1:$port_store;" >"$conf/pillivery/listen.conf"
  echo "listen 127.0.0.1:$port_status;" >"$conf/pillivery/status-listen.conf"
  # The batch runs on this host and charges through nginx.
  echo "allow 127.0.0.1;" >"$conf/pillivery/batch-hosts.conf"
  : >"$conf/pillivery/real-ip.conf"
  : >"$conf/pillivery/rate-exempt.conf"
  for address in $(cat "$dir/rate-exempt" 2>/dev/null); do echo "$address 1;" >>"$conf/pillivery/rate-exempt.conf"; done
  echo "access_log $logs/nginx-access.log pillivery_access;" >"$conf/pillivery/access-log.conf"
  cat >"$conf/nginx.conf" <<EOF
# Written by scripts/stack.sh: the site itself is deploy/nginx/pillivery.conf.
worker_processes 2;
pid $conf/nginx.pid;
error_log $logs/nginx-error.log warn;
events { worker_connections 4096; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  sendfile on;
  keepalive_timeout 65s;
  client_body_temp_path $conf/temp/body;
  proxy_temp_path $conf/temp/proxy;
  fastcgi_temp_path $conf/temp/fastcgi;
  uwsgi_temp_path $conf/temp/uwsgi;
  scgi_temp_path $conf/temp/scgi;
  include $root/deploy/nginx/pillivery.conf;
}
EOF
}

nginx_cmd() { nginx -p "$dir/nginx" -c "$dir/nginx/nginx.conf" -e "$logs/nginx-error.log" "$@"; }

start_nginx() {
  write_nginx_snippets
  nginx_cmd -t -q
  if [ -f "$dir/nginx/nginx.pid" ] && kill -0 "$(cat "$dir/nginx/nginx.pid")" 2>/dev/null; then
    nginx_cmd -s reload
  else
    nginx_cmd  # daemonizes; its pid file is nginx.pid
  fi
  wait_http "$store/health/live" 30
}

reload_nginx() {  # reload_nginx [DOWN_API_NUMBER]: graceful; old workers finish their requests
  write_nginx_snippets "${1:-}"
  nginx_cmd -t -q
  nginx_cmd -s reload
  sleep 0.5  # the new workers take over
}

# --- monitoring ---------------------------------------------------------------
start_monitoring() {
  local prom="$dir/prometheus"
  mkdir -p "$prom/targets" "$prom/rules" "$prom/data" "$dir/alertmanager" "$dir/textfile"
  cp deploy/prometheus/prometheus.yml "$prom/prometheus.yml"
  cp deploy/prometheus/rules/*.yml "$prom/rules/"
  t() { echo "[{\"targets\": [$2], \"labels\": {\"role\": \"$3\"}}]" >"$prom/targets/$1.json"; }
  t api "\"127.0.0.1:$port_api1\", \"127.0.0.1:$port_api2\"" api
  t nginx-exporter "\"127.0.0.1:$port_nginx_exp\"" edge
  t mysqld-exporter "\"127.0.0.1:$port_mysqld_exp\"" database
  t redis-exporter "\"127.0.0.1:$port_redis_exp\"" redis
  t node "\"127.0.0.1:$port_node\"" batch
  t alertmanager "\"127.0.0.1:$port_am\"" alerting
  t prometheus "\"127.0.0.1:$port_prom\"" monitoring

  spawn node-exporter prometheus-node-exporter --web.listen-address="127.0.0.1:$port_node" \
    --collector.textfile.directory="$dir/textfile"
  spawn nginx-exporter prometheus-nginx-exporter -web.listen-address "127.0.0.1:$port_nginx_exp" \
    -nginx.scrape-uri "http://127.0.0.1:$port_status/stub_status"
  printf '[client]\nuser=exporter\npassword=exporter\nhost=127.0.0.1\nport=%s\n' "$port_mariadb" >"$dir/mysqld-exporter.cnf"
  spawn mysqld-exporter prometheus-mysqld-exporter --web.listen-address="127.0.0.1:$port_mysqld_exp" \
    --config.my-cnf="$dir/mysqld-exporter.cnf"
  spawn redis-exporter prometheus-redis-exporter -web.listen-address "127.0.0.1:$port_redis_exp" \
    -redis.addr "redis://127.0.0.1:$port_redis"
  spawn alertmanager prometheus-alertmanager --config.file="$root/deploy/alertmanager/alertmanager.yml" \
    --storage.path="$dir/alertmanager" --web.listen-address="127.0.0.1:$port_am" --cluster.listen-address= \
    --web.external-url="http://127.0.0.1:$port_am/"
  spawn prometheus prometheus --config.file="$prom/prometheus.yml" --storage.tsdb.path="$prom/data" \
    --web.listen-address="127.0.0.1:$port_prom" --web.enable-lifecycle --storage.tsdb.retention.time=7d
  wait_http "http://127.0.0.1:$port_prom/-/ready" 60
  wait_http "http://127.0.0.1:$port_am/-/ready" 30
}

# --- the batch: deploy/bin/pillivery-batch-run, daily, through nginx ---------
run_batch() {
  ( app_env
    PILLIVERY_BIN="$bin/pillivery" PILLIVERY_TEXTFILE_DIR="$dir/textfile" \
      "$root/deploy/bin/pillivery-batch-run" --api-url "$store" >>"$logs/batch.log" 2>&1 ) && status=0 || status=$?
  echo "$status"
}

# The stack's own daily timer (a real batch host uses deploy/systemd/
# pillivery-batch.timer): one run at start-up, then every day at the time.
batch_timer() {
  local at="${PILLIVERY_STACK_BATCH_TIME:-04:05}" now next
  while :; do
    log "batch run exit $(run_batch)" 2>>"$logs/batch-timer.log"
    now=$(date +%s)
    next=$(TZ=Asia/Seoul date -d "today $at" +%s)
    [ "$next" -le "$now" ] && next=$(TZ=Asia/Seoul date -d "tomorrow $at" +%s)
    sleep $((next - now))
  done
}

# --- commands -----------------------------------------------------------------
up() {
  build
  mkdir -p "$logs" "$pids"
  echo "${PILLIVERY_STACK_RATE_EXEMPT:-}" >"$dir/rate-exempt"  # kept for later reloads
  echo "$bin" >"$dir/bin"
  echo "${PILLIVERY_STACK_APP_RATE_LIMITS:-true}" >"$dir/app-rate-limits"
  start_mariadb
  start_redis
  start_simulator
  seed
  start_api 1
  start_api 2
  start_nginx
  start_monitoring
  if ! running batch-timer; then
    mkdir -p "$pids"
    setsid "$0" __batch-timer >>"$logs/batch-timer.log" 2>&1 < /dev/null &
    echo $! >"$pids/batch-timer.pid"
  fi
  cat <<EOF
Pillivery stack is up (state in $dir, logs in $logs):
  store (nginx)        $store/            docs: $store/docs
  API server 1         http://127.0.0.1:$port_api1/
  API server 2         http://127.0.0.1:$port_api2/
  KakaoPay simulator   http://127.0.0.1:$port_sim/   ledger: http://127.0.0.1:$port_sim/__ledger
  Prometheus           http://127.0.0.1:$port_prom/
  Alertmanager         http://127.0.0.1:$port_am/
  MariaDB              127.0.0.1:$port_mariadb (pillivery/pillivery, database pillivery)
  Redis                127.0.0.1:$port_redis
  exporters            node :$port_node  nginx :$port_nginx_exp  mysqld :$port_mysqld_exp  redis :$port_redis_exp
  nginx stub_status    http://127.0.0.1:$port_status/stub_status
  batch                daily at ${PILLIVERY_STACK_BATCH_TIME:-04:05} Asia/Seoul (log: $logs/batch.log)
  admin                $PILLIVERY_ADMIN_EMAIL / $PILLIVERY_ADMIN_PASSWORD
EOF
}

down() {
  halt batch-timer
  for part in prometheus alertmanager node-exporter nginx-exporter mysqld-exporter redis-exporter; do halt "$part"; done
  if [ -f "$dir/nginx/nginx.pid" ] && kill -0 "$(cat "$dir/nginx/nginx.pid")" 2>/dev/null; then nginx_cmd -s quit || true; fi
  halt api1; halt api2
  for part in simulator redis mariadb; do halt "$part"; done
  log "stopped"
}

status() {
  local part rc=0
  for part in mariadb redis simulator api1 api2 prometheus alertmanager node-exporter nginx-exporter \
              mysqld-exporter redis-exporter batch-timer; do
    if running "$part"; then printf '%-16s running (pid %s)\n' "$part" "$(cat "$pids/$part.pid")"
    else printf '%-16s stopped\n' "$part"; rc=1; fi
  done
  if [ -f "$dir/nginx/nginx.pid" ] && kill -0 "$(cat "$dir/nginx/nginx.pid")" 2>/dev/null; then
    printf '%-16s running (pid %s)\n' nginx "$(cat "$dir/nginx/nginx.pid")"
  else printf '%-16s stopped\n' nginx; rc=1; fi
  for n in 1 2; do
    printf 'api%s ready: %s\n' "$n" "$(curl -s "http://127.0.0.1:$(api_port "$n")/health/ready" || echo unreachable)"
  done
  printf 'store ready: %s\n' "$(curl -s "$store/health/ready" || echo unreachable)"
  if [ -f "$dir/textfile/pillivery_batch.prom" ]; then
    printf 'last batch exit: %s\n' "$(awk '$1 == "pillivery_batch_last_exit_code" {print $2}' "$dir/textfile/pillivery_batch.prom")"
  fi
  return $rc
}

# Both API servers, one after the other, as on real hosts: SIGTERM (the server
# drains: readiness 503 and Connection: close on every answer for
# PILLIVERY_DRAIN_SECONDS, then it stops accepting, so nginx's connects are
# refused and go to the other server, and finishes what is in flight), start,
# wait ready, then wait out nginx's fail_timeout so the restarted server takes
# traffic again before the next one goes. nginx is not reloaded.
rolling_restart() {
  local n
  for n in 1 2; do
    log "rolling restart: api$n draining"
    halt "api$n" TERM
    start_api "$n"
    sleep $((fail_timeout + 1))
    log "rolling restart: api$n back"
  done
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  logs) if [ -n "${2:-}" ]; then tail -n "${LINES_:-100}" -f "$logs/$2.log"; else tail -n 20 "$logs"/*.log; fi ;;
  rolling-restart) rolling_restart ;;
  stop-api) halt "api$2" TERM ;;
  kill-api) halt "api$2" KILL ;;
  start-api) start_api "$2" ;;
  stop) halt "$2" TERM ;;
  start) case "$2" in mariadb) start_mariadb ;; redis) start_redis ;; *) echo "start mariadb|redis" >&2; exit 2 ;; esac ;;
  batch) echo "batch exit $(run_batch)" ;;
  __batch-timer) batch_timer ;;
  *) sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
