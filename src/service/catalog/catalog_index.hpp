#pragma once
// The visible catalog in memory, answering every GET /api/items search (every
// filter, every sort, exact totals, the same pages as the SQL path) and its
// facet counts without the database. Pure logic over an immutable snapshot:
// CatalogIndexRefresher (catalog_index_refresher.hpp) builds a new one from
// the database's change feed and swaps it in; searches on the old one finish
// undisturbed.
//
// Layout: items by id ascending (a "position" is an index into them); for
// each sort the positions in that order (with the id tie-break of the SQL
// path) and each position's rank in it; the same orders per category; the
// positions of each brand; the code-point bigram postings of name and brand
// (service::KeywordPostings, what the keyword index uses). A search starts
// from the smallest of: the keyword's candidates, the brand's positions, the
// price range's slice of the price order, or the (category's) presorted
// order, and filters from there.
#include "domain/item.hpp"
#include "domain/item_facets.hpp"
#include "domain/item_query.hpp"
#include "service/catalog/keyword_index.hpp"
#include "storage/item_repository.hpp"

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace pillivery::service {

class CatalogIndex {
 public:
  // What the index keeps of an item (the summary fields and sort keys).
  // The texts of an item, shared between the snapshots that hold it (a
  // statistics refresh copies entries, not strings).
  struct Texts {
    std::string name;
    std::string brand;
    std::string thumbnail;
    std::string main_function;
  };
  struct Entry {
    std::int64_t id = 0;
    std::shared_ptr<const Texts> texts;
    std::uint16_t categories = 0;  // bit per domain::Category
    int rate_tenths = 0;
    std::int64_t origin_price = 0;
    std::int64_t real_price = 0;
    std::int64_t stock = 0;
    std::int64_t sales = 0;
    std::int64_t review_count = 0;
    std::int64_t star_sum = 0;
    double star_avg = 0;
  };
  static Entry EntryOf(const storage::CatalogRow& row);
  static domain::Item ItemOf(const Entry& entry);

  // entries: the visible items, any order. keywords: postings of an index
  // with the same items and texts, reused (a statistics-only rebuild).
  CatalogIndex(std::vector<Entry> entries, std::int64_t version,
               std::shared_ptr<const KeywordPostings> keywords = nullptr);

  // The same page and total as ItemRepository::Search (query.include_hidden
  // is not served here: the index holds visible items only).
  storage::ItemPage Search(const domain::ItemQuery& query) const;
  domain::ItemFacets Facets(const domain::ItemQuery& query) const;

  const std::vector<Entry>& Entries() const { return entries_; }  // by id ascending
  const std::shared_ptr<const KeywordPostings>& Keywords() const { return keywords_; }
  std::int64_t Version() const { return version_; }  // the catalog version it has read up to
  std::size_t Size() const { return entries_.size(); }
  std::size_t MemoryBytes() const;  // approximate heap use

 private:
  static constexpr std::size_t kSorts = 8;
  static constexpr std::size_t kCategories = std::size(domain::kAllCategories);
  using Positions = std::vector<std::uint32_t>;

 public:
  // What the filters test, 8 bytes an item: a walk of 40k reads 320 KB
  // sequentially instead of 40k scattered entries.
  struct FilterKey {
    std::int32_t real_price = 0;  // ≤ 1,000,000,000 (the admin and import limits)
    std::uint16_t categories = 0;
    std::uint8_t discounted = 0;
  };

 private:
  // The items whose name or brand contains a keyword: ascending, and as bits.
  struct KeywordMatch {
    Positions positions;
    std::vector<std::uint64_t> bits;
    bool Has(std::uint32_t p) const { return (bits[p >> 6] >> (p & 63)) & 1u; }
  };
  std::shared_ptr<const KeywordMatch> KeywordPositions(const std::string& keyword) const;
  // What a total and the facets depend on: the filters, not the sort or the page.
  static std::string FilterSetKey(const domain::ItemQuery& query);
  std::optional<std::int64_t> MemoTotal(const std::string& key) const;
  void RememberTotal(const std::string& key, std::int64_t total) const;
  std::int64_t BrandId(const std::optional<std::string>& brand) const;  // -1: none given, -2: unknown brand

  std::vector<Entry> entries_;
  std::int64_t version_;
  std::shared_ptr<const KeywordPostings> keywords_;
  std::vector<std::uint32_t> brand_of_;                     // per position: index into brand_names_
  std::vector<FilterKey> keys_;                             // per position
  std::vector<std::uint8_t> price_band_of_;                 // per position: index into domain::PriceBands()
  std::array<std::vector<FilterKey>, kSorts> sorted_keys_;  // keys_ in the order of orders_[sort]
  std::vector<std::string> brand_names_;
  std::vector<Positions> brand_positions_;  // per brand, ascending
  std::unordered_map<std::string, std::uint32_t> brand_ids_;
  std::array<Positions, kSorts> orders_;
  std::array<Positions, kSorts> ranks_;  // ranks_[sort][position]: place in orders_[sort]
  std::array<std::array<Positions, kSorts>, kCategories> category_orders_;

  mutable std::mutex memo_mutex_;
  mutable std::unordered_map<std::string, std::shared_ptr<const KeywordMatch>> memo_;
  mutable std::size_t memo_positions_ = 0;  // held by memo_, so it stays small whatever is asked
  static constexpr std::size_t kMaxMemo = 4096;
  static constexpr std::size_t kMaxMemoPositions = 1 << 20;  // 4 MiB
  // Totals and facets per filter set, for this snapshot only (a change builds
  // a new index): with the total known, a page walk stops at its last item
  // instead of counting the whole catalog in that order.
  mutable std::mutex totals_mutex_;
  mutable std::unordered_map<std::string, std::int64_t> totals_;
  mutable std::unordered_map<std::string, std::shared_ptr<const domain::ItemFacets>> facets_;
  static constexpr std::size_t kMaxFilterSets = 8192;  // ~1 MiB of totals
  static constexpr std::size_t kMaxFacetSets = 512;    // ~1 MiB of facets
};

}  // namespace pillivery::service
