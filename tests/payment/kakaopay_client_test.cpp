// The client's mapping of every kind of answer to an outcome, without a
// network: a scripted transport plays the gateway. The classification table
// of kakaopay.md is checked code by code.
#include "payment/kakaopay_client.hpp"
#include "infra/log.hpp"
#include "payment/error_codes.hpp"
#include "payment/resilient_gateway.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <algorithm>
#include <sstream>

namespace pillivery::payment {
namespace {

class ScriptedTransport final : public HttpTransport {
 public:
  HttpExchange Post(const std::string& url, const std::vector<std::string>& headers, const std::string& body) override {
    last_url = url;
    last_headers = headers;
    last_body = body;
    ++calls;
    return next;
  }
  HttpExchange next;
  std::string last_url;
  std::vector<std::string> last_headers;
  std::string last_body;
  int calls = 0;
};

HttpExchange Answer(long status, std::string body) {
  return {HttpExchange::Fate::kAnswered, status, std::move(body), ""};
}

std::string ErrorBody(int code, const std::string& method_result_code = "") {
  return boost::json::serialize(
      boost::json::object{{"error_code", code},
                          {"error_message", "msg"},
                          {"extras", {{"method_result_code", method_result_code}, {"method_result_message", ""}}}});
}

SubscriptionChargeRequest Charge() {
  SubscriptionChargeRequest r;
  r.cid = kSubscriptionCid;
  r.sid = "S1234567890987654321";
  r.partner_order_id = "sub-7-2024-07-01";
  r.partner_user_id = "user-7";
  r.total_amount = 9900;
  return r;
}

class KakaoPayClientTest : public ::testing::Test {
 protected:
  void SetUp() override { infra::SetLogStream(&log_); }
  void TearDown() override { infra::SetLogStream(nullptr); }

  Result<ApproveResponse> ChargeWith(HttpExchange answer) {
    transport_->next = std::move(answer);
    return client_.ChargeSubscription(Charge());
  }

