// The simulator over real HTTP: an in-process http::Server on port 0.
#include "http/middleware.hpp"
#include "http/server.hpp"
#include "simulator/route_table.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <future>
#include <regex>
#include <thread>

namespace pillivery::simulator {
namespace {

namespace json = boost::json;
using pillivery::testing::HttpCall;
using pillivery::testing::HttpResult;

const std::vector<std::string> kAuth{"Authorization: SECRET_KEY DEV-test-key"};
const std::vector<std::string> kLegacyAuth{"Authorization: KakaoAK admin-key",
                                           "Content-Type: application/x-www-form-urlencoded"};

json::object Body(const HttpResult& r) {
  json::value v = json::parse(r.body);
  return v.as_object();
}

std::string QueryParam(const std::string& url, const std::string& name) {
  std::smatch m;
  std::regex re("[?&]" + name + "=([^&#]*)");
  return std::regex_search(url, m, re) ? m[1].str() : "";
}

class SimulatorHttpTest : public ::testing::Test {
 protected:
  // Eight charges sent at once with 300 ms of latency answer in about 300 ms, not 8 × 300.
  void ExpectEightChargesToWaitOneLatencyTogether() {
    ASSERT_EQ(Faults(R"({"latencyMs": 300})").status, 200);
    auto start = std::chrono::steady_clock::now();
    std::vector<std::future<long>> calls;
    for (int i = 0; i < 8; ++i) {
      calls.push_back(std::async(std::launch::async, [&, i] {
        return Api("subscription", Charge("SSEED000000000000001", "o-" + std::to_string(i))).status;
      }));
    }
    for (auto& call : calls) EXPECT_EQ(call.get(), 200);
    auto elapsed = std::chrono::steady_clock::now() - start;
    EXPECT_GE(elapsed, std::chrono::milliseconds(300));
    EXPECT_LT(elapsed, std::chrono::milliseconds(1500));  // 8 × 300 ms would be 2.4 s
  }

  void SetUp() override {
    AddSimulatorRoutes(router_, {&gateway_, &faults_, &clock_, "", ""});
    http::ServerOptions options;
    options.port = 0;
    options.worker_threads = 32;
    server_ = std::make_unique<http::Server>(
        options, router_, std::vector<http::Middleware>{http::RequestIdMiddleware(), http::ProblemMiddleware()});
    base_ = "http://127.0.0.1:" + std::to_string(server_->Start());
  }
  void TearDown() override { server_->Stop(); }

  HttpResult Post(const std::string& path, const json::object& body, const std::vector<std::string>& headers = kAuth) {
    return HttpCall("POST", base_ + path, json::serialize(body), headers);
  }
  HttpResult Api(const std::string& op, const json::object& body) { return Post("/online/v1/payment/" + op, body); }
  HttpResult Faults(const std::string& config) { return HttpCall("POST", base_ + "/__faults", config); }

  json::object ReadyBody(const std::string& cid, const std::string& order, const std::string& user = "user-1",
                         int total = 33000) {
    return {{"cid", cid},
            {"partner_order_id", order},
            {"partner_user_id", user},
            {"item_name", "Lutein"},
            {"quantity", 1},
            {"total_amount", total},
            {"tax_free_amount", 0},
            {"approval_url", "http://shop.test/approve?orderId=1"},
            {"cancel_url", "http://shop.test/cancel"},
            {"fail_url", "http://shop.test/fail"}};
  }

  // ready → approval page (auto=approve) → approve; returns the approve answer.
  json::object PayOnce(const std::string& cid, const std::string& order, const std::string& user = "user-1") {
    HttpResult ready = Api("ready", ReadyBody(cid, order, user));
    EXPECT_EQ(ready.status, 200) << ready.body;
    json::object r = Body(ready);
    std::string tid(r.at("tid").as_string());
    std::string page(r.at("next_redirect_pc_url").as_string());
    HttpResult redirect = HttpCall("GET", page + "?auto=approve");
    EXPECT_EQ(redirect.status, 302);
    std::string token = QueryParam(redirect.Header("location"), "pg_token");
    EXPECT_FALSE(token.empty()) << redirect.Header("location");
    HttpResult approve =
        Api("approve",
            {{"cid", cid}, {"tid", tid}, {"partner_order_id", order}, {"partner_user_id", user}, {"pg_token", token}});
    EXPECT_EQ(approve.status, 200) << approve.body;
    return Body(approve);
  }

