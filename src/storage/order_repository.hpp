#pragma once
// Orders, their lines and status history, and the stock they reserve.
#include "domain/checkout.hpp"
#include "domain/fulfilment.hpp"
#include "domain/item_query.hpp"
#include "domain/order.hpp"
#include "storage/database.hpp"
#include "storage/unit_of_work.hpp"

#include <functional>
#include <optional>
#include <span>
#include <vector>

namespace pillivery::storage {

struct OrderPage {
  std::vector<domain::Order> orders;
  std::int64_t total = 0;
};

// The PAID renewal order of one subscription cycle, with its payment: a real
// paid order that goes through the same cancel and refund paths as any other.
struct Renewal {
  std::int64_t user_id = 0;
  domain::Receiver receiver;
  domain::PricedLine line;
  std::int64_t subscription_id = 0;
  // nullopt: settled by the gateway's duplicate answer (-785), which carries no tid.
  std::optional<std::string> tid;
  std::optional<std::string> aid;
  std::string cid, sid, partner_order_id, partner_user_id;
  std::string at;
  std::int64_t at_ms = 0;
};

class OrderRepository {
 public:
  explicit OrderRepository(Database& db) : db_(db) {}

  // Checkout's steps, each in the caller's unit of work (service::Checkout walks
  // them: facts, a domain decision, one apply, commit). The order a customer
  // already placed with this idempotency key, if any.
  std::optional<domain::Order> FindByIdempotencyKey(UnitOfWork& work, std::int64_t user_id, const std::string& key);
  // Locks the account's row (MariaDB; SQLite has one writer), so its
  // concurrent checkouts pass the open-order limits one at a time, then reads
  // what its unpaid orders hold. The checkout's first lock.
  domain::OpenOrders LockOpenOrders(UnitOfWork& work, std::int64_t user_id);
  // What the catalog offers of each item now, in the order given (nullopt: no such item).
  std::vector<std::optional<domain::Offer>> ReadOffers(UnitOfWork& work, std::span<const domain::LineRequest> lines);

  // What applying a checkout's plan came to.
  enum class PlaceResult {
    kPlaced,      // `order` is the new order, with its id
    kOutOfStock,  // `shortages` names the lines short; nothing inserted
    kKeyTaken,    // a concurrent request committed the same idempotency key: `order` is that one
  };
  struct Placement {
    PlaceResult result = PlaceResult::kPlaced;
    domain::Order order;
    std::vector<domain::Shortage> shortages;
  };
  // Applies the plan in the caller's unit of work: reserves each line's stock
  // through StockLedger (its atomic guard; item rows locked in id order), then
  // inserts the order, its lines and history, and adds to the account's order
  // count as the last write (see order_counts.hpp). Anything but kPlaced must
  // be rolled back by the caller.
  Placement Place(UnitOfWork& work, const domain::CheckoutPlan& plan);

  // Order with lines, history and payment summary: one statement (its row
  // carries its lines and history since v030).
  std::optional<domain::Order> Find(std::int64_t order_id);
  // The same, read in the caller's unit of work (after a change it made).
  std::optional<domain::Order> Find(UnitOfWork& work, std::int64_t order_id);
  // Newest first; user_id nullopt lists every user's (admin). Lines and
  // history included: one statement (ReadPage).
  OrderPage List(std::optional<std::int64_t> user_id, std::optional<domain::OrderStatus> status,
                 const domain::PageRequest& page);

  // The fulfilment queue: PAID orders (renewals included), oldest first.
  OrderPage PaidOldestFirst(const domain::PageRequest& page);
  // PAID → SHIPPED with the shipment, in the caller's unit of work (the
  // customer's notice goes with it), and SHIPPED → DELIVERED, each with its
  // history row; conditional updates, false when the order was not in the
  // expected status (nothing written).
  bool MarkShipped(UnitOfWork& work, std::int64_t order_id, const domain::ShipRequest& shipment,
                   const std::string& now_iso);
  bool MarkDelivered(std::int64_t order_id, const std::string& now_iso);

  // PENDING_PAYMENT → CANCELLED and the stock goes back, if the order is still
  // pending (a conditional update, so two cancellers release stock once).
  // Returns false when the order was not pending. Without a unit of work, in its own.
  bool CancelPending(UnitOfWork& work, std::int64_t order_id, const std::string& now_iso);
  bool CancelPending(std::int64_t order_id, const std::string& now_iso);
  // PENDING_PAYMENT → PAID with the payment summary (conditional, so a second
  // approval changes nothing and returns false), in the caller's unit of work
  // (the payment, the subscriptions and the events go with it). Without one, in its own.
  bool MarkPaid(UnitOfWork& work, std::int64_t order_id, const std::string& provider, const std::string& tid,
                const std::string& now_iso);
  bool MarkPaid(std::int64_t order_id, const std::string& provider, const std::string& tid, const std::string& now_iso);
  // A refund's first step in the caller's unit of work: locks the order's row
  // and tells whether it is PAID (PaymentRepository::AddRefund then makes it REFUNDED).
  bool LockPaid(UnitOfWork& work, std::int64_t order_id);
  // The PAID renewal orders of subscription cycles, in the caller's unit of
  // work, with one statement per table; returns the order ids in the order of
  // `renewals`. Stock was reserved by the claims.
  static std::vector<std::int64_t> InsertRenewals(UnitOfWork& work, std::span<const Renewal> renewals);
  // Their payments (one statement), written once the attempts' fences held: a
  // worker that lost the race writes none (a tid is unique).
  static void InsertRenewalPayments(UnitOfWork& work, std::span<const Renewal> renewals,
                                    std::span<const std::int64_t> ids);
  // Cancels unpaid orders whose expiry has passed; returns how many. Safe in several processes.
  int ExpireUnpaid(std::int64_t now_ms, const std::string& now_iso, int limit);
  // An unpaid order expires at `expires_at_ms` if that is sooner than it would.
  void ShortenExpiry(std::int64_t order_id, std::int64_t expires_at_ms);

 private:
  // Reads through the caller's session: never lease a second connection while holding one.
  std::optional<domain::Order> FindIn(soci::session& s, std::int64_t order_id);
  // Which orders a page holds: `where` (" WHERE ...") over orders with its
  // values, newest or oldest first; `total` a scalar subquery with its values.
  struct PageFilter {
    std::string where;
    std::vector<SqlParam> where_params;
    std::string total;
    std::vector<SqlParam> total_params;
    bool newest_first = false;
  };
  // A page's orders with their lines and history, and the total: one statement.
  OrderPage ReadPage(soci::session& s, const PageFilter& filter, const domain::PageRequest& page);
  Database& db_;
};

}  // namespace pillivery::storage