  std::ostringstream log_;
  std::shared_ptr<ScriptedTransport> transport_ = std::make_shared<ScriptedTransport>();
  KakaoPayClient client_{{"http://pg.test/online/v1/payment", "sk-very-secret-123", {}, {}}, transport_};
};

TEST(ErrorClassificationTest, Classify_CodesOfTheSpec_AreHardSoftOrDuplicate) {
  for (int code : {-750, -751, -753, -706, -707, -708, -721, -723, -730, -731, -732, -733,
                   -797, -798, -799, -701, -702, -703, -704, -710, -783, -784, -2,   -999}) {
    EXPECT_EQ(ClassifyKakaoError(code, ""), DeclineClass::kHard) << code;
  }
  EXPECT_EQ(ClassifyKakaoError(-752, ""), DeclineClass::kSoft);
  EXPECT_EQ(ClassifyKakaoError(-785, ""), DeclineClass::kDuplicate);
  for (int code : {-780, -781, -782}) {
    EXPECT_EQ(ClassifyKakaoError(code, "INSUFFICIENT_BALANCE"), DeclineClass::kSoft) << code;
    EXPECT_EQ(ClassifyKakaoError(code, "EXCEED_LIMIT"), DeclineClass::kSoft) << code;
    EXPECT_EQ(ClassifyKakaoError(code, "TEMPORARY_ERROR"), DeclineClass::kSoft) << code;
    EXPECT_EQ(ClassifyKakaoError(code, "SOMETHING_NEW"), DeclineClass::kSoft) << code;
    EXPECT_EQ(ClassifyKakaoError(code, ""), DeclineClass::kSoft) << code;
    EXPECT_EQ(ClassifyKakaoError(code, "CARD_STOLEN"), DeclineClass::kHard) << code;
    EXPECT_EQ(ClassifyKakaoError(code, "CARD_EXPIRED"), DeclineClass::kHard) << code;
  }
  EXPECT_TRUE(IsRequestError(-704));
  EXPECT_FALSE(IsRequestError(-751));
}

TEST_F(KakaoPayClientTest, Client_SendsJsonWithSecretKeyToTheOperationPath) {
  transport_->next = Answer(200, R"({"aid":"A1","tid":"T1","sid":"S1","partner_order_id":"sub-7-2024-07-01",
                                     "amount":{"total":9900,"vat":900},"quantity":1})");
  auto result = client_.ChargeSubscription(Charge());
  ASSERT_TRUE(result.Ok()) << result.Describe();
  EXPECT_EQ(result.Response().aid, "A1");
  EXPECT_EQ(result.Response().sid.value_or(""), "S1");
  EXPECT_EQ(result.Response().amount.total, 9900);
  EXPECT_EQ(transport_->last_url, "http://pg.test/online/v1/payment/subscription");
  EXPECT_NE(std::find(transport_->last_headers.begin(), transport_->last_headers.end(),
                      "Authorization: SECRET_KEY sk-very-secret-123"),
            transport_->last_headers.end());
  auto body = boost::json::parse(transport_->last_body).as_object();
  EXPECT_EQ(body.at("sid").as_string(), "S1234567890987654321");
  EXPECT_EQ(body.at("total_amount").as_int64(), 9900);
  EXPECT_FALSE(body.contains("vat_amount"));  // optional fields only when set
}

TEST_F(KakaoPayClientTest, Client_LogsOneLinePerCallWithoutTheSecretKey) {
  ChargeWith(Answer(400, ErrorBody(-782, "INSUFFICIENT_BALANCE")));
  std::string log = log_.str();
  EXPECT_EQ(std::count(log.begin(), log.end(), '\n'), 1) << log;
  auto line = boost::json::parse(log).as_object();
  EXPECT_EQ(line.at("operation").as_string(), "subscription");
  EXPECT_EQ(line.at("outcome").as_string(), "soft_decline");
  EXPECT_EQ(line.at("partner_order_id").as_string(), "sub-7-2024-07-01");
  EXPECT_TRUE(line.contains("duration_ms"));
  EXPECT_EQ(log.find("sk-very-secret"), std::string::npos);
}

TEST_F(KakaoPayClientTest, Client_WhenErrorBodyNamesACode_MapsDeclinesAndDuplicate) {
  auto soft = ChargeWith(Answer(400, ErrorBody(-782, "EXCEED_LIMIT")));
  ASSERT_EQ(soft.Kind(), OutcomeKind::kSoftDecline);
  EXPECT_EQ(soft.Get<SoftDecline>()->method_result_code, "EXCEED_LIMIT");
  EXPECT_EQ(soft.Get<SoftDecline>()->code, -782);

  auto hard = ChargeWith(Answer(400, ErrorBody(-751)));
  ASSERT_EQ(hard.Kind(), OutcomeKind::kHardDecline);
  EXPECT_EQ(hard.Get<HardDecline>()->code, -751);

  EXPECT_EQ(ChargeWith(Answer(400, ErrorBody(-785))).Kind(), OutcomeKind::kDuplicate);
  EXPECT_EQ(ChargeWith(Answer(401, ErrorBody(-730))).Kind(), OutcomeKind::kHardDecline);
}

TEST_F(KakaoPayClientTest, Client_When5xxHasNoGatewayBody_IsUnknown) {
  auto result = ChargeWith(Answer(503, ""));
  ASSERT_EQ(result.Kind(), OutcomeKind::kUnknown);
  EXPECT_NE(result.Get<Unknown>()->reason.find("503"), std::string::npos);
  EXPECT_EQ(ChargeWith(Answer(502, "<html>bad gateway</html>")).Kind(), OutcomeKind::kUnknown);
}

TEST_F(KakaoPayClientTest, Client_When5xxCarriesAGatewayBody_IsServerError) {
  auto result = ChargeWith(Answer(500, ErrorBody(-1)));
  ASSERT_EQ(result.Kind(), OutcomeKind::kServerError);
  EXPECT_EQ(result.Get<ServerError>()->http_status, 500);
  EXPECT_EQ(result.Get<ServerError>()->code, -1);
}

TEST_F(KakaoPayClientTest, Client_WhenSuccessBodyIsUnreadable_IsUnknownNotSuccess) {
  EXPECT_EQ(ChargeWith(Answer(200, "not json")).Kind(), OutcomeKind::kUnknown);
  EXPECT_EQ(ChargeWith(Answer(200, R"({"tid":"T1"})")).Kind(), OutcomeKind::kUnknown);  // no aid
}

TEST_F(KakaoPayClientTest, Client_When4xxHasNoKakaoBody_IsHardDecline) {
  auto result = ChargeWith(Answer(404, "Not Found"));
  ASSERT_EQ(result.Kind(), OutcomeKind::kHardDecline);
  EXPECT_EQ(result.Get<HardDecline>()->code, 0);
  EXPECT_EQ(result.Get<HardDecline>()->http_status, 404);
}

TEST_F(KakaoPayClientTest, Client_TransportFates_MapToConnectFailureAndUnknown) {
  EXPECT_EQ(ChargeWith({HttpExchange::Fate::kNotSent, 0, "", "refused"}).Kind(), OutcomeKind::kConnectFailure);
  EXPECT_EQ(ChargeWith({HttpExchange::Fate::kLostAfterSend, 0, "", "timeout"}).Kind(), OutcomeKind::kUnknown);
}

TEST(OutcomeTest, ThrowIfGatewayUnavailable_OnlyWhenNothingWasSent) {
  Result<OrderResponse> open = CircuitOpen{std::chrono::seconds(3)};
  try {
    ThrowIfGatewayUnavailable(open);
    FAIL() << "expected a throw";
  } catch (const domain::Error& e) {
    EXPECT_EQ(e.Kind(), domain::ErrorKind::kUnavailable);
    EXPECT_EQ(e.Code(), "PAYMENT_GATEWAY_UNAVAILABLE");
  }
  EXPECT_THROW(ThrowIfGatewayUnavailable(Result<OrderResponse>(BulkheadFull{})), domain::Error);
  EXPECT_THROW(ThrowIfGatewayUnavailable(Result<OrderResponse>(ConnectFailure{"refused", 3})), domain::Error);
  EXPECT_NO_THROW(ThrowIfGatewayUnavailable(Result<OrderResponse>(Unknown{"timeout"})));
  EXPECT_NO_THROW(ThrowIfGatewayUnavailable(Result<OrderResponse>(HardDecline{-751, "", "inactive", 400})));
  EXPECT_THROW((void)Result<OrderResponse>(Unknown{"x"}).Response(), std::logic_error);
}

}  // namespace
}  // namespace pillivery::payment
