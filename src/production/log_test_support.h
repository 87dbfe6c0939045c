#pragma once
// Shared by the production log's unit tests: a temporary folder and attempts to record.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>

#include "production/attempt.h"
#include "production/sqlite_db.h"

namespace omv::production::testing {

class LogDir {
 public:
  LogDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "omv-log-test-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~LogDir() {
    std::error_code ec;
    std::filesystem::permissions(path_, std::filesystem::perms::owner_all, ec);
    std::filesystem::remove_all(path_, ec);
  }
  LogDir(const LogDir&) = delete;
  LogDir& operator=(const LogDir&) = delete;
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline Attempt sample_attempt(const std::string& serial, const std::string& time, bool ok = true) {
  Attempt a;
  a.time = time;
  a.station = "line-1";
  a.board = "OPENMV4";
  a.serial = serial;
  a.port = "1-4.2";
  a.bootloader_version = "4.0.1";
  a.images = {{"FIRMWARE", std::string(64, 'a'), 1703936}, {"ROMFS0", std::string(64, 'b'), 65536}};
  if (ok) {
    a.bytes_written = 1703936;
    a.bytes_skipped = 65536;
    a.bytes_erased = 0;
    a.verify = Verify::passed;
  } else {
    a.verify = Verify::not_reached;
    a.error_kind = "no_device";
    a.error_message = "camera " + serial + " vanished";
  }
  a.seconds = 12.5;
  a.ok = ok;
  a.omv_version = "0.1.0";
  return a;
}

// A query answered by SQLite directly, beside the code under test.
inline std::string sql_text(const std::filesystem::path& file, const std::string& sql) {
  SqliteDb db(file, SqliteDb::Access::read_only, std::chrono::milliseconds(2000));
  Statement st(db, sql, "testing");
  return st.step() ? st.text(0) : std::string();
}

}  // namespace omv::production::testing