  json::object Charge(const std::string& sid, const std::string& order, const std::string& user = "user-1") {
    return {{"cid", "TCSUBSCRIP"},   {"sid", sid},    {"partner_order_id", order}, {"partner_user_id", user},
            {"item_name", "Lutein"}, {"quantity", 1}, {"total_amount", 33000},     {"tax_free_amount", 0}};
  }

  json::array Ledger() {
    HttpResult r = HttpCall("GET", base_ + "/__ledger");
    EXPECT_EQ(r.status, 200);
    return Body(r).at("payments").as_array();
  }

  OffsetClock clock_;
  Gateway gateway_{clock_, GatewayOptions{}};
  FaultInjector faults_;
  http::Router router_;
  std::unique_ptr<http::Server> server_;
  std::string base_;
};

TEST_F(SimulatorHttpTest, OneTimeFlow_ReadyPageApprove_AnswersLikeKakaoPay) {
  HttpResult ready = Api("ready", ReadyBody("TC0ONETIME", "order-1"));
  ASSERT_EQ(ready.status, 200) << ready.body;
  json::object r = Body(ready);
  EXPECT_TRUE(std::regex_match(std::string(r.at("tid").as_string()), std::regex("T[0-9]{19}")));
  std::string page(r.at("next_redirect_pc_url").as_string());
  EXPECT_EQ(page, base_ + "/__pay/" + std::string(r.at("tid").as_string()));
  EXPECT_TRUE(r.contains("next_redirect_mobile_url"));
  EXPECT_TRUE(r.contains("next_redirect_app_url"));
  EXPECT_TRUE(r.contains("created_at"));

  HttpResult html = HttpCall("GET", page);
  EXPECT_EQ(html.status, 200);
  EXPECT_NE(html.body.find("/approve\""), std::string::npos);
  EXPECT_NE(html.body.find("/quit\""), std::string::npos);

  json::object approve = PayOnce("TC0ONETIME", "order-2");
  EXPECT_TRUE(std::regex_match(std::string(approve.at("aid").as_string()), std::regex("A[0-9]{19}")));
  EXPECT_FALSE(approve.contains("sid"));
  EXPECT_EQ(approve.at("amount").as_object().at("total").as_int64(), 33000);
  EXPECT_EQ(approve.at("amount").as_object().at("vat").as_int64(), 3000);
  EXPECT_EQ(approve.at("payment_method_type").as_string(), "CARD");
  EXPECT_TRUE(approve.at("card_info").is_object());
  EXPECT_TRUE(approve.contains("approved_at"));
}

TEST_F(SimulatorHttpTest, RecurringFlow_ApproveIssuesSidAndSubscriptionCharges) {
  json::object first = PayOnce("TCSUBSCRIP", "first-order");
  std::string sid(first.at("sid").as_string());
  EXPECT_TRUE(std::regex_match(sid, std::regex("S[0-9]{19}")));

  HttpResult charge = Api("subscription", Charge(sid, "sub-1-2024-07-01"));
  ASSERT_EQ(charge.status, 200) << charge.body;
  json::object c = Body(charge);
  EXPECT_NE(c.at("tid"), first.at("tid"));
  EXPECT_EQ(c.at("sid").as_string(), sid);

  HttpResult status = Api("manage/subscription/status", {{"cid", "TCSUBSCRIP"}, {"sid", sid}});
  ASSERT_EQ(status.status, 200) << status.body;
  EXPECT_EQ(Body(status).at("status").as_string(), "ACTIVE");
  EXPECT_TRUE(Body(status).at("available").as_bool());
}

TEST_F(SimulatorHttpTest, Subscription_WhenSameSidAndPartnerOrderIdChargedTwice_Answers785) {
  std::string sid(PayOnce("TCSUBSCRIP", "first").at("sid").as_string());
  ASSERT_EQ(Api("subscription", Charge(sid, "cycle-2")).status, 200);
  HttpResult again = Api("subscription", Charge(sid, "cycle-2"));
  EXPECT_EQ(again.status, 400);
  EXPECT_EQ(Body(again).at("error_code").as_int64(), -785);
  EXPECT_TRUE(Body(again).at("extras").as_object().contains("method_result_code"));
  EXPECT_EQ(Ledger().size(), 2u);
}

TEST_F(SimulatorHttpTest, Subscription_WithSeededSid_IsChargedForAnyUser) {
  HttpResult r = Api("subscription", Charge("SSEED000000000000007", "seed-cycle", "anyone"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Ledger().at(0).as_object().at("kind").as_string(), "SUBSCRIPTION");
}

TEST_F(SimulatorHttpTest, Subscription_WhenSidInactivated_Answers751) {
  std::string sid(PayOnce("TCSUBSCRIP", "first").at("sid").as_string());
  HttpResult inactive = Api("manage/subscription/inactive", {{"cid", "TCSUBSCRIP"}, {"sid", sid}});
  ASSERT_EQ(inactive.status, 200) << inactive.body;
  EXPECT_EQ(Body(inactive).at("status").as_string(), "INACTIVE");
  HttpResult charge = Api("subscription", Charge(sid, "cycle-2"));
  EXPECT_EQ(charge.status, 400);
  EXPECT_EQ(Body(charge).at("error_code").as_int64(), -751);
}

TEST_F(SimulatorHttpTest, Auth_WhenMissingOrWrongScheme_Answers401With730) {
  HttpResult none = Post("/online/v1/payment/ready", ReadyBody("TC0ONETIME", "o"), {});
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(Body(none).at("error_code").as_int64(), -730);
  HttpResult legacy_scheme =
      Post("/online/v1/payment/ready", ReadyBody("TC0ONETIME", "o"), {"Authorization: KakaoAK key"});
  EXPECT_EQ(legacy_scheme.status, 401);
}

TEST_F(SimulatorHttpTest, Auth_WithConfiguredKey_RejectsOtherKeys) {
  http::Router router;
  AddSimulatorRoutes(router, {&gateway_, &faults_, &clock_, "the-key", ""});
  http::ServerOptions options;
  options.port = 0;
  http::Server server(options, router, {http::ProblemMiddleware()});
  std::string base = "http://127.0.0.1:" + std::to_string(server.Start());
  std::string body = json::serialize(ReadyBody("TC0ONETIME", "o"));
  EXPECT_EQ(HttpCall("POST", base + "/online/v1/payment/ready", body, {"Authorization: SECRET_KEY other"}).status, 401);
  EXPECT_EQ(HttpCall("POST", base + "/online/v1/payment/ready", body, {"Authorization: SECRET_KEY the-key"}).status,
            200);
  server.Stop();
}

TEST_F(SimulatorHttpTest, Ready_WhenInvalid_AnswersKakaoPayErrors) {
  json::object missing = ReadyBody("TC0ONETIME", "o");
  missing.erase("total_amount");
  EXPECT_EQ(Body(Api("ready", missing)).at("error_code").as_int64(), -2);
  EXPECT_EQ(Body(Api("ready", ReadyBody("NOPE000000", "o"))).at("error_code").as_int64(), -731);
  EXPECT_EQ(Body(Api("ready", ReadyBody("TC0ONETIME", "o", "u", -5))).at("error_code").as_int64(), -704);
  HttpResult not_json = HttpCall("POST", base_ + "/online/v1/payment/ready", "{broken", kAuth);
  EXPECT_EQ(not_json.status, 400);
  EXPECT_EQ(Body(not_json).at("error_code").as_int64(), -2);
}

TEST_F(SimulatorHttpTest, Approve_Errors_AreAnsweredWithTheirCodes) {
  json::object r = Body(Api("ready", ReadyBody("TC0ONETIME", "o-1")));
  std::string tid(r.at("tid").as_string());
  json::object approve{{"cid", "TC0ONETIME"},
                       {"tid", tid},
                       {"partner_order_id", "o-1"},
                       {"partner_user_id", "user-1"},
                       {"pg_token", "x"}};
  EXPECT_EQ(Body(Api("approve", approve)).at("error_code").as_int64(), -701);
  std::string token =
      QueryParam(HttpCall("GET", base_ + "/__pay/" + tid + "?auto=approve").Header("location"), "pg_token");
  EXPECT_EQ(Body(Api("approve", approve)).at("error_code").as_int64(), -708);
  approve["pg_token"] = token;
  approve["partner_order_id"] = "o-2";
  EXPECT_EQ(Body(Api("approve", approve)).at("error_code").as_int64(), -706);
  approve["partner_order_id"] = "o-1";
  approve["partner_user_id"] = "user-2";
  EXPECT_EQ(Body(Api("approve", approve)).at("error_code").as_int64(), -707);
  approve["partner_user_id"] = "user-1";
  approve["tid"] = "T0000000000000000000";
  EXPECT_EQ(Body(Api("approve", approve)).at("error_code").as_int64(), -721);
  approve["tid"] = tid;
  EXPECT_EQ(Api("approve", approve).status, 200);
  EXPECT_EQ(Body(Api("approve", approve)).at("error_code").as_int64(), -702);
}

TEST_F(SimulatorHttpTest, Approve_AfterClockAdvanced15Minutes_Answers723) {
  json::object r = Body(Api("ready", ReadyBody("TC0ONETIME", "o-1")));
  std::string tid(r.at("tid").as_string());
  std::string token =
      QueryParam(HttpCall("GET", base_ + "/__pay/" + tid + "?auto=approve").Header("location"), "pg_token");
  HttpResult advanced = HttpCall("POST", base_ + "/__clock", R"({"advanceSeconds": 900})");
  ASSERT_EQ(advanced.status, 200) << advanced.body;
  HttpResult approve = Api("approve", {{"cid", "TC0ONETIME"},
                                       {"tid", tid},
                                       {"partner_order_id", "o-1"},
                                       {"partner_user_id", "user-1"},
                                       {"pg_token", token}});
  EXPECT_EQ(Body(approve).at("error_code").as_int64(), -723);
}

TEST_F(SimulatorHttpTest, ApprovalPage_QuitAndFail_RedirectToTheShop) {
  std::string tid1(Body(Api("ready", ReadyBody("TC0ONETIME", "o-1"))).at("tid").as_string());
  HttpResult quit = HttpCall("POST", base_ + "/__pay/" + tid1 + "/quit");
  EXPECT_EQ(quit.status, 302);
  EXPECT_EQ(quit.Header("location"), "http://shop.test/cancel");

  std::string tid2(Body(Api("ready", ReadyBody("TC0ONETIME", "o-2"))).at("tid").as_string());
  HttpResult fail = HttpCall("GET", base_ + "/__pay/" + tid2 + "?auto=fail");
  EXPECT_EQ(fail.status, 302);
  std::string location = fail.Header("location");
  EXPECT_TRUE(location.starts_with("http://shop.test/fail?")) << location;
  EXPECT_EQ(QueryParam(location, "error_code"), "-780");
  EXPECT_FALSE(QueryParam(location, "method_result_code").empty());

  EXPECT_EQ(HttpCall("GET", base_ + "/__pay/T0000000000000000000").status, 404);
}

TEST_F(SimulatorHttpTest, Cancel_PartialThenFull_AndOrderLookup) {
  json::object paid = PayOnce("TC0ONETIME", "o-1");
  std::string tid(paid.at("tid").as_string());
  HttpResult part =
      Api("cancel", {{"cid", "TC0ONETIME"}, {"tid", tid}, {"cancel_amount", 3000}, {"cancel_tax_free_amount", 0}});
  ASSERT_EQ(part.status, 200) << part.body;
  json::object p = Body(part);
  EXPECT_EQ(p.at("status").as_string(), "PART_CANCEL_PAYMENT");
  EXPECT_EQ(p.at("approved_cancel_amount").as_object().at("total").as_int64(), 3000);
  EXPECT_EQ(p.at("canceled_amount").as_object().at("total").as_int64(), 3000);
  EXPECT_EQ(p.at("cancel_available_amount").as_object().at("total").as_int64(), 30000);

  HttpResult over =
      Api("cancel", {{"cid", "TC0ONETIME"}, {"tid", tid}, {"cancel_amount", 30001}, {"cancel_tax_free_amount", 0}});
  EXPECT_EQ(Body(over).at("error_code").as_int64(), -710);

  HttpResult full =
      Api("cancel", {{"cid", "TC0ONETIME"}, {"tid", tid}, {"cancel_amount", 30000}, {"cancel_tax_free_amount", 0}});
  ASSERT_EQ(full.status, 200) << full.body;
  EXPECT_EQ(Body(full).at("status").as_string(), "CANCEL_PAYMENT");
  EXPECT_EQ(Body(full).at("canceled_amount").as_object().at("total").as_int64(), 33000);

  HttpResult again =
      Api("cancel", {{"cid", "TC0ONETIME"}, {"tid", tid}, {"cancel_amount", 1}, {"cancel_tax_free_amount", 0}});
  EXPECT_EQ(Body(again).at("error_code").as_int64(), -784);
  HttpResult unknown =
      Api("cancel", {{"cid", "TC0ONETIME"}, {"tid", "T1"}, {"cancel_amount", 1}, {"cancel_tax_free_amount", 0}});
  EXPECT_EQ(Body(unknown).at("error_code").as_int64(), -721);

  HttpResult order = Api("order", {{"cid", "TC0ONETIME"}, {"tid", tid}});
  ASSERT_EQ(order.status, 200) << order.body;
  json::array details = Body(order).at("payment_action_details").as_array();
  ASSERT_EQ(details.size(), 3u);
  EXPECT_EQ(details[0].as_object().at("payment_action_type").as_string(), "PAYMENT");
  EXPECT_EQ(details[1].as_object().at("payment_action_type").as_string(), "CANCEL");
  EXPECT_EQ(details[2].as_object().at("amount").as_int64(), 30000);
}

TEST_F(SimulatorHttpTest, Ledger_ListsMovementsInOrderWithTheirFields) {
  json::object first = PayOnce("TCSUBSCRIP", "first");
  std::string sid(first.at("sid").as_string());
  json::object charge = Body(Api("subscription", Charge(sid, "cycle-2")));
  Api("cancel",
      {{"cid", "TCSUBSCRIP"}, {"tid", charge.at("tid")}, {"cancel_amount", 33000}, {"cancel_tax_free_amount", 0}});
  json::array ledger = Ledger();
  ASSERT_EQ(ledger.size(), 3u);
  const char* kinds[] = {"APPROVE", "SUBSCRIPTION", "CANCEL"};
  for (std::size_t i = 0; i < 3; ++i) {
    json::object e = ledger[i].as_object();
    EXPECT_EQ(e.at("kind").as_string(), kinds[i]);
    for (const char* field : {"tid", "aid", "sid", "cid", "partner_order_id", "partner_user_id", "amount", "at"}) {
      EXPECT_TRUE(e.contains(field)) << field;
    }
    EXPECT_EQ(e.at("sid").as_string(), sid);
  }
  EXPECT_EQ(ledger[0].as_object().at("aid"), first.at("aid"));
  EXPECT_EQ(ledger[1].as_object().at("partner_order_id").as_string(), "cycle-2");
}

TEST_F(SimulatorHttpTest, Faults_ForcedErrorForSid_AnswersIt) {
  std::string sid(PayOnce("TCSUBSCRIP", "first").at("sid").as_string());
  HttpResult set = Faults(R"({"forcedErrors": [{"sid": ")" + sid +
                          R"(", "errorCode": -782, "methodResultCode": "INSUFFICIENT_BALANCE", "times": 1}]})");
  ASSERT_EQ(set.status, 200) << set.body;
  HttpResult declined = Api("subscription", Charge(sid, "cycle-2"));
  EXPECT_EQ(declined.status, 400);
  json::object d = Body(declined);
  EXPECT_EQ(d.at("error_code").as_int64(), -782);
  EXPECT_EQ(d.at("extras").as_object().at("method_result_code").as_string(), "INSUFFICIENT_BALANCE");
  EXPECT_EQ(Ledger().size(), 1u);
  // Spent after one use: the retry of the cycle goes through.
  EXPECT_EQ(Api("subscription", Charge(sid, "cycle-2")).status, 200);
  EXPECT_EQ(Ledger().size(), 2u);
}

