#pragma once
// How this process's SQLite writers wait for each other. SQLite's own busy
// handler sleeps 1, 2, 5, 10, 15, 20, 25… ms between tries to take the write
// lock, whatever happens meanwhile; with many short write transactions (the
// billing groups, the outbox) a writer slept long after the lock was free, and
// a single-node billing run used one of its two cores. Here a busy writer waits
// on a condition variable that every commit of the same database signals (the
// WAL hook runs once the write lock is let go), so it tries again at once; a
// bounded wait covers a rollback or another process, which do not signal.
//
// Installed on every pooled connection of one Database. Setting the WAL hook
// turns off SQLite's automatic checkpoint, so the hook runs it itself: a
// passive checkpoint once the WAL holds 4000 pages (SQLite's default is 1000).
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

struct sqlite3;

namespace pillivery::storage {

class SqliteCommitSignal {
 public:
  explicit SqliteCommitSignal(std::chrono::milliseconds give_up_after = std::chrono::seconds(10))
      : give_up_after_(give_up_after) {}
  SqliteCommitSignal(const SqliteCommitSignal&) = delete;
  SqliteCommitSignal& operator=(const SqliteCommitSignal&) = delete;

  // Replaces the connection's busy timeout and WAL hook.
  void Install(sqlite3* connection);

  std::uint64_t Commits() const {
    std::lock_guard lock(mutex_);
    return commits_;
  }
  // Times a writer found the lock taken and waited (tests wait on it instead of sleeping).
  std::uint64_t BusyWaits() const {
    std::lock_guard lock(mutex_);
    return busy_waits_;
  }

 private:
  static int OnBusy(void* self, int tries);
  static int OnCommit(void* self, sqlite3* connection, const char* database, int wal_pages);

  const std::chrono::milliseconds give_up_after_;
  mutable std::mutex mutex_;
  std::condition_variable committed_;
  std::uint64_t commits_ = 0;
  std::uint64_t busy_waits_ = 0;
};

}  // namespace pillivery::storage
