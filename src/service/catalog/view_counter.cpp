#include "service/catalog/view_counter.hpp"

#include "infra/log.hpp"

#include <prometheus/counter.h>
#include <prometheus/registry.h>

#include <cmath>
#include <vector>

namespace pillivery::service {

namespace {

constexpr std::size_t kKeysPerPipeline = 200;
constexpr std::int64_t kKeyLifetimeMs = 2 * 24 * 3600 * 1000;  // today and yesterday are still flushed

// Adds what PFCOUNT grew by since the last claim and moves the mark, atomically,
// so two servers flushing the same key add each increase once.
constexpr const char* kClaimScript = R"LUA(
local count = redis.call('PFCOUNT', KEYS[1])
local done = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
if count > done then
  redis.call('HSET', KEYS[2], ARGV[1], count)
  redis.call('PEXPIRE', KEYS[2], ARGV[2])
  return count - done
end
return 0
)LUA";

std::int64_t Today(const infra::Clock& clock) { return infra::BusinessDate(clock.Now()).DaysSinceEpoch(); }

}  // namespace

ViewCounter::ViewCounter(storage::ItemRepository& items, const infra::Clock& clock, infra::RedisClient* redis,
                         ViewCounterOptions options, prometheus::Registry* registry)
    : items_(items),
      clock_(clock),
      redis_(redis),
      options_(std::move(options)),
      flusher_("views flush", options_.flush_interval, infra::PeriodicTask::FirstTick::kAfterInterval,
               [this] { Flush(); }) {
  if (registry) {
    recorded_ = &prometheus::BuildCounter()
                     .Name("pillivery_views_recorded_total")
                     .Help("Item detail views recorded (before de-duplication)")
                     .Register(*registry)
                     .Add({});
    flushed_ = &prometheus::BuildCounter()
                    .Name("pillivery_views_flushed_total")
                    .Help("Unique daily visitors added to items.views")
                    .Register(*registry)
                    .Add({});
    dropped_ = &prometheus::BuildCounter()
                    .Name("pillivery_views_dropped_total")
                    .Help("Views not counted because too many were waiting for Redis")
                    .Register(*registry)
                    .Add({});
  }
}

ViewCounter::~ViewCounter() { Stop(); }

void ViewCounter::Record(std::int64_t item_id, std::string_view visitor_key) {
  Key key{Today(clock_), item_id};
  Shard& shard = ShardOf(item_id);
  if (!redis_) {
    std::lock_guard lock(shard.mutex);
    Sketch& sketch = shard.sketches[key];
    if (sketch.hll.Add(visitor_key)) sketch.dirty = true;
  } else {
    if (pending_count_.load(std::memory_order_relaxed) >= options_.max_pending) {
      dropped_since_log_.fetch_add(1, std::memory_order_relaxed);
      if (dropped_) dropped_->Increment();
      return;
    }
    std::lock_guard lock(shard.mutex);
    if (shard.pending[key].emplace(visitor_key).second) pending_count_.fetch_add(1, std::memory_order_relaxed);
  }
  if (recorded_) recorded_->Increment();
}

std::int64_t ViewCounter::Flush() {
  std::lock_guard flush_lock(flush_mutex_);
  std::int64_t today = Today(clock_);
  if (auto dropped = dropped_since_log_.exchange(0); dropped > 0)
    infra::LogWarn("views dropped: too many waiting for Redis",
                   {{"dropped", dropped}, {"max_pending", options_.max_pending}});
  return redis_ ? FlushRedis(today) : FlushMemory(today);
}

bool ViewCounter::AddToDatabase(const std::map<std::int64_t, std::int64_t>& deltas) {
  if (deltas.empty()) return true;
  try {
    items_.AddViews({deltas.begin(), deltas.end()});
    return true;
  } catch (const std::exception& e) {
    infra::LogWarn("views flush to the database failed; retried on the next flush", {{"error", e.what()}});
    return false;
  }
}

