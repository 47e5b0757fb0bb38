#include "storage/order_repository.hpp"

#include "domain/error.hpp"
#include "domain/offer.hpp"
#include "domain/payment.hpp"
#include "storage/order_counts.hpp"
#include "storage/order_read_model.hpp"
#include "storage/order_rows.hpp"
#include "storage/row_reader.hpp"
#include "storage/sql_builder.hpp"
#include "storage/stock_ledger.hpp"
#include "storage/unit_of_work_session.hpp"

#include <stdexcept>
#include <unordered_map>

namespace pillivery::storage {

using domain::Error;
using domain::ErrorCode;
using domain::Order;

namespace {

// An order's columns, of the table read as "o", as ReadOrder reads them.
constexpr const char* kOrderColumns =
    "o.id, o.user_id, o.order_type, o.status, o.receiver_name, o.receiver_phone, o.receiver_city, "
    "o.receiver_detail, o.item_count, o.total_origin_price, o.total_discount_price, o.total_price, o.created_at, "
    "o.paid_at, o.payment_provider, o.payment_tid, o.payment_approved_at, o.refunded_amount, o.shipment_carrier, "
    "o.shipment_tracking, o.shipped_at, o.delivered_at, o.lines_json, o.history_json";

// The order of a row whose first columns are kOrderColumns.
Order ReadOrder(const soci::row& r) {
  Order o;
  o.id = GetInt64(r, 0);
  o.user_id = GetInt64(r, 1);
  o.type = domain::ParseOrderType(GetString(r, 2)).value_or(domain::OrderType::kOneTime);
  o.status = domain::ParseOrderStatus(GetString(r, 3)).value_or(domain::OrderStatus::kPendingPayment);
  o.receiver = {GetString(r, 4), GetString(r, 5), GetString(r, 6), GetString(r, 7)};
  o.totals.item_count = static_cast<int>(GetInt64(r, 8));
  o.totals.total_origin_price = GetInt64(r, 9);
  o.totals.total_discount_price = GetInt64(r, 10);
  o.totals.total_price = GetInt64(r, 11);
  o.created_at = GetString(r, 12);
  o.paid_at = GetOptionalString(r, 13);
  if (auto provider = GetOptionalString(r, 14)) {
    o.payment =
        domain::PaymentSummary{*provider, GetOptionalString(r, 15).value_or(""), GetString(r, 16), GetInt64(r, 17)};
  }
  if (auto carrier = GetOptionalString(r, 18))
    o.shipment = domain::Shipment{*carrier, GetString(r, 19), GetString(r, 20), GetOptionalString(r, 21)};
  o.lines = ReadLinesJson(GetOptionalString(r, 22));
  o.history = ReadHistoryJson(GetOptionalString(r, 23));
  return o;
}

}  // namespace

OrderPage OrderRepository::ReadPage(soci::session& s, const PageFilter& filter, const domain::PageRequest& page) {
  // The page's rows, each with its lines and history (v030), and the filter's
  // total in a last column: one statement and one round trip where the total,
  // the page, its lines and its history were four.
  std::vector<SqlParam> params = filter.total_params;
  params.insert(params.end(), filter.where_params.begin(), filter.where_params.end());
  params.emplace_back(page.size);
  params.emplace_back(page.Offset());
  OrderPage result;
  db_.Query(s,
            std::string("SELECT ") + kOrderColumns + ", " + filter.total + " FROM orders o" + filter.where +
                " ORDER BY o.id" + (filter.newest_first ? " DESC" : "") + " LIMIT :lim OFFSET :off",
            params, [&](const soci::row& r) {
              result.orders.push_back(ReadOrder(r));
              result.total = GetOptionalInt64(r, r.size() - 1).value_or(0);
            });
  if (result.orders.empty()) {  // past the last page (or none): the total alone
    db_.Query(s, "SELECT " + filter.total, filter.total_params,
              [&](const soci::row& r) { result.total = GetOptionalInt64(r, 0).value_or(0); });
  }
  return result;
}

std::optional<Order> OrderRepository::FindIn(soci::session& s, std::int64_t order_id) {
  std::vector<Order> found;
  db_.Query(s, std::string("SELECT ") + kOrderColumns + " FROM orders o WHERE o.id = :id", {order_id},
            [&](const soci::row& r) { found.push_back(ReadOrder(r)); });
  if (found.empty()) return std::nullopt;
  return found.front();
}

std::optional<Order> OrderRepository::Find(std::int64_t order_id) {
  auto lease = db_.Acquire();
  return FindIn(*lease, order_id);
}

std::optional<Order> OrderRepository::Find(UnitOfWork& work, std::int64_t order_id) {
  return FindIn(SessionOf(work), order_id);
}

OrderPage OrderRepository::List(std::optional<std::int64_t> user_id, std::optional<domain::OrderStatus> status,
                                const domain::PageRequest& page) {
  auto lease = db_.Acquire();
  PageFilter filter;
  filter.newest_first = true;
  filter.where = " WHERE 1 = 1";
  // The same filter for the total, its placeholders named apart (SOCI binds
  // SQLite's by name).
  std::string counted = " WHERE 1 = 1";
  if (user_id) {
    filter.where += " AND user_id = :pu";
    counted += " AND user_id = :cu";
    filter.where_params.emplace_back(*user_id);
  }
  if (status) {
    filter.where += " AND status = :ps";
    counted += " AND status = :cs";
    filter.where_params.emplace_back(domain::CodeOf(*status));  // a view of a static code: it outlives the query
  }
  // An account's own orders, whatever their state (its order history): the
  // count is kept (order_counts.hpp). Any other filter counts.
  if (user_id && !status) {
    filter.total = std::string("(") + OrderCounts::kSelectOne + ")";
    filter.total_params = {*user_id};
  } else {
    filter.total = "(SELECT COUNT(*) FROM orders" + counted + ")";
    filter.total_params = filter.where_params;
  }
  return ReadPage(*lease, filter, page);
}

OrderPage OrderRepository::PaidOldestFirst(const domain::PageRequest& page) {
  auto lease = db_.Acquire();
  // ix_orders_status (status, id): the oldest order first, renewals among them.
  PageFilter filter;
  filter.where = " WHERE status = 'PAID'";
  filter.total = "(SELECT COUNT(*) FROM orders WHERE status = 'PAID')";
  return ReadPage(*lease, filter, page);
}

bool OrderRepository::MarkShipped(UnitOfWork& work, std::int64_t order_id, const domain::ShipRequest& shipment,
                                  const std::string& now_iso) {
  soci::session& s = SessionOf(work);
  long long id = order_id;
  // Conditional: a customer's cancel (which locks the PAID row) and a ship cannot both win.
  soci::statement st =
      (s.prepare << "UPDATE orders SET status = 'SHIPPED', shipment_carrier = :c, shipment_tracking = :t, "
                    "shipped_at = :a WHERE id = :id AND status = 'PAID'",
       soci::use(shipment.carrier), soci::use(shipment.tracking_number), soci::use(now_iso), soci::use(id));
  st.execute(true);
  if (st.get_affected_rows() == 0) return false;
  AddStatusChange(s, id, domain::OrderStatus::kShipped, now_iso);
  return true;
}

bool OrderRepository::MarkDelivered(std::int64_t order_id, const std::string& now_iso) {
  auto lease = db_.Acquire();
  soci::session& s = *lease;
  Transaction tx(s, db_.GetDialect());
  long long id = order_id;
  soci::statement st =
      (s.prepare << "UPDATE orders SET status = 'DELIVERED', delivered_at = :a WHERE id = :id AND status = 'SHIPPED'",
       soci::use(now_iso), soci::use(id));
  st.execute(true);
  if (st.get_affected_rows() == 0) return false;
  AddStatusChange(s, id, domain::OrderStatus::kDelivered, now_iso);
  tx.Commit();
  return true;
}

bool OrderRepository::CancelPending(std::int64_t order_id, const std::string& now_iso) {
  UnitOfWork work(db_);
  if (!CancelPending(work, order_id, now_iso)) return false;
  work.Commit();
  return true;
}

bool OrderRepository::CancelPending(UnitOfWork& work, std::int64_t order_id, const std::string& now_iso) {
  soci::session& s = SessionOf(work);
  long long id = order_id;
  soci::statement st =
      (s.prepare << "UPDATE orders SET status = 'CANCELLED' WHERE id = :id AND status = 'PENDING_PAYMENT'",
       soci::use(id));
  st.execute(true);
  if (st.get_affected_rows() == 0) return false;
  StockLedger::GiveBackOrder(s, id);  // only the canceller that changed the status gives the stock back
  AddStatusChange(s, id, domain::OrderStatus::kCancelled, now_iso);
  return true;
}

bool OrderRepository::MarkPaid(std::int64_t order_id, const std::string& provider, const std::string& tid,
                               const std::string& now_iso) {
  UnitOfWork work(db_);
  if (!MarkPaid(work, order_id, provider, tid, now_iso)) return false;
  work.Commit();
  return true;
}

bool OrderRepository::MarkPaid(UnitOfWork& work, std::int64_t order_id, const std::string& provider,
                               const std::string& tid, const std::string& now_iso) {
  soci::session& s = SessionOf(work);
  long long id = order_id;
  soci::statement st =
      (s.prepare << "UPDATE orders SET status = 'PAID', paid_at = :p, payment_provider = :pr, payment_tid = :t, "
                    "payment_approved_at = :a WHERE id = :id AND status = 'PENDING_PAYMENT'",
       soci::use(now_iso), soci::use(provider), soci::use(tid), soci::use(now_iso), soci::use(id));
  st.execute(true);
  if (st.get_affected_rows() == 0) return false;
  AddStatusChange(s, id, domain::OrderStatus::kPaid, now_iso);
  return true;
}

bool OrderRepository::LockPaid(UnitOfWork& work, std::int64_t order_id) {
  soci::session& s = SessionOf(work);
  long long id = order_id;
  std::string status;
  s << std::string("SELECT status FROM orders WHERE id = :id") + ForUpdate(work.GetDialect()), soci::use(id),
      soci::into(status);
  return s.got_data() && domain::ParseOrderStatus(status) == domain::OrderStatus::kPaid;
}

std::vector<std::int64_t> OrderRepository::InsertRenewals(UnitOfWork& work, std::span<const Renewal> renewals) {
  if (renewals.empty()) return {};
  soci::session& s = SessionOf(work);
  const Dialect dialect = work.GetDialect();
  SqlBuilder orders(dialect);
  orders << "INSERT INTO orders(user_id, order_type, status, receiver_name, receiver_phone, receiver_city, "
            "receiver_detail, item_count, total_origin_price, total_discount_price, total_price, "
            "source_subscription_id, created_at, created_at_ms, paid_at, payment_provider, payment_tid, "
            "payment_approved_at) VALUES ";
  for (std::size_t i = 0; i < renewals.size(); ++i) {
    const Renewal& r = renewals[i];
    const domain::Totals totals = domain::ComputeTotals({r.line});
    orders << (i ? ", " : "");
    orders.Row({r.user_id, "SUBSCRIPTION", domain::CodeOf(domain::OrderStatus::kPaid), r.receiver.name,
                r.receiver.phone, r.receiver.city, r.receiver.detail_address, totals.item_count,
                totals.total_origin_price, totals.total_discount_price, totals.total_price, r.subscription_id, r.at,
                r.at_ms, r.at, "KAKAOPAY", r.tid, r.at});
  }
  // RETURNING names each new id with its subscription: nothing is assumed about how ids are handed out.
  orders << " RETURNING id, source_subscription_id";
  std::unordered_map<std::int64_t, std::int64_t> id_of_subscription;
  StatementCache::QueryOnce(s, orders.Sql(), orders.Params(),
                            [&](const soci::row& row) { id_of_subscription[GetInt64(row, 1)] = GetInt64(row, 0); });
  std::vector<std::int64_t> ids;
  ids.reserve(renewals.size());
  for (const auto& r : renewals) {
    auto found = id_of_subscription.find(r.subscription_id);
    if (found == id_of_subscription.end()) throw std::logic_error("a renewal order came back without its id");
    ids.push_back(found->second);
  }

  SqlBuilder lines(dialect), history(dialect);
  lines << "INSERT INTO order_lines(order_id, item_id, product_name, thumbnail_url, quantity, period, "
           "unit_origin_price, unit_real_price) VALUES ";
  history << "INSERT INTO order_status_history(order_id, status, at) VALUES ";
  for (std::size_t i = 0; i < renewals.size(); ++i) {
    const domain::PricedLine& line = renewals[i].line;
    lines << (i ? ", " : "");
    lines.Row({ids[i], line.item_id, line.product_name, line.thumbnail_url, line.quantity, line.period,
               line.unit_origin_price, line.unit_real_price});
    history << (i ? ", " : "");
    history.Row({ids[i], domain::CodeOf(domain::OrderStatus::kPaid), renewals[i].at});
  }
  StatementCache::ExecuteOnce(s, lines.Sql(), lines.Params());
  StatementCache::ExecuteOnce(s, history.Sql(), history.Params());
  return ids;
}

void OrderRepository::InsertRenewalPayments(UnitOfWork& work, std::span<const Renewal> renewals,
                                            std::span<const std::int64_t> ids) {
  if (renewals.empty()) return;
  soci::session& s = SessionOf(work);
  SqlBuilder payments(work.GetDialect());
  payments << "INSERT INTO payments(order_id, provider, cid, tid, partner_order_id, partner_user_id, amount, status, "
              "sid, aid, refunded_amount, created_at, approved_at, settled_by) VALUES ";
  for (std::size_t i = 0; i < renewals.size(); ++i) {
    const Renewal& r = renewals[i];
    payments << (i ? ", " : "");
    payments.Row({ids[i], "KAKAOPAY", r.cid, r.tid, r.partner_order_id, r.partner_user_id, r.line.LineTotal(),
                  domain::CodeOf(domain::PaymentStatus::kApproved), r.sid, r.aid, 0, r.at, r.at,
                  r.tid ? SqlParam(std::nullopt) : SqlParam("DUPLICATE_ANSWER")});
  }
  StatementCache::ExecuteOnce(s, payments.Sql(), payments.Params());
}

int OrderRepository::ExpireUnpaid(std::int64_t now_ms, const std::string& now_iso, int limit) {
  std::vector<long long> due;
  {
    auto lease = db_.Acquire();
    long long now = now_ms, lim = limit;
    soci::rowset<long long> rows =
        (lease->prepare << "SELECT id FROM orders WHERE status = 'PENDING_PAYMENT' AND expires_at_ms <= :n "
                           "ORDER BY expires_at_ms LIMIT :l",
         soci::use(now), soci::use(lim));
    for (long long id : rows) due.push_back(id);
  }
  int expired = 0;
  for (long long id : due) expired += CancelPending(id, now_iso) ? 1 : 0;
  return expired;
}

void OrderRepository::ShortenExpiry(std::int64_t order_id, std::int64_t expires_at_ms) {
  auto lease = db_.Acquire();
  long long id = order_id, at = expires_at_ms;
  *lease
      << "UPDATE orders SET expires_at_ms = :t WHERE id = :id AND status = 'PENDING_PAYMENT' AND expires_at_ms > :t2",
      soci::use(at), soci::use(id), soci::use(at);
}

}  // namespace pillivery::storage
