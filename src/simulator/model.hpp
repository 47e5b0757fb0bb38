#pragma once
// The simulator's records: what a KakaoPay payment, SID and ledger line look
// like inside the simulator. Plain values; the HTTP layer gives them their
// wire shape (wire_json.cpp) and the store their durable one (store.cpp).
#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace pillivery::simulator {

using TimePoint = std::chrono::system_clock::time_point;

struct Amount {
  std::int64_t total = 0;
  std::int64_t tax_free = 0;
  std::int64_t vat = 0;
  std::int64_t point = 0;
  std::int64_t discount = 0;
  std::int64_t green_deposit = 0;
};

// One entry of payment_action_details.
struct PaymentAction {
  std::string aid;
  std::string type;  // PAYMENT | CANCEL | ISSUED_SID
  Amount amount;
  TimePoint approved_at;
  std::string payload;
};

struct Payment {
  std::string tid;
  std::string cid;
  std::string partner_order_id;
  std::string partner_user_id;
  std::string item_name;
  std::string item_code;
  std::int64_t quantity = 0;
  std::int64_t install_month = 0;
  Amount amount;
  Amount canceled;                  // cumulative
  std::string status;               // READY, AUTH_PASSWORD, SUCCESS_PAYMENT, ...
  std::string payment_method_type;  // CARD | MONEY
  std::string approval_url;
  std::string cancel_url;
  std::string fail_url;
  std::string pg_token;          // set when the customer passed the approval page
  std::string sid;               // issued by a recurring approve, or charged by subscription
  bool by_subscription = false;  // created by a server-to-server recurring charge
  std::string payload;
  TimePoint created_at;
  std::optional<TimePoint> approved_at;
  std::optional<TimePoint> canceled_at;
  std::vector<PaymentAction> actions;

  std::int64_t CancelAvailable() const { return amount.total - canceled.total; }
};

struct Sid {
  std::string sid;
  std::string cid;
  std::string partner_user_id;  // empty for SSEED SIDs: any user may charge them
  std::string item_name;
  std::string payment_method_type;
  std::string status;  // ACTIVE | INACTIVE
  TimePoint created_at;
  std::optional<TimePoint> last_approved_at;
  std::optional<TimePoint> inactivated_at;
};

// One money movement, in the order the simulator made them.
struct LedgerEntry {
  std::string kind;  // APPROVE | SUBSCRIPTION | CANCEL
  std::string tid;
  std::string aid;
  std::string sid;
  std::string cid;
  std::string partner_order_id;
  std::string partner_user_id;
  std::int64_t amount = 0;  // positive, also for CANCEL
  TimePoint at;
};

// A KakaoPay error answer: {"error_code", "error_message", "extras": {...}}.
class GatewayError : public std::runtime_error {
 public:
  GatewayError(int code, const std::string& message, std::string method_result_code = "",
               std::string method_result_message = "", int http_status = 400)
      : std::runtime_error(message),
        code_(code),
        http_status_(http_status),
        method_result_code_(std::move(method_result_code)),
        method_result_message_(std::move(method_result_message)) {}

  int Code() const { return code_; }
  int HttpStatus() const { return http_status_; }
  std::string Message() const { return what(); }
  const std::string& MethodResultCode() const { return method_result_code_; }
  const std::string& MethodResultMessage() const { return method_result_message_; }

 private:
  int code_;
  int http_status_;
  std::string method_result_code_;
  std::string method_result_message_;
};

// Error codes of kakaopay.md, plus -2 (Kakao's generic "invalid parameter").
namespace codes {
inline constexpr int kInvalidParameter = -2;
inline constexpr int kNotAuthenticated = -701;
inline constexpr int kAlreadyApproved = -702;
inline constexpr int kBadAmount = -704;
inline constexpr int kOrderIdMismatch = -706;
inline constexpr int kUserIdMismatch = -707;
inline constexpr int kBadPgToken = -708;
inline constexpr int kCancelExceeds = -710;
inline constexpr int kTidNotFound = -721;
inline constexpr int kExpired = -723;
inline constexpr int kBadApp = -730;
inline constexpr int kBadCid = -731;
inline constexpr int kSidNotFound = -750;
inline constexpr int kSidInactive = -751;
inline constexpr int kSidUserMismatch = -753;
inline constexpr int kApproveFailed = -780;
inline constexpr int kCancelFailed = -781;
inline constexpr int kChargeFailed = -782;
inline constexpr int kNotApprovable = -783;
inline constexpr int kNotCancellable = -784;
inline constexpr int kDuplicate = -785;
}  // namespace codes

}  // namespace pillivery::simulator
