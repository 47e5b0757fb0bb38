#!/usr/bin/env bash
# Builds and runs every test: unit, storage and API suites on SQLite and a real
# MariaDB, the simulator over HTTP, an end-to-end run of the built binaries,
# and the line-coverage report of src/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scripts/install-deps.sh
preset="${PILLIVERY_TEST_PRESET:-coverage}"
# The services first: the suites list their MariaDB variants (gtest
# discovery, when ctest starts) only if PILLIVERY_TEST_MARIADB_URL is set.
source scripts/test-services.sh start
trap 'scripts/test-services.sh stop' EXIT
# --- API tooling (issue #15): the npm packages of tools/api (lint, types, contract validator,
# Chromium driver) and the /docs viewer, built before the server so that its build compiles
# the viewer in. About 30 s with a warm npm cache; bounded.
timeout 600 npm ci --prefix tools/api --no-audit --no-fund --loglevel=error
timeout 120 npm run --prefix tools/api --silent build
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"
if [ "$preset" = coverage ]; then find "build/$preset" -name '*.gcda' -delete; fi
# --- API contract recording (issue #15): every answer the API suites get from their servers
# is appended here (tests/support/test_support.hpp) and checked after ctest.
contract_log="$root/build/$preset/contract-log"
rm -rf "$contract_log" && mkdir -p "$contract_log"
export PILLIVERY_CONTRACT_LOG_DIR="$contract_log"
ctest --preset "$preset" -j2 --output-on-failure
# Payment credentials never reach a log (issue #13): the whole run's output,
# in-process servers' log lines included, holds no KakaoPay tid or SID.
if grep -EnH '(^|[^A-Za-z0-9])[ST][0-9]{19}([^A-Za-z0-9]|$)' "build/$preset/Testing/Temporary/LastTest.log" | head -5 | grep .; then
  echo "payment ids (tid/SID) found in the test run's logs" >&2
  exit 1
fi
unset PILLIVERY_CONTRACT_LOG_DIR
# --- The OpenAPI document and its contract (issue #15, docs/api.md), about 1 min in all:
# the contract checker's own tests; the committed snapshot and TypeScript types match what the
# server serves; the Redocly lint (recommended ruleset); the generated types and client compile;
# every recorded answer of the API suites (both engines) matches the document; a black-box
# purchase and subscription journey against the real binaries and pg-simulator; /docs renders
# in a real Chromium.
openapi="$root/build/$preset/openapi.json"
"build/$preset/bin/pillivery" openapi >"$openapi"
(
  cd tools/api
  timeout 120 node --test test/
  timeout 120 node snapshot.mjs "$openapi" --check
  timeout 300 npx --no-install redocly lint --config redocly.yaml generated/openapi.json --format=summary
  timeout 300 npx --no-install tsc -p tsconfig.json
  echo "typecheck: 1 passed, 0 failed"
  timeout 600 node contract.mjs "$openapi" "$contract_log"
  timeout 300 node journey.mjs "$root/build/$preset/bin"
  timeout 300 node docs-check.mjs "$root/build/$preset/bin" "$root/build/$preset/docs.png"
)
scripts/smoke.sh "build/$preset/bin"
# --- Web app (issue #16): build web/ with Vite, then drive Debian's Chromium
# through the customer and admin journeys, axe checks, the JS-size and LCP
# bars against the built server, pg-simulator and SQLite (web/tests/*.test.mjs).
# Screenshots and measurements are kept under build/web-tests/. About 2-3
# minutes; bounded at 15.
export PILLIVERY_BIN_DIR="$root/build/$preset/bin"
timeout 300 npm --prefix web ci --no-audit --no-fund --loglevel=error
timeout 120 npm --prefix web run build --silent
timeout 900 npm --prefix web run test:browser
if [ "$preset" = coverage ]; then
  timeout 900 gcovr --root . --filter 'src/' --exclude '.*_main\.cpp' "build/$preset" --print-summary --gcov-ignore-parse-errors --fail-under-line 85 \
    --html-details "build/$preset/coverage.html" -j2 | tail -3
  echo "coverage report: build/$preset/coverage.html"
fi

