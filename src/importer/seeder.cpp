#include "importer/seeder.hpp"

#include "infra/clock.hpp"
#include "infra/log.hpp"
#include "storage/item_repository.hpp"
#include "storage/row_reader.hpp"
#include "storage/stock_ledger.hpp"

#include <chrono>
#include <cstdio>
#include <map>
#include <string_view>

namespace pillivery::importer {
namespace {

using domain::Item;

std::uint64_t SplitMix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// Keeps the pricer's draws independent of the generator's for the same numbers.
constexpr std::uint64_t kPricingSalt = 0x5052494345ULL;  // "PRICE"

// FNV-1a: a portable hash of the report number (std::hash is not portable).
std::uint64_t Fnv1a(std::string_view text) {
  std::uint64_t h = 0xCBF29CE484222325ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001B3ULL;
  }
  return h;
}

struct Ingredient {
  std::string_view name;      // as in product names
  std::string_view material;  // 기능성 원료, shown as "[...]" before the function
  std::string_view function;  // 주된 기능성: carries the category keywords
  std::vector<std::string_view> forms;
};

// Every category has ingredients whose function text contains its keyword (ETC:
// none), so a seeded catalog fills every category. Texts avoid accidental
// keywords (e.g. words containing 간 or 장).
const std::vector<Ingredient>& Ingredients() {
  static const std::vector<Ingredient> kList = {
      {"루테인",
       "마리골드꽃추출물",
       "노화로 인해 감소될 수 있는 황반색소밀도를 유지하여 눈 건강에 도움을 줄 수 있음",
       {"캡슐", "연질캡슐", "정"}},
      {"루테인 지아잔틴",
       "마리골드꽃추출물",
       "노화로 인해 감소될 수 있는 황반색소밀도를 유지하여 눈 건강에 도움을 줄 수 있음",
       {"연질캡슐", "캡슐"}},
      {"아스타잔틴", "헤마토코쿠스추출물", "눈의 피로도 개선에 도움을 줄 수 있음", {"연질캡슐"}},
      {"밀크씨슬", "밀크씨슬추출물", "간 건강에 도움을 줄 수 있음", {"캡슐", "정"}},
      {"헛개나무",
       "헛개나무과병추출분말",
       "알코올성 손상으로부터 간을 보호하는데 도움을 줄 수 있음",
       {"환", "액", "스틱"}},
      {"프로바이오틱스",
       "프로바이오틱스",
       "유산균 증식 및 유해균 억제, 배변활동 원활에 도움을 줄 수 있음",
       {"캡슐", "분말", "스틱"}},
      {"알로에", "알로에 전잎", "배변활동 원활에 도움을 줄 수 있음", {"정", "젤리"}},
      {"차전자피", "차전자피식이섬유", "배변활동 원활, 혈중 콜레스테롤 개선에 도움을 줄 수 있음", {"분말", "스틱"}},
      {"칼슘 마그네슘",
       "해조칼슘, 산화마그네슘",
       "뼈와 치아 형성에 필요, 신경과 근육 기능 유지에 필요, 골다공증 발생 위험 감소에 도움을 줌",
       {"정"}},
      {"비타민D", "비타민D", "칼슘과 인이 흡수되고 이용되는데 필요, 뼈의 형성과 유지에 필요", {"연질캡슐", "정"}},
      {"포스파티딜세린", "포스파티딜세린", "노화로 인해 저하된 인지력 개선에 도움을 줄 수 있음", {"연질캡슐", "캡슐"}},
      {"은행잎", "은행잎추출물", "기억력 개선, 혈액순환 개선에 도움을 줄 수 있음", {"정", "캡슐"}},
      {"콜라겐", "저분자콜라겐펩타이드", "피부 보습에 도움을 줄 수 있음", {"분말", "스틱", "정", "젤리"}},
      {"히알루론산", "히알루론산", "피부 보습에 도움을 줄 수 있음", {"정", "캡슐"}},
      {"비타민C", "비타민C", "항산화에 필요, 결합조직 형성과 기능유지에 필요", {"정", "분말"}},
      {"코엔자임Q10", "코엔자임Q10", "항산화, 높은 혈압 감소에 도움을 줄 수 있음", {"연질캡슐", "캡슐"}},
      {"프로폴리스", "프로폴리스추출물", "항산화, 구강에서의 항균작용에 도움을 줄 수 있음", {"캡슐", "액"}},
      {"비타민B 컴플렉스", "비타민B1, 비타민B2, 비타민B6", "에너지 생성에 필요, 피로 개선에 도움을 줄 수 있음", {"정"}},
      {"홍삼",
       "홍삼농축액",
       "면역력 증진, 피로개선, 혈소판 응집억제를 통한 혈액흐름, 기억력 개선에 도움을 줄 수 있음",
       {"스틱", "액", "정", "환"}},
      {"아연", "산화아연", "정상적인 면역기능에 필요, 정상적인 세포분열에 필요", {"정"}},
      {"멀티비타민", "비타민 및 무기질", "정상적인 면역기능에 필요, 에너지 생성에 필요, 항산화에 필요", {"정", "캡슐"}},
      {"오메가3", "EPA 및 DHA 함유 유지", "혈중 중성지질 개선, 혈행 개선에 도움을 줄 수 있음", {"연질캡슐"}},
      {"크릴오일", "크릴오일", "혈중 중성지질 개선에 도움을 줄 수 있음", {"연질캡슐"}},
      {"가르시니아",
       "가르시니아캄보지아 껍질추출물",
       "탄수화물이 지방으로 합성되는 것을 억제하여 체지방 감소에 도움을 줄 수 있음",
       {"정", "캡슐"}},
      {"쏘팔메토", "쏘팔메토 열매추출물", "전립선 건강의 유지에 도움을 줄 수 있음", {"연질캡슐"}},
  };
  return kList;
}

struct Form {
  std::string_view word;             // in the product name
  std::string_view shape;            // 제품형태
  std::string_view unit;             // 1회 N{unit}
  std::string_view object_particle;  // 을/를 after the unit
};

const Form& FormOf(std::string_view word) {
  static const std::vector<Form> kForms = {
      {"캡슐", "캡슐", "캡슐", "을"}, {"연질캡슐", "캡슐", "캡슐", "을"}, {"정", "정제", "정", "을"},
      {"분말", "분말", "포", "를"},   {"스틱", "분말", "포", "를"},       {"젤리", "젤리", "개", "를"},
      {"액", "액상", "병", "을"},     {"환", "환", "환", "을"},
  };
  for (const auto& f : kForms)
    if (f.word == word) return f;
  return kForms.front();
}

const std::vector<std::string_view> kBrands = {"종근당건강", "뉴트리원", "솔가",       "고려은단",       "한국인삼공사",
                                               "닥터린",     "일양약품", "뉴트리코어", "GNM자연의품격",  "대웅제약",
                                               "유한양행",   "동국제약", "CJ웰케어",   "풀무원건강생활", "안국건강",
                                               "에버그린",   "락토핏",   "hy",         "셀렉스",         "나우푸드"};
const std::vector<std::string_view> kVariants = {"",          "",      "",        " 플러스", " 골드",
                                                 " 프리미엄", " 맥스", " 데일리", " 트리플", " 포르테",
                                                 " 1000",     " 365",  " 에센셜", " 파워"};
const std::vector<std::string_view> kExcipients = {
    "결정셀룰로스", "스테아린산마그네슘", "이산화규소", "히드록시프로필메틸셀룰로스", "덱스트린", "젤라틴", "글리세린",
    "대두유",       "말토덱스트린",       "구연산"};
const std::vector<std::string_view> kCautions = {
    "알레르기 체질 등은 개인에 따라 과민반응을 나타낼 수 있으므로 원료를 확인한 후 섭취하십시오.",
    "임산부, 수유부 및 어린이는 섭취에 주의하십시오.", "질환이 있거나 의약품 복용 시 전문가와 상담하십시오.",
    "이상 사례 발생 시 섭취를 중단하고 전문가와 상담하십시오.", "과다 섭취 시 위장 불편감이 나타날 수 있습니다."};
const std::vector<std::string_view> kStorage = {
    "직사광선을 피하고 서늘하고 건조한 곳에 보관하십시오.", "습기와 열을 피해 실온에서 보관하십시오.",
    "어린이의 손이 닿지 않는 곳에 보관하고, 개봉 후에는 뚜껑을 꼭 닫아 보관하십시오."};
const std::vector<int> kShelfMonths = {12, 18, 24, 24, 24, 36};
// Common store discounts, in tenths of a percent.
const std::vector<int> kCommonRates = {50, 100, 100, 150, 200, 200, 250, 300, 350, 400, 500};

std::string Join(const std::vector<std::string_view>& parts, std::string_view separator) {
  std::string out;
  for (auto p : parts) {
    if (!out.empty()) out += separator;
    out += p;
  }
  return out;
}

// `count` distinct picks, in a deterministic order (partial Fisher–Yates).
std::vector<std::string_view> PickDistinct(SeedRandom& random, const std::vector<std::string_view>& values,
                                           std::size_t count) {
  std::vector<std::string_view> pool = values;
  count = std::min(count, pool.size());
  for (std::size_t i = 0; i < count; ++i) {
    auto j = static_cast<std::size_t>(
        random.Between(static_cast<std::int64_t>(i), static_cast<std::int64_t>(pool.size()) - 1));
    std::swap(pool[i], pool[j]);
  }
  pool.resize(count);
  return pool;
}

std::string DateFromDays(std::int64_t days_since_epoch) {
  std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{days_since_epoch}}};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return text;
}

