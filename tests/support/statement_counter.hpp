#pragma once
// Counts the SQL statements a Database's pooled sessions send, so a test can
// pin what a code path costs. MariaDB: the sessions' own `Questions` counters
// (what the server executed, BEGIN/COMMIT included — what bench/billing reads
// globally). SQLite has no such counter: a SOCI logger on every session counts
// what is prepared, which is every statement except a cached one re-run
// (Database::Query/Execute prepare once per connection). Statements() lists
// what the logger saw, on either engine.
#include "storage/database.hpp"

#include <soci/logger.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace pillivery::testing {

class StatementCounter {
 public:
  // Takes every connection of the pool once (as Count does on MariaDB), so call
  // them while none is in use.
  explicit StatementCounter(storage::Database& db) : db_(db), state_(std::make_shared<State>()) {
    auto all = LeaseAll();
    if (db_.GetDialect() == storage::Dialect::kMariaDb)
      for (auto* session : all.sessions) base_.push_back(Questions(*session));
    for (auto* session : all.sessions) session->set_logger(soci::logger(new Logger(state_)));
  }

  long Count() {
    if (db_.GetDialect() != storage::Dialect::kMariaDb) {
      std::lock_guard lock(state_->mutex);
      return static_cast<long>(state_->statements.size());
    }
    // Each SHOW adds one to its session's counter: `reads_` of them since the base.
    ++reads_;
    auto all = LeaseAll();
    long total = 0;
    for (std::size_t i = 0; i < all.sessions.size(); ++i) total += Questions(*all.sessions[i]) - base_[i] - reads_;
    return total;
  }
  std::vector<std::string> Statements() const {
    std::lock_guard lock(state_->mutex);
    return state_->statements;
  }

  // The statements, one a line, for a failure message.
  std::string Listing() const {
    std::string out;
    for (const auto& s : Statements()) out += "  " + s.substr(0, 160) + "\n";
    return out;
  }

 private:
  static constexpr const char* kShow = "SHOW SESSION STATUS LIKE 'Questions'";

  // Every connection of the pool; `sessions` in one fixed order (by address).
  struct AllLeases {
    std::vector<storage::Database::Lease> leases;
    std::vector<soci::session*> sessions;
  };
  AllLeases LeaseAll() {
    AllLeases all;
    all.leases.reserve(static_cast<std::size_t>(db_.PoolSize()));
    for (int i = 0; i < db_.PoolSize(); ++i) {
      all.leases.push_back(db_.Acquire());
      all.sessions.push_back(&*all.leases.back());
    }
    std::sort(all.sessions.begin(), all.sessions.end());
    return all;
  }
  static long Questions(soci::session& session) {
    std::string name, value;
    session << kShow, soci::into(name), soci::into(value);
    return std::stol(value);
  }

  struct State {
    mutable std::mutex mutex;
    std::vector<std::string> statements;
  };
  class Logger : public soci::logger_impl {
   public:
    explicit Logger(std::shared_ptr<State> state) : state_(std::move(state)) {}
    void start_query(const std::string& query) override {
      if (query == kShow) return;  // the counter's own
      std::lock_guard lock(state_->mutex);
      state_->statements.push_back(query);
      last_ = query;
    }
    std::string get_last_query() const override { return last_; }

   private:
    logger_impl* do_clone() const override { return new Logger(state_); }
    std::shared_ptr<State> state_;
    std::string last_;
  };
  storage::Database& db_;
  std::shared_ptr<State> state_;
  std::vector<long> base_;  // by session address order (LeaseAll)
  long reads_ = 0;
};

}  // namespace pillivery::testing
