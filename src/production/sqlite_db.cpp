#include "production/sqlite_db.h"

#include <fmt/format.h>
#include <sqlite3.h>

namespace omv::production {

Error sqlite_error(const std::filesystem::path& file, int code, std::string_view detail, std::string_view doing,
                   std::chrono::milliseconds busy_timeout) {
  const std::string where = file.string();
  switch (code & 0xFF) {
    case SQLITE_NOTADB:
      return Error(ErrorKind::bad_file, fmt::format("{}: {} ({})", where, detail, doing),
                   "it is not an SQLite database; give --log a file of its own (omv never overwrites a file it cannot read)");
    case SQLITE_CORRUPT:
      return Error(ErrorKind::bad_file, fmt::format("{}: {} ({})", where, detail, doing),
                   fmt::format("the file is damaged: 'sqlite3 {} .recover | sqlite3 NEW.sqlite3' saves what it can; "
                               "log to a new file meanwhile", where));
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Error(ErrorKind::timeout,
                   fmt::format("{}: still locked by another program after {:.1f} s ({})", where,
                               static_cast<double>(busy_timeout.count()) / 1000.0, doing),
                   "something keeps a write transaction open on it (an sqlite3 shell?); end it, or log to another file");
    case SQLITE_FULL:
      return Error(ErrorKind::io, fmt::format("{}: {} ({})", where, detail, doing),
                   "free space on the disk that holds it; the rows committed before are kept");
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return Error(ErrorKind::permission, fmt::format("{}: {} ({})", where, detail, doing),
                   "make the file and its folder writable for this user (SQLite also writes FILE-wal and FILE-shm beside it)");
    case SQLITE_CANTOPEN:
      return Error(ErrorKind::io, fmt::format("{}: {} ({})", where, detail, doing),
                   "check that the file's folder exists and that this user may write there");
    case SQLITE_IOERR:
      return Error(ErrorKind::io, fmt::format("{}: {} ({})", where, detail, doing), "check the disk that holds it");
    default:
      return Error(ErrorKind::failure, fmt::format("{}: {} ({})", where, detail, doing));
  }
}

SqliteDb::SqliteDb(std::filesystem::path file, Access access, std::chrono::milliseconds busy_timeout)
    : file_(std::move(file)), busy_timeout_(busy_timeout) {
  const int flags = access == Access::read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  const int rc = sqlite3_open_v2(file_.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    const std::string detail = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw sqlite_error(file_, rc, detail, "opening the production log", busy_timeout_);
  }
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, static_cast<int>(busy_timeout_.count()));
}

SqliteDb::~SqliteDb() { sqlite3_close_v2(db_); }

void SqliteDb::exec(const char* sql, std::string_view doing) {
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) fail_with(rc, doing);
}

void SqliteDb::rollback() noexcept {
  if (in_transaction()) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

void SqliteDb::fail_with(int code, std::string_view doing) const {
  throw sqlite_error(file_, code, sqlite3_errmsg(db_), doing, busy_timeout_);
}

bool SqliteDb::read_only() const { return sqlite3_db_readonly(db_, "main") == 1; }
bool SqliteDb::in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }
int64_t SqliteDb::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

Statement::Statement(SqliteDb& db, std::string_view sql, std::string doing) : db_(db), doing_(std::move(doing)) {
  const int rc = sqlite3_prepare_v3(db_.handle(), sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                    &stmt_, nullptr);
  if (rc != SQLITE_OK) db_.fail_with(rc, doing_);
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

void Statement::bind_text(int index, std::string_view value) {
  const int rc = sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) db_.fail_with(rc, doing_);
}

void Statement::bind_int(int index, int64_t value) {
  const int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) db_.fail_with(rc, doing_);
}

void Statement::bind_real(int index, double value) {
  const int rc = sqlite3_bind_double(stmt_, index, value);
  if (rc != SQLITE_OK) db_.fail_with(rc, doing_);
}

void Statement::bind_null(int index) {
  const int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK) db_.fail_with(rc, doing_);
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  try {
    db_.fail_with(rc, doing_);  // reads SQLite's message before the reset below replaces it
  } catch (...) {
    sqlite3_reset(stmt_);
    throw;
  }
}

void Statement::run() {
  while (step()) {
  }
  reset();
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

int64_t Statement::integer(int column) const { return sqlite3_column_int64(stmt_, column); }
double Statement::real(int column) const { return sqlite3_column_double(stmt_, column); }
bool Statement::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

std::string Statement::text(int column) const {
  const auto* bytes = sqlite3_column_text(stmt_, column);
  if (!bytes) return {};
  return std::string(reinterpret_cast<const char*>(bytes), static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

}  // namespace omv::production
