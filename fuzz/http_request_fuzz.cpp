// Raw bytes → the session's parsing path (Beast parser with the server's
// limits, then Boost.URL target decoding). Run:
//   ./build/asan/bin/http_request_fuzz -max_len=16384 -max_total_time=60
#include "http/server.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const pillivery::http::ServerOptions options = [] {
    pillivery::http::ServerOptions o;
    o.header_limit = 4096;  // small limits so the fuzzer reaches the 413/431 paths
    o.body_limit = 8192;
    return o;
  }();
  auto parsed = pillivery::http::ParseRequest(std::string_view(reinterpret_cast<const char*>(data), size), options);
  // Invariants the session relies on.
  if (parsed.complete && parsed.error_status != 0) std::abort();
  if (parsed.complete && (parsed.request.path.empty() || parsed.request.path.front() != '/')) {
    // Origin-form always starts with '/'; anything else would confuse the router.
    std::abort();
  }
  if (parsed.request.body.size() > options.body_limit) std::abort();
  return 0;
}
