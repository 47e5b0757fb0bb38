#pragma once
// IPv4/IPv6 network lists ("127.0.0.0/8,10.0.0.0/8,::1/128") and membership tests,
// for the internal endpoints' network check.
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pillivery::infra {

class NetworkList {
 public:
  // Throws domain::Error CONFIG_INVALID for a malformed entry.
  static NetworkList Parse(std::string_view list);
  bool Contains(std::string_view address) const;
  bool Empty() const { return networks_.empty(); }
  // A literal IPv4 or IPv6 address (no port, no brackets).
  static bool IsAddress(std::string_view text) { return ToBytes(text).has_value(); }

 private:
  struct Network {
    std::array<unsigned char, 16> bytes{};
    int prefix = 0;
  };
  static std::optional<std::array<unsigned char, 16>> ToBytes(std::string_view address);
  std::vector<Network> networks_;
};

}  // namespace pillivery::infra