TEST_F(SimulatorHttpTest, Faults_LostResponse_RecordsTheChargeThenDropsTheAnswer) {
  std::string sid(PayOnce("TCSUBSCRIP", "first").at("sid").as_string());
  ASSERT_EQ(Faults(R"({"failureRates": {"lostResponse": 1.0}})").status, 200);
  HttpResult lost = Api("subscription", Charge(sid, "cycle-2"));
  EXPECT_EQ(lost.status, 0);  // reset: no HTTP answer at all
  EXPECT_TRUE(lost.body.empty());
  ASSERT_EQ(Ledger().size(), 2u);
  EXPECT_EQ(Ledger().at(1).as_object().at("partner_order_id").as_string(), "cycle-2");
  // The retry of an unknown outcome meets the duplicate check.
  ASSERT_EQ(HttpCall("DELETE", base_ + "/__faults").status, 200);
  EXPECT_EQ(Body(Api("subscription", Charge(sid, "cycle-2"))).at("error_code").as_int64(), -785);
}

TEST_F(SimulatorHttpTest, Faults_ServerError_RecordsNothing) {
  std::string sid(PayOnce("TCSUBSCRIP", "first").at("sid").as_string());
  ASSERT_EQ(Faults(R"({"failureRates": {"serverError": 1.0}})").status, 200);
  HttpResult failed = Api("subscription", Charge(sid, "cycle-2"));
  EXPECT_EQ(failed.status, 500);
  EXPECT_EQ(Body(failed).at("error_code").as_int64(), -1);
  EXPECT_EQ(Ledger().size(), 1u);
  // Control endpoints are never faulted.
  EXPECT_EQ(HttpCall("GET", base_ + "/__faults").status, 200);
}

