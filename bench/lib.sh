# Shared by the bench scripts (sourced, from the repository root).

# Benchmarks drive thousands of orders, payments and logins from 127.0.0.1:
# the abuse limits (docs/security.md) would refuse them by design, so every
# server a bench starts runs without them.
export PILLIVERY_RATE_LIMITS=false PILLIVERY_ORDER_MAX_OPEN_UNPAID=1000000 \
  PILLIVERY_ORDER_MAX_OPEN_QUANTITY_PER_ITEM=1000000

# write_bench_section NAME HEADING BODY: puts BODY (printf %b escapes allowed)
# between <!-- bench/NAME:start --> and <!-- bench/NAME:end --> in
# docs/benchmarks.md, or appends HEADING and the markers when they are missing.
write_bench_section() {
  local name="$1" heading="$2" body="$3"
  python3 - docs/benchmarks.md "<!-- bench/$name:start -->" "<!-- bench/$name:end -->" "$heading" \
    "$(printf "%b" "$body")" <<'PY'
import sys
path, start, end, heading, body = sys.argv[1:6]
block = start + "\n" + body + "\n" + end
text = open(path).read()
if start in text:
    a = text.index(start)
    b = text.index(end) + len(end)
    text = text[:a] + block + text[b:]
else:
    text += "\n" + heading + "\n\n" + block + "\n"
open(path, "w").write(text)
PY
}
