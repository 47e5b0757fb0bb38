#pragma once
// The attack suite's fixture (issue #13): the real `pillivery` binary on a
// fresh database of the engine under test, the real pg-simulator as its
// gateway, and a client that speaks HTTP over real sockets — libcurl for
// well-formed requests, a raw socket for the malformed ones. Each test reads
// the data back afterwards (Snapshot) to show a refused request changed nothing,
// and every test's server log is scanned for payment credentials at the end.
#include "http/raw_client.hpp"
#include "storage/database.hpp"
#include "storage/item_repository.hpp"
#include "storage/migrations.hpp"
#include "support/catalog_fixtures.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>
#include <soci/soci.h>
#include <boost/json.hpp>

#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace pillivery::testing {

inline constexpr const char* kAdminEmail = "admin@attack.test";
inline constexpr const char* kAdminPassword = "admin-pass-1!";
inline constexpr const char* kInternalToken = "attack-suite-internal-token-0123456789";

class AttackTest : public ::testing::TestWithParam<std::string> {
 protected:
  // Override to add or change the server's settings (PILLIVERY_* variables).
  virtual void Configure(std::map<std::string, std::string>& env) {}

  void SetUp() override {
    db_url_ = FreshDatabaseUrl(GetParam(), dir_);
    {
      storage::Database db(db_url_, 1);
      storage::Migrate(db, testing::RealClock());
      storage::ItemRepository(db, testing::RealClock()).InsertMany(SampleCatalog());
    }
    simulator_ = std::make_unique<Simulator>(dir_.Path() / "sim.db");
    env_ = {{"PILLIVERY_DB_URL", db_url_},
            {"PILLIVERY_KAKAOPAY_BASE_URL", simulator_->PaymentBaseUrl()},
            {"PILLIVERY_JWT_SECRET", "attack-suite-jwt-secret-0123456789abcdef"},
            {"PILLIVERY_INTERNAL_TOKEN", kInternalToken},
            {"PILLIVERY_ADMIN_EMAIL", kAdminEmail},
            {"PILLIVERY_ADMIN_PASSWORD", kAdminPassword},
            {"PILLIVERY_BILLING_SCHEDULER", "false"},
            {"PILLIVERY_LOG_LEVEL", "info"},  // everything a production log would hold
            {"PILLIVERY_WORKER_THREADS", "4"},
            {"PILLIVERY_DB_POOL_SIZE", "4"}};
    Configure(env_);
    base_ = StartServer(server_, "server.log");
  }

  void TearDown() override {
    for (auto& server : servers_) server->Terminate();
    // No payment credential (a tid or SID: T/S and 19 digits) in any log line.
    static const std::regex kCredential(R"((^|[^A-Za-z0-9])[ST][0-9]{19}([^A-Za-z0-9]|$))");
    for (const auto& log : logs_) {
      std::ifstream in(log);
      std::string line;
      int number = 0;
      while (std::getline(in, line)) {
        ++number;
        EXPECT_FALSE(std::regex_search(line, kCredential)) << log << ":" << number << ": " << line;
        for (const auto& secret : secrets_)
          EXPECT_EQ(line.find(secret), std::string::npos) << log << ":" << number << " holds " << secret;
      }
    }
  }

  // Starts one more server on the same database and simulator; returns its base URL.
  std::string StartServer(std::unique_ptr<ChildProcess>& slot, const std::string& log_name,
                          std::map<std::string, std::string> extra = {}) {
    int port = FreePort();
    auto env = env_;
    for (auto& [k, v] : extra) env[k] = v;
    env["PILLIVERY_HTTP_PORT"] = std::to_string(port);
    auto log = dir_.Path() / log_name;
    logs_.push_back(log);
    // PILLIVERY_ATTACK_BINARY attacks another build (e.g. a release, or the
    // commit before a fix, to see the case fail first).
    const char* binary = std::getenv("PILLIVERY_ATTACK_BINARY");
    slot = std::make_unique<ChildProcess>(binary && *binary ? std::string(binary) : BinaryPath("pillivery"),
                                          std::vector<std::string>{"serve", "--no-migrate"}, env, log);
    servers_.push_back(slot.get());
    auto base = "http://127.0.0.1:" + std::to_string(port);
    if (!WaitForHttp(base + "/health/ready")) throw std::runtime_error("pillivery did not start: see " + log.string());
    port_ = port_ ? port_ : static_cast<std::uint16_t>(port);
    return base;
  }

