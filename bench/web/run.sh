#!/usr/bin/env bash
# The web app's speed bars, measured in Debian's Chromium against the real
# server (web/tests/quality.test.mjs): initial JavaScript gzipped, and the item
# page's largest contentful paint over LOADS (11) cold loads, against its bar of
# a median under 1 s (the browser suite records the paint but holds no timed bar).
# Prints a table and rewrites the "Web app" section of docs/benchmarks.md.
# Bounded: about two minutes.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
export PILLIVERY_BIN_DIR="${PILLIVERY_BIN_DIR:-$root/build/debug/bin}"
timeout 300 npm --prefix web ci --no-audit --no-fund --loglevel=error
timeout 120 npm --prefix web run build --silent
loads="${LOADS:-11}"
(cd web && PILLIVERY_LCP_LOADS="$loads" timeout 300 node --test --test-name-pattern='initial JavaScript|largest contentful paint' tests/quality.test.mjs >/dev/null)
js=$(cat build/web-tests/initial-js.txt)
read -r -a lcp < build/web-tests/item-lcp.txt
element=$(cat build/web-tests/item-lcp-element.txt)
median=$(printf '%s\n' "${lcp[@]}" | sort -n | sed -n "$(((${#lcp[@]} + 1) / 2))p")
met=$(awk -v m="$median" 'BEGIN { print (m < 1000 ? "met" : "NOT met") }')
table=$(cat <<TABLE
| measure | value | bar |
|---|---|---|
| initial JS (index.html's scripts, gzip -6) | $(echo "scale=1; $js / 1024" | bc) KB | ≤ 150 KB |
| item page LCP, ${#lcp[@]} cold loads (ms) | $(printf '%.0f ' "${lcp[@]}") | |
| item page LCP, median | $(printf '%.0f' "$median") ms | < 1000 ms ($met) |
TABLE
)
echo "$table"
section="## Web app (bench/web/run.sh)

Chromium $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}') headless at 1280×900, server binaries from
\`$(basename "$(dirname "$PILLIVERY_BIN_DIR")")\`, SQLite with 60 seeded items, a new browser context per load (no
cache), LCP read with \`PerformanceObserver({type: 'largest-contentful-paint', buffered: true})\`. The
largest paint was \`$element\` (the item's text; its packshot SVG is fetched with \`fetchpriority=high\`); the shell is
one script of ~80 KB gzipped (React included), the subscription portal, the admin console and
uPlot are lazy chunks. $(date -u +%Y-%m-%d).

$table
"
python3 - "$section" <<'PY'
import re, sys
path = "docs/benchmarks.md"
text = open(path, encoding="utf-8").read()
section = sys.argv[1]
pattern = re.compile(r"## Web app \(bench/web/run.sh\)\n.*?(?=\n## |\Z)", re.S)
text = pattern.sub(section.rstrip("\n") + "\n", text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section
open(path, "w", encoding="utf-8").write(text)
PY
