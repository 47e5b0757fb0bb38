#pragma once
// Access tokens: HS256 JWTs with jti, sub, roles, sid, iat, exp, iss, aud.
// The only file that knows cpp-jwt is jwt_codec.cpp.
#include "domain/user.hpp"
#include "infra/clock.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pillivery::service {

struct AccessClaims {
  std::string jti;
  std::int64_t user_id = 0;  // sub
  std::vector<domain::Role> roles;
  std::string session_id;       // sid: the refresh-token family, so logout can end the session
  std::int64_t issued_at = 0;   // unix seconds
  std::int64_t expires_at = 0;  // unix seconds
};

class JwtCodec {
 public:
  static constexpr const char* kIssuer = "pillivery";
  static constexpr const char* kAudience = "pillivery-api";
  static constexpr std::size_t kMinSecretBytes = 32;

  JwtCodec(std::string secret, const infra::Clock& clock, std::chrono::seconds lifetime);

  struct Issued {
    std::string token;
    AccessClaims claims;
  };
  Issued Issue(std::int64_t user_id, const std::vector<domain::Role>& roles, const std::string& session_id) const;
  // Nothing unless the token is HS256 (never `none` or another algorithm),
  // signed with our key, unexpired by the injected clock, for our issuer and
  // audience, and carries every claim with the right type.
  std::optional<AccessClaims> Verify(std::string_view token) const;
  std::chrono::seconds Lifetime() const { return lifetime_; }

 private:
  std::string secret_;
  const infra::Clock& clock_;
  std::chrono::seconds lifetime_;
};

}  // namespace pillivery::service
