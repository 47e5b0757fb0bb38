#include "storage/subscription_repository.hpp"

#include "storage/row_reader.hpp"

namespace pillivery::storage {

using domain::Date;

// What the billing batch reads and records: due cycles, stranded attempts, its runs.

std::vector<DueCycle> SubscriptionRepository::DueCycles(Date date, std::int64_t after_id, int limit) {
  auto lease = db_.Acquire();
  std::string day = date.ToString();
  long long after = after_id, lim = limit;
  std::vector<DueCycle> cycles;
  soci::rowset<soci::row> rows =
      (lease->prepare << "SELECT id, next_payment_date, cycle_attempts FROM subscriptions WHERE status IN "
                         "('ACTIVE', 'PAST_DUE') AND next_attempt_date <= :d AND id > :a ORDER BY id LIMIT :l",
       soci::use(day), soci::use(after), soci::use(lim));
  for (const auto& r : rows)
    cycles.push_back({GetInt64(r, 0), Date::Parse(GetString(r, 1)).value_or(Date{}), static_cast<int>(GetInt64(r, 2))});
  return cycles;
}

std::vector<OpenAttempt> SubscriptionRepository::StrandedAttempts() {
  auto lease = db_.Acquire();
  std::vector<OpenAttempt> attempts;
  soci::rowset<soci::row> rows =
      (lease->prepare << "SELECT c.subscription_id, c.due_date, c.attempt FROM subscription_charges c JOIN "
                         "subscriptions s ON s.id = c.subscription_id WHERE c.result IN ('PENDING', 'UNKNOWN') AND "
                         "NOT (s.status IN ('ACTIVE', 'PAST_DUE') AND s.next_payment_date = c.due_date AND "
                         "s.cycle_attempts + 1 = c.attempt) ORDER BY c.subscription_id, c.due_date, c.attempt");
  for (const auto& r : rows)
    attempts.push_back(
        {GetInt64(r, 0), Date::Parse(GetString(r, 1)).value_or(Date{}), static_cast<int>(GetInt64(r, 2))});
  return attempts;
}

std::int64_t SubscriptionRepository::CountDue(Date date) {
  auto lease = db_.Acquire();
  std::string day = date.ToString();
  long long count = 0;
  *lease << "SELECT COUNT(*) FROM subscriptions WHERE status IN ('ACTIVE', 'PAST_DUE') AND next_attempt_date <= :d",
      soci::use(day), soci::into(count);
  return count;
}

std::int64_t SubscriptionRepository::StartRun(const std::string& run_date, const std::string& now_iso) {
  auto lease = db_.Acquire();
  Transaction tx(*lease, db_.GetDialect());
  // A run of this date still RUNNING was killed (SIGKILL, a crash): one batch
  // works a date at a time, and it is re-run after a failure, so close it.
  *lease << "UPDATE batch_runs SET status = 'INTERRUPTED', finished_at = :f WHERE run_date = :d AND status = 'RUNNING'",
      soci::use(now_iso), soci::use(run_date);
  *lease << "INSERT INTO batch_runs(run_date, started_at, status) VALUES(:d, :s, 'RUNNING')", soci::use(run_date),
      soci::use(now_iso);
  auto id = LastInsertId(*lease, db_.GetDialect());
  tx.Commit();
  return id;
}

void SubscriptionRepository::FinishRun(const BatchRun& run) {
  auto lease = db_.Acquire();
  long long id = run.id;
  std::string finished = run.finished_at.value_or("");
  std::string status(domain::CodeOf(run.status));
  *lease << "UPDATE batch_runs SET finished_at = :f, status = :s, due_count = :d, paid_count = :p, "
            "soft_declined_count = :sd, hard_declined_count = :hd, unknown_count = :u, skipped_count = :sk, "
            "error_count = :e WHERE id = :id",
      soci::use(finished), soci::use(status), soci::use(run.due), soci::use(run.paid), soci::use(run.soft_declined),
      soci::use(run.hard_declined), soci::use(run.unknown), soci::use(run.skipped), soci::use(run.errors),
      soci::use(id);
}

std::vector<BatchRun> SubscriptionRepository::Runs(const domain::PageRequest& page, std::int64_t& total) {
  auto lease = db_.Acquire();
  long long count = 0, limit = page.size, offset = page.Offset();
  *lease << "SELECT COUNT(*) FROM batch_runs", soci::into(count);
  total = count;
  std::vector<BatchRun> runs;
  soci::rowset<soci::row> rows =
      (lease->prepare << "SELECT id, run_date, started_at, finished_at, status, due_count, paid_count, "
                         "soft_declined_count, hard_declined_count, unknown_count, skipped_count, error_count "
                         "FROM batch_runs ORDER BY id DESC LIMIT :l OFFSET :o",
       soci::use(limit), soci::use(offset));
  for (const auto& r : rows) {
    BatchRun run;
    run.id = GetInt64(r, 0);
    run.run_date = GetString(r, 1);
    run.started_at = GetString(r, 2);
    run.finished_at = GetOptionalString(r, 3);
    run.status = domain::ParseBillingRunStatus(GetString(r, 4)).value_or(domain::BillingRunStatus::kInterrupted);
    run.due = static_cast<int>(GetInt64(r, 5));
    run.paid = static_cast<int>(GetInt64(r, 6));
    run.soft_declined = static_cast<int>(GetInt64(r, 7));
    run.hard_declined = static_cast<int>(GetInt64(r, 8));
    run.unknown = static_cast<int>(GetInt64(r, 9));
    run.skipped = static_cast<int>(GetInt64(r, 10));
    run.errors = static_cast<int>(GetInt64(r, 11));
    runs.push_back(run);
  }
  return runs;
}

}  // namespace pillivery::storage
