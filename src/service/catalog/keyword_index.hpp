#pragma once
// Which items a search keyword can match, answered from memory. A keyword
// search is a substring match (LIKE '%kw%') that no B-tree index serves; for a
// rare keyword the database walks most of the catalog to fill one page. This
// index of character bigrams narrows it to a few candidate ids, and the
// database then applies the real condition (and every other filter) to those
// rows only, so results are exactly the same as without the index.
//
// It is a snapshot of item names and brands: rebuilt when this process
// changes the catalog (MarkChanged) and at most max_age after the last build,
// which bounds how long an item renamed or added by another process (an
// import, another server) can be missed by a keyword. A rebuild runs on a
// thread of its own while searches keep using the old snapshot: only the very
// first search builds in line, unless Warm started that build at start-up.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

namespace pillivery::service {

// Code-point bigram postings over a list of texts (already folded
// with FoldAsciiCase): which texts can contain a keyword, then the real
// substring test. Immutable once built; shared by the keyword index below and
// the catalog index (service/catalog_index.hpp).
class KeywordPostings {
 public:
  KeywordPostings() = default;
  explicit KeywordPostings(std::vector<std::string> folded_texts);

  // Positions (into the texts) of every text containing folded, ascending;
  // nullopt when more than limit match.
  std::optional<std::vector<std::uint32_t>> Match(const std::string& folded, std::size_t limit = SIZE_MAX) const;
  const std::string& Text(std::uint32_t position) const { return texts_[position]; }
  std::size_t Size() const { return texts_.size(); }
  std::size_t KeyCount() const { return keys_.size(); }
  std::size_t MemoryBytes() const;

 private:
  std::vector<std::string> texts_;
  // Compressed: the distinct keys ascending, and for key i its positions in
  // positions_[offsets_[i], offsets_[i + 1]).
  std::vector<std::uint64_t> keys_;
  std::vector<std::uint32_t> offsets_;
  std::vector<std::uint32_t> positions_;
};

class KeywordIndex {
 public:
  // (item id, text to search: name and brand), every item, hidden ones too.
  using Loader = std::function<std::vector<std::pair<std::int64_t, std::string>>()>;
  using Now = std::function<std::chrono::steady_clock::time_point()>;

  KeywordIndex(
      Loader loader, std::chrono::milliseconds max_age, std::size_t max_candidates,
      Now now = [] { return std::chrono::steady_clock::now(); });
  ~KeywordIndex();
  KeywordIndex(const KeywordIndex&) = delete;
  KeywordIndex& operator=(const KeywordIndex&) = delete;

  // Starts the first build in the background (searches meanwhile go without
  // the index, which only makes them slower).
  void Warm();

  // Every item whose text contains the keyword (ASCII letters compared without
  // case, as SQL LIKE does), ascending; nothing when more than max_candidates
  // match (a dense keyword: the database finds a page quickly on its own).
  std::optional<std::vector<std::int64_t>> Candidates(std::string_view keyword);
  void MarkChanged();

 private:
  struct Snapshot {
    std::vector<std::int64_t> ids;
    KeywordPostings postings;  // of the folded texts, parallel to ids
    std::chrono::steady_clock::time_point built;
    std::uint64_t generation = 0;  // of this process's catalog changes, when the build started
  };
  std::shared_ptr<const Snapshot> Current();
  void StartRebuildLocked();  // mutex_ held
  void Rebuild();
  std::optional<std::vector<std::int64_t>> Match(const Snapshot& snapshot, const std::string& folded) const;
  static std::shared_ptr<const Snapshot> Build(std::vector<std::pair<std::int64_t, std::string>> rows,
                                               std::chrono::steady_clock::time_point now, std::uint64_t generation);

  Loader loader_;
  std::chrono::milliseconds max_age_;
  std::size_t max_candidates_;
  Now now_;
  std::mutex mutex_;  // guards snapshot_, generation_, building_ and builder_
  std::shared_ptr<const Snapshot> snapshot_;
  std::uint64_t generation_ = 0;  // MarkChanged calls so far
  bool building_ = false;         // one build at a time
  std::thread builder_;
  // Answers per keyword for the current snapshot: a storefront asks the same
  // few keywords over and over, and a dense one costs a long intersection.
  std::mutex memo_mutex_;
  std::shared_ptr<const Snapshot> memo_snapshot_;  // held, so its address cannot be reused
  std::unordered_map<std::string, std::optional<std::vector<std::int64_t>>> memo_;
  static constexpr std::size_t kMaxMemo = 4096;
};

// Lower-cases ASCII letters only: what SQLite's LIKE ignores.
std::string FoldAsciiCase(std::string_view text);
// The UTF-8 code points of text (invalid bytes are taken one by one).
std::vector<std::uint32_t> CodePoints(std::string_view text);

}  // namespace pillivery::service
