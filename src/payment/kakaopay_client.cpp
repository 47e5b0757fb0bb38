#include "payment/kakaopay_client.hpp"

#include "infra/log.hpp"
#include "payment/error_codes.hpp"
#include "payment/kakaopay_json.hpp"

#include <boost/json.hpp>

namespace pillivery::payment {
namespace json = boost::json;

namespace {

std::string WithTrailingSlash(std::string url) {
  if (url.empty() || url.back() != '/') url += '/';
  return url;
}

// Maps a complete HTTP answer to an outcome; `parse` turns a 2xx body into the response.
template <class R, class Parse>
Result<R> FromAnswer(const HttpExchange& exchange, Parse& parse) {
  long status = exchange.status;
  if (status >= 200 && status < 300) {
    try {
      return Success<R>{parse(json::parse(exchange.body))};
    } catch (const std::exception& e) {
      // The gateway said yes but we cannot read what it did: as unknown as a lost answer.
      return Unknown{"HTTP " + std::to_string(status) + " with an unreadable body: " + e.what()};
    }
  }
  std::optional<KakaoErrorBody> error = ParseKakaoError(exchange.body);
  if (status >= 500) {
    if (error) return ServerError{status, error->code, error->message};
    // No gateway body: a proxy, a crash, a dropped answer. It may have acted.
    return Unknown{"HTTP " + std::to_string(status) + " without a gateway error body"};
  }
  if (!error) {
    return HardDecline{0, "", "HTTP " + std::to_string(status) + " without a KakaoPay error body", status};
  }
  switch (ClassifyKakaoError(error->code, error->method_result_code)) {
    case DeclineClass::kDuplicate:
      return Duplicate{error->message};
    case DeclineClass::kSoft:
      return SoftDecline{error->code, error->method_result_code, error->message, status};
    case DeclineClass::kHard:
      break;
  }
  return HardDecline{error->code, error->method_result_code, error->message, status};
}

std::optional<std::string> OrderIdOf(const ApproveResponse& r) { return r.partner_order_id; }
std::optional<std::string> OrderIdOf(const CancelResponse& r) { return r.partner_order_id; }
std::optional<std::string> OrderIdOf(const OrderResponse& r) { return r.partner_order_id; }
template <class R>
std::optional<std::string> OrderIdOf(const R&) {
  return std::nullopt;
}

}  // namespace

KakaoPayClient::KakaoPayClient(const KakaoPayClientOptions& options)
    : KakaoPayClient(
          options, std::make_shared<CurlTransport>(CurlTimeouts{options.connect_timeout, options.response_timeout})) {}

KakaoPayClient::KakaoPayClient(KakaoPayClientOptions options, std::shared_ptr<HttpTransport> transport)
    : base_url_(WithTrailingSlash(std::move(options.base_url))),
      auth_header_("Authorization: SECRET_KEY " + options.secret_key),
      transport_(std::move(transport)) {}

template <class R, class Req, class Parse>
Result<R> KakaoPayClient::Call(Operation op, const char* path, const Req& request, Parse parse, LogIds ids) {
  auto started = std::chrono::steady_clock::now();
  HttpExchange exchange = transport_->Post(
      base_url_ + path, {auth_header_, "Content-Type: application/json;charset=UTF-8", "Accept: application/json"},
      json::serialize(ToJson(request)));
  Result<R> result = [&]() -> Result<R> {
    switch (exchange.fate) {
      case HttpExchange::Fate::kNotSent:
        return ConnectFailure{exchange.error};
      case HttpExchange::Fate::kLostAfterSend:
        return Unknown{exchange.error};
      case HttpExchange::Fate::kAnswered:
        break;
    }
    return FromAnswer<R>(exchange, parse);
  }();
  auto elapsed = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started);

  if (ids.partner_order_id.empty() && result.Ok()) {
    if (auto id = OrderIdOf(result.Response())) ids.partner_order_id = *id;
  }
  json::object fields{{"operation", std::string(OperationName(op))},
                      {"outcome", std::string(OutcomeName(result.Kind()))},
                      {"partner_order_id", ids.partner_order_id},
                      {"duration_ms", static_cast<std::int64_t>(elapsed.count())}};
  // No tid or sid: partner_order_id finds the payment, and a SID charges a card (issue #13).
  if (exchange.fate == HttpExchange::Fate::kAnswered) fields["http_status"] = exchange.status;
  if (!result.Ok()) fields["detail"] = result.Describe();
  if (IsGatewayFailure(result.Kind())) {
    infra::LogWarn("kakaopay call", std::move(fields));
  } else {
    infra::LogInfo("kakaopay call", std::move(fields));
  }
  return result;
}

Result<ReadyResponse> KakaoPayClient::Ready(const ReadyRequest& request) {
  return Call<ReadyResponse>(Operation::kReady, "ready", request, ParseReadyResponse,
                             {request.partner_order_id, "", ""});
}

Result<ApproveResponse> KakaoPayClient::Approve(const ApproveRequest& request) {
  return Call<ApproveResponse>(Operation::kApprove, "approve", request, ParseApproveResponse,
                               {request.partner_order_id, request.tid, ""});
}

Result<ApproveResponse> KakaoPayClient::ChargeSubscription(const SubscriptionChargeRequest& request) {
  return Call<ApproveResponse>(Operation::kSubscription, "subscription", request, ParseApproveResponse,
                               {request.partner_order_id, "", request.sid});
}

Result<CancelResponse> KakaoPayClient::Cancel(const CancelRequest& request) {
  return Call<CancelResponse>(Operation::kCancel, "cancel", request, ParseCancelResponse, {"", request.tid, ""});
}

Result<OrderResponse> KakaoPayClient::OrderLookup(const OrderLookupRequest& request) {
  return Call<OrderResponse>(Operation::kOrder, "order", request, ParseOrderResponse, {"", request.tid, ""});
}

Result<SidInactivateResponse> KakaoPayClient::InactivateSid(const SidRequest& request) {
  return Call<SidInactivateResponse>(Operation::kSidInactivate, "manage/subscription/inactive", request,
                                     ParseSidInactivateResponse, {"", "", request.sid});
}

Result<SidStatusResponse> KakaoPayClient::SidStatus(const SidRequest& request) {
  return Call<SidStatusResponse>(Operation::kSidStatus, "manage/subscription/status", request, ParseSidStatusResponse,
                                 {"", "", request.sid});
}

}  // namespace pillivery::payment