# --- The production topology (issue #14; about 2-3 minutes) ---
# deploy/ checked as installed on real hosts: promtool check config, promtool
# test rules, amtool check-config, systemd-analyze verify, nginx -t (~15 s).
timeout 120 scripts/check-deploy.sh
# scripts/stack.sh up with the binaries just built (nginx, two API servers,
# MariaDB, Redis, simulator, Prometheus, Alertmanager, exporters, all on
# 127.0.0.1), a purchase through nginx, one rolling restart of both API servers
# under light Locust load with zero failed requests, reconciliation with the
# simulator ledger, stack.sh down.
timeout 600 bench/stack/ci.sh "build/$preset/bin"
# --- Static checks (issue #19, docs/testing.md) ----------------------------
# clang-format: every C++ file of src/ tests/ fuzz/ bench/ as .clang-format says
# (scripts/format.sh --fix rewrites them). clang-tidy: .clang-tidy on the compile
# database of the preset built above, two files at a time; any finding fails.
# Every .cpp of src/ (a new module is held from its first file);
# PILLIVERY_LINT_MODULES="http storage" narrows a local run to those modules.
started=$SECONDS
scripts/format.sh
lint_files="^$root/src/.*\.cpp\$"
if [ -n "${PILLIVERY_LINT_MODULES:-}" ]; then
  lint_files="^$root/src/(${PILLIVERY_LINT_MODULES// /|})/.*\.cpp\$"
fi
timeout 2400 scripts/lint.sh "build/$preset" "$lint_files"
echo "static checks: $((SECONDS - started)) s"
# --- Sanitizers (issue #19, docs/testing.md) -------------------------------
# One clang build with ASan + UBSan (the `asan` preset) serves the suites and the
# fuzzers below: every module is compiled once, instrumented for both. The unit
# and API suites in PILLIVERY_ASAN_SUITES run on SQLite only (the `asan` test
# preset clears PILLIVERY_TEST_MARIADB_URL); the API suites' servers are the
# sanitized binaries too.
started=$SECONDS
asan_suites="${PILLIVERY_ASAN_SUITES:-domain infra http storage events importer payment simulator api}"
fuzz_targets="api_request_fuzz http_request_fuzz json_body_fuzz"
cmake --preset asan >/dev/null
cmake --build --preset asan --target $(printf '%s_tests ' $asan_suites) pillivery pg-simulator $fuzz_targets
ctest --preset asan -j2 -L "^(${asan_suites// /|})\$"
echo "asan: $((SECONDS - started)) s"
# TSan: the concurrency suites (group executor, outbox processors, circuit breaker
# and bulkhead, HTTP server, SQLite commit signal) as one binary, concurrency_tests.
started=$SECONDS
cmake --preset tsan >/dev/null
cmake --build --preset tsan --target concurrency_tests
ctest --preset tsan -j2
echo "tsan: $((SECONDS - started)) s"
# --- Fuzzing (issues #13, #19; docs/security.md) ---------------------------
# libFuzzer with ASan + UBSan (built above by the `asan` preset), PILLIVERY_FUZZ_SECONDS
# (40) of exploration each, about 2 min: whole HTTP requests
# through the real store (router, middleware, handlers, SQLite) over sockets;
# the request parser alone; sign-up bodies through the strict JSON reader and
# the sign-up rules. A crash, a sanitizer report, a 5xx answer or a hang fails
# the run; the input is kept in build/asan/fuzz/findings/, and for the whole-store
# fuzzer the inputs before it in build/asan/fuzz/history-api/ (replay them in order:
# the store is shared between inputs). A finding becomes a test, and its input
# a seed in fuzz/corpus/.
fuzz_seconds="${PILLIVERY_FUZZ_SECONDS:-40}"
if [ "$fuzz_seconds" -gt 0 ]; then
  rm -rf build/asan/fuzz/history-api
  mkdir -p build/asan/fuzz/findings build/asan/fuzz/history-api build/asan/fuzz/corpus-api build/asan/fuzz/corpus-http build/asan/fuzz/corpus-json
  # The whole-store fuzzer explores PILLIVERY_API_FUZZ_SECONDS (the same 40 s);
  # 0 only replays its corpus.
  api_fuzz_seconds="${PILLIVERY_API_FUZZ_SECONDS:-$fuzz_seconds}"
  api_fuzz_mode=(-runs=0)
  if [ "$api_fuzz_seconds" -gt 0 ]; then api_fuzz_mode=(-max_total_time="$api_fuzz_seconds"); fi
  PILLIVERY_FUZZ_HISTORY=build/asan/fuzz/history-api \
    build/asan/bin/api_request_fuzz -max_len=4096 -timeout=10 "${api_fuzz_mode[@]}" -print_final_stats=1 \
    -artifact_prefix=build/asan/fuzz/findings/ build/asan/fuzz/corpus-api fuzz/corpus/api 2>&1 | tail -12
  build/asan/bin/http_request_fuzz -max_len=16384 -timeout=10 -max_total_time="$fuzz_seconds" -print_final_stats=1 \
    -artifact_prefix=build/asan/fuzz/findings/ build/asan/fuzz/corpus-http fuzz/corpus/api 2>&1 | tail -12
  build/asan/bin/json_body_fuzz -max_len=2048 -timeout=10 -max_total_time="$fuzz_seconds" -print_final_stats=1 \
    -artifact_prefix=build/asan/fuzz/findings/ build/asan/fuzz/corpus-json fuzz/corpus/json 2>&1 | tail -12
fi
