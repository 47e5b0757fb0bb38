#include "storage/subscription_repository.hpp"

#include "domain/error.hpp"
#include "domain/payment.hpp"
#include "infra/clock.hpp"
#include "storage/row_reader.hpp"
#include "storage/subscription_rows.hpp"
#include "storage/unit_of_work_session.hpp"

#include <set>
#include <stdexcept>

namespace pillivery::storage {

using domain::Date;
using domain::Subscription;

// Subscription rows: created from a paid order, read, saved, ended, and their SIDs released.

namespace {
constexpr const char* kLiveStatuses = "('ACTIVE', 'PAUSED', 'PAST_DUE')";

bool ReleaseSidIn(soci::session& s, Dialect dialect, const std::string& sid, const std::string& now_iso) {
  std::string status;
  s << std::string("SELECT status FROM payment_methods WHERE sid = :s") + ForUpdate(dialect), soci::use(sid),
      soci::into(status);
  // Released already (or never ours to release).
  if (!s.got_data() || domain::ParsePaymentMethodStatus(status) != domain::PaymentMethodStatus::kActive) return false;
  long long live = 0;
  s << std::string("SELECT COUNT(*) FROM subscriptions WHERE sid = :s AND status IN ") + kLiveStatuses, soci::use(sid),
      soci::into(live);
  if (live > 0) return false;
  // An attempt whose answer is unknown is settled by sending it again with this
  // SID: it stays active until then (the settling run releases it).
  long long open = 0;
  s << "SELECT COUNT(*) FROM subscription_charges c JOIN subscriptions s ON s.id = c.subscription_id WHERE s.sid = "
       ":s AND c.result IN ('PENDING', 'UNKNOWN')",
      soci::use(sid), soci::into(open);
  if (open > 0) return false;
  s << "UPDATE payment_methods SET status = 'INACTIVE', inactivated_at = :t WHERE sid = :s", soci::use(now_iso),
      soci::use(sid);
  return true;
}
}  // namespace

bool SubscriptionRepository::ReleaseSid(UnitOfWork& work, const std::string& sid, const std::string& now_iso) {
  return ReleaseSidIn(SessionOf(work), work.GetDialect(), sid, now_iso);
}

EndedSubscriptions SubscriptionRepository::EndLive(UnitOfWork& work, const EndScope& scope,
                                                   const std::string& now_iso) {
  if (!scope.source_order_id && !scope.user_id) throw std::logic_error("EndLive needs a scope");
  soci::session& s = SessionOf(work);
  const Dialect dialect = work.GetDialect();
  std::string where = std::string(" WHERE status IN ") + kLiveStatuses;
  long long key = scope.source_order_id ? *scope.source_order_id : *scope.user_id;
  where += scope.source_order_id ? " AND source_order_id = :k" : " AND user_id = :k";
  EndedSubscriptions ended;
  std::set<std::string> sids;
  {
    soci::rowset<soci::row> rows =
        (s.prepare << "SELECT id, sid FROM subscriptions" + where + " ORDER BY id" + ForUpdate(dialect),
         soci::use(key));
    for (const auto& r : rows) {
      ended.ids.push_back(GetInt64(r, 0));
      sids.insert(GetString(r, 1));
    }
  }
  if (ended.ids.empty()) return ended;
  s << "UPDATE subscriptions SET status = 'CANCELLED', updated_at = :u" + where, soci::use(now_iso), soci::use(key);
  // In SID order: two endings never wait on each other's SID rows in a cycle.
  for (const auto& sid : sids)
    if (ReleaseSidIn(s, dialect, sid, now_iso)) ended.released_sids.push_back(sid);
  return ended;
}

std::vector<std::int64_t> SubscriptionRepository::CreateForOrder(UnitOfWork& work, const domain::Order& order,
                                                                 const std::string& sid, const std::string& cid,
                                                                 const std::string& partner_user_id, Date today,
                                                                 const std::string& now_iso) {
  soci::session& s = SessionOf(work);
  std::vector<std::int64_t> ids;
  for (const auto& line : order.lines) {
    int period = line.period.value_or(30);
    long long user = order.user_id, item = line.item_id, source = order.id, line_id = line.line_id;
    int quantity = line.quantity, zero = 0;
    std::string status(domain::CodeOf(domain::SubscriptionStatus::kActive)), last = today.ToString(),
                                                                             next = today.AddDays(period).ToString();
    // Renewals ship to the order's receiver until the customer changes the address.
    const domain::Receiver& to = order.receiver;
    s << "INSERT INTO subscriptions(user_id, item_id, product_name, quantity, period, status, sid, cid, "
         "partner_user_id, source_order_id, source_order_line_id, last_paid_date, next_payment_date, cycle_attempts, "
         "next_attempt_date, created_at, updated_at, receiver_name, receiver_phone, receiver_city, receiver_detail) "
         "VALUES(:u, :i, :pn, :q, :p, :s, :sid, :cid, :pu, :o, :l, :lp, :np, :ca, :na, :c, :up, :rn, :rp, :rc, :rd)",
        soci::use(user), soci::use(item), soci::use(line.product_name), soci::use(quantity), soci::use(period),
        soci::use(status), soci::use(sid), soci::use(cid), soci::use(partner_user_id), soci::use(source),
        soci::use(line_id), soci::use(last), soci::use(next), soci::use(zero), soci::use(next), soci::use(now_iso),
        soci::use(now_iso), soci::use(to.name), soci::use(to.phone), soci::use(to.city), soci::use(to.detail_address);
    ids.push_back(LastInsertId(s, work.GetDialect()));
  }
  // The SID's row (one per approval, shared by the order's subscriptions).
  long long user = order.user_id;
  s << "INSERT INTO payment_methods(sid, cid, user_id, status, created_at) VALUES(:s, :c, :u, 'ACTIVE', :t)",
      soci::use(sid), soci::use(cid), soci::use(user), soci::use(now_iso);
  return ids;
}

std::optional<Subscription> SubscriptionRepository::Find(std::int64_t id) {
  auto lease = db_.Acquire();
  return FindSubscriptionIn(*lease, id, false, db_.GetDialect());
}

SubscriptionPage SubscriptionRepository::List(std::optional<std::int64_t> user_id,
                                              std::optional<domain::SubscriptionStatus> status,
                                              std::optional<Date> due_on, const domain::PageRequest& page) {
  auto lease = db_.Acquire();
  soci::session& s = *lease;
  std::string where = " WHERE 1 = 1";
  long long uid = user_id.value_or(0);
  std::string status_code = status ? std::string(domain::CodeOf(*status)) : "";
  std::string due = due_on ? due_on->ToString() : "";
  if (user_id) where += " AND s.user_id = :u";
  if (status) where += " AND s.status = :st";
  if (due_on) where += " AND s.next_attempt_date = :d AND s.status IN ('ACTIVE', 'PAST_DUE')";
  auto bind = [&](soci::details::prepare_temp_type& prep) {
    if (user_id) prep, soci::use(uid, "u");
    if (status) prep, soci::use(status_code, "st");
    if (due_on) prep, soci::use(due, "d");
  };
  SubscriptionPage result;
  {
    long long total = 0;
    auto prep = s.prepare << "SELECT COUNT(*) FROM subscriptions s" + where;
    bind(prep);
    prep, soci::into(total);
    soci::statement st(prep);
    st.execute(true);
    result.total = total;
  }
  long long limit = page.size, offset = page.Offset();
  auto prep = s.prepare << std::string("SELECT ") + kSubscriptionColumns +
                               " FROM subscriptions s JOIN items i ON i.id = s.item_id" + where +
                               " ORDER BY s.id DESC LIMIT :lim OFFSET :off";
  bind(prep);
  prep, soci::use(limit, "lim"), soci::use(offset, "off");
  soci::rowset<soci::row> rows(prep);
  for (const auto& r : rows) result.subscriptions.push_back(ReadSubscription(r));
  return result;
}

std::optional<Subscription> SubscriptionRepository::FindForUpdate(UnitOfWork& work, std::int64_t id) {
  return FindSubscriptionIn(SessionOf(work), id, true, work.GetDialect());
}

void SubscriptionRepository::Save(UnitOfWork& work, const Subscription& subscription, const std::string& now_iso) {
  SaveSubscription(SessionOf(work), subscription, now_iso);
}

std::vector<std::int64_t> SubscriptionRepository::OpenIdsOfUser(std::int64_t user_id) {
  auto lease = db_.Acquire();
  long long uid = user_id;
  std::vector<std::int64_t> ids;
  soci::rowset<long long> rows =
      (lease->prepare
           << "SELECT id FROM subscriptions WHERE user_id = :u AND status IN ('ACTIVE', 'PAUSED', 'PAST_DUE')",
       soci::use(uid));
  for (long long id : rows) ids.push_back(id);
  return ids;
}

}  // namespace pillivery::storage
