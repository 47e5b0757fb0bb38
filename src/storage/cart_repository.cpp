#include "storage/cart_repository.hpp"

#include "infra/clock.hpp"
#include "storage/row_reader.hpp"

namespace pillivery::storage {

namespace {
std::string Now() { return infra::FormatIsoTime(std::chrono::system_clock::now()); }
}  // namespace

std::int64_t CartRepository::EnsureCart(soci::session& session, std::int64_t user_id, domain::CartKind kind) {
  std::string code(domain::CodeOf(kind));
  long long uid = user_id, id = 0;
  session << "SELECT id FROM carts WHERE user_id = :u AND kind = :k", soci::use(uid), soci::use(code),
      soci::into(id);
  if (session.got_data()) return id;
  // Two first requests may race: the unique (user_id, kind) index keeps one cart.
  std::string now = Now();
  session << std::string(InsertIgnore(db_.GetDialect())) +
                 " INTO carts(user_id, kind, created_at) VALUES(:u, :k, :c)",
      soci::use(uid), soci::use(code), soci::use(now);
  session << "SELECT id FROM carts WHERE user_id = :u AND kind = :k", soci::use(uid), soci::use(code),
      soci::into(id);
  return id;
}

std::vector<domain::PricedLine> CartRepository::Lines(std::int64_t user_id, domain::CartKind kind) {
  auto lease = db_.Acquire();
  std::string code(domain::CodeOf(kind));
  long long uid = user_id;
  std::vector<domain::PricedLine> lines;
  soci::rowset<soci::row> rows =
      (lease->prepare << "SELECT cl.item_id, i.product_name, i.thumbnail_url, cl.quantity, cl.period, i.origin_price, "
                         "i.real_price, i.stock, i.status FROM carts c JOIN cart_lines cl ON cl.cart_id = c.id "
                         "JOIN items i ON i.id = cl.item_id WHERE c.user_id = :u AND c.kind = :k "
                         "ORDER BY cl.added_at, cl.item_id",
       soci::use(uid), soci::use(code));
  for (const auto& r : rows) {
    domain::PricedLine line;
    line.item_id = GetInt64(r, 0);
    line.product_name = GetString(r, 1);
    line.thumbnail_url = GetString(r, 2);
    line.quantity = static_cast<int>(GetInt64(r, 3));
    if (auto p = GetOptionalInt64(r, 4)) line.period = static_cast<int>(*p);
    line.unit_origin_price = GetInt64(r, 5);
    line.unit_real_price = GetInt64(r, 6);
    line.in_stock = GetInt64(r, 7) >= line.quantity && GetString(r, 8) == "ON_SALE";
    lines.push_back(std::move(line));
  }
  return lines;
}

void CartRepository::AddLine(std::int64_t user_id, domain::CartKind kind, std::int64_t item_id, int quantity,
                             std::optional<int> period) {
  auto lease = db_.Acquire();
  soci::session& s = *lease;
  Transaction tx(s, db_.GetDialect());
  long long cart = EnsureCart(s, user_id, kind), item = item_id;
  int existing = 0;
  s << std::string("SELECT quantity FROM cart_lines WHERE cart_id = :c AND item_id = :i") +
           ForUpdate(db_.GetDialect()),
      soci::use(cart), soci::use(item), soci::into(existing);
  soci::indicator period_ind = period ? soci::i_ok : soci::i_null;
  int period_value = period.value_or(0);
  if (s.got_data()) {
    int total = std::min(domain::kMaxQuantity, existing + quantity);
    s << "UPDATE cart_lines SET quantity = :q, period = :p WHERE cart_id = :c AND item_id = :i", soci::use(total),
        soci::use(period_value, period_ind), soci::use(cart), soci::use(item);
  } else {
    std::string now = Now();
    s << "INSERT INTO cart_lines(cart_id, item_id, quantity, period, added_at) VALUES(:c, :i, :q, :p, :a)",
        soci::use(cart), soci::use(item), soci::use(quantity), soci::use(period_value, period_ind), soci::use(now);
  }
  tx.Commit();
}

bool CartRepository::UpdateLine(std::int64_t user_id, domain::CartKind kind, std::int64_t item_id,
                                std::optional<int> quantity, std::optional<int> period) {
  auto lease = db_.Acquire();
  soci::session& s = *lease;
  Transaction tx(s, db_.GetDialect());
  long long cart = EnsureCart(s, user_id, kind), item = item_id;
  int changed = 0;
  if (quantity) {
    soci::statement st = (s.prepare << "UPDATE cart_lines SET quantity = :q WHERE cart_id = :c AND item_id = :i",
                          soci::use(*quantity), soci::use(cart), soci::use(item));
    st.execute(true);
    changed += static_cast<int>(st.get_affected_rows());
  }
  if (period) {
    soci::statement st = (s.prepare << "UPDATE cart_lines SET period = :p WHERE cart_id = :c AND item_id = :i",
                          soci::use(*period), soci::use(cart), soci::use(item));
    st.execute(true);
    changed += static_cast<int>(st.get_affected_rows());
  }
  if (changed == 0) {
    // MariaDB reports 0 affected rows when the value is unchanged: check the line exists.
    int exists = 0;
    s << "SELECT COUNT(*) FROM cart_lines WHERE cart_id = :c AND item_id = :i", soci::use(cart), soci::use(item),
        soci::into(exists);
    if (exists == 0) return false;
  }
  tx.Commit();
  return true;
}

bool CartRepository::RemoveLine(std::int64_t user_id, domain::CartKind kind, std::int64_t item_id) {
  auto lease = db_.Acquire();
  soci::session& s = *lease;
  long long uid = user_id, item = item_id;
  std::string code(domain::CodeOf(kind));
  soci::statement st = (s.prepare << "DELETE FROM cart_lines WHERE item_id = :i AND cart_id IN "
                                     "(SELECT id FROM carts WHERE user_id = :u AND kind = :k)",
                        soci::use(item), soci::use(uid), soci::use(code));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

void CartRepository::RemoveItems(soci::session& s, std::int64_t user_id, domain::CartKind kind,
                                 const std::vector<std::int64_t>& item_ids) {
  long long uid = user_id;
  std::string code(domain::CodeOf(kind));
  for (long long item : item_ids) {
    s << "DELETE FROM cart_lines WHERE item_id = :i AND cart_id IN "
         "(SELECT id FROM carts WHERE user_id = :u AND kind = :k)",
        soci::use(item), soci::use(uid), soci::use(code);
  }
}

}  // namespace pillivery::storage
