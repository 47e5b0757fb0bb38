#include "api/strict_json.hpp"

#include "api/params.hpp"

#include <boost/json/basic_parser_impl.hpp>

#include <set>
#include <vector>

namespace pillivery::api {

using domain::Error;

namespace {

// A parse pass that only looks for repeated keys within one object.
// NOLINTBEGIN(readability-identifier-naming): the names Boost.JSON's basic_parser calls
struct DuplicateKeyFinder {
  constexpr static std::size_t max_object_size = std::size_t(-1);
  constexpr static std::size_t max_array_size = std::size_t(-1);
  constexpr static std::size_t max_key_size = std::size_t(-1);
  constexpr static std::size_t max_string_size = std::size_t(-1);

  std::vector<std::optional<std::set<std::string>>> scopes;  // nullopt: an array
  std::string key;
  bool duplicate = false;

  using error_code = boost::system::error_code;
  using string_view = boost::json::string_view;

  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }
  bool on_object_begin(error_code&) {
    scopes.emplace_back(std::set<std::string>{});
    return true;
  }
  bool on_object_end(std::size_t, error_code&) {
    scopes.pop_back();
    return true;
  }
  bool on_array_begin(error_code&) {
    scopes.emplace_back(std::nullopt);
    return true;
  }
  bool on_array_end(std::size_t, error_code&) {
    scopes.pop_back();
    return true;
  }
  bool on_key_part(string_view s, std::size_t, error_code&) {
    key.append(s.data(), s.size());
    return true;
  }
  bool on_key(string_view s, std::size_t, error_code& ec) {
    key.append(s.data(), s.size());
    bool inserted = scopes.back()->insert(std::move(key)).second;
    key.clear();
    if (!inserted) {
      duplicate = true;
      ec = boost::json::error::syntax;
      return false;
    }
    return true;
  }
  bool on_string_part(string_view, std::size_t, error_code&) { return true; }
  bool on_string(string_view, std::size_t, error_code&) { return true; }
  bool on_number_part(string_view, error_code&) { return true; }
  bool on_int64(std::int64_t, string_view, error_code&) { return true; }
  bool on_uint64(std::uint64_t, string_view, error_code&) { return true; }
  bool on_double(double, string_view, error_code&) { return true; }
  bool on_bool(bool, error_code&) { return true; }
  bool on_null(error_code&) { return true; }
  bool on_comment_part(string_view, error_code&) { return true; }
  bool on_comment(string_view, error_code&) { return true; }
};
// NOLINTEND(readability-identifier-naming)

}  // namespace

bool RepeatsAKey(std::string_view json) {
  boost::json::basic_parser<DuplicateKeyFinder> finder{boost::json::parse_options{}};
  boost::system::error_code ec;
  finder.write_some(false, json.data(), json.size(), ec);
  return finder.handler().duplicate;
}

boost::json::object StrictJsonBody(const http::Request& request) {
  return JsonBody(request);  // every body is strict now (issue #13)
}

std::optional<std::string> StringField(const boost::json::object& body, const char* name,
                                       domain::Validator& validator) {
  auto* value = body.if_contains(name);
  if (!value) return std::nullopt;
  if (!value->is_string()) {
    validator.Add(name, "must be a string");
    return std::nullopt;
  }
  return std::string(value->as_string());
}

std::string RequiredStringField(const boost::json::object& body, const char* name, domain::Validator& validator) {
  if (!body.contains(name)) {
    validator.Add(name, "is required");
    return {};
  }
  return StringField(body, name, validator).value_or("");
}

}  // namespace pillivery::api
