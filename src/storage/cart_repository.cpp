#include "storage/cart_repository.hpp"

#include "domain/offer.hpp"
#include "infra/clock.hpp"
#include "storage/row_reader.hpp"
#include "storage/unit_of_work_session.hpp"

namespace pillivery::storage {

namespace {
const std::string kDeleteLine =
    "DELETE FROM cart_lines WHERE item_id = :i AND cart_id IN (SELECT id FROM carts WHERE user_id = :u AND kind = :k)";
}  // namespace

std::int64_t CartRepository::EnsureCart(soci::session& session, std::int64_t user_id, domain::CartKind kind) {
  const std::string code(domain::CodeOf(kind));
  std::int64_t id = 0;
  auto find = [&] {
    db_.Query(session, "SELECT id FROM carts WHERE user_id = :u AND kind = :k", {user_id, code},
              [&](const soci::row& r) { id = GetInt64(r, 0); });
    return id != 0;
  };
  if (find()) return id;
  // Two first requests may race: the unique (user_id, kind) index keeps one cart.
  const std::string now = Now();
  db_.Execute(session,
              std::string(InsertIgnore(db_.GetDialect())) + " INTO carts(user_id, kind, created_at) VALUES(:u, :k, :c)",
              {user_id, code, now});
  find();
  return id;
}

std::vector<domain::PricedLine> CartRepository::Lines(std::int64_t user_id, domain::CartKind kind) {
  auto lease = db_.Acquire();
  std::vector<domain::PricedLine> lines;
  db_.Query(*lease,
            "SELECT cl.item_id, i.product_name, i.thumbnail_url, cl.quantity, cl.period, i.origin_price, "
            "i.real_price, i.stock, i.status FROM carts c JOIN cart_lines cl ON cl.cart_id = c.id "
            "JOIN items i ON i.id = cl.item_id WHERE c.user_id = :u AND c.kind = :k "
            "ORDER BY cl.added_at, cl.item_id",
            {user_id, domain::CodeOf(kind)}, [&](const soci::row& r) {
              domain::Offer offer{
                  GetInt64(r, 0),  GetString(r, 1),
                  GetString(r, 2), GetInt64(r, 5),
                  GetInt64(r, 6),  domain::ParseItemStatus(GetString(r, 8)).value_or(domain::ItemStatus::kHidden),
                  GetInt64(r, 7)};
              domain::LineRequest wanted{offer.item_id, static_cast<int>(GetInt64(r, 3)), std::nullopt};
              if (auto p = GetOptionalInt64(r, 4)) wanted.period = static_cast<int>(*p);
              lines.push_back(domain::PriceLine(offer, wanted));  // priced now; in stock if on sale with enough left
            });
  return lines;
}

void CartRepository::AddLine(std::int64_t user_id, domain::CartKind kind, std::int64_t item_id, int quantity,
                             std::optional<int> period) {
  auto lease = db_.Acquire();
  soci::session& s = *lease;
  const Dialect dialect = db_.GetDialect();
  std::int64_t cart = EnsureCart(s, user_id, kind);
  // One statement, atomic on its own: a new line, or the quantities added (at
  // most 99) and the period replaced. No transaction around a read and a write
  // (three round trips fewer on MariaDB), and two adds at once still both count.
  const std::string added = ExcludedValue(dialect, "quantity");
  const std::string now = Now();
  db_.Execute(s,
              "INSERT INTO cart_lines(cart_id, item_id, quantity, period, added_at) VALUES(:c, :i, :q, :p, :a)" +
                  UpsertClause(dialect, "cart_id, item_id") + "quantity = CASE WHEN quantity + " + added +
                  " > :max THEN :max2 ELSE quantity + " + added + " END, period = " + ExcludedValue(dialect, "period"),
              {cart, item_id, quantity, period, now, domain::kMaxQuantity, domain::kMaxQuantity});
}

bool CartRepository::UpdateLine(std::int64_t user_id, domain::CartKind kind, std::int64_t item_id,
                                std::optional<int> quantity, std::optional<int> period) {
  auto lease = db_.Acquire();
  soci::session& s = *lease;
  Transaction tx(s, db_.GetDialect());
  std::int64_t cart = EnsureCart(s, user_id, kind);
  long long changed = 0;
  if (quantity)
    changed += db_.Execute(s, "UPDATE cart_lines SET quantity = :q WHERE cart_id = :c AND item_id = :i",
                           {*quantity, cart, item_id});
  if (period)
    changed += db_.Execute(s, "UPDATE cart_lines SET period = :p WHERE cart_id = :c AND item_id = :i",
                           {*period, cart, item_id});
  if (changed == 0) {
    // MariaDB reports 0 affected rows when the value is unchanged: check the line exists.
    bool exists = false;
    db_.Query(s, "SELECT 1 FROM cart_lines WHERE cart_id = :c AND item_id = :i", {cart, item_id},
              [&](const soci::row&) { exists = true; });
    if (!exists) return false;
  }
  tx.Commit();
  return true;
}

bool CartRepository::RemoveLine(std::int64_t user_id, domain::CartKind kind, std::int64_t item_id) {
  auto lease = db_.Acquire();
  return db_.Execute(*lease, kDeleteLine, {item_id, user_id, domain::CodeOf(kind)}) > 0;
}

void CartRepository::RemoveItems(UnitOfWork& work, std::int64_t user_id, domain::CartKind kind,
                                 const std::vector<std::int64_t>& item_ids) {
  soci::session& s = SessionOf(work);
  for (std::int64_t item : item_ids) StatementCache::ExecuteOnce(s, kDeleteLine, {item, user_id, domain::CodeOf(kind)});
}

}  // namespace pillivery::storage
