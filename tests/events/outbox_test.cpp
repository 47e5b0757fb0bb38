#include "domain/error.hpp"
#include "events/backoff.hpp"
#include "events/outbox_admin.hpp"
#include "events/outbox_processor.hpp"
#include "events/outbox_writer.hpp"
#include "storage/migrations.hpp"

#include "storage/unit_of_work_session.hpp"

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "support/statement_counter.hpp"
#include "support/test_support.hpp"

namespace pillivery::events {
namespace {

using namespace std::chrono_literals;
using storage::Database;
using storage::Dialect;

// The schema a test handler writes its effects to.
constexpr const char* kEffectsSchema = R"SQL(CREATE TABLE effects (
  event_id BIGINT NOT NULL,
  actor VARCHAR(100) NOT NULL
){{TABLE}})SQL";
constexpr const char* kCountersSchema = R"SQL(CREATE TABLE counters (
  name VARCHAR(50) NOT NULL PRIMARY KEY,
  n BIGINT NOT NULL
){{TABLE}})SQL";

double MetricValue(prometheus::Registry& registry, const std::string& name, const std::string& label,
                   const std::string& value) {
  for (const auto& family : registry.Collect()) {
    if (family.name != name) continue;
    for (const auto& metric : family.metric)
      for (const auto& pair : metric.label)
        if (pair.name == label && pair.value == value)
          return family.type == prometheus::MetricType::Gauge ? metric.gauge.value : metric.counter.value;
  }
  return 0;
}

// One suite, both engines: SQLite always, MariaDB when the test services run.
class OutboxTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    url_ = testing::FreshDatabaseUrl(GetParam(), dir_);
    db_ = std::make_unique<Database>(url_, 4);
    storage::Migrate(*db_, testing::RealClock());
    admin_ = std::make_unique<OutboxAdmin>(*db_, clock_);
    auto lease = db_->Acquire();
    *lease << storage::RenderSchema(db_->GetDialect(), kEffectsSchema);
    *lease << storage::RenderSchema(db_->GetDialect(), kCountersSchema);
    *lease << "INSERT INTO counters(name, n) VALUES('sales', 0)";
  }

  ProcessorOptions Options(int max_attempts = 8) {
    ProcessorOptions options;
    options.max_attempts = max_attempts;
    options.backoff.jitter = 0;  // an exact schedule; jitter has its own test
    options.lease = 30s;
    return options;
  }

  std::int64_t AppendCommitted(const std::string& type, boost::json::object payload = {{"quantity", 2}}) {
    storage::UnitOfWork work(*db_);
    auto id = writer_.Append(work, type, "order-1", payload);
    work.Commit();
    return id;
  }

  EventRecord Get(std::int64_t id) {
    auto record = admin_->Find(id);
    if (!record) throw std::runtime_error("event " + std::to_string(id) + " is missing");
    return *record;
  }

  std::int64_t Scalar(const std::string& sql) {
    auto lease = db_->Acquire();
    long long value = 0;
    *lease << sql, soci::into(value);
    return value;
  }

  // A handler whose effect is visible and additive, so doing it twice shows.
  TransactionalHandler CountSales(const std::string& actor, std::atomic<int>* calls = nullptr) {
    return [actor, calls](const Event& event, storage::UnitOfWork& work) {
      soci::session& session = storage::SessionOf(work);
      if (calls) ++*calls;
      long long quantity = event.payload.at("quantity").as_int64();
      long long id = event.id;
      session << "UPDATE counters SET n = n + :q WHERE name = 'sales'", soci::use(quantity);
      session << "INSERT INTO effects(event_id, actor) VALUES(:e, :a)", soci::use(id), soci::use(actor);
    };
  }

  testing::TempDir dir_;
  std::string url_;
  std::unique_ptr<Database> db_;
  infra::ManualClock clock_;
  OutboxWriter writer_{clock_};
  std::unique_ptr<OutboxAdmin> admin_;
};

TEST_P(OutboxTest, Writer_WhenTransactionRollsBack_EventNeverAppears) {
  {
    storage::UnitOfWork work(*db_);
    writer_.Append(work, "sales.count", "order-1", {{"quantity", 1}});
  }  // no commit
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM outbox_events"), 0);

  OutboxProcessor processor(*db_, clock_, Options());
  processor.Handle("sales.count", "sales", CountSales("p"));
  EXPECT_EQ(processor.RunOnce(10), 0);
  EXPECT_EQ(Scalar("SELECT n FROM counters"), 0);
}

