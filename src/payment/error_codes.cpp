#include "payment/error_codes.hpp"

#include <array>

namespace pillivery::payment {
namespace {

// Permanent card-company reasons: the card or account cannot pay, whenever asked.
constexpr std::array<std::string_view, 14> kHardMethodResults = {
    "CARD_STOLEN",         "CARD_LOST",       "CARD_EXPIRED",          "INVALID_CARD",
    "INVALID_CARD_NUMBER", "CARD_SUSPENDED",  "CARD_RESTRICTED",       "CARD_NOT_SUPPORTED",
    "ACCOUNT_CLOSED",      "SUSPECTED_FRAUD", "FORBIDDEN_TRANSACTION", "PAYMENT_METHOD_DELETED",
    "USER_WITHDRAWN",      "INVALID_ACCOUNT",
};

}  // namespace

bool IsHardMethodResult(std::string_view method_result_code) {
  for (auto hard : kHardMethodResults) {
    if (hard == method_result_code) return true;
  }
  // Known soft reasons (documented in README.md): INSUFFICIENT_BALANCE,
  // EXCEED_LIMIT, EXCEED_DAILY_LIMIT, EXCEED_MONTHLY_LIMIT, EXCEED_ONE_TIME_LIMIT,
  // TEMPORARY_ERROR, SYSTEM_ERROR, CARD_COMPANY_SYSTEM_ERROR, BANK_MAINTENANCE,
  // TIMEOUT; anything else unknown is soft as well.
  return false;
}

bool IsRequestError(int error_code) {
  using namespace kakao_codes;
  switch (error_code) {
    case kInvalidParameter:
    case kNotAuthenticated:
    case kAlreadyApproved:
    case kBadPoint:
    case kBadAmount:
    case kCancelExceeds:
    case kNotApprovable:
    case kNotCancellable:
      return true;
    default:
      return false;
  }
}

DeclineClass ClassifyKakaoError(int error_code, std::string_view method_result_code) {
  using namespace kakao_codes;
  switch (error_code) {
    case kDuplicate:
      return DeclineClass::kDuplicate;
    case kSidMonthlyCountExceeded:
      return DeclineClass::kSoft;  // the count resets next month
    case kApproveFailed:
    case kCancelFailed:
    case kChargeFailed:
      return IsHardMethodResult(method_result_code) ? DeclineClass::kHard : DeclineClass::kSoft;
    default:
      // SID errors, id mismatches, expiry, app/CID errors, IP/domain, -797 and the
      // request errors; an unknown code is hard too: the gateway said no clearly
      // and repeating the same request will not change its mind.
      return DeclineClass::kHard;
  }
}

}  // namespace pillivery::payment
