"""Locust scenarios of the seed through nginx (python3-locust from Debian).

    locust -f bench/stack/locustfile.py --headless -u 100 -r 50 -t 60s \
        --host http://127.0.0.1:8000 --csv OUT --html OUT.html

Each simulated customer logs in as a seeded user (userN@seed.pillivery.test,
password Passw0rd!) and then, weighted like the original's load test: the main
page, a keyword search, an item detail, a cart read → add → read, one of its
orders' detail, and now and then a checkout paid through the KakaoPay simulator
(order, payment ready, the simulator's approval page, the approval redirect).
Settings (environment): STACK_SIMULATOR (simulator base URL, default
http://127.0.0.1:8020), STACK_USERS (seeded users to spread over, 200),
STACK_ITEMS (item ids 1..N to buy and view, 50), STACK_WAIT (max seconds between
tasks, 0), STACK_PAID_LOG (file: one paid order id and tid per line).
"""
import itertools
import json
import os
import random
import threading
import urllib.parse
import uuid

import requests
from locust import HttpUser, between, constant, task

SIMULATOR = os.environ.get("STACK_SIMULATOR", "http://127.0.0.1:8020")
USERS = int(os.environ.get("STACK_USERS", "200"))
ITEMS = int(os.environ.get("STACK_ITEMS", "50"))
WAIT = float(os.environ.get("STACK_WAIT", "0"))
PAID_LOG = os.environ.get("STACK_PAID_LOG")
KEYWORDS = ["비타민", "오메가", "루테인", "프로바이오틱스", "홍삼", "밀크씨슬", "칼슘", "마그네슘"]
RECEIVER = {"name": "Kim", "phone": "010-1234-5678", "city": "Seoul", "detailAddress": "1 Sejong-daero"}

_next_user = itertools.count(1)
_paid_lock = threading.Lock()


class Customer(HttpUser):
    wait_time = between(0, WAIT) if WAIT > 0 else constant(0)

    def on_start(self):
        n = (next(_next_user) - 1) % USERS + 1
        self.sim = requests.Session()
        with self.client.post("/api/auth/login", json={"email": f"user{n}@seed.pillivery.test",
                                                       "password": "Passw0rd!"},
                              name="login", catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"login {r.status_code}")
                self.auth = {}
                self.orders = []
                return
            self.auth = {"Authorization": "Bearer " + r.json()["data"]["accessToken"]}
        r = self.client.get("/api/orders?size=20", headers=self.auth, name="order list")
        self.orders = [o["orderId"] for o in r.json().get("data", [])] if r.status_code == 200 else []

    @task(10)
    def main_page(self):
        self.client.get("/api/items/main", name="main page")

    @task(10)
    def search(self):
        self.client.get("/api/items?" + urllib.parse.urlencode({"keyword": random.choice(KEYWORDS), "size": 20}),
                        name="search")

    @task(20)
    def item_detail(self):
        self.client.get(f"/api/items/{random.randint(1, ITEMS)}", name="item detail")

    @task(10)
    def cart(self):
        self.client.get("/api/carts/normal", headers=self.auth, name="cart read")
        self.client.post("/api/carts/normal/items", json={"itemId": random.randint(1, ITEMS), "quantity": 1},
                         headers=self.auth, name="cart add")
        self.client.get("/api/carts/normal", headers=self.auth, name="cart read")

    @task(20)
    def order_detail(self):
        if self.orders:
            self.client.get(f"/api/orders/{random.choice(self.orders)}", headers=self.auth, name="order detail")

    @task(2)
    def checkout(self):
        line = {"itemId": random.randint(1, ITEMS), "quantity": 1}
        r = self.client.post("/api/orders", json={"type": "ONE_TIME", "fromCart": False, "lines": [line],
                                                  "receiver": RECEIVER},
                             headers={**self.auth, "Idempotency-Key": str(uuid.uuid4())}, name="checkout: order")
        if r.status_code != 201:
            return
        order_id = r.json()["data"]["orderId"]
        r = self.client.post(f"/api/orders/{order_id}/payment", json={"provider": "KAKAOPAY"},
                             headers={**self.auth, "Idempotency-Key": str(uuid.uuid4())},
                             name="checkout: payment ready")
        if r.status_code != 201:
            return
        tid = r.json()["data"]["tid"]
        page = urllib.parse.urlsplit(r.json()["data"]["redirectUrl"]["pc"])
        # The customer's browser at KakaoPay (the simulator), not through the store.
        sim = self.sim.get(SIMULATOR + page.path + "?auto=approve", allow_redirects=False, timeout=30)
        if sim.status_code != 302:
            return
        back = urllib.parse.urlsplit(sim.headers["Location"])
        with self.client.get(back.path + "?" + back.query, headers={"Accept": "application/json"},
                             name="checkout: approve", catch_response=True) as r:
            if r.status_code == 200 and r.json()["data"]["status"] == "PAID":
                r.success()
                if PAID_LOG:
                    with _paid_lock, open(PAID_LOG, "a") as out:
                        out.write(f"{order_id} {tid}\n")
            else:
                r.failure(f"approve answered {r.status_code}")