TEST_P(OutboxTest, Writer_WhenTransactionCommits_StoresAPendingEventDueNow) {
  auto id = AppendCommitted("sales.count", {{"quantity", 3}, {"itemIds", {1, 2}}});
  auto record = Get(id);
  EXPECT_EQ(record.status, EventStatus::kPending);
  EXPECT_EQ(record.event.type, "sales.count");
  EXPECT_EQ(record.event.aggregate_id, "order-1");
  EXPECT_EQ(record.event.payload.at("quantity").as_int64(), 3);
  EXPECT_EQ(record.event.payload.at("itemIds").as_array().size(), 2u);
  EXPECT_EQ(record.event.attempts, 0);
  EXPECT_EQ(record.next_attempt_at, clock_.Now());
  EXPECT_EQ(record.event.created_at, clock_.Now());
}

TEST_P(OutboxTest, Processor_WhenHandlerSucceeds_MarksEventDoneAndCountsIt) {
  prometheus::Registry registry;
  OutboxProcessor processor(*db_, clock_, Options(), &registry);
  processor.Handle("sales.count", "sales", CountSales("p"));
  auto first = AppendCommitted("sales.count");
  auto second = AppendCommitted("sales.count");
  EXPECT_EQ(processor.CountPending(), 2);
  EXPECT_EQ(MetricValue(registry, "pillivery_outbox_events", "state", "pending"), 2);

  EXPECT_EQ(processor.RunOnce(10), 2);

  for (auto id : {first, second}) {
    auto record = Get(id);
    EXPECT_EQ(record.status, EventStatus::kDone);
    EXPECT_EQ(record.event.attempts, 1);
    EXPECT_EQ(record.processed_at, clock_.Now());
  }
  EXPECT_EQ(Scalar("SELECT n FROM counters"), 4);
  EXPECT_EQ(processor.RunOnce(10), 0);
  EXPECT_EQ(processor.CountPending(), 0);
  EXPECT_EQ(MetricValue(registry, "pillivery_outbox_events_processed_total", "type", "sales.count"), 2);
  EXPECT_EQ(MetricValue(registry, "pillivery_outbox_events", "state", "pending"), 0);
}

TEST_P(OutboxTest, Processor_WhenHandlerFails_RetriesOnAnExponentialScheduleCappedAtFiveMinutes) {
  OutboxProcessor processor(*db_, clock_, Options(12));
  processor.Handle("sales.count", "sales",
                   [](const Event&, storage::UnitOfWork&) { throw std::runtime_error("boom"); });
  auto id = AppendCommitted("sales.count");

  const std::vector<std::chrono::milliseconds> schedule{1s, 2s, 4s, 8s, 16s, 32s, 64s, 128s, 256s, 300s, 300s};
  for (std::size_t i = 0; i < schedule.size(); ++i) {
    SCOPED_TRACE("attempt " + std::to_string(i + 1));
    ASSERT_EQ(processor.RunOnce(10), 1);
    auto record = Get(id);
    EXPECT_EQ(record.status, EventStatus::kPending);
    EXPECT_EQ(record.event.attempts, static_cast<int>(i + 1));
    EXPECT_EQ(record.next_attempt_at - clock_.Now(), schedule[i]);
    EXPECT_NE(record.last_error.find("boom"), std::string::npos);
    // Not due a millisecond early, due exactly on time.
    clock_.Advance(schedule[i] - 1ms);
    EXPECT_EQ(processor.RunOnce(10), 0);
    clock_.Advance(1ms);
  }
}

TEST(Backoff, WithJitter_StaysBetweenItsFloorAndTheSchedule) {
  BackoffPolicy policy;  // 1 s, ×2, cap 5 min, jitter 0.2
  EXPECT_EQ(BackoffDelay(policy, 1, 0.0), 1000ms);
  EXPECT_EQ(BackoffDelay(policy, 1, 1.0), 800ms);
  EXPECT_EQ(BackoffDelay(policy, 4, 0.5), 7200ms);
  EXPECT_EQ(BackoffDelay(policy, 9, 0.0), 256s);
  EXPECT_EQ(BackoffDelay(policy, 10, 0.0), 300s);
  EXPECT_EQ(BackoffDelay(policy, 1000, 0.0), 300s);  // no overflow far past the cap
  EXPECT_EQ(BackoffDelay(policy, 1000, 1.0), 240s);
}

