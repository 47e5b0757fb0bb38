#include "infra/hyperloglog.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <string>

namespace pillivery::infra {
namespace {

double RelativeError(double estimate, double truth) { return std::abs(estimate - truth) / truth; }

TEST(HyperLogLog_WhenEmpty, EstimatesZero) { EXPECT_EQ(HyperLogLog{}.Estimate(), 0.0); }

TEST(HyperLogLog_WhenTheSameValueIsAddedAgain, NothingChanges) {
  HyperLogLog hll;
  EXPECT_TRUE(hll.Add("u:42"));
  EXPECT_FALSE(hll.Add("u:42"));
  EXPECT_NEAR(hll.Estimate(), 1.0, 0.01);
}

TEST(HyperLogLog_With100kDistinctValues, StaysWithinThreeStandardErrors) {
  // Standard error 1.04 / sqrt(4096) ≈ 1.6%; three of them is 4.9%.
  HyperLogLog hll;
  for (int i = 0; i < 100'000; ++i) hll.Add("visitor-" + std::to_string(i));
  EXPECT_LT(RelativeError(hll.Estimate(), 100'000), 0.049) << hll.Estimate();
  // Adding all of them again changes nothing.
  double before = hll.Estimate();
  for (int i = 0; i < 100'000; ++i) hll.Add("visitor-" + std::to_string(i));
  EXPECT_EQ(hll.Estimate(), before);
}

TEST(HyperLogLog_AcrossCardinalities, ErrorIsBounded) {
  // Several independent key spaces, so one lucky hash seed cannot pass the test.
  for (const char* prefix : {"a:", "10.0.", "u:"}) {
    HyperLogLog hll;
    int added = 0;
    for (int target : {10, 100, 1'000, 10'000, 50'000}) {
      for (; added < target; ++added) hll.Add(prefix + std::to_string(added));
      double tolerance = target <= 100 ? 0.03 : 0.05;  // linear counting is near exact when small
      EXPECT_LT(RelativeError(hll.Estimate(), target), tolerance) << prefix << " " << target << ": " << hll.Estimate();
    }
  }
}

TEST(HyperLogLog_Merge, EstimatesTheUnion) {
  HyperLogLog a, b, both;
  for (int i = 0; i < 60'000; ++i) {
    a.Add("v" + std::to_string(i));
    both.Add("v" + std::to_string(i));
  }
  for (int i = 40'000; i < 100'000; ++i) {
    b.Add("v" + std::to_string(i));
    both.Add("v" + std::to_string(i));
  }
  a.Merge(b);
  EXPECT_EQ(a.Estimate(), both.Estimate());  // merging is exact on the registers
  EXPECT_LT(RelativeError(a.Estimate(), 100'000), 0.049);
}

TEST(Hash64, SpreadsNearbyKeysOverAllBits) {
  // Keys one character apart differ in about half the output bits.
  int total = 0;
  for (int i = 0; i < 1000; ++i)
    total += std::popcount(Hash64("key" + std::to_string(i)) ^ Hash64("key" + std::to_string(i + 1)));
  double mean = total / 1000.0;
  EXPECT_NEAR(mean, 32.0, 1.5);
  EXPECT_NE(Hash64(""), Hash64(std::string(1, '\0')));
}

}  // namespace
}  // namespace pillivery::infra
