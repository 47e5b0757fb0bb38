#include "infra/hyperloglog.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

namespace pillivery::infra {
namespace {

constexpr std::uint64_t kMulA = 0x87C37B91114253D5ULL;
constexpr std::uint64_t kMulB = 0x4CF5AD432745937FULL;

// The final avalanche step of a 64-bit mixer.
std::uint64_t Finalize(std::uint64_t h) {
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDULL;
  h ^= h >> 33;
  h *= 0xC4CEB9FE1A85EC53ULL;
  h ^= h >> 33;
  return h;
}

std::uint64_t MixBlock(std::uint64_t k) {
  k *= kMulA;
  k = std::rotl(k, 31);
  return k * kMulB;
}

}  // namespace

std::uint64_t Hash64(std::string_view bytes) {
  std::uint64_t h = 0x9E3779B97F4A7C15ULL ^ (bytes.size() * 0xC2B2AE3D27D4EB4FULL);
  std::size_t i = 0;
  for (; i + 8 <= bytes.size(); i += 8) {
    std::uint64_t block = 0;
    std::memcpy(&block, bytes.data() + i, 8);
    h ^= MixBlock(block);
    h = std::rotl(h, 27) * 5 + 0x52DCE729;
  }
  std::uint64_t tail = 0;
  for (std::size_t shift = 0; i < bytes.size(); ++i, shift += 8)
    tail |= std::uint64_t{static_cast<unsigned char>(bytes[i])} << shift;
  h ^= MixBlock(tail);
  return Finalize(h);
}

bool HyperLogLog::AddHash(std::uint64_t hash) {
  std::size_t index = hash >> (64 - kIndexBits);
  std::uint64_t rest = hash << kIndexBits;
  // Position of the first 1 bit in the remaining 52 bits (53 when all are 0).
  auto rank = static_cast<std::uint8_t>(rest == 0 ? 64 - kIndexBits + 1 : std::countl_zero(rest) + 1);
  if (rank <= registers_[index]) return false;
  registers_[index] = rank;
  return true;
}

void HyperLogLog::Merge(const HyperLogLog& other) {
  for (std::size_t i = 0; i < kRegisters; ++i) registers_[i] = std::max(registers_[i], other.registers_[i]);
}

double HyperLogLog::Estimate() const {
  constexpr double m = static_cast<double>(kRegisters);  // NOLINT(readability-identifier-naming): the paper's m
  const double alpha = 0.7213 / (1.0 + 1.079 / m);
  // 2^-rank for every possible rank, so the loop is a lookup and an add.
  static const auto kInversePowers = [] {
    std::array<double, 65> table{};
    for (int r = 0; r < 65; ++r) table[r] = std::ldexp(1.0, -r);
    return table;
  }();
  double sum = 0;
  int zeros = 0;
  for (auto r : registers_) {
    sum += kInversePowers[r];
    if (r == 0) ++zeros;
  }
  double raw = alpha * m * m / sum;
  // Small cardinalities: linear counting over the empty registers is far
  // more accurate than the harmonic mean. With a 64-bit hash no large-range
  // correction is needed.
  if (raw <= 2.5 * m && zeros > 0) return m * std::log(m / zeros);
  return raw;
}

}  // namespace pillivery::infra