TEST_P(OutboxTest, Processor_WhenHandlerFailsEveryTime_MovesEventToDeadLetter) {
  prometheus::Registry registry;
  OutboxProcessor processor(*db_, clock_, Options(3), &registry);
  processor.Handle("sales.count", "sales",
                   [](const Event&, storage::UnitOfWork&) { throw std::runtime_error("gateway said no"); });
  auto id = AppendCommitted("sales.count");
  auto other = AppendCommitted("other.type");  // not dead: must not show up in the list
  {
    auto lease = db_->Acquire();
    long long key = other;
    *lease << "UPDATE outbox_events SET status = 'DONE' WHERE id = :id", soci::use(key);
  }

  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(processor.RunOnce(10), 1);
    clock_.Advance(10min);
  }
  auto record = Get(id);
  EXPECT_EQ(record.status, EventStatus::kDead);
  EXPECT_EQ(record.event.attempts, 3);
  EXPECT_EQ(record.last_error, "sales: gateway said no");
  EXPECT_EQ(processor.RunOnce(10), 0);  // dead letters are left alone

  auto page = admin_->ListDead(1, 20);
  ASSERT_EQ(page.total, 1);
  ASSERT_EQ(page.events.size(), 1u);
  EXPECT_EQ(page.events[0].event.id, id);
  EXPECT_EQ(page.events[0].event.attempts, 3);
  EXPECT_EQ(page.events[0].last_error, "sales: gateway said no");
  EXPECT_TRUE(admin_->ListDead(2, 20).events.empty());

  processor.CountPending();
  EXPECT_EQ(MetricValue(registry, "pillivery_outbox_events_failed_total", "type", "sales.count"), 3);
  EXPECT_EQ(MetricValue(registry, "pillivery_outbox_events_dead_total", "type", "sales.count"), 1);
  EXPECT_EQ(MetricValue(registry, "pillivery_outbox_events", "state", "dead"), 1);
}

TEST_P(OutboxTest, Admin_Replay_ResetsADeadLetterAndItIsHandledAgain) {
  bool broken = true;
  OutboxProcessor processor(*db_, clock_, Options(1));
  auto sales = CountSales("p");
  processor.Handle("sales.count", "sales", [&](const Event& e, storage::UnitOfWork& work) {
    if (broken) throw std::runtime_error("not yet");
    sales(e, work);
  });
  auto id = AppendCommitted("sales.count");
  ASSERT_EQ(processor.RunOnce(10), 1);
  ASSERT_EQ(Get(id).status, EventStatus::kDead);

  broken = false;
  clock_.Advance(1h);
  admin_->Replay(id);
  auto replayed = Get(id);
  EXPECT_EQ(replayed.status, EventStatus::kPending);
  EXPECT_EQ(replayed.event.attempts, 0);
  EXPECT_EQ(replayed.next_attempt_at, clock_.Now());

  ASSERT_EQ(processor.RunOnce(10), 1);
  EXPECT_EQ(Get(id).status, EventStatus::kDone);
  EXPECT_EQ(Scalar("SELECT n FROM counters"), 2);
  EXPECT_TRUE(admin_->ListDead(1, 20).events.empty());
}

TEST_P(OutboxTest, Admin_Replay_WhenMissingOrNotDead_AnswersNotFoundOrConflict) {
  auto id = AppendCommitted("sales.count");
  try {
    admin_->Replay(id + 100);
    FAIL() << "expected EVENT_NOT_FOUND";
  } catch (const domain::Error& e) {
    EXPECT_EQ(e.Kind(), domain::ErrorKind::kNotFound);
    EXPECT_EQ(e.Code(), "EVENT_NOT_FOUND");
  }
  try {
    admin_->Replay(id);
    FAIL() << "expected EVENT_NOT_DEAD";
  } catch (const domain::Error& e) {
    EXPECT_EQ(e.Kind(), domain::ErrorKind::kConflict);
    EXPECT_EQ(e.Code(), "EVENT_NOT_DEAD");
  }
  EXPECT_EQ(Get(id).status, EventStatus::kPending);
}

TEST_P(OutboxTest, Processor_WhenEventTypeHasNoHandler_RetriesThenDeadLetters) {
  OutboxProcessor processor(*db_, clock_, Options(2));
  auto id = AppendCommitted("nobody.listens");
  ASSERT_EQ(processor.RunOnce(10), 1);
  EXPECT_EQ(Get(id).status, EventStatus::kPending);
  clock_.Advance(1min);
  ASSERT_EQ(processor.RunOnce(10), 1);
  auto record = Get(id);
  EXPECT_EQ(record.status, EventStatus::kDead);
  EXPECT_NE(record.last_error.find("no handler"), std::string::npos);
}

