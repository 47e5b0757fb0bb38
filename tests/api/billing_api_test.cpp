// The billing job end to end: batch runner → internal endpoint → the real
// pg-simulator binary, reconciled against the simulator's ledger. Both engines.
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "app/billing_scheduler.hpp"
#include "batch/batch_runner.hpp"
#include "batch/http_charge_cycles.hpp"

#include <map>
#include <set>
#include <thread>
#include "importer/load_seeder.hpp"
#include "infra/clock.hpp"
#include "storage/subscription_repository.hpp"
#include "support/api_fixture.hpp"

namespace pillivery::testing {
namespace {

constexpr const char* kToken = "test-internal-token-0123456789abcdef";

class BillingApiTest : public ApiTest {
 protected:
  void SetUp() override {
    infra::SetProcessTimeZone("Asia/Seoul");
    simulator_ = std::make_unique<Simulator>(dir_.Path() / "sim.db");
    sim_ = simulator_->BaseUrl();
    config_.kakaopay_base_url = simulator_->PaymentBaseUrl();
    config_.internal_token = kToken;
    ApiTest::SetUp();
  }
  void TearDown() override {
    ApiTest::TearDown();
    simulator_.reset();
  }
  void Configure(infra::Config& config) override {
    config.admin_email = "admin@pillivery.test";
    config.admin_password = "Admin-pass-1234";
  }
  void Seed(storage::Database& db) override {
    storage::ItemRepository items(db, testing::RealClock());
    std::vector<domain::Item> catalog;
    for (int i = 0; i < 5; ++i)
      catalog.push_back(MakeItem("상품" + std::to_string(i), "브랜드", "눈", 10'000 + i, 100, 100'000));
    items.InsertMany(catalog);
    importer::LoadSeedOptions o;
    o.users = 10;
    o.subscriptions = 60;  // every tenth is due today: 6
    o.password_hash = "x";
    o.today = Today().ToString();
    o.now_iso = "t";
    importer::SeedLoad(db, o);
  }
  static domain::Date Today() { return *domain::Date::Parse(infra::FormatDate(std::chrono::system_clock::now())); }

  batch::BatchResult RunBatch(int passes = 3, const std::string& api_url = "", int page_size = 500) {
    storage::Database db(config_.db_url, 2);
    storage::SubscriptionRepository subs(db);
    batch::BatchOptions options;
    options.date = Today();
    options.concurrency = 4;
    options.passes = passes;
    options.page_size = page_size;
    batch::HttpChargeCycles charges({api_url.empty() ? base_ : api_url, kToken});
    return batch::RunBilling(subs, charges, testing::RealClock(), options);
  }
  // All 60 seeded subscriptions fall due today, not only every tenth.
  void MakeEveryoneDueToday() {
    storage::Database db(config_.db_url, 1);
    auto lease = db.Acquire();
    std::string today = Today().ToString();
    *lease << "UPDATE subscriptions SET next_payment_date = :d, next_attempt_date = :d2", soci::use(today),
        soci::use(today);
  }
  // Each due subscription has exactly one charge row, PAID, and the ledger one payment for its cycle.
  void ExpectEachChargedOnce(const std::vector<domain::Subscription>& due) {
    std::set<std::string> partner_ids;
    for (const auto& p : Ledger()) partner_ids.insert(std::string(p.at("partner_order_id").as_string()));
    EXPECT_EQ(partner_ids.size(), due.size());
    storage::Database db(config_.db_url, 1);
    storage::SubscriptionRepository subs(db);
    for (const auto& s : due) {
      EXPECT_TRUE(partner_ids.count(domain::CyclePartnerOrderId(s.id, s.next_payment_date))) << s.id;
      auto charges = subs.Charges(s.id, {}).charges;
      ASSERT_EQ(charges.size(), 1u) << s.id;
      EXPECT_EQ(charges[0].result, domain::ChargeResult::kPaid) << s.id;
    }
  }
  boost::json::array Ledger() { return Json(HttpCall("GET", sim_ + "/__ledger")).at("payments").as_array(); }
  void Faults(const std::string& json) { ASSERT_EQ(HttpCall("POST", sim_ + "/__faults", json).status, 200) << json; }
  std::vector<domain::Subscription> DueToday() {
    storage::Database db(config_.db_url, 1);
    storage::SubscriptionRepository subs(db);
    std::vector<domain::Subscription> out;
    for (const auto& due : subs.DueCycles(Today(), 0, 1000)) out.push_back(*subs.Find(due.subscription_id));
    return out;
  }
  HttpResult Charge(std::int64_t id, const std::string& due, int attempt, const std::string& token = kToken,
                    std::string key = "") {
    if (key.empty()) key = "sub-" + std::to_string(id) + "-" + due + "-" + std::to_string(attempt);
    return Send("POST", "/internal/subscriptions/" + std::to_string(id) + "/charge",
                R"({"dueDate":")" + due + R"(","attempt":)" + std::to_string(attempt) + "}",
                {"X-Internal-Token: " + token, "Idempotency-Key: " + key});
  }

