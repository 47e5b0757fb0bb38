#include "payment/kakaopay_json.hpp"

#include <boost/json.hpp>

#include <stdexcept>

namespace pillivery::payment {
namespace json = boost::json;

namespace {

const json::object& AsObject(const json::value& v) {
  if (!v.is_object()) throw std::runtime_error("the answer is not a JSON object");
  return v.as_object();
}

std::string Str(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v || v->is_null()) return "";
  if (v->is_string()) return std::string(v->as_string());
  return json::serialize(*v);  // a number where a string was expected: keep its text
}

std::string Required(const json::object& o, std::string_view key) {
  std::string value = Str(o, key);
  if (value.empty()) throw std::runtime_error("the answer has no " + std::string(key));
  return value;
}

std::optional<std::string> OptStr(const json::object& o, std::string_view key) {
  std::string value = Str(o, key);
  if (value.empty()) return std::nullopt;
  return value;
}

std::int64_t Int(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v) return 0;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64()) return static_cast<std::int64_t>(v->as_uint64());
  if (v->is_double()) return static_cast<std::int64_t>(v->as_double());
  if (v->is_string()) {
    try {
      return std::stoll(std::string(v->as_string()));
    } catch (const std::exception&) {
      return 0;
    }
  }
  return 0;
}

Amount ParseAmount(const json::object& o, std::string_view key) {
  Amount a;
  const json::value* v = o.if_contains(key);
  if (!v || !v->is_object()) return a;
  const json::object& ao = v->as_object();
  a.total = Int(ao, "total");
  a.tax_free = Int(ao, "tax_free");
  a.vat = Int(ao, "vat");
  a.point = Int(ao, "point");
  a.discount = Int(ao, "discount");
  a.green_deposit = Int(ao, "green_deposit");
  return a;
}

std::optional<CardInfo> ParseCardInfo(const json::object& o) {
  const json::value* v = o.if_contains("card_info");
  if (!v || !v->is_object()) return std::nullopt;
  const json::object& c = v->as_object();
  return CardInfo{Str(c, "kakaopay_purchase_corp"),
                  Str(c, "kakaopay_purchase_corp_code"),
                  Str(c, "kakaopay_issuer_corp"),
                  Str(c, "kakaopay_issuer_corp_code"),
                  Str(c, "bin"),
                  Str(c, "card_type"),
                  Str(c, "install_month"),
                  Str(c, "approved_id"),
                  Str(c, "card_mid"),
                  Str(c, "interest_free_install"),
                  Str(c, "installment_type"),
                  Str(c, "card_item_code")};
}

template <class T>
void PutOpt(json::object& o, std::string_view key, const std::optional<T>& value) {
  if (value) o[key] = *value;
}

}  // namespace

json::object ToJson(const ReadyRequest& r) {
  json::object o{{"cid", r.cid},
                 {"partner_order_id", r.partner_order_id},
                 {"partner_user_id", r.partner_user_id},
                 {"item_name", r.item_name},
                 {"quantity", r.quantity},
                 {"total_amount", r.total_amount},
                 {"tax_free_amount", r.tax_free_amount},
                 {"approval_url", r.approval_url},
                 {"cancel_url", r.cancel_url},
                 {"fail_url", r.fail_url}};
  PutOpt(o, "item_code", r.item_code);
  PutOpt(o, "vat_amount", r.vat_amount);
  PutOpt(o, "payment_method_type", r.payment_method_type);
  PutOpt(o, "install_month", r.install_month);
  return o;
}

json::object ToJson(const ApproveRequest& r) {
  json::object o{{"cid", r.cid},
                 {"tid", r.tid},
                 {"partner_order_id", r.partner_order_id},
                 {"partner_user_id", r.partner_user_id},
                 {"pg_token", r.pg_token}};
  PutOpt(o, "payload", r.payload);
  PutOpt(o, "total_amount", r.total_amount);
  return o;
}

json::object ToJson(const SubscriptionChargeRequest& r) {
  json::object o{{"cid", r.cid},
                 {"sid", r.sid},
                 {"partner_order_id", r.partner_order_id},
                 {"partner_user_id", r.partner_user_id},
                 {"quantity", r.quantity},
                 {"total_amount", r.total_amount},
                 {"tax_free_amount", r.tax_free_amount}};
  PutOpt(o, "item_name", r.item_name);
  PutOpt(o, "item_code", r.item_code);
  PutOpt(o, "vat_amount", r.vat_amount);
  PutOpt(o, "payload", r.payload);
  return o;
}

json::object ToJson(const CancelRequest& r) {
  json::object o{{"cid", r.cid},
                 {"tid", r.tid},
                 {"cancel_amount", r.cancel_amount},
                 {"cancel_tax_free_amount", r.cancel_tax_free_amount}};
  PutOpt(o, "cancel_vat_amount", r.cancel_vat_amount);
  PutOpt(o, "cancel_available_amount", r.cancel_available_amount);
  PutOpt(o, "payload", r.payload);
  return o;
}

json::object ToJson(const OrderLookupRequest& r) { return {{"cid", r.cid}, {"tid", r.tid}}; }

json::object ToJson(const SidRequest& r) { return {{"cid", r.cid}, {"sid", r.sid}}; }