TEST_F(SimulatorHttpTest, Faults_ConnectionRefused_ResetsAtOnceAndDoesNothing) {
  ASSERT_EQ(Faults(R"({"latencyMs": 5000, "failureRates": {"connectionRefused": 1.0}})").status, 200);
  auto start = std::chrono::steady_clock::now();
  HttpResult refused = Api("subscription", Charge("SSEED000000000000001", "o"));
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(refused.status, 0);  // reset: no HTTP answer at all
  EXPECT_TRUE(refused.body.empty());
  EXPECT_LT(elapsed, std::chrono::milliseconds(2500));  // a refusal does not wait out the latency
  EXPECT_TRUE(Ledger().empty());
  EXPECT_EQ(Body(HttpCall("GET", base_ + "/__faults")).at("injected").as_object().at("connectionRefused").as_int64(),
            1);
}

TEST_F(SimulatorHttpTest, Faults_SoftDeclineRate_AnswersA782WithASoftCode) {
  ASSERT_EQ(Faults(R"({"failureRates": {"softDecline": 1.0}})").status, 200);
  json::object declined = Body(Api("subscription", Charge("SSEED000000000000001", "o")));
  EXPECT_EQ(declined.at("error_code").as_int64(), -782);
  std::string code(declined.at("extras").as_object().at("method_result_code").as_string());
  EXPECT_TRUE(code == "INSUFFICIENT_BALANCE" || code == "EXCEED_LIMIT") << code;
}

