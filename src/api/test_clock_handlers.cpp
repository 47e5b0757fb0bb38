#include "api/test_clock_handlers.hpp"

#include "api/params.hpp"
#include "api/strict_json.hpp"

namespace pillivery::api {

namespace {
boost::json::object ClockJson(const service::TestClockView& view) {
  return {{"now", view.now}, {"today", view.today.ToString()}, {"offsetMs", view.offset_ms}};
}
}  // namespace

http::Response TestClockHandlers::Read(http::Request&, const domain::Principal&) {
  return http::Response::Data(200, ClockJson(clock_.Read()));
}

http::Response TestClockHandlers::Advance(http::Request& request, const domain::Principal&) {
  auto body = StrictJsonBody(request);
  domain::Validator v;
  service::TestClockAdvance advance;
  // Wide bounds here; the service checks the real ones (and that exactly one is given).
  advance.days = IntField(body, "advanceDays", v, INT32_MIN, INT32_MAX);
  advance.minutes = IntField(body, "advanceMinutes", v, INT32_MIN, INT32_MAX);
  for (const auto& member : body)
    if (member.key() != "advanceDays" && member.key() != "advanceMinutes")
      v.Add(std::string(member.key()), "unknown field; give advanceDays or advanceMinutes");
  v.ThrowIfAny();
  return http::Response::Data(200, ClockJson(clock_.Advance(advance)));
}

}  // namespace pillivery::api
