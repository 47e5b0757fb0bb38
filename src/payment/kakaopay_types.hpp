#pragma once
// The KakaoPay online payment API (current JSON generation) as typed values.
// Field names follow the wire names of shared/spec/kakaopay.md. Timestamps stay
// the strings KakaoPay sends ("YYYY-MM-DDTHH:MM:SS", local to KakaoPay); a null
// or missing timestamp is an empty string. Optional request fields are sent
// only when set.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pillivery::payment {

inline constexpr const char* kOneTimeCid = "TC0ONETIME";
inline constexpr const char* kSubscriptionCid = "TCSUBSCRIP";

struct Amount {
  std::int64_t total = 0;
  std::int64_t tax_free = 0;
  std::int64_t vat = 0;
  std::int64_t point = 0;
  std::int64_t discount = 0;
  std::int64_t green_deposit = 0;
};

struct CardInfo {
  std::string kakaopay_purchase_corp;
  std::string kakaopay_purchase_corp_code;
  std::string kakaopay_issuer_corp;
  std::string kakaopay_issuer_corp_code;
  std::string bin;
  std::string card_type;
  std::string install_month;
  std::string approved_id;
  std::string card_mid;
  std::string interest_free_install;
  std::string installment_type;
  std::string card_item_code;
};

struct ReadyRequest {
  std::string cid;
  std::string partner_order_id;
  std::string partner_user_id;
  std::string item_name;
  std::optional<std::string> item_code;
  std::int64_t quantity = 1;
  std::int64_t total_amount = 0;
  std::int64_t tax_free_amount = 0;
  std::optional<std::int64_t> vat_amount;
  std::string approval_url;
  std::string cancel_url;
  std::string fail_url;
  std::optional<std::string> payment_method_type;  // CARD | MONEY
  std::optional<std::int64_t> install_month;
};

struct ReadyResponse {
  std::string tid;
  std::string next_redirect_app_url;
  std::string next_redirect_mobile_url;
  std::string next_redirect_pc_url;
  std::string android_app_scheme;
  std::string ios_app_scheme;
  std::string created_at;
};

struct ApproveRequest {
  std::string cid;
  std::string tid;
  std::string partner_order_id;  // equal to ready's
  std::string partner_user_id;   // equal to ready's
  std::string pg_token;
  std::optional<std::string> payload;
  std::optional<std::int64_t> total_amount;
};

// The answer of approve and of a recurring charge (same shape).
struct ApproveResponse {
  std::string aid;
  std::string tid;
  std::string cid;
  std::optional<std::string> sid;  // only for a recurring CID
  std::string partner_order_id;
  std::string partner_user_id;
  std::string payment_method_type;  // CARD | MONEY
  Amount amount;
  std::optional<CardInfo> card_info;
  std::string item_name;
  std::string item_code;
  std::int64_t quantity = 0;
  std::string created_at;
  std::string approved_at;
  std::string payload;
};

struct SubscriptionChargeRequest {
  std::string cid;  // a recurring CID
  std::string sid;
  std::string partner_order_id;  // one per subscription cycle, reused by every retry of it
  std::string partner_user_id;   // equal to the SID-issuing ready's
  std::optional<std::string> item_name;
  std::optional<std::string> item_code;
  std::int64_t quantity = 1;
  std::int64_t total_amount = 0;
  std::int64_t tax_free_amount = 0;
  std::optional<std::int64_t> vat_amount;
  std::optional<std::string> payload;
};

struct CancelRequest {
  std::string cid;
  std::string tid;
  std::int64_t cancel_amount = 0;
  std::int64_t cancel_tax_free_amount = 0;
  std::optional<std::int64_t> cancel_vat_amount;
  std::optional<std::int64_t> cancel_available_amount;
  std::optional<std::string> payload;
};

struct CancelResponse {
  std::string aid;
  std::string tid;
  std::string cid;
  std::string status;
  std::string partner_order_id;
  std::string partner_user_id;
  std::string payment_method_type;
  Amount amount;
  Amount approved_cancel_amount;
  Amount canceled_amount;          // cumulative
  Amount cancel_available_amount;  // what is left
  std::string item_name;
  std::string item_code;
  std::int64_t quantity = 0;
  std::string created_at;
  std::string approved_at;
  std::string canceled_at;
  std::string payload;
};

struct OrderLookupRequest {
  std::string cid;
  std::string tid;
};

struct PaymentActionDetail {
  std::string aid;
  std::string approved_at;
  std::int64_t amount = 0;
  std::int64_t point_amount = 0;
  std::int64_t discount_amount = 0;
  std::int64_t green_deposit = 0;
  std::string payment_action_type;  // PAYMENT | CANCEL | ISSUED_SID
  std::string payload;
};

struct OrderResponse {
  std::string tid;
  std::string cid;
  std::optional<std::string> sid;
  std::string status;  // READY, SUCCESS_PAYMENT, PART_CANCEL_PAYMENT, CANCEL_PAYMENT, ...
  std::string partner_order_id;
  std::string partner_user_id;
  std::string payment_method_type;
  Amount amount;
  Amount canceled_amount;
  Amount cancel_available_amount;
  std::string item_name;
  std::string item_code;
  std::int64_t quantity = 0;
  std::string created_at;
  std::string approved_at;
  std::string canceled_at;
  std::vector<PaymentActionDetail> payment_action_details;
};

// SID inactivate and SID status take the same request.
struct SidRequest {
  std::string cid;
  std::string sid;
};

struct SidInactivateResponse {
  std::string cid;
  std::string sid;
  std::string status;  // INACTIVE
  std::string created_at;
  std::string last_approved_at;
  std::string inactivated_at;
};

struct SidStatusResponse {
  bool available = false;
  std::string cid;
  std::string sid;
  std::string status;  // ACTIVE | INACTIVE
  std::string payment_method_type;
  std::string item_name;
  std::string created_at;
  std::string last_approved_at;
  std::string inactivated_at;
};

}  // namespace pillivery::payment