TEST_F(SimulatorHttpTest, Faults_WhenConfigurationInvalid_Answers400AndKeepsTheOld) {
  ASSERT_EQ(Faults(R"({"latencyMs": 1})").status, 200);
  EXPECT_EQ(Faults(R"({"failureRates": {"serverErorr": 0.5}})").status, 400);
  EXPECT_EQ(Faults("not json").status, 400);
  EXPECT_EQ(Body(HttpCall("GET", base_ + "/__faults")).at("latencyMs").as_int64(), 1);
}

TEST_F(SimulatorHttpTest, Faults_Latency_DoesNotSerializeConcurrentCalls) {
  ExpectEightChargesToWaitOneLatencyTogether();
}

TEST_F(SimulatorHttpTest, Faults_Latency_WaitsWithoutHoldingAWorker) {
  // One worker (SetUp gives 32): latency spent on workers would serialize these.
  server_->Stop();
  http::ServerOptions options;
  options.port = 0;
  options.worker_threads = 1;
  server_ = std::make_unique<http::Server>(
      options, router_, std::vector<http::Middleware>{http::RequestIdMiddleware(), http::ProblemMiddleware()});
  base_ = "http://127.0.0.1:" + std::to_string(server_->Start());
  ExpectEightChargesToWaitOneLatencyTogether();
  EXPECT_EQ(Ledger().size(), 8u);
}