struct Pricing {
  domain::Price price;
  std::int64_t stock = 0;
};

// 5,000–120,000 won in steps of 100, most between 15,000 and 50,000; about
// 45% undiscounted; about 4% sold out.
Pricing RandomPricing(SeedRandom& random) {
  Pricing p;
  std::int64_t band = random.Between(0, 999);
  if (band < 150)
    p.price.origin = random.Between(50, 150) * 100;
  else if (band < 800)
    p.price.origin = random.Between(150, 500) * 100;
  else
    p.price.origin = random.Between(500, 1200) * 100;
  std::int64_t discount = random.Between(0, 999);
  if (discount < 450)
    p.price.rate_tenths = 0;
  else if (discount < 900)
    p.price.rate_tenths = random.Pick(kCommonRates);
  else
    p.price.rate_tenths = static_cast<int>(random.Between(1, 500));
  p.stock = random.Chance(40) ? 0 : random.Between(1, 500);
  return p;
}

}  // namespace

SeedRandom::SeedRandom(std::uint64_t seed, std::uint64_t stream)
    : engine_(SplitMix64(SplitMix64(seed) ^ SplitMix64(stream + 0x632BE59BD9B4E019ULL))) {}

std::int64_t SeedRandom::Between(std::int64_t low, std::int64_t high) {
  if (high <= low) return low;
  const std::uint64_t range = static_cast<std::uint64_t>(high - low) + 1;
  // Reject the few lowest values that would make `x % range` uneven.
  const std::uint64_t threshold = (0 - range) % range;
  std::uint64_t x = engine_();
  while (x < threshold) x = engine_();
  return low + static_cast<std::int64_t>(x % range);
}

