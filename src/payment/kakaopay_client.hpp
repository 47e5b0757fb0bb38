#pragma once
// The KakaoPay client: real HTTP (libcurl) against a configurable base URL —
// KakaoPay's in production, pg-simulator's in tests and the demo. Maps every
// answer to a typed Result (outcome.hpp); never throws for a gateway answer.
#include "payment/gateway.hpp"
#include "payment/http_transport.hpp"

#include <chrono>
#include <memory>
#include <string>

namespace pillivery::payment {

struct KakaoPayClientOptions {
  // e.g. "https://open-api.kakaopay.com/online/v1/payment/"; a missing trailing slash is added.
  std::string base_url = "https://open-api.kakaopay.com/online/v1/payment/";
  std::string secret_key;  // sent as "Authorization: SECRET_KEY {key}", never logged
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds response_timeout{30'000};
};

class KakaoPayClient final : public Gateway {
 public:
  explicit KakaoPayClient(const KakaoPayClientOptions& options);
  // Tests pass a fake transport to feed answers libcurl cannot easily produce.
  KakaoPayClient(KakaoPayClientOptions options, std::shared_ptr<HttpTransport> transport);

  Result<ReadyResponse> Ready(const ReadyRequest& request) override;
  Result<ApproveResponse> Approve(const ApproveRequest& request) override;
  Result<ApproveResponse> ChargeSubscription(const SubscriptionChargeRequest& request) override;
  Result<CancelResponse> Cancel(const CancelRequest& request) override;
  Result<OrderResponse> OrderLookup(const OrderLookupRequest& request) override;
  Result<SidInactivateResponse> InactivateSid(const SidRequest& request) override;
  Result<SidStatusResponse> SidStatus(const SidRequest& request) override;

  const std::string& BaseUrl() const { return base_url_; }

 private:
  // Ids for the per-call log line; any may be empty.
  struct LogIds {
    std::string partner_order_id;
    std::string tid;
    std::string sid;
  };
  template <class R, class Req, class Parse>
  Result<R> Call(Operation op, const char* path, const Req& request, Parse parse, LogIds ids);

  std::string base_url_;
  std::string auth_header_;
  std::shared_ptr<HttpTransport> transport_;
};

}  // namespace pillivery::payment
