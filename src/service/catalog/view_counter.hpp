#pragma once
// Item views = unique visitors per business day, approximate (product.md §1).
// Record() only touches memory, so it may run on an HTTP I/O thread; a
// flusher thread adds each (item, day)'s growth in unique visitors to
// items.views (views = views + delta), so views = Σ over days of that day's
// unique visitors.
//
// Single node: one HyperLogLog per (item, day) in this process.
// Several servers (Redis): visitors are PFADDed to views:{day}:{item}; a Lua
// script reads PFCOUNT and moves the "already added" mark in one step, so each
// increase is claimed by exactly one server.
#include "infra/clock.hpp"
#include "infra/hyperloglog.hpp"
#include "infra/periodic_task.hpp"
#include "infra/redis_client.hpp"
#include "storage/item_repository.hpp"

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace prometheus {
class Counter;
class Registry;
}  // namespace prometheus

namespace pillivery::service {

struct ViewCounterOptions {
  std::chrono::milliseconds flush_interval{std::chrono::seconds(5)};
  // Redis mode: visitor keys held for the next flush (and kept while Redis is
  // down); past this, new views are dropped and counted.
  std::size_t max_pending = 100'000;
  std::string redis_prefix = "pillivery:";
};

class ViewCounter {
 public:
  // redis == nullptr: single-node mode.
  ViewCounter(storage::ItemRepository& items, const infra::Clock& clock, infra::RedisClient* redis,
              ViewCounterOptions options = {}, prometheus::Registry* registry = nullptr);
  ~ViewCounter();
  ViewCounter(const ViewCounter&) = delete;
  ViewCounter& operator=(const ViewCounter&) = delete;

  // Never blocks on I/O: a short critical section on one of 16 shards.
  void Record(std::int64_t item_id, std::string_view visitor_key);
  // Adds what was counted since the last flush to items.views; returns the
  // views added. Failures are logged and retried on the next flush.
  std::int64_t Flush();

  void Start();  // the flusher thread
  void Stop();   // stops it, after one last flush

 private:
  struct Key {
    std::int64_t day;  // business date, days since the epoch
    std::int64_t item;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const { return std::hash<std::int64_t>{}(k.item * 1'000'003 + k.day); }
  };
  struct Sketch {
    infra::HyperLogLog hll;
    std::int64_t flushed = 0;  // the estimate already added to items.views
    bool dirty = false;
  };
  struct Shard {
    std::mutex mutex;
    std::unordered_map<Key, Sketch, KeyHash> sketches;                          // single node
    std::unordered_map<Key, std::unordered_set<std::string>, KeyHash> pending;  // Redis
  };
  static constexpr std::size_t kShards = 16;

  Shard& ShardOf(std::int64_t item) { return shards_[static_cast<std::size_t>(item) % kShards]; }
  std::int64_t FlushMemory(std::int64_t today);
  std::int64_t FlushRedis(std::int64_t today);
  void Requeue(std::unordered_map<Key, std::unordered_set<std::string>, KeyHash>& batch);
  // items.views += delta for each item, in one transaction; false (logged) on failure.
  bool AddToDatabase(const std::map<std::int64_t, std::int64_t>& deltas);

  storage::ItemRepository& items_;
  const infra::Clock& clock_;
  infra::RedisClient* redis_;
  ViewCounterOptions options_;
  std::array<Shard, kShards> shards_;
  std::atomic<std::size_t> pending_count_{0};
  std::atomic<std::size_t> dropped_since_log_{0};

  std::mutex flush_mutex_;                     // one flush at a time
  std::map<std::int64_t, std::int64_t> owed_;  // claimed in Redis, not yet in the database
  bool redis_failing_ = false;

  prometheus::Counter* recorded_ = nullptr;
  prometheus::Counter* flushed_ = nullptr;
  prometheus::Counter* dropped_ = nullptr;

  infra::PeriodicTask flusher_;  // last: stops before the state it flushes goes
};

}  // namespace pillivery::service
