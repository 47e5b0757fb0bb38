#pragma once
// How a KakaoPay error answer is classified: hard (never retry the same
// request), soft (a later attempt may succeed) or duplicate (-785, resolve by
// lookup). Table and reasons: README.md "Error classification".
#include <string_view>

namespace pillivery::payment {

namespace kakao_codes {
inline constexpr int kInvalidParameter = -2;
inline constexpr int kNotAuthenticated = -701;
inline constexpr int kAlreadyApproved = -702;
inline constexpr int kBadPoint = -703;
inline constexpr int kBadAmount = -704;
inline constexpr int kOrderIdMismatch = -706;
inline constexpr int kUserIdMismatch = -707;
inline constexpr int kBadPgToken = -708;
inline constexpr int kCancelExceeds = -710;
inline constexpr int kTidNotFound = -721;
inline constexpr int kExpired = -723;
inline constexpr int kBadApp = -730;
inline constexpr int kBadCid = -731;
inline constexpr int kBadGid = -732;
inline constexpr int kBadCidSecret = -733;
inline constexpr int kSidNotFound = -750;
inline constexpr int kSidInactive = -751;
inline constexpr int kSidMonthlyCountExceeded = -752;
inline constexpr int kSidUserMismatch = -753;
inline constexpr int kApproveFailed = -780;
inline constexpr int kCancelFailed = -781;
inline constexpr int kChargeFailed = -782;
inline constexpr int kNotApprovable = -783;
inline constexpr int kNotCancellable = -784;
inline constexpr int kDuplicate = -785;
inline constexpr int kPerPaymentLimit = -797;
inline constexpr int kIpNotAllowed = -798;
inline constexpr int kDomainMismatch = -799;
}  // namespace kakao_codes

enum class DeclineClass { kHard, kSoft, kDuplicate };

// method_result_code is extras.method_result_code; it decides only -780/-781/-782.
DeclineClass ClassifyKakaoError(int error_code, std::string_view method_result_code);

// For -780/-781/-782: true when the card company's reason is permanent. An
// unknown or empty reason counts as soft: a retry next cycle costs little, a
// wrongly hard decline loses a customer.
bool IsHardMethodResult(std::string_view method_result_code);

// Request errors: our request was wrong or the payment is in the wrong state
// (-2, -701…-704, -710, -783, -784). Hard, and a sign of a bug or a race on our side.
bool IsRequestError(int error_code);

}  // namespace pillivery::payment
