#include "storage/payment_repository.hpp"

#include "storage/row_reader.hpp"

namespace pillivery::storage {

namespace {
constexpr const char* kColumns =
    "id, order_id, provider, cid, tid, partner_order_id, partner_user_id, amount, status, sid, aid, refunded_amount";

PaymentRecord Read(const soci::row& r) {
  PaymentRecord p;
  p.id = GetInt64(r, 0);
  p.order_id = GetInt64(r, 1);
  p.provider = GetString(r, 2);
  p.cid = GetString(r, 3);
  p.tid = GetString(r, 4);
  p.partner_order_id = GetString(r, 5);
  p.partner_user_id = GetString(r, 6);
  p.amount = GetInt64(r, 7);
  p.status = GetString(r, 8);
  p.sid = GetOptionalString(r, 9);
  p.aid = GetOptionalString(r, 10);
  p.refunded_amount = GetInt64(r, 11);
  return p;
}

std::optional<PaymentRecord> One(soci::session& s, const std::string& sql, long long order_id) {
  soci::rowset<soci::row> rows = (s.prepare << sql, soci::use(order_id));
  for (const auto& r : rows) return Read(r);
  return std::nullopt;
}
}  // namespace

void PaymentRepository::InsertReady(const PaymentRecord& p, const std::string& now_iso) {
  auto lease = db_.Acquire();
  long long order = p.order_id, amount = p.amount;
  *lease << "INSERT INTO payments(order_id, provider, cid, tid, partner_order_id, partner_user_id, amount, status, "
            "created_at) VALUES(:o, :p, :c, :t, :po, :pu, :a, 'READY', :n)",
      soci::use(order), soci::use(p.provider), soci::use(p.cid), soci::use(p.tid), soci::use(p.partner_order_id),
      soci::use(p.partner_user_id), soci::use(amount), soci::use(now_iso);
}

std::optional<PaymentRecord> PaymentRepository::Latest(std::int64_t order_id) {
  auto lease = db_.Acquire();
  return One(*lease, std::string("SELECT ") + kColumns + " FROM payments WHERE order_id = :o ORDER BY id DESC LIMIT 1",
             order_id);
}

std::optional<PaymentRecord> PaymentRepository::Approved(std::int64_t order_id) {
  auto lease = db_.Acquire();
  return One(*lease,
             std::string("SELECT ") + kColumns +
                 " FROM payments WHERE order_id = :o AND status = 'APPROVED' ORDER BY id DESC LIMIT 1",
             order_id);
}

void PaymentRepository::MarkApproved(soci::session& s, std::int64_t payment_id, const std::string& aid,
                                     const std::optional<std::string>& sid, const std::string& now_iso) {
  long long id = payment_id;
  soci::indicator sid_ind = sid ? soci::i_ok : soci::i_null;
  std::string sid_value = sid.value_or("");
  s << "UPDATE payments SET status = 'APPROVED', aid = :a, sid = :s, approved_at = :t WHERE id = :id", soci::use(aid),
      soci::use(sid_value, sid_ind), soci::use(now_iso), soci::use(id);
}

void PaymentRepository::MarkStatus(std::int64_t payment_id, const std::string& status, const std::string& code) {
  auto lease = db_.Acquire();
  long long id = payment_id;
  *lease << "UPDATE payments SET status = :s, failure_code = :c WHERE id = :id AND status = 'READY'", soci::use(status),
      soci::use(code), soci::use(id);
}

std::optional<std::int64_t> PaymentRepository::AddRefund(soci::session& s, std::int64_t order_id, std::int64_t amount,
                                                         const std::string& now_iso) {
  long long order = order_id, add = amount, paid = 0, refunded = 0, payment_id = 0;
  s << std::string("SELECT id, amount, refunded_amount FROM payments WHERE order_id = :o AND status = 'APPROVED'") +
           ForUpdate(db_.GetDialect()),
      soci::use(order), soci::into(payment_id), soci::into(paid), soci::into(refunded);
  if (!s.got_data() || refunded + add > paid || add <= 0) return std::nullopt;
  long long total = refunded + add;
  s << "UPDATE payments SET refunded_amount = :r WHERE id = :id", soci::use(total), soci::use(payment_id);
  s << "UPDATE orders SET refunded_amount = :r WHERE id = :o", soci::use(total), soci::use(order);
  if (total == paid) {
    soci::statement st = (s.prepare << "UPDATE orders SET status = 'REFUNDED' WHERE id = :o AND status = 'PAID'",
                          soci::use(order));
    st.execute(true);
    if (st.get_affected_rows() == 1)
      s << "INSERT INTO order_status_history(order_id, status, at) VALUES(:o, 'REFUNDED', :a)", soci::use(order),
          soci::use(now_iso);
  }
  return total;
}

}  // namespace pillivery::storage
