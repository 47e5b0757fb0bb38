#include "importer/row_mapper.hpp"

#include "domain/error.hpp"
#include "importer/source_answer.hpp"

#include <gtest/gtest.h>

#include "sample_data.hpp"

namespace pillivery::importer {
namespace {

using domain::Category;

TEST(RowMapper, CompleteSampleRow_MapsEveryFieldWithKoreanTextAndLineBreaks) {
  MappedRow mapped = MapRow(testing::SampleRows().at(0));
  ASSERT_TRUE(mapped.item);
  const domain::Item& item = *mapped.item;
  EXPECT_EQ(item.product_name, "솔가 밀크씨슬 130");
  EXPECT_EQ(item.enterprise, "코스맥스엔비티(주)");
  EXPECT_EQ(item.report_no, "200700170351816");  // 15 digits, kept as text
  EXPECT_EQ(item.registered_date, "2021-03-31");
  EXPECT_EQ(item.distribution_period, "제조일로부터 24개월");
  EXPECT_EQ(item.shape, "캡슐");
  EXPECT_EQ(item.intake, "1일 1회, 1회 1캡슐을 물과 함께 섭취하십시오.");
  EXPECT_EQ(item.main_function, "[밀크씨슬추출물]\n간 건강에 도움을 줄 수 있음");
  EXPECT_EQ(item.caution,
            "알레르기 반응이 나타나는 경우에는 섭취 중단\n설사, 위통, 복부팽만 등의 위장관계 장애가 나타나는 경우에는 "
            "섭취에 주의");
  EXPECT_EQ(item.storage, "");
  EXPECT_TRUE(item.standard.starts_with("1. 성상: 고유의 향미가 있고"));
  EXPECT_NE(item.standard.find("\n8. 대장균군: 음성"), std::string::npos);
  EXPECT_TRUE(item.raw_materials.starts_with("밀크씨슬(카르두스 마리아누스) 추출물(고시형)"));
  EXPECT_EQ(item.categories, std::vector<Category>{Category::kLiver});
  EXPECT_EQ(item.status, domain::ItemStatus::kHidden);
  EXPECT_EQ(item.price.origin, 0);
}

TEST(RowMapper, PartialRow_LeavesMissingFieldsEmptyAndFallsBackToEtc) {
  MappedRow mapped = MapRow(testing::SampleRows().at(1));  // 고려홍삼농축액: name, maker, number, raw, caution
  ASSERT_TRUE(mapped.item);
  EXPECT_EQ(mapped.item->product_name, "고려홍삼농축액");
  EXPECT_EQ(mapped.item->enterprise, "(주)화인내츄럴");
  EXPECT_EQ(mapped.item->report_no, "2004001509475");
  EXPECT_EQ(mapped.item->raw_materials, "홍삼농축액(농축물)");
  EXPECT_EQ(mapped.item->registered_date, "");
  EXPECT_EQ(mapped.item->main_function, "");
  EXPECT_EQ(mapped.item->intake, "");
  EXPECT_EQ(mapped.item->categories, std::vector<Category>{Category::kEtc});
}

TEST(RowMapper, RowWithoutProductNameOrReportNo_IsSkippedWithReason) {
  auto row = testing::SampleRows().at(0);
  row["PRDLST_NM"] = "  \r\n ";
  EXPECT_FALSE(MapRow(row).item);
  EXPECT_EQ(MapRow(row).skip_reason, SkipReason::kNoProductName);
  row = testing::SampleRows().at(0);
  row.erase("PRDLST_REPORT_NO");
  EXPECT_FALSE(MapRow(row).item);
  EXPECT_EQ(MapRow(row).skip_reason, SkipReason::kNoReportNo);
  EXPECT_FALSE(MapRow(boost::json::object{}).item);
}

TEST(RowMapper, Text_NormalisesCarriageReturnsBreakTagsAndOuterSpace) {
  EXPECT_EQ(NormalizeText("  ① 간 건강\r\n② 피로<br>③ 면역<BR/>④ 눈<br />⑤ 끝\r"),
            "① 간 건강\n② 피로\n③ 면역\n④ 눈\n⑤ 끝");
  EXPECT_EQ(NormalizeText("\xE3\x80\x80전각 공백\xC2\xA0 "), "전각 공백");
  EXPECT_EQ(NormalizeText("<b>굵게</b> <brand>"), "<b>굵게</b> <brand>");
  EXPECT_EQ(NormalizeText(""), "");
  EXPECT_EQ(NormalizeText(" \n "), "");
}

TEST(RowMapper, Dates_AcceptCompactAndDashedAndRejectNonsense) {
  EXPECT_EQ(NormalizeDate("20210331"), "2021-03-31");
  EXPECT_EQ(NormalizeDate("2021-03-31 00:00:00"), "2021-03-31");
  EXPECT_EQ(NormalizeDate("20211331"), "");
  EXPECT_EQ(NormalizeDate("2021033"), "");
  EXPECT_EQ(NormalizeDate("202103311"), "");
  EXPECT_EQ(NormalizeDate("미상"), "");
}

TEST(RowMapper, Truncation_NeverSplitsAKoreanCharacter) {
  EXPECT_EQ(TruncateUtf8("밀크씨슬", 2), "밀크");
  EXPECT_EQ(TruncateUtf8("abc", 5), "abc");
}

TEST(RowMapper, DataGoKrRow_MapsTheSameFields) {
  boost::json::object row{{"PRDUCT", "락토핏 생유산균 골드"},
                          {"ENTRPS", "종근당건강(주)"},
                          {"STTEMNT_NO", "2015001302345"},
                          {"REGIST_DT", "20160105"},
                          {"DISTB_PD", "제조일로부터 24개월"},
                          {"SUNGSANG", "고유의 향미가 있는 분말"},
                          {"SRV_USE", "1일 1회, 1회 1포"},
                          {"PRSRV_PD", "실온 보관"},
                          {"INTAKE_HINT1", "이상 사례 발생 시 섭취 중단"},
                          {"MAIN_FNCTN", "①유산균 증식<br/>②배변활동 원활에 도움을 줄 수 있음"},
                          {"BASE_STANDARD", "대장균군: 음성"}};
  MappedRow mapped = MapRow(row);
  ASSERT_TRUE(mapped.item);
  EXPECT_EQ(mapped.item->product_name, "락토핏 생유산균 골드");
  EXPECT_EQ(mapped.item->enterprise, "종근당건강(주)");
  EXPECT_EQ(mapped.item->report_no, "2015001302345");
  EXPECT_EQ(mapped.item->registered_date, "2016-01-05");
  EXPECT_EQ(mapped.item->shape, "고유의 향미가 있는 분말");
  EXPECT_EQ(mapped.item->intake, "1일 1회, 1회 1포");
  EXPECT_EQ(mapped.item->storage, "실온 보관");
  EXPECT_EQ(mapped.item->caution, "이상 사례 발생 시 섭취 중단");
  EXPECT_EQ(mapped.item->main_function, "①유산균 증식\n②배변활동 원활에 도움을 줄 수 있음");
  EXPECT_EQ(mapped.item->standard, "대장균군: 음성");
  EXPECT_EQ(mapped.item->categories, std::vector<Category>{Category::kIntestine});
}

TEST(RowMapper, NumericReportNo_IsKeptExactlyAsText) {
  boost::json::object row{{"PRDLST_NM", "큐자임"}, {"PRDLST_REPORT_NO", 200400200021028LL}};
  EXPECT_EQ(MapRow(row).item->report_no, "200400200021028");
}

TEST(SourceAnswer, FoodSafetyShape_GivesRowsTotalAndResult) {
  SourceAnswer answer = ParseSourceAnswer(testing::ReadText(testing::SpecDataFile("c003-sample.json")), "sample");
  EXPECT_EQ(answer.result_code, "INFO-000");
  EXPECT_EQ(answer.total_count, 8);
  EXPECT_EQ(answer.rows.size(), 8u);
  EXPECT_TRUE(answer.IsSuccess());

  SourceAnswer end = ParseSourceAnswer(testing::ReadText(testing::SpecDataFile("c003-end.json")), "end", "C003");
  EXPECT_TRUE(end.IsEndOfData());
  EXPECT_TRUE(end.rows.empty());
}

TEST(SourceAnswer, DataGoKrShapes_ItemWrappersPlainArraysAndResponseWrapper) {
  std::string wrapped = R"({"header":{"resultCode":"00","resultMsg":"NORMAL SERVICE."},
    "body":{"pageNo":1,"totalCount":2,"items":[{"item":{"PRDUCT":"가"}},{"item":{"PRDUCT":"나"}}]}})";
  SourceAnswer a = ParseSourceAnswer(wrapped, "a");
  EXPECT_EQ(a.total_count, 2);
  ASSERT_EQ(a.rows.size(), 2u);
  EXPECT_EQ(a.rows[1].at("PRDUCT").as_string(), "나");

