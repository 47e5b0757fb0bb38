#pragma once
// Resolved access tokens, kept for a few seconds so an authenticated request
// does not re-read the account and the revocation list every time. This
// process forgets an entry at once when it revokes the token or changes the
// account; other servers forget it when the revocation broadcast reaches them
// (AuthService::OnRevoked), or within the TTL when Redis is unreachable.
#include "domain/user.hpp"
#include "infra/clock.hpp"

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace pillivery::service {

class PrincipalCache {
 public:
  // ttl 0 turns the cache off.
  PrincipalCache(const infra::Clock& clock, std::chrono::milliseconds ttl, std::size_t max_entries = 100'000);

  std::optional<domain::Principal> Find(const std::string& token_id);
  void Remember(const domain::Principal& principal);
  void ForgetToken(const std::string& token_id);
  void ForgetUser(std::int64_t user_id);
  void ForgetSession(const std::string& session_id);
  void Clear();

 private:
  struct Entry {
    domain::Principal principal;
    std::chrono::steady_clock::time_point expires;
  };
  void DropExpired(std::chrono::steady_clock::time_point now);

  const infra::Clock& clock_;
  std::chrono::milliseconds ttl_;
  std::size_t max_entries_;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;  // by token id (jti)
};

}  // namespace pillivery::service
