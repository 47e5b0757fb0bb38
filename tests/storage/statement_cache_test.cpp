#include "storage/statement_cache.hpp"

#include "storage/database.hpp"
#include "storage/dialect.hpp"
#include "storage/mariadb_statement.hpp"
#include "storage/row_reader.hpp"

#include <gtest/gtest.h>
#include <soci/mysql/soci-mysql.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <limits>

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

// MariaDB only: kept statements are prepared on the server and run through the
// binary protocol (mariadb_statement.hpp); these pin the types, reconnects,
// schema changes and transactions on that path against a real server.
class MariaDbStatementTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (testing::Engines().size() < 2) GTEST_SKIP() << "no MariaDB (PILLIVERY_TEST_MARIADB_URL)";
    db_ = std::make_unique<Database>(testing::FreshDatabaseUrl("mariadb", dir_), 2);
    auto lease = db_->Acquire();
    *lease << "CREATE TABLE kinds(id BIGINT NOT NULL PRIMARY KEY, small INTEGER, big BIGINT, score DOUBLE, "
              "title VARCHAR(255), body MEDIUMTEXT, at VARCHAR(40), price DECIMAL(12,2)) "
              "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
  }
  // How many statements this session has prepared on the server / executed through the binary protocol.
  long SessionStatus(soci::session& s, const std::string& name) {
    std::string variable;
    long value = 0;
    s << "SHOW SESSION STATUS LIKE '" + name + "'", soci::into(variable), soci::into(value);
    return value;
  }
  long ConnectionId(soci::session& s) {
    long id = 0;
    s << "SELECT CONNECTION_ID()", soci::into(id);
    return id;
  }

  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
};

TEST_F(MariaDbStatementTest, KeptStatement_IsPreparedOnceOnTheServer_ThenOnlyExecuted) {
  auto lease = db_->Acquire();
  const long prepared = SessionStatus(*lease, "Com_stmt_prepare");
  const long executed = SessionStatus(*lease, "Com_stmt_execute");
  for (long long id = 1; id <= 3; ++id)
    EXPECT_EQ(db_->Execute(*lease, "INSERT INTO kinds(id, small) VALUES(:i, :s)", {id, 7}), 1);
  int rows = 0;
  for (int i = 0; i < 2; ++i)
    db_->Query(*lease, "SELECT id FROM kinds WHERE small = :s", {7}, [&](const soci::row&) { ++rows; });
  EXPECT_EQ(rows, 6);
  EXPECT_EQ(SessionStatus(*lease, "Com_stmt_prepare") - prepared, 2);
  EXPECT_EQ(SessionStatus(*lease, "Com_stmt_execute") - executed, 5);
}

