#pragma once
// One error model: every failure a client can see is a domain::Error naming one
// ErrorCode of the closed list below. The code's table (error.cpp) gives its
// stable wire string and its kind; http/ turns the kind into a status and the
// error into problem+json, in exactly one place (http::ProblemMiddleware).
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace pillivery::domain {

// What went wrong, as a class of failure; api/ and http/ choose the status.
enum class ErrorKind {
  kBadRequest,            // malformed input
  kUnauthorized,          // no valid credentials
  kForbidden,             // authenticated, not allowed
  kNotFound,              // missing or not yours
  kConflict,              // state or uniqueness
  kPayloadTooLarge,       // a body over its limit
  kUnsupportedMediaType,  // a body of a type the route does not take
  kUnprocessable,         // valid input that breaks a business rule
  kRateLimited,           // too many tries: come back later
  kUnavailable,           // a dependency is down
  kInternal,              // a bug, never bad input
};

// Every code a client (or an operator of the CLI) can see. Add one here and in
// the table in error.cpp; problems.json documents those the API answers.
enum class ErrorCode {
  // kBadRequest
  kValidationFailed,
  kMalformedJson,
  kOauthStateMismatch,
  kConfigInvalid,
  kImportMalformed,
  kSeedBadDate,
  kSeedNeedsData,
  // kUnauthorized
  kUnauthorized,
  kInvalidCredentials,
  kInvalidRefreshToken,
  kOauthDenied,
  kOauthFailed,
  // kForbidden
  kForbidden,
  kCurrentPasswordMismatch,
  kNotAPurchaser,
  // kNotFound
  kCartLineNotFound,
  kCartNotFound,
  kDocsAssetNotFound,
  kEventNotFound,
  kImageNotFound,
  kImportFileUnreadable,
  kItemNotFound,
  kOauthProviderNotFound,
  kOrderNotFound,
  kPaymentAttemptNotFound,
  kReviewNotFound,
  kSubscriptionNotFound,
  kUserNotFound,
  // kConflict
  kAlreadyReviewed,
  kChargeInProgress,
  kCycleMismatch,
  kCycleNotDue,
  kDisplayNameTaken,
  kEmailTaken,
  kEventNotDead,
  kIdempotencyInProgress,
  kOpenQuantityExceeded,
  kOrderAlreadyShipped,
  kOrderNotCancellable,
  kOrderNotDeliverable,
  kOrderNotPayable,
  kOrderNotRefundable,
  kOrderNotShippable,
  kOutOfStock,
  kPaymentNotReady,
  kPhoneTaken,
  kRefundOutsideGatewayRequired,
  kRefundThroughGatewayRequired,
  kRefundBeingConfirmed,
  kReportNoTaken,
  kSubscriptionNotChargeable,
  kSubscriptionStateConflict,
  kTooManyOpenOrders,
  // kPayloadTooLarge, kUnsupportedMediaType
  kImageTooLarge,
  kUnsupportedMediaType,
  // kUnprocessable
  kCartEmpty,
  kIdempotencyKeyReused,
  kPaymentDeclined,
  kRefundExceedsPayment,
  kTestClockLimit,
  // kRateLimited
  kRateLimited,
  kLoginThrottled,
  // kUnavailable
  kDatabaseBusy,
  kDatabaseUnavailable,
  kImageStoreFailed,
  kImportSourceError,
  kImportSourceUnavailable,
  kOauthProviderUnavailable,
  kOutOfMemory,
  kPaymentGatewayUnavailable,
  // kInternal
  kCryptoUnavailable,
  kImportClientFailed,
  kSecretUnwritable,
};

// One row of the code table.
struct ErrorCodeInfo {
  ErrorCode code;
  std::string_view text;  // the stable wire string, e.g. "OUT_OF_STOCK"
  ErrorKind kind;
};

const ErrorCodeInfo& InfoOf(ErrorCode code);
// Every row, in enum order (tests walk it against the OpenAPI catalogue).
const std::vector<ErrorCodeInfo>& ErrorCodeTable();

struct FieldError {
  std::string field;
  std::string reason;
};

class Error : public std::runtime_error {
 public:
  // By value, as the callers hand it (std::runtime_error copies it anyway).
  Error(ErrorCode code, std::string detail,  // NOLINT(performance-unnecessary-value-param)
        std::vector<FieldError> errors = {})
      : std::runtime_error(detail), code_(code), errors_(std::move(errors)) {}

  ErrorCode Id() const { return code_; }
  bool Is(ErrorCode code) const { return code_ == code; }
  ErrorKind Kind() const { return InfoOf(code_).kind; }
  std::string Code() const { return std::string(InfoOf(code_).text); }  // the wire string
  std::string Detail() const { return what(); }
  const std::vector<FieldError>& Errors() const { return errors_; }
  // Seconds after which trying again may succeed (a rate limit), if known.
  std::optional<std::int64_t> RetryAfter() const { return retry_after_seconds_; }

  static Error Validation(std::vector<FieldError> errors) {
    return Error(ErrorCode::kValidationFailed, "The request has invalid fields.", std::move(errors));
  }

 protected:
  std::optional<std::int64_t> retry_after_seconds_;

 private:
  ErrorCode code_;
  std::vector<FieldError> errors_;
};

// Collects field errors and throws one VALIDATION_FAILED error at the end, so a
// client sees every broken rule at once.
class Validator {
 public:
  void Add(std::string field, std::string reason) { errors_.push_back({std::move(field), std::move(reason)}); }
  void Check(bool ok, std::string field, std::string reason) {
    if (!ok) Add(std::move(field), std::move(reason));
  }
  bool Ok() const { return errors_.empty(); }
  const std::vector<FieldError>& Errors() const { return errors_; }
  void ThrowIfAny() {
    if (!errors_.empty()) throw Error::Validation(std::move(errors_));
  }

 private:
  std::vector<FieldError> errors_;
};

}  // namespace pillivery::domain
