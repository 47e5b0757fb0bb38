#!/usr/bin/env bash
# Runs the built binaries once end to end: migrate, seed, serve, a few requests, SIGTERM.
set -euo pipefail
# (grep reads all of a response: grep -q would stop early and, under pipefail,
# fail the run with curl's write error 23 when the body is still arriving.)
bin="$1"
work="$(mktemp -d)"
pid=""
# On failure the server's log says why (it is removed with $work).
trap 'status=$?; if [ "$status" -ne 0 ]; then echo "smoke: failed; the server log:" >&2; tail -n 40 "$work/serve.log" >&2 || true; fi
      kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
# Below Linux's ephemeral range (32768-60999), where a client socket may hold the port.
port=$((20000 + RANDOM % 12000))
export PILLIVERY_DB_URL="sqlite://$work/smoke.db" PILLIVERY_HTTP_PORT="$port"
"$bin/pillivery" migrate >/dev/null
"$bin/pillivery" seed --items 200 --seed 7 >/dev/null
"$bin/pillivery" serve >"$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/health/live" >/dev/null && break; sleep 0.1; done
curl -fs "http://127.0.0.1:$port/health/ready" | grep '"UP"' >/dev/null
curl -fs "http://127.0.0.1:$port/api/items?size=3&sort=PRICE_ASC" | grep '"totalElements":200' >/dev/null
curl -fs "http://127.0.0.1:$port/api/items/1" | grep '"itemId":1' >/dev/null
test "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/items/abc")" = 400
curl -fs "http://127.0.0.1:$port/metrics" | grep 'http_requests_total' >/dev/null
kill -TERM $pid
wait $pid
grep -q '"msg":"stopped"' "$work/serve.log"
echo "smoke: 1 passed, 0 failed"
