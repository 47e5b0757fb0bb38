#pragma once
// Sign-in with Kakao and Google: the OAuth 2.0 authorization-code flow with a
// `state` bound to the browser by a cookie, PKCE (S256) where the provider
// supports it (Google), the code exchanged at the token endpoint and the
// profile read from the user-info endpoint over libcurl.
#include "infra/clock.hpp"
#include "service/accounts/auth_service.hpp"
#include "storage/token_store.hpp"
#include "storage/user_repository.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pillivery::service {

struct OAuthProvider {
  std::string name;  // "kakao", "google": the {provider} path segment
  std::string client_id;
  std::optional<std::string> client_secret;
  std::string authorize_url;
  std::string token_url;
  std::string userinfo_url;
  std::string scope;
  bool pkce = false;
};

// What a provider tells us about the person.
struct ExternalProfile {
  std::string subject;
  std::optional<std::string> email;
  bool email_verified = false;
  std::string nickname;
};

struct OAuthStart {
  std::string authorize_url;  // where to send the browser
  std::string state;          // also goes into the browser-binding cookie
};

struct OAuthResult {
  TokenPair tokens;
  std::int64_t user_id = 0;
  bool created = false;
  bool profile_complete = false;
};

class OAuthService {
 public:
  static constexpr const char* kStateCookie = "pillivery_oauth_state";
  static constexpr std::chrono::seconds kStateLifetime{600};

  // redirect_base: this server's public URL; the callback is {base}/api/auth/oauth2/{provider}/callback.
  OAuthService(std::vector<OAuthProvider> providers, std::string redirect_base, AuthService& auth,
               storage::UserRepository& users, storage::TokenStore& tokens, const infra::Clock& clock);

  // 404 OAUTH_PROVIDER_NOT_FOUND for an unknown or unconfigured provider.
  OAuthStart Begin(std::string_view provider);
  // 400 OAUTH_STATE_MISMATCH when the state is unknown, expired, used, or not
  // the browser's cookie; 401 OAUTH_FAILED when the provider rejects the code;
  // 503 OAUTH_PROVIDER_UNAVAILABLE when it cannot be reached.
  OAuthResult Complete(std::string_view provider, std::string_view code, std::string_view state,
                       std::string_view cookie_state);

 private:
  const OAuthProvider& Find(std::string_view provider) const;
  std::string RedirectUri(const OAuthProvider& provider) const;
  ExternalProfile FetchProfile(const OAuthProvider& provider, std::string_view code, const std::string& verifier);
  domain::User FindOrCreateUser(const OAuthProvider& provider, const ExternalProfile& profile, bool& created);

  std::vector<OAuthProvider> providers_;
  std::string redirect_base_;
  AuthService& auth_;
  storage::UserRepository& users_;
  storage::TokenStore& tokens_;
  const infra::Clock& clock_;
};

}  // namespace pillivery::service
