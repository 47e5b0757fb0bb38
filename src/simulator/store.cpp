#include "simulator/store.hpp"

#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <boost/json.hpp>

namespace pillivery::simulator {
namespace json = boost::json;

namespace {

// Records are stored as JSON documents (one column) so the schema never has to
// follow the record's fields; the ledger also gets real columns, because
// people reconcile against it with plain SQL.
constexpr const char* kSchema[] = {
    "CREATE TABLE IF NOT EXISTS sim_payments (tid TEXT PRIMARY KEY, doc TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS sim_sids (sid TEXT PRIMARY KEY, doc TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS sim_ledger (seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL,"
    " tid TEXT NOT NULL, aid TEXT NOT NULL, sid TEXT NOT NULL, cid TEXT NOT NULL,"
    " partner_order_id TEXT NOT NULL, partner_user_id TEXT NOT NULL, amount INTEGER NOT NULL,"
    " at_ms INTEGER NOT NULL, doc TEXT NOT NULL)",
};

long long Millis(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
TimePoint FromMillis(std::int64_t ms) { return TimePoint{std::chrono::milliseconds{ms}}; }

json::value OptTime(const std::optional<TimePoint>& t) { return t ? json::value(Millis(*t)) : json::value(nullptr); }
std::optional<TimePoint> ReadOptTime(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  if (!v || v->is_null()) return std::nullopt;
  return FromMillis(v->to_number<std::int64_t>());
}
std::string Str(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}
std::int64_t Int(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_number() ? v->to_number<std::int64_t>() : 0;
}

json::object AmountDoc(const Amount& a) {
  return {{"total", a.total}, {"tax_free", a.tax_free}, {"vat", a.vat},
          {"point", a.point}, {"discount", a.discount}, {"green_deposit", a.green_deposit}};
}
Amount ReadAmount(const json::value& v) {
  const json::object& o = v.as_object();
  return {Int(o, "total"), Int(o, "tax_free"), Int(o, "vat"),
          Int(o, "point"), Int(o, "discount"), Int(o, "green_deposit")};
}

std::string PaymentDoc(const Payment& p) {
  json::array actions;
  for (const auto& a : p.actions) {
    actions.push_back(json::object{{"aid", a.aid},
                                   {"type", a.type},
                                   {"amount", AmountDoc(a.amount)},
                                   {"approved_at", Millis(a.approved_at)},
                                   {"payload", a.payload}});
  }
  json::object o{{"tid", p.tid},
                 {"cid", p.cid},
                 {"partner_order_id", p.partner_order_id},
                 {"partner_user_id", p.partner_user_id},
                 {"item_name", p.item_name},
                 {"item_code", p.item_code},
                 {"quantity", p.quantity},
                 {"install_month", p.install_month},
                 {"amount", AmountDoc(p.amount)},
                 {"canceled", AmountDoc(p.canceled)},
                 {"status", p.status},
                 {"payment_method_type", p.payment_method_type},
                 {"approval_url", p.approval_url},
                 {"cancel_url", p.cancel_url},
                 {"fail_url", p.fail_url},
                 {"pg_token", p.pg_token},
                 {"sid", p.sid},
                 {"by_subscription", p.by_subscription},
                 {"payload", p.payload},
                 {"created_at", Millis(p.created_at)},
                 {"approved_at", OptTime(p.approved_at)},
                 {"canceled_at", OptTime(p.canceled_at)},
                 {"actions", std::move(actions)}};
  return json::serialize(o);
}

Payment ReadPayment(const std::string& doc) {
  json::object o = json::parse(doc).as_object();
  Payment p;
  p.tid = Str(o, "tid");
  p.cid = Str(o, "cid");
  p.partner_order_id = Str(o, "partner_order_id");
  p.partner_user_id = Str(o, "partner_user_id");
  p.item_name = Str(o, "item_name");
  p.item_code = Str(o, "item_code");
  p.quantity = Int(o, "quantity");
  p.install_month = Int(o, "install_month");
  p.amount = ReadAmount(o.at("amount"));
  p.canceled = ReadAmount(o.at("canceled"));
  p.status = Str(o, "status");
  p.payment_method_type = Str(o, "payment_method_type");
  p.approval_url = Str(o, "approval_url");
  p.cancel_url = Str(o, "cancel_url");
  p.fail_url = Str(o, "fail_url");
  p.pg_token = Str(o, "pg_token");
  p.sid = Str(o, "sid");
  p.by_subscription = o.at("by_subscription").as_bool();
  p.payload = Str(o, "payload");
  p.created_at = FromMillis(Int(o, "created_at"));
  p.approved_at = ReadOptTime(o, "approved_at");
  p.canceled_at = ReadOptTime(o, "canceled_at");
  for (const auto& v : o.at("actions").as_array()) {
    const json::object& a = v.as_object();
    p.actions.push_back({Str(a, "aid"), Str(a, "type"), ReadAmount(a.at("amount")), FromMillis(Int(a, "approved_at")),
                         Str(a, "payload")});
  }
  return p;
}

std::string SidDoc(const Sid& s) {
  json::object o{{"sid", s.sid},
                 {"cid", s.cid},
                 {"partner_user_id", s.partner_user_id},
                 {"item_name", s.item_name},
                 {"payment_method_type", s.payment_method_type},
                 {"status", s.status},
                 {"created_at", Millis(s.created_at)},
                 {"last_approved_at", OptTime(s.last_approved_at)},
                 {"inactivated_at", OptTime(s.inactivated_at)}};
  return json::serialize(o);
}

Sid ReadSid(const std::string& doc) {
  json::object o = json::parse(doc).as_object();
  Sid s;
  s.sid = Str(o, "sid");
  s.cid = Str(o, "cid");
  s.partner_user_id = Str(o, "partner_user_id");
  s.item_name = Str(o, "item_name");
  s.payment_method_type = Str(o, "payment_method_type");
  s.status = Str(o, "status");
  s.created_at = FromMillis(Int(o, "created_at"));
  s.last_approved_at = ReadOptTime(o, "last_approved_at");
  s.inactivated_at = ReadOptTime(o, "inactivated_at");
  return s;
}

std::string LedgerDoc(const LedgerEntry& e) {
  json::object o{{"kind", e.kind},
                 {"tid", e.tid},
                 {"aid", e.aid},
                 {"sid", e.sid},
                 {"cid", e.cid},
                 {"partner_order_id", e.partner_order_id},
                 {"partner_user_id", e.partner_user_id},
                 {"amount", e.amount},
                 {"at", Millis(e.at)}};
  return json::serialize(o);
}

LedgerEntry ReadLedger(const std::string& doc) {
  json::object o = json::parse(doc).as_object();
  return {Str(o, "kind"),
          Str(o, "tid"),
          Str(o, "aid"),
          Str(o, "sid"),
          Str(o, "cid"),
          Str(o, "partner_order_id"),
          Str(o, "partner_user_id"),
          Int(o, "amount"),
          FromMillis(Int(o, "at"))};
}

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(const std::string& path) {
    session_.open(soci::sqlite3, "db=" + path + " timeout=10");
    session_ << "PRAGMA journal_mode=WAL";
    // NORMAL in WAL mode survives a crash of the process, which is what a
    // restarted simulator needs; only a power loss could drop the last commits.
    session_ << "PRAGMA synchronous=NORMAL";
    for (const char* statement : kSchema) session_ << statement;
  }

  void Apply(const StoreChanges& changes) override {
    soci::transaction tx(session_);
    for (const auto& p : changes.payments) {
      std::string doc = PaymentDoc(p);
      session_ << "INSERT OR REPLACE INTO sim_payments (tid, doc) VALUES (:tid, :doc)", soci::use(p.tid),
          soci::use(doc);
    }
    for (const auto& s : changes.sids) {
      std::string doc = SidDoc(s);
      session_ << "INSERT OR REPLACE INTO sim_sids (sid, doc) VALUES (:sid, :doc)", soci::use(s.sid), soci::use(doc);
    }
    for (const auto& e : changes.ledger) {
      std::string doc = LedgerDoc(e);
      long long amount = e.amount;
      long long at_ms = Millis(e.at);
      session_ << "INSERT INTO sim_ledger (kind, tid, aid, sid, cid, partner_order_id, partner_user_id,"
                  " amount, at_ms, doc) VALUES (:kind, :tid, :aid, :sid, :cid, :poid, :puid, :amount,"
                  " :at, :doc)",
          soci::use(e.kind), soci::use(e.tid), soci::use(e.aid), soci::use(e.sid), soci::use(e.cid),
          soci::use(e.partner_order_id), soci::use(e.partner_user_id), soci::use(amount), soci::use(at_ms),
          soci::use(doc);
    }
    tx.commit();
  }

  StoreSnapshot Load() override {
    StoreSnapshot snapshot;
    soci::rowset<std::string> payments = (session_.prepare << "SELECT doc FROM sim_payments");
    for (const auto& doc : payments) snapshot.payments.push_back(ReadPayment(doc));
    soci::rowset<std::string> sids = (session_.prepare << "SELECT doc FROM sim_sids");
    for (const auto& doc : sids) snapshot.sids.push_back(ReadSid(doc));
    soci::rowset<std::string> ledger = (session_.prepare << "SELECT doc FROM sim_ledger ORDER BY seq");
    for (const auto& doc : ledger) snapshot.ledger.push_back(ReadLedger(doc));
    return snapshot;
  }

  void Clear() override {
    soci::transaction tx(session_);
    session_ << "DELETE FROM sim_payments";
    session_ << "DELETE FROM sim_sids";
    session_ << "DELETE FROM sim_ledger";
    tx.commit();
  }

 private:
  soci::session session_;
};

}  // namespace

std::unique_ptr<Store> OpenSqliteStore(const std::string& path) { return std::make_unique<SqliteStore>(path); }

}  // namespace pillivery::simulator