  std::string sim_;
  std::unique_ptr<Simulator> simulator_;
};

TEST_P(BillingApiTest, Batch_ChargesEveryDueCycleExactlyOnceAndMatchesTheLedger) {
  auto due = DueToday();
  ASSERT_EQ(due.size(), 6u);
  auto run = RunBatch();
  EXPECT_TRUE(run.completed);
  EXPECT_EQ(run.run.due, 6);
  EXPECT_EQ(run.run.paid, 6);
  auto ledger = Ledger();
  ASSERT_EQ(ledger.size(), 6u);
  std::set<std::string> partner_ids;
  for (const auto& p : ledger) {
    EXPECT_EQ(p.at("kind").as_string(), "SUBSCRIPTION");
    partner_ids.insert(std::string(p.at("partner_order_id").as_string()));
  }
  for (const auto& s : due) EXPECT_TRUE(partner_ids.count(domain::CyclePartnerOrderId(s.id, s.next_payment_date)));
  EXPECT_TRUE(DueToday().empty());

  // A second run, and a replayed request, charge nothing more.
  EXPECT_EQ(RunBatch().run.due, 0);
  auto replay = Charge(due[0].id, due[0].next_payment_date.ToString(), 1);
  ASSERT_EQ(replay.status, 200) << replay.body;
  EXPECT_EQ(Json(replay).at("data").at("result").as_string(), "PAID");
  EXPECT_TRUE(Json(replay).at("data").as_object().contains("renewalOrderId"));
  EXPECT_EQ(Ledger().size(), 6u);

  storage::Database db(config_.db_url, 1);
  storage::SubscriptionRepository subs(db);
  auto after = *subs.Find(due[0].id);
  EXPECT_EQ(after.last_paid_date, Today());
  EXPECT_EQ(after.next_payment_date, Today().AddDays(after.period));
  std::int64_t total = 0;
  auto runs = subs.Runs({1, 10}, total);
  EXPECT_EQ(total, 2);
  EXPECT_EQ(runs.back().paid, 6);
}

TEST_P(BillingApiTest, Batch_AfterARunWasKilled_MarksThatRunInterrupted) {
  storage::Database db(config_.db_url, 1);
  storage::SubscriptionRepository subs(db);
  auto killed = subs.StartRun(Today().ToString(), "2026-01-01T00:00:00Z");  // never finished: SIGKILL
  auto other_day = subs.StartRun(Today().AddDays(1).ToString(), "2026-01-01T00:00:00Z");
  EXPECT_TRUE(RunBatch().completed);
  std::int64_t total = 0;
  std::map<std::int64_t, std::string> status;
  for (const auto& run : subs.Runs({1, 10}, total)) status[run.id] = std::string(domain::CodeOf(run.status));
  EXPECT_EQ(total, 3);
  EXPECT_EQ(status[killed], "INTERRUPTED");
  EXPECT_EQ(status[other_day], "RUNNING");  // another date's run is not this run's business
}

TEST_P(BillingApiTest, Batch_WithSeveralApiUrls_SpreadsTheChargesOverTheServers) {
  MakeEveryoneDueToday();
  app::Application second(config_);
  const std::string second_base = "http://127.0.0.1:" + std::to_string(second.Start());
  WatchApiServer(second_base);
  auto run = RunBatch(3, base_ + "," + second_base + "/");
  EXPECT_TRUE(run.completed);
  EXPECT_EQ(run.run.paid, 60);
  EXPECT_EQ(Ledger().size(), 60u);
  for (const auto& server : {base_, second_base}) {
    auto metrics = HttpCall("GET", server + "/metrics").body;
    EXPECT_NE(metrics.find("/internal/subscriptions/{id}/charge"), std::string::npos) << server << " got no charge";
    EXPECT_NE(metrics.find("pillivery_billing_grouped_charges_total{step=\"outcome\"}"), std::string::npos) << server;
  }
  UnwatchApiServer(second_base);
}

// The workers outlive the pages: every page is queued and charged, the last
// (short) one included, and none twice.
TEST_P(BillingApiTest, Batch_WithManySmallPages_ChargesEveryCycleOfEveryPageOnce) {
  MakeEveryoneDueToday();
  auto due = DueToday();
  ASSERT_EQ(due.size(), 60u);
  auto run = RunBatch(3, "", /*page_size=*/7);  // 9 pages, the last of 4, for 4 workers
  EXPECT_TRUE(run.completed);
  EXPECT_EQ(run.run.due, 60);
  EXPECT_EQ(run.run.paid, 60);
  EXPECT_EQ(run.run.unknown + run.run.skipped + run.run.errors, 0);
  EXPECT_TRUE(DueToday().empty());
  ExpectEachChargedOnce(due);
}

// Unresolved answers from different pages wait for the next pass of the same
// run, which sends them again (same attempt) and learns they were charged.
TEST_P(BillingApiTest, Batch_LostAnswersOnSeveralPages_AreResolvedInTheNextPassWithoutASecondCharge) {
  MakeEveryoneDueToday();
  auto due = DueToday();
  ASSERT_EQ(due.size(), 60u);
  std::string forced;
  for (std::size_t i : {2u, 30u, 59u}) {
    if (!forced.empty()) forced += ",";
    forced += R"({"partnerOrderId":")" + domain::CyclePartnerOrderId(due[i].id, due[i].next_payment_date) +
              R"(","operation":"subscription","fault":"lostResponse","times":1})";
  }
  Faults(R"({"forcedErrors":[)" + forced + "]}");
  auto run = RunBatch(3, "", /*page_size=*/7);
  EXPECT_TRUE(run.completed);
  EXPECT_EQ(run.run.due, 60);
  EXPECT_EQ(run.run.paid, 60);
  EXPECT_EQ(run.run.unknown, 0);
  EXPECT_TRUE(DueToday().empty());
  ExpectEachChargedOnce(due);
  EXPECT_EQ(Ledger().size(), 60u);
}

