#include "storage/order_repository.hpp"

#include "domain/error.hpp"
#include "domain/offer.hpp"
#include "domain/payment.hpp"
#include "storage/order_counts.hpp"
#include "storage/order_rows.hpp"
#include "storage/row_reader.hpp"
#include "storage/sql_builder.hpp"
#include "storage/stock_ledger.hpp"
#include "storage/unit_of_work_session.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <unordered_map>

namespace pillivery::storage {

using domain::Error;
using domain::ErrorCode;
using domain::Order;

namespace {

constexpr const char* kOrderColumns =
    "id, user_id, order_type, status, receiver_name, receiver_phone, receiver_city, receiver_detail, item_count, "
    "total_origin_price, total_discount_price, total_price, created_at, paid_at, payment_provider, payment_tid, "
    "payment_approved_at, refunded_amount, shipment_carrier, shipment_tracking, shipped_at, delivered_at";

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
  return o;
}

// An order line's columns from id on, as ReadLine reads them.
constexpr const char* kLineColumns =
    "order_id, id, item_id, product_name, thumbnail_url, quantity, period, unit_origin_price, unit_real_price";

// The line whose id is at column first (kLineColumns from "id" on).
domain::PricedLine ReadLine(const soci::row& r, std::size_t first) {
  domain::PricedLine line;
  line.line_id = GetInt64(r, first);
  line.item_id = GetInt64(r, first + 1);
  line.product_name = GetString(r, first + 2);
  line.thumbnail_url = GetString(r, first + 3);
  line.quantity = static_cast<int>(GetInt64(r, first + 4));
  if (auto p = GetOptionalInt64(r, first + 5)) line.period = static_cast<int>(*p);
  line.unit_origin_price = GetInt64(r, first + 6);
  line.unit_real_price = GetInt64(r, first + 7);
  return line;
}

// The status change whose status is at column first, its time after it.
domain::StatusChange ReadStatusChange(const soci::row& r, std::size_t first) {
  auto status = domain::ParseOrderStatus(GetString(r, first)).value_or(domain::OrderStatus::kPendingPayment);
  return {status, GetString(r, first + 1)};
}

// "IN (:id0, ..., :idN)" with N + 1 the next power of two at or above count:
// a page of orders is then read by one of a handful of fixed statements that
// stay prepared, instead of one statement per page prepared and thrown away
// (the parse and plan cost more than the read on MariaDB). The ids past count
// repeat the last one.
std::string IdPlaceholders(const std::vector<Order>& orders, std::vector<SqlParam>& params) {
  const std::size_t count = orders.size();
  std::size_t slots = 1;
  while (slots < count) slots *= 2;
  std::string out = " IN (";
  for (std::size_t i = 0; i < slots; ++i) {
    out += (i ? ", :id" : ":id") + std::to_string(i);
    params.emplace_back(orders[std::min(i, count - 1)].id);
  }
  return out + ")";
}

}  // namespace

void OrderRepository::LoadLinesAndHistory(soci::session& s, std::vector<Order>& orders) {
  if (orders.empty()) return;
  if (orders.size() == 1) return LoadLinesAndHistory(s, orders.front());
  std::map<std::int64_t, Order*> by_id;
  for (auto& o : orders) by_id[o.id] = &o;
  // A page: fixed SQL kept prepared by the statement cache. ORDER BY order_id,
  // id is the order rows are kept in (MariaDB's primary key since v029, SQLite's
  // order_id indexes), so no sort runs. (One UNION ALL of both reads, as for one
  // order, cost MariaDB more here, with or without its ORDER BY.)
  std::vector<SqlParam> ids;
  const std::string in = IdPlaceholders(orders, ids);
  db_.Query(s,
            std::string("SELECT ") + kLineColumns + " FROM order_lines WHERE order_id" + in + " ORDER BY order_id, id",
            ids, [&](const soci::row& r) { by_id[GetInt64(r, 0)]->lines.push_back(ReadLine(r, 1)); });
  db_.Query(s, "SELECT order_id, status, at FROM order_status_history WHERE order_id" + in + " ORDER BY order_id, id",
            ids, [&](const soci::row& r) { by_id[GetInt64(r, 0)]->history.push_back(ReadStatusChange(r, 1)); });
}

