#!/usr/bin/env python3
"""What the Redis scenario of bench/stack/run.sh checks beside zero failures: with Redis
stopped, an admin's edit still reaches both API servers (their catalog change feed reads
the database), and views recorded by new visitors are kept and reach items.views when
Redis returns. Stdlib only.

    redis_catchup.py outage STORE API1 API2 MARIADB_PORT ITEM STATE_FILE   (Redis is down)
    redis_catchup.py after  STORE API1 API2 MARIADB_PORT ITEM STATE_FILE   (Redis is back)
Prints one JSON object; exits non-zero when a promise is broken.
"""
import http.client
import json
import subprocess
import sys
import time
import urllib.parse

VISITORS = 20


def request(base, method, path, body=None, headers=None):
    url = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    try:
        data = json.dumps(body) if body is not None else None
        conn.request(method, path, body=data, headers={"Content-Type": "application/json", **(headers or {})})
        response = conn.getresponse()
        raw = response.read()
        return response.status, (json.loads(raw) if raw[:1] in (b"{", b"[") else None)
    finally:
        conn.close()


def db_views(port, item):
    out = subprocess.run(["mariadb", "--no-defaults", "--protocol=tcp", "-h127.0.0.1", f"-P{port}", "-upillivery",
                          "-ppillivery", "pillivery", "-N", "-e", f"SELECT views FROM items WHERE id = {int(item)}"],
                         check=True, capture_output=True, text=True)
    return int(out.stdout.strip())


def admin_token(store):
    status, body = request(store, "POST", "/api/auth/login",
                           {"email": "admin@pillivery.test", "password": "Admin-Passw0rd!"})
    if status != 200:
        sys.exit(f"redis_catchup: admin login answered {status}")
    return {"Authorization": "Bearer " + body["data"]["accessToken"]}


def reprice_and_wait(store, servers, item, auth, limit_s):
    """Edits the item's price through nginx; seconds until every server shows it (None: never)."""
    status, body = request(servers[0], "GET", f"/api/items/{item}")
    if status != 200:
        sys.exit(f"redis_catchup: item {item} answered {status}")
    price = body["data"]["originPrice"] + 10
    status, _ = request(store, "PATCH", f"/api/admin/items/{item}", {"originPrice": price}, auth)
    if status != 200:
        sys.exit(f"redis_catchup: the edit answered {status}")
    t0 = time.monotonic()
    while time.monotonic() - t0 < limit_s:
        seen = [request(s, "GET", f"/api/items/{item}")[1]["data"]["originPrice"] for s in servers]
        if all(p == price for p in seen):
            return round(time.monotonic() - t0, 2)
        time.sleep(0.1)
    return None


def main():
    phase, store, api1, api2, mariadb_port, item, state_file = sys.argv[1:8]
    servers = [api1, api2]
    auth = admin_token(store)
    if phase == "outage":
        before = db_views(mariadb_port, item)
        # New visitors, as nginx would name them (the servers trust 127.0.0.1's X-Forwarded-For).
        for n in range(VISITORS):
            request(servers[n % 2], "GET", f"/api/items/{item}", headers={"X-Forwarded-For": f"10.77.{n // 250}.{n % 250 + 1}"})
        edit_s = reprice_and_wait(store, servers, item, auth, 5)
        json.dump({"views_before": before}, open(state_file, "w"))
        print(json.dumps({"edit_seen_by_both_s": edit_s}))
        sys.exit(0 if edit_s is not None else 1)
    before = json.load(open(state_file))["views_before"]
    t0, after = time.monotonic(), before
    while time.monotonic() - t0 < 30:
        after = db_views(mariadb_port, item)
        if after - before >= VISITORS - 1:
            break
        time.sleep(0.5)
    views_s = round(time.monotonic() - t0, 1)
    edit_s = reprice_and_wait(store, servers, item, auth, 5)
    # The visitors while down, plus the checker's own reads from 127.0.0.1; HyperLogLogs are exact this small.
    ok = VISITORS - 1 <= after - before <= VISITORS + 2 and edit_s is not None
    print(json.dumps({"views_recorded_while_down": VISITORS, "views_added": after - before,
                      "views_caught_up_s": views_s, "edit_after_return_seen_by_both_s": edit_s}))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
