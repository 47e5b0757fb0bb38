#include "service/accounts/oauth_service.hpp"
#include "infra/percent_encoding.hpp"

#include "infra/log.hpp"
#include "service/accounts/secure_random.hpp"

#include <curl/curl.h>
#include <sodium.h>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <memory>

namespace pillivery::service {

using domain::Error;
using domain::ErrorCode;

namespace {

constexpr std::size_t kMaxProviderBody = 1 << 20;
constexpr std::size_t kMaxCodeLength = 2048;

Error StateMismatch() {
  return Error(ErrorCode::kOauthStateMismatch,
               "The sign-in state is missing, expired or belongs to another browser; start again.");
}
Error ProviderUnavailable() {
  return Error(ErrorCode::kOauthProviderUnavailable, "The sign-in provider could not be reached.");
}
Error OAuthFailed() { return Error(ErrorCode::kOauthFailed, "The sign-in provider did not accept the authorization."); }

// application/x-www-form-urlencoded and query values: everything but unreserved characters escaped.
std::string Encode(std::string_view text) { return infra::PercentEncode(text); }

std::string Form(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out += '&';
    out += Encode(name) + "=" + Encode(value);
  }
  return out;
}

struct ProviderAnswer {
  long status = 0;
  std::string body;
};

size_t Collect(char* data, size_t size, size_t n, void* out) {
  auto* body = static_cast<std::string*>(out);
  if (body->size() + size * n > kMaxProviderBody) return 0;  // aborts the transfer
  body->append(data, size * n);
  return size * n;
}

// One blocking HTTP call to a provider; throws 503 when it cannot be completed.
ProviderAnswer Call(const std::string& url, const std::string* form_body, const std::string* bearer) {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) throw ProviderUnavailable();
  ProviderAnswer answer;
  curl_slist* headers = curl_slist_append(nullptr, "Accept: application/json");
  std::string authorization;
  if (bearer) {
    authorization = "Authorization: Bearer " + *bearer;
    headers = curl_slist_append(headers, authorization.c_str());
  }
  if (form_body) {
    headers = curl_slist_append(headers, "Content-Type: application/x-www-form-urlencoded;charset=utf-8");
    curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, form_body->c_str());
    curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE, static_cast<long>(form_body->size()));
  }
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &answer.body);
  curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT_MS, 3000L);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, 10000L);
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "http,https");
  CURLcode rc = curl_easy_perform(curl.get());
  curl_slist_free_all(headers);
  if (rc != CURLE_OK) {
    infra::LogWarn("oauth provider call failed", {{"error", curl_easy_strerror(rc)}});
    throw ProviderUnavailable();
  }
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &answer.status);
  if (answer.status >= 500) throw ProviderUnavailable();
  return answer;
}

boost::json::object ParseObject(const std::string& body) {
  boost::system::error_code ec;
  auto value = boost::json::parse(body, ec);
  if (ec || !value.is_object()) throw ProviderUnavailable();
  return std::move(value.as_object());
}

const boost::json::value* Path(const boost::json::object& root, std::initializer_list<const char*> keys) {
  const boost::json::value* node = nullptr;
  const boost::json::object* object = &root;
  for (const char* key : keys) {
    if (!object) return nullptr;
    node = object->if_contains(key);
    if (!node) return nullptr;
    object = node->if_object();
  }
  return node;
}

std::string StringAt(const boost::json::object& root, std::initializer_list<const char*> keys) {
  auto* node = Path(root, keys);
  if (!node) return {};
  if (node->is_string()) return std::string(node->as_string());
  if (node->is_int64()) return std::to_string(node->as_int64());
  if (node->is_uint64()) return std::to_string(node->as_uint64());
  return {};
}

bool TrueAt(const boost::json::object& root, std::initializer_list<const char*> keys) {
  auto* node = Path(root, keys);
  if (!node) return false;
  if (node->is_bool()) return node->as_bool();
  return node->is_string() && node->as_string() == "true";  // Google has sent both forms
}

ExternalProfile ReadProfile(const std::string& provider, const boost::json::object& info) {
  ExternalProfile profile;
  if (provider == "kakao") {
    profile.subject = StringAt(info, {"id"});
    std::string email = StringAt(info, {"kakao_account", "email"});
    if (!email.empty()) profile.email = email;
    profile.email_verified =
        TrueAt(info, {"kakao_account", "is_email_verified"}) && TrueAt(info, {"kakao_account", "is_email_valid"});
    profile.nickname = StringAt(info, {"kakao_account", "profile", "nickname"});
  } else {
    profile.subject = StringAt(info, {"sub"});
    std::string email = StringAt(info, {"email"});
    if (!email.empty()) profile.email = email;
    profile.email_verified = TrueAt(info, {"email_verified"});
    profile.nickname = StringAt(info, {"name"});
  }
  if (profile.subject.empty() || profile.subject.size() > 191) throw ProviderUnavailable();
  if (profile.email) {
    *profile.email = domain::NormalizeEmail(*profile.email);
    if (domain::EmailProblem(*profile.email)) profile.email.reset();
  }
  return profile;
}

}  // namespace

OAuthService::OAuthService(std::vector<OAuthProvider> providers, std::string redirect_base, AuthService& auth,
                           storage::UserRepository& users, storage::TokenStore& tokens, const infra::Clock& clock)
    : providers_(std::move(providers)),
      redirect_base_(std::move(redirect_base)),
      auth_(auth),
      users_(users),
      tokens_(tokens),
      clock_(clock) {
  while (!redirect_base_.empty() && redirect_base_.back() == '/') redirect_base_.pop_back();
}

