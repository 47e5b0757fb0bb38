#include "api/params.hpp"

#include "domain/error.hpp"

#include <boost/json/parse.hpp>

#include <charconv>

namespace pillivery::api {

using domain::Error;
using domain::ErrorKind;

std::map<std::string, std::string> QueryMap(const http::Request& request) {
  std::map<std::string, std::string> out;
  for (const auto& [k, v] : request.query) out.emplace(k, v);
  return out;
}

std::int64_t PathId(const http::Request& request, std::string_view name) {
  auto text = request.PathParam(name).value_or("");
  std::int64_t value = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || p != text.data() + text.size() || value < 1)
    throw Error::Validation({{std::string(name), "must be a positive integer"}});
  return value;
}

boost::json::object JsonBody(const http::Request& request) {
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(request.body, ec);
  if (ec) throw Error(ErrorKind::kBadRequest, "MALFORMED_JSON", "The body is not valid JSON.");
  if (!value.is_object()) throw Error(ErrorKind::kBadRequest, "MALFORMED_JSON", "The body must be a JSON object.");
  return std::move(value.as_object());
}

}  // namespace pillivery::api
