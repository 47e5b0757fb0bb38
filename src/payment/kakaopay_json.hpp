#pragma once
// Wire shapes of the KakaoPay API: request structs to JSON bodies, JSON
// answers to response structs. Parsers are lenient about extra or missing
// optional fields (KakaoPay adds fields over time) and throw
// std::runtime_error only when an identifying field (tid, aid, sid) is missing.
#include "payment/kakaopay_types.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace pillivery::payment {

boost::json::object ToJson(const ReadyRequest& r);
boost::json::object ToJson(const ApproveRequest& r);
boost::json::object ToJson(const SubscriptionChargeRequest& r);
boost::json::object ToJson(const CancelRequest& r);
boost::json::object ToJson(const OrderLookupRequest& r);
boost::json::object ToJson(const SidRequest& r);

ReadyResponse ParseReadyResponse(const boost::json::value& v);
ApproveResponse ParseApproveResponse(const boost::json::value& v);
CancelResponse ParseCancelResponse(const boost::json::value& v);
OrderResponse ParseOrderResponse(const boost::json::value& v);
SidInactivateResponse ParseSidInactivateResponse(const boost::json::value& v);
SidStatusResponse ParseSidStatusResponse(const boost::json::value& v);

// {"error_code", "error_message", "extras": {"method_result_code", "method_result_message"}}
struct KakaoErrorBody {
  int code = 0;
  std::string message;
  std::string method_result_code;
  std::string method_result_message;
};
// nullopt unless the body is JSON with an integer error_code.
std::optional<KakaoErrorBody> ParseKakaoError(std::string_view body);

}  // namespace pillivery::payment
