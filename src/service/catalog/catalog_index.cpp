#include "service/catalog/catalog_index.hpp"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <numeric>

namespace pillivery::service {

namespace {

using domain::ItemSort;

std::uint16_t Bit(domain::Category category) { return static_cast<std::uint16_t>(1u << static_cast<int>(category)); }

// The slot in domain::kAllCategories of the lowest category bit set.
std::size_t CategorySlot(unsigned bits) {
  static const auto kSlots = [] {
    std::array<std::uint8_t, 16> out{};
    for (std::size_t c = 0; c < std::size(domain::kAllCategories); ++c)
      out[static_cast<std::size_t>(domain::kAllCategories[c])] = static_cast<std::uint8_t>(c);
    return out;
  }();
  return kSlots[static_cast<std::size_t>(__builtin_ctz(bits))];
}

// a before b in the sort, exactly as ItemRepository's ORDER BY (ties by id).
bool Before(ItemSort sort, const CatalogIndex::Entry& a, const CatalogIndex::Entry& b) {
  auto desc = [&](auto x, auto y) { return x != y ? x > y : a.id > b.id; };
  auto asc = [&](auto x, auto y) { return x != y ? x < y : a.id < b.id; };
  switch (sort) {
    case ItemSort::kSales:
      return desc(a.sales, b.sales);
    case ItemSort::kNewest:
      return a.id > b.id;
    case ItemSort::kPriceAsc:
      return asc(a.real_price, b.real_price);
    case ItemSort::kPriceDesc:
      return desc(a.real_price, b.real_price);
    case ItemSort::kDiscountRateDesc:
      return desc(a.rate_tenths, b.rate_tenths);
    case ItemSort::kDiscountRateAsc:
      return asc(a.rate_tenths, b.rate_tenths);
    case ItemSort::kReviewCount:
      return desc(a.review_count, b.review_count);
    case ItemSort::kStar:
      return desc(a.star_avg, b.star_avg);
  }
  return a.id > b.id;
}

// The filters other than the keyword, resolved once per query.
struct Filter {
  std::uint16_t category = 0;  // 0: any
  std::int64_t brand = -1;     // -1: any
  std::int64_t min_price = INT64_MIN;
  std::int64_t max_price = INT64_MAX;
  int on_sale = -1;  // -1 any, 0 undiscounted, 1 discounted

