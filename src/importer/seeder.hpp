#pragma once
// Deterministic synthetic catalog for demos and load tests: the same seed gives
// the same items on every machine and compiler (only std::mt19937_64, whose
// output the standard fixes, and distributions written here).
#include "domain/item.hpp"
#include "infra/clock.hpp"
#include "storage/database.hpp"
#include "storage/item_repository.hpp"

#include <cstdint>
#include <random>
#include <vector>

namespace pillivery::importer {

struct SeedOptions {
  std::int64_t items = 1000;
  std::uint64_t seed = 42;
  // Number of the first generated item. Item n is a function of (seed, n) only,
  // so a catalog of 100 is the first 100 of a catalog of 40,000.
  std::int64_t first_number = 1;
};

// A small portable random source: std::mt19937_64 plus our own distributions
// (libstdc++ and libc++ implement std::uniform_int_distribution differently).
class SeedRandom {
 public:
  SeedRandom(std::uint64_t seed, std::uint64_t stream);
  std::int64_t Between(std::int64_t low, std::int64_t high);  // inclusive, unbiased
  bool Chance(int per_mille);
  template <typename T>
  const T& Pick(const std::vector<T>& values) {
    return values[static_cast<std::size_t>(Between(0, static_cast<std::int64_t>(values.size()) - 1))];
  }

 private:
  std::mt19937_64 engine_;
};

// Item number n of the catalog for `seed` (status ON_SALE, categories set).
domain::Item GenerateItem(std::uint64_t seed, std::int64_t n);
// "9" + 14 digits: real report numbers start with a year (19xx/20xx), so these never collide.
std::string SyntheticReportNo(std::uint64_t seed, std::int64_t n);

// Inserts options.items generated items in batches of 1000; returns how many.
// Report numbers are unique per (seed, n): seeding the same numbers twice into one
// database fails on the unique report number instead of duplicating the catalog.
std::int64_t SeedCatalog(storage::ItemRepository& repository, const SeedOptions& options);

// Gives every unpriced HIDDEN item (origin_price 0: what the importer leaves)
// a deterministic price, discount, stock and images, and puts it ON_SALE.
// The values depend on (seed, report number) — or the id for items without one.
// Returns how many items were priced; `clock` stamps updated_at.
std::int64_t PriceUnpricedItems(storage::Database& db, std::uint64_t seed, const infra::Clock& clock);

}  // namespace pillivery::importer