TEST_P(OutboxTest, Processor_WhenClaimerDiesMidHandling_EventIsReclaimedAfterTheLease) {
  auto id = AppendCommitted("sales.count");
  std::vector<Event> abandoned;
  {
    ProcessorOptions options = Options();
    options.instance_id = "doomed";
    OutboxProcessor doomed(*db_, clock_, options);
    abandoned = doomed.Claim(10);  // claimed, then the "process" is gone
  }
  ASSERT_EQ(abandoned.size(), 1u);
  EXPECT_EQ(Get(id).status, EventStatus::kProcessing);

  OutboxProcessor survivor(*db_, clock_, Options());
  survivor.Handle("sales.count", "sales", CountSales("survivor"));
  EXPECT_EQ(survivor.RunOnce(10), 0);  // the lease still protects it
  clock_.Advance(30s);
  EXPECT_EQ(survivor.RunOnce(10), 0);  // a lease ends strictly after its time
  clock_.Advance(1ms);
  ASSERT_EQ(survivor.RunOnce(10), 1);

  auto record = Get(id);
  EXPECT_EQ(record.status, EventStatus::kDone);
  EXPECT_EQ(record.event.attempts, 2);  // the lost delivery counts toward the limit
  EXPECT_EQ(Scalar("SELECT n FROM counters"), 2);
}

TEST_P(OutboxTest, Processor_WhenBatchOutlivesHalfItsLease_GivesBackTheEventsNotStarted) {
  OutboxProcessor processor(*db_, clock_, Options());  // lease 30 s
  auto sales = CountSales("p");
  processor.Handle("sales.count", "sales", [&](const Event& e, storage::UnitOfWork& work) {
    sales(e, work);
    clock_.Advance(16s);  // a slow handler
  });
  auto first = AppendCommitted("sales.count");
  auto second = AppendCommitted("sales.count");

  ASSERT_EQ(processor.RunOnce(10), 2);
  EXPECT_EQ(Get(first).status, EventStatus::kDone);
  auto released = Get(second);
  EXPECT_EQ(released.status, EventStatus::kPending);
  EXPECT_EQ(released.event.attempts, 0);  // never started, so not an attempt
  ASSERT_EQ(processor.RunOnce(10), 1);
  EXPECT_EQ(Get(second).status, EventStatus::kDone);
  EXPECT_EQ(Scalar("SELECT n FROM counters"), 4);
}

TEST_P(OutboxTest, Processor_WhenEventIsDeliveredTwice_HandlerEffectHappensOnce) {
  std::atomic<int> calls{0};
  auto id = AppendCommitted("sales.count");
  OutboxProcessor slow(*db_, clock_, [&] {
    auto o = Options();
    o.instance_id = "slow";
    return o;
  }());
  slow.Handle("sales.count", "sales", CountSales("slow", &calls));
  OutboxProcessor fast(*db_, clock_, Options());
  fast.Handle("sales.count", "sales", CountSales("fast", &calls));

  // "slow" claims and stalls past its lease; "fast" takes over and finishes.
  auto batch = slow.Claim(10);
  ASSERT_EQ(batch.size(), 1u);
  clock_.Advance(31s);
  ASSERT_EQ(fast.RunOnce(10), 1);
  EXPECT_EQ(Get(id).status, EventStatus::kDone);
  // The stalled delivery resumes: the handler is skipped and its stale lease cannot
  // overwrite the outcome.
  slow.Process(batch[0]);

  EXPECT_EQ(calls.load(), 1);
  EXPECT_EQ(Scalar("SELECT n FROM counters"), 2);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM effects"), 1);
  EXPECT_EQ(Get(id).status, EventStatus::kDone);

  // A crash after the handler committed but before DONE was written redelivers it.
  {
    auto lease = db_->Acquire();
    long long key = id;
    *lease << "UPDATE outbox_events SET status = 'PENDING' WHERE id = :id", soci::use(key);
  }
  ASSERT_EQ(fast.RunOnce(10), 1);
  EXPECT_EQ(calls.load(), 1);
  EXPECT_EQ(Scalar("SELECT n FROM counters"), 2);
  EXPECT_EQ(Get(id).status, EventStatus::kDone);
}

