#include "api/internal_handlers.hpp"

#include "api/params.hpp"
#include "api/strict_json.hpp"
#include "api/subscription_handlers.hpp"

namespace pillivery::api {

using domain::Error;

http::Response InternalHandlers::ChargeCycle(http::Request& request) {
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
  // 202: the charge's outcome is unknown and the batch sends the attempt again.
  return http::Response::Data(result.open ? 202 : 200, charge);
}

}  // namespace pillivery::api
