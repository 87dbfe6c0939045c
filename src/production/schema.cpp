#include "production/schema.h"

#include <fmt/format.h>

namespace omv::production {
namespace {

// Version 1. The SHA-256 of each image is a row of attempt_image rather than a JSON column:
// "which cameras carry this firmware" is then an indexed lookup, each digest is checked as it
// is stored, and nothing has to parse JSON to read it.
constexpr std::string_view kVersion1 = R"sql(
CREATE TABLE attempt (
  id INTEGER PRIMARY KEY,
  time TEXT NOT NULL,
  station TEXT NOT NULL,
  board TEXT NOT NULL,
  serial TEXT NOT NULL,
  port TEXT NOT NULL,
  bootloader_version TEXT NOT NULL,
  bytes_written INTEGER,
  bytes_skipped INTEGER,
  bytes_erased INTEGER,
  verify TEXT NOT NULL CHECK (verify IN ('off', 'passed', 'failed', 'not reached')),
  seconds REAL NOT NULL,
  result TEXT NOT NULL CHECK (result IN ('ok', 'failed')),
  error_kind TEXT,
  error_message TEXT,
  omv_version TEXT NOT NULL
);
CREATE INDEX attempt_by_serial ON attempt (serial, time);
CREATE INDEX attempt_by_board ON attempt (board, time);
CREATE INDEX attempt_by_time ON attempt (time);
CREATE INDEX attempt_failed_by_time ON attempt (time) WHERE result = 'failed';
CREATE TABLE attempt_image (
  attempt_id INTEGER NOT NULL REFERENCES attempt (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  partition TEXT NOT NULL,
  sha256 TEXT CHECK (sha256 IS NULL OR length(sha256) = 64),
  bytes INTEGER NOT NULL,
  PRIMARY KEY (attempt_id, position)
) WITHOUT ROWID;
CREATE INDEX attempt_image_by_sha256 ON attempt_image (sha256);
)sql";

constexpr std::string_view kMigrations[] = {kVersion1};

int64_t pragma_number(SqliteDb& db, const char* name) {
  Statement st(db, fmt::format("PRAGMA {}", name), "reading its header");
  return st.step() ? st.integer(0) : 0;
}

int64_t table_count(SqliteDb& db) {
  Statement st(db, "SELECT count(*) FROM sqlite_schema", "reading its tables");
  return st.step() ? st.integer(0) : 0;
}

void check_ours(SqliteDb& db, int64_t application_id, int64_t version) {
  const bool ours = application_id == kApplicationId;
  const bool fresh = application_id == 0 && version == 0 && table_count(db) == 0;
  if (!ours && !fresh)
    fail(ErrorKind::bad_file,
         fmt::format("{}: an SQLite database, but not an omv production log (application id {:#x})", db.file().string(),
                     application_id),
         "give --log a file of its own; omv does not add its tables to another program's database");
}

}  // namespace

std::span<const std::string_view> migrations() { return kMigrations; }
int schema_version() { return static_cast<int>(std::size(kMigrations)); }

void migrate(SqliteDb& db, std::span<const std::string_view> steps) {
  db.exec("BEGIN IMMEDIATE", "locking it to check its tables");
  try {
    const int64_t application_id = pragma_number(db, "application_id");
    const int64_t version = pragma_number(db, "user_version");
    check_ours(db, application_id, version);
    const auto newest = static_cast<int64_t>(steps.size());
    if (version > newest)
      fail(ErrorKind::unsupported,
           fmt::format("{}: production log of a newer omv (schema {}; this omv knows up to {})", db.file().string(), version,
                       newest),
           "use the newer omv with this file, or give --log another file");
    for (int64_t v = version; v < newest; ++v)
      db.exec(std::string(steps[static_cast<size_t>(v)]).c_str(), fmt::format("upgrading it to schema {}", v + 1));
    if (version != newest) {
      db.exec(fmt::format("PRAGMA application_id = {}", kApplicationId).c_str(), "marking it as a production log");
      db.exec(fmt::format("PRAGMA user_version = {}", newest).c_str(), "recording its schema version");
    }
    db.exec("COMMIT", "committing its tables");
  } catch (...) {
    db.rollback();
    throw;
  }
}

void check_readable(SqliteDb& db, int version) {
  const int64_t application_id = pragma_number(db, "application_id");
  const int64_t found = pragma_number(db, "user_version");
  if (application_id == 0 && found == 0 && table_count(db) == 0)
    fail(ErrorKind::bad_file, fmt::format("{}: an empty database, not a production log yet", db.file().string()),
         "omv flash TARGET --log FILE records into it");
  check_ours(db, application_id, found);
  if (found > version)
    fail(ErrorKind::unsupported,
         fmt::format("{}: production log of a newer omv (schema {}; this omv reads up to {})", db.file().string(), found,
                     version),
         "read it with the newer omv");
  if (found < version)
    fail(ErrorKind::unsupported,
         fmt::format("{}: production log of an older omv (schema {}; this omv reads {})", db.file().string(), found,
                     version),
         "omv flash TARGET --log FILE upgrades it the next time it records into it");
}

}  // namespace omv::production
