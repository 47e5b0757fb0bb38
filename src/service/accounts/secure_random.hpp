#pragma once
// Random tokens and digests for auth (libsodium underneath).
#include <cstddef>
#include <string>
#include <string_view>

namespace pillivery::service {

// `bytes` random bytes as unpadded base64url (refresh tokens, OAuth state, PKCE verifiers).
std::string RandomToken(std::size_t bytes);
// `bytes` random bytes as lower-case hex (jti, token families).
std::string RandomHex(std::size_t bytes);
// Lower-case hex SHA-256: what is stored instead of a refresh token.
std::string Sha256Hex(std::string_view text);
// Unpadded base64url SHA-256: the PKCE S256 code challenge.
std::string Sha256Base64Url(std::string_view text);

}  // namespace pillivery::service
