#include "service/accounts/auth_service.hpp"

#include <charconv>

#include "infra/log.hpp"
#include "service/accounts/secure_random.hpp"

namespace pillivery::service {

using domain::Error;
using domain::ErrorCode;
using domain::User;

namespace {

constexpr std::size_t kRefreshTokenBytes = 32;
constexpr std::size_t kFamilyIdBytes = 16;
constexpr std::size_t kMaxRefreshTokenLength = 256;
constexpr unsigned kPurgeEverySessions = 256;

Error InvalidCredentials() { return Error(ErrorCode::kInvalidCredentials, "The email or password is incorrect."); }
Error InvalidRefreshToken() {
  return Error(ErrorCode::kInvalidRefreshToken, "The refresh token is invalid or expired.");
}

}  // namespace

AuthService::AuthService(storage::Database& db, storage::UserRepository& users, storage::TokenStore& tokens,
                         const PasswordHasher& hasher, const JwtCodec& jwt, LoginThrottle& throttle,
                         const infra::Clock& clock, std::chrono::seconds refresh_lifetime,
                         std::chrono::milliseconds principal_cache_ttl)
    : db_(db),
      users_(users),
      tokens_(tokens),
      hasher_(hasher),
      jwt_(jwt),
      throttle_(throttle),
      clock_(clock),
      refresh_lifetime_(refresh_lifetime),
      principals_(clock, principal_cache_ttl) {}

std::int64_t AuthService::Now() const {
  return std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
}

std::int64_t AuthService::SignUp(domain::SignUpRequest request) {
  request = domain::ValidateSignUp(std::move(request));
  User user;
  user.email = request.email;
  user.password_hash = hasher_.Hash(request.password);
  user.display_name = request.display_name;
  user.real_name = request.real_name;
  user.phone = request.phone;
  user.city = request.city;
  user.detail_address = request.detail_address;
  std::int64_t id = users_.Insert(user);
  infra::LogInfo("user signed up", {{"user_id", id}});
  return id;
}

TokenPair AuthService::Login(std::string_view email, std::string_view password, std::string_view client_address) {
  std::string normalized = domain::NormalizeEmail(email);
  throttle_.Check(normalized, client_address);
  std::optional<User> user;
  if (!domain::EmailProblem(normalized)) user = users_.FindByEmail(normalized);
  bool ok = false;
  if (user && user->status == domain::UserStatus::kActive && user->password_hash) {
    ok = hasher_.Verify(*user->password_hash, password);
  } else {
    hasher_.VerifyDummy(password);  // same cost as a real check: no timing oracle for emails
  }
  if (!ok) {
    throttle_.RecordFailure(normalized, client_address);
    infra::LogInfo("login failed", {{"user_id", user ? user->id : 0}});
    throw InvalidCredentials();
  }
  throttle_.RecordSuccess(normalized);
  if (hasher_.NeedsRehash(*user->password_hash)) {
    user->password_hash = hasher_.Hash(password);
    users_.Update(*user);
  }
  infra::LogInfo("login", {{"user_id", user->id}});
  return StartSession(*user);
}

TokenPair AuthService::StartSession(const User& user) {
  if (++sessions_started_ % kPurgeEverySessions == 0) tokens_.PurgeExpired(Now());
  return IssuePair(user, RandomHex(kFamilyIdBytes));
}

TokenPair AuthService::IssuePair(const User& user, const std::string& family_id) {
  auto access = jwt_.Issue(user.id, user.roles, family_id);
  std::string refresh = RandomToken(kRefreshTokenBytes);
  storage::RefreshRecord record;
  record.token_hash = Sha256Hex(refresh);
  record.family_id = family_id;
  record.user_id = user.id;
  record.issued_at = Now();
  record.expires_at = record.issued_at + refresh_lifetime_.count();
  tokens_.SaveRefresh(record);
  return {std::move(access.token), std::move(refresh), jwt_.Lifetime().count()};
}

TokenPair AuthService::Refresh(std::string_view refresh_token) {
  if (refresh_token.empty() || refresh_token.size() > kMaxRefreshTokenLength) throw InvalidRefreshToken();
  std::string hash = Sha256Hex(refresh_token);
  auto record = tokens_.FindRefresh(hash);
  if (!record || record->revoked) throw InvalidRefreshToken();
  if (record->spent) {
    // A spent token coming back means two parties hold the chain: end it for both.
    RevokeSession(record->family_id);
    infra::LogWarn("refresh token reused; family revoked", {{"user_id", record->user_id}});
    throw InvalidRefreshToken();
  }
  if (Now() >= record->expires_at) throw InvalidRefreshToken();
  if (!tokens_.SpendRefresh(hash)) {
    // Lost a race with another request presenting the same token: same treatment as reuse.
    RevokeSession(record->family_id);
    throw InvalidRefreshToken();
  }
  auto user = users_.FindById(record->user_id);
  if (!user || user->status != domain::UserStatus::kActive) {
    RevokeSession(record->family_id);
    throw InvalidRefreshToken();
  }
  return IssuePair(*user, record->family_id);
}

void AuthService::Logout(const domain::Principal& principal, const std::optional<std::string>& refresh_token) {
  tokens_.RevokeAccess(principal.token_id, principal.token_expires_at);
  principals_.ForgetToken(principal.token_id);
  Revoked("token:" + principal.token_id);
  RevokeSession(principal.session_id);
  if (refresh_token && !refresh_token->empty() && refresh_token->size() <= kMaxRefreshTokenLength) {
    auto record = tokens_.FindRefresh(Sha256Hex(*refresh_token));
    if (record && record->user_id == principal.user_id) RevokeSession(record->family_id);
  }
  infra::LogInfo("logout", {{"user_id", principal.user_id}});
}

domain::Principal AuthService::Authenticate(std::string_view access_token) {
  auto claims = jwt_.Verify(access_token);
  if (!claims) throw domain::Unauthorized("The access token is invalid or expired.");
  if (auto known = principals_.Find(claims->jti)) return *known;
  // Revoking a session (logout, refresh-token reuse) revokes its access tokens too.
  if (tokens_.IsSessionRevoked(claims->jti, claims->session_id))
    throw domain::Unauthorized("The access token has been revoked.");
  // Roles and status come from the account, not the token: a withdrawn user or
  // a removed role stops working at once.
  auto user = users_.FindById(claims->user_id);
  if (!user || user->status != domain::UserStatus::kActive) throw domain::Unauthorized("The account is not active.");
  domain::Principal principal{user->id, user->roles, claims->jti, claims->session_id, claims->expires_at};
  principals_.Remember(principal);
  return principal;
}

std::optional<std::int64_t> AuthService::TokenSubject(std::string_view access_token) const {
  auto claims = jwt_.Verify(access_token);
  if (!claims) return std::nullopt;
  return claims->user_id;
}

User AuthService::Profile(std::int64_t user_id) {
  auto user = users_.FindById(user_id);
  if (!user || user->status != domain::UserStatus::kActive) throw Error(ErrorCode::kUserNotFound, "No such user.");
  return *user;
}

void AuthService::VerifyCurrentPassword(const User& user, const std::optional<std::string>& password,
                                        std::string_view client_address) {
  if (!user.password_hash) return;
  if (!password) throw Error::Validation({{"password", "is required"}});
  // The same throttle as login: a stolen access token must not become a password oracle.
  std::string email = user.email.value_or("");
  throttle_.Check(email, client_address);
  if (!hasher_.Verify(*user.password_hash, *password)) {
    throttle_.RecordFailure(email, client_address);
    throw Error(ErrorCode::kCurrentPasswordMismatch, "The current password is incorrect.");
  }
}

User AuthService::UpdateProfile(const domain::Principal& principal, domain::ProfilePatch patch,
                                std::string_view client_address) {
  User user = Profile(principal.user_id);
  patch = domain::ValidateProfilePatch(std::move(patch), user.password_hash.has_value());
  if (patch.password) {
    if (user.password_hash) {
      try {
        VerifyCurrentPassword(user, patch.current_password, client_address);
      } catch (const Error& error) {
        if (error.Is(ErrorCode::kValidationFailed)) throw Error::Validation({{"currentPassword", "is required"}});
        throw;
      }
    }
    user.password_hash = hasher_.Hash(*patch.password);
  }
  if (patch.display_name) user.display_name = *patch.display_name;
  if (patch.real_name) user.real_name = *patch.real_name;
  if (patch.phone) user.phone = *patch.phone;
  if (patch.city) user.city = *patch.city;
  if (patch.detail_address) user.detail_address = *patch.detail_address;
  users_.Update(user);
  // A new password signs out every other session; this one keeps going.
  if (patch.password) {
    tokens_.RevokeUserRefreshTokens(user.id, principal.session_id);
    principals_.ForgetUser(user.id);
    Revoked("user:" + std::to_string(user.id));
  }
  infra::LogInfo("profile updated", {{"user_id", user.id}, {"password_changed", patch.password.has_value()}});
  return Profile(user.id);
}

void AuthService::Withdraw(const domain::Principal& principal, const std::optional<std::string>& password,
                           std::string_view client_address) {
  User user = Profile(principal.user_id);
  VerifyCurrentPassword(user, password, client_address);
  {
    // One unit of work: the dependent work first (the user's subscriptions end),
    // then the account's own rows.
    storage::UnitOfWork work(db_);
    if (withdraw_tx_) withdraw_tx_(work, user.id);
    users_.Withdraw(work, user.id);
    work.Commit();
  }
  principals_.ForgetUser(user.id);
  tokens_.RevokeUserRefreshTokens(user.id);
  tokens_.RevokeAccess(principal.token_id, principal.token_expires_at);
  Revoked("user:" + std::to_string(user.id));
  infra::LogInfo("user withdrew", {{"user_id", user.id}});
  std::vector<WithdrawHook> hooks;
  {
    std::lock_guard lock(hooks_mutex_);
    hooks = withdraw_hooks_;
  }
  for (const auto& hook : hooks) {
    try {
      hook(user.id);
    } catch (const std::exception& error) {
      infra::LogError("withdraw hook failed", {{"user_id", user.id}, {"what", error.what()}});
    }
  }
}

void AuthService::RevokeSession(const std::string& family_id) {
  tokens_.RevokeFamily(family_id);
  principals_.ForgetSession(family_id);
  Revoked("session:" + family_id);
}

void AuthService::Revoked(const std::string& what) {
  if (!revoked_hook_) return;
  try {
    revoked_hook_(what);
  } catch (const std::exception& error) {
    // The other servers still see it within the principal cache's TTL.
    infra::LogWarn("revocation broadcast failed", {{"what", error.what()}});
  }
}

bool AuthService::Forget(std::string_view what) {
  auto colon = what.find(':');
  if (colon == std::string_view::npos) return false;
  auto kind = what.substr(0, colon);
  std::string subject(what.substr(colon + 1));
  if (kind == "session")
    principals_.ForgetSession(subject);
  else if (kind == "token")
    principals_.ForgetToken(subject);
  else if (kind == "user") {
    std::int64_t id = 0;
    auto [p, ec] = std::from_chars(subject.data(), subject.data() + subject.size(), id);
    if (ec != std::errc{}) return false;
    principals_.ForgetUser(id);
  } else {
    return false;
  }
  return true;
}

void AuthService::OnWithdraw(WithdrawHook hook) {
  std::lock_guard lock(hooks_mutex_);
  withdraw_hooks_.push_back(std::move(hook));
}

std::int64_t AuthService::EnsureAdmin(const std::string& email, const std::string& password) {
  std::string normalized = domain::NormalizeEmail(email);
  domain::Validator v;
  if (auto problem = domain::EmailProblem(normalized)) v.Add("PILLIVERY_ADMIN_EMAIL", *problem);
  if (auto problem = domain::PasswordProblem(password)) v.Add("PILLIVERY_ADMIN_PASSWORD", *problem);
  v.ThrowIfAny();
  if (auto existing = users_.FindByEmail(normalized)) {
    if (!existing->password_hash || !hasher_.Verify(*existing->password_hash, password))
      existing->password_hash = hasher_.Hash(password);
    if (!existing->HasRole(domain::Role::kAdmin)) existing->roles.push_back(domain::Role::kAdmin);
    existing->status = domain::UserStatus::kActive;
    users_.Update(*existing);
    principals_.ForgetUser(existing->id);
    infra::LogInfo("admin account updated", {{"user_id", existing->id}});
    return existing->id;
  }
  User admin;
  admin.email = normalized;
  admin.password_hash = hasher_.Hash(password);
  admin.real_name = "Administrator";
  admin.roles = {domain::Role::kUser, domain::Role::kAdmin};
  // "admin", or "admin-<random>" if a customer already took that name.
  for (int attempt = 0;; ++attempt) {
    admin.display_name = attempt == 0 ? "admin" : "admin-" + RandomHex(3);
    try {
      std::int64_t id = users_.Insert(admin);
      infra::LogInfo("admin account created", {{"user_id", id}});
      return id;
    } catch (const Error& error) {
      if (!error.Is(ErrorCode::kDisplayNameTaken) || attempt >= 5) throw;
    }
  }
}

}  // namespace pillivery::service