TEST_P(OutboxTest, Processor_ExternalHandler_GetsNoTransactionAndIsNotRepeatedWhenALaterHandlerRetries) {
  std::atomic<int> gateway_calls{0};
  std::atomic<int> sales_calls{0};
  bool in_transaction_elsewhere = false;
  OutboxProcessor processor(*db_, clock_, Options());
  processor.HandleExternal("payment.refund", "gateway-refund", [&](const Event& event) {
    ++gateway_calls;
    // Another connection can write while the external call runs: no transaction
    // (and on SQLite no write lock) is held by the processor.
    auto lease = db_->Acquire();
    storage::Transaction tx(*lease, db_->GetDialect());
    long long id = event.id;
    *lease << "INSERT INTO effects(event_id, actor) VALUES(:e, 'gateway')", soci::use(id);
    tx.Commit();
    in_transaction_elsewhere = true;
  });
  auto sales = CountSales("p", &sales_calls);
  bool broken = true;
  processor.Handle("payment.refund", "refund-sales", [&](const Event& e, storage::UnitOfWork& work) {
    if (broken) throw std::runtime_error("database hiccup");
    sales(e, work);
  });
  auto id = AppendCommitted("payment.refund");

  ASSERT_EQ(processor.RunOnce(10), 1);
  EXPECT_EQ(Get(id).status, EventStatus::kPending);
  EXPECT_EQ(Get(id).last_error, "refund-sales: database hiccup");
  broken = false;
  clock_.Advance(1s);
  ASSERT_EQ(processor.RunOnce(10), 1);

  EXPECT_EQ(Get(id).status, EventStatus::kDone);
  EXPECT_TRUE(in_transaction_elsewhere);
  EXPECT_EQ(gateway_calls.load(), 1);
  EXPECT_EQ(sales_calls.load(), 1);
}

TEST_P(OutboxTest, Processor_RunningInBackground_HandlesEventsAfterNotify) {
  infra::SystemClock system_clock;
  OutboxWriter writer(system_clock);
  auto options = Options();
  options.poll_interval = 10s;  // only Notify() can make this test finish in time
  OutboxProcessor processor(*db_, system_clock, options);
  processor.Handle("sales.count", "sales", CountSales("p"));
  processor.Start();
  std::int64_t id = 0;
  {
    storage::UnitOfWork work(*db_);
    id = writer.Append(work, "sales.count", "order-1", {{"quantity", 5}});
    work.Commit();
  }
  processor.Notify();
  auto deadline = std::chrono::steady_clock::now() + 5s;
  while (Get(id).status != EventStatus::kDone && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(5ms);
  processor.Stop();
  EXPECT_EQ(Get(id).status, EventStatus::kDone);
  EXPECT_EQ(Scalar("SELECT n FROM counters"), 5);
}

TEST_P(OutboxTest, Admin_PurgeDone_RemovesOldHandledEventsOnly) {
  OutboxProcessor processor(*db_, clock_, Options());
  processor.Handle("sales.count", "sales", CountSales("p"));
  auto old_id = AppendCommitted("sales.count");
  ASSERT_EQ(processor.RunOnce(10), 1);
  clock_.Advance(1h);
  auto waiting = AppendCommitted("sales.count");
  EXPECT_EQ(admin_->PurgeDone(clock_.Now() - 30min), 1);
  EXPECT_FALSE(admin_->Find(old_id));
  EXPECT_TRUE(admin_->Find(waiting));
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM processed_events"), 0);
}

// A batch of first deliveries costs a fixed number of statements, however many
// events it holds: the claim, one transaction for the transactional handlers
// (DONE fenced by the lease, the handlers' own statements, the markers), and one
// marker insert plus one DONE update for the external ones.
TEST_P(OutboxTest, Processor_FirstDeliveries_AreHandledInOneTransaction) {
  prometheus::Registry registry;
  OutboxProcessor processor(*db_, clock_, Options(), &registry);
  processor.Handle("sales.count", "sales", CountSales("p"));  // two statements per event
  std::atomic<int> notices{0};
  processor.HandleExternal("notify", "notify", [&](const Event&) { ++notices; });
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 8; ++i) {
    ids.push_back(AppendCommitted("sales.count"));
    ids.push_back(AppendCommitted("notify"));
  }
  testing::StatementCounter statements(*db_);
  ASSERT_EQ(processor.RunOnce(32), 16);
  // Claim: BEGIN, 2 SELECTs (expired leases, due events), UPDATE, COMMIT. Then one
  // transaction: BEGIN, the DONE fence (all 16), 8 × 2 handler statements, the
  // markers of all 16, COMMIT. The external handlers ran before it, with no statement.
  EXPECT_EQ(statements.Count(), 5 + (4 + 16)) << statements.Listing();

  for (auto id : ids) {
    auto record = Get(id);
    EXPECT_EQ(record.status, EventStatus::kDone) << id;
    EXPECT_EQ(record.event.attempts, 1);
    EXPECT_EQ(record.processed_at, clock_.Now());
  }
  EXPECT_EQ(notices.load(), 8);
  EXPECT_EQ(Scalar("SELECT n FROM counters"), 16);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM processed_events"), 16);
  EXPECT_EQ(MetricValue(registry, "pillivery_outbox_events_processed_total", "type", "sales.count"), 8);
  EXPECT_EQ(MetricValue(registry, "pillivery_outbox_events_processed_total", "type", "notify"), 8);
  EXPECT_EQ(processor.RunOnce(32), 0);
}