  SourceAnswer b = ParseSourceAnswer(R"({"body":{"items":[{"PRDUCT":"가"}]}})", "b");
  ASSERT_EQ(b.rows.size(), 1u);

  SourceAnswer c = ParseSourceAnswer(
      R"({"response":{"header":{"resultCode":"00"},"body":{"totalCount":"1","items":{"item":[{"PRDUCT":"다"}]}}}})",
      "c");
  ASSERT_EQ(c.rows.size(), 1u);
  EXPECT_EQ(c.total_count, 1);

  SourceAnswer refused =
      ParseSourceAnswer(R"({"header":{"resultCode":"30","resultMsg":"SERVICE KEY IS NOT REGISTERED"}})", "d");
  EXPECT_FALSE(refused.IsSuccess());
}

TEST(SourceAnswer, MalformedText_ThrowsImportMalformedNamingTheOrigin) {
  for (std::string text : {"{\"C003\": {\"row\": [", "<html>502 Bad Gateway</html>", "42", "{\"other\": 1}",
                           "{\"C003\": {\"row\": [1, 2]}}"}) {
    try {
      ParseSourceAnswer(text, "page 1-5", "C003");
      ADD_FAILURE() << "accepted " << text;
    } catch (const domain::Error& e) {
      EXPECT_EQ(e.Code(), "IMPORT_MALFORMED");
      EXPECT_NE(e.Detail().find("page 1-5"), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace pillivery::importer
