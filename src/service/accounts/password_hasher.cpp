#include "service/accounts/password_hasher.hpp"

#include "domain/error.hpp"

#include <sodium.h>

namespace pillivery::service {

PasswordHasher::PasswordHasher(PasswordCost cost) : cost_(cost) {
  if (sodium_init() < 0) throw domain::Error(domain::ErrorCode::kCryptoUnavailable, "libsodium failed to initialise");
  dummy_hash_ = Hash("not a password of anyone: timing filler");
}

std::string PasswordHasher::Hash(std::string_view password) const {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), cost_.opslimit, cost_.memlimit) != 0)
    throw domain::Error(domain::ErrorCode::kOutOfMemory, "Hashing failed; try again shortly.");
  return out;
}

bool PasswordHasher::Verify(std::string_view hash, std::string_view password) const {
  // crypto_pwhash_str_verify wants a NUL-terminated hash.
  std::string terminated(hash);
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

void PasswordHasher::VerifyDummy(std::string_view password) const { (void)Verify(dummy_hash_, password); }

bool PasswordHasher::NeedsRehash(std::string_view hash) const {
  std::string terminated(hash);
  return crypto_pwhash_str_needs_rehash(terminated.c_str(), cost_.opslimit, cost_.memlimit) != 0;
}

}  // namespace pillivery::service
