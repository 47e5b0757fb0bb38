#!/usr/bin/env bash
# bench/catalog: seeds 40,000 items on SQLite, starts the release server and
# drives it with wrk at 64 connections. Prints a table (req/s, p50, p99, peak
# RSS) and writes it into docs/benchmarks.md. Not a test: numbers are noisy.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
source bench/lib.sh
items="${ITEMS:-40000}" duration="${DURATION:-10s}" connections="${CONNECTIONS:-64}"
scripts/install-deps.sh
cmake --preset release >/dev/null && cmake --build --preset release >/dev/null
bin="$root/build/release/bin"
work="$(mktemp -d)"
port="${PORT:-$((20000 + RANDOM % 20000))}"
export PILLIVERY_DB_URL="sqlite://$work/bench.db" PILLIVERY_HTTP_PORT="$port" PILLIVERY_LOG_LEVEL=warn
# CATALOG_INDEX=false measures the SQL path alone (what every search took before issue 17).
export PILLIVERY_CATALOG_INDEX="${CATALOG_INDEX:-true}"
seed_start=$(date +%s.%N)
"$bin/pillivery" seed --items "$items" --seed 1 >/dev/null
seed_secs=$(echo "$(date +%s.%N) - $seed_start" | bc)
"$bin/pillivery" serve >"$work/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/health/live" >/dev/null && break; sleep 0.1; done
base="http://127.0.0.1:$port"

keywords="루테인 밀크씨슬 프로바이오틱스 오메가 비타민 홍삼 콜라겐 칼슘 코엔자임 프로폴리스 마그네슘 아연"
kw_paths=""; for k in $keywords; do kw_paths+="/api/items?keyword=$(python3 -c "import urllib.parse,sys;print(urllib.parse.quote(sys.argv[1]))" "$k")|"; done
cat_paths=""; for c in EYE BONE BRAIN INTESTINE LIVER SKIN ANTIOXIDANT FATIGUE IMMUNE ETC; do for p in 2 3 4 5; do cat_paths+="/api/items?category=$c&page=$p|"; done; done
price_paths=""; for lo in 5000 10000 20000 30000 40000 50000; do price_paths+="/api/items?minPrice=$lo&maxPrice=$((lo + 5000))&sort=PRICE_ASC|"; done
detail_paths=""; for i in $(seq 1 500); do detail_paths+="/api/items/$i|"; done
# The shopper's mix (issue 17): 300 seeded random filter combinations — keyword,
# category, brand, price range and on-sale each in about a third of them, every
# sort, pages 1-10, a few with facets=true.
mix_paths=$(python3 - <<'PY'
import random, urllib.parse
r = random.Random(17)
keywords = ["루테인", "밀크씨슬", "프로바이오틱스", "오메가", "비타민", "홍삼", "콜라겐", "칼슘", "코엔자임",
            "프로폴리스", "마그네슘", "아연", "플러스", "골드", "정", "캡슐", "d", "Q10"]
brands = ["종근당건강", "뉴트리원", "솔가", "고려은단", "한국인삼공사", "닥터린", "일양약품", "GNM자연의품격",
          "대웅제약", "CJ웰케어", "hy", "나우푸드"]
categories = ["EYE", "BONE", "BRAIN", "INTESTINE", "LIVER", "SKIN", "ANTIOXIDANT", "FATIGUE", "IMMUNE", "ETC"]
sorts = ["SALES", "NEWEST", "PRICE_ASC", "PRICE_DESC", "DISCOUNT_RATE_DESC", "DISCOUNT_RATE_ASC", "REVIEW_COUNT", "STAR"]
paths = []
for i in range(300):
    q = {}
    if r.random() < 0.35: q["keyword"] = r.choice(keywords)
    if r.random() < 0.35: q["category"] = r.choice(categories)
    if r.random() < 0.25: q["brand"] = r.choice(brands)
    if r.random() < 0.35:
        lo = r.choice([0, 5000, 10000, 20000, 30000, 50000])
        q["minPrice"] = lo
        q["maxPrice"] = lo + r.choice([5000, 10000, 30000, 100000])
    if r.random() < 0.3: q["onSale"] = r.choice(["true", "false"])
    q["sort"] = sorts[i % len(sorts)]
    q["page"] = 1 + r.randrange(10)
    if r.random() < 0.1: q["facets"] = "true"
    paths.append("/api/items?" + urllib.parse.urlencode(q))
print("|".join(paths))
PY
)

declare -a names paths
names+=("health/live (HTTP ceiling)"); paths+=("/health/live")
names+=("item detail (cached)"); paths+=("$detail_paths")
names+=("main page (cached)"); paths+=("/api/items/main")
names+=("search by keyword (uncached)"); paths+=("$kw_paths")
names+=("search by category, pages 2-5 (uncached)"); paths+=("$cat_paths")
names+=("search by price range (uncached)"); paths+=("$price_paths")
names+=("shopper's mix: 300 filter combinations, every sort, pages 1-10"); paths+=("$mix_paths")

# Warm the caches of the cached endpoints.
for i in $(seq 1 500); do curl -fs "$base/api/items/$i" >/dev/null; done

table="| endpoint | requests/s | p50 | p99 | server CPU µs/request |\n|---|---:|---:|---:|---:|\n"
ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
for idx in "${!names[@]}"; do
  # Steady state: a 2 s run of the same requests first fills the page cache and
  # the per-filter count cache (the pages themselves are never cached).
  PATHS="${paths[$idx]}" wrk -t2 -c"$connections" -d2s -s bench/catalog/rotate.lua "$base" >/dev/null 2>&1
  cpu_before=$(cpu_ticks)
  out=$(PATHS="${paths[$idx]}" wrk -t2 -c"$connections" -d"$duration" --latency -s bench/catalog/rotate.lua "$base" 2>&1)
  cpu_after=$(cpu_ticks)
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  requests=$(echo "$out" | awk '/requests in/ {print $1}')
  cpu_us=$(echo "($cpu_after - $cpu_before) * 1000000 / $ticks / $requests" | bc)
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  errors=$(echo "$out" | awk '/Non-2xx|Socket errors/ {print}' | tr '\n' ' ')
  table+="| ${names[$idx]} | $rps | $p50 | $p99 | $cpu_us |\n"
  [ -n "$errors" ] && echo "warning (${names[$idx]}): $errors" >&2
done
rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
metrics=$(curl -fs "$base/metrics" || true)
index_items=$(echo "$metrics" | awk '/^pillivery_catalog_index_items/ {printf "%d", $2}')
index_mb=$(echo "$metrics" | awk '/^pillivery_catalog_index_bytes/ {printf "%.1f", $2 / 1048576}')
index_build=$(echo "$metrics" | awk '/^pillivery_catalog_index_build_seconds/ {printf "%.0f", $2 * 1000}')
index_line="${index_items:-0} items, ${index_mb:-0} MB, built in ${index_build:-?} ms at start"
load=$(cut -d' ' -f1-3 /proc/loadavg)
summary="Catalog index: ${CATALOG_INDEX:-true} (${index_line:-no build logged}). Load average at the end: $load. Seeded $items items in ${seed_secs%.*} s; wrk -t2 -c$connections -d$duration beside the server on $(nproc) cores, each run after a 2 s warm-up with the same requests; server peak RSS $((rss_kb / 1024)) MB."
printf "%b" "$table"
echo "$summary"

write_bench_section catalog "## Catalog (bench/catalog/run.sh)" \
  "$(date -u +%Y-%m-%d) on $(uname -m), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown).\n\n$table\n$summary"
