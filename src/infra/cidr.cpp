#include "infra/cidr.hpp"

#include "domain/error.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace pillivery::infra {

// IPv4 addresses are compared as IPv4-mapped IPv6 (::ffff:a.b.c.d), so one
// representation serves both families.
std::optional<std::array<unsigned char, 16>> NetworkList::ToBytes(std::string_view address) {
  std::string text(address);
  std::array<unsigned char, 16> out{};
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) {
    out[10] = out[11] = 0xff;
    std::memcpy(out.data() + 12, &v4, 4);
    return out;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) {
    std::memcpy(out.data(), &v6, 16);
    return out;
  }
  return std::nullopt;
}

NetworkList NetworkList::Parse(std::string_view list) {
  NetworkList result;
  size_t start = 0;
  while (start <= list.size()) {
    size_t end = list.find(',', start);
    std::string_view entry = list.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    while (!entry.empty() && entry.front() == ' ') entry.remove_prefix(1);
    while (!entry.empty() && entry.back() == ' ') entry.remove_suffix(1);
    if (!entry.empty()) {
      auto slash = entry.find('/');
      auto bytes = ToBytes(entry.substr(0, slash));
      bool v4 = entry.find(':') == std::string_view::npos;
      int prefix = v4 ? 32 : 128;
      if (slash != std::string_view::npos) {
        auto digits = entry.substr(slash + 1);
        auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
        if (ec != std::errc{} || p != digits.data() + digits.size() || prefix < 0 || prefix > (v4 ? 32 : 128))
          bytes.reset();
      }
      if (!bytes)
        throw domain::Error(domain::ErrorCode::kConfigInvalid,
                            "internal networks: bad entry '" + std::string(entry) + "'");
      result.networks_.push_back({*bytes, v4 ? prefix + 96 : prefix});
    }
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return result;
}

bool NetworkList::Contains(std::string_view address) const {
  auto bytes = ToBytes(address);
  if (!bytes) return false;
  for (const auto& net : networks_) {
    int full = net.prefix / 8, rest = net.prefix % 8;
    if (std::memcmp(bytes->data(), net.bytes.data(), static_cast<size_t>(full)) != 0) continue;
    if (rest == 0) return true;
    unsigned char mask = static_cast<unsigned char>(0xff << (8 - rest));
    if (((*bytes)[full] & mask) == (net.bytes[full] & mask)) return true;
  }
  return false;
}

}  // namespace pillivery::infra
