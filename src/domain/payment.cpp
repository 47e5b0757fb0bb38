#include "domain/payment.hpp"

#include "domain/code_table.hpp"

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
}  // namespace
using detail::CodeIn;
using detail::ParseIn;

std::string_view CodeOf(PaymentStatus status) { return CodeIn(kPaymentStatuses, status); }
std::optional<PaymentStatus> ParsePaymentStatus(std::string_view text) { return ParseIn(kPaymentStatuses, text); }
std::string_view CodeOf(PaymentMethodStatus status) { return CodeIn(kMethodStatuses, status); }
std::optional<PaymentMethodStatus> ParsePaymentMethodStatus(std::string_view text) {
  return ParseIn(kMethodStatuses, text);
}

}  // namespace pillivery::domain
