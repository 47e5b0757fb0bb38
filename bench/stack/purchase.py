#!/usr/bin/env python3
"""One purchase through the store's front door (stdlib only), as a customer does it:
log in, add to the cart, order from the cart, KakaoPay ready, the simulator's approval
page (auto=approve), then the approval redirect through the store; checks the order is
PAID and its tid is in the simulator's ledger.

    purchase.py STORE_URL SIMULATOR_URL [EMAIL]
Prints the order id; exits non-zero with the failing step otherwise.
"""
import http.client
import json
import sys
import urllib.parse
import uuid


def request(base, method, path, body=None, headers=None):
    url = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    try:
        data = json.dumps(body) if body is not None else None
        hdrs = {"Content-Type": "application/json", "Accept": "application/json", **(headers or {})}
        conn.request(method, path, body=data, headers=hdrs)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def expect(step, result, status):
    code, headers, body = result
    if code != status:
        sys.exit(f"purchase: {step}: HTTP {code} (wanted {status}): {body[:300]!r}")
    return headers, (json.loads(body) if body and body[:1] in (b"{", b"[") else None)


def main():
    store, sim = sys.argv[1], sys.argv[2]
    email = sys.argv[3] if len(sys.argv) > 3 else "user1@seed.pillivery.test"
    _, login = expect("login", request(store, "POST", "/api/auth/login",
                                       {"email": email, "password": "Passw0rd!"}), 200)
    auth = {"Authorization": "Bearer " + login["data"]["accessToken"]}
    _, page = expect("items", request(store, "GET", "/api/items?size=20&sort=PRICE_ASC"), 200)
    item = next(i for i in page["data"] if i.get("inStock", True))["itemId"]
    expect("cart add", request(store, "POST", "/api/carts/normal/items", {"itemId": item, "quantity": 1}, auth), 201)
    receiver = {"name": "Kim", "phone": "010-1234-5678", "city": "Seoul", "detailAddress": "1 Sejong-daero"}
    _, order = expect("order", request(store, "POST", "/api/orders",
                                       {"type": "ONE_TIME", "fromCart": True, "receiver": receiver},
                                       {**auth, "Idempotency-Key": str(uuid.uuid4())}), 201)
    order_id = order["data"]["orderId"]
    _, ready = expect("payment ready", request(store, "POST", f"/api/orders/{order_id}/payment",
                                               {"provider": "KAKAOPAY"},
                                               {**auth, "Idempotency-Key": str(uuid.uuid4())}), 201)
    tid = ready["data"]["tid"]
    approval_page = urllib.parse.urlsplit(ready["data"]["redirectUrl"]["pc"])
    headers, _ = expect("approval page", request(sim, "GET", approval_page.path + "?auto=approve"), 302)
    back = urllib.parse.urlsplit(headers["Location"])
    _, approved = expect("approve", request(store, "GET", back.path + "?" + back.query), 200)
    if approved["data"]["status"] != "PAID":
        sys.exit(f"purchase: order {order_id} is {approved['data']['status']}, not PAID")
    _, ledger = expect("ledger", request(sim, "GET", "/__ledger"), 200)
    if tid not in json.dumps(ledger):
        sys.exit(f"purchase: tid {tid} of order {order_id} is not in the simulator ledger")
    print(order_id)


if __name__ == "__main__":
    main()
