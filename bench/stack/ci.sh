#!/usr/bin/env bash
# The short form of the topology run, for CI (scripts/test.sh): the stack up
# with the binaries just built (small demo data), a purchase through nginx
# reconciled with the simulator ledger, one rolling restart of both API servers
# under light Locust load with zero failed requests, then `stack.sh down`.
# About two minutes; everything on 127.0.0.1.
#   bench/stack/ci.sh BIN_DIR
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
bin="$(cd "$1" && pwd)"
work="$(mktemp -d)"
export PILLIVERY_STACK_DIR="$work/stack" PILLIVERY_STACK_BIN="$bin"
export PILLIVERY_STACK_ITEMS=200 PILLIVERY_STACK_USERS=20 PILLIVERY_STACK_ORDERS=100 PILLIVERY_STACK_SUBSCRIPTIONS=20
# Every Locust user comes from 127.0.0.1: the API servers' own per-client and
# per-account limits would refuse the load's checkouts (nginx's limit_req is
# still checked below, before the load run exempts this address).
export PILLIVERY_STACK_APP_RATE_LIMITS=false
base="${PILLIVERY_STACK_PORT:-8000}"
cleanup() {
  status=$?
  if [ "$status" -ne 0 ]; then tail -n 30 "$work"/stack/logs/*.log >&2 || true; fi
  scripts/stack.sh down || true
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
scripts/stack.sh up
scripts/stack.sh status
order=$(/usr/bin/python3 bench/stack/purchase.py "http://127.0.0.1:$base" "http://127.0.0.1:$((base + 20))")
echo "stack ci: order $order paid through nginx"
# nginx's own answers: the per-address limit on sign-up (429 problem+json),
# /metrics not exposed through the balancer, gzip of JSON.
codes=$(seq 1 60 | xargs -P 30 -I{} curl -s -o /dev/null -w '%{http_code}\n' -XPOST "http://127.0.0.1:$base/api/users" \
  -H 'Content-Type: application/json' -d '{}' | sort | uniq -c)
echo "$codes" | grep -q ' 429$' || { echo "no 429 from nginx's limit: $codes" >&2; exit 1; }
curl -s -XPOST "http://127.0.0.1:$base/api/users" -H 'Content-Type: application/json' -d '{}' | grep '"code":"RATE_LIMITED"' >/dev/null
sleep 5  # the zone refills
test "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$base/metrics")" = 404
curl -s -H 'Accept-Encoding: gzip' -D - -o /dev/null "http://127.0.0.1:$base/api/items?size=50" | grep -i '^content-encoding: gzip' >/dev/null
echo "stack ci: nginx limits, hides /metrics, gzips JSON"
USERS=5 DURATION=45 FAULT_AT=8 OUT="$work/locust" bench/stack/run.sh rolling
/usr/bin/python3 bench/stack/reconcile.py "http://127.0.0.1:$((base + 20))" "$((base + 306))" --wait 30
echo "stack ci: passed"
