#include "production/production_log.h"

#include <fmt/format.h>

#include <algorithm>
#include <system_error>

#include "production/schema.h"

namespace omv::production {
namespace {

void prepare_place(const std::filesystem::path& file, bool create_folder) {
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec))
    fail(ErrorKind::io, fmt::format("{}: a folder, not a production log file", file.string()),
         "give --log a file name, e.g. " + (file / "production.sqlite3").string());
  const auto folder = file.parent_path().empty() ? std::filesystem::path(".") : file.parent_path();
  if (std::filesystem::is_directory(folder, ec)) return;
  if (!create_folder)
    fail(ErrorKind::io, fmt::format("{}: its folder {} does not exist", file.string(), folder.string()),
         "create the folder, or check the path (a disk that is not mounted?)");
  std::filesystem::create_directories(folder, ec);
  if (ec)
    fail(ErrorKind::io, fmt::format("{}: cannot create its folder {}: {}", file.string(), folder.string(), ec.message()),
         "give --log a file in a folder this user may write to");
}

std::string query_text(SqliteDb& db, const char* sql, const char* doing) {
  Statement st(db, sql, doing);
  return st.step() ? st.text(0) : std::string();
}

constexpr std::string_view kInsertAttempt =
    "INSERT INTO attempt (time, station, board, serial, port, bootloader_version, bytes_written, bytes_skipped, "
    "bytes_erased, verify, seconds, result, error_kind, error_message, omv_version) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)";
constexpr std::string_view kInsertImage =
    "INSERT INTO attempt_image (attempt_id, position, partition, sha256, bytes) VALUES (?1, ?2, ?3, ?4, ?5)";

// The images of each attempt come as one JSON array of [position, partition, sha256, bytes]
// from a subquery, so a query is one statement whatever the number of rows.
constexpr std::string_view kSelect =
    "SELECT a.id, a.time, a.station, a.board, a.serial, a.port, a.bootloader_version, a.bytes_written, "
    "a.bytes_skipped, a.bytes_erased, a.verify, a.seconds, a.result, a.error_kind, a.error_message, a.omv_version, "
    "(SELECT json_group_array(json_array(i.position, i.partition, i.sha256, i.bytes)) FROM attempt_image i "
    "WHERE i.attempt_id = a.id) FROM attempt a";

void bind_optional(Statement& st, int index, const std::optional<uint64_t>& value) {
  if (value)
    st.bind_int(index, static_cast<int64_t>(*value));
  else
    st.bind_null(index);
}

std::optional<uint64_t> optional_column(const Statement& st, int column) {
  if (st.is_null(column)) return std::nullopt;
  return static_cast<uint64_t>(st.integer(column));
}

std::vector<ImageDigest> images_from(const std::string& json_text) {
  std::vector<std::pair<int64_t, ImageDigest>> rows;
  const auto array = nlohmann::json::parse(json_text, nullptr, false);
  if (!array.is_array()) return {};
  for (const auto& r : array) {
    if (!r.is_array() || r.size() != 4) continue;
    ImageDigest d;
    d.partition = r[1].is_string() ? r[1].get<std::string>() : "";
    d.sha256 = r[2].is_string() ? r[2].get<std::string>() : "";
    d.bytes = r[3].is_number_unsigned() ? r[3].get<uint64_t>() : 0;
    rows.emplace_back(r[0].is_number() ? r[0].get<int64_t>() : 0, std::move(d));
  }
  std::sort(rows.begin(), rows.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<ImageDigest> out;
  for (auto& r : rows) out.push_back(std::move(r.second));
  return out;
}

Attempt attempt_from(const Statement& st) {
  Attempt a;
  a.id = st.integer(0);
  a.time = st.text(1);
  a.station = st.text(2);
  a.board = st.text(3);
  a.serial = st.text(4);
  a.port = st.text(5);
  a.bootloader_version = st.text(6);
  a.bytes_written = optional_column(st, 7);
  a.bytes_skipped = optional_column(st, 8);
  a.bytes_erased = optional_column(st, 9);
  a.verify = parse_verify(st.text(10)).value_or(Verify::off);
  a.seconds = st.real(11);
  a.ok = st.text(12) == "ok";
  a.error_kind = st.text(13);
  a.error_message = st.text(14);
  a.omv_version = st.text(15);
  a.images = images_from(st.text(16));
  return a;
}

}  // namespace

