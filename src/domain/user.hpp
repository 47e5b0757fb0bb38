#pragma once
// Users, their validation rules and the authenticated principal (product.md §1 User).
#include "domain/error.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pillivery::domain {

enum class Role { kUser, kAdmin };
enum class UserStatus { kActive, kWithdrawn };

std::string_view CodeOf(Role role);
std::string_view CodeOf(UserStatus status);
std::optional<Role> ParseRole(std::string_view code);
std::optional<UserStatus> ParseUserStatus(std::string_view code);
// "USER,ADMIN" ↔ roles; unknown codes are dropped.
std::string JoinRoles(const std::vector<Role>& roles);
std::vector<Role> SplitRoles(std::string_view codes);

struct SocialIdentity {
  std::string provider;  // "kakao", "google"
  std::string subject;
};

struct User {
  std::int64_t id = 0;
  std::optional<std::string> email;          // absent for social accounts without a verified email
  std::optional<std::string> password_hash;  // absent for social-only accounts
  std::string display_name;
  std::string real_name;
  std::optional<std::string> phone;  // canonical 010-1234-5678
  std::string city;
  std::string detail_address;
  std::vector<Role> roles{Role::kUser};
  UserStatus status = UserStatus::kActive;
  std::vector<SocialIdentity> identities;
  std::string created_at;

  bool HasRole(Role role) const;
  // Social sign-ups leave these empty: the client collects them next.
  bool ProfileComplete() const;
};

struct SignUpRequest {
  std::string email;
  std::string password;
  std::string display_name;
  std::string real_name;
  std::string phone;
  std::string city;
  std::string detail_address;
};

// Only the fields present change. A new password needs current_password.
struct ProfilePatch {
  std::optional<std::string> display_name;
  std::optional<std::string> real_name;
  std::optional<std::string> phone;
  std::optional<std::string> city;
  std::optional<std::string> detail_address;
  std::optional<std::string> password;
  std::optional<std::string> current_password;
};

// The caller of an authenticated request.
struct Principal {
  std::int64_t user_id = 0;
  std::vector<Role> roles;
  std::string token_id;               // the access token's jti
  std::string session_id;             // the refresh-token family the access token belongs to
  std::int64_t token_expires_at = 0;  // unix seconds
  bool IsAdmin() const;
};

// Ownership rule every later resource uses: another user's resource is
// indistinguishable from a missing one (404 with the resource's own code).
void RequireOwner(const Principal& principal, std::int64_t owner_user_id, ErrorCode not_found_code,
                  const std::string& detail);

// Display names given to withdrawn accounts; reserved for them.
inline constexpr std::string_view kWithdrawnNamePrefix = "withdrawn-";

// Rule checks; each returns the reason a value breaks its rule, or nothing.
std::optional<std::string> EmailProblem(std::string_view email);
std::optional<std::string> PasswordProblem(std::string_view password);
std::optional<std::string> PhoneProblem(std::string_view phone);
std::optional<std::string> DisplayNameProblem(std::string_view name);
std::optional<std::string> RealNameProblem(std::string_view name);
std::optional<std::string> CityProblem(std::string_view city);
std::optional<std::string> DetailAddressProblem(std::string_view detail);

// Lower-cased ASCII email: the unique key.
std::string NormalizeEmail(std::string_view email);
// "01012345678" / "010-1234-5678" → "010-1234-5678", so hyphens cannot dodge uniqueness.
std::string NormalizePhone(std::string_view phone);
// Code points of valid UTF-8, or nothing for invalid UTF-8.
std::optional<std::size_t> Utf8Length(std::string_view text);

// Throws VALIDATION_FAILED listing every broken rule; returns the normalised request.
SignUpRequest ValidateSignUp(SignUpRequest request);
// has_password: a new password needs currentPassword unless the account has none (social-only).
ProfilePatch ValidateProfilePatch(ProfilePatch patch, bool has_password);

// A 429 that tells the client when to come back (the Retry-After header).
class RateLimitedError : public Error {
 public:
  RateLimitedError(ErrorCode code, std::string detail, std::int64_t retry_after_seconds)
      : Error(code, std::move(detail)) {
    retry_after_seconds_ = retry_after_seconds;
  }
  std::int64_t RetryAfterSeconds() const { return *retry_after_seconds_; }
};

inline Error Unauthorized(std::string detail = "Authentication is required.") {
  return Error(ErrorCode::kUnauthorized, std::move(detail));
}

}  // namespace pillivery::domain
