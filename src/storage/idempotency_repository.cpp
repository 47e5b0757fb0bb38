#include "storage/idempotency_repository.hpp"

#include "storage/row_reader.hpp"

namespace pillivery::storage {

IdempotencyBegin IdempotencyRepository::Begin(std::int64_t user_id, const std::string& scope, const std::string& key,
                                              const std::string& request_hash, std::int64_t now_ms,
                                              std::int64_t stale_ms) {
  auto lease = db_.Acquire();
  soci::session& s = *lease;
  Transaction tx(s, db_.GetDialect());
  long long uid = user_id, now = now_ms;
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT request_hash, state, response_status, response_body, created_at_ms "
                                "FROM idempotency_keys WHERE user_id = :u AND scope = :s AND idem_key = :k") +
                        ForUpdate(db_.GetDialect()),
       soci::use(uid), soci::use(scope), soci::use(key));
  for (const auto& r : rows) {
    IdempotencyBegin found;
    if (GetString(r, 0) != request_hash) {
      found.outcome = IdempotencyBegin::Outcome::kMismatch;
    } else if (GetString(r, 1) == "DONE") {
      found.outcome = IdempotencyBegin::Outcome::kReplay;
      found.status = static_cast<int>(GetInt64(r, 2));
      found.body = GetString(r, 3);
    } else if (now - GetInt64(r, 4) < stale_ms) {
      found.outcome = IdempotencyBegin::Outcome::kInProgress;
    } else {
      s << "UPDATE idempotency_keys SET created_at_ms = :n WHERE user_id = :u AND scope = :s AND idem_key = :k",
          soci::use(now), soci::use(uid), soci::use(scope), soci::use(key);
      found.outcome = IdempotencyBegin::Outcome::kProceed;
    }
    tx.Commit();
    return found;
  }
  try {
    s << "INSERT INTO idempotency_keys(user_id, scope, idem_key, request_hash, state, created_at_ms) "
         "VALUES(:u, :s, :k, :h, 'IN_PROGRESS', :n)",
        soci::use(uid), soci::use(scope), soci::use(key), soci::use(request_hash), soci::use(now);
  } catch (const soci::soci_error&) {
    // A concurrent request with the same key claimed it first.
    return {IdempotencyBegin::Outcome::kInProgress, 0, {}};
  }
  tx.Commit();
  return {};
}

void IdempotencyRepository::Complete(std::int64_t user_id, const std::string& scope, const std::string& key, int status,
                                     const std::string& body) {
  auto lease = db_.Acquire();
  long long uid = user_id;
  *lease << "UPDATE idempotency_keys SET state = 'DONE', response_status = :st, response_body = :b "
            "WHERE user_id = :u AND scope = :s AND idem_key = :k",
      soci::use(status), soci::use(body), soci::use(uid), soci::use(scope), soci::use(key);
}

void IdempotencyRepository::Abandon(std::int64_t user_id, const std::string& scope, const std::string& key) {
  auto lease = db_.Acquire();
  long long uid = user_id;
  *lease << "DELETE FROM idempotency_keys WHERE user_id = :u AND scope = :s AND idem_key = :k "
            "AND state = 'IN_PROGRESS'",
      soci::use(uid), soci::use(scope), soci::use(key);
}

int IdempotencyRepository::Purge(std::int64_t older_than_ms) {
  auto lease = db_.Acquire();
  long long cutoff = older_than_ms;
  soci::statement st = (lease->prepare << "DELETE FROM idempotency_keys WHERE created_at_ms < :c", soci::use(cutoff));
  st.execute(true);
  return static_cast<int>(st.get_affected_rows());
}

}  // namespace pillivery::storage
