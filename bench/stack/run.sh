#!/usr/bin/env bash
# bench/stack: the seed's scenarios through nginx (Locust, headless, CSV + HTML
# report) against scripts/stack.sh while one fault happens; each scenario is
# bounded in time and stops by itself. Prints one JSON line per scenario and
# exits non-zero when a scenario's promise is broken:
#   rolling  both API servers restarted one after the other: zero failed requests
#   kill     SIGKILL of API server 1: no failure from 2 s after the kill; it is
#            started again (as systemd's Restart=always does) and takes traffic
#   mariadb  MariaDB stopped for OUTAGE seconds then started: answers while it is
#            down are quick 503s, none fail from 5 s after its return, and the
#            simulator ledger reconciles with the database (nothing paid lost)
#   redis    Redis stopped for OUTAGE seconds then started: zero failed requests; an
#            admin's edit made while it is down reaches both servers, and views by new
#            visitors while it is down land in items.views when it returns
#            (redis_catchup.py)
#
#   bench/stack/run.sh [SCENARIO...]   (default: all four; `docs`: only write the table)
# Environment: USERS (100), DURATION seconds per scenario (60), FAULT_AT seconds
# into the run (15), OUTAGE seconds (10), OUT (directory for the reports,
# default build/stack-bench), WRITE_DOCS=1 to put the table of every scenario's
# latest result in OUT into docs/benchmarks.md (and the plot of scenario 1).
# The stack must be up (for load from this machine: PILLIVERY_STACK_APP_RATE_LIMITS=false
# scripts/stack.sh up, or the API servers' own limits refuse the checkouts); the run bumps the stock of items
# 1..50 and exempts 127.0.0.1 from nginx's rate limits (the load comes from it).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
source bench/lib.sh
users="${USERS:-100}" duration="${DURATION:-60}" fault_at="${FAULT_AT:-15}" outage="${OUTAGE:-10}"
out="${OUT:-$root/build/stack-bench}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
base="${PILLIVERY_STACK_PORT:-8000}"
store="http://127.0.0.1:$base"
sim="http://127.0.0.1:${PILLIVERY_STACK_SIMULATOR_PORT:-$((base + 20))}"
mariadb_port="${PILLIVERY_STACK_MARIADB_PORT:-$((base + 306))}"
stack=scripts/stack.sh

if [ "${WRITE_DOCS:-0}" = 1 ] && ! dpkg-query -W python3-matplotlib >/dev/null 2>&1; then
  # python3-pythran- : it would pull libboost1.74-dev, which conflicts with the 1.81 headers.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-matplotlib python3-pythran- >/dev/null
fi
curl -fs "$store/health/live" >/dev/null || { echo "the stack is not up: scripts/stack.sh up" >&2; exit 2; }
# Load from this machine: not rate limited (nginx reloads with the exemption).
if ! grep -q '127.0.0.1' "${PILLIVERY_STACK_DIR:-var/stack}/rate-exempt" 2>/dev/null; then
  PILLIVERY_STACK_RATE_EXEMPT=127.0.0.1 $stack up >/dev/null
fi
mariadb --no-defaults --protocol=tcp -h127.0.0.1 -P"$mariadb_port" -upillivery -ppillivery pillivery \
  -e "UPDATE items SET stock = 100000000 WHERE id <= 50"

# load NAME: starts Locust in the background for DURATION seconds.
load() {
  local name="$1"
  rm -f "$out/$name"_*.csv "$out/$name.paid"
  ( cd "$out" && STACK_SIMULATOR="$sim" STACK_PAID_LOG="$out/$name.paid" STACK_USERS="${PILLIVERY_STACK_USERS:-200}" \
      timeout $((duration + 60)) locust -f "$root/bench/stack/locustfile.py" --headless -u "$users" -r "$users" \
      -t "${duration}s" --stop-timeout 10 --host "$store" --csv "$out/$name" --csv-full-history \
      --html "$out/$name.html" --only-summary >"$out/$name.log" 2>&1 ) &
  load_pid=$!
  sleep "$fault_at"
}

finish() {  # finish NAME VERDICT EXTRA_JSON...: waits for Locust, prints the JSON line
  local name="$1"; shift
  wait "$load_pid" || true
  USERS_="$users" BIN_="$(basename "$(dirname "$(cat "${PILLIVERY_STACK_DIR:-var/stack}/bin")")")" \
    /usr/bin/python3 - "$name" "$@" <<'PY'
import json, os, sys
name, verdict, *extra = sys.argv[1:]
summary = {"scenario": name, "ok": verdict == "ok", "users": int(os.environ["USERS_"]), "binaries": os.environ["BIN_"]}
for e in extra:
    summary.update(json.loads(e))
print(json.dumps(summary))
PY
}

