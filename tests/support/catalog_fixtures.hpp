#pragma once
// Small, hand-written catalogs for storage and API tests.
#include "domain/item.hpp"

#include <string>
#include <vector>

namespace pillivery::testing {

inline domain::Item MakeItem(std::string name, std::string enterprise, std::string main_function, std::int64_t origin,
                             int rate_tenths, std::int64_t stock = 10, std::int64_t sales = 0) {
  domain::Item item;
  item.product_name = std::move(name);
  item.enterprise = std::move(enterprise);
  item.main_function = std::move(main_function);
  item.price = {origin, rate_tenths};
  item.stock = stock;
  item.sales = sales;
  item.distribution_period = "제조일로부터 24개월";
  item.shape = "캡슐";
  item.intake = "1일 1회";
  item.caution = "주의";
  item.storage = "서늘한 곳";
  item.standard = "기준";
  item.raw_materials = "원료";
  item.thumbnail_url = "https://img.example/1.jpg";
  return item;
}

// Eight items covering every sort and filter; ids 1..8 in this order on a fresh database.
inline std::vector<domain::Item> SampleCatalog() {
  std::vector<domain::Item> items{
      MakeItem("루테인 지아잔틴", "종근당건강", "눈 건강에 도움", 30'000, 100, 10, 50),
      MakeItem("밀크씨슬 130", "솔가", "간 건강에 도움을 줄 수 있음", 25'000, 0, 0, 80),
      MakeItem("칼슘 마그네슘", "뉴트리원", "뼈 형성과 유지", 15'000, 250, 5, 10),
      MakeItem("프로바이오틱스 100%", "종근당건강", "유산균 증식 및 원활한 배변활동", 40'000, 500, 100, 80),
      MakeItem("홍삼정 에브리타임", "정관장", "면역력 증진, 피로개선", 90'000, 125, 3, 200),
      MakeItem("비타민C 1000", "고려은단", "항산화에 필요", 12'000, 0, 50, 5),
      MakeItem("오메가3_rTG", "뉴트리원", "혈행 개선", 35'000, 300, 20, 30),
      MakeItem("숨김 상품", "솔가", "눈 건강", 10'000, 0, 10, 999),
  };
  items[7].status = domain::ItemStatus::kHidden;
  items[2].report_no = "200400200021028";
  return items;
}

}  // namespace pillivery::testing
