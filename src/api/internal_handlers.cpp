#include "api/internal_handlers.hpp"

#include "api/params.hpp"
#include "api/strict_json.hpp"
#include "api/subscription_handlers.hpp"

#include <sodium.h>

namespace pillivery::api {

using domain::Error;
using domain::ErrorKind;

void InternalHandlers::RequireInternalCaller(const http::Request& request) const {
  if (!networks_.Contains(request.client_address))
    throw Error(ErrorKind::kForbidden, "FORBIDDEN", "Internal endpoints answer internal networks only.");
  auto header = request.HeaderValue("X-Internal-Token").value_or("");
  // Constant-time comparison: the token is a shared secret.
  bool ok = header.size() == token_.size() && !token_.empty() &&
            sodium_memcmp(header.data(), token_.data(), token_.size()) == 0;
  if (!ok) throw Error(ErrorKind::kForbidden, "FORBIDDEN", "A valid internal service token is required.");
}

http::Response InternalHandlers::ChargeCycle(http::Request& request) {
  RequireInternalCaller(request);
  auto id = PathId(request, "id");
  auto body = StrictJsonBody(request);
  domain::Validator v;
  auto due_text = RequiredStringField(body, "dueDate", v);
  auto due = domain::Date::Parse(due_text);
  // "" too: it is a string, so RequiredStringField let it pass, and `due` is read below.
  if (!due && v.Ok()) v.Add("dueDate", "must be a date YYYY-MM-DD");
  auto attempt = IntField(body, "attempt", v, 1, domain::kMaxAttemptsPerCycle);
  if (!attempt && v.Ok()) v.Add("attempt", "required");
  v.ThrowIfAny();
  std::string expected_key = "sub-" + std::to_string(id) + "-" + due->ToString() + "-" + std::to_string(*attempt);
  if (request.HeaderValue("Idempotency-Key").value_or("") != expected_key)
    throw Error::Validation({{"Idempotency-Key", "must be " + expected_key}});

  auto result = billing_.ChargeCycle({id, *due, static_cast<int>(*attempt)});
  auto charge = ChargeJson(result.charge);
  charge["subscriptionStatus"] = domain::CodeOf(result.subscription_status);
  return http::Response::Data(result.http_status, charge);
}

}  // namespace pillivery::api