TEST_F(SimulatorHttpTest, Faults_Latency_ComesBeforeTheChargeIsRecorded) {
  ASSERT_EQ(Faults(R"({"latencyMs": 600})").status, 200);
  auto call = std::async(std::launch::async,
                         [&] { return Api("subscription", Charge("SSEED000000000000001", "o-late")).status; });
  while (faults_.Decisions() == 0) std::this_thread::yield();  // the call has arrived
  EXPECT_TRUE(Ledger().empty());                               // still waiting: nothing charged yet
  EXPECT_EQ(call.get(), 200);
  EXPECT_EQ(Ledger().size(), 1u);
}

TEST_F(SimulatorHttpTest, Faults_LostResponseAfterLatency_RecordsTheChargeThenResets) {
  ASSERT_EQ(Faults(R"({"latencyMs": 200, "failureRates": {"lostResponse": 1.0}})").status, 200);
  auto start = std::chrono::steady_clock::now();
  HttpResult lost = Api("subscription", Charge("SSEED000000000000001", "o-lost"));
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(200));
  EXPECT_EQ(lost.status, 0);  // reset: no HTTP answer at all
  ASSERT_EQ(Ledger().size(), 1u);
  // One decision per request: the injected count says one fault, not two.
  EXPECT_EQ(Body(HttpCall("GET", base_ + "/__faults")).at("injected").as_object().at("lostResponse").as_int64(), 1);
}

