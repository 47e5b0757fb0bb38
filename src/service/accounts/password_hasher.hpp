#pragma once
// argon2id password hashes (libsodium crypto_pwhash_str).
#include <cstddef>
#include <string>
#include <string_view>

namespace pillivery::service {

struct PasswordCost {
  unsigned long long opslimit;
  std::size_t memlimit;
};

// t=2, m=32 MiB: about 30 ms on one core of the reference machine, above the
// OWASP minimum (t=2, m=19 MiB) and cheap enough for a login burst.
inline constexpr PasswordCost kDefaultPasswordCost{2, 32u << 20};
// For tests only: the smallest cost libsodium accepts.
inline constexpr PasswordCost kTestPasswordCost{1, 8u << 10};

class PasswordHasher {
 public:
  explicit PasswordHasher(PasswordCost cost = kDefaultPasswordCost);

  std::string Hash(std::string_view password) const;
  bool Verify(std::string_view hash, std::string_view password) const;
  // Spends the time of one Verify and always fails: a login for an unknown
  // email (or an account without a password) costs what a real one costs.
  void VerifyDummy(std::string_view password) const;
  // True when the hash was made with other parameters (rehash on next login).
  bool NeedsRehash(std::string_view hash) const;

 private:
  PasswordCost cost_;
  std::string dummy_hash_;
};

}  // namespace pillivery::service
