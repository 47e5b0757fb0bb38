// Issue #6, the exactly-once test: thousands of due subscriptions, the real
// `pillivery serve`, `pg-simulator` and `pillivery batch run` binaries, the
// gateway failing 20% of calls (refused connections, lost responses after
// charging, 5xx, soft and hard declines), the batch SIGKILLed twice at random
// points and re-run until it completes; then every subscription is reconciled
// with the simulator's ledger and the database.
//
// The cycles fall due five days before the server's today, and the batch is run
// for the due date and for each retry day (+1, +3, +5) with `--date`, so soft
// declines go through the whole retry ladder against the unmodified server.
//
// Random choices come from one seed, printed at the start; PILLIVERY_TEST_SEED
// repeats a run. PILLIVERY_EXACTLY_ONCE_SUBSCRIPTIONS overrides the count.
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "domain/subscription.hpp"
#include "importer/load_seeder.hpp"
#include "infra/clock.hpp"
#include "storage/database.hpp"
#include "storage/item_repository.hpp"
#include "storage/migrations.hpp"
#include "storage/row_reader.hpp"
#include "storage/subscription_repository.hpp"
#include "support/catalog_fixtures.hpp"
#include "support/test_support.hpp"

#include <cstdlib>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <thread>

namespace pillivery::testing {
namespace {

constexpr const char* kToken = "exactly-once-internal-token-0123456789";
constexpr std::int64_t kInitialStock = 10'000'000;
constexpr int kMaxRunsPerDay = 12;

// 10,000 on each engine, as the issue asks (about 45 s on SQLite and 100 s on
// MariaDB in a debug build on two cores).
std::int64_t SubscriptionCount() {
  if (const char* n = std::getenv("PILLIVERY_EXACTLY_ONCE_SUBSCRIPTIONS"); n && *n) return std::atoll(n);
  return 10'000;
}

std::uint64_t TestSeed() {
  if (const char* s = std::getenv("PILLIVERY_TEST_SEED"); s && *s) return std::strtoull(s, nullptr, 10);
  return std::random_device{}();
}

boost::json::value ParseJson(const HttpResult& r) { return boost::json::parse(r.body); }

// Waits for a child to exit by itself, up to `timeout`; its exit status, or nullopt if still running.
std::optional<int> WaitExit(ChildProcess& child, std::chrono::seconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (child.Running()) {
    if (std::chrono::steady_clock::now() > deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return child.Terminate();  // already exited: only reads the status
}

struct LedgerEntry {
  std::string sid;
  std::int64_t amount = 0;
};

struct ChargeRow {
  std::int64_t subscription_id = 0;
  std::string due_date;
  int attempt = 0;
  std::string partner_order_id;
  std::int64_t amount = 0;
  domain::ChargeResult result = domain::ChargeResult::kUnknown;  // an unreadable code reads as UNKNOWN
  std::string decline_code;
  std::optional<std::int64_t> renewal_order_id;
};

class ExactlyOnceBillingTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    infra::SetProcessTimeZone("Asia/Seoul");
    seed_ = TestSeed();
    rng_.seed(seed_);
    std::cout << "[exactly-once] engine=" << GetParam() << " seed=" << seed_ << " (PILLIVERY_TEST_SEED=" << seed_
              << " repeats the random choices)" << std::endl;
    RecordProperty("seed", std::to_string(seed_));
    count_ = SubscriptionCount();
    today_ = infra::BusinessDate(std::chrono::system_clock::now());
    due_ = today_.AddDays(-domain::kRetryOffsetsDays[2]);
    db_url_ = FreshDatabaseUrl(GetParam(), dir_);
    db_ = std::make_unique<storage::Database>(db_url_, 2);
    storage::Migrate(*db_, testing::RealClock());
    SeedDueSubscriptions();
  }

  void SeedDueSubscriptions() {
    storage::ItemRepository items(*db_, testing::RealClock());
    std::vector<domain::Item> catalog;
    for (int i = 0; i < 20; ++i)
      catalog.push_back(
          MakeItem("정기상품" + std::to_string(i), "브랜드", "면역", 9'000 + 500 * i, 50 * (i % 4), kInitialStock));
    items.InsertMany(catalog);
    importer::LoadSeedOptions o;
    o.users = 1'000;
    o.subscriptions = count_;
    o.seed = seed_;
    o.password_hash = "x";
    o.today = due_.ToString();
    o.due_today_one_in = 1;  // every one of them is due
    o.now_iso = infra::FormatIsoTime(std::chrono::system_clock::now());
    auto seeded = importer::SeedLoad(*db_, o);
    ASSERT_EQ(seeded.subscriptions, count_);
    storage::SubscriptionRepository subs(*db_);
    ASSERT_EQ(subs.CountDue(due_), count_);
  }

  std::int64_t Scalar(const std::string& sql) {
    auto lease = db_->Acquire();
    long long value = 0;
    *lease << sql, soci::into(value);
    return value;
  }

  std::map<std::string, std::string> ServerEnv(const Simulator& sim, int port) const {
    return {{"PILLIVERY_DB_URL", db_url_},
            {"PILLIVERY_HTTP_PORT", std::to_string(port)},
            {"PILLIVERY_KAKAOPAY_BASE_URL", sim.PaymentBaseUrl()},
            {"PILLIVERY_INTERNAL_TOKEN", kToken},
            {"PILLIVERY_JWT_SECRET", "exactly-once-jwt-secret-0123456789abcdef"},
            {"PILLIVERY_TIMEZONE", "Asia/Seoul"},
            {"PILLIVERY_LOG_LEVEL", "warn"},
            {"PILLIVERY_BILLING_SCHEDULER", "false"},
            {"PILLIVERY_WORKER_THREADS", "16"},
            {"PILLIVERY_GATEWAY_THREADS", "32"},
            {"PILLIVERY_DB_POOL_SIZE", "16"}};
  }

  ChildProcess StartBatch(domain::Date date, const std::string& api_url, int run) {
    return ChildProcess(BinaryPath("pillivery"),
                        {"batch", "run", "--date", date.ToString(), "--api-url", api_url, "--concurrency", "16"},
                        {{"PILLIVERY_DB_URL", db_url_},
                         {"PILLIVERY_INTERNAL_TOKEN", kToken},
                         {"PILLIVERY_TIMEZONE", "Asia/Seoul"},
                         {"PILLIVERY_LOG_LEVEL", "warn"}},
                        dir_.Path() / ("batch-" + date.ToString() + "-" + std::to_string(run) + ".log"));
  }

  std::map<std::string, std::vector<LedgerEntry>> LedgerByPartnerOrder(const std::string& sim_url) {
    auto ledger = ParseJson(HttpCall("GET", sim_url + "/__ledger")).at("payments").as_array();
    std::map<std::string, std::vector<LedgerEntry>> by_order;
    for (const auto& p : ledger) {
      EXPECT_EQ(p.at("kind").as_string(), "SUBSCRIPTION") << boost::json::serialize(p);
      by_order[std::string(p.at("partner_order_id").as_string())].push_back(
          {std::string(p.at("sid").as_string()), p.at("amount").to_number<std::int64_t>()});
    }
    return by_order;
  }

  std::vector<ChargeRow> AllCharges() {
    auto lease = db_->Acquire();
    std::vector<ChargeRow> charges;
    soci::rowset<soci::row> rows =
        (lease->prepare << "SELECT subscription_id, due_date, attempt, partner_order_id, amount, result, decline_code, "
                           "renewal_order_id FROM subscription_charges ORDER BY subscription_id, attempt");
    for (const auto& r : rows)
      charges.push_back({storage::GetInt64(r, 0), storage::GetString(r, 1), static_cast<int>(storage::GetInt64(r, 2)),
                         storage::GetString(r, 3), storage::GetInt64(r, 4),
                         domain::ParseChargeResult(storage::GetString(r, 5)).value_or(domain::ChargeResult::kUnknown),
                         storage::GetString(r, 6), storage::GetOptionalInt64(r, 7)});
    return charges;
  }

  TempDir dir_;
  std::uint64_t seed_ = 0;
  std::mt19937_64 rng_;
  std::int64_t count_ = 0;
  domain::Date today_, due_;
  std::string db_url_;
  std::unique_ptr<storage::Database> db_;
};

TEST_P(ExactlyOnceBillingTest, BatchKilledTwiceUnderGatewayFaults_ChargesEveryCycleAtMostOnceAndReconciles) {
  const auto started = std::chrono::steady_clock::now();
  Simulator sim(dir_.Path() / "sim.db");
  // 20% of gateway calls go wrong, in five kinds of 4% each.
  auto faults = HttpCall("POST", sim.BaseUrl() + "/__faults",
                         R"({"failureRates":{"connectionRefused":0.04,"lostResponse":0.04,"serverError":0.04,)"
                         R"("softDecline":0.04,"hardDecline":0.04},"seed":)" +
                             std::to_string(seed_ % 1'000'000'007) + "}");
  ASSERT_EQ(faults.status, 200) << faults.body;

  const int port = FreePort();
  const std::string api = "http://127.0.0.1:" + std::to_string(port);
  ChildProcess server(BinaryPath("pillivery"), {"serve"}, ServerEnv(sim, port), dir_.Path() / "serve.log");
  ASSERT_TRUE(WaitForHttp(api + "/health/live", std::chrono::seconds(60))) << "pillivery serve did not start";

  // Two SIGKILLs while the due date's run is under way, at random amounts of progress.
  std::vector<std::int64_t> kill_at{
      std::uniform_int_distribution<std::int64_t>(count_ * 5 / 100, count_ * 35 / 100)(rng_),
      std::uniform_int_distribution<std::int64_t>(count_ * 45 / 100, count_ * 80 / 100)(rng_)};
  std::cout << "[exactly-once] " << count_ << " subscriptions due " << due_.ToString() << "; SIGKILL after "
            << kill_at[0] << " and " << kill_at[1] << " recorded attempts" << std::endl;
  int kills = 0;
  const std::string finished_sql = "SELECT COUNT(*) FROM subscription_charges WHERE result <> 'PENDING'";

  // The due date, then each retry day of a soft decline.
  std::vector<domain::Date> days{due_};
  for (int offset : domain::kRetryOffsetsDays) days.push_back(due_.AddDays(offset));
  for (const auto& day : days) {
    bool completed = false;
    for (int run = 0; run < kMaxRunsPerDay && !completed; ++run) {
      ChildProcess batch = StartBatch(day, api, run);
      if (day == due_ && kills < static_cast<int>(kill_at.size())) {
        while (batch.Running() && Scalar(finished_sql) < kill_at[static_cast<size_t>(kills)])
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
        if (batch.Running()) {
          batch.Kill();
          std::cout << "[exactly-once] SIGKILL #" << ++kills << " at " << Scalar(finished_sql) << " recorded attempts"
                    << std::endl;
          continue;
        }
      }
      auto status = WaitExit(batch, std::chrono::minutes(10));
      ASSERT_TRUE(status.has_value()) << "batch run for " << day.ToString() << " did not finish";
      std::cout << "[exactly-once] batch --date " << day.ToString() << " run " << run << " exited " << *status
                << std::endl;
      completed = *status == 0;
    }
    ASSERT_TRUE(completed) << "the batch for " << day.ToString() << " did not complete in " << kMaxRunsPerDay
                           << " runs";
  }
  EXPECT_EQ(kills, 2) << "the batch finished before it could be killed twice";
  ASSERT_TRUE(server.Running()) << "pillivery serve died during the runs";

  // The faults were really injected, every kind of them.
  auto injected = ParseJson(HttpCall("GET", sim.BaseUrl() + "/__faults")).at("injected").as_object();
  for (const char* kind : {"connectionRefused", "lostResponse", "serverError", "softDecline", "hardDecline"})
    EXPECT_GT(injected.contains(kind) ? injected.at(kind).to_number<std::int64_t>() : 0, 0) << kind;
  std::cout << "[exactly-once] injected " << boost::json::serialize(injected) << std::endl;

  // --- Reconciliation -------------------------------------------------------
  storage::SubscriptionRepository subs(*db_);
  auto ledger = LedgerByPartnerOrder(sim.BaseUrl());
  auto charges = AllCharges();

  // No cycle charged twice at the gateway.
  for (const auto& [partner_order_id, entries] : ledger)
    EXPECT_EQ(entries.size(), 1u) << partner_order_id << " was charged " << entries.size() << " times";

  // Every attempt ended; every decline carries its code.
  std::map<std::int64_t, std::vector<const ChargeRow*>> by_subscription;
  std::map<std::string, const ChargeRow*> paid_by_partner_order;
  for (const auto& c : charges) {
    by_subscription[c.subscription_id].push_back(&c);
    EXPECT_TRUE(c.result == domain::ChargeResult::kPaid || c.result == domain::ChargeResult::kSoftDeclined ||
                c.result == domain::ChargeResult::kHardDeclined)
        << "subscription " << c.subscription_id << " attempt " << c.attempt << " is still " << domain::CodeOf(c.result);
    EXPECT_EQ(c.due_date, due_.ToString()) << c.subscription_id;
    EXPECT_EQ(c.partner_order_id, domain::CyclePartnerOrderId(c.subscription_id, due_));
    if (c.result == domain::ChargeResult::kPaid) {
      EXPECT_TRUE(paid_by_partner_order.emplace(c.partner_order_id, &c).second)
          << c.partner_order_id << " has two PAID attempts";
      EXPECT_TRUE(c.decline_code.empty());
    } else if (c.result != domain::ChargeResult::kPending && c.result != domain::ChargeResult::kUnknown) {
      EXPECT_FALSE(c.decline_code.empty()) << "subscription " << c.subscription_id << " attempt " << c.attempt;
    }
  }

  // None due and chargeable is left: each cycle ended PAID, or in PAYMENT_FAILED
  // after a hard decline or the last soft decline.
  EXPECT_EQ(subs.CountDue(today_), 0);
  int paid = 0, failed = 0;
  std::map<std::int64_t, std::int64_t> sold_by_item;
  for (std::int64_t id = 1; id <= count_; ++id) {
    auto sub = subs.Find(id);
    ASSERT_TRUE(sub.has_value()) << id;
    const auto& attempts = by_subscription[id];
    ASSERT_FALSE(attempts.empty()) << "subscription " << id << " was never charged";
    const ChargeRow& last = *attempts.back();
    for (size_t i = 0; i + 1 < attempts.size(); ++i)
      EXPECT_EQ(attempts[i]->result, domain::ChargeResult::kSoftDeclined)
          << "subscription " << id << " went on after " << domain::CodeOf(attempts[i]->result);
    if (last.result == domain::ChargeResult::kPaid) {
      ++paid;
      EXPECT_EQ(sub->status, domain::SubscriptionStatus::kActive) << id;
      EXPECT_GT(sub->next_payment_date, today_) << id;
      sold_by_item[sub->item_id] += sub->quantity;
    } else {
      ++failed;
      EXPECT_EQ(sub->status, domain::SubscriptionStatus::kPaymentFailed) << id;
      EXPECT_TRUE(last.result == domain::ChargeResult::kHardDeclined || last.attempt == domain::kMaxAttemptsPerCycle)
          << "subscription " << id << " stopped after attempt " << last.attempt << " " << domain::CodeOf(last.result);
    }
  }
  EXPECT_EQ(paid + failed, count_);
  EXPECT_GT(failed, 0);  // the declines did happen

  // Every renewal order has exactly one ledger payment of its amount, and no
  // ledger payment is without a renewal order.
  std::int64_t renewals = 0;
  {
    auto lease = db_->Acquire();
    soci::rowset<soci::row> rows = (lease->prepare << "SELECT o.id, o.source_subscription_id, o.total_price, o.status, "
                                                      "s.sid FROM orders o JOIN subscriptions s ON "
                                                      "s.id = o.source_subscription_id ORDER BY o.id");
    std::set<std::int64_t> renewal_ids;
    for (const auto& r : rows) {
      ++renewals;
      std::int64_t order_id = storage::GetInt64(r, 0), sub_id = storage::GetInt64(r, 1);
      renewal_ids.insert(order_id);
      EXPECT_EQ(storage::GetString(r, 3), "PAID") << order_id;
      auto partner_order_id = domain::CyclePartnerOrderId(sub_id, due_);
      auto entry = ledger.find(partner_order_id);
      ASSERT_NE(entry, ledger.end()) << "renewal order " << order_id << " has no ledger payment";
      ASSERT_EQ(entry->second.size(), 1u);
      EXPECT_EQ(entry->second[0].amount, storage::GetInt64(r, 2)) << "renewal order " << order_id;
      EXPECT_EQ(entry->second[0].sid, storage::GetString(r, 4)) << "renewal order " << order_id;
      auto charge = paid_by_partner_order.find(partner_order_id);
      ASSERT_NE(charge, paid_by_partner_order.end()) << "renewal order " << order_id << " has no PAID charge";
      EXPECT_EQ(charge->second->renewal_order_id, order_id);
      EXPECT_EQ(charge->second->amount, storage::GetInt64(r, 2));
    }
    EXPECT_EQ(renewal_ids.size(), paid_by_partner_order.size());
  }
  for (const auto& [partner_order_id, entries] : ledger)
    EXPECT_TRUE(paid_by_partner_order.count(partner_order_id))
        << partner_order_id << " was charged at the gateway but has no PAID charge and renewal order";
  EXPECT_EQ(renewals, paid);
  EXPECT_EQ(static_cast<std::int64_t>(ledger.size()), paid);

  // Stock: each paid cycle took its quantity once; declined cycles gave theirs back.
  {
    auto lease = db_->Acquire();
    soci::rowset<soci::row> rows = (lease->prepare << "SELECT id, stock FROM items");
    for (const auto& r : rows)
      EXPECT_EQ(storage::GetInt64(r, 1), kInitialStock - sold_by_item[storage::GetInt64(r, 0)])
          << "item " << storage::GetInt64(r, 0);
  }

  std::cout << "[exactly-once] " << paid << " paid, " << failed << " failed, " << charges.size() << " attempts, "
            << std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started).count()
            << " s" << std::endl;
}

INSTANTIATE_TEST_SUITE_P(Engines, ExactlyOnceBillingTest, ::testing::ValuesIn(Engines()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace pillivery::testing
