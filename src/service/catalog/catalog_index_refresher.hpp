#pragma once
// Keeps this server's CatalogIndex as fresh as the database. A thread of its
// own builds the index at start (every item, one read), then every poll
// interval reads the change feed — the items written at a catalog version
// above the one it has read up to (storage/schema/v009) — and swaps in an
// index with those items replaced, added or (hidden) dropped. Every stats
// interval it re-reads stock, sales and review counts, which change without a
// catalog version (they may lag by that interval).
//
// Writes by this process call RefreshNow (the change is in the index before
// the writer's request answers); writes announced by another server over the
// Redis broadcast call Wake (read the feed now rather than at the next poll);
// imports and seeds in other processes are found by the next poll. Until the
// first build, and after a failed read of the feed, Current() is empty and
// searches take the SQL path: the index never answers from a state it knows
// to be behind.
#include "service/catalog/catalog_index.hpp"
#include "storage/item_repository.hpp"

#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace pillivery::service {

struct CatalogIndexOptions {
  std::chrono::milliseconds poll_interval{250};
  std::chrono::milliseconds stats_interval{5000};
  prometheus::Registry* registry = nullptr;  // gauges: items, bytes, version, last build time
};

class CatalogIndexRefresher {
 public:
  // on_change: the ids the change feed brought (this process's own writes
  // included), after the new index is in place — cached views of them are stale.
  using OnChange = std::function<void(const std::vector<std::int64_t>& ids)>;

  CatalogIndexRefresher(storage::ItemRepository& items, CatalogIndexOptions options, OnChange on_change = {});
  ~CatalogIndexRefresher() { Stop(); }
  CatalogIndexRefresher(const CatalogIndexRefresher&) = delete;
  CatalogIndexRefresher& operator=(const CatalogIndexRefresher&) = delete;

  void Start();  // the thread: first build, then polls; does nothing when running
  void Stop();

  // nullptr until built, or while a failed read leaves it behind the database.
  std::shared_ptr<const CatalogIndex> Current() const;

  // One step on the calling thread: the first build, else the change feed
  // (and the statistics when with_stats). Throws when the database does
  // (the index is then withdrawn until a step succeeds).
  void Step(bool with_stats);
  // This process changed the catalog: read the feed now, here. Never throws.
  void RefreshNow();
  // Another server changed the catalog: the thread reads the feed now.
  void Wake();

 private:
  void Loop();
  void Build();
  void ApplyChanges();
  void ApplyStatistics();
  void Publish(std::shared_ptr<const CatalogIndex> index);

  storage::ItemRepository& items_;
  CatalogIndexOptions options_;
  OnChange on_change_;

  std::mutex step_mutex_;                      // one step at a time (thread, RefreshNow)
  std::shared_ptr<const CatalogIndex> built_;  // the last index built (step_mutex_)

  mutable std::mutex mutex_;  // guards current_, stopping_, woken_
  std::shared_ptr<const CatalogIndex> current_;
  bool stopping_ = false;
  bool woken_ = false;
  std::condition_variable wake_;
  std::thread thread_;
  prometheus::Gauge* items_gauge_ = nullptr;
  prometheus::Gauge* bytes_gauge_ = nullptr;
  prometheus::Gauge* version_gauge_ = nullptr;
  prometheus::Gauge* build_seconds_gauge_ = nullptr;
};

}  // namespace pillivery::service
