#include "simulator/wire_json.hpp"
#include "infra/percent_encoding.hpp"

#include <ctime>

namespace pillivery::simulator {
namespace json = boost::json;

namespace {

std::string KakaoTimeOrEmpty(const std::optional<TimePoint>& t) { return t ? KakaoTime(*t) : ""; }
json::value TimeOrNull(const std::optional<TimePoint>& t) {
  return t ? json::value(KakaoTime(*t)) : json::value(nullptr);
}

json::object AmountJson(const Amount& a) {
  return {{"total", a.total}, {"tax_free", a.tax_free}, {"vat", a.vat},
          {"point", a.point}, {"discount", a.discount}, {"green_deposit", a.green_deposit}};
}

Amount Remaining(const Payment& p) {
  Amount left;
  left.total = p.amount.total - p.canceled.total;
  left.tax_free = p.amount.tax_free - p.canceled.tax_free;
  left.vat = p.amount.vat - p.canceled.vat;
  return left;
}

json::object CardInfo(const Payment& p) {
  // A fixed test card: clients only need the shape.
  return {
      {"kakaopay_purchase_corp", "비씨카드"},
      {"kakaopay_purchase_corp_code", "104"},
      {"kakaopay_issuer_corp", "수협은행"},
      {"kakaopay_issuer_corp_code", "212"},
      {"bin", "515594"},
      {"card_type", "체크"},
      {"install_month", p.install_month < 10 ? "0" + std::to_string(p.install_month) : std::to_string(p.install_month)},
      {"approved_id", "73139248"},
      {"card_mid", "123456789"},
      {"interest_free_install", "N"},
      {"installment_type", ""},
      {"card_item_code", ""}};
}

}  // namespace

std::string KakaoTime(TimePoint t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  localtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return buf;
}

json::object ReadyJson(const Payment& p, const std::string& page_url) {
  std::string scheme = "kakaotalk://kakaopay/pg?url=" + infra::PercentEncode(page_url + "?channel=app");
  return {{"tid", p.tid},
          {"tms_result", false},
          {"created_at", KakaoTime(p.created_at)},
          {"next_redirect_app_url", page_url + "?channel=app"},
          {"next_redirect_mobile_url", page_url + "?channel=mobile"},
          {"next_redirect_pc_url", page_url},
          {"android_app_scheme", scheme},
          {"ios_app_scheme", scheme}};
}

json::object ApprovalJson(const Payment& p, const PaymentAction& action) {
  json::object o{{"aid", action.aid}, {"tid", p.tid}, {"cid", p.cid}};
  if (!p.sid.empty()) o["sid"] = p.sid;
  o["partner_order_id"] = p.partner_order_id;
  o["partner_user_id"] = p.partner_user_id;
  o["payment_method_type"] = p.payment_method_type;
  o["amount"] = AmountJson(p.amount);
  if (p.payment_method_type == "CARD") o["card_info"] = CardInfo(p);
  o["item_name"] = p.item_name;
  o["item_code"] = p.item_code;
  o["quantity"] = p.quantity;
  o["created_at"] = KakaoTime(p.created_at);
  o["approved_at"] = KakaoTimeOrEmpty(p.approved_at);
  o["payload"] = action.payload;
  return o;
}

json::object CancelJson(const Payment& p, const PaymentAction& action) {
  return {{"aid", action.aid},
          {"tid", p.tid},
          {"cid", p.cid},
          {"status", p.status},
          {"partner_order_id", p.partner_order_id},
          {"partner_user_id", p.partner_user_id},
          {"payment_method_type", p.payment_method_type},
          {"amount", AmountJson(p.amount)},
          {"approved_cancel_amount", AmountJson(action.amount)},
          {"canceled_amount", AmountJson(p.canceled)},
          {"cancel_available_amount", AmountJson(Remaining(p))},
          {"item_name", p.item_name},
          {"item_code", p.item_code},
          {"quantity", p.quantity},
          {"created_at", KakaoTime(p.created_at)},
          {"approved_at", TimeOrNull(p.approved_at)},
          {"canceled_at", TimeOrNull(p.canceled_at)},
          {"payload", action.payload}};
}

json::object OrderJson(const Payment& p) {
  json::array details;
  for (const auto& a : p.actions) {
    details.push_back(json::object{{"aid", a.aid},
                                   {"approved_at", KakaoTime(a.approved_at)},
                                   {"amount", a.amount.total},
                                   {"point_amount", a.amount.point},
                                   {"discount_amount", a.amount.discount},
                                   {"green_deposit", a.amount.green_deposit},
                                   {"payment_action_type", a.type},
                                   {"payload", a.payload}});
  }
  json::object o{{"tid", p.tid},
                 {"cid", p.cid},
                 {"status", p.status},
                 {"partner_order_id", p.partner_order_id},
                 {"partner_user_id", p.partner_user_id},
                 {"payment_method_type", p.payment_method_type},
                 {"amount", AmountJson(p.amount)},
                 {"canceled_amount", AmountJson(p.canceled)},
                 {"cancel_available_amount", AmountJson(Remaining(p))},
                 {"item_name", p.item_name},
                 {"item_code", p.item_code},
                 {"quantity", p.quantity},
                 {"created_at", KakaoTime(p.created_at)},
                 {"approved_at", TimeOrNull(p.approved_at)},
                 {"canceled_at", TimeOrNull(p.canceled_at)},
                 {"payment_action_details", std::move(details)}};
  if (!p.sid.empty()) o["sid"] = p.sid;
  return o;
}

json::object SidJson(const Sid& s, bool with_details) {
  json::object o;
  if (with_details) o["available"] = s.status == "ACTIVE";
  o["cid"] = s.cid;
  o["sid"] = s.sid;
  o["status"] = s.status;
  if (with_details) {
    o["payment_method_type"] = s.payment_method_type;
    o["item_name"] = s.item_name;
  }
  o["created_at"] = KakaoTime(s.created_at);
  o["last_approved_at"] = TimeOrNull(s.last_approved_at);
  o["inactivated_at"] = TimeOrNull(s.inactivated_at);
  return o;
}

json::object ErrorJson(const GatewayError& e, Generation gen) {
  json::object extras{{"method_result_code", e.MethodResultCode()}, {"method_result_message", e.MethodResultMessage()}};
  if (gen == Generation::kLegacy) return {{"code", e.Code()}, {"msg", e.Message()}, {"extras", std::move(extras)}};
  return {{"error_code", e.Code()}, {"error_message", e.Message()}, {"extras", std::move(extras)}};
}

}  // namespace pillivery::simulator
