// SQLite writers of one process wait for each other's commits instead of
// SQLite's fixed sleeps; the WAL is still checkpointed.
#include "storage/sqlite_commit_signal.hpp"

#include <gtest/gtest.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <thread>

#include "support/test_support.hpp"

namespace pillivery::storage {
namespace {

using namespace sqlite_api;

class Connection {
 public:
  Connection(const std::string& path, SqliteCommitSignal& signal) {
    EXPECT_EQ(sqlite3_open(path.c_str(), &db_), SQLITE_OK);
    Exec("PRAGMA journal_mode=WAL");
    signal.Install(db_);
  }
  ~Connection() { sqlite3_close(db_); }
  int Exec(const std::string& sql) { return sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr); }

 private:
  sqlite3* db_ = nullptr;
};

class SqliteCommitSignalTest : public ::testing::Test {
 protected:
  std::string Path() const { return (std::filesystem::path(dir_.Path()) / "signal.db").string(); }
  testing::TempDir dir_;
};

TEST_F(SqliteCommitSignalTest, AWaitingWriterGoesOnWhenTheOtherCommits) {
  SqliteCommitSignal signal;
  Connection first(Path(), signal), second(Path(), signal);
  ASSERT_EQ(first.Exec("CREATE TABLE t(v INTEGER)"), SQLITE_OK);
  ASSERT_EQ(first.Exec("BEGIN IMMEDIATE"), SQLITE_OK);
  ASSERT_EQ(first.Exec("INSERT INTO t VALUES(1)"), SQLITE_OK);
  std::atomic<bool> second_in{false};
  std::thread other([&] {
    EXPECT_EQ(second.Exec("BEGIN IMMEDIATE"), SQLITE_OK);  // waits for the first writer
    second_in = true;
    EXPECT_EQ(second.Exec("INSERT INTO t VALUES(2)"), SQLITE_OK);
    EXPECT_EQ(second.Exec("COMMIT"), SQLITE_OK);
  });
  // The second writer has found the lock taken and waits in the busy handler.
  while (signal.BusyWaits() == 0) std::this_thread::yield();
  EXPECT_FALSE(second_in.load());
  const auto commits = signal.Commits();
  ASSERT_EQ(first.Exec("COMMIT"), SQLITE_OK);
  other.join();
  EXPECT_TRUE(second_in.load());
  EXPECT_EQ(signal.Commits(), commits + 2);
}

TEST_F(SqliteCommitSignalTest, AWriterGivesUpWithBusyWhenTheLockIsNeverLetGo) {
  SqliteCommitSignal signal(std::chrono::milliseconds(100));
  Connection first(Path(), signal), second(Path(), signal);
  ASSERT_EQ(first.Exec("CREATE TABLE t(v INTEGER)"), SQLITE_OK);
  ASSERT_EQ(first.Exec("BEGIN IMMEDIATE"), SQLITE_OK);
  EXPECT_EQ(second.Exec("BEGIN IMMEDIATE"), SQLITE_BUSY);
  ASSERT_EQ(first.Exec("ROLLBACK"), SQLITE_OK);
  EXPECT_EQ(second.Exec("BEGIN IMMEDIATE"), SQLITE_OK);  // a rollback frees it too
  EXPECT_EQ(second.Exec("COMMIT"), SQLITE_OK);
}

TEST_F(SqliteCommitSignalTest, TheWalIsCheckpointedAsSqliteWouldHaveDone) {
  SqliteCommitSignal signal;
  Connection writer(Path(), signal);
  ASSERT_EQ(writer.Exec("CREATE TABLE t(v TEXT)"), SQLITE_OK);
  // ~40 MB through the WAL in 4 KiB pages, a commit each: without checkpoints
  // it would hold them all; with them it starts over after each 16 MiB.
  for (int i = 0; i < 10'000; ++i) ASSERT_EQ(writer.Exec("INSERT INTO t VALUES(zeroblob(4000))"), SQLITE_OK);
  const auto wal = std::filesystem::file_size(Path() + "-wal");
  EXPECT_LT(wal, 30u * 1024 * 1024) << "the WAL grew without checkpoints";
}

}  // namespace
}  // namespace pillivery::storage
