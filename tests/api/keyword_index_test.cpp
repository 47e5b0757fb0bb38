// The in-memory keyword index without a database: candidates, density cut-off, rebuilds.
#include "service/catalog/keyword_index.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace pillivery::service {
namespace {

using Rows = std::vector<std::pair<std::int64_t, std::string>>;
using Ids = std::vector<std::int64_t>;

// Rebuilds after the first run on the index's own thread: the rows and the
// clock it reads are guarded.
struct Fixture {
  std::mutex mutex;
  Rows rows{{3, "종근당 락토핏 프로바이오틱스\n종근당건강"},
            {1, "Vitamin C 1000\nKorea Eundan"},
            {2, "고려은단 비타민C\n고려은단"},
            {4, "밀크씨슬 간건강\nGNM자연의품격"}};
  std::atomic<int> loads = 0;
  std::atomic<int> seconds = 0;
  KeywordIndex index{[this] {
                       ++loads;
                       std::lock_guard lock(mutex);
                       return rows;
                     },
                     std::chrono::seconds(60), 2,
                     [this] { return std::chrono::steady_clock::time_point{} + std::chrono::seconds(seconds.load()); }};

  void Change(const std::function<void(Rows&)>& change) {
    std::lock_guard lock(mutex);
    change(rows);
  }
};

// A background rebuild takes a moment: asks again until the answer comes (or 5 s pass).
std::optional<Ids> Eventually(KeywordIndex& index, std::string_view keyword, const Ids& expected) {
  std::optional<Ids> answer;
  for (int i = 0; i < 500; ++i) {
    answer = index.Candidates(keyword);
    if (answer == expected) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return answer;
}

TEST(KeywordIndex, Candidates_AreExactlyTheItemsWhoseNameOrBrandContainsTheKeyword) {
  Fixture f;
  EXPECT_EQ(f.index.Candidates("비타민"), Ids{2});
  EXPECT_EQ(f.index.Candidates("VITAMIN c"), Ids{1});   // ASCII case folded, like LIKE
  EXPECT_EQ(f.index.Candidates("은단"), Ids{2});        // "Eundan" is no match: only 고려은단
  EXPECT_EQ(f.index.Candidates("종근당건강"), Ids{3});  // the brand line
  EXPECT_EQ(f.index.Candidates("건"), (Ids{3, 4}));     // one character: unigrams
  EXPECT_EQ(f.index.Candidates("민씨"), Ids{});         // both bigram halves exist, not together
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

TEST(KeywordIndex, ChangesAndAge_RebuildInTheBackground_WhileTheOldSnapshotAnswers) {
  Fixture f;
  EXPECT_EQ(f.index.Candidates("홍삼"), Ids{});  // the first build runs in line
  f.Change([](Rows& rows) { rows.emplace_back(9, "정관장 홍삼정\n한국인삼공사"); });
  EXPECT_EQ(f.index.Candidates("홍삼"), Ids{});  // another process's import: not seen yet
  f.seconds = 61;
  EXPECT_EQ(f.index.Candidates("홍삼"), Ids{});            // aged out: the old snapshot answers, a rebuild starts
  EXPECT_EQ(Eventually(f.index, "홍삼", Ids{9}), Ids{9});  // ... and then the new one
  f.Change([](Rows& rows) { rows.back().second = "정관장 홍삼정 에브리타임\n한국인삼공사"; });
  f.index.MarkChanged();  // this process changed an item
  // Never the old snapshot's "no such item": the database answers alone until the rebuild.
  EXPECT_NE(f.index.Candidates("에브리"), Ids{});
  EXPECT_EQ(Eventually(f.index, "에브리", Ids{9}), Ids{9});
  EXPECT_EQ(f.loads, 3);
}

TEST(KeywordIndex, Warm_BuildsBeforeTheFirstSearch) {
  Fixture f;
  f.index.Warm();
  EXPECT_EQ(Eventually(f.index, "비타민", Ids{2}), Ids{2});
  EXPECT_EQ(f.loads, 1);
}

TEST(KeywordIndex, FailedBuild_LeavesSearchesToTheDatabase_AndIsTriedAgain) {
  std::atomic<int> calls = 0;
  KeywordIndex index(
      [&calls]() -> Rows {
        if (++calls == 1) throw std::runtime_error("database busy");
        return {{2, "고려은단 비타민C\n고려은단"}};
      },
      std::chrono::seconds(60), 10);
  EXPECT_EQ(index.Candidates("비타민"), std::nullopt);  // no index: the database walks
  EXPECT_EQ(index.Candidates("비타민"), Ids{2});
  EXPECT_EQ(calls, 2);
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
