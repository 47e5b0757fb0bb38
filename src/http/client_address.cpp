#include "http/server.hpp"

#include "http/request_reading.hpp"  // Trim

#include <string>
#include <string_view>
#include <vector>

namespace pillivery::http {

std::string ClientAddress(const Request& request, const std::string& peer, const infra::NetworkList& trusted) {
  if (trusted.Empty() || !trusted.Contains(peer)) return peer;
  std::vector<std::string_view> hops;
  for (const auto& [name, value] : request.headers) {
    if (!IEquals(name, "X-Forwarded-For")) continue;
    std::string_view list = value;
    while (!list.empty()) {
      auto comma = list.find(',');
      hops.push_back(Trim(list.substr(0, comma)));
      list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    }
  }
  std::string client = peer;
  for (auto hop = hops.rbegin(); hop != hops.rend(); ++hop) {
    if (!infra::NetworkList::IsAddress(*hop)) break;
    client = std::string(*hop);
    if (!trusted.Contains(client)) break;
  }
  return client;
}

}  // namespace pillivery::http
