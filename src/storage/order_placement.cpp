// The checkout's reads and its one apply, in the caller's unit of work
// (service::Checkout decides between them; see order_repository.hpp).
#include "storage/order_repository.hpp"

#include "domain/offer.hpp"
#include "storage/order_counts.hpp"
#include "storage/order_rows.hpp"
#include "storage/row_reader.hpp"
#include "storage/sql_builder.hpp"
#include "storage/stock_ledger.hpp"
#include "storage/unit_of_work_session.hpp"

#include <algorithm>

namespace pillivery::storage {

using domain::Order;

namespace {
// What the catalog offers of the item now (nullopt: no such item).
std::optional<domain::Offer> ReadOffer(soci::session& s, std::int64_t item_id) {
  long long id = item_id, origin = 0, real = 0, stock = 0;
  std::string name, thumbnail, status;
  s << "SELECT product_name, thumbnail_url, origin_price, real_price, status, stock FROM items WHERE id = :id",
      soci::use(id), soci::into(name), soci::into(thumbnail), soci::into(origin), soci::into(real), soci::into(status),
      soci::into(stock);
  if (!s.got_data()) return std::nullopt;
  return domain::Offer{item_id, name, thumbnail,
                       origin,  real, domain::ParseItemStatus(status).value_or(domain::ItemStatus::kHidden),
                       stock};
}

std::optional<long long> IdOfKey(soci::session& s, long long user_id, const std::string& key) {
  long long existing = 0;
  s << "SELECT id FROM orders WHERE user_id = :u AND idempotency_key = :k", soci::use(user_id), soci::use(key),
      soci::into(existing);
  if (!s.got_data()) return std::nullopt;
  return existing;
}
}  // namespace

std::optional<Order> OrderRepository::FindByIdempotencyKey(UnitOfWork& work, std::int64_t user_id,
                                                           const std::string& key) {
  soci::session& s = SessionOf(work);
  auto id = IdOfKey(s, user_id, key);
  if (!id) return std::nullopt;
  return FindIn(s, *id);
}

domain::OpenOrders OrderRepository::LockOpenOrders(UnitOfWork& work, std::int64_t user_id) {
  soci::session& s = SessionOf(work);
  long long uid = user_id;
  long long locked = 0;
  s << std::string("SELECT id FROM users WHERE id = :u") + ForUpdate(work.GetDialect()), soci::use(uid),
      soci::into(locked);
  domain::OpenOrders open;
  long long count = 0;
  s << "SELECT COUNT(*) FROM orders WHERE user_id = :u AND status = 'PENDING_PAYMENT'", soci::use(uid),
      soci::into(count);
  open.count = count;
  soci::rowset<soci::row> held =
      (s.prepare << "SELECT l.item_id, SUM(l.quantity) FROM order_lines l JOIN orders o ON o.id = l.order_id "
                    "WHERE o.user_id = :u AND o.status = 'PENDING_PAYMENT' GROUP BY l.item_id",
       soci::use(uid));
  for (const auto& row : held) open.quantity_by_item.emplace_back(GetInt64(row, 0), GetInt64(row, 1));
  return open;
}

std::vector<std::optional<domain::Offer>> OrderRepository::ReadOffers(UnitOfWork& work,
                                                                      std::span<const domain::LineRequest> lines) {
  soci::session& s = SessionOf(work);
  std::vector<std::optional<domain::Offer>> offers;
  offers.reserve(lines.size());
  for (const auto& line : lines) offers.push_back(ReadOffer(s, line.item_id));
  return offers;
}

OrderRepository::Placement OrderRepository::Place(UnitOfWork& work, const domain::CheckoutPlan& plan) {
  soci::session& s = SessionOf(work);
  const auto dialect = work.GetDialect();
  const Order& planned = plan.order;
  Placement placement;
  // The stock first, the ledger's atomic guard deciding who gets the last units.
  // Item rows are locked in id order whatever order the plan lists its lines
  // in, so concurrent checkouts cannot deadlock on each other.
  std::vector<const domain::PricedLine*> by_item;
  for (const auto& line : planned.lines) by_item.push_back(&line);
  std::sort(by_item.begin(), by_item.end(), [](const auto* a, const auto* b) { return a->item_id < b->item_id; });
  for (const auto* line : by_item)
    if (!StockLedger::Reserve(s, line->item_id, line->quantity))
      placement.shortages.push_back({line->item_id, line->product_name, line->quantity});
  if (!placement.shortages.empty()) {
    placement.result = PlaceResult::kOutOfStock;
    return placement;
  }

  long long uid = planned.user_id;
  std::string type(domain::CodeOf(planned.type)), status(domain::CodeOf(planned.status));
  long long count = planned.totals.item_count, origin = planned.totals.total_origin_price,
            discount = planned.totals.total_discount_price, total = planned.totals.total_price,
            now_ms = plan.created_at_ms, expires = plan.expires_at_ms;
  soci::indicator key_ind = plan.idempotency_key ? soci::i_ok : soci::i_null;
  std::string key = plan.idempotency_key.value_or("");
  try {
    s << "INSERT INTO orders(user_id, order_type, status, receiver_name, receiver_phone, receiver_city, "
         "receiver_detail, item_count, total_origin_price, total_discount_price, total_price, idempotency_key, "
         "created_at, created_at_ms, expires_at_ms) VALUES(:u, :t, :s, :rn, :rp, :rc, :rd, :ic, :o, :d, :tp, :k, "
         ":ca, :cm, :ex)",
        soci::use(uid), soci::use(type), soci::use(status), soci::use(planned.receiver.name),
        soci::use(planned.receiver.phone), soci::use(planned.receiver.city), soci::use(planned.receiver.detail_address),
        soci::use(count), soci::use(origin), soci::use(discount), soci::use(total), soci::use(key, key_ind),
        soci::use(planned.created_at), soci::use(now_ms), soci::use(expires);
  } catch (const soci::soci_error&) {
    // The unique key claim: the same idempotency key committed by a concurrent
    // request (MariaDB; its unique index waited for that commit, which READ
    // COMMITTED now shows). The answer is that order; any other failure stands.
    if (!plan.idempotency_key) throw;
    auto existing = IdOfKey(s, uid, key);
    if (!existing) throw;
    placement.result = PlaceResult::kKeyTaken;
    placement.order = *FindIn(s, *existing);
    return placement;
  }
  placement.order = planned;
  placement.order.id = LastInsertId(s, dialect);
  long long oid = placement.order.id;
  for (const auto& line : planned.lines) {
    long long item = line.item_id, unit_origin = line.unit_origin_price, unit_real = line.unit_real_price;
    int quantity = line.quantity;
    soci::indicator period_ind = line.period ? soci::i_ok : soci::i_null;
    int period = line.period.value_or(0);
    s << "INSERT INTO order_lines(order_id, item_id, product_name, thumbnail_url, quantity, period, "
         "unit_origin_price, unit_real_price) VALUES(:o, :i, :n, :t, :q, :p, :uo, :ur)",
        soci::use(oid), soci::use(item), soci::use(line.product_name), soci::use(line.thumbnail_url),
        soci::use(quantity), soci::use(period, period_ind), soci::use(unit_origin), soci::use(unit_real);
  }
  AddStatusChange(s, oid, planned.status, planned.created_at);
  const std::int64_t account[] = {planned.user_id};
  OrderCounts::Add(s, dialect, account);  // the last write: see order_counts.hpp
  return placement;
}

}  // namespace pillivery::storage
