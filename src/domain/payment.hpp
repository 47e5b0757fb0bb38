#pragma once
// The states of what the store records about payments: an order's payment
// attempt (the payments table) and a subscription's SID (payment_methods).
#include <optional>
#include <string_view>

namespace pillivery::domain {

// One attempt of an order's payment: READY until the customer approves it
// (APPROVED), quits at the gateway (CANCELLED) or it fails (FAILED).
enum class PaymentStatus { kReady, kApproved, kCancelled, kFailed };
std::string_view CodeOf(PaymentStatus status);
std::optional<PaymentStatus> ParsePaymentStatus(std::string_view text);

// A SID the store holds for subscriptions: ACTIVE until its last subscription
// ended and nothing is left to settle with it (INACTIVE).
enum class PaymentMethodStatus { kActive, kInactive };
std::string_view CodeOf(PaymentMethodStatus status);
std::optional<PaymentMethodStatus> ParsePaymentMethodStatus(std::string_view text);

}  // namespace pillivery::domain
