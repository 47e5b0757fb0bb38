#include "api/payment_handlers.hpp"

#include "api/idempotency.hpp"
#include "api/order_json.hpp"
#include "api/params.hpp"
#include "api/strict_json.hpp"

#include <charconv>

namespace pillivery::api {

using domain::PaymentStatus;

namespace {
std::int64_t OrderIdQuery(const http::Request& request) {
  auto text = request.QueryValue("orderId").value_or("");
  std::int64_t id = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc{} || p != text.data() + text.size() || id < 1)
    throw domain::Error::Validation({{"orderId", "must be a positive integer"}});
  return id;
}
// The unguessable value of the attempt the redirect belongs to (product.md: payment redirects).
std::string AttemptQuery(const http::Request& request) {
  auto text = request.QueryValue("attempt").value_or("");
  if (text.empty() || text.size() > 100) throw domain::Error::Validation({{"attempt", "required"}});
  return std::string(text);
}
// What a redirect may show: whoever holds the link learns the order's state, not
// the receiver, the lines nor the tid (the owner reads those signed in).
boost::json::object RedirectOrderJson(const domain::Order& order) {
  boost::json::object out{{"orderId", order.id},
                          {"type", domain::CodeOf(order.type)},
                          {"status", domain::CodeOf(order.status)},
                          {"totalPrice", order.totals.total_price}};
  if (order.paid_at) out["paidAt"] = *order.paid_at;
  return out;
}
bool WantsJson(const http::Request& request) {
  return request.HeaderValue("Accept").value_or("").find("application/json") != std::string_view::npos;
}
}  // namespace

http::Response PaymentHandlers::Result(const http::Request& request, std::int64_t order_id, const std::string& outcome,
                                       const boost::json::object& data) {
  if (WantsJson(request)) return http::Response::Data(200, data);
  std::string sep = storefront_result_url_.find('?') == std::string::npos ? "?" : "&";
  return http::Response::Redirect(storefront_result_url_ + sep + "orderId=" + std::to_string(order_id) +
                                  "&result=" + outcome);
}

http::Response PaymentHandlers::Ready(http::Request& request, const domain::Principal& caller) {
  auto order_id = PathId(request, "id");
  auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch()).count();
  return RunIdempotent(idempotency_, request, caller.user_id, "payment-ready:" + std::to_string(order_id), now_ms, [&] {
    auto body = StrictJsonBody(request);
    domain::Validator v;
    auto provider = RequiredStringField(body, "provider", v);
    if (!provider.empty() && provider != "KAKAOPAY") v.Add("provider", "must be KAKAOPAY");
    v.ThrowIfAny();
    auto ready = payments_.Ready(caller.user_id, order_id);
    return http::Response::Data(
        201, boost::json::object{
                 {"tid", ready.tid},
                 {"redirectUrl", {{"pc", ready.pc_url}, {"mobile", ready.mobile_url}, {"app", ready.app_url}}}});
  });
}

http::Response PaymentHandlers::Approve(http::Request& request) {
  auto order_id = OrderIdQuery(request);
  auto attempt = AttemptQuery(request);
  auto token = request.QueryValue("pg_token").value_or("");
  if (token.empty()) throw domain::Error::Validation({{"pg_token", "required"}});
  auto order = payments_.Approve(order_id, attempt, std::string(token));
  return Result(request, order_id, "approved", RedirectOrderJson(order));
}

http::Response PaymentHandlers::Cancel(http::Request& request) {
  auto order_id = OrderIdQuery(request);
  payments_.Abandon(order_id, AttemptQuery(request), PaymentStatus::kCancelled, "USER_QUIT");
  return Result(request, order_id, "cancelled",
                {{"orderId", order_id}, {"payment", domain::CodeOf(PaymentStatus::kCancelled)}});
}

http::Response PaymentHandlers::Fail(http::Request& request) {
  auto order_id = OrderIdQuery(request);
  auto attempt = AttemptQuery(request);
  std::string code(request.QueryValue("error_code").value_or(""));
  std::string method(request.QueryValue("method_result_code").value_or(""));
  payments_.Abandon(order_id, attempt, PaymentStatus::kFailed, (code + " " + method).substr(0, 100));
  return Result(request, order_id, "failed",
                {{"orderId", order_id}, {"payment", domain::CodeOf(PaymentStatus::kFailed)}, {"errorCode", code}});
}

}  // namespace pillivery::api
