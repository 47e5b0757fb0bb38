#pragma once
#include <string>
#include <string_view>

namespace pillivery::infra {

// RFC 3986 percent-encoding of everything but the unreserved characters, safe
// for a path segment or a query value.
std::string PercentEncode(std::string_view text);

}  // namespace pillivery::infra
