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
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"
if [ "$preset" = coverage ]; then find "build/$preset" -name '*.gcda' -delete; fi
ctest --preset "$preset" -j2 --output-on-failure
scripts/smoke.sh "build/$preset/bin"
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