TEST_F(SimulatorHttpTest, Legacy_FormEncodedFlow_WorksWithKakaoAK) {
  auto post = [&](const std::string& op, const std::string& form) {
    return HttpCall("POST", base_ + "/v1/payment/" + op, form, kLegacyAuth);
  };
  HttpResult ready = post("ready",
                          "cid=TC0ONETIME&partner_order_id=legacy-1&partner_user_id=u%201&item_name=Vitamin+C"
                          "&quantity=2&total_amount=2200&tax_free_amount=0"
                          "&approval_url=http%3A%2F%2Fshop.test%2Fok&cancel_url=http%3A%2F%2Fshop.test%2Fc"
                          "&fail_url=http%3A%2F%2Fshop.test%2Ff");
  ASSERT_EQ(ready.status, 200) << ready.body;
  std::string tid(Body(ready).at("tid").as_string());
  std::string location = HttpCall("GET", base_ + "/__pay/" + tid + "?auto=approve").Header("location");
  EXPECT_TRUE(location.starts_with("http://shop.test/ok?pg_token=")) << location;
  std::string token = QueryParam(location, "pg_token");
  HttpResult approve =
      post("approve", "cid=TC0ONETIME&tid=" + tid + "&partner_order_id=legacy-1&partner_user_id=u+1&pg_token=" + token);
  ASSERT_EQ(approve.status, 200) << approve.body;
  json::object a = Body(approve);
  EXPECT_EQ(a.at("item_name").as_string(), "Vitamin C");
  EXPECT_EQ(a.at("partner_user_id").as_string(), "u 1");
  EXPECT_EQ(a.at("quantity").as_int64(), 2);

  HttpResult again =
      post("approve", "cid=TC0ONETIME&tid=" + tid + "&partner_order_id=legacy-1&partner_user_id=u+1&pg_token=" + token);
  EXPECT_EQ(again.status, 400);
  EXPECT_EQ(Body(again).at("code").as_int64(), -702);  // the legacy error shape
  EXPECT_EQ(HttpCall("POST", base_ + "/v1/payment/order", "cid=TC0ONETIME&tid=" + tid, {"Authorization: SECRET_KEY k"})
                .status,
            401);
}

TEST_F(SimulatorHttpTest, Reset_ClearsPaymentsLedgerAndFaults) {
  std::string tid(PayOnce("TC0ONETIME", "o-1").at("tid").as_string());
  ASSERT_EQ(Faults(R"({"latencyMs": 5})").status, 200);
  EXPECT_EQ(HttpCall("POST", base_ + "/__reset").status, 204);
  EXPECT_TRUE(Ledger().empty());
  EXPECT_EQ(Body(HttpCall("GET", base_ + "/__faults")).at("latencyMs").as_int64(), 0);
  EXPECT_EQ(Body(Api("order", {{"cid", "TC0ONETIME"}, {"tid", tid}})).at("error_code").as_int64(), -721);
}

}  // namespace
}  // namespace pillivery::simulator
