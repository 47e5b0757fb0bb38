#pragma once
// The KakaoPay answers as JSON: what approve, subscription, cancel, order and
// the SID endpoints return, and the error bodies of both generations.
#include "simulator/model.hpp"

#include <boost/json.hpp>

#include <string>

namespace pillivery::simulator {

// The current generation speaks JSON with SECRET_KEY; the legacy one form
// bodies with KakaoAK and {"code","msg"} errors.
enum class Generation { kCurrent, kLegacy };

// "2024-05-01T12:34:56", KakaoPay's timestamp form (local time, no offset).
std::string KakaoTime(TimePoint t);

// ready's answer; page_url is the approval page of this payment.
boost::json::object ReadyJson(const Payment& p, const std::string& page_url);
// approve's and subscription's answer.
boost::json::object ApprovalJson(const Payment& p, const PaymentAction& action);
boost::json::object CancelJson(const Payment& p, const PaymentAction& action);
boost::json::object OrderJson(const Payment& p);
// status answers with_details (available, payment_method_type, item_name); inactivate does not.
boost::json::object SidJson(const Sid& s, bool with_details);
boost::json::object ErrorJson(const GatewayError& e, Generation gen);

}  // namespace pillivery::simulator