TEST_P(BillingApiTest, Declines_SoftGoPastDueWithARetryDayHardFailAtOnce) {
  auto due = DueToday();
  ASSERT_GE(due.size(), 2u);
  Faults(R"({"forcedErrors":[{"sid":")" + due[0].sid +
         R"(","errorCode":-782,"methodResultCode":"INSUFFICIENT_BALANCE","times":1},{"sid":")" + due[1].sid +
         R"(","errorCode":-751,"times":1}]})");
  auto run = RunBatch();
  EXPECT_EQ(run.run.soft_declined, 1);
  EXPECT_EQ(run.run.hard_declined, 1);
  EXPECT_EQ(run.run.paid, static_cast<int>(due.size()) - 2);
  storage::Database db(config_.db_url, 1);
  storage::SubscriptionRepository subs(db);
  auto soft = *subs.Find(due[0].id);
  EXPECT_EQ(soft.status, domain::SubscriptionStatus::kPastDue);
  EXPECT_EQ(soft.next_attempt_date, due[0].next_payment_date.AddDays(1));
  auto charges = subs.Charges(due[0].id, {});
  ASSERT_EQ(charges.charges.size(), 1u);
  EXPECT_EQ(charges.charges[0].result, domain::ChargeResult::kSoftDeclined);
  EXPECT_NE(charges.charges[0].decline_code.value_or("").find("-782"), std::string::npos);
  EXPECT_EQ(subs.Find(due[1].id)->status, domain::SubscriptionStatus::kPaymentFailed);
  EXPECT_EQ(Ledger().size(), due.size() - 2);
}