  HttpResult Call(const std::string& method, const std::string& path, const std::string& body = "",
                  std::vector<std::string> headers = {}) {
    return HttpCall(method, base_ + path, body, headers);
  }
  static boost::json::value Json(const HttpResult& r) { return boost::json::parse(r.body); }
  static std::string Bearer(const std::string& token) { return "Authorization: Bearer " + token; }

  // A refusal: the status, and a problem document with a code.
  static void ExpectProblem(const HttpResult& r, long status, const std::string& code = "") {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.Header("content-type"), "application/problem+json") << r.body;
    boost::system::error_code ec;
    auto doc = boost::json::parse(r.body, ec);
    ASSERT_FALSE(ec) << r.body;
    ASSERT_TRUE(doc.is_object() && doc.as_object().contains("code")) << r.body;
    EXPECT_EQ(doc.at("status").to_number<long>(), status);
    if (!code.empty()) {
      EXPECT_EQ(doc.at("code").as_string(), code) << r.body;
    }
  }
  static void ExpectRawProblem(const std::optional<http::testing::RawResponse>& r, int status,
                               const std::string& code = "") {
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, status) << r->body;
    EXPECT_EQ(r->Header("content-type"), "application/problem+json");
    if (!code.empty()) {
      EXPECT_EQ(boost::json::parse(r->body).at("code").as_string(), code) << r->body;
    }
  }

  struct Account {
    std::int64_t id = 0;
    std::string email;
    std::string access;
    std::string refresh;
    std::string Auth() const { return Bearer(access); }
  };
  Account SignUpAndLogin(const std::string& name) {
    Account a;
    int n = ++accounts_;
    a.email = name + std::to_string(n) + "@attack.test";
    char phone[32];
    std::snprintf(phone, sizeof phone, "0109%03d%04d", n, n);
    boost::json::object body{{"email", a.email},
                             {"password", "secret1!x"},
                             {"displayName", name + std::to_string(n)},
                             {"realName", "김철수"},
                             {"phone", phone},
                             {"city", "서울특별시"},
                             {"detailAddress", "강남구 테헤란로 1"}};
    auto created = Call("POST", "/api/users", boost::json::serialize(body));
    EXPECT_EQ(created.status, 201) << created.body;
    if (created.status == 201) a.id = Json(created).at("data").at("userId").as_int64();
    auto tokens = Login(a.email, "secret1!x");
    EXPECT_EQ(tokens.status, 200) << tokens.body;
    if (tokens.status == 200) {
      a.access = std::string(Json(tokens).at("data").at("accessToken").as_string());
      a.refresh = std::string(Json(tokens).at("data").at("refreshToken").as_string());
    }
    return a;
  }
  HttpResult Login(const std::string& email, const std::string& password, std::vector<std::string> headers = {}) {
    boost::json::object body{{"email", email}, {"password", password}};
    return Call("POST", "/api/auth/login", boost::json::serialize(body), std::move(headers));
  }
  Account Admin() {
    Account a;
    auto r = Login(kAdminEmail, kAdminPassword);
    EXPECT_EQ(r.status, 200) << r.body;
    a.access = std::string(Json(r).at("data").at("accessToken").as_string());
    return a;
  }
  static std::string OrderBody(const std::string& lines, const std::string& type = "ONE_TIME") {
    return R"({"type":")" + type + R"(","lines":)" + lines +
           R"(,"receiver":{"name":"김","phone":"010-5555-6666","city":"서울","detailAddress":"1"}})";
  }
  std::int64_t PlaceOrder(const Account& a, const std::string& lines, const std::string& type = "ONE_TIME") {
    auto r = Call("POST", "/api/orders", OrderBody(lines, type), {a.Auth()});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? Json(r).at("data").at("orderId").as_int64() : 0;
  }
  // ready → the simulator's page with auto=<action> → the redirect back to us, as a browser would.
  HttpResult Pay(const Account& a, std::int64_t order_id, const std::string& action = "approve") {
    auto ready =
        Call("POST", "/api/orders/" + std::to_string(order_id) + "/payment", R"({"provider":"KAKAOPAY"})", {a.Auth()});
    EXPECT_EQ(ready.status, 201) << ready.body;
    if (ready.status != 201) return ready;
    std::string page(Json(ready).at("data").at("redirectUrl").at("pc").as_string());
    auto redirect = HttpCall("GET", page + (page.find('?') == std::string::npos ? "?" : "&") + "auto=" + action);
    EXPECT_EQ(redirect.status, 302) << redirect.body;
    std::string location = redirect.Header("location");
    return HttpCall("GET", base_ + location.substr(location.find("/api/payments/")), "", {"Accept: application/json"});
  }

  // What a refused request must not have changed: row counts of every table a
  // client can reach, and every item's stock and price.
  std::string Snapshot() {
    storage::Database db(db_url_, 1);
    auto lease = db.Acquire();
    std::ostringstream out;
    for (const char* table :
         {"users", "refresh_tokens", "carts", "cart_lines", "orders", "order_lines", "order_status_history", "reviews",
          "payments", "subscriptions", "subscription_charges", "outbox_events"}) {
      long long count = 0;
      *lease << "SELECT COUNT(*) FROM " + std::string(table), soci::into(count);
      out << table << "=" << count << " ";
    }
    soci::rowset<soci::row> items = (lease->prepare << "SELECT id, stock, real_price, status FROM items ORDER BY id");
    for (const auto& row : items) {
      for (std::size_t i = 0; i < row.size(); ++i) {
        if (row.get_properties(i).get_data_type() == soci::dt_string)
          out << row.get<std::string>(i) << ",";
        else if (row.get_properties(i).get_data_type() == soci::dt_integer)
          out << row.get<int>(i) << ",";
        else
          out << row.get<long long>(i) << ",";
      }
      out << ";";
    }
    std::string statuses;
    soci::rowset<soci::row> orders = (lease->prepare << "SELECT id, status FROM orders ORDER BY id");
    for (const auto& row : orders) out << row.get<std::string>(1) << ",";
    return out.str();
  }
  std::string Scalar(const std::string& sql) {
    storage::Database db(db_url_, 1);
    auto lease = db.Acquire();
    std::string value;
    soci::indicator ind = soci::i_ok;
    soci::rowset<soci::row> rows = (lease->prepare << sql);
    for (const auto& row : rows) {
      if (row.get_indicator(0) == soci::i_null) return "";
      switch (row.get_properties(0).get_data_type()) {
        case soci::dt_string:
          return row.get<std::string>(0);
        case soci::dt_integer:
          return std::to_string(row.get<int>(0));
        case soci::dt_long_long:
          return std::to_string(row.get<long long>(0));
        case soci::dt_unsigned_long_long:
          return std::to_string(row.get<unsigned long long>(0));
        case soci::dt_double:
          return std::to_string(static_cast<long long>(row.get<double>(0)));
        default:
          return "";
      }
    }
    (void)ind;
    return value;
  }
  // A value that must never appear in the server log (checked in TearDown).
  void NeverLogged(const std::string& secret) {
    if (!secret.empty()) secrets_.push_back(secret);
  }

  TempDir dir_;
  std::string db_url_;
  std::unique_ptr<Simulator> simulator_;
  std::map<std::string, std::string> env_;
  std::unique_ptr<ChildProcess> server_;
  std::vector<ChildProcess*> servers_;
  std::vector<std::filesystem::path> logs_;
  std::vector<std::string> secrets_;
  std::string base_;
  std::uint16_t port_ = 0;
  int accounts_ = 0;
};

}  // namespace pillivery::testing
