#include "service/catalog/catalog_index_refresher.hpp"

#include "domain/offer.hpp"
#include "infra/log.hpp"

#include <algorithm>
#include <unordered_map>

namespace pillivery::service {

namespace {

bool Visible(const storage::CatalogRow& row) { return domain::IsOnSale(row.item.status); }

double MillisecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

CatalogIndexRefresher::CatalogIndexRefresher(storage::ItemRepository& items, CatalogIndexOptions options,
                                             OnChange on_change)
    : items_(items), options_(options), on_change_(std::move(on_change)) {
  if (!options_.registry) return;
  auto gauge = [&](const char* name, const char* help) {
    return &prometheus::BuildGauge().Name(name).Help(help).Register(*options_.registry).Add({});
  };
  items_gauge_ =
      gauge("pillivery_catalog_index_items", "Visible items in the in-memory catalog index (0: not serving)");
  bytes_gauge_ = gauge("pillivery_catalog_index_bytes", "Approximate heap bytes of the catalog index");
  version_gauge_ = gauge("pillivery_catalog_index_version", "Catalog version the index has read up to");
  build_seconds_gauge_ = gauge("pillivery_catalog_index_build_seconds", "Duration of the last full build at start");
}

void CatalogIndexRefresher::Start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void CatalogIndexRefresher::Stop() {
  std::thread thread;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    thread = std::move(thread_);
  }
  wake_.notify_all();
  if (thread.joinable()) thread.join();
}

std::shared_ptr<const CatalogIndex> CatalogIndexRefresher::Current() const {
  std::lock_guard lock(mutex_);
  return current_;
}

void CatalogIndexRefresher::Wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wake_.notify_all();
}

void CatalogIndexRefresher::RefreshNow() {
  try {
    Step(false);
  } catch (const std::exception& e) {
    // Withdrawn until the thread's next step succeeds: searches use the database.
    infra::LogWarn("catalog index refresh failed", {{"error", e.what()}});
  }
}

void CatalogIndexRefresher::Loop() {
  auto last_stats = std::chrono::steady_clock::now();
  for (;;) {
    bool with_stats = std::chrono::steady_clock::now() - last_stats >= options_.stats_interval;
    try {
      Step(with_stats);
      if (with_stats) last_stats = std::chrono::steady_clock::now();
    } catch (const std::exception& e) {
      infra::LogWarn("catalog index refresh failed", {{"error", e.what()}});
    }
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, options_.poll_interval, [this] { return stopping_ || woken_; });
    if (stopping_) return;
    woken_ = false;
  }
}

void CatalogIndexRefresher::Step(bool with_stats) {
  std::lock_guard step(step_mutex_);
  try {
    if (!built_) {
      Build();
    } else {
      ApplyChanges();
      if (with_stats) ApplyStatistics();
    }
  } catch (...) {
    Publish(nullptr);
    throw;
  }
  Publish(built_);
}

void CatalogIndexRefresher::Publish(std::shared_ptr<const CatalogIndex> index) {
  if (items_gauge_) {
    items_gauge_->Set(index ? static_cast<double>(index->Size()) : 0.0);
    if (index && index != Current()) {
      bytes_gauge_->Set(static_cast<double>(index->MemoryBytes()));
      version_gauge_->Set(static_cast<double>(index->Version()));
    }
  }
  std::lock_guard lock(mutex_);
  current_ = std::move(index);
}

void CatalogIndexRefresher::Build() {
  auto started = std::chrono::steady_clock::now();
  std::int64_t version = 0;
  std::vector<CatalogIndex::Entry> entries;
  // -1: every row, also those written before v009 (catalog_version 0).
  items_.ForEachCatalogRow(-1, [&](const storage::CatalogRow& row) {
    version = std::max(version, row.version);
    if (Visible(row)) entries.push_back(CatalogIndex::EntryOf(row));
  });
  built_ = std::make_shared<const CatalogIndex>(std::move(entries), version);
  if (build_seconds_gauge_) build_seconds_gauge_->Set(MillisecondsSince(started) / 1000.0);
  infra::LogInfo("catalog index built", {{"items", built_->Size()},
                                         {"bytes", built_->MemoryBytes()},
                                         {"version", version},
                                         {"ms", MillisecondsSince(started)}});
}

void CatalogIndexRefresher::ApplyChanges() {
  auto rows = items_.CatalogRows(built_->Version());
  if (rows.empty()) return;
  auto started = std::chrono::steady_clock::now();
  std::int64_t version = built_->Version();
  std::unordered_map<std::int64_t, const storage::CatalogRow*> changed;
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) {
    version = std::max(version, row.version);
    changed[row.item.id] = &row;  // ascending versions: the last one wins
    ids.push_back(row.item.id);
  }
  std::vector<CatalogIndex::Entry> entries;
  entries.reserve(built_->Size() + rows.size());
  for (const auto& entry : built_->Entries())
    if (!changed.count(entry.id)) entries.push_back(entry);
  for (const auto& [id, row] : changed)
    if (Visible(*row)) entries.push_back(CatalogIndex::EntryOf(*row));
  built_ = std::make_shared<const CatalogIndex>(std::move(entries), version);
  infra::Log(infra::LogLevel::kDebug, "catalog index changes applied",
             {{"changed", changed.size()}, {"version", version}, {"ms", MillisecondsSince(started)}});
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  // Published before the callback, so views it drops are recomputed from the new index.
  Publish(built_);
  if (on_change_) on_change_(ids);
}

void CatalogIndexRefresher::ApplyStatistics() {
  auto stats = items_.CatalogStatistics();  // by id ascending, as the entries
  std::vector<CatalogIndex::Entry> entries = built_->Entries();
  bool differs = false;
  auto s = stats.begin();
  for (auto& e : entries) {
    while (s != stats.end() && s->id < e.id) ++s;
    if (s == stats.end() || s->id != e.id) continue;
    if (e.stock != s->stock || e.sales != s->sales || e.review_count != s->review_count || e.star_sum != s->star_sum ||
        e.star_avg != s->star_avg) {
      differs = true;
      e.stock = s->stock;
      e.sales = s->sales;
      e.review_count = s->review_count;
      e.star_sum = s->star_sum;
      e.star_avg = s->star_avg;
    }
  }
  if (!differs) return;
  // Same items, same texts: the keyword postings carry over.
  built_ = std::make_shared<const CatalogIndex>(std::move(entries), built_->Version(), built_->Keywords());
}

}  // namespace pillivery::service
