#include "storage/billing_run_lock_repository.hpp"

#include "storage/idempotency_repository.hpp"
#include "storage/migrations.hpp"

#include <gtest/gtest.h>

#include "support/test_support.hpp"

namespace pillivery::storage {
namespace {

constexpr std::int64_t kLease = 6 * 3600 * 1000LL;

class BillingRunLockRepositoryTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<Database>(testing::FreshDatabaseUrl(GetParam(), dir_), 4);
    Migrate(*db_, testing::RealClock());
    locks_ = std::make_unique<BillingRunLockRepository>(*db_);
  }
  static domain::Date Day(const char* text) { return *domain::Date::Parse(text); }

  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<BillingRunLockRepository> locks_;
};

TEST_P(BillingRunLockRepositoryTest, ADate_IsTakenByOneHolder_AndAnotherDateIsFree) {
  EXPECT_EQ(locks_->Acquire(Day("2026-03-01"), "a", 1000, kLease), RunLock::kAcquired);
  EXPECT_EQ(locks_->Acquire(Day("2026-03-01"), "b", 2000, kLease), RunLock::kHeld);
  EXPECT_EQ(locks_->Acquire(Day("2026-03-02"), "b", 2000, kLease), RunLock::kAcquired);
}

TEST_P(BillingRunLockRepositoryTest, AReleasedDate_IsTakenAgainByTheNextTick) {
  ASSERT_EQ(locks_->Acquire(Day("2026-03-01"), "a", 1000, kLease), RunLock::kAcquired);
  locks_->Release(Day("2026-03-01"));
  EXPECT_EQ(locks_->Acquire(Day("2026-03-01"), "b", 2000, kLease), RunLock::kAcquired);
}

TEST_P(BillingRunLockRepositoryTest, ACompletedDate_NeverRunsAgain_NotEvenAfterTheLeaseOrARelease) {
  ASSERT_EQ(locks_->Acquire(Day("2026-03-01"), "a", 1000, kLease), RunLock::kAcquired);
  locks_->Complete(Day("2026-03-01"));
  locks_->Release(Day("2026-03-01"));  // a late release does not undo the run
  EXPECT_EQ(locks_->Acquire(Day("2026-03-01"), "b", 1000 + 2 * kLease, kLease), RunLock::kDone);
}

TEST_P(BillingRunLockRepositoryTest, AHolderThatDied_IsTakenOverOnceItsLeaseHasPassed_ByOneTakerOnly) {
  ASSERT_EQ(locks_->Acquire(Day("2026-03-01"), "a", 1000, kLease), RunLock::kAcquired);
  EXPECT_EQ(locks_->Acquire(Day("2026-03-01"), "b", 1000 + kLease - 1, kLease), RunLock::kHeld);
  EXPECT_EQ(locks_->Acquire(Day("2026-03-01"), "b", 1000 + kLease, kLease), RunLock::kAcquired);
  EXPECT_EQ(locks_->Acquire(Day("2026-03-01"), "c", 1000 + kLease, kLease), RunLock::kHeld);
}

// Before version 26 the run claimed billing-run/<date> in idempotency_keys: a
// date that ran (or was running) then must not run again after the upgrade.
TEST_P(BillingRunLockRepositoryTest, Upgrade_MovesTheOldIdempotencyClaimsOfRunsIntoTheLockTable) {
  {
    auto lease = db_->Acquire();
    *lease << "DROP TABLE billing_run_locks";
    *lease << "DELETE FROM schema_migrations WHERE version = 26";
  }
  IdempotencyRepository claims(*db_);
  ASSERT_EQ(claims.Begin(0, "billing-run", "2026-03-01", "scheduler", 1000, kLease).outcome,
            IdempotencyBegin::Outcome::kProceed);
  claims.Complete(0, "billing-run", "2026-03-01", 200, "completed");
  ASSERT_EQ(claims.Begin(0, "billing-run", "2026-03-02", "scheduler", 5000, kLease).outcome,
            IdempotencyBegin::Outcome::kProceed);
  ASSERT_EQ(claims.Begin(7, "orders", "2026-03-03", "h", 5000, kLease).outcome, IdempotencyBegin::Outcome::kProceed);

  ASSERT_EQ(Migrate(*db_, testing::RealClock()), 1);
  EXPECT_EQ(locks_->Acquire(Day("2026-03-01"), "b", 6000, kLease), RunLock::kDone);
  EXPECT_EQ(locks_->Acquire(Day("2026-03-02"), "b", 6000, kLease), RunLock::kHeld);
  EXPECT_EQ(locks_->Acquire(Day("2026-03-02"), "b", 5000 + kLease, kLease), RunLock::kAcquired);
  // The run claims left idempotency_keys; a request's key stayed.
  EXPECT_EQ(claims.Begin(0, "billing-run", "2026-03-01", "scheduler", 6000, kLease).outcome,
            IdempotencyBegin::Outcome::kProceed);
  EXPECT_EQ(claims.Begin(7, "orders", "2026-03-03", "h", 6000, kLease).outcome, IdempotencyBegin::Outcome::kInProgress);
}

INSTANTIATE_TEST_SUITE_P(Engines, BillingRunLockRepositoryTest, ::testing::ValuesIn(testing::Engines()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace pillivery::storage
