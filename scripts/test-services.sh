#!/usr/bin/env bash
# Starts a throwaway MariaDB and Redis on loopback for the tests, without
# systemd, under $PILLIVERY_SERVICES_DIR (default build/services).
# Usage: source scripts/test-services.sh start   (exports the URLs)
#        scripts/test-services.sh stop
# Strict mode only when run, not when sourced into the caller's shell.
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then set -euo pipefail; fi
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${PILLIVERY_SERVICES_DIR:-$root/build/services}"
# Below Linux's ephemeral range (32768-60999): a client socket that happens to
# hold the port makes a server's bind fail (seen once: Redis on 36380).
mariadb_port="${PILLIVERY_TEST_MARIADB_PORT:-13306}"
redis_port="${PILLIVERY_TEST_REDIS_PORT:-16379}"

start_mariadb() {
  mkdir -p "$dir/mariadb"
  if [ ! -d "$dir/mariadb/data/mysql" ]; then
    mariadb-install-db --no-defaults --datadir="$dir/mariadb/data" --user="$(id -un)" \
      --auth-root-authentication-method=normal --skip-test-db >"$dir/mariadb/install.log" 2>&1
  fi
  if ! mariadb-admin --no-defaults --protocol=tcp -h127.0.0.1 -P"$mariadb_port" -uroot ping >/dev/null 2>&1; then
    mariadbd --no-defaults --datadir="$dir/mariadb/data" --socket="$dir/mariadb/sock" \
      --port="$mariadb_port" --bind-address=127.0.0.1 --user="$(id -un)" \
      --pid-file="$dir/mariadb/pid" --log-error="$dir/mariadb/error.log" \
      --innodb-buffer-pool-size=256M --innodb-flush-log-at-trx-commit=2 --max-connections=500 \
      --character-set-server=utf8mb4 --collation-server=utf8mb4_bin >/dev/null 2>&1 &
    for _ in $(seq 1 100); do
      mariadb-admin --no-defaults --protocol=tcp -h127.0.0.1 -P"$mariadb_port" -uroot ping >/dev/null 2>&1 && break
      sleep 0.1
    done
  fi
  mariadb --no-defaults --protocol=tcp -h127.0.0.1 -P"$mariadb_port" -uroot -e \
    "CREATE USER IF NOT EXISTS 'pillivery'@'%' IDENTIFIED BY 'pillivery'; GRANT ALL ON *.* TO 'pillivery'@'%';"
  export PILLIVERY_TEST_MARIADB_URL="mariadb://pillivery:pillivery@127.0.0.1:$mariadb_port/"
}

start_redis() {
  mkdir -p "$dir/redis"
  if ! redis-cli -p "$redis_port" ping >/dev/null 2>&1; then
    redis-server --port "$redis_port" --bind 127.0.0.1 --daemonize yes --save "" --appendonly no \
      --dir "$dir/redis" --pidfile "$dir/redis/pid" --logfile "$dir/redis/log"
    for _ in $(seq 1 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
    if ! redis-cli -p "$redis_port" ping >/dev/null 2>&1; then
      echo "redis-server did not start on port $redis_port:" >&2
      tail -5 "$dir/redis/log" >&2
      return 1
    fi
  fi
  export PILLIVERY_TEST_REDIS_URL="redis://127.0.0.1:$redis_port/0"
}

# Waits (up to 10 s each) until the processes are gone, so a caller can remove
# their data directories right after.
stop_all() {
  local pidfile pid
  for pidfile in "$dir/mariadb/pid" "$dir/redis/pid"; do
    [ -f "$pidfile" ] || continue
    pid="$(cat "$pidfile")"
    kill "$pid" 2>/dev/null || continue
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  done
}

case "${1:-start}" in
  start) start_mariadb; start_redis; echo "services: $PILLIVERY_TEST_MARIADB_URL $PILLIVERY_TEST_REDIS_URL" ;;
  stop) stop_all ;;
esac
