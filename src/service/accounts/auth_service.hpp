#pragma once
// Accounts and sessions: sign-up, login, refresh rotation, logout, the
// profile, withdrawal, and resolving an access token to a principal.
#include "domain/user.hpp"
#include "infra/clock.hpp"
#include "service/accounts/jwt_codec.hpp"
#include "service/accounts/password_hasher.hpp"
#include "service/accounts/principal_cache.hpp"
#include "service/limits/login_throttle.hpp"
#include "storage/token_store.hpp"
#include "storage/unit_of_work.hpp"
#include "storage/user_repository.hpp"

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pillivery::service {

struct TokenPair {
  std::string access_token;
  std::string refresh_token;
  std::int64_t expires_in = 0;  // seconds the access token lives
};

class AuthService {
 public:
  AuthService(storage::Database& db, storage::UserRepository& users, storage::TokenStore& tokens,
              const PasswordHasher& hasher, const JwtCodec& jwt, LoginThrottle& throttle, const infra::Clock& clock,
              std::chrono::seconds refresh_lifetime = std::chrono::hours(24 * 14),
              std::chrono::milliseconds principal_cache_ttl = std::chrono::milliseconds(0));

  // 400 VALIDATION_FAILED (every broken rule), 409 EMAIL_TAKEN / DISPLAY_NAME_TAKEN / PHONE_TAKEN.
  std::int64_t SignUp(domain::SignUpRequest request);
  // 401 INVALID_CREDENTIALS, the same answer (and cost) whether or not the
  // email exists; 429 LOGIN_THROTTLED.
  TokenPair Login(std::string_view email, std::string_view password, std::string_view client_address);
  // Rotation: the presented token is spent; presenting a spent one revokes its family. 401 INVALID_REFRESH_TOKEN.
  TokenPair Refresh(std::string_view refresh_token);
  // Revokes the access token (until its expiry) and the session's refresh family
  // (and that of `refresh_token`, if it is the caller's).
  void Logout(const domain::Principal& principal, const std::optional<std::string>& refresh_token);
  // 401 UNAUTHORIZED for a bad, expired or revoked token or a withdrawn user.
  domain::Principal Authenticate(std::string_view access_token);
  // The user id of a well-signed, unexpired access token, with no database
  // lookup (revocation and account status are not checked): cheap enough for
  // an I/O thread. For counting (unique visitors), never for access.
  std::optional<std::int64_t> TokenSubject(std::string_view access_token) const;

  domain::User Profile(std::int64_t user_id);
  domain::User UpdateProfile(const domain::Principal& principal, domain::ProfilePatch patch,
                             std::string_view client_address);
  // Needs the password when the account has one (403 CURRENT_PASSWORD_MISMATCH).
  void Withdraw(const domain::Principal& principal, const std::optional<std::string>& password,
                std::string_view client_address);

  // Later modules cancel subscriptions etc. here; called after the withdrawal
  // is committed, with the user's id. A throwing hook is logged, not fatal.
  using WithdrawHook = std::function<void(std::int64_t user_id)>;
  void OnWithdraw(WithdrawHook hook);
  // Work that must commit or roll back with the withdrawal itself (ending the
  // user's subscriptions): runs in its unit of work, before the account's own
  // rows (UserRepository::Withdraw says why). Set once, at wiring.
  using WithdrawTx = std::function<void(storage::UnitOfWork&, std::int64_t user_id)>;
  void InWithdrawal(WithdrawTx work) { withdraw_tx_ = std::move(work); }

  // Revocations other servers must apply to their principal caches at once:
  // "session:<family>", "user:<id>", "token:<jti>" (the app broadcasts them
  // over Redis and hands those it hears to Forget).
  using RevokedHook = std::function<void(const std::string& what)>;
  void OnRevoked(RevokedHook hook) { revoked_hook_ = std::move(hook); }
  // Applies a revocation heard from another server; false if `what` is not one.
  bool Forget(std::string_view what);
  // After a gap in the broadcast: every cached principal may be stale.
  void ForgetAllPrincipals() { principals_.Clear(); }

  // Creates the admin account, or makes the existing account of that email an
  // active admin with this password (PILLIVERY_ADMIN_EMAIL/PASSWORD at start).
  std::int64_t EnsureAdmin(const std::string& email, const std::string& password);

  // A new session for a user who proved who they are some other way (OAuth).
  TokenPair StartSession(const domain::User& user);

 private:
  std::int64_t Now() const;
  TokenPair IssuePair(const domain::User& user, const std::string& family_id);
  void VerifyCurrentPassword(const domain::User& user, const std::optional<std::string>& password,
                             std::string_view client_address);

  storage::Database& db_;
  storage::UserRepository& users_;
  storage::TokenStore& tokens_;
  const PasswordHasher& hasher_;
  const JwtCodec& jwt_;
  LoginThrottle& throttle_;
  const infra::Clock& clock_;
  std::chrono::seconds refresh_lifetime_;
  PrincipalCache principals_;
  std::mutex hooks_mutex_;
  std::vector<WithdrawHook> withdraw_hooks_;
  WithdrawTx withdraw_tx_;
  std::atomic<unsigned> sessions_started_{0};
  RevokedHook revoked_hook_;
  void Revoked(const std::string& what);
  void RevokeSession(const std::string& family_id);
};

}  // namespace pillivery::service
