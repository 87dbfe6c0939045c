#pragma once
// The production log: every attempt at flashing a camera, one row each, in an SQLite file.
// Each attempt is one transaction in WAL mode, so a killed omv loses no committed row, readers
// never wait for writers, and several omv processes (or threads of one) may record into the
// same file at once: a writer that finds it locked waits up to the busy timeout.
//
// Durability against a power cut costs an fsync, 4 ms per commit on a virtual disk and more on
// an SD card. By default the rows are synced to disk once, when the log is closed at the end of
// the command (a checkpoint); a commit alone reaches the operating system, which keeps it
// through the death of omv. sync_each_attempt syncs every commit instead.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "production/attempt.h"
#include "production/sqlite_db.h"

namespace omv::production {

struct LogFilter {
  std::optional<std::string> since;  // attempts at or after this UTC ISO-8601 time (iso8601_utc)
  std::string serial;                // empty: any
  std::string board;                 // empty: any
  bool failed_only = false;
  size_t limit = 0;                  // only the newest N; 0: all
};

class ProductionLog {
 public:
  static constexpr std::chrono::milliseconds kBusyTimeout{5000};
  enum class Purpose { record, read };

  // record: creates the file (and, with create_folder, its folder), upgrades its schema, and
  // checks it can be written, so a log that will not take rows fails before any camera is
  // touched. read: opens an existing log and changes nothing.
  ProductionLog(std::filesystem::path file, Purpose purpose, bool create_folder = false,
                std::chrono::milliseconds busy_timeout = kBusyTimeout, bool sync_each_attempt = false);
  ~ProductionLog();

  // One transaction; returns the row's id. Safe to call from several threads.
  int64_t record(const Attempt& attempt);
  // Oldest first (by time, then id); with a limit, the newest `limit` of the matches.
  std::vector<Attempt> query(const LogFilter& filter);

  const std::filesystem::path& file() const { return file_; }
  std::string journal_mode() const { return journal_mode_; }

 private:
  std::filesystem::path file_;
  std::unique_ptr<SqliteDb> db_;
  std::unique_ptr<Statement> insert_attempt_, insert_image_;
  std::string journal_mode_;
  std::mutex mutex_;
};

}  // namespace omv::production
