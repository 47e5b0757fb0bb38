#include "storage/statement_cache.hpp"

#include "storage/database.hpp"
#include "storage/row_reader.hpp"

#include <gtest/gtest.h>
#include <soci/mysql/soci-mysql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "support/test_support.hpp"

namespace pillivery::storage {
namespace {

class StatementCacheTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<Database>(testing::FreshDatabaseUrl(GetParam(), dir_), 2);
    auto lease = db_->Acquire();
    *lease << "CREATE TABLE notes(id INTEGER PRIMARY KEY, title VARCHAR(40), score DOUBLE, parent BIGINT)";
    *lease << "INSERT INTO notes(id, title, score, parent) VALUES(1, 'one', 1.5, NULL), (2, 'two', 2.5, 1), "
              "(3, 'three', 3.5, 1)";
  }

  // Titles of the notes whose parent is `parent`, through the cache of the leased connection.
  std::vector<std::string> Children(soci::session& s, long long parent) {
    std::vector<std::string> titles;
    db_->Query(s, "SELECT title FROM notes WHERE parent = :p ORDER BY id", {parent},
               [&](const soci::row& r) { titles.push_back(GetString(r, 0)); });
    return titles;
  }

  // SQLite: whether any statement of the connection is still between its first
  // step and its end (it then holds a read snapshot). MariaDB has no such state.
  bool AnyStatementOpen(soci::session& s) {
    if (GetParam() != "sqlite") return false;
    auto* conn = static_cast<soci::sqlite3_session_backend*>(s.get_backend())->conn_;
    for (auto* st = sqlite_api::sqlite3_next_stmt(conn, nullptr); st; st = sqlite_api::sqlite3_next_stmt(conn, st))
      if (sqlite_api::sqlite3_stmt_busy(st)) return true;
    return false;
  }

  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
};

TEST_P(StatementCacheTest, Query_ReusedWithNewValues_AnswersForTheNewValues) {
  auto lease = db_->Acquire();
  EXPECT_EQ(Children(*lease, 1), (std::vector<std::string>{"two", "three"}));
  EXPECT_FALSE(AnyStatementOpen(*lease));
  EXPECT_EQ(Children(*lease, 2), std::vector<std::string>{});
  EXPECT_EQ(Children(*lease, 1), (std::vector<std::string>{"two", "three"}));
}

TEST_P(StatementCacheTest, Params_OfEveryKind_BindInOrder) {
  auto lease = db_->Acquire();
  std::string title = "four";
  EXPECT_EQ(db_->Execute(*lease, "INSERT INTO notes(id, title, score, parent) VALUES(:i, :t, :s, :p)",
                         {4, title, 4.25, std::optional<long long>{}}),
            1);
  EXPECT_EQ(db_->Execute(*lease, "INSERT INTO notes(id, title, score, parent) VALUES(:i, :t, :s, :p)",
                         {5, "five", 5.0, std::optional<long long>{3}}),
            1);
  std::vector<std::tuple<std::string, double, std::optional<std::int64_t>>> rows;
  db_->Query(*lease, "SELECT title, score, parent FROM notes WHERE id >= :min ORDER BY id", {4},
             [&](const soci::row& r) { rows.emplace_back(GetString(r, 0), GetDouble(r, 1), GetOptionalInt64(r, 2)); });
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], std::make_tuple(std::string("four"), 4.25, std::optional<std::int64_t>{}));
  EXPECT_EQ(rows[1], std::make_tuple(std::string("five"), 5.0, std::optional<std::int64_t>{3}));
}

TEST_P(StatementCacheTest, Execute_ReturnsTheRowsItChanged) {
  auto lease = db_->Acquire();
  const std::string sql = "UPDATE notes SET score = score + 1 WHERE parent = :p";
  EXPECT_EQ(db_->Execute(*lease, sql, {1}), 2);
  EXPECT_EQ(db_->Execute(*lease, sql, {42}), 0);
}

