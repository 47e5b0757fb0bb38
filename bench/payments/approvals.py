#!/usr/bin/env python3
"""bench/payments helper (stdlib only).

prepare BASE SIM TOKEN IDS_FILE OUT_FILE: payment ready for every order id (32 threads), then
  the simulator's approval page with auto=approve; writes one approval path per line.
fire BASE PATHS_FILE: every approval redirect at once (one thread each, released together);
  prints JSON {approvals, succeeded, failed, wall_s, p50_ms, p99_ms, statuses}.
"""
import http.client
import json
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor


def request(base, method, path, body=None, headers=None, timeout=120):
    url = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def prepare(base, sim, token, ids_file, out_file):
    ids = [line.strip() for line in open(ids_file) if line.strip()]
    auth = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}

    def one(order_id):
        status, _, body = request(base, "POST", f"/api/orders/{order_id}/payment", '{"provider":"KAKAOPAY"}', auth)
        if status != 201:
            raise RuntimeError(f"ready of order {order_id}: HTTP {status} {body[:200]!r}")
        page = urllib.parse.urlsplit(json.loads(body)["data"]["redirectUrl"]["pc"])
        status, headers, body = request(sim, "GET", page.path + "?auto=approve")
        if status != 302:
            raise RuntimeError(f"approval page of order {order_id}: HTTP {status} {body[:200]!r}")
        location = urllib.parse.urlsplit(headers["Location"])
        return location.path + "?" + location.query

    with ThreadPoolExecutor(32) as pool:
        paths = list(pool.map(one, ids))
    with open(out_file, "w") as out:
        out.write("\n".join(paths) + "\n")


def fire(base, paths_file):
    paths = [line.strip() for line in open(paths_file) if line.strip()]
    results = [None] * len(paths)
    start = threading.Barrier(len(paths) + 1)

    def one(i):
        start.wait()
        began = time.monotonic()
        try:
            status, _, body = request(base, "GET", paths[i], headers={"Accept": "application/json"}, timeout=300)
            paid = status == 200 and json.loads(body)["data"]["status"] == "PAID"
        except Exception as error:  # a reset or timeout is a failed approval too
            status, paid = type(error).__name__, False
        results[i] = (paid, status, time.monotonic() - began)

    threading.stack_size(256 * 1024)
    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(paths))]
    for t in threads:
        t.start()
    began = time.monotonic()
    start.wait()
    for t in threads:
        t.join()
    wall = time.monotonic() - began
    latencies = sorted(r[2] for r in results)
    statuses = {}
    for r in results:
        statuses[str(r[1])] = statuses.get(str(r[1]), 0) + 1
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000
    print(json.dumps({"approvals": len(results), "succeeded": sum(1 for r in results if r[0]),
                      "failed": sum(1 for r in results if not r[0]), "wall_s": round(wall, 2),
                      "p50_ms": round(pick(0.50)), "p99_ms": round(pick(0.99)), "statuses": statuses}))


if __name__ == "__main__":
    if sys.argv[1] == "prepare":
        prepare(*sys.argv[2:7])
    elif sys.argv[1] == "fire":
        fire(*sys.argv[2:4])
    else:
        sys.exit(__doc__)