TEST_P(OutboxTest, Processor_WhenOneHandlerInABatchThrows_TheOthersAreDoneOnceAndTheThrowerBacksOff) {
  prometheus::Registry registry;
  OutboxProcessor processor(*db_, clock_, Options(), &registry);
  std::atomic<int> calls{0};
  bool broken = true;
  auto sales = CountSales("p", &calls);
  processor.Handle("sales.count", "sales", [&](const Event& e, storage::UnitOfWork& work) {
    sales(e, work);  // its writes roll back with the batch
    if (broken && e.payload.contains("fail")) throw std::runtime_error("boom");
  });
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 5; ++i)
    ids.push_back(AppendCommitted("sales.count", i == 2 ? boost::json::object{{"quantity", 2}, {"fail", true}}
                                                        : boost::json::object{{"quantity", 2}}));
  ASSERT_EQ(processor.RunOnce(10), 5);

  for (int i = 0; i < 5; ++i) {
    if (i == 2) continue;
    auto record = Get(ids[i]);
    EXPECT_EQ(record.status, EventStatus::kDone);
    EXPECT_EQ(record.event.attempts, 1);
  }
  auto thrower = Get(ids[2]);
  EXPECT_EQ(thrower.status, EventStatus::kPending);
  EXPECT_EQ(thrower.event.attempts, 1);
  EXPECT_EQ(thrower.next_attempt_at - clock_.Now(), 1s);  // the first step of the backoff
  EXPECT_EQ(thrower.last_error, "sales: boom");
  EXPECT_EQ(Scalar("SELECT n FROM counters"), 8);  // four events, once each
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM effects"), 4);
  EXPECT_EQ(Scalar("SELECT COUNT(DISTINCT event_id) FROM effects"), 4);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM processed_events"), 4);
  EXPECT_EQ(MetricValue(registry, "pillivery_outbox_events_processed_total", "type", "sales.count"), 4);
  EXPECT_EQ(MetricValue(registry, "pillivery_outbox_events_failed_total", "type", "sales.count"), 1);

  broken = false;
  clock_.Advance(1s);
  ASSERT_EQ(processor.RunOnce(10), 1);
  EXPECT_EQ(Get(ids[2]).status, EventStatus::kDone);
  EXPECT_EQ(Get(ids[2]).event.attempts, 2);
  EXPECT_EQ(Scalar("SELECT n FROM counters"), 10);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM effects"), 5);
  EXPECT_EQ(MetricValue(registry, "pillivery_outbox_events_processed_total", "type", "sales.count"), 5);
}

// Only processed_events can say a handler already ran; if one is there on what
// looks like a first delivery, the batch gives way to the per-event path.
TEST_P(OutboxTest, Processor_WhenAMarkerExistsOnAFirstDelivery_TheHandlerIsNotAppliedAgain) {
  OutboxProcessor processor(*db_, clock_, Options());
  processor.Handle("sales.count", "sales", CountSales("p"));
  auto applied = AppendCommitted("sales.count");
  auto fresh = AppendCommitted("sales.count");
  {
    auto lease = db_->Acquire();
    long long id = applied;
    *lease << "INSERT INTO processed_events(handler, event_id, processed_at) VALUES('sales', :e, 1)", soci::use(id);
  }
  ASSERT_EQ(processor.RunOnce(10), 2);
  EXPECT_EQ(Get(applied).status, EventStatus::kDone);
  EXPECT_EQ(Get(fresh).status, EventStatus::kDone);
  EXPECT_EQ(Scalar("SELECT n FROM counters"), 2);  // the fresh one only
}