// A run that ended with cycles unanswered is recorded INCOMPLETE; the admin's list of
// runs shows it with a status the OpenAPI document names (it once said only RUNNING,
// COMPLETED, FAILED and INTERRUPTED, so a client generated from it rejected the list).
TEST_P(BillingApiTest, BatchRuns_ShowAnUnfinishedRunWithAStatusTheDocumentNames) {
  auto due = DueToday();
  Faults(R"({"failureRates":{"lostResponse":1.0}})");
  ASSERT_FALSE(RunBatch(1).completed);
  Faults("{}");
  ASSERT_TRUE(RunBatch().completed);

  auto login = Send("POST", "/api/auth/login", R"({"email":"admin@pillivery.test","password":"Admin-pass-1234"})");
  ASSERT_EQ(login.status, 200) << login.body;
  auto admin = "Authorization: Bearer " + std::string(Json(login).at("data").at("accessToken").as_string());
  auto runs = Get("/api/admin/batch/runs", {admin});
  ASSERT_EQ(runs.status, 200) << runs.body;
  auto body = Json(runs);
  const auto& data = body.at("data").as_array();
  ASSERT_EQ(data.size(), 2u);
  EXPECT_EQ(data[0].at("status").as_string(), "COMPLETED");  // newest first
  EXPECT_EQ(data[1].at("status").as_string(), "INCOMPLETE");
  EXPECT_EQ(data[1].at("counts").at("unknown").as_int64(), static_cast<std::int64_t>(due.size()));

  auto document = Get("/openapi.json");
  ASSERT_EQ(document.status, 200);
  auto openapi = Json(document);
  std::set<std::string> named;
  for (const auto& s : openapi.at_pointer("/components/schemas/BatchRun/properties/status/enum").as_array())
    named.insert(std::string(s.as_string()));
  for (const auto& run : data) EXPECT_TRUE(named.count(std::string(run.at("status").as_string()))) << run;
}

TEST_P(BillingApiTest, LostResponses_AreResolvedByTheDuplicateCheckWithoutASecondCharge) {
  auto due = DueToday();
  Faults(R"({"failureRates":{"lostResponse":1.0}})");
  auto first = RunBatch(1);
  EXPECT_FALSE(first.completed);
  EXPECT_EQ(first.run.unknown, static_cast<int>(due.size()));
  EXPECT_EQ(Ledger().size(), due.size());  // the gateway charged; we did not hear it
  Faults("{}");
  auto second = RunBatch();
  EXPECT_TRUE(second.completed);
  EXPECT_EQ(second.run.paid, static_cast<int>(due.size()));
  EXPECT_EQ(Ledger().size(), due.size());  // resolved, not charged again
  storage::Database db(config_.db_url, 1);
  storage::SubscriptionRepository subs(db);
  for (const auto& s : due) {
    auto charges = subs.Charges(s.id, {}).charges;
    ASSERT_EQ(charges.size(), 1u);
    EXPECT_EQ(charges[0].result, domain::ChargeResult::kPaid);
    EXPECT_TRUE(charges[0].renewal_order_id.has_value());
  }
}

// Found by the exactly-once test: a charge lost after the gateway took the money,
// then a decline (or a refused connection) on the re-send, closed the cycle as
// failed while the customer had paid. Only PAID or -785 says what the earlier
// send did; anything else keeps the attempt open.
TEST_P(BillingApiTest, LostResponseThenDeclineOnTheResend_KeepsTheCycleOpenUntilTheGatewaySaysItWasCharged) {
  auto due = DueToday();
  const auto& s = due[0];
  auto partner_order_id = domain::CyclePartnerOrderId(s.id, s.next_payment_date);
  auto forced = [&](const std::string& what, int times) {
    return R"({"partnerOrderId":")" + partner_order_id + R"(","operation":"subscription",)" + what + R"(,"times":)" +
           std::to_string(times) + "}";
  };
  // Times 3 for the refusal: a refused connect is tried three times by the client.
  Faults(R"({"forcedErrors":[)" + forced(R"("fault":"lostResponse")", 1) + "," + forced(R"("errorCode":-751)", 1) +
         "," + forced(R"("errorCode":-782,"methodResultCode":"EXCEED_LIMIT")", 1) + "," +
         forced(R"("fault":"connectionRefused")", 3) + "]}");
  auto day = s.next_payment_date.ToString();
  ASSERT_EQ(Charge(s.id, day, 1).status, 202);  // charged, the answer lost
  ASSERT_EQ(Ledger().size(), 1u);
  storage::Database db(config_.db_url, 1);
  storage::SubscriptionRepository subs(db);
  // -751, -782, then refused connections: none says what the first send did.
  int resends = 0;
  HttpResult answer;
  for (; resends < 8; ++resends) {
    answer = Charge(s.id, day, 1);
    if (answer.status == 200) break;
    EXPECT_TRUE(answer.status == 202 || answer.status == 503) << answer.body;
    auto charges = subs.Charges(s.id, {}).charges;
    ASSERT_EQ(charges.size(), 1u);
    EXPECT_EQ(charges[0].result, domain::ChargeResult::kUnknown);
    EXPECT_EQ(subs.Find(s.id)->status, domain::SubscriptionStatus::kActive);
  }
  EXPECT_GE(resends, 3);
  ASSERT_EQ(answer.status, 200) << answer.body;  // -785: it was charged
  EXPECT_EQ(Json(answer).at("data").at("result").as_string(), "PAID");
  EXPECT_TRUE(Json(answer).at("data").as_object().contains("renewalOrderId"));
  EXPECT_EQ(Ledger().size(), 1u);
  EXPECT_EQ(subs.Find(s.id)->status, domain::SubscriptionStatus::kActive);
  EXPECT_EQ(subs.Find(s.id)->last_paid_date, Today());
}

