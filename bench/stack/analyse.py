#!/usr/bin/env python3
"""Reads one Locust run's CSV files (PREFIX_stats.csv, PREFIX_stats_history.csv) and
prints a JSON summary: requests/s, p50/p99 (ms), failures in all, and failures
counted after a given moment (unix seconds), plus the order-detail and cart rows.

    analyse.py PREFIX [--after EPOCH] [--plot PNG --mark EPOCH:LABEL ...]
"""
import csv
import json
import sys


def rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def num(text):
    try:
        return float(text)
    except (TypeError, ValueError):
        return 0.0


def main():
    prefix = sys.argv[1]
    opts = sys.argv[2:]
    after = float(opts[opts.index("--after") + 1]) if "--after" in opts else None
    stats = {r["Name"]: r for r in rows(prefix + "_stats.csv")}
    history = [r for r in rows(prefix + "_stats_history.csv") if r["Name"] == "Aggregated"]
    agg = stats["Aggregated"]
    out = {
        "requests": int(num(agg["Request Count"])),
        "failures": int(num(agg["Failure Count"])),
        "rps": round(num(agg["Requests/s"]), 1),
        "p50_ms": num(agg["50%"]),
        "p99_ms": num(agg["99%"]),
    }
    for name, key in (("order detail", "order_detail"), ("cart read", "cart_read"), ("cart add", "cart_add"),
                      ("checkout: approve", "approve")):
        if name in stats:
            r = stats[name]
            out[key] = {"rps": round(num(r["Requests/s"]), 1), "p50_ms": num(r["50%"]), "p99_ms": num(r["99%"]),
                        "failures": int(num(r["Failure Count"]))}
    if after is not None:
        # Cumulative failures at the last history row at or before `after`.
        before = [int(num(r["Total Failure Count"])) for r in history if num(r["Timestamp"]) <= after]
        out["failures_after"] = out["failures"] - (before[-1] if before else 0)
    if "--plot" in opts:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        t0 = num(history[0]["Timestamp"])
        t = [num(r["Timestamp"]) - t0 for r in history]
        fig, (a, b) = plt.subplots(2, 1, sharex=True, figsize=(9, 6))
        a.plot(t, [num(r["Requests/s"]) for r in history], label="requests/s")
        a.plot(t, [num(r["Failures/s"]) for r in history], label="failures/s", color="red")
        a.set_ylabel("per second")
        a.legend(loc="lower left")
        b.plot(t, [num(r["50%"]) for r in history], label="p50")
        b.plot(t, [num(r["99%"]) for r in history], label="p99")
        b.set_ylabel("latency (ms)")
        b.set_xlabel("seconds since start")
        b.legend(loc="upper left")
        for i, opt in enumerate(opts):
            if opt == "--mark":
                when, label = opts[i + 1].split(":", 1)
                for ax in (a, b):
                    ax.axvline(float(when) - t0, color="grey", linestyle="--")
                a.annotate(label, (float(when) - t0, a.get_ylim()[1] * 0.9), fontsize=8)
        fig.suptitle(opts[opts.index("--title") + 1] if "--title" in opts else prefix)
        fig.tight_layout()
        fig.savefig(opts[opts.index("--plot") + 1], dpi=90)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