ReadyResponse ParseReadyResponse(const json::value& v) {
  const json::object& o = AsObject(v);
  return {Required(o, "tid"),
          Str(o, "next_redirect_app_url"),
          Str(o, "next_redirect_mobile_url"),
          Str(o, "next_redirect_pc_url"),
          Str(o, "android_app_scheme"),
          Str(o, "ios_app_scheme"),
          Str(o, "created_at")};
}

ApproveResponse ParseApproveResponse(const json::value& v) {
  const json::object& o = AsObject(v);
  ApproveResponse r;
  r.aid = Required(o, "aid");
  r.tid = Required(o, "tid");
  r.cid = Str(o, "cid");
  r.sid = OptStr(o, "sid");
  r.partner_order_id = Str(o, "partner_order_id");
  r.partner_user_id = Str(o, "partner_user_id");
  r.payment_method_type = Str(o, "payment_method_type");
  r.amount = ParseAmount(o, "amount");
  r.card_info = ParseCardInfo(o);
  r.item_name = Str(o, "item_name");
  r.item_code = Str(o, "item_code");
  r.quantity = Int(o, "quantity");
  r.created_at = Str(o, "created_at");
  r.approved_at = Str(o, "approved_at");
  r.payload = Str(o, "payload");
  return r;
}

CancelResponse ParseCancelResponse(const json::value& v) {
  const json::object& o = AsObject(v);
  CancelResponse r;
  r.aid = Required(o, "aid");
  r.tid = Required(o, "tid");
  r.cid = Str(o, "cid");
  r.status = Str(o, "status");
  r.partner_order_id = Str(o, "partner_order_id");
  r.partner_user_id = Str(o, "partner_user_id");
  r.payment_method_type = Str(o, "payment_method_type");
  r.amount = ParseAmount(o, "amount");
  r.approved_cancel_amount = ParseAmount(o, "approved_cancel_amount");
  r.canceled_amount = ParseAmount(o, "canceled_amount");
  r.cancel_available_amount = ParseAmount(o, "cancel_available_amount");
  r.item_name = Str(o, "item_name");
  r.item_code = Str(o, "item_code");
  r.quantity = Int(o, "quantity");
  r.created_at = Str(o, "created_at");
  r.approved_at = Str(o, "approved_at");
  r.canceled_at = Str(o, "canceled_at");
  r.payload = Str(o, "payload");
  return r;
}

OrderResponse ParseOrderResponse(const json::value& v) {
  const json::object& o = AsObject(v);
  OrderResponse r;
  r.tid = Required(o, "tid");
  r.cid = Str(o, "cid");
  r.sid = OptStr(o, "sid");
  r.status = Str(o, "status");
  r.partner_order_id = Str(o, "partner_order_id");
  r.partner_user_id = Str(o, "partner_user_id");
  r.payment_method_type = Str(o, "payment_method_type");
  r.amount = ParseAmount(o, "amount");
  r.canceled_amount = ParseAmount(o, "canceled_amount");
  r.cancel_available_amount = ParseAmount(o, "cancel_available_amount");
  r.item_name = Str(o, "item_name");
  r.item_code = Str(o, "item_code");
  r.quantity = Int(o, "quantity");
  r.created_at = Str(o, "created_at");
  r.approved_at = Str(o, "approved_at");
  r.canceled_at = Str(o, "canceled_at");
  if (const json::value* details = o.if_contains("payment_action_details"); details && details->is_array()) {
    for (const auto& item : details->as_array()) {
      if (!item.is_object()) continue;
      const json::object& d = item.as_object();
      r.payment_action_details.push_back({Str(d, "aid"), Str(d, "approved_at"), Int(d, "amount"),
                                          Int(d, "point_amount"), Int(d, "discount_amount"), Int(d, "green_deposit"),
                                          Str(d, "payment_action_type"), Str(d, "payload")});
    }
  }
  return r;
}

SidInactivateResponse ParseSidInactivateResponse(const json::value& v) {
  const json::object& o = AsObject(v);
  return {Str(o, "cid"),        Required(o, "sid"),         Str(o, "status"),
          Str(o, "created_at"), Str(o, "last_approved_at"), Str(o, "inactivated_at")};
}

SidStatusResponse ParseSidStatusResponse(const json::value& v) {
  const json::object& o = AsObject(v);
  SidStatusResponse r;
  const json::value* available = o.if_contains("available");
  r.available = available && available->is_bool() && available->as_bool();
  r.cid = Str(o, "cid");
  r.sid = Required(o, "sid");
  r.status = Str(o, "status");
  r.payment_method_type = Str(o, "payment_method_type");
  r.item_name = Str(o, "item_name");
  r.created_at = Str(o, "created_at");
  r.last_approved_at = Str(o, "last_approved_at");
  r.inactivated_at = Str(o, "inactivated_at");
  return r;
}

std::optional<KakaoErrorBody> ParseKakaoError(std::string_view body) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const json::object& o = v.as_object();
  const json::value* code = o.if_contains("error_code");
  if (!code || !(code->is_int64() || code->is_uint64())) return std::nullopt;
  KakaoErrorBody e;
  e.code = static_cast<int>(code->to_number<std::int64_t>());
  e.message = Str(o, "error_message");
  if (const json::value* extras = o.if_contains("extras"); extras && extras->is_object()) {
    e.method_result_code = Str(extras->as_object(), "method_result_code");
    e.method_result_message = Str(extras->as_object(), "method_result_message");
  }
  return e;
}

}  // namespace pillivery::payment
