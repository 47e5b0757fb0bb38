#pragma once
// Idempotency-Key records (product.md §2): the same key with the same body
// returns the first response; with a different body, 422; kept at least 24 hours.
#include "storage/database.hpp"

#include <optional>
#include <string>

namespace pillivery::storage {

struct IdempotencyBegin {
  enum class Outcome { kProceed, kReplay, kMismatch, kInProgress } outcome = Outcome::kProceed;
  int status = 0;
  std::string body;
};

class IdempotencyRepository {
 public:
  explicit IdempotencyRepository(Database& db) : db_(db) {}

  // Claims the key for this request (kProceed), or reports the stored answer.
  // An in-progress claim older than `stale_ms` is taken over (its process died).
  IdempotencyBegin Begin(std::int64_t user_id, const std::string& scope, const std::string& key,
                         const std::string& request_hash, std::int64_t now_ms, std::int64_t stale_ms = 60'000);
  void Complete(std::int64_t user_id, const std::string& scope, const std::string& key, int status,
                const std::string& body);
  // Forgets a claim whose request failed before changing anything, so a retry may run.
  void Abandon(std::int64_t user_id, const std::string& scope, const std::string& key);
  // Deletes records older than the retention; returns how many.
  int Purge(std::int64_t older_than_ms);

 private:
  Database& db_;
};

}  // namespace pillivery::storage
