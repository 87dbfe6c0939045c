#pragma once
// One SQLite connection and its prepared statements. Every SQLite failure becomes an
// omv::Error whose one-line message names the database file, with the kind and hint its cause
// calls for: not a database or corrupt (bad_file), locked past the busy timeout (timeout), disk
// full (io), read-only (permission).
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/error.h"

struct sqlite3;
struct sqlite3_stmt;

namespace omv::production {

// The Error for SQLite result code `code` (extended codes too) met while `doing` something.
Error sqlite_error(const std::filesystem::path& file, int code, std::string_view detail, std::string_view doing,
                   std::chrono::milliseconds busy_timeout);

class SqliteDb {
 public:
  enum class Access { read_only, read_write_create };
  // Opens (for read_write_create, creates) the file. SQLite reads nothing yet: a file that is not
  // a database fails at the first statement.
  SqliteDb(std::filesystem::path file, Access access, std::chrono::milliseconds busy_timeout);
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  // Runs statements that return no rows.
  void exec(const char* sql, std::string_view doing);
  // Ends an open transaction without keeping its changes; quiet, for use while an error unwinds.
  void rollback() noexcept;
  [[noreturn]] void fail_with(int code, std::string_view doing) const;
  bool read_only() const;
  bool in_transaction() const;
  int64_t last_insert_rowid() const;
  const std::filesystem::path& file() const { return file_; }
  sqlite3* handle() const { return db_; }

 private:
  std::filesystem::path file_;
  std::chrono::milliseconds busy_timeout_;
  sqlite3* db_ = nullptr;
};

class Statement {
 public:
  Statement(SqliteDb& db, std::string_view sql, std::string doing);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Parameters are numbered from 1.
  void bind_text(int index, std::string_view value);
  void bind_int(int index, int64_t value);
  void bind_real(int index, double value);
  void bind_null(int index);
  // True while a row is ready to read; false once the statement is done.
  bool step();
  // Steps to the end, then resets (an INSERT or UPDATE).
  void run();
  // Makes the statement ready to run again, its parameters cleared.
  void reset();

  // Columns are numbered from 0.
  int64_t integer(int column) const;
  double real(int column) const;
  std::string text(int column) const;
  bool is_null(int column) const;

 private:
  SqliteDb& db_;
  std::string doing_;
  sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace omv::production