// A replayed dead letter starts again at attempt 1 but is no first delivery: the
// external handlers that succeeded before are skipped by their markers.
TEST_P(OutboxTest, Processor_ReplayedDeadLetter_SkipsTheExternalHandlersThatSucceededBefore) {
  OutboxProcessor processor(*db_, clock_, Options(1));
  std::atomic<int> first_calls{0}, second_calls{0};
  bool broken = true;
  processor.HandleExternal("sid.inactivate", "first", [&](const Event&) { ++first_calls; });
  processor.HandleExternal("sid.inactivate", "second", [&](const Event&) {
    ++second_calls;
    if (broken) throw std::runtime_error("gateway down");
  });
  auto id = AppendCommitted("sid.inactivate");
  ASSERT_EQ(processor.RunOnce(10), 1);
  ASSERT_EQ(Get(id).status, EventStatus::kDead);
  EXPECT_EQ(Get(id).last_error, "second: gateway down");
  EXPECT_EQ(first_calls.load(), 1);

  broken = false;
  admin_->Replay(id);
  ASSERT_EQ(processor.RunOnce(10), 1);
  EXPECT_EQ(Get(id).status, EventStatus::kDone);
  EXPECT_EQ(Get(id).event.attempts, 1);
  EXPECT_EQ(first_calls.load(), 1);
  EXPECT_EQ(second_calls.load(), 2);
}

TEST_P(OutboxTest, Processor_ExternalBatch_WhenOneFails_TheOthersAreDoneAndItBacksOff) {
  OutboxProcessor processor(*db_, clock_, Options());
  std::atomic<int> calls{0};
  processor.HandleExternal("notify", "notify", [&](const Event& e) {
    ++calls;
    if (e.payload.contains("fail")) throw std::runtime_error("webhook said 500");
  });
  auto a = AppendCommitted("notify");
  auto b = AppendCommitted("notify", {{"fail", true}});
  auto c = AppendCommitted("notify");
  ASSERT_EQ(processor.RunOnce(10), 3);
  EXPECT_EQ(Get(a).status, EventStatus::kDone);
  EXPECT_EQ(Get(c).status, EventStatus::kDone);
  auto failed = Get(b);
  EXPECT_EQ(failed.status, EventStatus::kPending);
  EXPECT_EQ(failed.next_attempt_at - clock_.Now(), 1s);
  EXPECT_EQ(failed.last_error, "notify: webhook said 500");
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM processed_events"), 2);
  EXPECT_EQ(calls.load(), 3);
}

// The DONE update of the external events is fenced per event: an event another
// processor took over meanwhile is left to it, and only the others count. The
// batch transaction it would have shared rolls back, and its transactional event
// is handled on its own.
TEST_P(OutboxTest, Processor_ExternalBatch_WhenALeaseIsLostMidBatch_MarksOnlyItsOwnEventsDone) {
  prometheus::Registry registry;
  OutboxProcessor processor(*db_, clock_, Options(), &registry);
  processor.Handle("sales.count", "sales", CountSales("p"));
  auto sale = AppendCommitted("sales.count");
  auto taken = AppendCommitted("notify");
  auto kept = AppendCommitted("notify");
  processor.HandleExternal("notify", "notify", [&](const Event& e) {
    if (e.id != kept) return;
    // Meanwhile another processor reclaimed `taken` (its lease ran out).
    auto lease = db_->Acquire();
    long long id = taken;
    *lease << "UPDATE outbox_events SET locked_by = 'other', attempts = 2 WHERE id = :id", soci::use(id);
  });
  ASSERT_EQ(processor.RunOnce(10), 3);
  EXPECT_EQ(Get(kept).status, EventStatus::kDone);
  auto other = Get(taken);
  EXPECT_EQ(other.status, EventStatus::kProcessing);
  EXPECT_EQ(other.event.attempts, 2);
  EXPECT_EQ(Get(sale).status, EventStatus::kDone);
  EXPECT_EQ(Scalar("SELECT n FROM counters"), 2);
  // Its marker is written all the same: the handler did run, so the other processor skips it.
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM processed_events WHERE handler = 'notify'"), 2);
  EXPECT_EQ(MetricValue(registry, "pillivery_outbox_events_processed_total", "type", "notify"), 1);
  EXPECT_EQ(MetricValue(registry, "pillivery_outbox_events_processed_total", "type", "sales.count"), 1);
}

