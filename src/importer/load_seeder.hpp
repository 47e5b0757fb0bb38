#pragma once
// Deterministic users, orders and subscriptions at load-test scale
// (`pillivery seed --users N --orders N --subscriptions N`). Rows are written
// with plain batched SQL: this is data generation, not the checkout path.
#include "storage/database.hpp"

#include <cstdint>
#include <string>

namespace pillivery::importer {

struct LoadSeedOptions {
  std::int64_t users = 0;
  std::int64_t orders = 0;
  std::int64_t subscriptions = 0;
  std::uint64_t seed = 42;
  std::string password_hash;  // one argon2id hash every seeded user shares (password: kSeedPassword)
  std::string today;          // YYYY-MM-DD in the business zone
  // Every n-th subscription is due on `today` (1: all of them).
  std::int64_t due_today_one_in = 10;
  std::string now_iso;
};

inline constexpr const char* kSeedPassword = "Passw0rd!";

struct LoadSeedCounts {
  std::int64_t users = 0, orders = 0, subscriptions = 0;
};

// Users are user{n}@seed.pillivery.test (n from 1). Orders and subscriptions
// belong to seeded users and reference existing ON_SALE items; subscriptions
// carry SSEED… SIDs (active at the simulator) and fall due over the next 30 days
// — one in `due_today_one_in` (a tenth by default) on `today`. Needs items (seed --items first).
LoadSeedCounts SeedLoad(storage::Database& db, const LoadSeedOptions& options);

}  // namespace pillivery::importer
