// The breaker's state machine alone, with a ManualClock: no sleeps.
#include "payment/circuit_breaker.hpp"
#include "infra/clock.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace pillivery::payment {
namespace {

using std::chrono::seconds;

class CircuitBreakerTest : public ::testing::Test {
 protected:
  // Runs one permitted call with the given verdict; false if the breaker refused it.
  bool Call(bool fails) {
    auto permit = breaker_.TryAcquire();
    if (!permit) return false;
    fails ? breaker_.OnFailure(*permit) : breaker_.OnSuccess(*permit);
    return true;
  }
  void Calls(int count, bool fails) {
    for (int i = 0; i < count; ++i) ASSERT_TRUE(Call(fails)) << "call " << i << " refused";
  }
  void OpenIt() {
    Calls(20, true);
    ASSERT_EQ(breaker_.State(), CircuitState::kOpen);
  }

  infra::ManualClock clock_;
  std::vector<std::pair<CircuitState, CircuitState>> transitions_;
  CircuitBreaker breaker_{CircuitBreakerSettings{}, clock_,
                          [this](CircuitState from, CircuitState to) { transitions_.emplace_back(from, to); }};
};

TEST_F(CircuitBreakerTest, Breaker_WhenSixtyPercentOfTwentyCallsFail_OpensAndFailsFast) {
  Calls(8, false);
  Calls(11, true);
  EXPECT_EQ(breaker_.State(), CircuitState::kClosed);  // 19 calls: below the minimum
  Calls(1, true);                                      // 12 of 20 = 60%
  EXPECT_EQ(breaker_.State(), CircuitState::kOpen);
  EXPECT_FALSE(breaker_.TryAcquire().has_value());
  EXPECT_EQ(breaker_.RemainingOpen(), seconds(10));
  ASSERT_EQ(transitions_.size(), 1u);
  EXPECT_EQ(transitions_[0].second, CircuitState::kOpen);
}

TEST_F(CircuitBreakerTest, Breaker_WhenFewerThanTwentyCallsAllFail_StaysClosed) {
  Calls(19, true);
  EXPECT_EQ(breaker_.State(), CircuitState::kClosed);
}

TEST_F(CircuitBreakerTest, Breaker_WhenFailureRateIsBelowSixtyPercent_StaysClosed) {
  Calls(9, false);
  Calls(11, true);  // 55%
  EXPECT_EQ(breaker_.State(), CircuitState::kClosed);
}

TEST_F(CircuitBreakerTest, Breaker_SlidingWindowForgetsCallsOlderThanForty) {
  Calls(11, true);
  Calls(9, false);  // 11 of 20 = 55%
  EXPECT_EQ(breaker_.State(), CircuitState::kClosed);
  Calls(40, false);  // the 11 early failures have left the window
  Calls(23, true);   // 23 of the last 40; with the old ones remembered it would be 34
  EXPECT_EQ(breaker_.State(), CircuitState::kClosed);
  Calls(1, true);  // 24 of 40 = 60%
  EXPECT_EQ(breaker_.State(), CircuitState::kOpen);
}

TEST_F(CircuitBreakerTest, Breaker_BurstWhoseFastFailuresArriveFirst_StaysClosedAtTwentyPercent) {
  // 250 calls start together; one in five is refused at once, the rest answer later.
  std::vector<CircuitBreaker::Permit> running;
  for (int i = 0; i < 250; ++i) running.push_back(*breaker_.TryAcquire());
  for (int i = 0; i < 250; i += 5) breaker_.OnFailure(running[i]);
  EXPECT_EQ(breaker_.State(), CircuitState::kClosed);  // counting arrivals, 50 failures of 50 results opened it
  for (int i = 0; i < 250; ++i)
    if (i % 5 != 0) breaker_.OnSuccess(running[i]);
  EXPECT_EQ(breaker_.State(), CircuitState::kClosed);
  // And a real outage among concurrent calls still opens it: 24 of the last 40 started fail.
  running.clear();
  for (int i = 0; i < 40; ++i) running.push_back(*breaker_.TryAcquire());
  for (int i = 0; i < 23; ++i) breaker_.OnFailure(running[i]);
  EXPECT_EQ(breaker_.State(), CircuitState::kClosed);
  breaker_.OnFailure(running[23]);
  EXPECT_EQ(breaker_.State(), CircuitState::kOpen);
}

TEST_F(CircuitBreakerTest, Breaker_PermitsReleasedUnused_DoNotDiluteTheRate) {
  for (int i = 0; i < 20; ++i) breaker_.Release(*breaker_.TryAcquire());  // e.g. no bulkhead slot
  Calls(8, false);
  Calls(12, true);  // 12 of 20 calls made
  EXPECT_EQ(breaker_.State(), CircuitState::kOpen);
}

TEST_F(CircuitBreakerTest, Breaker_ClosedToOpenToHalfOpenToClosed) {
  OpenIt();
  clock_.Advance(seconds(9));
  EXPECT_EQ(breaker_.State(), CircuitState::kOpen);
  EXPECT_FALSE(Call(false));
  clock_.Advance(seconds(1));
  EXPECT_EQ(breaker_.State(), CircuitState::kHalfOpen);

  // Exactly ten trial calls are let through.
  std::vector<CircuitBreaker::Permit> trials;
  for (int i = 0; i < 10; ++i) {
    auto permit = breaker_.TryAcquire();
    ASSERT_TRUE(permit.has_value()) << i;
    trials.push_back(*permit);
  }
  EXPECT_FALSE(breaker_.TryAcquire().has_value());
  for (int i = 0; i < 9; ++i) breaker_.OnSuccess(trials[i]);
  EXPECT_EQ(breaker_.State(), CircuitState::kHalfOpen);  // waits for every trial
  breaker_.OnSuccess(trials[9]);
  EXPECT_EQ(breaker_.State(), CircuitState::kClosed);

  std::vector<std::pair<CircuitState, CircuitState>> expected{{CircuitState::kClosed, CircuitState::kOpen},
                                                              {CircuitState::kOpen, CircuitState::kHalfOpen},
                                                              {CircuitState::kHalfOpen, CircuitState::kClosed}};
  EXPECT_EQ(transitions_, expected);
  // A fresh window: 19 failures after closing do not reopen it.
  Calls(19, true);
  EXPECT_EQ(breaker_.State(), CircuitState::kClosed);
}

TEST_F(CircuitBreakerTest, Breaker_WhenSixtyPercentOfTrialsFail_ReopensForAnotherTenSeconds) {
  OpenIt();
  clock_.Advance(seconds(10));
  Calls(4, false);
  Calls(6, true);
  EXPECT_EQ(breaker_.State(), CircuitState::kOpen);
  EXPECT_EQ(breaker_.RemainingOpen(), seconds(10));
  clock_.Advance(seconds(10));
  EXPECT_EQ(breaker_.State(), CircuitState::kHalfOpen);
}

TEST_F(CircuitBreakerTest, Breaker_WhenHalfTheTrialsFail_Closes) {
  OpenIt();
  clock_.Advance(seconds(10));
  Calls(5, false);
  Calls(5, true);  // 50% < 60%
  EXPECT_EQ(breaker_.State(), CircuitState::kClosed);
}

TEST_F(CircuitBreakerTest, Breaker_ResultOfACallFromBeforeTheOpening_IsNotATrial) {
  auto slow = breaker_.TryAcquire();
  ASSERT_TRUE(slow.has_value());
  OpenIt();
  clock_.Advance(seconds(10));
  ASSERT_EQ(breaker_.State(), CircuitState::kHalfOpen);
  breaker_.OnFailure(*slow);  // arrives late; ignored
  Calls(9, false);
  EXPECT_EQ(breaker_.State(), CircuitState::kHalfOpen);  // only nine trials done
  Calls(1, false);
  EXPECT_EQ(breaker_.State(), CircuitState::kClosed);
}

TEST_F(CircuitBreakerTest, Breaker_ReleasedTrial_IsHandedOutAgain) {
  OpenIt();
  clock_.Advance(seconds(10));
  std::vector<CircuitBreaker::Permit> trials;
  for (int i = 0; i < 10; ++i) trials.push_back(*breaker_.TryAcquire());
  EXPECT_FALSE(breaker_.TryAcquire().has_value());
  breaker_.Release(trials.back());
  EXPECT_TRUE(breaker_.TryAcquire().has_value());
}

TEST(CircuitBreakerSettingsTest, Breaker_SettingsAreConfigurable) {
  infra::ManualClock clock;
  CircuitBreaker breaker({4, 2, 0.5, std::chrono::milliseconds(500), 1}, clock);
  auto p1 = breaker.TryAcquire();
  breaker.OnSuccess(*p1);
  auto p2 = breaker.TryAcquire();
  breaker.OnFailure(*p2);  // 1 of 2 = 50%
  EXPECT_EQ(breaker.State(), CircuitState::kOpen);
  clock.Advance(std::chrono::milliseconds(500));
  auto trial = breaker.TryAcquire();
  ASSERT_TRUE(trial.has_value());
  EXPECT_FALSE(breaker.TryAcquire().has_value());
  breaker.OnSuccess(*trial);
  EXPECT_EQ(breaker.State(), CircuitState::kClosed);
}

}  // namespace
}  // namespace pillivery::payment
