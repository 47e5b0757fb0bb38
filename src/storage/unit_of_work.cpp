#include "storage/unit_of_work.hpp"

#include "storage/database.hpp"
#include "storage/unit_of_work_session.hpp"

namespace pillivery::storage {

struct UnitOfWork::State {
  explicit State(Database& db) : lease(db.Acquire()), transaction(*lease, db.GetDialect()) {}
  Database::Lease lease;
  Transaction transaction;  // declared after the lease: rolled back before the connection goes back
};

UnitOfWork::UnitOfWork(Database& db) : state_(std::make_unique<State>(db)), dialect_(db.GetDialect()) {}

UnitOfWork::UnitOfWork(UnitOfWork&& other) noexcept = default;

UnitOfWork::~UnitOfWork() = default;

void UnitOfWork::Commit() { state_->transaction.Commit(); }

void UnitOfWork::Rollback() { state_->transaction.Rollback(); }

soci::session& UnitOfWorkAccess::Session(UnitOfWork& work) { return *work.state_->lease; }

}  // namespace pillivery::storage
