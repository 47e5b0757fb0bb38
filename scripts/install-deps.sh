#!/usr/bin/env bash
# Installs every Debian bookworm package the project builds, tests and runs with.
# Idempotent: does nothing when all are present.
set -euo pipefail
packages=(
  build-essential g++ cmake ninja-build ccache pkg-config git curl
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsoci-dev libmariadb-dev libsqlite3-dev sqlite3
  libhiredis-dev libcurl4-openssl-dev libsodium-dev libcpp-jwt-dev
  prometheus-cpp-dev libspdlog-dev libcli11-dev libtomlplusplus-dev zlib1g-dev libjemalloc-dev
  libgtest-dev libgmock-dev gcovr
  mariadb-server mariadb-client redis-server wrk prometheus bc python3
  # The production topology (deploy/, scripts/stack.sh, its checks and load runs)
  nginx prometheus-alertmanager prometheus-node-exporter prometheus-nginx-exporter
  prometheus-mysqld-exporter prometheus-redis-exporter python3-locust systemd
  # The web app's browser tests (web/tests): Debian's Chromium, driven by
  # playwright-core, and Korean fonts so screenshots show Hangul.
  chromium fonts-noto-cjk
  clang libclang-rt-14-dev
  # The static checks (scripts/format.sh, scripts/lint.sh): clang-format and clang-tidy 14.
  clang-format clang-tidy
)
# Node.js (>= 20.19 for Vite 8) builds web/; Debian's own only when none is installed.
command -v node >/dev/null 2>&1 || packages+=(nodejs npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# npm ships inside some nodejs builds (NodeSource) and is its own package in Debian's.
if ! command -v npm >/dev/null; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends npm >/dev/null
fi
