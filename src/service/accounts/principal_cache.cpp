#include "service/accounts/principal_cache.hpp"

namespace pillivery::service {

PrincipalCache::PrincipalCache(const infra::Clock& clock, std::chrono::milliseconds ttl, std::size_t max_entries)
    : clock_(clock), ttl_(ttl), max_entries_(max_entries) {}

std::optional<domain::Principal> PrincipalCache::Find(const std::string& token_id) {
  if (ttl_.count() <= 0) return std::nullopt;
  auto now = clock_.Steady();
  std::lock_guard lock(mutex_);
  auto it = entries_.find(token_id);
  if (it == entries_.end()) return std::nullopt;
  if (it->second.expires <= now) {
    entries_.erase(it);
    return std::nullopt;
  }
  return it->second.principal;
}

void PrincipalCache::Remember(const domain::Principal& principal) {
  if (ttl_.count() <= 0) return;
  auto now = clock_.Steady();
  std::lock_guard lock(mutex_);
  if (entries_.size() >= max_entries_) DropExpired(now);
  if (entries_.size() >= max_entries_) entries_.clear();  // a flood of distinct tokens: start over
  entries_.insert_or_assign(principal.token_id, Entry{principal, now + ttl_});
}

void PrincipalCache::ForgetToken(const std::string& token_id) {
  std::lock_guard lock(mutex_);
  entries_.erase(token_id);
}

void PrincipalCache::ForgetUser(std::int64_t user_id) {
  std::lock_guard lock(mutex_);
  std::erase_if(entries_, [user_id](const auto& entry) { return entry.second.principal.user_id == user_id; });
}

void PrincipalCache::ForgetSession(const std::string& session_id) {
  std::lock_guard lock(mutex_);
  std::erase_if(entries_, [&](const auto& entry) { return entry.second.principal.session_id == session_id; });
}

void PrincipalCache::Clear() {
  std::lock_guard lock(mutex_);
  entries_.clear();
}

void PrincipalCache::DropExpired(std::chrono::steady_clock::time_point now) {
  std::erase_if(entries_, [now](const auto& entry) { return entry.second.expires <= now; });
}

}  // namespace pillivery::service
