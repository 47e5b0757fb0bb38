#include "domain/error.hpp"

#include <iterator>

namespace pillivery::domain {

namespace {

// The one table of error codes: enum → wire string and kind. The status and
// the problem's title follow from the kind (http::StatusOf, http::StatusTitle),
// so a code cannot answer with a title of its own.
constexpr ErrorCodeInfo kTable[] = {
    {ErrorCode::kValidationFailed, "VALIDATION_FAILED", ErrorKind::kBadRequest},
    {ErrorCode::kMalformedJson, "MALFORMED_JSON", ErrorKind::kBadRequest},
    {ErrorCode::kOauthStateMismatch, "OAUTH_STATE_MISMATCH", ErrorKind::kBadRequest},
    {ErrorCode::kConfigInvalid, "CONFIG_INVALID", ErrorKind::kBadRequest},
    {ErrorCode::kImportMalformed, "IMPORT_MALFORMED", ErrorKind::kBadRequest},
    {ErrorCode::kSeedBadDate, "SEED_BAD_DATE", ErrorKind::kBadRequest},
    {ErrorCode::kSeedNeedsData, "SEED_NEEDS_DATA", ErrorKind::kBadRequest},
    {ErrorCode::kUnauthorized, "UNAUTHORIZED", ErrorKind::kUnauthorized},
    {ErrorCode::kInvalidCredentials, "INVALID_CREDENTIALS", ErrorKind::kUnauthorized},
    {ErrorCode::kInvalidRefreshToken, "INVALID_REFRESH_TOKEN", ErrorKind::kUnauthorized},
    {ErrorCode::kOauthDenied, "OAUTH_DENIED", ErrorKind::kUnauthorized},
    {ErrorCode::kOauthFailed, "OAUTH_FAILED", ErrorKind::kUnauthorized},
    {ErrorCode::kForbidden, "FORBIDDEN", ErrorKind::kForbidden},
    {ErrorCode::kCurrentPasswordMismatch, "CURRENT_PASSWORD_MISMATCH", ErrorKind::kForbidden},
    {ErrorCode::kNotAPurchaser, "NOT_A_PURCHASER", ErrorKind::kForbidden},
    {ErrorCode::kCartLineNotFound, "CART_LINE_NOT_FOUND", ErrorKind::kNotFound},
    {ErrorCode::kCartNotFound, "CART_NOT_FOUND", ErrorKind::kNotFound},
    {ErrorCode::kDocsAssetNotFound, "DOCS_ASSET_NOT_FOUND", ErrorKind::kNotFound},
    {ErrorCode::kEventNotFound, "EVENT_NOT_FOUND", ErrorKind::kNotFound},
    {ErrorCode::kImageNotFound, "IMAGE_NOT_FOUND", ErrorKind::kNotFound},
    {ErrorCode::kImportFileUnreadable, "IMPORT_FILE_UNREADABLE", ErrorKind::kNotFound},
    {ErrorCode::kItemNotFound, "ITEM_NOT_FOUND", ErrorKind::kNotFound},
    {ErrorCode::kOauthProviderNotFound, "OAUTH_PROVIDER_NOT_FOUND", ErrorKind::kNotFound},
    {ErrorCode::kOrderNotFound, "ORDER_NOT_FOUND", ErrorKind::kNotFound},
    {ErrorCode::kPaymentAttemptNotFound, "PAYMENT_ATTEMPT_NOT_FOUND", ErrorKind::kNotFound},
    {ErrorCode::kReviewNotFound, "REVIEW_NOT_FOUND", ErrorKind::kNotFound},
    {ErrorCode::kSubscriptionNotFound, "SUBSCRIPTION_NOT_FOUND", ErrorKind::kNotFound},
    {ErrorCode::kUserNotFound, "USER_NOT_FOUND", ErrorKind::kNotFound},
    {ErrorCode::kAlreadyReviewed, "ALREADY_REVIEWED", ErrorKind::kConflict},
    {ErrorCode::kChargeInProgress, "CHARGE_IN_PROGRESS", ErrorKind::kConflict},
    {ErrorCode::kCycleMismatch, "CYCLE_MISMATCH", ErrorKind::kConflict},
    {ErrorCode::kCycleNotDue, "CYCLE_NOT_DUE", ErrorKind::kConflict},
    {ErrorCode::kDisplayNameTaken, "DISPLAY_NAME_TAKEN", ErrorKind::kConflict},
    {ErrorCode::kEmailTaken, "EMAIL_TAKEN", ErrorKind::kConflict},
    {ErrorCode::kEventNotDead, "EVENT_NOT_DEAD", ErrorKind::kConflict},
    {ErrorCode::kIdempotencyInProgress, "IDEMPOTENCY_IN_PROGRESS", ErrorKind::kConflict},
    {ErrorCode::kOpenQuantityExceeded, "OPEN_QUANTITY_EXCEEDED", ErrorKind::kConflict},
    {ErrorCode::kOrderAlreadyShipped, "ORDER_ALREADY_SHIPPED", ErrorKind::kConflict},
    {ErrorCode::kOrderNotCancellable, "ORDER_NOT_CANCELLABLE", ErrorKind::kConflict},
    {ErrorCode::kOrderNotDeliverable, "ORDER_NOT_DELIVERABLE", ErrorKind::kConflict},
    {ErrorCode::kOrderNotPayable, "ORDER_NOT_PAYABLE", ErrorKind::kConflict},
    {ErrorCode::kOrderNotRefundable, "ORDER_NOT_REFUNDABLE", ErrorKind::kConflict},
    {ErrorCode::kOrderNotShippable, "ORDER_NOT_SHIPPABLE", ErrorKind::kConflict},
    {ErrorCode::kOutOfStock, "OUT_OF_STOCK", ErrorKind::kConflict},
    {ErrorCode::kPaymentNotReady, "PAYMENT_NOT_READY", ErrorKind::kConflict},
    {ErrorCode::kPhoneTaken, "PHONE_TAKEN", ErrorKind::kConflict},
    {ErrorCode::kRefundOutsideGatewayRequired, "REFUND_OUTSIDE_GATEWAY_REQUIRED", ErrorKind::kConflict},
    {ErrorCode::kRefundThroughGatewayRequired, "REFUND_THROUGH_GATEWAY_REQUIRED", ErrorKind::kConflict},
    {ErrorCode::kRefundBeingConfirmed, "REFUND_BEING_CONFIRMED", ErrorKind::kConflict},
    {ErrorCode::kReportNoTaken, "REPORT_NO_TAKEN", ErrorKind::kConflict},
    {ErrorCode::kSubscriptionNotChargeable, "SUBSCRIPTION_NOT_CHARGEABLE", ErrorKind::kConflict},
    {ErrorCode::kSubscriptionStateConflict, "SUBSCRIPTION_STATE_CONFLICT", ErrorKind::kConflict},
    {ErrorCode::kTooManyOpenOrders, "TOO_MANY_OPEN_ORDERS", ErrorKind::kConflict},
    {ErrorCode::kImageTooLarge, "IMAGE_TOO_LARGE", ErrorKind::kPayloadTooLarge},
    {ErrorCode::kUnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE", ErrorKind::kUnsupportedMediaType},
    {ErrorCode::kCartEmpty, "CART_EMPTY", ErrorKind::kUnprocessable},
    {ErrorCode::kIdempotencyKeyReused, "IDEMPOTENCY_KEY_REUSED", ErrorKind::kUnprocessable},
    {ErrorCode::kPaymentDeclined, "PAYMENT_DECLINED", ErrorKind::kUnprocessable},
    {ErrorCode::kRefundExceedsPayment, "REFUND_EXCEEDS_PAYMENT", ErrorKind::kUnprocessable},
    {ErrorCode::kTestClockLimit, "TEST_CLOCK_LIMIT", ErrorKind::kUnprocessable},
    {ErrorCode::kRateLimited, "RATE_LIMITED", ErrorKind::kRateLimited},
    {ErrorCode::kLoginThrottled, "LOGIN_THROTTLED", ErrorKind::kRateLimited},
    {ErrorCode::kDatabaseBusy, "DATABASE_BUSY", ErrorKind::kUnavailable},
    {ErrorCode::kDatabaseUnavailable, "DATABASE_UNAVAILABLE", ErrorKind::kUnavailable},
    {ErrorCode::kImageStoreFailed, "IMAGE_STORE_FAILED", ErrorKind::kUnavailable},
    {ErrorCode::kImportSourceError, "IMPORT_SOURCE_ERROR", ErrorKind::kUnavailable},
    {ErrorCode::kImportSourceUnavailable, "IMPORT_SOURCE_UNAVAILABLE", ErrorKind::kUnavailable},
    {ErrorCode::kOauthProviderUnavailable, "OAUTH_PROVIDER_UNAVAILABLE", ErrorKind::kUnavailable},
    {ErrorCode::kOutOfMemory, "OUT_OF_MEMORY", ErrorKind::kUnavailable},
    {ErrorCode::kPaymentGatewayUnavailable, "PAYMENT_GATEWAY_UNAVAILABLE", ErrorKind::kUnavailable},
    {ErrorCode::kCryptoUnavailable, "CRYPTO_UNAVAILABLE", ErrorKind::kInternal},
    {ErrorCode::kImportClientFailed, "IMPORT_CLIENT_FAILED", ErrorKind::kInternal},
    {ErrorCode::kSecretUnwritable, "SECRET_UNWRITABLE", ErrorKind::kInternal},
};

constexpr bool InEnumOrder() {
  for (std::size_t i = 0; i < std::size(kTable); ++i)
    if (static_cast<std::size_t>(kTable[i].code) != i) return false;
  return true;
}
static_assert(InEnumOrder(), "kTable rows must follow the order of ErrorCode");
static_assert(std::size(kTable) == static_cast<std::size_t>(ErrorCode::kSecretUnwritable) + 1,
              "every ErrorCode needs its row");

}  // namespace

const ErrorCodeInfo& InfoOf(ErrorCode code) { return kTable[static_cast<std::size_t>(code)]; }

const std::vector<ErrorCodeInfo>& ErrorCodeTable() {
  static const std::vector<ErrorCodeInfo> kRows(std::begin(kTable), std::end(kTable));
  return kRows;
}

}  // namespace pillivery::domain