bool SeedRandom::Chance(int per_mille) { return Between(0, 999) < per_mille; }

std::string SyntheticReportNo(std::uint64_t seed, std::int64_t n) {
  char text[24];
  std::snprintf(text, sizeof text, "9%04llu%010lld", static_cast<unsigned long long>(seed % 10000),
                static_cast<long long>(n % 10'000'000'000LL));
  return text;
}

Item GenerateItem(std::uint64_t seed, std::int64_t n) {
  SeedRandom random(seed, static_cast<std::uint64_t>(n));
  const Ingredient& ingredient = random.Pick(Ingredients());
  std::string_view brand = random.Pick(kBrands);
  std::string_view variant = random.Pick(kVariants);
  const Form& form = FormOf(random.Pick(ingredient.forms));

  Item item;
  item.product_name =
      std::string(brand) + " " + std::string(ingredient.name) + std::string(variant) + " " + std::string(form.word);
  item.enterprise = std::string(brand);
  item.report_no = SyntheticReportNo(seed, n);
  // 2005-01-01 .. 2025-12-31
  item.registered_date = DateFromDays(random.Between(12'784, 20'453));
  item.distribution_period = "제조일로부터 " + std::to_string(random.Pick(kShelfMonths)) + "개월";
  item.shape = std::string(form.shape);
  item.intake = "1일 " + std::to_string(random.Between(1, 3)) + "회, 1회 " + std::to_string(random.Between(1, 2)) +
                std::string(form.unit) + std::string(form.object_particle) + " 물과 함께 섭취하십시오.";
  item.main_function = "[" + std::string(ingredient.material) + "]\n" + std::string(ingredient.function);
  item.caution = Join(PickDistinct(random, kCautions, static_cast<std::size_t>(random.Between(1, 3))), "\n");
  item.storage = std::string(random.Pick(kStorage));
  item.standard = "1. 성상: 고유의 향미가 있고 이미, 이취가 없는 " + std::string(form.shape) +
                  "\n2. 납(mg/kg): 1.0 이하\n3. 대장균군: 음성";
  std::vector<std::string_view> raw{ingredient.material};
  for (auto e : PickDistinct(random, kExcipients, static_cast<std::size_t>(random.Between(2, 4)))) raw.push_back(e);
  item.raw_materials = Join(raw, ", ");
  item.categories = domain::ClassifyMainFunction(item.main_function);

  Pricing pricing = RandomPricing(random);
  item.price = pricing.price;
  item.stock = pricing.stock;

  // A long tail: most items sell little, a few sell a lot.
  std::int64_t popularity = random.Between(0, 999);
  if (popularity < 600)
    item.sales = random.Between(0, 100);
  else if (popularity < 920)
    item.sales = random.Between(100, 1'000);
  else
    item.sales = random.Between(1'000, 20'000);
  item.views = item.sales * random.Between(5, 40) + random.Between(0, 500);
  item.review_count = item.sales * random.Between(0, 30) / 100;
  // Averages between 3.0 and 5.0, as a sum of whole stars.
  item.star_sum = item.review_count * 3 + random.Between(0, item.review_count * 2);

  // No stored image: the store serves the item's generated packshot (/images/items/{id}.svg).
  item.thumbnail_url.clear();
  item.description_image_url.clear();
  item.status = domain::ItemStatus::kOnSale;
  return item;
}

std::int64_t SeedCatalog(storage::ItemRepository& repository, const SeedOptions& options) {
  constexpr std::int64_t kBatch = 1000;
  auto started = std::chrono::steady_clock::now();
  std::vector<Item> batch;
  batch.reserve(kBatch);
  std::int64_t written = 0;
  for (std::int64_t i = 0; i < options.items; ++i) {
    batch.push_back(GenerateItem(options.seed, options.first_number + i));
    if (static_cast<std::int64_t>(batch.size()) == kBatch || i + 1 == options.items) {
      repository.InsertMany(batch);
      written += static_cast<std::int64_t>(batch.size());
      batch.clear();
    }
  }
  auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  infra::LogInfo("seed.catalog.done", {{"items", written},
                                       {"seed", static_cast<std::int64_t>(options.seed)},
                                       {"elapsed_ms", static_cast<std::int64_t>(elapsed.count())}});
  return written;
}

std::int64_t PriceUnpricedItems(storage::Database& db, std::uint64_t seed, const infra::Clock& clock) {
  auto lease = db.Acquire();
  soci::session& session = *lease;
  storage::Transaction tx(session, db.GetDialect());

  std::vector<std::pair<long long, std::string>> unpriced;  // id, report number ("" when none)
  {
    soci::rowset<soci::row> rows =
        (session.prepare << std::string("SELECT id, report_no FROM items WHERE origin_price = 0 AND status = 'HIDDEN' "
                                        "ORDER BY id") +
                                storage::ForUpdate(db.GetDialect()));
    for (const auto& row : rows) unpriced.emplace_back(storage::GetInt64(row, 0), storage::GetString(row, 1));
  }
  if (unpriced.empty()) return 0;

  long long id = 0, origin = 0, rate = 0, discount = 0, real = 0;
  std::map<std::int64_t, long long> stock_of_item;           // set by the stock ledger, in this transaction
  long long version = storage::NextCatalogVersion(session);  // the catalog index's change feed sees the prices
  std::string thumbnail, description, updated = infra::FormatIsoTime(clock.Now());
  soci::statement update =
      (session.prepare
           << "UPDATE items SET origin_price = :op, discount_rate = :dr, discount_price = :dp, "
              "real_price = :rp, "
              "thumbnail_url = CASE WHEN thumbnail_url = '' THEN :th ELSE thumbnail_url END, "
              "description_image_url = CASE WHEN description_image_url = '' THEN :di "
              "ELSE description_image_url END, "
              "status = 'ON_SALE', updated_at = :ua, catalog_version = :cv WHERE id = :id AND origin_price = 0",
       soci::use(origin, "op"), soci::use(rate, "dr"), soci::use(discount, "dp"), soci::use(real, "rp"),
       soci::use(thumbnail, "th"), soci::use(description, "di"), soci::use(updated, "ua"), soci::use(version, "cv"),
       soci::use(id, "id"));
  for (const auto& [item_id, report_no] : unpriced) {
    std::uint64_t stream = report_no.empty() ? static_cast<std::uint64_t>(item_id) : Fnv1a(report_no);
    SeedRandom random(seed ^ kPricingSalt, stream);
    Pricing pricing = RandomPricing(random);
    id = item_id;
    origin = pricing.price.origin;
    rate = pricing.price.rate_tenths;
    discount = pricing.price.Discount();
    real = pricing.price.Real();
    stock_of_item[item_id] = pricing.stock;
    // The store's own generated packshot, so every seeded item has an image that loads.
    thumbnail = "/images/items/" + std::to_string(item_id) + ".svg";
    description.clear();
    update.execute(true);
  }
  storage::StockLedger::SetAll(session, db.GetDialect(), stock_of_item);
  tx.Commit();
  infra::LogInfo("seed.price_unpriced.done", {{"items", static_cast<std::int64_t>(unpriced.size())}});
  return static_cast<std::int64_t>(unpriced.size());
}

}  // namespace pillivery::importer
