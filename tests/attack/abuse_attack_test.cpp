// Attack suite: authorization (object, property and function level), floods,
// stock hoarding, revocation and trusted proxies against the real binary
// (issue #13 items 4-7, 9 and issue #14's trusted proxies and revocation broadcast).
#include "attack/attack_fixture.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdlib>

namespace pillivery::testing {
namespace {

std::string Id(std::int64_t id) { return std::to_string(id); }

// Two customers, one with a paid subscription order, a review and a cart;
// the other tries every route on the first one's ids.
class AuthorizationAttack : public AttackTest {
 protected:
  void Configure(std::map<std::string, std::string>& env) override { env["PILLIVERY_RATE_LIMITS"] = "false"; }
};

TEST_P(AuthorizationAttack, ObjectLevel_EveryResourceOfAnotherCustomerIsNotFoundAndUnchanged) {
  auto alice = SignUpAndLogin("alice");
  auto mallory = SignUpAndLogin("mallory");
  auto sub_order = PlaceOrder(alice, R"([{"itemId":1,"quantity":1,"period":30}])", "SUBSCRIPTION");
  ASSERT_EQ(Pay(alice, sub_order).status, 200);
  auto subs = Call("GET", "/api/subscriptions", "", {alice.Auth()});
  ASSERT_EQ(subs.status, 200) << subs.body;
  auto sub_id = Json(subs).at("data").at(0).at("subscriptionId").as_int64();
  auto open_order = PlaceOrder(alice, R"([{"itemId":4,"quantity":1}])");
  auto review = Call("POST", "/api/items/1/reviews", R"({"star":5,"content":"좋아요"})", {alice.Auth()});
  ASSERT_EQ(review.status, 201) << review.body;
  auto review_id = Json(review).at("data").at("reviewId").as_int64();
  ASSERT_EQ(Call("POST", "/api/carts/normal/items", R"({"itemId":3,"quantity":2})", {alice.Auth()}).status, 201);
  NeverLogged(Scalar("SELECT sid FROM subscriptions WHERE id = " + Id(sub_id)));
  NeverLogged(Scalar("SELECT tid FROM payments WHERE order_id = " + Id(sub_order)));

  auto before = Snapshot();
  auto m = mallory.Auth();
  struct Probe {
    const char* method;
    std::string path;
    std::string body;
  };
  std::vector<Probe> probes = {
      {"GET", "/api/orders/" + Id(sub_order), ""},
      {"GET", "/api/orders/" + Id(open_order), ""},
      {"POST", "/api/orders/" + Id(open_order) + "/cancel", ""},
      {"POST", "/api/orders/" + Id(sub_order) + "/cancel", ""},
      {"POST", "/api/orders/" + Id(open_order) + "/payment", R"({"provider":"KAKAOPAY"})"},
      {"GET", "/api/subscriptions/" + Id(sub_id), ""},
      {"PATCH", "/api/subscriptions/" + Id(sub_id), R"({"period":60})"},
      {"POST", "/api/subscriptions/" + Id(sub_id) + "/skip", ""},
      {"POST", "/api/subscriptions/" + Id(sub_id) + "/pause", ""},
      {"POST", "/api/subscriptions/" + Id(sub_id) + "/resume", ""},
      {"POST", "/api/subscriptions/" + Id(sub_id) + "/cancel", ""},
      {"GET", "/api/subscriptions/" + Id(sub_id) + "/charges", ""},
      {"PATCH", "/api/reviews/" + Id(review_id), R"({"star":1,"content":"별로"})"},
      {"DELETE", "/api/reviews/" + Id(review_id), ""},
  };
  for (const auto& probe : probes) {
    auto r = Call(probe.method, probe.path, probe.body, {m});
    EXPECT_TRUE(r.status == 404 || r.status == 403) << probe.method << " " << probe.path << " → " << r.status;
    ExpectProblem(r, r.status);
  }
  // Carts are the caller's own: mallory's edits of item 3 touch only her (empty) cart.
  EXPECT_EQ(Call("DELETE", "/api/carts/normal/items/3", "", {m}).status / 100, 4);
  EXPECT_EQ(Json(Call("GET", "/api/carts/normal", "", {alice.Auth()})).at("data").at("lines").as_array().size(), 1u);
  // A forged approval redirect for alice's open order does not pay it.
  auto forged = HttpCall("GET", base_ + "/api/payments/kakaopay/approve?orderId=" + Id(open_order) + "&pg_token=forged",
                         "", {"Accept: application/json"});
  EXPECT_EQ(forged.status / 100, 4) << forged.body;
  // Lists show only the caller's own.
  EXPECT_EQ(Json(Call("GET", "/api/orders", "", {m})).at("data").as_array().size(), 0u);
  EXPECT_EQ(Json(Call("GET", "/api/subscriptions", "", {m})).at("data").as_array().size(), 0u);
  EXPECT_EQ(Snapshot(), before);
  EXPECT_EQ(Json(Call("GET", "/api/orders/" + Id(open_order), "", {alice.Auth()})).at("data").at("status"),
            "PENDING_PAYMENT");
}

TEST_P(AuthorizationAttack, FunctionLevel_AdminAndInternalRoutesRefuseCustomersAndStrangers) {
  auto mallory = SignUpAndLogin("mallory");
  auto before = Snapshot();
  std::vector<std::pair<const char*, std::string>> admin_routes = {
      {"POST", "/api/admin/items"},     {"PATCH", "/api/admin/items/1"},        {"DELETE", "/api/admin/items/1"},
      {"GET", "/api/admin/orders"},     {"POST", "/api/admin/orders/1/refund"}, {"GET", "/api/admin/subscriptions"},
      {"GET", "/api/admin/batch/runs"}, {"GET", "/api/admin/events/dead"},      {"POST", "/api/admin/events/1/replay"},
      {"GET", "/api/admin/users/1"}};
  for (const auto& [method, path] : admin_routes) {
    ExpectProblem(Call(method, path, R"({"realPrice":1,"stock":0})", {mallory.Auth()}), 403);
    ExpectProblem(Call(method, path, R"({"realPrice":1})"), 401);
    // A token signed with another key, or with alg none, is no one.
    ExpectProblem(Call(method, path, "{}",
                       {"Authorization: Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIiwicm9sZXMiOlsiQURNSU4iXX0."}),
                  401);
  }
  ExpectProblem(Call("POST", "/internal/subscriptions/1/charge", R"({"dueDate":"2030-01-01"})", {mallory.Auth()}), 403);
  ExpectProblem(
      Call("POST", "/internal/subscriptions/1/charge", R"({"dueDate":"2030-01-01"})", {"X-Internal-Token: guessed"}),
      403);
  EXPECT_EQ(Snapshot(), before);
}

TEST_P(AuthorizationAttack, PropertyLevel_RolesStatusPricesAndOwnersCannotBeAssigned) {
  auto before_users = Scalar("SELECT COUNT(*) FROM users");
  // Sign-up with a role, a status and an id: refused or ignored, never granted.
  auto r = Call("POST", "/api/users",
                R"({"email":"mass@attack.test","password":"secret1!x","displayName":"mass","realName":"r",)"
                R"("phone":"01012340000","city":"c","detailAddress":"d","roles":["ADMIN"],"status":"ACTIVE","id":1})");
  if (r.status == 201) {
    auto tokens = Login("mass@attack.test", "secret1!x");
    auto me =
        Call("GET", "/api/users/me", "", {Bearer(std::string(Json(tokens).at("data").at("accessToken").as_string()))});
    EXPECT_EQ(boost::json::serialize(Json(me).at("data").at("roles")), R"(["USER"])");
  } else {
    ExpectProblem(r, 400);
    EXPECT_EQ(Scalar("SELECT COUNT(*) FROM users"), before_users);
  }
  auto alice = SignUpAndLogin("alice");
  auto bob = SignUpAndLogin("bob");
  auto before = Snapshot();
  auto roles_of = [&](const Account& a) {
    return Scalar("SELECT roles FROM users WHERE id = " + Id(a.id)) + "/" +
           Scalar("SELECT status FROM users WHERE id = " + Id(a.id));
  };
  auto alice_roles = roles_of(alice);
  for (const char* patch : {R"({"roles":["ADMIN"]})", R"({"status":"ACTIVE","id":1,"email":"x@y.z"})"}) {
    auto r = Call("PATCH", "/api/users/me", patch, {alice.Auth()});  // refused or ignored, never applied
    if (r.status != 200) ExpectProblem(r, 400);
    EXPECT_EQ(boost::json::serialize(Json(Call("GET", "/api/users/me", "", {alice.Auth()})).at("data").at("roles")),
              R"(["USER"])");
  }
  EXPECT_EQ(roles_of(alice), alice_roles);
  EXPECT_EQ(Scalar("SELECT email FROM users WHERE id = " + Id(alice.id)), alice.email);
  EXPECT_EQ(Snapshot(), before);
  // Prices, totals, status and owner in an order body change nothing the server decides.
  auto placed = Call("POST", "/api/orders",
                     R"({"type":"ONE_TIME","lines":[{"itemId":1,"quantity":1,"unitRealPrice":1,"price":1}],)"
                     R"("userId":)" +
                         Id(bob.id) +
                         R"(,"status":"PAID","totalPrice":1,)"
                         R"("receiver":{"name":"김","phone":"010-5555-6666","city":"서울","detailAddress":"1"}})",
                     {alice.Auth()});
  if (placed.status == 201) {
    auto order = Json(placed).at("data");
    EXPECT_EQ(order.at("status"), "PENDING_PAYMENT");
    EXPECT_EQ(Scalar("SELECT user_id FROM orders WHERE id = " + Id(order.at("orderId").as_int64())), Id(alice.id));
    EXPECT_EQ(Scalar("SELECT total_price FROM orders WHERE id = " + Id(order.at("orderId").as_int64())),
              Scalar("SELECT real_price FROM items WHERE id = 1"));
  } else {
    ExpectProblem(placed, 400);
    EXPECT_EQ(Snapshot(), before);
  }
}

// Item 6: floods of sign-ups, logins, orders are refused with 429 + Retry-After.
class FloodAttack : public AttackTest {
 protected:
  void Configure(std::map<std::string, std::string>& env) override {
    env["PILLIVERY_RATE_LIMIT_SIGNUP_CLIENT"] = "3/1h";
    env["PILLIVERY_RATE_LIMIT_LOGIN_ACCOUNT"] = "4/1m";
    env["PILLIVERY_RATE_LIMIT_ORDER_ACCOUNT"] = "3/1m";
    env["PILLIVERY_RATE_LIMIT_REVIEW_ACCOUNT"] = "2/1m";
    env["PILLIVERY_ORDER_MAX_OPEN_UNPAID"] = "50";
  }
};

TEST_P(FloodAttack, RateLimits_SignUpLoginOrderFloodsAnswer429WithRetryAfterAndCreateNothing) {
  auto alice = SignUpAndLogin("alice");  // sign-up 1, login 1
  SignUpAndLogin("bob");                 // sign-up 2
  SignUpAndLogin("carol");               // sign-up 3
  auto before = Snapshot();
  auto flood = Call("POST", "/api/users",
                    R"({"email":"flood@attack.test","password":"secret1!x","displayName":"flood","realName":"r",)"
                    R"("phone":"01099990000","city":"c","detailAddress":"d"})");
  ExpectProblem(flood, 429, "RATE_LIMITED");
  EXPECT_GE(std::atoi(flood.Header("retry-after").c_str()), 1);
  EXPECT_EQ(Snapshot(), before);
  // Logins per account: the fifth in a minute is refused even with the right password.
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Login(alice.email, "secret1!x").status, 200);
  auto locked = Login(alice.email, "secret1!x");
  ExpectProblem(locked, 429, "RATE_LIMITED");
  EXPECT_FALSE(locked.Header("retry-after").empty());
  // Orders per account.
  for (int i = 0; i < 3; ++i) PlaceOrder(alice, R"([{"itemId":1,"quantity":1}])");
  auto orders_before = Snapshot();
  auto refused = Call("POST", "/api/orders", OrderBody(R"([{"itemId":1,"quantity":1}])"), {alice.Auth()});
  ExpectProblem(refused, 429, "RATE_LIMITED");
  EXPECT_FALSE(refused.Header("retry-after").empty());
  EXPECT_EQ(Snapshot(), orders_before);
}

// Items 4 and 5: hoarding stock in unpaid orders, and lines that dodge the cap.
class HoardingAttack : public AttackTest {
 protected:
  void Configure(std::map<std::string, std::string>& env) override {
    env["PILLIVERY_RATE_LIMITS"] = "false";
    env["PILLIVERY_ORDER_MAX_OPEN_UNPAID"] = "3";
    env["PILLIVERY_ORDER_MAX_OPEN_QUANTITY_PER_ITEM"] = "10";
    env["PILLIVERY_ORDER_ABANDONED_PAYMENT_MINUTES"] = "2";
  }
};

TEST_P(HoardingAttack, StockHoarding_OpenOrderCountAndPerItemQuantityAreCapped) {
  auto alice = SignUpAndLogin("alice");
  auto before = Snapshot();
  // Two lines of one item are one line: 60 + 60 is over the 99 cap.
  ExpectProblem(Call("POST", "/api/orders", OrderBody(R"([{"itemId":1,"quantity":60},{"itemId":1,"quantity":60}])"),
                     {alice.Auth()}),
                400, "VALIDATION_FAILED");
  EXPECT_EQ(Snapshot(), before);
  PlaceOrder(alice, R"([{"itemId":4,"quantity":6}])");
  auto over = Call("POST", "/api/orders", OrderBody(R"([{"itemId":4,"quantity":3},{"itemId":4,"quantity":2}])"),
                   {alice.Auth()});
  ExpectProblem(over, 409, "OPEN_QUANTITY_EXCEEDED");
  PlaceOrder(alice, R"([{"itemId":6,"quantity":1}])");
  PlaceOrder(alice, R"([{"itemId":7,"quantity":1}])");
  auto held = Snapshot();
  ExpectProblem(Call("POST", "/api/orders", OrderBody(R"([{"itemId":6,"quantity":1}])"), {alice.Auth()}), 409,
                "TOO_MANY_OPEN_ORDERS");
  EXPECT_EQ(Snapshot(), held);
  // Paying one frees a slot; the cap is on unpaid orders only.
  auto first = std::stoll(Scalar("SELECT MIN(id) FROM orders"));
  ASSERT_EQ(Pay(alice, first).status, 200);
  PlaceOrder(alice, R"([{"itemId":6,"quantity":1}])");
}

TEST_P(HoardingAttack, AbandonedPayment_ReservationEndsSooner) {
  auto alice = SignUpAndLogin("alice");
  auto order = PlaceOrder(alice, R"([{"itemId":4,"quantity":2}])");
  auto expires = std::stoll(Scalar("SELECT expires_at_ms FROM orders WHERE id = " + Id(order)));
  auto quit = Pay(alice, order, "quit");
  EXPECT_EQ(quit.status, 200) << quit.body;
  auto shortened = std::stoll(Scalar("SELECT expires_at_ms FROM orders WHERE id = " + Id(order)));
  auto now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  EXPECT_LT(shortened, expires);
  EXPECT_LE(shortened, now_ms + 2 * 60'000 + 1000);
}

// Issue #13 item 7 and #14: revocation reaches access tokens at once.
class RevocationAttack : public AttackTest {
 protected:
  void Configure(std::map<std::string, std::string>& env) override {
    env["PILLIVERY_PRINCIPAL_CACHE_MS"] = "60000";  // a long cache must not delay a revocation
    if (const char* redis = std::getenv("PILLIVERY_TEST_REDIS_URL"); redis && *redis) {
      env["PILLIVERY_REDIS_URL"] = redis;
      env["PILLIVERY_REDIS_PREFIX"] = "attack-" + std::to_string(::getpid()) + "-" + std::to_string(FreePort()) + ":";
    }
  }
};

TEST_P(RevocationAttack, RefreshTokenReuse_RevokesTheFamilysAccessTokensAtOnce) {
  auto alice = SignUpAndLogin("alice");
  EXPECT_EQ(Call("GET", "/api/users/me", "", {alice.Auth()}).status, 200);  // now cached
  auto rotated = Call("POST", "/api/auth/refresh", R"({"refreshToken":")" + alice.refresh + R"("})");
  ASSERT_EQ(rotated.status, 200);
  auto new_access = std::string(Json(rotated).at("data").at("accessToken").as_string());
  EXPECT_EQ(Call("GET", "/api/users/me", "", {Bearer(new_access)}).status, 200);
  // The spent token again: someone else holds the chain.
  ExpectProblem(Call("POST", "/api/auth/refresh", R"({"refreshToken":")" + alice.refresh + R"("})"), 401);
  ExpectProblem(Call("GET", "/api/users/me", "", {alice.Auth()}), 401);
  ExpectProblem(Call("GET", "/api/users/me", "", {Bearer(new_access)}), 401);
}

TEST_P(RevocationAttack, LogoutAndWithdrawal_ReachEveryServerAtOnce) {
  if (!std::getenv("PILLIVERY_TEST_REDIS_URL") || !*std::getenv("PILLIVERY_TEST_REDIS_URL"))
    GTEST_SKIP() << "PILLIVERY_TEST_REDIS_URL is not set";
  if (GetParam() != "mariadb") GTEST_SKIP() << "two servers share a MariaDB database";
  std::unique_ptr<ChildProcess> second;
  auto other = StartServer(second, "server2.log");
  auto alice = SignUpAndLogin("alice");
  auto bob = SignUpAndLogin("bob");
  // Both servers have resolved (and cached) both tokens.
  for (const auto* account : {&alice, &bob}) {
    EXPECT_EQ(HttpCall("GET", other + "/api/users/me", "", {account->Auth()}).status, 200);
    EXPECT_EQ(Call("GET", "/api/users/me", "", {account->Auth()}).status, 200);
  }
  ASSERT_EQ(Call("POST", "/api/auth/logout", "", {alice.Auth()}).status / 100, 2);
  ASSERT_EQ(Call("DELETE", "/api/users/me", R"({"password":"secret1!x"})", {bob.Auth()}).status / 100, 2);
  // The broadcast is asynchronous but fast: the other server refuses within a second.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  long alice_status = 200, bob_status = 200;
  while (std::chrono::steady_clock::now() < deadline && (alice_status != 401 || bob_status != 401)) {
    alice_status = HttpCall("GET", other + "/api/users/me", "", {alice.Auth()}).status;
    bob_status = HttpCall("GET", other + "/api/users/me", "", {bob.Auth()}).status;
  }
  EXPECT_EQ(alice_status, 401);
  EXPECT_EQ(bob_status, 401);
}

// Issue #14: behind a trusted proxy, throttles see the real client.
class ProxyAttack : public AttackTest {
 protected:
  void Configure(std::map<std::string, std::string>& env) override {
    env["PILLIVERY_TRUSTED_PROXIES"] = "127.0.0.1/32";
    env["PILLIVERY_RATE_LIMIT_LOGIN_CLIENT"] = "100/1m";
    env["PILLIVERY_RATE_LIMIT_LOGIN_ACCOUNT"] = "100/1m";
    env["PILLIVERY_RATE_LIMIT_SIGNUP_CLIENT"] = "2/1h";
    env["PILLIVERY_INTERNAL_NETWORKS"] = "127.0.0.0/8";
  }
};

TEST_P(ProxyAttack, TrustedProxy_FailedLoginsAndLimitsCountPerForwardedClient) {
  auto alice = SignUpAndLogin("alice");
  // One address sprays wrong passwords over many emails until it is throttled...
  long last = 0;
  for (int i = 0; i < 25 && last != 429; ++i)
    last = Login("nobody" + Id(i) + "@attack.test", "wrong-pass-1", {"X-Forwarded-For: 203.0.113.9"}).status;
  EXPECT_EQ(last, 429);
  // ...while another customer behind the same proxy still logs in.
  EXPECT_EQ(Login(alice.email, "secret1!x", {"X-Forwarded-For: 198.51.100.4"}).status, 200);
  // A forged left-most hop does not make the sprayer someone else.
  EXPECT_EQ(Login("x@attack.test", "wrong-pass-1", {"X-Forwarded-For: 198.51.100.4, 203.0.113.9"}).status, 429);
  // Sign-up limits are per forwarded client too (2 per hour here; alice used one from 127.0.0.1).
  auto body = [](int n) {
    return R"({"email":"p)" + Id(n) + R"(@attack.test","password":"secret1!x","displayName":"p)" + Id(n) +
           R"(","realName":"r","phone":"0108888000)" + Id(n) + R"(","city":"c","detailAddress":"d"})";
  };
  EXPECT_EQ(Call("POST", "/api/users", body(1), {"X-Forwarded-For: 192.0.2.1"}).status, 201);
  EXPECT_EQ(Call("POST", "/api/users", body(2), {"X-Forwarded-For: 192.0.2.1"}).status, 201);
  ExpectProblem(Call("POST", "/api/users", body(3), {"X-Forwarded-For: 192.0.2.1"}), 429, "RATE_LIMITED");
  EXPECT_EQ(Call("POST", "/api/users", body(4), {"X-Forwarded-For: 192.0.2.2"}).status, 201);
  // The internal network check sees the forwarded client, not the proxy.
  ExpectProblem(Call("POST", "/internal/subscriptions/1/charge", R"({"dueDate":"2030-01-01"})",
                     {"X-Forwarded-For: 203.0.113.9", std::string("X-Internal-Token: ") + kInternalToken}),
                403);
}

INSTANTIATE_TEST_SUITE_P(Engines, AuthorizationAttack, ::testing::ValuesIn(Engines()));
INSTANTIATE_TEST_SUITE_P(Engines, FloodAttack, ::testing::ValuesIn(Engines()));
INSTANTIATE_TEST_SUITE_P(Engines, HoardingAttack, ::testing::ValuesIn(Engines()));
INSTANTIATE_TEST_SUITE_P(Engines, RevocationAttack, ::testing::ValuesIn(Engines()));
INSTANTIATE_TEST_SUITE_P(Engines, ProxyAttack, ::testing::ValuesIn(Engines()));

}  // namespace
}  // namespace pillivery::testing
