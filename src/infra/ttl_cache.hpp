#pragma once
// An in-process cache for hot reads (serialized JSON bodies). Entries live for
// a TTL plus up to 20% random jitter so a burst of keys filled together does
// not expire together; Invalidate() drops keys at once (admin changes). Sharded
// so readers on different keys do not contend on one mutex.
#include <prometheus/counter.h>
#include <prometheus/registry.h>

#include <array>
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <unordered_map>

namespace pillivery::infra {

class TtlCache {
 public:
  using Value = std::shared_ptr<const std::string>;
  using Now = std::function<std::chrono::steady_clock::time_point()>;

  TtlCache(
      std::chrono::milliseconds ttl, std::size_t max_entries, prometheus::Registry* registry = nullptr,
      Now now = [] { return std::chrono::steady_clock::now(); });

  std::optional<Value> Get(const std::string& key);
  void Put(const std::string& key, Value value);
  // Returns the cached value or computes, stores and returns it. A value
  // computed while an invalidation ran is returned but not stored: it may
  // come from the data the invalidation was about.
  Value GetOrCompute(const std::string& key, const std::function<std::string()>& compute);
  void Invalidate(const std::string& key);
  void InvalidatePrefix(const std::string& prefix);
  void Clear();
  std::size_t Size();

 private:
  struct Entry {
    Value value;
    std::chrono::steady_clock::time_point expires;
  };
  struct Shard {
    std::mutex mutex;
    std::unordered_map<std::string, Entry> entries;
    std::minstd_rand rng{12345};
  };
  static constexpr std::size_t kShards = 16;
  Shard& ShardOf(const std::string& key);

  std::chrono::milliseconds ttl_;
  std::atomic<std::uint64_t> invalidations_{0};
  std::size_t max_per_shard_;
  Now now_;
  std::array<Shard, kShards> shards_;
  prometheus::Counter* hits_ = nullptr;
  prometheus::Counter* misses_ = nullptr;
};

}  // namespace pillivery::infra
