// The shared "every interval on its own thread" loop of the sweeper, the
// billing scheduler and the views flusher.
#include "infra/periodic_task.hpp"
#include "infra/log.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace pillivery::infra {
namespace {

using namespace std::chrono_literals;
using FirstTick = PeriodicTask::FirstTick;

// Waits (bounded) for a condition another thread makes true.
template <typename Done>
bool Eventually(Done done) {
  for (int i = 0; i < 500 && !done(); ++i) std::this_thread::sleep_for(10ms);
  return done();
}

TEST(PeriodicTask, AtStart_TicksAtOnceAndKeepsTickingAfterAFailure) {
  std::ostringstream log;
  SetLogStream(&log);
  std::atomic<int> ticks{0};
  PeriodicTask task("test sweep", 5ms, FirstTick::kAtStart, [&] {
    if (++ticks == 1) throw std::runtime_error("database down");
  });
  task.Start();
  EXPECT_TRUE(Eventually([&] { return ticks >= 3; }));
  EXPECT_TRUE(task.Running());
  EXPECT_TRUE(task.Stop());
  EXPECT_FALSE(task.Running());
  EXPECT_FALSE(task.Stop());  // nothing left to stop
  SetLogStream(nullptr);
  EXPECT_NE(log.str().find("test sweep failed"), std::string::npos);
  EXPECT_NE(log.str().find("database down"), std::string::npos);
}

TEST(PeriodicTask, AfterInterval_DoesNotTickBeforeTheFirstIntervalAndStopsAtOnce) {
  std::atomic<int> ticks{0};
  PeriodicTask task("test flush", std::chrono::hours(1), FirstTick::kAfterInterval, [&] { ++ticks; });
  task.Start();
  auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(task.Stop());
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);  // woken, not waiting out the hour
  EXPECT_EQ(ticks.load(), 0);
  task.Start();  // and it can run again
  EXPECT_TRUE(task.Running());
}

}  // namespace
}  // namespace pillivery::infra
