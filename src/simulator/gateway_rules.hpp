#pragma once
// What the Gateway's operations share of KakaoPay's rules: the payment
// statuses, required parameters, amounts and their VAT. Internal to simulator/.
#include "simulator/model.hpp"

#include <cstdint>
#include <optional>

namespace pillivery::simulator {

inline constexpr const char* kStatusReady = "READY";
inline constexpr const char* kStatusAuthenticated = "AUTH_PASSWORD";
inline constexpr const char* kStatusIssuedSid = "ISSUED_SID";
inline constexpr const char* kStatusSuccess = "SUCCESS_PAYMENT";
inline constexpr const char* kStatusPartCancel = "PART_CANCEL_PAYMENT";
inline constexpr const char* kStatusCancel = "CANCEL_PAYMENT";
inline constexpr const char* kStatusQuit = "QUIT_PAYMENT";
inline constexpr const char* kStatusFail = "FAIL_PAYMENT";

// Throws -2 naming the parameter when it is absent.
void Require(bool present, const char* name);

bool WaitingForApproval(const Payment& p);
bool Approved(const Payment& p);

// KakaoPay's default: VAT is one eleventh of the taxable part, rounded.
std::int64_t DefaultVat(std::int64_t total, std::int64_t tax_free);

// The amount of a ready or a charge; throws -704 when it is out of range.
Amount ValidatedAmount(std::int64_t total, std::int64_t tax_free, std::optional<std::int64_t> vat);

}  // namespace pillivery::simulator
