#include "service/catalog/keyword_index.hpp"

#include "infra/log.hpp"

#include <algorithm>

namespace pillivery::service {

namespace {

std::uint64_t Key(std::uint32_t first, std::uint32_t second) {
  return (static_cast<std::uint64_t>(first) << 32) | second;
}
// The distinct bigram keys of a text (what the postings hold).
std::vector<std::uint64_t> BigramsOf(const std::vector<std::uint32_t>& points) {
  std::vector<std::uint64_t> keys;
  if (points.size() < 2) return keys;
  keys.reserve(points.size() - 1);
  for (std::size_t i = 0; i + 1 < points.size(); ++i) keys.push_back(Key(points[i], points[i + 1]));
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

}  // namespace

std::string FoldAsciiCase(std::string_view text) {
  std::string out(text);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::vector<std::uint32_t> CodePoints(std::string_view text) {
  std::vector<std::uint32_t> points;
  points.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    auto byte = static_cast<unsigned char>(text[i]);
    std::size_t length = byte < 0x80           ? 1
                         : (byte >> 5) == 0x6  ? 2
                         : (byte >> 4) == 0xE  ? 3
                         : (byte >> 3) == 0x1E ? 4
                                               : 0;
    bool valid = length > 0 && i + length <= text.size();
    for (std::size_t k = 1; valid && k < length; ++k) valid = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
    if (!valid) {
      points.push_back(0x110000u + byte);  // outside Unicode: cannot collide with a real code point
      ++i;
      continue;
    }
    std::uint32_t point = length == 1 ? byte : byte & (0xFF >> (length + 1));
    for (std::size_t k = 1; k < length; ++k) point = (point << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    points.push_back(point);
    i += length;
  }
  return points;
}

KeywordIndex::KeywordIndex(Loader loader, std::chrono::milliseconds max_age, std::size_t max_candidates, Now now)
    : loader_(std::move(loader)), max_age_(max_age), max_candidates_(max_candidates), now_(std::move(now)) {}

void KeywordIndex::MarkChanged() {
  std::lock_guard lock(mutex_);
  ++generation_;
}

KeywordIndex::~KeywordIndex() {
  std::thread builder;
  {
    std::lock_guard lock(mutex_);
    builder = std::move(builder_);
  }
  if (builder.joinable()) builder.join();
}

void KeywordIndex::Warm() {
  std::lock_guard lock(mutex_);
  if (!snapshot_ && !building_) StartRebuildLocked();
}

std::shared_ptr<const KeywordIndex::Snapshot> KeywordIndex::Current() {
  {
    std::lock_guard lock(mutex_);
    const bool current = snapshot_ && snapshot_->generation == generation_;
    if (current && now_() - snapshot_->built < max_age_) return snapshot_;
    if (snapshot_ || building_) {
      if (!building_) StartRebuildLocked();
      // Until the new snapshot is ready an aged one still answers (the same
      // staleness other processes' changes get); one from before this
      // process's own change would miss what it changed, so the database
      // answers alone meanwhile.
      return current ? snapshot_ : nullptr;
    }
    building_ = true;  // the very first build, in line
  }
  Rebuild();
  std::lock_guard lock(mutex_);
  return snapshot_ && snapshot_->generation == generation_ ? snapshot_ : nullptr;
}

void KeywordIndex::StartRebuildLocked() {
  building_ = true;
  // The last builder has cleared building_, its last act: joining it is immediate.
  if (builder_.joinable()) builder_.join();
  builder_ = std::thread([this] { Rebuild(); });
}

void KeywordIndex::Rebuild() {
  std::uint64_t generation = 0;
  {
    std::lock_guard lock(mutex_);
    generation = generation_;  // a change after this point needs another build
  }
  std::shared_ptr<const Snapshot> fresh;
  try {
    auto started = now_();
    fresh = Build(loader_(), started, generation);
    infra::Log(infra::LogLevel::kDebug, "keyword index built",
               {{"items", fresh->ids.size()}, {"keys", fresh->postings.KeyCount()}});
  } catch (const std::exception& e) {
    // The database may be busy or down: keep the old snapshot, try again on the next search.
    infra::LogWarn("keyword index build failed", {{"error", e.what()}});
  }
  std::lock_guard lock(mutex_);
  if (fresh) snapshot_ = std::move(fresh);
  building_ = false;
}

std::shared_ptr<const KeywordIndex::Snapshot> KeywordIndex::Build(
    std::vector<std::pair<std::int64_t, std::string>> rows, std::chrono::steady_clock::time_point now,
    std::uint64_t generation) {
  auto snapshot = std::make_shared<Snapshot>();
  std::sort(rows.begin(), rows.end());
  snapshot->ids.reserve(rows.size());
  std::vector<std::string> texts;
  texts.reserve(rows.size());
  for (auto& [id, text] : rows) {
    snapshot->ids.push_back(id);
    texts.push_back(FoldAsciiCase(text));
  }
  snapshot->postings = KeywordPostings(std::move(texts));
  snapshot->built = now;
  snapshot->generation = generation;
  return snapshot;
}

std::optional<std::vector<std::int64_t>> KeywordIndex::Candidates(std::string_view keyword) {
  auto snapshot = Current();
  if (!snapshot) return std::nullopt;
  std::string folded = FoldAsciiCase(keyword);
  {
    std::lock_guard lock(memo_mutex_);
    if (memo_snapshot_ != snapshot) {
      memo_.clear();
      memo_snapshot_ = snapshot;
    }
    if (auto it = memo_.find(folded); it != memo_.end()) return it->second;
  }
  auto answer = Match(*snapshot, folded);
  std::lock_guard lock(memo_mutex_);
  if (memo_snapshot_ == snapshot) {
    if (memo_.size() >= kMaxMemo) memo_.clear();
    memo_.emplace(folded, answer);
  }
  return answer;
}

std::optional<std::vector<std::int64_t>> KeywordIndex::Match(const Snapshot& snapshot,
                                                             const std::string& folded) const {
  if (folded.empty()) return std::nullopt;
  auto positions = snapshot.postings.Match(folded, max_candidates_);
  if (!positions) return std::nullopt;
  std::vector<std::int64_t> ids;
  ids.reserve(positions->size());
  for (auto position : *positions) ids.push_back(snapshot.ids[position]);
  return ids;
}

KeywordPostings::KeywordPostings(std::vector<std::string> folded_texts) : texts_(std::move(folded_texts)) {
  // Two passes (count, then place) so that no list of every (key, position)
  // pair is ever held: on 40k items that list alone would be ~25 MB.
  std::unordered_map<std::uint64_t, std::uint32_t> slot;  // key → count, then → next free place
  for (const auto& text : texts_)
    for (auto key : BigramsOf(CodePoints(text))) ++slot[key];
  keys_.reserve(slot.size());
  for (const auto& [key, count] : slot) keys_.push_back(key);
  std::sort(keys_.begin(), keys_.end());
  offsets_.reserve(keys_.size() + 1);
  std::uint32_t total = 0;
  for (auto key : keys_) {
    offsets_.push_back(total);
    auto& entry = slot[key];
    total += entry;
    entry = offsets_.back();
  }
  offsets_.push_back(total);
  positions_.resize(total);
  for (std::uint32_t position = 0; position < texts_.size(); ++position)
    for (auto key : BigramsOf(CodePoints(texts_[position]))) positions_[slot[key]++] = position;
}

std::size_t KeywordPostings::MemoryBytes() const {
  std::size_t bytes = keys_.capacity() * sizeof(std::uint64_t) + offsets_.capacity() * 4 + positions_.capacity() * 4 +
                      texts_.capacity() * sizeof(std::string);
  for (const auto& text : texts_)
    if (text.capacity() > 15) bytes += text.capacity() + 1;
  return bytes;
}

std::optional<std::vector<std::uint32_t>> KeywordPostings::Match(const std::string& folded, std::size_t limit) const {
  auto points = CodePoints(folded);
  if (points.empty()) return std::nullopt;
  std::vector<std::uint32_t> matches;
  if (points.size() == 1) {
    // One character: a scan of the texts (a few MB, once per keyword: callers
    // memoise) instead of unigram postings that would double the index.
    for (std::uint32_t position = 0; position < texts_.size(); ++position) {
      if (texts_[position].find(folded) == std::string::npos) continue;
      if (matches.size() == limit) return std::nullopt;
      matches.push_back(position);
    }
    return matches;
  }
  // Every bigram of the keyword must occur in a match: intersect their
  // postings, shortest first, then check the real substring.
  using Span = std::pair<const std::uint32_t*, const std::uint32_t*>;
  std::vector<Span> lists;
  for (auto key : BigramsOf(points)) {
    auto it = std::lower_bound(keys_.begin(), keys_.end(), key);
    if (it == keys_.end() || *it != key) return std::vector<std::uint32_t>{};
    auto i = static_cast<std::size_t>(it - keys_.begin());
    lists.emplace_back(positions_.data() + offsets_[i], positions_.data() + offsets_[i + 1]);
  }
  std::sort(lists.begin(), lists.end(),
            [](const Span& a, const Span& b) { return a.second - a.first < b.second - b.first; });
  std::vector<std::uint32_t> positions(lists.front().first, lists.front().second);
  std::vector<std::uint32_t> narrowed;
  for (std::size_t i = 1; i < lists.size() && !positions.empty(); ++i) {
    narrowed.clear();
    std::set_intersection(positions.begin(), positions.end(), lists[i].first, lists[i].second,
                          std::back_inserter(narrowed));
    positions.swap(narrowed);
  }
  for (auto position : positions) {
    if (texts_[position].find(folded) == std::string::npos) continue;
    if (matches.size() == limit) return std::nullopt;
    matches.push_back(position);
  }
  return matches;
}

}  // namespace pillivery::service
