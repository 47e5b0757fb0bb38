#include "storage/payment_repository.hpp"

#include "storage/row_reader.hpp"
#include "storage/stock_ledger.hpp"
#include "storage/unit_of_work_session.hpp"

namespace pillivery::storage {

namespace {
constexpr const char* kColumns =
    "id, order_id, provider, cid, tid, partner_order_id, partner_user_id, amount, status, sid, aid, refunded_amount, "
    "settled_by, redirect_key_hash, refund_in_doubt";

PaymentRecord Read(const soci::row& r) {
  PaymentRecord p;
  p.id = GetInt64(r, 0);
  p.order_id = GetInt64(r, 1);
  p.provider = GetString(r, 2);
  p.cid = GetString(r, 3);
  p.tid = GetOptionalString(r, 4).value_or("");
  p.partner_order_id = GetString(r, 5);
  p.partner_user_id = GetString(r, 6);
  p.amount = GetInt64(r, 7);
  p.status = domain::ParsePaymentStatus(GetString(r, 8)).value_or(domain::PaymentStatus::kFailed);
  p.sid = GetOptionalString(r, 9);
  p.aid = GetOptionalString(r, 10);
  p.refunded_amount = GetInt64(r, 11);
  p.settled_by = GetOptionalString(r, 12);
  p.redirect_key_hash = GetOptionalString(r, 13);
  p.refund_in_doubt = GetOptionalInt64(r, 14);
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
  std::string key_hash = p.redirect_key_hash.value_or("");
  soci::indicator key_ind = p.redirect_key_hash ? soci::i_ok : soci::i_null;
  *lease << "INSERT INTO payments(order_id, provider, cid, tid, partner_order_id, partner_user_id, amount, status, "
            "created_at, redirect_key_hash) VALUES(:o, :p, :c, :t, :po, :pu, :a, 'READY', :n, :k)",
      soci::use(order), soci::use(p.provider), soci::use(p.cid), soci::use(p.tid), soci::use(p.partner_order_id),
      soci::use(p.partner_user_id), soci::use(amount), soci::use(now_iso), soci::use(key_hash, key_ind);
}

std::optional<PaymentRecord> PaymentRepository::Latest(std::int64_t order_id) {
  auto lease = db_.Acquire();
  return One(*lease, std::string("SELECT ") + kColumns + " FROM payments WHERE order_id = :o ORDER BY id DESC LIMIT 1",
             order_id);
}

std::optional<PaymentRecord> PaymentRepository::ById(std::int64_t payment_id) {
  auto lease = db_.Acquire();
  return One(*lease, std::string("SELECT ") + kColumns + " FROM payments WHERE id = :o", payment_id);
}

std::optional<PaymentRecord> PaymentRepository::Attempt(std::int64_t order_id, const std::string& key_hash) {
  auto lease = db_.Acquire();
  long long order = order_id;
  soci::rowset<soci::row> rows = (lease->prepare << std::string("SELECT ") + kColumns +
                                                        " FROM payments WHERE order_id = :o AND redirect_key_hash = :k",
                                  soci::use(order), soci::use(key_hash));
  for (const auto& r : rows) return Read(r);
  return std::nullopt;
}

std::optional<PaymentRecord> PaymentRepository::Approved(std::int64_t order_id) {
  auto lease = db_.Acquire();
  return One(*lease,
             std::string("SELECT ") + kColumns +
                 " FROM payments WHERE order_id = :o AND status = 'APPROVED' ORDER BY id DESC LIMIT 1",
             order_id);
}

void PaymentRepository::MarkApproved(UnitOfWork& work, std::int64_t payment_id, const std::string& aid,
                                     const std::optional<std::string>& sid, const std::string& now_iso) {
  soci::session& s = SessionOf(work);
  long long id = payment_id;
  soci::indicator sid_ind = sid ? soci::i_ok : soci::i_null;
  std::string sid_value = sid.value_or("");
  s << "UPDATE payments SET status = 'APPROVED', aid = :a, sid = :s, approved_at = :t WHERE id = :id", soci::use(aid),
      soci::use(sid_value, sid_ind), soci::use(now_iso), soci::use(id);
}

void PaymentRepository::MarkStatus(std::int64_t payment_id, domain::PaymentStatus status, const std::string& code) {
  auto lease = db_.Acquire();
  long long id = payment_id;
  std::string status_code(domain::CodeOf(status));
  *lease << "UPDATE payments SET status = :s, failure_code = :c WHERE id = :id AND status = 'READY'",
      soci::use(status_code), soci::use(code), soci::use(id);
}

std::optional<std::int64_t> PaymentRepository::AddRefund(UnitOfWork& work, std::int64_t order_id,
                                                         const RefundEntry& refund, const std::string& now_iso) {
  soci::session& s = SessionOf(work);
  long long order = order_id, add = refund.amount, paid = 0, refunded = 0, payment_id = 0;
  s << std::string("SELECT id, amount, refunded_amount FROM payments WHERE order_id = :o AND status = 'APPROVED'") +
           ForUpdate(db_.GetDialect()),
      soci::use(order), soci::into(payment_id), soci::into(paid), soci::into(refunded);
  if (!s.got_data() || refunded + add > paid || add <= 0) return std::nullopt;
  long long total = refunded + add;
  s << "UPDATE payments SET refunded_amount = :r WHERE id = :id", soci::use(total), soci::use(payment_id);
  s << "UPDATE orders SET refunded_amount = :r WHERE id = :o", soci::use(total), soci::use(order);
  std::string channel = refund.channel == RefundChannel::kGateway ? "GATEWAY" : "OUTSIDE_GATEWAY";
  std::string reason = refund.reason.value_or("");
  soci::indicator reason_ind = refund.reason ? soci::i_ok : soci::i_null;
  s << "INSERT INTO payment_refunds(order_id, payment_id, amount, channel, reason, created_at) "
       "VALUES(:o, :p, :a, :c, :r, :t)",
      soci::use(order), soci::use(payment_id), soci::use(add), soci::use(channel), soci::use(reason, reason_ind),
      soci::use(now_iso);
  if (total == paid) {
    soci::statement st =
        (s.prepare << "UPDATE orders SET status = 'REFUNDED' WHERE id = :o AND status = 'PAID'", soci::use(order));
    st.execute(true);
    if (st.get_affected_rows() == 1) {
      s << "INSERT INTO order_status_history(order_id, status, at) VALUES(:o, 'REFUNDED', :a)", soci::use(order),
          soci::use(now_iso);
      // Refunded in full before it shipped: nothing left the shelf, so its units go back
      // to stock, as a customer's cancel gives them back (item-id order, like checkout).
      StockLedger::GiveBackOrder(s, order);
    }
  }
  return total;
}

void PaymentRepository::HoldRefundInDoubt(UnitOfWork& work, std::int64_t payment_id, std::int64_t amount) {
  long long id = payment_id, held = amount;
  SessionOf(work) << "UPDATE payments SET refund_in_doubt = COALESCE(refund_in_doubt, 0) + :a WHERE id = :id",
      soci::use(held), soci::use(id);
}

void PaymentRepository::ReleaseRefundInDoubt(UnitOfWork& work, std::int64_t payment_id) {
  long long id = payment_id;
  SessionOf(work) << "UPDATE payments SET refund_in_doubt = NULL WHERE id = :id", soci::use(id);
}

}  // namespace pillivery::storage