results=()
failed=0
scenario_rolling() {
  load rolling
  local t0; t0=$(date +%s)
  $stack rolling-restart
  local t1; t1=$(date +%s)
  wait "$load_pid" || true
  local plot=()  # the PNG only for the docs (matplotlib is not needed otherwise)
  [ "${WRITE_DOCS:-0}" = 1 ] && plot=(--plot "$root/docs/stack-rolling-restart.png" \
    --title "Rolling restart of both API servers under load ($users users)" --mark "$t0:restart begins" --mark "$t1:restart done")
  local a; a=$(/usr/bin/python3 bench/stack/analyse.py "$out/rolling" "${plot[@]}")
  local verdict=ok; [ "$(echo "$a" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["failures"])')" = 0 ] || verdict=failed
  finish rolling "$verdict" "$a" "{\"restart_s\": $((t1 - t0))}"
}

scenario_kill() {
  load kill
  local t0; t0=$(date +%s)
  $stack kill-api 1
  sleep 3
  $stack start-api 1  # what Restart=always does on a real host
  local before; before=$(curl -s "http://127.0.0.1:$((base + 11))/metrics" | awk '/^http_requests_total/ {s += $2} END {print s + 0}')
  sleep 8
  local after; after=$(curl -s "http://127.0.0.1:$((base + 11))/metrics" | awk '/^http_requests_total/ {s += $2} END {print s + 0}')
  wait "$load_pid" || true
  local a; a=$(/usr/bin/python3 bench/stack/analyse.py "$out/kill" --after $((t0 + 2)))
  local late; late=$(echo "$a" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["failures_after"])')
  local verdict=ok; { [ "$late" = 0 ] && [ "${after%.*}" -gt "${before%.*}" ]; } || verdict=failed
  finish kill "$verdict" "$a" "{\"rejoined_requests\": $(( ${after%.*} - ${before%.*} ))}"
}

scenario_mariadb() {
  load mariadb
  local t0; t0=$(date +%s)
  $stack stop mariadb
  sleep 1
  # A request that needs the database while it is down: a quick 503 problem.
  local probe; probe=$(curl -s -o /dev/null -w '%{http_code} %{time_total}s %{content_type}' -XPOST "$store/api/auth/login" \
    -H 'Content-Type: application/json' -d '{"email":"probe@pillivery.test","password":"Passw0rd!"}')
  sleep "$outage"
  $stack start mariadb
  local t1; t1=$(date +%s)
  wait "$load_pid" || true
  local a; a=$(/usr/bin/python3 bench/stack/analyse.py "$out/mariadb" --after $((t1 + 5)))
  local r; r=$(/usr/bin/python3 bench/stack/reconcile.py "$sim" "$mariadb_port" "$out/mariadb.paid" --wait 60 || true)
  local late; late=$(echo "$a" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["failures_after"])')
  local verdict=ok
  { [ "$late" = 0 ] && echo "$r" | grep -q '"ok": true' && [ "${probe%% *}" = 503 ]; } || verdict=failed
  # What the failed requests answered while it was down (status: count).
  local answers; answers=$(/usr/bin/python3 -c '
import csv, json, re, sys
counts = {}
for row in csv.DictReader(open(sys.argv[1])):
    m = re.search(r"\b([1-5][0-9][0-9])\b", row["Error"])
    key = m.group(1) if m else row["Error"][:40]
    counts[key] = counts.get(key, 0) + int(row["Occurrences"])
print(json.dumps(counts))' "$out/mariadb_failures.csv")
  finish mariadb "$verdict" "$a" "{\"probe_while_down\": \"$probe\", \"failed_answers\": $answers, \"reconcile\": $r}"
}

scenario_redis() {
  load redis
  # An item the load does not touch (it views and buys 1..50): its views are the new visitors'.
  local catchup=(bench/stack/redis_catchup.py "$store" "http://127.0.0.1:$((base + 11))" "http://127.0.0.1:$((base + 12))"
    "$mariadb_port" "${CATCHUP_ITEM:-500}" "$out/redis.catchup")
  $stack stop redis
  local during; during=$(/usr/bin/python3 "${catchup[0]}" outage "${catchup[@]:1}") || true
  sleep "$outage"
  $stack start redis
  local after; after=$(/usr/bin/python3 "${catchup[0]}" after "${catchup[@]:1}") || true
  wait "$load_pid" || true
  local a; a=$(/usr/bin/python3 bench/stack/analyse.py "$out/redis")
  local verdict=ok; [ "$(echo "$a" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["failures"])')" = 0 ] || verdict=failed
  # With Redis down an edit still reaches both servers (the change feed); views wait and land on its return.
  echo "$during" | grep -q '"edit_seen_by_both_s": [0-9]' || verdict=failed
  echo "$after" | grep -q '"edit_after_return_seen_by_both_s": [0-9]' || verdict=failed
  local added; added=$(echo "$after" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin).get("views_added", -1))' 2>/dev/null || echo -1)
  [ "$added" -ge 19 ] || verdict=failed
  local ready; ready=$(curl -s "$store/health/ready")
  finish redis "$verdict" "$a" "{\"ready_after\": $ready, \"while_down\": ${during:-null}, \"after_return\": ${after:-null}}"
}