const OAuthProvider& OAuthService::Find(std::string_view provider) const {
  for (const auto& p : providers_)
    if (p.name == provider) return p;
  throw Error(ErrorCode::kOauthProviderNotFound, "This sign-in provider is not available.");
}

std::string OAuthService::RedirectUri(const OAuthProvider& provider) const {
  return redirect_base_ + "/api/auth/oauth2/" + provider.name + "/callback";
}

OAuthStart OAuthService::Begin(std::string_view provider_name) {
  const auto& provider = Find(provider_name);
  storage::OAuthState saved;
  saved.state = RandomToken(32);
  saved.provider = provider.name;
  saved.code_verifier = provider.pkce ? RandomToken(48) : "";
  saved.expires_at = std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count() +
                     kStateLifetime.count();
  tokens_.SaveOAuthState(saved);
  std::vector<std::pair<std::string, std::string>> query{{"response_type", "code"},
                                                         {"client_id", provider.client_id},
                                                         {"redirect_uri", RedirectUri(provider)},
                                                         {"state", saved.state}};
  if (!provider.scope.empty()) query.emplace_back("scope", provider.scope);
  if (provider.pkce) {
    query.emplace_back("code_challenge", Sha256Base64Url(saved.code_verifier));
    query.emplace_back("code_challenge_method", "S256");
  }
  std::string url = provider.authorize_url;
  url += (url.find('?') == std::string::npos ? '?' : '&') + Form(query);
  return {url, saved.state};
}

OAuthResult OAuthService::Complete(std::string_view provider_name, std::string_view code, std::string_view state,
                                   std::string_view cookie_state) {
  const auto& provider = Find(provider_name);
  // The state must be the one this browser was given (login CSRF), and unused.
  if (state.empty() || state.size() > 128 || cookie_state.size() != state.size() ||
      sodium_memcmp(state.data(), cookie_state.data(), state.size()) != 0)
    throw StateMismatch();
  auto saved = tokens_.TakeOAuthState(std::string(state));
  std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
  if (!saved || saved->provider != provider.name || now >= saved->expires_at) throw StateMismatch();
  if (code.empty() || code.size() > kMaxCodeLength)
    throw Error::Validation({{"code", "must be the authorization code from the provider"}});

  ExternalProfile profile = FetchProfile(provider, code, saved->code_verifier);
  OAuthResult result;
  domain::User user = FindOrCreateUser(provider, profile, result.created);
  result.user_id = user.id;
  result.profile_complete = user.ProfileComplete();
  result.tokens = auth_.StartSession(user);
  infra::LogInfo("oauth sign-in", {{"provider", provider.name}, {"user_id", user.id}, {"created", result.created}});
  return result;
}

ExternalProfile OAuthService::FetchProfile(const OAuthProvider& provider, std::string_view code,
                                           const std::string& verifier) {
  std::vector<std::pair<std::string, std::string>> fields{{"grant_type", "authorization_code"},
                                                          {"client_id", provider.client_id},
                                                          {"redirect_uri", RedirectUri(provider)},
                                                          {"code", std::string(code)}};
  if (provider.client_secret) fields.emplace_back("client_secret", *provider.client_secret);
  if (provider.pkce) fields.emplace_back("code_verifier", verifier);
  std::string body = Form(fields);
  auto token_answer = Call(provider.token_url, &body, nullptr);
  if (token_answer.status != 200) throw OAuthFailed();
  auto token_json = ParseObject(token_answer.body);
  auto* access = token_json.if_contains("access_token");
  if (!access || !access->is_string() || access->as_string().empty()) throw OAuthFailed();
  std::string access_token(access->as_string());

  auto info_answer = Call(provider.userinfo_url, nullptr, &access_token);
  if (info_answer.status != 200) throw OAuthFailed();
  return ReadProfile(provider.name, ParseObject(info_answer.body));
}

domain::User OAuthService::FindOrCreateUser(const OAuthProvider& provider, const ExternalProfile& profile,
                                            bool& created) {
  created = false;
  domain::SocialIdentity identity{provider.name, profile.subject};
  if (auto linked = users_.FindByIdentity(identity.provider, identity.subject)) {
    if (linked->status != domain::UserStatus::kActive) throw OAuthFailed();
    return *linked;
  }
  // Only a verified email may join an existing account; an unverified one is
  // not even stored, so it cannot squat on someone's address.
  std::optional<std::string> email = profile.email_verified ? profile.email : std::nullopt;
  if (email) {
    if (auto existing = users_.FindByEmail(*email); existing && existing->status == domain::UserStatus::kActive) {
      users_.LinkIdentity(existing->id, identity);
      return *users_.FindById(existing->id);
    }
  }
  domain::User fresh;
  fresh.email = email;
  bool nickname_ok = !profile.nickname.empty() && !domain::DisplayNameProblem(profile.nickname);
  for (int attempt = 0;; ++attempt) {
    fresh.display_name = attempt == 0 && nickname_ok ? profile.nickname : provider.name + "_" + RandomHex(4);
    try {
      fresh.id = users_.Insert(fresh);
      break;
    } catch (const Error& error) {
      if (!error.Is(ErrorCode::kDisplayNameTaken) || attempt >= 5) throw;
    }
  }
  if (!users_.LinkIdentity(fresh.id, identity)) {
    // A concurrent callback for the same person linked first: use that account.
    if (auto linked = users_.FindByIdentity(identity.provider, identity.subject)) return *linked;
    throw OAuthFailed();
  }
  created = true;
  return *users_.FindById(fresh.id);
}

}  // namespace pillivery::service
