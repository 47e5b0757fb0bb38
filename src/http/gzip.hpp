#pragma once
// zlib behind a tiny function so middleware.cpp does not carry zlib's API.
#include <string>
#include <string_view>

namespace pillivery::http {

// A gzip member (RFC 1952) of input; throws std::runtime_error if zlib fails.
std::string GzipCompress(std::string_view input);

}  // namespace pillivery::http