// Two processors with their own pools on one database, each on its own thread,
// as two server processes would be. The handler is external (no processed_events
// guard), so any event claimed twice would show as an overlap or a second row.
class TwoProcessors {
 public:
  static constexpr int kEvents = 500;

  explicit TwoProcessors(std::string url) : url_(std::move(url)) {}

  // Runs processors "a" and "b" until nothing is pending; `transactional` picks the handler kind.
  void Run(bool transactional) {
    std::thread a([&] { RunOne("processor-a", handled_a, transactional); });
    std::thread b([&] { RunOne("processor-b", handled_b, transactional); });
    a.join();
    b.join();
  }

  std::atomic<int> overlaps{0};
  std::atomic<int> handled_a{0};
  std::atomic<int> handled_b{0};

 private:
  void Record(soci::session& session, const Event& event, const std::string& name, std::atomic<int>& handled) {
    {
      std::lock_guard lock(in_flight_mutex_);
      if (!in_flight_.insert(event.id).second) ++overlaps;
    }
    long long id = event.id;
    session << "INSERT INTO effects(event_id, actor) VALUES(:e, :a)", soci::use(id), soci::use(name);
    session << "UPDATE counters SET n = n + 1 WHERE name = 'sales'";
    std::this_thread::yield();  // widen the window in which a second delivery would show
    ++handled;
    std::lock_guard lock(in_flight_mutex_);
    in_flight_.erase(event.id);
  }

  void RunOne(const std::string& name, std::atomic<int>& handled, bool transactional) {
    Database pool(url_, 3);
    ProcessorOptions options;
    options.instance_id = name;
    options.batch_size = 5;
    OutboxProcessor processor(pool, clock_, options);
    if (transactional) {
      processor.Handle("sales.count", "sales", [&, name](const Event& event, storage::UnitOfWork& work) {
        Record(storage::SessionOf(work), event, name, handled);
      });
    } else {
      processor.HandleExternal("sales.count", "sales", [&, name](const Event& event) {
        auto lease = pool.Acquire();  // autocommit: each write lands at once
        Record(*lease, event, name, handled);
      });
    }
    while (processor.RunOnce() > 0 || processor.CountPending() > 0) {
    }
  }

  std::string url_;
  infra::SystemClock clock_;
  std::mutex in_flight_mutex_;
  std::set<std::int64_t> in_flight_;
};

void AppendMany(Database& db, const OutboxWriter& writer, int count) {
  storage::UnitOfWork work(db);
  for (int i = 0; i < count; ++i) writer.Append(work, "sales.count", std::to_string(i), {{"quantity", 1}});
  work.Commit();
}

TEST_P(OutboxTest, TwoProcessors_OnOneDatabase_NeverDeliverAnEventTwiceOrConcurrently) {
  AppendMany(*db_, writer_, TwoProcessors::kEvents);
  TwoProcessors run(url_);
  run.Run(/*transactional=*/false);

  EXPECT_EQ(run.overlaps.load(), 0);
  EXPECT_EQ(run.handled_a + run.handled_b, TwoProcessors::kEvents);
  EXPECT_GT(run.handled_a.load(), 0);  // both really took part
  EXPECT_GT(run.handled_b.load(), 0);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM effects"), TwoProcessors::kEvents);
  EXPECT_EQ(Scalar("SELECT COUNT(DISTINCT event_id) FROM effects"), TwoProcessors::kEvents);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM outbox_events WHERE status = 'DONE' AND attempts = 1"),
            TwoProcessors::kEvents);
}

TEST_P(OutboxTest, TwoProcessors_WithTransactionalHandlers_ApplyEachEventExactlyOnce) {
  AppendMany(*db_, writer_, TwoProcessors::kEvents);
  TwoProcessors run(url_);
  run.Run(/*transactional=*/true);

  EXPECT_EQ(run.overlaps.load(), 0);
  EXPECT_EQ(run.handled_a + run.handled_b, TwoProcessors::kEvents);
  EXPECT_EQ(Scalar("SELECT COUNT(DISTINCT event_id) FROM effects"), TwoProcessors::kEvents);
  EXPECT_EQ(Scalar("SELECT n FROM counters"), TwoProcessors::kEvents);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM processed_events"), TwoProcessors::kEvents);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM outbox_events WHERE status = 'DONE'"), TwoProcessors::kEvents);
}

INSTANTIATE_TEST_SUITE_P(Engines, OutboxTest, ::testing::ValuesIn(testing::Engines()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace pillivery::events