void OrderRepository::LoadLinesAndHistory(soci::session& s, Order& order) {
  // One order: its lines and its history in one statement, one round trip
  // fewer. The arms have no ORDER BY (ordering a UNION ALL costs MariaDB a
  // temporary table): the rows are put in id order here.
  std::vector<std::pair<std::int64_t, domain::PricedLine>> lines;
  std::vector<std::pair<std::int64_t, domain::StatusChange>> history;
  db_.Query(s,
            std::string("SELECT 0, ") + kLineColumns +
                " FROM order_lines WHERE order_id = :o UNION ALL SELECT 1, order_id, id, NULL, status, at, "
                "NULL, NULL, NULL, NULL FROM order_status_history WHERE order_id = :o2",
            {order.id, order.id}, [&](const soci::row& r) {
              if (GetInt64(r, 0) == 0) {
                lines.emplace_back(GetInt64(r, 2), ReadLine(r, 2));
              } else {
                // status and time where the name and thumbnail are
                history.emplace_back(GetInt64(r, 2), ReadStatusChange(r, 4));
              }
            });
  auto by_row_id = [](const auto& a, const auto& b) { return a.first < b.first; };
  std::sort(lines.begin(), lines.end(), by_row_id);
  std::sort(history.begin(), history.end(), by_row_id);
  for (auto& [id, line] : lines) order.lines.push_back(std::move(line));
  for (auto& [id, change] : history) order.history.push_back(std::move(change));
}

std::optional<Order> OrderRepository::FindIn(soci::session& s, std::int64_t order_id) {
  std::vector<Order> found;
  db_.Query(s, std::string("SELECT ") + kOrderColumns + " FROM orders WHERE id = :id", {order_id},
            [&](const soci::row& r) { found.push_back(ReadOrder(r)); });
  if (found.empty()) return std::nullopt;
  LoadLinesAndHistory(s, found);
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
  soci::session& s = *lease;
  std::string where = " WHERE 1 = 1";
  std::vector<SqlParam> params;
  std::string status_code = status ? std::string(domain::CodeOf(*status)) : "";
  if (user_id) {
    where += " AND user_id = :u";
    params.emplace_back(*user_id);
  }
  if (status) {
    where += " AND status = :s";
    params.emplace_back(status_code);
  }
  OrderPage result;
  // An account's own orders, whatever their state (its order history): the
  // count is kept (order_counts.hpp). Any other filter counts.
  if (user_id && !status) {
    db_.Query(s, OrderCounts::kSelectOne, {*user_id}, [&](const soci::row& r) { result.total = GetInt64(r, 0); });
  } else {
    db_.Query(s, "SELECT COUNT(*) FROM orders" + where, params,
              [&](const soci::row& r) { result.total = GetInt64(r, 0); });
  }
  params.emplace_back(page.size);
  params.emplace_back(page.Offset());
  db_.Query(
      s, std::string("SELECT ") + kOrderColumns + " FROM orders" + where + " ORDER BY id DESC LIMIT :lim OFFSET :off",
      params, [&](const soci::row& r) { result.orders.push_back(ReadOrder(r)); });
  LoadLinesAndHistory(s, result.orders);
  return result;
}

OrderPage OrderRepository::PaidOldestFirst(const domain::PageRequest& page) {
  auto lease = db_.Acquire();
  soci::session& s = *lease;
  OrderPage result;
  db_.Query(s, "SELECT COUNT(*) FROM orders WHERE status = 'PAID'", SqlParams{},
            [&](const soci::row& r) { result.total = GetInt64(r, 0); });
  // ix_orders_status (status, id): the oldest order first, renewals among them.
  db_.Query(
      s,
      std::string("SELECT ") + kOrderColumns + " FROM orders WHERE status = 'PAID' ORDER BY id LIMIT :lim OFFSET :off",
      {page.size, page.Offset()}, [&](const soci::row& r) { result.orders.push_back(ReadOrder(r)); });
  LoadLinesAndHistory(s, result.orders);
  return result;
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
