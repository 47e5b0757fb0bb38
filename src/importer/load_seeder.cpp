#include "importer/load_seeder.hpp"

#include "domain/date.hpp"
#include "domain/error.hpp"
#include "importer/seeder.hpp"
#include "storage/order_counts.hpp"
#include "storage/row_reader.hpp"

#include <algorithm>
#include <vector>

namespace pillivery::importer {

namespace {

struct ItemRow {
  long long id;
  std::string name;
  long long origin, real;
};

std::vector<ItemRow> OnSaleItems(soci::session& s) {
  std::vector<ItemRow> items;
  soci::rowset<soci::row> rows = (s.prepare << "SELECT id, product_name, origin_price, real_price FROM items "
                                               "WHERE status = 'ON_SALE' ORDER BY id LIMIT 5000");
  for (const auto& r : rows)
    items.push_back(
        {storage::GetInt64(r, 0), storage::GetString(r, 1), storage::GetInt64(r, 2), storage::GetInt64(r, 3)});
  return items;
}

std::vector<long long> SeededUserIds(soci::session& s) {
  std::vector<long long> ids;
  soci::rowset<long long> rows =
      (s.prepare << "SELECT id FROM users WHERE email LIKE 'user%@seed.pillivery.test' ORDER BY id");
  for (long long id : rows) ids.push_back(id);
  return ids;
}

constexpr int kBatch = 1000;

}  // namespace

LoadSeedCounts SeedLoad(storage::Database& db, const LoadSeedOptions& o) {
  LoadSeedCounts counts;
  auto lease = db.Acquire();
  soci::session& s = *lease;
  const auto dialect = db.GetDialect();
  SeedRandom random(o.seed, 7);

  for (std::int64_t start = 0; start < o.users; start += kBatch) {
    storage::Transaction tx(s, dialect);
    for (std::int64_t n = start + 1; n <= std::min(o.users, start + kBatch); ++n) {
      std::string email = "user" + std::to_string(n) + "@seed.pillivery.test";
      std::string name = "seed-user-" + std::to_string(n);
      char phone[20];
      std::snprintf(phone, sizeof phone, "010%08lld", static_cast<long long>(n % 100000000));
      std::string phone_text = phone;
      s << "INSERT INTO users(email, password_hash, display_name, real_name, phone, city, detail_address, roles, "
           "status, created_at, updated_at) VALUES(:e, :h, :d, '홍길동', :p, '서울', '강남구 테헤란로 1', 'USER', "
           "'ACTIVE', :c, :u)",
          soci::use(email), soci::use(o.password_hash), soci::use(name), soci::use(phone_text), soci::use(o.now_iso),
          soci::use(o.now_iso);
      ++counts.users;
    }
    tx.Commit();
  }

  if (o.orders == 0 && o.subscriptions == 0) return counts;
  auto users = SeededUserIds(s);
  auto items = OnSaleItems(s);
  if (users.empty() || items.empty())
    throw domain::Error(domain::ErrorCode::kSeedNeedsData,
                        "seed --orders/--subscriptions needs seeded users and items (use --users and --items).");

  static const char* const kStatuses[] = {"PAID", "PAID", "PAID", "DELIVERED", "SHIPPED", "CANCELLED"};
  for (std::int64_t start = 0; start < o.orders; start += kBatch) {
    storage::Transaction tx(s, dialect);
    for (std::int64_t n = start; n < std::min(o.orders, start + kBatch); ++n) {
      long long user = users[static_cast<size_t>(random.Between(0, static_cast<std::int64_t>(users.size()) - 1))];
      int line_count = static_cast<int>(random.Between(1, 3));
      std::vector<std::pair<const ItemRow*, int>> lines;
      long long origin = 0, total = 0;
      int count = 0;
      for (int l = 0; l < line_count; ++l) {
        const ItemRow& item = random.Pick(items);
        int quantity = static_cast<int>(random.Between(1, 3));
        lines.emplace_back(&item, quantity);
        origin += item.origin * quantity;
        total += item.real * quantity;
        count += quantity;
      }
      long long discount = origin - total, zero = 0;
      std::string status = kStatuses[random.Between(0, 5)];
      std::string tid = "TSEED" + std::to_string(n);
      s << "INSERT INTO orders(user_id, order_type, status, receiver_name, receiver_phone, receiver_city, "
           "receiver_detail, item_count, total_origin_price, total_discount_price, total_price, created_at, "
           "created_at_ms, paid_at, payment_provider, payment_tid, payment_approved_at) VALUES(:u, 'ONE_TIME', :s, "
           "'홍길동', '010-1234-5678', '서울', '강남구 1', :c, :o, :d, :t, :ca, :cm, :pa, 'KAKAOPAY', :tid, :pa2)",
          soci::use(user), soci::use(status), soci::use(count), soci::use(origin), soci::use(discount),
          soci::use(total), soci::use(o.now_iso), soci::use(zero), soci::use(o.now_iso), soci::use(tid),
          soci::use(o.now_iso);
      long long order_id = storage::LastInsertId(s, dialect);
      for (auto& [item, quantity] : lines) {
        s << "INSERT INTO order_lines(order_id, item_id, product_name, quantity, unit_origin_price, unit_real_price) "
             "VALUES(:o, :i, :n, :q, :uo, :ur)",
            soci::use(order_id), soci::use(item->id), soci::use(item->name), soci::use(quantity),
            soci::use(item->origin), soci::use(item->real);
      }
      s << "INSERT INTO order_status_history(order_id, status, at) VALUES(:o, 'PENDING_PAYMENT', :a)",
          soci::use(order_id), soci::use(o.now_iso);
      s << "INSERT INTO order_status_history(order_id, status, at) VALUES(:o, :s, :a)", soci::use(order_id),
          soci::use(status), soci::use(o.now_iso);
      ++counts.orders;
    }
    tx.Commit();
  }

  auto today = domain::Date::Parse(o.today);
  if (!today) throw domain::Error(domain::ErrorCode::kSeedBadDate, "today must be YYYY-MM-DD");
  for (std::int64_t start = 0; start < o.subscriptions; start += kBatch) {
    storage::Transaction tx(s, dialect);
    for (std::int64_t n = start; n < std::min(o.subscriptions, start + kBatch); ++n) {
      long long user = users[static_cast<size_t>(n % static_cast<std::int64_t>(users.size()))];
      const ItemRow& item = random.Pick(items);
      int period = static_cast<int>(random.Pick(std::vector<std::int64_t>{7, 14, 30, 30, 60, 90}));
      int quantity = static_cast<int>(random.Between(1, 3));
      // Some due today (a tenth by default), the rest spread over the coming 30 days.
      bool due_today = n % std::max<std::int64_t>(1, o.due_today_one_in) == 0;
      int in_days = due_today ? 0 : static_cast<int>(random.Between(1, 30));
      domain::Date next = today->AddDays(in_days);
      std::string next_text = next.ToString(), last = next.AddDays(-period).ToString();
      char sid[32];  // "SSEED" + up to 20 digits and a sign
      std::snprintf(sid, sizeof sid, "SSEED%015lld", static_cast<long long>(n) + 1);
      std::string sid_text = sid, partner_user = "user-" + std::to_string(user);
      long long origin = item.origin * quantity, total = item.real * quantity, discount = origin - total, zero = 0;
      std::string tid = "TSEEDSUB" + std::to_string(n);
      s << "INSERT INTO orders(user_id, order_type, status, receiver_name, receiver_phone, receiver_city, "
           "receiver_detail, item_count, total_origin_price, total_discount_price, total_price, created_at, "
           "created_at_ms, paid_at, payment_provider, payment_tid, payment_approved_at) VALUES(:u, 'SUBSCRIPTION', "
           "'PAID', '홍길동', '010-1234-5678', '서울', '강남구 1', :c, :o, :d, :t, :ca, :cm, :pa, 'KAKAOPAY', :tid, "
           ":pa2)",
          soci::use(user), soci::use(quantity), soci::use(origin), soci::use(discount), soci::use(total),
          soci::use(o.now_iso), soci::use(zero), soci::use(o.now_iso), soci::use(tid), soci::use(o.now_iso);
      long long order_id = storage::LastInsertId(s, dialect);
      s << "INSERT INTO order_lines(order_id, item_id, product_name, quantity, period, unit_origin_price, "
           "unit_real_price) VALUES(:o, :i, :n, :q, :p, :uo, :ur)",
          soci::use(order_id), soci::use(item.id), soci::use(item.name), soci::use(quantity), soci::use(period),
          soci::use(item.origin), soci::use(item.real);
      long long line_id = storage::LastInsertId(s, dialect);
      s << "INSERT INTO subscriptions(user_id, item_id, product_name, quantity, period, status, sid, cid, "
           "partner_user_id, source_order_id, source_order_line_id, last_paid_date, next_payment_date, cycle_attempts, "
           "next_attempt_date, created_at, updated_at, receiver_name, receiver_phone, receiver_city, receiver_detail) "
           "VALUES(:u, :i, :n, :q, :p, 'ACTIVE', :sid, 'TCSUBSCRIP', :pu, :o, :l, :lp, :np, 0, :na, :c, :up, '홍길동', "
           "'010-1234-5678', '서울', '강남구 1')",
          soci::use(user), soci::use(item.id), soci::use(item.name), soci::use(quantity), soci::use(period),
          soci::use(sid_text), soci::use(partner_user), soci::use(order_id), soci::use(line_id), soci::use(last),
          soci::use(next_text), soci::use(next_text), soci::use(o.now_iso), soci::use(o.now_iso);
      // Its SID's row: ending the subscription locks it to decide whether the SID is still used.
      s << "INSERT INTO payment_methods(sid, cid, user_id, status, created_at) VALUES(:sid, 'TCSUBSCRIP', :u, "
           "'ACTIVE', :c)",
          soci::use(sid_text), soci::use(user), soci::use(o.now_iso);
      ++counts.subscriptions;
    }
    tx.Commit();
  }
  // The orders above were inserted row by row here, not through the order
  // repository: each account's count of them is taken once at the end.
  storage::Transaction tx(s, dialect);
  storage::OrderCounts::Recount(s);
  tx.Commit();
  return counts;
}

}  // namespace pillivery::importer
