#include "service/accounts/jwt_codec.hpp"

#include "domain/error.hpp"
#include "service/accounts/secure_random.hpp"

#include <jwt/jwt.hpp>

#include <algorithm>
#include <charconv>

namespace pillivery::service {

namespace {

constexpr std::size_t kMaxTokenLength = 4096;
constexpr const char* kAlgorithm = "HS256";

std::int64_t UnixSeconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace

JwtCodec::JwtCodec(std::string secret, const infra::Clock& clock, std::chrono::seconds lifetime)
    : secret_(std::move(secret)), clock_(clock), lifetime_(lifetime) {
  if (secret_.size() < kMinSecretBytes)
    throw domain::Error(domain::ErrorCode::kConfigInvalid, "the JWT secret must be at least 32 bytes");
}

JwtCodec::Issued JwtCodec::Issue(std::int64_t user_id, const std::vector<domain::Role>& roles,
                                 const std::string& session_id) const {
  AccessClaims claims;
  claims.jti = RandomHex(16);
  claims.user_id = user_id;
  claims.roles = roles;
  claims.session_id = session_id;
  claims.issued_at = UnixSeconds(clock_.Now());
  claims.expires_at = claims.issued_at + lifetime_.count();
  std::vector<std::string> role_codes;
  role_codes.reserve(roles.size());
  for (auto role : roles) role_codes.emplace_back(domain::CodeOf(role));

  jwt::jwt_object object{jwt::params::algorithm(kAlgorithm), jwt::params::secret(secret_)};
  object.add_claim("jti", claims.jti)
      .add_claim("sub", std::to_string(user_id))
      .add_claim("roles", role_codes)
      .add_claim("sid", session_id)
      .add_claim("iat", claims.issued_at)
      .add_claim("exp", claims.expires_at)
      .add_claim("iss", kIssuer)
      .add_claim("aud", kAudience);
  return {object.signature(), std::move(claims)};
}

std::optional<AccessClaims> JwtCodec::Verify(std::string_view token) const {
  if (token.empty() || token.size() > kMaxTokenLength) return std::nullopt;
  // cpp-jwt's base64 decoder indexes its table with the raw byte: a byte outside
  // the base64url alphabet (e.g. 0xF8) aborts on its assert or reads outside the
  // table. Found by the API fuzzer: such a token is refused before it is decoded.
  for (char c : token) {
    bool base64url = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                     c == '_' || c == '.' || c == '=';
    if (!base64url) return std::nullopt;
  }
  std::int64_t now = UnixSeconds(clock_.Now());
  // cpp-jwt checks exp against the system clock; a leeway of however far the
  // injected clock lags it makes that check agree with ours (0 in production).
  std::int64_t lag = std::max<std::int64_t>(0, UnixSeconds(infra::SystemClock().Now()) - now);
  try {
    std::error_code ec;
    auto decoded =
        jwt::decode(jwt::string_view(token.data(), token.size()), jwt::params::algorithms({kAlgorithm}), ec,
                    jwt::params::secret(secret_), jwt::params::issuer(kIssuer), jwt::params::aud(kAudience),
                    jwt::params::leeway(static_cast<std::uint32_t>(std::min<std::int64_t>(lag, UINT32_MAX))),
                    jwt::params::validate_iat(true), jwt::params::validate_jti(true), jwt::params::verify(true));
    if (ec) return std::nullopt;
    // Belt and braces: the library accepted it, but only HS256 is ours.
    if (decoded.header().algo() != jwt::algorithm::HS256) return std::nullopt;
    const auto& payload = decoded.payload().create_json_obj();
    auto string_claim = [&](const char* name) -> std::optional<std::string> {
      auto it = payload.find(name);
      if (it == payload.end() || !it->is_string()) return std::nullopt;
      return it->get<std::string>();
    };
    auto integer_claim = [&](const char* name) -> std::optional<std::int64_t> {
      auto it = payload.find(name);
      if (it == payload.end() || !it->is_number_integer()) return std::nullopt;
      return it->get<std::int64_t>();
    };
    AccessClaims claims;
    auto jti = string_claim("jti");
    auto sub = string_claim("sub");
    auto sid = string_claim("sid");
    auto iat = integer_claim("iat");
    auto exp = integer_claim("exp");
    if (!jti || !sub || !sid || !iat || !exp || jti->empty()) return std::nullopt;
    auto [end, parse_ec] = std::from_chars(sub->data(), sub->data() + sub->size(), claims.user_id);
    if (parse_ec != std::errc{} || end != sub->data() + sub->size() || claims.user_id < 1) return std::nullopt;
    if (now >= *exp || *iat > now + 60) return std::nullopt;  // expired, or issued in the future
    auto roles = payload.find("roles");
    if (roles == payload.end() || !roles->is_array()) return std::nullopt;
    for (const auto& role : *roles) {
      if (!role.is_string()) return std::nullopt;
      if (auto parsed = domain::ParseRole(role.get<std::string>())) claims.roles.push_back(*parsed);
    }
    claims.jti = *jti;
    claims.session_id = *sid;
    claims.issued_at = *iat;
    claims.expires_at = *exp;
    return claims;
  } catch (...) {
    // Malformed base64, JSON or claim types: just not a valid token.
    return std::nullopt;
  }
}

}  // namespace pillivery::service
