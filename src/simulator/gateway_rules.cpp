#include "simulator/gateway_rules.hpp"

#include <string>

namespace pillivery::simulator {

void Require(bool present, const char* name) {
  if (!present) {
    throw GatewayError(codes::kInvalidParameter, std::string("required parameter missing: ") + name);
  }
}

bool WaitingForApproval(const Payment& p) { return p.status == kStatusReady || p.status == kStatusAuthenticated; }

bool Approved(const Payment& p) {
  return p.status == kStatusSuccess || p.status == kStatusIssuedSid || p.status == kStatusPartCancel ||
         p.status == kStatusCancel;
}

// KakaoPay's default: VAT is one eleventh of the taxable part, rounded.
std::int64_t DefaultVat(std::int64_t total, std::int64_t tax_free) { return (total - tax_free + 5) / 11; }

Amount ValidatedAmount(std::int64_t total, std::int64_t tax_free, std::optional<std::int64_t> vat) {
  if (total < 0) throw GatewayError(codes::kBadAmount, "total_amount must not be negative");
  if (tax_free < 0 || tax_free > total) {
    throw GatewayError(codes::kBadAmount, "tax_free_amount must be between 0 and total_amount");
  }
  Amount amount;
  amount.total = total;
  amount.tax_free = tax_free;
  amount.vat = vat.value_or(DefaultVat(total, tax_free));
  if (amount.vat < 0 || amount.vat > total - tax_free) {
    throw GatewayError(codes::kBadAmount, "vat_amount must be between 0 and the taxable amount");
  }
  return amount;
}

}  // namespace pillivery::simulator