std::int64_t ViewCounter::FlushMemory(std::int64_t today) {
  // Copy the changed sketches out (4 KiB each) so Record never waits on estimates.
  std::vector<std::pair<Key, Sketch>> changed;
  for (auto& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    for (auto& [key, sketch] : shard.sketches)
      if (sketch.dirty) {
        changed.emplace_back(key, sketch);
        sketch.dirty = false;
      }
  }
  std::map<std::int64_t, std::int64_t> deltas;
  std::vector<std::pair<Key, std::int64_t>> marks;
  for (const auto& [key, sketch] : changed) {
    auto estimate = static_cast<std::int64_t>(std::llround(sketch.hll.Estimate()));
    if (estimate > sketch.flushed) {
      deltas[key.item] += estimate - sketch.flushed;
      marks.emplace_back(key, estimate);
    }
  }
  bool ok = AddToDatabase(deltas);
  std::int64_t added = 0;
  for (auto& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    for (const auto& [key, estimate] : marks) {
      auto it = shard.sketches.find(key);
      if (it == shard.sketches.end()) continue;  // another shard's
      if (ok) {
        added += estimate - it->second.flushed;
        it->second.flushed = std::max(it->second.flushed, estimate);
      } else {
        it->second.dirty = true;
      }
    }
    // Days before yesterday are final: nothing records into them any more.
    for (auto it = shard.sketches.begin(); it != shard.sketches.end();)
      it = (it->first.day < today - 1 && !it->second.dirty) ? shard.sketches.erase(it) : std::next(it);
  }
  if (flushed_) flushed_->Increment(static_cast<double>(added));
  return added;
}

void ViewCounter::Requeue(std::unordered_map<Key, std::unordered_set<std::string>, KeyHash>& batch) {
  for (auto& [key, visitors] : batch) {
    Shard& shard = ShardOf(key.item);
    std::lock_guard lock(shard.mutex);
    auto& pending = shard.pending[key];
    for (auto& v : visitors)
      if (pending.insert(v).second) pending_count_.fetch_add(1, std::memory_order_relaxed);
  }
}

std::int64_t ViewCounter::FlushRedis(std::int64_t today) {
  std::unordered_map<Key, std::unordered_set<std::string>, KeyHash> batch;
  for (auto& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    for (auto& [key, visitors] : shard.pending) {
      pending_count_.fetch_sub(visitors.size(), std::memory_order_relaxed);
      auto& into = batch[key];
      for (auto& v : visitors) into.insert(v);
    }
    shard.pending.clear();
  }
  std::map<std::int64_t, std::int64_t> deltas = std::move(owed_);
  owed_.clear();
  // PFADD is idempotent, so a failed round trip is simply sent again later.
  std::vector<Key> keys;
  for (const auto& [key, visitors] : batch)
    if (key.day >= today - 1) keys.push_back(key);  // older days' keys may have expired: late views are dropped
  std::string lifetime = std::to_string(kKeyLifetimeMs);
  std::size_t done = 0;
  try {
    for (; done < keys.size(); done += kKeysPerPipeline) {
      std::vector<infra::RedisArgv> commands;
      std::size_t end = std::min(keys.size(), done + kKeysPerPipeline);
      for (std::size_t i = done; i < end; ++i) {
        const Key& key = keys[i];
        std::string day = domain::Date::FromDays(key.day).ToString();
        std::string sketch_key = options_.redis_prefix + "views:" + day + ":" + std::to_string(key.item);
        infra::RedisArgv pfadd{"PFADD", sketch_key};
        for (const auto& v : batch[key]) pfadd.push_back(v);
        commands.push_back(std::move(pfadd));
        commands.push_back({"PEXPIRE", sketch_key, lifetime});
        commands.push_back({"EVAL", kClaimScript, "2", sketch_key, options_.redis_prefix + "views:flushed:" + day,
                            std::to_string(key.item), lifetime});
      }
      auto replies = redis_->Pipeline(commands);
      for (std::size_t i = done; i < end; ++i) {
        const auto& claim = replies[(i - done) * 3 + 2];
        if (claim.IsError()) throw infra::RedisError("views claim: " + claim.text);
        if (claim.integer > 0) deltas[keys[i].item] += claim.integer;
        batch.erase(keys[i]);
      }
    }
    if (redis_failing_) infra::LogInfo("views: Redis is back; pending views caught up");
    redis_failing_ = false;
  } catch (const infra::RedisError& e) {
    redis_->CountError("views_flush");
    if (!redis_failing_)
      infra::LogWarn("views: Redis unavailable; keeping views in memory until it is back",
                     {{"error", e.what()}, {"max_pending", options_.max_pending}});
    redis_failing_ = true;
    for (auto it = batch.begin(); it != batch.end();) it = it->first.day < today - 1 ? batch.erase(it) : std::next(it);
    Requeue(batch);
  }
  if (!AddToDatabase(deltas)) {
    owed_ = std::move(deltas);  // claimed in Redis already: only this process can still add them
    return 0;
  }
  std::int64_t added = 0;
  for (const auto& [item, delta] : deltas) added += delta;
  if (flushed_) flushed_->Increment(static_cast<double>(added));
  return added;
}

void ViewCounter::Start() { flusher_.Start(); }

void ViewCounter::Stop() {
  if (flusher_.Stop()) Flush();  // what was counted since the last tick
}

}  // namespace pillivery::service
