#include "infra/ttl_cache.hpp"

namespace pillivery::infra {

TtlCache::TtlCache(std::chrono::milliseconds ttl, std::size_t max_entries, prometheus::Registry* registry, Now now)
    : ttl_(ttl), max_per_shard_(std::max<std::size_t>(1, max_entries / kShards)), now_(std::move(now)) {
  if (registry) {
    auto& family = prometheus::BuildCounter()
                       .Name("pillivery_cache_requests_total")
                       .Help("In-process cache lookups by result")
                       .Register(*registry);
    hits_ = &family.Add({{"result", "hit"}});
    misses_ = &family.Add({{"result", "miss"}});
  }
}

TtlCache::Shard& TtlCache::ShardOf(const std::string& key) { return shards_[std::hash<std::string>{}(key) % kShards]; }

std::optional<TtlCache::Value> TtlCache::Get(const std::string& key) {
  Shard& shard = ShardOf(key);
  std::lock_guard lock(shard.mutex);
  auto it = shard.entries.find(key);
  if (it == shard.entries.end() || it->second.expires <= now_()) {
    if (it != shard.entries.end()) shard.entries.erase(it);
    if (misses_) misses_->Increment();
    return std::nullopt;
  }
  if (hits_) hits_->Increment();
  return it->second.value;
}

void TtlCache::Put(const std::string& key, Value value) {
  Shard& shard = ShardOf(key);
  std::lock_guard lock(shard.mutex);
  auto now = now_();
  if (shard.entries.size() >= max_per_shard_) {
    // Drop expired entries first; if still full, drop an arbitrary one.
    for (auto it = shard.entries.begin(); it != shard.entries.end();)
      it = it->second.expires <= now ? shard.entries.erase(it) : std::next(it);
    if (shard.entries.size() >= max_per_shard_) shard.entries.erase(shard.entries.begin());
  }
  auto jitter_range = ttl_.count() / 5;
  auto jitter = jitter_range > 0 ? static_cast<long>(shard.rng() % static_cast<unsigned long>(jitter_range)) : 0;
  shard.entries[key] = Entry{std::move(value), now + ttl_ + std::chrono::milliseconds(jitter)};
}

TtlCache::Value TtlCache::GetOrCompute(const std::string& key, const std::function<std::string()>& compute) {
  if (auto hit = Get(key)) return *hit;
  auto before = invalidations_.load();
  auto value = std::make_shared<const std::string>(compute());
  if (invalidations_.load() == before) Put(key, value);
  return value;
}

void TtlCache::Invalidate(const std::string& key) {
  ++invalidations_;
  Shard& shard = ShardOf(key);
  std::lock_guard lock(shard.mutex);
  shard.entries.erase(key);
}

void TtlCache::InvalidatePrefix(const std::string& prefix) {
  ++invalidations_;
  for (auto& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    for (auto it = shard.entries.begin(); it != shard.entries.end();)
      it = it->first.starts_with(prefix) ? shard.entries.erase(it) : std::next(it);
  }
}

void TtlCache::Clear() {
  ++invalidations_;
  for (auto& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    shard.entries.clear();
  }
}

std::size_t TtlCache::Size() {
  std::size_t n = 0;
  for (auto& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    n += shard.entries.size();
  }
  return n;
}

}  // namespace pillivery::infra