TEST_F(MariaDbStatementTest, Values_OfEveryKind_RoundTripExactly) {
  auto lease = db_->Acquire();
  const std::string insert =
      "INSERT INTO kinds(id, small, big, score, title, body, at, price) VALUES(:i, :s, :b, :d, :t, :x, :a, :p)";
  const std::string korean = "홍길동 루테인 🌿 '따옴표' \"quote\" \\ back";
  const std::string long_body(100'000, 'x');  // far past the first buffer: fetched whole
  EXPECT_EQ(db_->Execute(*lease, insert,
                         {1, 2'147'483'647, 9'007'199'254'740'993LL, 0.1 + 0.2, korean, long_body,
                          "2026-11-24T10:00:00.000+09:00", 1234.5}),
            1);
  EXPECT_EQ(db_->Execute(*lease, insert,
                         {2, -2'147'483'647 - 1, std::numeric_limits<std::int64_t>::min(), -1e300, "", "", "", -0.01}),
            1);
  EXPECT_EQ(db_->Execute(
                *lease, insert,
                {3, std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt}),
            1);
  std::vector<std::vector<std::optional<std::string>>> rows;
  std::vector<std::int64_t> bigs;
  std::vector<double> scores;
  db_->Query(*lease, "SELECT id, small, big, score, title, body, at, price FROM kinds WHERE id >= :min ORDER BY id",
             {1}, [&](const soci::row& r) {
               std::vector<std::optional<std::string>> row;
               for (std::size_t i = 0; i < 8; ++i) row.push_back(GetOptionalString(r, i));
               rows.push_back(row);
               bigs.push_back(GetInt64(r, 2));
               scores.push_back(GetDouble(r, 3));
               EXPECT_EQ(r.get_properties(2).get_data_type(), soci::dt_long_long);
               EXPECT_EQ(r.get_properties(4).get_data_type(), soci::dt_string);
               EXPECT_EQ(r.get_properties(7).get_data_type(), soci::dt_double);
             });
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0][1], "2147483647");
  EXPECT_EQ(bigs[0], 9'007'199'254'740'993LL);  // not representable as a double: came as an integer
  EXPECT_EQ(scores[0], 0.1 + 0.2);
  EXPECT_EQ(rows[0][4], korean);
  EXPECT_EQ(rows[0][5]->size(), long_body.size());
  EXPECT_EQ(rows[0][6], "2026-11-24T10:00:00.000+09:00");
  EXPECT_EQ(rows[1][1], "-2147483648");
  EXPECT_EQ(bigs[1], std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(scores[1], -1e300);
  EXPECT_EQ(rows[1][4], "");  // an empty text is not NULL
  for (const auto& value : rows[2]) {
    if (&value == &rows[2][0]) continue;
    EXPECT_EQ(value, std::nullopt);
  }
  // Aggregates: COUNT is an integer, SUM of a DECIMAL a double, as SOCI's text path reports them.
  db_->Query(*lease, "SELECT COUNT(*), SUM(price), MAX(title) FROM kinds WHERE id <= :max", {3},
             [&](const soci::row& r) {
               EXPECT_EQ(GetInt64(r, 0), 3);
               EXPECT_DOUBLE_EQ(GetDouble(r, 1), 1234.49);
               EXPECT_EQ(GetString(r, 2), korean);
             });
  // A text bound where the column is an integer compares as MariaDB's text path would.
  int found = 0;
  const std::string big = "9007199254740993";
  db_->Query(*lease, "SELECT id FROM kinds WHERE big = :b", {big}, [&](const soci::row&) { ++found; });
  EXPECT_EQ(found, 1);
}

TEST_F(MariaDbStatementTest, LastInsertIdAndErrors_ReadAsSociReportsThem) {
  auto lease = db_->Acquire();
  *lease << "CREATE TABLE seq(id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, name VARCHAR(20) NOT NULL UNIQUE)";
  db_->Execute(*lease, "INSERT INTO seq(name) VALUES(:n)", {"a"});
  db_->Execute(*lease, "INSERT INTO seq(name) VALUES(:n)", {"b"});
  EXPECT_EQ(LastInsertId(*lease, Dialect::kMariaDb), 2);
  try {
    db_->Execute(*lease, "INSERT INTO seq(name) VALUES(:n)", {"a"});
    FAIL() << "a duplicate was inserted";
  } catch (const soci::mysql_soci_error& e) {
    EXPECT_EQ(e.err_num_, 1062);
    EXPECT_NE(std::string(e.what()).find("Duplicate entry"), std::string::npos);
  }
  EXPECT_EQ(db_->Execute(*lease, "INSERT INTO seq(name) VALUES(:n)", {"c"}), 1);
}

TEST_F(MariaDbStatementTest, ConnectionKilledByTheServer_ReadsReconnectAndRunAgain) {
  auto lease = db_->Acquire();
  db_->Execute(*lease, "INSERT INTO kinds(id, title) VALUES(:i, :t)", {1, "kept"});
  auto read = [&] {
    std::string title;
    db_->Query(*lease, "SELECT title FROM kinds WHERE id = :i", {1},
               [&](const soci::row& r) { title = GetString(r, 0); });
    return title;
  };
  EXPECT_EQ(read(), "kept");  // prepared on the first connection
  const long first = ConnectionId(*lease);
  {
    soci::session admin(soci::mysql, db_->Url().connect_string);
    admin << "KILL CONNECTION " + std::to_string(first);  // as a restarted server would drop it
  }
  EXPECT_EQ(read(), "kept");  // the read outside a transaction ran again on a new connection
  EXPECT_NE(ConnectionId(*lease), first);
  EXPECT_EQ(db_->Execute(*lease, "UPDATE kinds SET title = :t WHERE id = :i", {"again", 1}), 1);
}

TEST_F(MariaDbStatementTest, ConnectionLostInATransaction_FailsThenTheNextLeaseWorks) {
  long first = 0;
  {
    auto lease = db_->Acquire();
    first = ConnectionId(*lease);
    db_->Execute(*lease, "INSERT INTO kinds(id, title) VALUES(:i, :t)", {1, "before"});
  }
  bool failed = false;
  for (int attempt = 0; attempt < 2 && !failed; ++attempt) {
    auto lease = db_->Acquire();
    if (ConnectionId(*lease) != first) continue;  // the pool handed out the other connection
    Transaction tx(*lease, Dialect::kMariaDb);
    db_->Execute(*lease, "UPDATE kinds SET title = :t WHERE id = :i", {"lost", 1});
    {
      soci::session admin(soci::mysql, db_->Url().connect_string);
      admin << "KILL CONNECTION " + std::to_string(first);
    }
    // Inside a transaction the work so far is gone with the connection: no silent retry.
    EXPECT_THROW(db_->Query(*lease, "SELECT title FROM kinds WHERE id = :i", {1}, [](const soci::row&) {}),
                 soci::soci_error);
    failed = true;
  }
  ASSERT_TRUE(failed);
  for (int i = 0; i < 2; ++i) {  // both pooled connections work afterwards
    auto lease = db_->Acquire();
    std::string title;
    db_->Query(*lease, "SELECT title FROM kinds WHERE id = :i", {1},
               [&](const soci::row& r) { title = GetString(r, 0); });
    EXPECT_EQ(title, "before");  // the lost transaction's update was rolled back
  }
}

TEST_F(MariaDbStatementTest, SchemaChangedUnderAKeptStatement_AnswersWithTheNewColumns) {
  auto lease = db_->Acquire();
  db_->Execute(*lease, "INSERT INTO kinds(id, title) VALUES(:i, :t)", {1, "one"});
  std::size_t columns = 0;
  auto read = [&] {
    db_->Query(*lease, "SELECT * FROM kinds WHERE id = :i", {1}, [&](const soci::row& r) { columns = r.size(); });
  };
  read();
  EXPECT_EQ(columns, 8u);
  *lease << "ALTER TABLE kinds ADD COLUMN note VARCHAR(10) DEFAULT 'n'";  // a migration
  read();
  EXPECT_EQ(columns, 9u);
  *lease << "ALTER TABLE kinds DROP COLUMN note, DROP COLUMN body";
  read();
  EXPECT_EQ(columns, 7u);
  *lease << "ALTER TABLE kinds MODIFY small VARCHAR(20)";  // same count, another type
  db_->Execute(*lease, "UPDATE kinds SET small = :s WHERE id = :i", {"일곱", 1});
  std::string small;
  db_->Query(*lease, "SELECT small FROM kinds WHERE id = :i", {1},
             [&](const soci::row& r) { small = GetString(r, 0); });
  EXPECT_EQ(small, "일곱");
}

TEST_F(MariaDbStatementTest, Transaction_RolledBack_UndoesKeptStatements) {
  auto lease = db_->Acquire();
  {
    Transaction tx(*lease, Dialect::kMariaDb);
    db_->Execute(*lease, "INSERT INTO kinds(id, title) VALUES(:i, :t)", {1, "gone"});
  }
  {
    Transaction tx(*lease, Dialect::kMariaDb);
    db_->Execute(*lease, "INSERT INTO kinds(id, title) VALUES(:i, :t)", {2, "kept"});
    tx.Commit();
  }
  std::vector<std::string> titles;
  db_->Query(*lease, "SELECT title FROM kinds WHERE id > :i ORDER BY id", {0},
             [&](const soci::row& r) { titles.push_back(GetString(r, 0)); });
  EXPECT_EQ(titles, std::vector<std::string>{"kept"});
}

TEST_F(MariaDbStatementTest, StatementTheServerCannotPrepare_RunsAsText) {
  auto lease = db_->Acquire();
  // Placeholders inside quotes and comments are text, not values.
  EXPECT_EQ(ToPositional("SELECT ':no', \"a:b\", `c:d` -- :x\n FROM t WHERE a = :a AND b=:b2").text,
            "SELECT ':no', \"a:b\", `c:d` -- :x\n FROM t WHERE a = ? AND b=?");
  EXPECT_EQ(ToPositional("WHERE s = 'it''s :x' AND t = :t").placeholders, 1u);
  // PREPARE is one of the few statements MariaDB will not prepare (ER_UNSUPPORTED_PS): sent as text.
  db_->Execute(*lease, "PREPARE twice FROM 'SELECT 2'", {});
  db_->Execute(*lease, "PREPARE twice FROM 'SELECT 2'", {});
  int two = 0;
  db_->Query(*lease, "EXECUTE twice", {}, [&](const soci::row& r) { two = static_cast<int>(GetInt64(r, 0)); });
  EXPECT_EQ(two, 2);
}

}  // namespace
}  // namespace pillivery::storage
