#include "domain/payment.hpp"

#include <utility>

namespace pillivery::domain {

namespace {
constexpr std::pair<PaymentStatus, std::string_view> kPaymentStatuses[] = {
    {PaymentStatus::kReady, "READY"},
    {PaymentStatus::kApproved, "APPROVED"},
    {PaymentStatus::kCancelled, "CANCELLED"},
    {PaymentStatus::kFailed, "FAILED"},
};
constexpr std::pair<PaymentMethodStatus, std::string_view> kMethodStatuses[] = {
    {PaymentMethodStatus::kActive, "ACTIVE"},
    {PaymentMethodStatus::kInactive, "INACTIVE"},
};

template <typename Enum, std::size_t N>
std::string_view CodeIn(const std::pair<Enum, std::string_view> (&table)[N], Enum value) {
  for (auto [e, code] : table)
    if (e == value) return code;
  return table[0].second;  // unreachable: every value is in its table
}
template <typename Enum, std::size_t N>
std::optional<Enum> ParseIn(const std::pair<Enum, std::string_view> (&table)[N], std::string_view text) {
  for (auto [e, code] : table)
    if (code == text) return e;
  return std::nullopt;
}
}  // namespace

std::string_view CodeOf(PaymentStatus status) { return CodeIn(kPaymentStatuses, status); }
std::optional<PaymentStatus> ParsePaymentStatus(std::string_view text) { return ParseIn(kPaymentStatuses, text); }
std::string_view CodeOf(PaymentMethodStatus status) { return CodeIn(kMethodStatuses, status); }
std::optional<PaymentMethodStatus> ParsePaymentMethodStatus(std::string_view text) {
  return ParseIn(kMethodStatuses, text);
}

}  // namespace pillivery::domain