ProductionLog::ProductionLog(std::filesystem::path file, Purpose purpose, bool create_folder,
                             std::chrono::milliseconds busy_timeout, bool sync_each_attempt)
    : file_(std::move(file)) {
  if (purpose == Purpose::read) {
    std::error_code ec;
    if (!std::filesystem::exists(file_, ec))
      fail(ErrorKind::io, fmt::format("{}: no production log there", file_.string()),
           "omv flash TARGET --log FILE starts one; omv log --log FILE reads another file");
    db_ = std::make_unique<SqliteDb>(file_, SqliteDb::Access::read_only, busy_timeout);
    check_readable(*db_, schema_version());
    return;
  }
  prepare_place(file_, create_folder);
  db_ = std::make_unique<SqliteDb>(file_, SqliteDb::Access::read_write_create, busy_timeout);
  if (db_->read_only())
    fail(ErrorKind::permission, fmt::format("{}: the file is read-only for this user", file_.string()),
         "make the file and its folder writable (SQLite also writes FILE-wal and FILE-shm beside it)");
  // WAL: a commit is an append to FILE-wal, readers keep reading while a writer writes, and a
  // process killed mid-transaction leaves only an uncommitted tail that the next opener ignores.
  journal_mode_ = query_text(*db_, "PRAGMA journal_mode = WAL", "opening the production log");
  // NORMAL: a commit is written to the WAL, not synced; the checkpoint at close syncs (see the header).
  db_->exec(sync_each_attempt ? "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON"
                              : "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON",
            "opening the production log");
  migrate(*db_, migrations());
  insert_attempt_ = std::make_unique<Statement>(*db_, kInsertAttempt, "recording an attempt");
  insert_image_ = std::make_unique<Statement>(*db_, kInsertImage, "recording an attempt's images");
}

ProductionLog::~ProductionLog() {
  insert_attempt_.reset();
  insert_image_.reset();
  // Syncs the WAL, then copies it into the database, even when other processes keep the file
  // open (the last connection to close would do it anyway, but only the last).
  if (db_ && !db_->read_only()) {
    try {
      db_->exec("PRAGMA wal_checkpoint(PASSIVE)", "syncing the production log");
    } catch (const Error&) {
      // A busy or full disk leaves the rows in the WAL, where the next opener finds them.
    }
  }
}

int64_t ProductionLog::record(const Attempt& a) {
  if (!insert_attempt_) fail(ErrorKind::failure, fmt::format("{}: opened for reading only", file_.string()));
  std::lock_guard lock(mutex_);
  db_->exec("BEGIN IMMEDIATE", "locking it to record an attempt");
  try {
    auto& st = *insert_attempt_;
    st.bind_text(1, a.time);
    st.bind_text(2, a.station);
    st.bind_text(3, a.board);
    st.bind_text(4, a.serial);
    st.bind_text(5, a.port);
    st.bind_text(6, a.bootloader_version);
    bind_optional(st, 7, a.bytes_written);
    bind_optional(st, 8, a.bytes_skipped);
    bind_optional(st, 9, a.bytes_erased);
    st.bind_text(10, verify_name(a.verify));
    st.bind_real(11, a.seconds);
    st.bind_text(12, a.ok ? "ok" : "failed");
    if (a.ok) {
      st.bind_null(13);
      st.bind_null(14);
    } else {
      st.bind_text(13, a.error_kind);
      st.bind_text(14, a.error_message);
    }
    st.bind_text(15, a.omv_version);
    st.run();
    const int64_t id = db_->last_insert_rowid();
    int64_t position = 0;
    for (const auto& image : a.images) {
      auto& im = *insert_image_;
      im.bind_int(1, id);
      im.bind_int(2, position++);
      im.bind_text(3, image.partition);
      if (image.sha256.empty())
        im.bind_null(4);
      else
        im.bind_text(4, image.sha256);
      im.bind_int(5, static_cast<int64_t>(image.bytes));
      im.run();
    }
    db_->exec("COMMIT", "committing an attempt");
    return id;
  } catch (...) {
    insert_attempt_->reset();
    insert_image_->reset();
    db_->rollback();
    throw;
  }
}

std::vector<Attempt> ProductionLog::query(const LogFilter& filter) {
  std::string sql(kSelect);
  std::vector<std::string> conditions;
  if (filter.since) conditions.push_back("a.time >= ?1");
  if (!filter.serial.empty()) conditions.push_back("a.serial = ?2");
  if (!filter.board.empty()) conditions.push_back("a.board = ?3");
  if (filter.failed_only) conditions.push_back("a.result = 'failed'");
  for (size_t i = 0; i < conditions.size(); ++i) sql += (i ? " AND " : " WHERE ") + conditions[i];
  sql += " ORDER BY a.time DESC, a.id DESC";
  if (filter.limit) sql += " LIMIT ?4";

  std::lock_guard lock(mutex_);
  Statement st(*db_, sql, "reading attempts");
  if (filter.since) st.bind_text(1, *filter.since);
  if (!filter.serial.empty()) st.bind_text(2, filter.serial);
  if (!filter.board.empty()) st.bind_text(3, filter.board);
  if (filter.limit) st.bind_int(4, static_cast<int64_t>(filter.limit));
  std::vector<Attempt> out;
  while (st.step()) out.push_back(attempt_from(st));
  std::reverse(out.begin(), out.end());
  return out;
}

}  // namespace omv::production