TEST_P(StatementCacheTest, Query_StoppedEarlyByAThrow_LeavesNoReadOpen) {
  auto first = db_->Acquire();
  struct Stop {};
  // The handler throws on the first of two rows: on SQLite the statement would
  // keep its read snapshot if it were not reset.
  EXPECT_THROW(db_->Query(*first, "SELECT title FROM notes WHERE parent = :p ORDER BY id", {1},
                          [](const soci::row&) { throw Stop{}; }),
               Stop);
  EXPECT_FALSE(AnyStatementOpen(*first));
  {
    auto second = db_->Acquire();
    *second << "INSERT INTO notes(id, title, score, parent) VALUES(9, 'nine', 9, 1)";
  }
  // The first connection sees the other's commit and can write itself.
  EXPECT_EQ(Children(*first, 1), (std::vector<std::string>{"two", "three", "nine"}));
  Transaction tx(*first, db_->GetDialect());
  EXPECT_EQ(db_->Execute(*first, "DELETE FROM notes WHERE id = :i", {9}), 1);
  tx.Commit();
}

TEST_P(StatementCacheTest, FailedStatement_IsPreparedAfreshNextTime) {
  auto lease = db_->Acquire();
  const std::string sql = "INSERT INTO notes(id, title, score, parent) VALUES(:i, :t, 0, NULL)";
  EXPECT_THROW(db_->Execute(*lease, sql, {1, "duplicate id"}), soci::soci_error);
  EXPECT_EQ(db_->Execute(*lease, sql, {10, "ten"}), 1);
}

TEST_P(StatementCacheTest, Cache_KeepsOneStatementPerTextAndParamKinds_AndStaysBounded) {
  auto lease = db_->Acquire();
  StatementCache cache(*lease, /*capacity=*/3);
  auto count = [&](const std::string& sql, SqlParams params) {
    int n = 0;
    cache.Query(sql, params, [&](const soci::row&) { ++n; });
    return n;
  };
  std::vector<SqlParam> by_id{1};
  std::vector<SqlParam> by_title{"two"};
  std::vector<SqlParam> by_null{std::nullopt};
  EXPECT_EQ(count("SELECT id FROM notes WHERE id = :v", by_id), 1);
  EXPECT_EQ(count("SELECT id FROM notes WHERE id = :v", by_id), 1);
  EXPECT_EQ(cache.Size(), 1u);
  EXPECT_EQ(count("SELECT id FROM notes WHERE title = :v", by_title), 1);
  EXPECT_EQ(count("SELECT id FROM notes WHERE parent = :v", by_null), 0);  // NULL equals nothing
  EXPECT_EQ(cache.Size(), 3u);
  EXPECT_EQ(count("SELECT id FROM notes WHERE score > :v", std::vector<SqlParam>{2.0}), 2);
  EXPECT_EQ(cache.Size(), 1u);  // full: emptied, then the new statement kept
  EXPECT_THROW(cache.Execute("SELECT id FROM notes WHERE score > :v", std::vector<SqlParam>{2.0}), std::logic_error);
}

TEST_P(StatementCacheTest, SessionOutsideThePool_RunsUncached) {
  const soci::backend_factory& backend =
      GetParam() == "sqlite" ? static_cast<const soci::backend_factory&>(soci::sqlite3) : soci::mysql;
  soci::session own(backend, db_->Url().connect_string);
  std::vector<std::string> titles;
  db_->Query(own, "SELECT title FROM notes WHERE parent = :p ORDER BY id", {1},
             [&](const soci::row& r) { titles.push_back(GetString(r, 0)); });
  EXPECT_EQ(titles, (std::vector<std::string>{"two", "three"}));
  EXPECT_EQ(db_->Execute(own, "UPDATE notes SET score = 0 WHERE id = :i", {1}), 1);
}

INSTANTIATE_TEST_SUITE_P(Engines, StatementCacheTest, ::testing::ValuesIn(testing::Engines()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace pillivery::storage