TEST_P(BillingApiTest, InternalEndpoint_RejectsOutsidersAndBadRequests) {
  auto due = DueToday();
  auto day = due[0].next_payment_date.ToString();
  EXPECT_EQ(Charge(due[0].id, day, 1, "wrong-token").status, 403);
  EXPECT_EQ(Send("POST", "/internal/subscriptions/1/charge", R"({"dueDate":"2026-01-01","attempt":1})").status, 403);
  EXPECT_EQ(Charge(due[0].id, day, 1, kToken, "sub-other").status, 400);
  EXPECT_EQ(Charge(due[0].id, "2026-13-01", 1).status, 400);
  EXPECT_EQ(Charge(due[0].id, day, 9).status, 400);
  EXPECT_EQ(Charge(999999, day, 1).status, 404);
  EXPECT_EQ(Charge(due[0].id, Today().AddDays(40).ToString(), 1).status, 409);  // not this cycle
  EXPECT_EQ(Charge(due[0].id, day, 2).status, 409);                             // not this attempt
  EXPECT_TRUE(Ledger().empty());
}

// An empty dueDate passed the date check, and the handler then read the date
// out of an empty optional: the Idempotency-Key it demanded (and the date it
// would charge) came from whatever the worker thread's stack held, so the same
// request answered differently from one run to the next.
TEST_P(BillingApiTest, InternalEndpoint_AnEmptyDueDate_IsAFieldErrorNotAGuessedDate) {
  auto answer = Send("POST", "/internal/subscriptions/1/charge", R"({"dueDate":"","attempt":1})",
                     {"X-Internal-Token: " + std::string(kToken), "Idempotency-Key: sub-1--1"});
  ASSERT_EQ(answer.status, 400) << answer.body;
  auto problem = Json(answer);
  const auto& errors = problem.at("errors").as_array();
  ASSERT_EQ(errors.size(), 1u) << answer.body;
  EXPECT_EQ(errors[0].at("field").as_string(), "dueDate");
  EXPECT_TRUE(Ledger().empty());
}

