#include "infra/group_executor.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <stdexcept>
#include <thread>
#include <vector>

namespace pillivery::infra {
namespace {

using Squares = GroupExecutor<int, int>;

TEST(GroupExecutorTest, ALoneRequestRunsAtOnceInAGroupOfItsOwn) {
  std::vector<std::size_t> sizes;
  Squares squares(
      [&](std::span<Squares::Job*> group) {
        sizes.push_back(group.size());
        for (auto* job : group) job->result = job->request * job->request;
      },
      8);
  EXPECT_EQ(squares.Run(3), 9);
  EXPECT_EQ(squares.Run(4), 16);
  EXPECT_EQ(sizes, (std::vector<std::size_t>{1, 1}));
  EXPECT_EQ(squares.Groups(), 2u);
  EXPECT_EQ(squares.Requests(), 2u);
}

TEST(GroupExecutorTest, RequestsArrivingWhileAGroupRunsAreRunTogetherAndEachGetsItsOwnResult) {
  // The first group blocks until every other caller has queued behind it.
  constexpr int kCallers = 40;
  std::latch leading(1);
  std::atomic<bool> first{true};
  std::atomic<std::size_t> largest{0};
  Squares squares(
      [&](std::span<Squares::Job*> group) {
        if (first.exchange(false)) {
          leading.count_down();
          // The other callers are all in the queue, not just on their way to it.
          while (squares.Queued() < kCallers - 1) std::this_thread::yield();
        }
        largest = std::max<std::size_t>(largest, group.size());
        for (auto* job : group) job->result = job->request * job->request;
      },
      16);
  std::vector<int> answers(kCallers);
  std::vector<std::thread> callers;
  callers.emplace_back([&] { answers[0] = squares.Run(0); });
  leading.wait();  // the first caller leads
  for (int i = 1; i < kCallers; ++i)
    callers.emplace_back([&, i] { answers[static_cast<std::size_t>(i)] = squares.Run(i); });
  for (auto& t : callers) t.join();
  for (int i = 0; i < kCallers; ++i) EXPECT_EQ(answers[static_cast<std::size_t>(i)], i * i);
  EXPECT_EQ(largest.load(), 16u);   // capped at max_group
  EXPECT_LE(squares.Groups(), 5u);  // 1 + 39 queued in groups of at most 16
  EXPECT_EQ(squares.Requests(), static_cast<std::size_t>(kCallers));
}

TEST(GroupExecutorTest, AnErrorOfOneRequestGoesToThatCallerAndAGroupFailureToAll) {
  Squares squares(
      [](std::span<Squares::Job*> group) {
        for (auto* job : group) {
          if (job->request < 0)
            job->error = std::make_exception_ptr(std::invalid_argument("negative"));
          else if (job->request == 99)
            throw std::runtime_error("the whole group failed");
          else
            job->result = job->request;
        }
      },
      4);
  EXPECT_THROW(squares.Run(-1), std::invalid_argument);
  EXPECT_EQ(squares.Run(5), 5);
  EXPECT_THROW(squares.Run(99), std::runtime_error);
  Squares forgetful([](std::span<Squares::Job*>) {}, 4);
  EXPECT_THROW(forgetful.Run(1), std::logic_error);
}

}  // namespace
}  // namespace pillivery::infra
