// Raw bytes as a sign-up body (issue #19): the strict JSON reader every route
// uses (JsonBody: valid JSON, an object, no repeated key), the handler's typed
// field reading (SignUpRequestOf) and the domain rules (ValidateSignUp) — all
// that runs before the database is touched. Run:
//   ./build/asan/bin/json_body_fuzz -max_len=2048 -max_total_time=60 fuzz/corpus/json
// A finding: any exception but a 400 domain::Error, a sanitizer report, a body
// accepted that breaks a rule when read again, or a crash.
#include "api/strict_json.hpp"
#include "api/user_json.hpp"
#include "domain/error.hpp"
#include "domain/user.hpp"
#include "http/message.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

void Finding(const char* what) {
  std::fprintf(stderr, "json_body_fuzz: %s\n", what);
  std::abort();
}

bool SameSignUp(const pillivery::domain::SignUpRequest& a, const pillivery::domain::SignUpRequest& b) {
  return a.email == b.email && a.password == b.password && a.display_name == b.display_name &&
         a.real_name == b.real_name && a.phone == b.phone && a.city == b.city && a.detail_address == b.detail_address;
}

// The same members and values, but any two doubles match: Boost.JSON 1.81
// reads decimals without correct rounding (10e200 comes back as
// 9.999999999999999E200) and writes 1e400 as `Infinity`, which is not JSON.
bool SameShape(const boost::json::value& a, const boost::json::value& b) {
  if (a.is_double() || b.is_double()) return a.is_double() && b.is_double();
  if (a.is_array() && b.is_array()) {
    const auto &x = a.get_array(), &y = b.get_array();
    return x.size() == y.size() && std::equal(x.begin(), x.end(), y.begin(), SameShape);
  }
  if (a.is_object() && b.is_object()) {
    const auto &x = a.get_object(), &y = b.get_object();
    return x.size() == y.size() && std::all_of(x.begin(), x.end(), [&y](const auto& member) {
             const auto* other = y.if_contains(member.key());
             return other && SameShape(member.value(), *other);
           });
  }
  return a == b;  // nesting is at most 32 deep (parse_options::max_depth)
}

bool AllFinite(const boost::json::value& value) {
  if (value.is_double()) return std::isfinite(value.get_double());
  if (value.is_array()) return std::all_of(value.get_array().begin(), value.get_array().end(), AllFinite);
  if (value.is_object())
    return std::all_of(value.get_object().begin(), value.get_object().end(),
                       [](const auto& member) { return AllFinite(member.value()); });
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using pillivery::domain::Error;
  using pillivery::domain::ErrorKind;
  pillivery::http::Request request;
  request.method = "POST";
  request.path = "/api/users";
  request.body.assign(reinterpret_cast<const char*>(data), size);
  boost::json::object body;
  try {
    body = pillivery::api::StrictJsonBody(request);
  } catch (const Error& error) {
    if (error.Kind() != ErrorKind::kBadRequest) Finding("a body refused with another status than 400");
    return 0;
  }
  // What the reader accepted, written back out, is accepted again with the same
  // members: the duplicate-key pass and Boost.JSON agree on what the object holds.
  if (AllFinite(body)) {
    pillivery::http::Request again = request;
    again.body = boost::json::serialize(body);
    try {
      if (!SameShape(pillivery::api::StrictJsonBody(again), body)) Finding("a re-read body differs");
    } catch (const Error&) {
      Finding("a serialized accepted body is refused");
    }
  }
  pillivery::domain::SignUpRequest accepted;
  try {
    accepted = pillivery::domain::ValidateSignUp(pillivery::api::SignUpRequestOf(body));
  } catch (const Error& error) {
    if (error.Kind() != ErrorKind::kBadRequest || error.Errors().empty())
      Finding("a sign-up refused without field errors or with another status than 400");
    return 0;
  }
  // What passed the rules, normalised, passes them again unchanged.
  try {
    if (!SameSignUp(pillivery::domain::ValidateSignUp(accepted), accepted)) Finding("normalising is not stable");
  } catch (const Error&) {
    Finding("an accepted sign-up, normalised, breaks a rule");
  }
  return 0;
}