# `run.sh docs` only writes the table of the results already in OUT.
scenarios="${*:-rolling kill mariadb redis}"
if [ "$scenarios" = docs ]; then scenarios=""; WRITE_DOCS=1; fi
for s in $scenarios; do
  for one in $s; do
    line=$("scenario_$one")
    echo "$line" | tee "$out/$one.json"
    results+=("$line")
    echo "$line" | grep -q '"ok": true' || failed=1
  done
done

if [ "${WRITE_DOCS:-0}" = 1 ]; then
  # The table holds the latest result of every scenario run into $out (one run
  # may cover some scenarios, a later one the others).
  table=$(cat "$out"/{rolling,kill,mariadb,redis}.json 2>/dev/null | /usr/bin/python3 -c '
import json, sys
print("| scenario | users | promise kept | requests/s | p50 ms | p99 ms | failed requests | order detail req/s (p50 / p99 ms) | cart read req/s | notes |")
print("|---|---:|---|---:|---:|---:|---:|---:|---:|---|")
for line in sys.stdin:
    r = json.loads(line)
    od, cr = r.get("order_detail", {}), r.get("cart_read", {})
    notes = []
    if r["scenario"] == "rolling": notes.append("both servers restarted in %s s" % r.get("restart_s"))
    if r["scenario"] == "kill": notes.append("%d failed from 2 s after the kill; restarted server served %d requests in 8 s" % (r["failures_after"], r["rejoined_requests"]))
    if r["scenario"] == "mariadb":
        rec = r["reconcile"]
        notes.append("%d failed from 5 s after its return; failed answers by status %s; a login while down: %s; ledger %d payments, %d missing in the store, %d paid orders seen by the load all still paid" % (
            r["failures_after"], json.dumps(r["failed_answers"]), r["probe_while_down"], rec["ledger_payments"], len(rec["missing_in_store"]), rec["paid_seen_by_load"]))
    if r["scenario"] == "redis":
        d, a = r.get("while_down") or {}, r.get("after_return") or {}
        notes.append("while down, a price edit by the admin reached both servers in %s s; %s views by new visitors while down, %s added to items.views within %s s of its return; an edit after its return reached both in %s s; readiness after: %s" % (
            d.get("edit_seen_by_both_s"), a.get("views_recorded_while_down"), a.get("views_added"), a.get("views_caught_up_s"),
            a.get("edit_after_return_seen_by_both_s"), json.dumps(r.get("ready_after"))))
    if r.get("note"): notes.insert(0, r["note"])
    print("| %s | %s | %s | %s | %s | %s | %d | %s (%s / %s) | %s | %s |" % (r["scenario"], r.get("users", "?"), "yes" if r["ok"] else "**no**",
          r["rps"], r["p50_ms"], r["p99_ms"], r["failures"], od.get("rps", "-"), od.get("p50_ms", "-"),
          od.get("p99_ms", "-"), cr.get("rps", "-"), "; ".join(notes)))
')
  write_bench_section stack "## The production topology under faults (bench/stack/run.sh)" \
    "$(date -u +%Y-%m-%d), commit $(git rev-parse --short HEAD); ${duration} s per scenario, fault at ${fault_at} s, outage ${outage} s; everything (two API servers, nginx, MariaDB, Redis, simulator, monitoring and Locust) on this $(nproc)-core machine${STACK_BENCH_CONDITIONS:+ ($STACK_BENCH_CONDITIONS)}; API servers built with the $(basename "$(dirname "$(cat "${PILLIVERY_STACK_DIR:-var/stack}/bin")")") preset.\n\n$table\n\nThe original (Spring, MySQL, its own hardware): order detail 1,027 TPS at 93 ms with 100 users; cart ~92 TPS. The columns count what Locust saw through nginx for the whole mixed workload (main page, search, item detail, cart read → add → read, order detail, checkout paid through the simulator); requests/s is for the whole run and the per-route columns are that route's share, so they are not the original's single-route figures. p99 includes the customers' logins at the start (argon2id, ~1.5 s each while 50 start at once). Failed requests are every non-2xx answer and every connection error Locust saw.\n\n![scenario 1](stack-rolling-restart.png)"
fi
exit "$failed"
