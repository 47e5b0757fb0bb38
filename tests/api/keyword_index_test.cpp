// The in-memory keyword index without a database: candidates, density cut-off, rebuilds.
#include "service/keyword_index.hpp"

#include <gtest/gtest.h>

namespace pillivery::service {
namespace {

using Rows = std::vector<std::pair<std::int64_t, std::string>>;
using Ids = std::vector<std::int64_t>;

struct Fixture {
  Rows rows{{3, "종근당 락토핏 프로바이오틱스\n종근당건강"},
            {1, "Vitamin C 1000\nKorea Eundan"},
            {2, "고려은단 비타민C\n고려은단"},
            {4, "밀크씨슬 간건강\nGNM자연의품격"}};
  int loads = 0;
  std::chrono::steady_clock::time_point now{};
  KeywordIndex index{[this] {
                       ++loads;
                       return rows;
                     },
                     std::chrono::seconds(60), 2, [this] { return now; }};
};

TEST(KeywordIndex, Candidates_AreExactlyTheItemsWhoseNameOrBrandContainsTheKeyword) {
  Fixture f;
  EXPECT_EQ(f.index.Candidates("비타민"), Ids{2});
  EXPECT_EQ(f.index.Candidates("VITAMIN c"), Ids{1});   // ASCII case folded, like LIKE
  EXPECT_EQ(f.index.Candidates("은단"), Ids{2});  // "Eundan" is no match: only 고려은단
  EXPECT_EQ(f.index.Candidates("종근당건강"), Ids{3});  // the brand line
  EXPECT_EQ(f.index.Candidates("건"), (Ids{3, 4}));       // one character: unigrams
  EXPECT_EQ(f.index.Candidates("민씨"), Ids{});          // both bigram halves exist, not together
  EXPECT_EQ(f.index.Candidates("홍삼"), Ids{});
  EXPECT_EQ(f.loads, 1);
}

TEST(KeywordIndex, TooManyCandidates_LeavesTheKeywordToTheDatabase) {
  Fixture f;
  KeywordIndex strict([&f] { return f.rows; }, std::chrono::seconds(60), 1);
  EXPECT_EQ(strict.Candidates("건"), std::nullopt);  // two matches, more than 1
  EXPECT_EQ(strict.Candidates("비타민"), Ids{2});
  EXPECT_EQ(f.index.Candidates(""), std::nullopt);
}

TEST(KeywordIndex, ChangesAndAge_RebuildTheSnapshot) {
  Fixture f;
  EXPECT_EQ(f.index.Candidates("홍삼"), Ids{});
  f.rows.emplace_back(9, "정관장 홍삼정\n한국인삼공사");
  EXPECT_EQ(f.index.Candidates("홍삼"), Ids{});  // another process's import: not seen yet
  f.now += std::chrono::seconds(61);
  EXPECT_EQ(f.index.Candidates("홍삼"), Ids{9});  // the snapshot aged out
  f.rows.back().second = "정관장 홍삼정 에브리타임\n한국인삼공사";
  f.index.MarkChanged();  // this process changed an item
  EXPECT_EQ(f.index.Candidates("에브리"), Ids{9});
  EXPECT_EQ(f.loads, 3);
}

TEST(KeywordIndex, CodePoints_DecodeUtf8AndKeepInvalidBytesApart) {
  EXPECT_EQ(CodePoints("a가"), (std::vector<std::uint32_t>{'a', 0xAC00}));
  auto broken = CodePoints(std::string("\xEA\xB0", 2));  // a truncated 가
  ASSERT_EQ(broken.size(), 2u);
  EXPECT_GT(broken[0], 0x10FFFFu);
  EXPECT_EQ(FoldAsciiCase("ABC가Z"), "abc가z");
}

}  // namespace
}  // namespace pillivery::service
