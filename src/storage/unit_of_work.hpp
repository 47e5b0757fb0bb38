#pragma once
// One pooled connection with one open transaction: what a service holds while
// the writes of one decision (an order's next state, the subscriptions it
// creates or ends, stock moves, outbox events) go to several repositories.
// The service opens it, calls the repositories in order (read/lock, decide
// with domain functions, write, append events), then commits; nothing of it is
// kept unless Commit runs. BEGIN IMMEDIATE on SQLite (writers queue at the
// start instead of deadlocking on upgrade), START TRANSACTION on MariaDB.
//
// Opaque outside storage: no connection type is reachable from here. Storage's
// own .cpp files (and the few storage-like tools) reach the connection through
// storage/unit_of_work_session.hpp.
#include "storage/dialect.hpp"

#include <memory>

namespace pillivery::storage {

class Database;
struct UnitOfWorkAccess;

class UnitOfWork {
 public:
  // Leases a connection (DATABASE_BUSY after the pool's timeout) and begins.
  explicit UnitOfWork(Database& db);
  UnitOfWork(UnitOfWork&&) noexcept;
  UnitOfWork& operator=(UnitOfWork&&) = delete;
  UnitOfWork(const UnitOfWork&) = delete;
  UnitOfWork& operator=(const UnitOfWork&) = delete;
  // Rolls back unless committed, then gives the connection back.
  ~UnitOfWork();

  void Commit();
  // Ends it now without keeping anything (the destructor would as well).
  void Rollback();
  Dialect GetDialect() const { return dialect_; }

 private:
  friend struct UnitOfWorkAccess;
  struct State;
  std::unique_ptr<State> state_;
  Dialect dialect_;
};

}  // namespace pillivery::storage
