// What the fault injector decides, without HTTP.
#include "simulator/faults.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace pillivery::simulator {
namespace {

FaultConfig Parse(const char* text) { return ParseFaultConfig(boost::json::parse(text)); }

TEST(FaultInjectorTest, Decide_WithoutConfiguration_InjectsNothing) {
  FaultInjector faults;
  FaultDecision d = faults.Decide(Operation::kSubscription, {"S1", "o", ""});
  EXPECT_EQ(d.kind, FaultKind::kNone);
  EXPECT_EQ(d.latency.count(), 0);
}

TEST(FaultInjectorTest, ForcedError_ForSid_AppliesTheGivenTimesThenStops) {
  FaultInjector faults;
  faults.Configure(Parse(R"({"forcedErrors": [{"sid": "S1", "errorCode": -782,
      "methodResultCode": "INSUFFICIENT_BALANCE", "times": 2}]})"));
  for (int i = 0; i < 2; ++i) {
    FaultDecision d = faults.Decide(Operation::kSubscription, {"S1", "cycle", ""});
    ASSERT_EQ(d.kind, FaultKind::kError);
    EXPECT_EQ(d.error->Code(), -782);
    EXPECT_EQ(d.error->MethodResultCode(), "INSUFFICIENT_BALANCE");
  }
  EXPECT_EQ(faults.Decide(Operation::kSubscription, {"S1", "cycle", ""}).kind, FaultKind::kNone);
}

TEST(FaultInjectorTest, ForcedError_OnlyMatchesItsKeysAndMoneyOperations) {
  FaultInjector faults;
  faults.Configure(Parse(R"({"forcedErrors": [{"partnerOrderId": "o-1", "errorCode": -780, "times": -1}]})"));
  EXPECT_EQ(faults.Decide(Operation::kApprove, {"", "o-2", ""}).kind, FaultKind::kNone);
  EXPECT_EQ(faults.Decide(Operation::kOrder, {"", "o-1", ""}).kind, FaultKind::kNone);
  EXPECT_EQ(faults.Decide(Operation::kApprove, {"", "o-1", ""}).kind, FaultKind::kError);
  EXPECT_EQ(faults.Decide(Operation::kApprove, {"", "o-1", ""}).kind, FaultKind::kError);  // times -1: always
}

TEST(FaultInjectorTest, ForcedFault_CanLoseTheResponseOfOneOperation) {
  FaultInjector faults;
  faults.Configure(Parse(R"({"forcedErrors": [{"sid": "S1", "operation": "subscription", "fault": "lostResponse"}]})"));
  EXPECT_EQ(faults.Decide(Operation::kSidStatus, {"S1", "", ""}).kind, FaultKind::kNone);
  EXPECT_EQ(faults.Decide(Operation::kSubscription, {"S1", "o", ""}).kind, FaultKind::kLostResponse);
}

TEST(FaultInjectorTest, Rates_WhenOne_AlwaysInjectThatKind) {
  FaultInjector faults;
  faults.Configure(Parse(R"({"failureRates": {"serverError": 1.0}})"));
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(faults.Decide(Operation::kOrder, {}).kind, FaultKind::kServerError);
  }
}

TEST(FaultInjectorTest, Declines_OnlyStrikeApproveAndSubscription) {
  FaultInjector faults;
  faults.Configure(Parse(R"({"failureRates": {"softDecline": 1.0}})"));
  FaultDecision charge = faults.Decide(Operation::kSubscription, {});
  ASSERT_EQ(charge.kind, FaultKind::kError);
  EXPECT_EQ(charge.error->Code(), -782);
  EXPECT_TRUE(charge.error->MethodResultCode() == "INSUFFICIENT_BALANCE" ||
              charge.error->MethodResultCode() == "EXCEED_LIMIT");
  EXPECT_EQ(faults.Decide(Operation::kApprove, {}).error->Code(), -780);
  EXPECT_EQ(faults.Decide(Operation::kCancel, {}).kind, FaultKind::kNone);

  faults.Configure(Parse(R"({"failureRates": {"hardDecline": 1.0}})"));
  EXPECT_EQ(faults.Decide(Operation::kSubscription, {}).error->Code(), -751);
}

TEST(FaultInjectorTest, Rates_WithSeed_AreReproducible) {
  const char* config = R"({"failureRates": {"serverError": 0.3, "lostResponse": 0.3}, "seed": 42})";
  auto draw = [&] {
    FaultInjector faults;
    faults.Configure(Parse(config));
    std::vector<FaultKind> kinds;
    for (int i = 0; i < 50; ++i) kinds.push_back(faults.Decide(Operation::kSubscription, {}).kind);
    return kinds;
  };
  std::vector<FaultKind> first = draw();
  EXPECT_EQ(first, draw());
  EXPECT_NE(std::count(first.begin(), first.end(), FaultKind::kNone), 50);
  EXPECT_NE(std::count(first.begin(), first.end(), FaultKind::kNone), 0);
}

TEST(FaultInjectorTest, Latency_StaysWithinTheJitterBand) {
  FaultInjector faults;
  faults.Configure(Parse(R"({"latencyMs": 50, "latencyJitterMs": 20, "seed": 1})"));
  for (int i = 0; i < 100; ++i) {
    auto latency = faults.Decide(Operation::kReady, {}).latency.count();
    EXPECT_GE(latency, 50);
    EXPECT_LE(latency, 70);
  }
}

TEST(FaultInjectorTest, Describe_ShowsPendingForcedErrorsAndCounts) {
  FaultInjector faults;
  faults.Configure(Parse(R"({"latencyMs": 5, "forcedErrors": [{"sid": "S1", "errorCode": -782, "times": 2}]})"));
  faults.Decide(Operation::kSubscription, {"S1", "", ""});
  boost::json::object d = faults.Describe().as_object();
  EXPECT_EQ(d.at("latencyMs").as_int64(), 5);
  EXPECT_EQ(d.at("forcedErrors").as_array()[0].as_object().at("times").as_int64(), 1);
  EXPECT_EQ(d.at("injected").as_object().at("forced.error").as_int64(), 1);
}

TEST(FaultConfigTest, Parse_RejectsMistakes) {
  EXPECT_THROW(Parse(R"({"latencyMS": 5})"), std::invalid_argument);
  EXPECT_THROW(Parse(R"({"failureRates": {"serverErorr": 0.1}})"), std::invalid_argument);
  EXPECT_THROW(Parse(R"({"failureRates": {"serverError": 0.6, "lostResponse": 0.6}})"), std::invalid_argument);
  EXPECT_THROW(Parse(R"({"failureRates": {"serverError": -0.1}})"), std::invalid_argument);
  EXPECT_THROW(Parse(R"({"forcedErrors": [{"errorCode": -782}]})"), std::invalid_argument);
  EXPECT_THROW(Parse(R"({"forcedErrors": [{"sid": "S1"}]})"), std::invalid_argument);
  EXPECT_THROW(Parse(R"({"forcedErrors": [{"sid": "S1", "fault": "meteor"}]})"), std::invalid_argument);
  EXPECT_THROW(Parse(R"([1])"), std::invalid_argument);
  EXPECT_NO_THROW(Parse(R"({})"));
}

}  // namespace
}  // namespace pillivery::simulator
