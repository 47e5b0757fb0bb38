// ItemRepository's catalog writes: an admin's insert and edit, the seeder's
// batches and the public-data import; each takes a catalog version.
#include "domain/error.hpp"
#include "storage/item_repository.hpp"
#include "storage/row_reader.hpp"
#include "storage/stock_ledger.hpp"

#include <algorithm>
#include <string_view>

namespace pillivery::storage {

using domain::Category;
using domain::Item;

namespace {

std::string JoinCodes(const std::vector<Category>& categories) {
  std::string out;
  for (auto c : categories) {
    if (!out.empty()) out += ',';
    out += domain::CodeOf(c);
  }
  return out;
}

void WriteCategories(soci::session& session, std::int64_t id, const std::vector<Category>& categories) {
  session << "DELETE FROM item_categories WHERE item_id = :id", soci::use(id);
  for (auto c : categories) {
    std::string code(domain::CodeOf(c));
    session << "INSERT INTO item_categories(category, item_id) VALUES(:c, :id)", soci::use(code), soci::use(id);
  }
}

constexpr const char* kInsertSql =
    "INSERT INTO items(product_name, enterprise, report_no, registered_date, distribution_period, shape, "
    "intake, main_function, caution, storage_method, standard, raw_materials, category_codes, origin_price, "
    "discount_rate, discount_price, real_price, stock, thumbnail_url, description_image_url, sales, views, "
    "review_count, star_sum, star_avg, status, created_at, updated_at, catalog_version) VALUES(:pn, :en, :rn, :rd, "
    ":dp, :sh, :in, :mf, :ca, :st, :sd, :rm, :cc, :op, :dr, :dpr, :rp, :stock, :th, :di, :sales, :views, :rc, :ss, "
    ":sa, :status, :ca2, :ua, :cv)";

// Inserts one item with a prepared statement's worth of bindings.
std::int64_t InsertOne(soci::session& session, Dialect dialect, const Item& item, long long version,
                       const std::string& now) {
  std::string categories =
      JoinCodes(item.categories.empty() ? domain::ClassifyMainFunction(item.main_function) : item.categories);
  long long origin = item.price.origin, rate = item.price.rate_tenths, discount = item.price.Discount(),
            real = item.price.Real(), stock = item.stock, sales = item.sales, views = item.views,
            rc = item.review_count, ss = item.star_sum;
  double star_avg = item.StarAvg();
  std::string status(domain::CodeOf(item.status));
  std::string created = item.created_at.empty() ? now : item.created_at;
  std::string updated = now;
  soci::indicator report_ind = item.report_no ? soci::i_ok : soci::i_null;
  std::string report = item.report_no.value_or("");
  session << kInsertSql, soci::use(item.product_name), soci::use(item.enterprise), soci::use(report, report_ind),
      soci::use(item.registered_date), soci::use(item.distribution_period), soci::use(item.shape),
      soci::use(item.intake), soci::use(item.main_function), soci::use(item.caution), soci::use(item.storage),
      soci::use(item.standard), soci::use(item.raw_materials), soci::use(categories), soci::use(origin),
      soci::use(rate), soci::use(discount), soci::use(real), soci::use(stock), soci::use(item.thumbnail_url),
      soci::use(item.description_image_url), soci::use(sales), soci::use(views), soci::use(rc), soci::use(ss),
      soci::use(star_avg), soci::use(status), soci::use(created), soci::use(updated), soci::use(version);
  std::int64_t id = LastInsertId(session, dialect);
  WriteCategories(session, id,
                  item.categories.empty() ? domain::ClassifyMainFunction(item.main_function) : item.categories);
  return id;
}

// The one unique index of items is report_no: a write that breaks it is the
// admin's conflict (409), not a server error.
template <class Write>
auto RejectDuplicateReport(Write write) -> decltype(write()) {
  try {
    return write();
  } catch (const soci::soci_error& error) {
    if (std::string_view(error.what()).find("report_no") == std::string_view::npos) throw;
    throw domain::Error(domain::ErrorCode::kReportNoTaken, "Another item has this report number.");
  }
}
}  // namespace

std::int64_t ItemRepository::Insert(const Item& item) {
  return RejectDuplicateReport([&] { return InsertRow(item); });
}

bool ItemRepository::Update(const Item& item) {
  return RejectDuplicateReport([&] { return UpdateRow(item); });
}

std::int64_t ItemRepository::InsertRow(const Item& item) {
  auto lease = db_.Acquire();
  Transaction tx(*lease, db_.GetDialect());
  std::int64_t id = InsertOne(*lease, db_.GetDialect(), item, NextCatalogVersion(*lease), Now());
  tx.Commit();
  return id;
}

void ItemRepository::InsertMany(const std::vector<Item>& items) {
  constexpr size_t kBatch = 1000;
  auto lease = db_.Acquire();
  for (size_t start = 0; start < items.size(); start += kBatch) {
    Transaction tx(*lease, db_.GetDialect());
    long long version = NextCatalogVersion(*lease);
    for (size_t i = start; i < std::min(items.size(), start + kBatch); ++i)
      InsertOne(*lease, db_.GetDialect(), items[i], version, Now());
    tx.Commit();
  }
}

UpsertCounts ItemRepository::UpsertPublicData(const std::vector<Item>& items) {
  UpsertCounts counts;
  auto lease = db_.Acquire();
  soci::session& session = *lease;
  Transaction tx(session, db_.GetDialect());
  long long version = NextCatalogVersion(session);
  for (const auto& incoming : items) {
    std::optional<long long> existing;
    if (incoming.report_no) {
      long long id = 0;
      soci::indicator ind = soci::i_null;
      session << std::string("SELECT id FROM items WHERE report_no = :r") + ForUpdate(db_.GetDialect()),
          soci::use(*incoming.report_no), soci::into(id, ind);
      if (session.got_data() && ind == soci::i_ok) existing = id;
    }
    if (!existing) {
      Item fresh = incoming;
      fresh.price = {};
      fresh.stock = 0;
      fresh.status = domain::ItemStatus::kHidden;  // until an admin prices it
      fresh.categories = domain::ClassifyMainFunction(fresh.main_function);
      InsertOne(session, db_.GetDialect(), fresh, version, Now());
      ++counts.inserted;
      continue;
    }
    auto categories = domain::ClassifyMainFunction(incoming.main_function);
    std::string codes = JoinCodes(categories);
    std::string updated = Now();
    session << "UPDATE items SET product_name = :pn, enterprise = :en, registered_date = :rd, "
               "distribution_period = :dp, shape = :sh, intake = :in, main_function = :mf, caution = :ca, "
               "storage_method = :st, standard = :sd, raw_materials = :rm, category_codes = :cc, updated_at = :ua, "
               "catalog_version = :cv WHERE id = :id",
        soci::use(incoming.product_name), soci::use(incoming.enterprise), soci::use(incoming.registered_date),
        soci::use(incoming.distribution_period), soci::use(incoming.shape), soci::use(incoming.intake),
        soci::use(incoming.main_function), soci::use(incoming.caution), soci::use(incoming.storage),
        soci::use(incoming.standard), soci::use(incoming.raw_materials), soci::use(codes), soci::use(updated),
        soci::use(version), soci::use(*existing);
    WriteCategories(session, *existing, categories);
    ++counts.updated;
  }
  tx.Commit();
  return counts;
}

bool ItemRepository::UpdateRow(const Item& item) {
  auto lease = db_.Acquire();
  soci::session& session = *lease;
  Transaction tx(session, db_.GetDialect());
  long long version = NextCatalogVersion(session);
  auto categories = item.categories.empty() ? domain::ClassifyMainFunction(item.main_function) : item.categories;
  std::string codes = JoinCodes(categories);
  long long origin = item.price.origin, rate = item.price.rate_tenths, discount = item.price.Discount(),
            real = item.price.Real(), id = item.id;
  std::string status(domain::CodeOf(item.status));
  std::string updated = Now();
  soci::indicator report_ind = item.report_no ? soci::i_ok : soci::i_null;
  std::string report = item.report_no.value_or("");
  soci::statement st =
      (session.prepare << "UPDATE items SET product_name = :pn, enterprise = :en, report_no = :rn, "
                          "registered_date = :rd, distribution_period = :dp, shape = :sh, intake = :in, "
                          "main_function = :mf, caution = :ca, storage_method = :st, standard = :sd, "
                          "raw_materials = :rm, category_codes = :cc, origin_price = :op, discount_rate = :dr, "
                          "discount_price = :dpr, real_price = :rp, thumbnail_url = :th, "
                          "description_image_url = :di, status = :status, updated_at = :ua, catalog_version = :cv "
                          "WHERE id = :id",
       soci::use(item.product_name), soci::use(item.enterprise), soci::use(report, report_ind),
       soci::use(item.registered_date), soci::use(item.distribution_period), soci::use(item.shape),
       soci::use(item.intake), soci::use(item.main_function), soci::use(item.caution), soci::use(item.storage),
       soci::use(item.standard), soci::use(item.raw_materials), soci::use(codes), soci::use(origin), soci::use(rate),
       soci::use(discount), soci::use(real), soci::use(item.thumbnail_url), soci::use(item.description_image_url),
       soci::use(status), soci::use(updated), soci::use(version), soci::use(id));
  st.execute(true);
  if (st.get_affected_rows() == 0) return false;
  StockLedger::Set(session, id, item.stock);  // a restock or correction, in the edit's transaction
  WriteCategories(session, id, categories);
  tx.Commit();
  return true;
}

}  // namespace pillivery::storage