TEST_P(BillingApiTest, Scheduler_RunsADateOnceEvenWhenTwoProcessesTry) {
  storage::Database db(config_.db_url, 2);
  storage::SubscriptionRepository subs(db);
  storage::BillingRunLockRepository locks(db);
  batch::HttpChargeCycles charges({base_, kToken});
  infra::SystemClock clock;
  app::BillingScheduler first(subs, locks, charges, clock, "00:00"), second(subs, locks, charges, clock, "00:00");
  first.Start();  // the loop runs today's job at once (00:00 has passed)
  ASSERT_TRUE([&] {
    for (int i = 0; i < 100; ++i) {
      std::int64_t total = 0;
      auto runs = subs.Runs({1, 10}, total);
      if (total == 1 && runs[0].status == domain::BillingRunStatus::kCompleted) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }());
  first.Stop();
  EXPECT_FALSE(second.RunOnce(Today()));  // the date is taken
  EXPECT_EQ(Ledger().size(), 6u);
}

// serve with its in-process scheduler (single node, issue #19 item 9): the
// day's run charges through the billing service in this process, not through
// an HTTP call back into itself.
class BillingSchedulerApiTest : public BillingApiTest {
 protected:
  void Configure(infra::Config& config) override {
    config.billing_scheduler = true;
    config.billing_time = "00:00";  // passed: the scheduler runs today's job at start
  }
};

TEST_P(BillingSchedulerApiTest, ServeScheduler_ChargesEachDueCycleOnceInProcess_NotThroughTheInternalEndpoint) {
  storage::Database db(config_.db_url, 1);
  storage::SubscriptionRepository subs(db);
  std::vector<storage::BatchRun> runs;
  ASSERT_TRUE([&] {
    for (int i = 0; i < 200; ++i) {
      std::int64_t total = 0;
      runs = subs.Runs({1, 10}, total);
      if (total == 1 && runs[0].status == domain::BillingRunStatus::kCompleted) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }());
  EXPECT_EQ(runs[0].due, 6);
  EXPECT_EQ(runs[0].paid, 6);
  EXPECT_EQ(Ledger().size(), 6u);
  EXPECT_TRUE(DueToday().empty());
  auto metrics = Send("GET", "/metrics").body;
  EXPECT_NE(metrics.find("pillivery_billing_grouped_charges_total{step=\"outcome\"}"), std::string::npos);
  EXPECT_EQ(metrics.find("/internal/subscriptions/{id}/charge"), std::string::npos);
}

// serve with its in-process scheduler (single node): the stop that SIGTERM
// starts must end within 10 s even while the day's run waits on a slow
// gateway. 60 cycles due, 16 charges at a time, 4 s per gateway call: the run
// alone would take 16 s.
class BillingShutdownApiTest : public BillingApiTest {
 protected:
  void Configure(infra::Config& config) override {
    config.billing_scheduler = true;
    config.billing_time = "00:00";  // passed: the scheduler runs today's job at start
    Faults(R"({"latencyMs":4000})");
  }
  void Seed(storage::Database& db) override {
    BillingApiTest::Seed(db);
    auto lease = db.Acquire();
    std::string today = Today().ToString();
    *lease << "UPDATE subscriptions SET next_payment_date = :d, next_attempt_date = :d2", soci::use(today),
        soci::use(today);
    *lease << "SELECT COUNT(*) FROM subscriptions", soci::into(subscriptions_);
  }
  int subscriptions_ = 0;
};

TEST_P(BillingShutdownApiTest, StopWhileTheSchedulerCharges_EndsWithin10SecondsAndLaterChargesEachCycleOnce) {
  ASSERT_EQ(subscriptions_, 60);
  auto due = DueToday();
  {  // the run has started charging
    storage::Database db(config_.db_url, 1);
    storage::SubscriptionRepository subs(db);
    ASSERT_TRUE([&] {
      for (int i = 0; i < 200; ++i) {
        std::int64_t total = 0;
        if (!subs.Runs({1, 10}, total).empty()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
      }
      return false;
    }());
  }
  auto began = std::chrono::steady_clock::now();
  app_->BeginDrain();
  app_->Stop();
  auto took = std::chrono::steady_clock::now() - began;
  EXPECT_LT(took, std::chrono::seconds(10));
  app_.reset();

  storage::Database db(config_.db_url, 2);
  storage::SubscriptionRepository subs(db);
  std::int64_t total = 0;
  auto runs = subs.Runs({1, 10}, total);
  ASSERT_EQ(total, 1);
  EXPECT_EQ(runs[0].status, domain::BillingRunStatus::kIncomplete);  // stopped early, claim released
  EXPECT_LT(static_cast<int>(Ledger().size()), 60);

  // The next run (another process, a fast gateway) charges what is left, nothing twice.
  ASSERT_EQ(HttpCall("DELETE", sim_ + "/__faults").status, 200);
  config_.billing_scheduler = false;
  app_ = std::make_unique<app::Application>(config_, false);
  base_ = "http://127.0.0.1:" + std::to_string(app_->Start());
  EXPECT_TRUE(RunBatch().completed);
  ExpectEachChargedOnce(due);
}

INSTANTIATE_TEST_SUITE_P(Engines, BillingApiTest, ::testing::ValuesIn(Engines()),
                         [](const auto& info) { return info.param; });
INSTANTIATE_TEST_SUITE_P(Engines, BillingSchedulerApiTest, ::testing::ValuesIn(Engines()),
                         [](const auto& info) { return info.param; });
INSTANTIATE_TEST_SUITE_P(Engines, BillingShutdownApiTest, ::testing::ValuesIn(Engines()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace pillivery::testing
