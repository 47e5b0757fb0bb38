#pragma once
// Durability for the simulator. The Gateway keeps its state in memory and
// writes every change through to a Store before it answers, so a restarted
// simulator (with --db) still knows its payments, SIDs and ledger.
#include "simulator/model.hpp"

#include <memory>
#include <string>
#include <vector>

namespace pillivery::simulator {

// What one gateway operation changed; applied atomically.
struct StoreChanges {
  std::vector<Payment> payments;    // upserted by tid
  std::vector<Sid> sids;            // upserted by sid
  std::vector<LedgerEntry> ledger;  // appended in order
};

struct StoreSnapshot {
  std::vector<Payment> payments;
  std::vector<Sid> sids;
  std::vector<LedgerEntry> ledger;  // in the order recorded
};

class Store {
 public:
  virtual ~Store() = default;
  virtual void Apply(const StoreChanges& changes) = 0;
  virtual StoreSnapshot Load() = 0;
  virtual void Clear() = 0;
};

// SQLite through SOCI; creates its tables. Not thread-safe: the Gateway
// calls it under its own mutex.
std::unique_ptr<Store> OpenSqliteStore(const std::string& path);

}  // namespace pillivery::simulator