  enum Fail : unsigned { kCategory = 1, kBrand = 2, kPrice = 4, kOnSale = 8 };
  unsigned Failures(const CatalogIndex::FilterKey& k, std::uint32_t brand_of) const {
    unsigned fails = 0;
    if (category && !(k.categories & category)) fails |= kCategory;
    if (brand != -1 && static_cast<std::int64_t>(brand_of) != brand) fails |= kBrand;
    if (k.real_price < min_price || k.real_price > max_price) fails |= kPrice;
    if (on_sale != -1 && k.discounted != on_sale) fails |= kOnSale;
    return fails;
  }
  // Everything but the brand (which a caller tests apart, when it is set).
  bool Keeps(const CatalogIndex::FilterKey& k) const {
    return (!category || (k.categories & category)) && k.real_price >= min_price && k.real_price <= max_price &&
           (on_sale == -1 || k.discounted == on_sale);
  }
};

}  // namespace

CatalogIndex::Entry CatalogIndex::EntryOf(const storage::CatalogRow& row) {
  const domain::Item& item = row.item;
  Entry e;
  e.id = item.id;
  e.texts =
      std::make_shared<const Texts>(Texts{item.product_name, item.enterprise, item.thumbnail_url, item.main_function});
  for (auto c : item.categories) e.categories |= Bit(c);
  e.rate_tenths = item.price.rate_tenths;
  e.origin_price = item.price.origin;
  e.real_price = item.price.Real();
  e.stock = item.stock;
  e.sales = item.sales;
  e.review_count = item.review_count;
  e.star_sum = item.star_sum;
  e.star_avg = row.star_avg;
  return e;
}

domain::Item CatalogIndex::ItemOf(const Entry& e) {
  domain::Item item;
  item.id = e.id;
  item.product_name = e.texts->name;
  item.enterprise = e.texts->brand;
  item.thumbnail_url = e.texts->thumbnail;
  item.main_function = e.texts->main_function;
  for (auto c : domain::kAllCategories)
    if (e.categories & Bit(c)) item.categories.push_back(c);
  item.price = {e.origin_price, e.rate_tenths};
  item.stock = e.stock;
  item.sales = e.sales;
  item.review_count = e.review_count;
  item.star_sum = e.star_sum;
  item.status = domain::ItemStatus::kOnSale;
  return item;
}

CatalogIndex::CatalogIndex(std::vector<Entry> entries, std::int64_t version,
                           std::shared_ptr<const KeywordPostings> keywords)
    : entries_(std::move(entries)), version_(version), keywords_(std::move(keywords)) {
  std::sort(entries_.begin(), entries_.end(), [](const Entry& a, const Entry& b) { return a.id < b.id; });
  entries_.shrink_to_fit();
  const auto n = static_cast<std::uint32_t>(entries_.size());
  if (!keywords_ || keywords_->Size() != n) {
    std::vector<std::string> texts;
    texts.reserve(n);
    for (const auto& e : entries_) texts.push_back(FoldAsciiCase(e.texts->name + "\n" + e.texts->brand));
    keywords_ = std::make_shared<const KeywordPostings>(std::move(texts));
  }
  brand_of_.resize(n);
  keys_.resize(n);
  for (std::uint32_t p = 0; p < n; ++p) {
    const Entry& e = entries_[p];
    // Clamped: every price a filter can ask for is at most 1,000,000,000, so the answers do not change.
    auto price = static_cast<std::int32_t>(std::clamp<std::int64_t>(e.real_price, INT32_MIN, INT32_MAX));
    keys_[p] = {price, e.categories, static_cast<std::uint8_t>(e.rate_tenths > 0)};
  }
  price_band_of_.resize(n);
  for (std::uint32_t p = 0; p < n; ++p)
    price_band_of_[p] = static_cast<std::uint8_t>(domain::PriceBandOf(entries_[p].real_price));
  for (std::uint32_t p = 0; p < n; ++p) {
    const std::string& brand = entries_[p].texts->brand;
    auto [it, added] = brand_ids_.try_emplace(brand, static_cast<std::uint32_t>(brand_names_.size()));
    if (added) {
      brand_names_.push_back(brand);
      brand_positions_.emplace_back();
    }
    brand_of_[p] = it->second;
    brand_positions_[it->second].push_back(p);
  }
  for (std::size_t s = 0; s < kSorts; ++s) {
    auto sort = static_cast<ItemSort>(s);
    Positions& order = orders_[s];
    order.resize(n);
    std::iota(order.begin(), order.end(), 0u);
    std::sort(order.begin(), order.end(),
              [&](std::uint32_t a, std::uint32_t b) { return Before(sort, entries_[a], entries_[b]); });
    ranks_[s].resize(n);
    sorted_keys_[s].resize(n);
    for (std::uint32_t r = 0; r < n; ++r) {
      ranks_[s][order[r]] = r;
      sorted_keys_[s][r] = keys_[order[r]];
    }
    for (std::size_t c = 0; c < kCategories; ++c) {
      auto bit = Bit(domain::kAllCategories[c]);
      Positions& in_category = category_orders_[c][s];
      for (auto p : order)
        if (entries_[p].categories & bit) in_category.push_back(p);
      in_category.shrink_to_fit();
    }
  }
}

std::int64_t CatalogIndex::BrandId(const std::optional<std::string>& brand) const {
  if (!brand) return -1;
  auto it = brand_ids_.find(*brand);
  return it == brand_ids_.end() ? -2 : static_cast<std::int64_t>(it->second);
}

std::shared_ptr<const CatalogIndex::KeywordMatch> CatalogIndex::KeywordPositions(const std::string& keyword) const {
  std::string folded = FoldAsciiCase(keyword);
  {
    std::lock_guard lock(memo_mutex_);
    if (auto it = memo_.find(folded); it != memo_.end()) return it->second;
  }
  auto matched = keywords_->Match(folded);
  auto match = std::make_shared<KeywordMatch>();
  if (matched) match->positions = std::move(*matched);
  if (folded.find('\n') != std::string::npos) {
    // The postings' text is "name\nbrand": a keyword with a line break could
    // match across the two, which the SQL path (name OR brand) never does.
    std::erase_if(match->positions, [&](std::uint32_t p) {
      return FoldAsciiCase(entries_[p].texts->name).find(folded) == std::string::npos &&
             FoldAsciiCase(entries_[p].texts->brand).find(folded) == std::string::npos;
    });
  }
  match->bits.assign((entries_.size() + 63) / 64, 0);
  for (auto p : match->positions) match->bits[p >> 6] |= std::uint64_t{1} << (p & 63);
  // Counted as positions plus bits, in 4-byte units.
  std::size_t weight = match->positions.size() + match->bits.size() * 2;
  std::lock_guard lock(memo_mutex_);
  if (memo_.size() >= kMaxMemo || memo_positions_ + weight > kMaxMemoPositions) {
    memo_.clear();
    memo_positions_ = 0;
  }
  if (weight <= kMaxMemoPositions && memo_.emplace(std::move(folded), match).second) memo_positions_ += weight;
  return match;
}

std::string CatalogIndex::FilterSetKey(const domain::ItemQuery& query) {
  std::string key;
  key += query.category ? std::to_string(static_cast<int>(*query.category)) : "-";
  key += '|';
  key += query.min_price ? std::to_string(*query.min_price) : "-";
  key += '|';
  key += query.max_price ? std::to_string(*query.max_price) : "-";
  key += '|';
  key += query.on_sale ? (*query.on_sale ? "1" : "0") : "-";
  key += '|';
  if (query.brand) key += *query.brand;  // a brand holds no line break; the keyword follows one
  key += '\n';
  if (query.keyword)
    key += FoldAsciiCase(*query.keyword);
  else
    key += '\0';  // "no keyword" apart from an empty one
  return key;
}

std::optional<std::int64_t> CatalogIndex::MemoTotal(const std::string& key) const {
  std::lock_guard lock(totals_mutex_);
  if (auto it = totals_.find(key); it != totals_.end()) return it->second;
  return std::nullopt;
}

void CatalogIndex::RememberTotal(const std::string& key, std::int64_t total) const {
  std::lock_guard lock(totals_mutex_);
  if (totals_.size() >= kMaxFilterSets) totals_.clear();
  totals_.emplace(key, total);
}

storage::ItemPage CatalogIndex::Search(const domain::ItemQuery& query) const {
  storage::ItemPage page;
  const auto sort = static_cast<std::size_t>(query.sort);
  Filter filter;
  if (query.category) filter.category = Bit(*query.category);
  filter.brand = BrandId(query.brand);
  if (filter.brand == -2) return page;  // no item has that brand
  if (query.min_price) filter.min_price = *query.min_price;
  if (query.max_price) filter.max_price = *query.max_price;
  if (query.on_sale) filter.on_sale = *query.on_sale ? 1 : 0;
  std::shared_ptr<const KeywordMatch> keyword;
  if (query.keyword) keyword = KeywordPositions(*query.keyword);
  const bool by_brand = filter.brand >= 0;
  auto keeps = [&](std::uint32_t p, const FilterKey& key) {
    return filter.Keeps(key) && (!by_brand || brand_of_[p] == static_cast<std::uint32_t>(filter.brand)) &&
           (!keyword || keyword->Has(p));
  };

  // The presorted walk, unless an unsorted source is much smaller.
  const Positions& sorted =
      query.category ? category_orders_[static_cast<std::size_t>(*query.category)][sort] : orders_[sort];
  bool unsorted = false;  // a source other than the presorted order was found
  const std::uint32_t* begin = nullptr;
  const std::uint32_t* end = nullptr;
  auto consider = [&](const std::uint32_t* b, const std::uint32_t* e) {
    if (!unsorted || e - b < end - begin) {
      unsorted = true;
      begin = b;
      end = e;
    }
  };
  if (keyword) consider(keyword->positions.data(), keyword->positions.data() + keyword->positions.size());
  if (by_brand) {
    const auto& positions = brand_positions_[static_cast<std::size_t>(filter.brand)];
    consider(positions.data(), positions.data() + positions.size());
  }
  if (query.min_price || query.max_price) {
    // The price range is one slice of the ascending price order.
    const Positions& by_price = orders_[static_cast<std::size_t>(ItemSort::kPriceAsc)];
    auto lo = std::partition_point(by_price.begin(), by_price.end(),
                                   [&](std::uint32_t p) { return keys_[p].real_price < filter.min_price; });
    auto hi = std::partition_point(lo, by_price.end(),
                                   [&](std::uint32_t p) { return keys_[p].real_price <= filter.max_price; });
    consider(by_price.data() + (lo - by_price.begin()), by_price.data() + (hi - by_price.begin()));
  }
  const auto offset = static_cast<std::size_t>(query.page.Offset());
  const auto size = static_cast<std::size_t>(query.page.size);
  std::vector<std::uint32_t> chosen;
  // Sorting k candidates costs about k log k; walking the sorted list costs its length.
  if (unsorted && static_cast<std::size_t>(end - begin) * 4 < sorted.size()) {
    // The matches' ranks in the sort, sorted as plain integers (one lookup
    // each, instead of two per comparison), then turned back into positions.
    std::vector<std::uint32_t> matches;
    const Positions& rank = ranks_[sort];
    for (auto it = begin; it != end; ++it) {
      if (end - it > 8) __builtin_prefetch(&keys_[it[8]]);
      if (keeps(*it, keys_[*it])) matches.push_back(rank[*it]);
    }
    page.total = static_cast<std::int64_t>(matches.size());
    if (offset < matches.size()) {
      auto stop = std::min(matches.size(), offset + size);
      auto last = matches.begin() + static_cast<std::ptrdiff_t>(stop);
      if (last != matches.end()) std::nth_element(matches.begin(), last - 1, matches.end());
      std::sort(matches.begin(), last);
      const Positions& order = orders_[sort];
      for (auto it = matches.begin() + static_cast<std::ptrdiff_t>(offset); it != last; ++it)
        chosen.push_back(order[*it]);
    }
  } else {
    // A known total lets the walk stop at the page's last item.
    const std::string key = FilterSetKey(query);
    const std::optional<std::int64_t> known = MemoTotal(key);
    // (Or at the last match, when the page is the last one or past it.)
    const std::size_t stop = known ? std::min(offset + size, static_cast<std::size_t>(*known)) : SIZE_MAX;
    std::size_t total = 0;
    auto take = [&](std::uint32_t p) {
      if (total >= offset && total < offset + size) chosen.push_back(p);
      ++total;
    };
    if (query.category) {
      for (auto it = sorted.begin(); it != sorted.end() && total < stop; ++it) {
        if (sorted.end() - it > 8) __builtin_prefetch(&keys_[it[8]]);  // keys_ is read out of order here
        if (keeps(*it, keys_[*it])) take(*it);
      }
    } else {
      // The whole catalog in this order: its keys lie in the same order.
      const auto& keys = sorted_keys_[sort];
      for (std::size_t i = 0; i < sorted.size() && total < stop; ++i)
        if (keeps(sorted[i], keys[i])) take(sorted[i]);
    }
    if (known) {
      page.total = *known;
    } else {
      page.total = static_cast<std::int64_t>(total);
      RememberTotal(key, page.total);
    }
  }
  page.items.reserve(chosen.size());
  for (auto p : chosen) page.items.push_back(ItemOf(entries_[p]));
  return page;
}

domain::ItemFacets CatalogIndex::Facets(const domain::ItemQuery& query) const {
  const std::string key = FilterSetKey(query);
  {
    std::lock_guard lock(totals_mutex_);
    if (auto it = facets_.find(key); it != facets_.end()) return *it->second;
  }
  Filter filter;
  if (query.category) filter.category = Bit(*query.category);
  std::int64_t brand = BrandId(query.brand);
  // An unknown brand matches nothing: every position fails the brand filter.
  filter.brand = brand == -2 ? static_cast<std::int64_t>(brand_names_.size()) : brand;
  if (query.min_price) filter.min_price = *query.min_price;
  if (query.max_price) filter.max_price = *query.max_price;
  if (query.on_sale) filter.on_sale = *query.on_sale ? 1 : 0;

  std::array<std::int64_t, kCategories> categories{};
  std::vector<std::int64_t> brands(brand_names_.size(), 0);
  std::vector<std::int64_t> bands(domain::PriceBands().size(), 0);
  auto count = [&](std::uint32_t p) {
    const FilterKey& k = keys_[p];
    unsigned fails = filter.Failures(k, brand_of_[p]);
    if ((fails & ~Filter::kCategory) == 0)
      for (unsigned bits = k.categories; bits != 0; bits &= bits - 1) ++categories[CategorySlot(bits)];
    if ((fails & ~Filter::kBrand) == 0) ++brands[brand_of_[p]];
    if ((fails & ~Filter::kPrice) == 0) ++bands[price_band_of_[p]];
  };
  if (query.keyword) {
    for (auto p : KeywordPositions(*query.keyword)->positions) count(p);
  } else {
    for (std::uint32_t p = 0; p < entries_.size(); ++p) count(p);
  }

  domain::ItemFacets facets;
  for (std::size_t c = 0; c < kCategories; ++c)
    facets.categories.emplace_back(domain::kAllCategories[c], categories[c]);
  for (std::size_t b = 0; b < brands.size(); ++b)
    if (brands[b] > 0) facets.brands.emplace_back(brand_names_[b], brands[b]);
  domain::KeepTopBrands(facets.brands);
  const auto& price_bands = domain::PriceBands();
  for (std::size_t i = 0; i < price_bands.size(); ++i) facets.price_bands.emplace_back(price_bands[i], bands[i]);
  std::lock_guard lock(totals_mutex_);
  if (facets_.size() >= kMaxFacetSets) facets_.clear();
  facets_.emplace(key, std::make_shared<const domain::ItemFacets>(facets));
  return facets;
}

std::size_t CatalogIndex::MemoryBytes() const {
  auto heap = [](const std::string& s) { return s.capacity() > 15 ? s.capacity() + 1 : 0; };
  std::size_t bytes = entries_.capacity() * sizeof(Entry) + brand_of_.capacity() * 4 +
                      keys_.capacity() * sizeof(FilterKey) + price_band_of_.capacity();
  for (const auto& e : entries_)  // the texts with their shared_ptr control block
    bytes += sizeof(Texts) + 16 + heap(e.texts->name) + heap(e.texts->brand) + heap(e.texts->thumbnail) +
             heap(e.texts->main_function);
  for (std::size_t b = 0; b < brand_names_.size(); ++b)
    bytes += sizeof(std::string) + heap(brand_names_[b]) + brand_positions_[b].capacity() * 4 + sizeof(Positions) +
             // the brand_ids_ node: key, value and bucket
             sizeof(std::string) + heap(brand_names_[b]) + 32;
  for (std::size_t s = 0; s < kSorts; ++s) {
    bytes += (orders_[s].capacity() + ranks_[s].capacity()) * 4 + sorted_keys_[s].capacity() * sizeof(FilterKey);
    for (std::size_t c = 0; c < kCategories; ++c) bytes += category_orders_[c][s].capacity() * 4;
  }
  return bytes + keywords_->MemoryBytes();
}

}  // namespace pillivery::service
