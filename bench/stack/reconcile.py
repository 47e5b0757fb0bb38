#!/usr/bin/env python3
"""Reconciles the KakaoPay simulator's ledger with the store's database (stdlib +
the mariadb client): every approval the gateway recorded must be an APPROVED
payment of a paid order (PAID or later), every recurring charge a PAID
subscription charge, and every order the load run saw PAID must still be paid.

    reconcile.py SIMULATOR_URL MARIADB_PORT [PAID_LOG] [--wait SECONDS]
Retries for up to --wait seconds (the outbox resolves interrupted approvals),
prints a JSON summary and exits 1 when something paid is missing.
"""
import json
import subprocess
import sys
import time
import urllib.request


def query(port, sql):
    out = subprocess.run(["mariadb", "--no-defaults", "--protocol=tcp", "-h127.0.0.1", f"-P{port}", "-upillivery",
                          "-ppillivery", "pillivery", "--batch", "--skip-column-names", "-e", sql],
                         check=True, capture_output=True, text=True).stdout
    return [line.split("\t") for line in out.splitlines() if line]


def check(sim, port, paid_log):
    ledger = json.load(urllib.request.urlopen(sim + "/__ledger", timeout=30))["payments"]
    approved = {tid: (order, status) for tid, order, status in query(
        port, "SELECT p.tid, p.order_id, o.status FROM payments p JOIN orders o ON o.id = p.order_id "
              "WHERE p.status = 'APPROVED'")}
    charged = {row[0] for row in query(port, "SELECT tid FROM subscription_charges WHERE result = 'PAID' AND tid IS NOT NULL")}
    paid_states = {"PAID", "SHIPPED", "DELIVERED"}
    missing = []
    for p in ledger:
        if p["kind"] == "SUBSCRIPTION":
            if p["tid"] not in charged:
                missing.append({"tid": p["tid"], "kind": p["kind"], "partner_order_id": p["partner_order_id"]})
        elif p["tid"] not in approved or approved[p["tid"]][1] not in paid_states:
            missing.append({"tid": p["tid"], "kind": p["kind"], "partner_order_id": p["partner_order_id"],
                            "store": approved.get(p["tid"])})
    lost_orders = []
    seen = 0
    if paid_log:
        try:
            lines = [l.split() for l in open(paid_log) if l.strip()]
        except FileNotFoundError:
            lines = []
        seen = len(lines)
        if lines:
            ids = ",".join(order for order, _ in lines)
            status = dict(query(port, f"SELECT id, status FROM orders WHERE id IN ({ids})"))
            lost_orders = [order for order, _ in lines if status.get(order) not in paid_states]
    return {"ledger_payments": len(ledger), "missing_in_store": missing, "paid_seen_by_load": seen,
            "paid_seen_but_not_paid": lost_orders}


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    wait = float(sys.argv[sys.argv.index("--wait") + 1]) if "--wait" in sys.argv else 0
    if "--wait" in sys.argv:
        args.remove(sys.argv[sys.argv.index("--wait") + 1])
    sim, port = args[0], args[1]
    paid_log = args[2] if len(args) > 2 else None
    deadline = time.monotonic() + wait
    while True:
        result = check(sim, port, paid_log)
        ok = not result["missing_in_store"] and not result["paid_seen_but_not_paid"]
        if ok or time.monotonic() >= deadline:
            break
        time.sleep(2)
    result["ok"] = ok
    print(json.dumps(result))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
