#pragma once
// Short-lived auth state: refresh tokens (hashed), the access-token revocation
// list, OAuth sign-in states and login failures. An interface because a Redis
// implementation replaces the database one in multi-server mode; the database
// one is correct for several servers too, only slower.
#include "storage/database.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace pillivery::storage {

struct RefreshRecord {
  std::string token_hash;  // hex SHA-256 of the opaque token; the token itself is never stored
  std::string family_id;   // one login's chain of rotations
  std::int64_t user_id = 0;
  std::int64_t issued_at = 0;   // unix seconds
  std::int64_t expires_at = 0;  // unix seconds
  bool spent = false;
  bool revoked = false;
};

struct OAuthState {
  std::string state;
  std::string provider;
  std::string code_verifier;
  std::int64_t expires_at = 0;
};

class TokenStore {
 public:
  virtual ~TokenStore() = default;

  virtual void SaveRefresh(const RefreshRecord& record) = 0;
  virtual std::optional<RefreshRecord> FindRefresh(const std::string& token_hash) = 0;
  // Atomically marks an unspent, unrevoked token spent; false when another
  // request spent (or revoked) it first.
  virtual bool SpendRefresh(const std::string& token_hash) = 0;
  virtual void RevokeFamily(const std::string& family_id) = 0;
  // Every family of the user but `except_family` (the caller's own session, when given).
  virtual void RevokeUserRefreshTokens(std::int64_t user_id, const std::string& except_family = "") = 0;

  // Revoked access tokens are kept until they would have expired anyway.
  virtual void RevokeAccess(const std::string& jti, std::int64_t expires_at) = 0;
  virtual bool IsAccessRevoked(const std::string& jti) = 0;
  // The access token itself, or the session (refresh family) it belongs to,
  // has been revoked: logout, refresh-token reuse, withdrawal, a new password.
  virtual bool IsSessionRevoked(const std::string& jti, const std::string& family_id) = 0;

  virtual void SaveOAuthState(const OAuthState& state) = 0;
  // Single use: the state is deleted whether or not it has expired.
  virtual std::optional<OAuthState> TakeOAuthState(const std::string& state) = 0;

  // Login failures, keyed by scope ("email"/"addr") and a hashed subject.
  virtual void RecordLoginFailure(const std::string& scope, const std::string& key, std::int64_t at) = 0;
  // Failures at or after `since`: count and the oldest time among them.
  struct FailureWindow {
    std::int64_t count = 0;
    std::int64_t oldest = 0;
  };
  virtual FailureWindow LoginFailuresSince(const std::string& scope, const std::string& key, std::int64_t since) = 0;
  virtual void ClearLoginFailures(const std::string& scope, const std::string& key) = 0;

  // Drops whatever expired before `now` (called now and then, not per request).
  virtual void PurgeExpired(std::int64_t now) = 0;
};

class DatabaseTokenStore final : public TokenStore {
 public:
  explicit DatabaseTokenStore(Database& db) : db_(db) {}

  void SaveRefresh(const RefreshRecord& record) override;
  std::optional<RefreshRecord> FindRefresh(const std::string& token_hash) override;
  bool SpendRefresh(const std::string& token_hash) override;
  void RevokeFamily(const std::string& family_id) override;
  void RevokeUserRefreshTokens(std::int64_t user_id, const std::string& except_family = "") override;
  void RevokeAccess(const std::string& jti, std::int64_t expires_at) override;
  bool IsAccessRevoked(const std::string& jti) override;
  bool IsSessionRevoked(const std::string& jti, const std::string& family_id) override;
  void SaveOAuthState(const OAuthState& state) override;
  std::optional<OAuthState> TakeOAuthState(const std::string& state) override;
  void RecordLoginFailure(const std::string& scope, const std::string& key, std::int64_t at) override;
  FailureWindow LoginFailuresSince(const std::string& scope, const std::string& key, std::int64_t since) override;
  void ClearLoginFailures(const std::string& scope, const std::string& key) override;
  void PurgeExpired(std::int64_t now) override;

 private:
  Database& db_;
};

// The HS256 key when none is configured: made once and shared by every server
// of the database (a row of app_secrets), so all of them accept each other's tokens.
std::string LoadOrCreateSecret(Database& db, const std::string& name, const std::string& candidate);

}  // namespace pillivery::storage
