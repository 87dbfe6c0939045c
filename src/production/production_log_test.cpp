// The production log on real SQLite files: rows, queries and filters, schema versions, and the
// files it must refuse with a clear error.
#include "production/production_log.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <fstream>

#include "core/csv.h"
#include "production/log_test_support.h"
#include "production/schema.h"

namespace omv::production {
namespace {

using testing::LogDir;
using testing::sample_attempt;
using testing::sql_text;

void write_bytes(const std::filesystem::path& file, const std::string& bytes) {
  std::ofstream(file, std::ios::binary) << bytes;
}

std::string read_bytes(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

Error error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "no error";
  return Error(ErrorKind::failure, "");
}

TEST(ProductionLog, RecordsAndReadsBackEveryField) {
  LogDir dir;
  const auto file = dir / "production.sqlite3";
  {
    ProductionLog log(file, ProductionLog::Purpose::record);
    EXPECT_EQ(log.journal_mode(), "wal");
    auto a = sample_attempt("SN1", "2026-12-07T10:00:00.000Z");
    a.images.push_back({"erase-fs", "", 4096});
    EXPECT_EQ(log.record(a), 1);
    EXPECT_EQ(log.record(sample_attempt("SN2", "2026-12-07T10:01:00.000Z", false)), 2);
  }
  ProductionLog log(file, ProductionLog::Purpose::read);
  auto rows = log.query({});
  ASSERT_EQ(rows.size(), 2u);
  const auto& ok = rows[0];
  EXPECT_EQ(ok.id, 1);
  EXPECT_EQ(ok.time, "2026-12-07T10:00:00.000Z");
  EXPECT_EQ(ok.station, "line-1");
  EXPECT_EQ(ok.board, "OPENMV4");
  EXPECT_EQ(ok.serial, "SN1");
  EXPECT_EQ(ok.port, "1-4.2");
  EXPECT_EQ(ok.bootloader_version, "4.0.1");
  EXPECT_EQ(ok.bytes_written, 1703936u);
  EXPECT_EQ(ok.bytes_skipped, 65536u);
  EXPECT_EQ(ok.bytes_erased, 0u);
  EXPECT_EQ(ok.verify, Verify::passed);
  EXPECT_DOUBLE_EQ(ok.seconds, 12.5);
  EXPECT_TRUE(ok.ok);
  EXPECT_EQ(ok.omv_version, "0.1.0");
  ASSERT_EQ(ok.images.size(), 3u);
  EXPECT_EQ(ok.images[0].partition, "FIRMWARE");
  EXPECT_EQ(ok.images[0].sha256, std::string(64, 'a'));
  EXPECT_EQ(ok.images[1].partition, "ROMFS0");
  EXPECT_EQ(ok.images[2].partition, "erase-fs");
  EXPECT_EQ(ok.images[2].sha256, "");
  EXPECT_EQ(ok.images[2].bytes, 4096u);

  const auto& failed = rows[1];
  EXPECT_FALSE(failed.ok);
  EXPECT_FALSE(failed.bytes_written.has_value());
  EXPECT_EQ(failed.verify, Verify::not_reached);
  EXPECT_EQ(failed.error_kind, "no_device");
  EXPECT_EQ(failed.error_message, "camera SN2 vanished");

  const auto j = to_json(failed);
  EXPECT_EQ(j["result"], "failed");
  EXPECT_TRUE(j["bytes_written"].is_null());
  EXPECT_EQ(j["error"]["kind"], "no_device");
  EXPECT_TRUE(to_json(ok)["error"].is_null());
  EXPECT_TRUE(to_json(ok)["images"][2]["sha256"].is_null());
}

TEST(ProductionLog, FiltersBySinceSerialBoardFailureAndLimit) {
  LogDir dir;
  ProductionLog log(dir / "log.sqlite3", ProductionLog::Purpose::record);
  for (int i = 0; i < 10; ++i) {
    auto a = sample_attempt(i % 2 ? "ODD" : "EVEN", fmt::format("2026-12-0{}T12:00:00.000Z", i < 5 ? 1 : 2), i % 3 != 0);
    a.board = i < 8 ? "OPENMV4" : "OPENMV_RT1060";
    log.record(a);
  }
  auto ids = [&](const LogFilter& f) {
    std::vector<int64_t> out;
    for (const auto& a : log.query(f)) out.push_back(a.id);
    return out;
  };
  EXPECT_EQ(ids({}), (std::vector<int64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
  LogFilter f;
  f.serial = "ODD";
  EXPECT_EQ(ids(f), (std::vector<int64_t>{2, 4, 6, 8, 10}));
  f = {};
  f.since = "2026-12-02T00:00:00.000Z";
  EXPECT_EQ(ids(f), (std::vector<int64_t>{6, 7, 8, 9, 10}));
  f = {};
  f.failed_only = true;
  EXPECT_EQ(ids(f), (std::vector<int64_t>{1, 4, 7, 10}));
  f = {};
  f.board = "OPENMV_RT1060";
  EXPECT_EQ(ids(f), (std::vector<int64_t>{9, 10}));
  f = {};
  f.limit = 3;  // the newest three, still oldest first
  EXPECT_EQ(ids(f), (std::vector<int64_t>{8, 9, 10}));
  f = {};
  f.serial = "EVEN";
  f.failed_only = true;
  f.since = "2026-12-01T00:00:00.000Z";
  EXPECT_EQ(ids(f), (std::vector<int64_t>{1, 7}));
  f.serial = "NOBODY";
  EXPECT_TRUE(ids(f).empty());
}

TEST(ProductionLog, SerialLookupUsesItsIndex) {
  LogDir dir;
  ProductionLog log(dir / "log.sqlite3", ProductionLog::Purpose::record);
  SqliteDb db(dir / "log.sqlite3", SqliteDb::Access::read_only, std::chrono::milliseconds(1000));
  Statement plan(db, "EXPLAIN QUERY PLAN SELECT id FROM attempt a WHERE a.serial = 'X' ORDER BY a.time DESC", "testing");
  std::string details;
  while (plan.step()) details += plan.text(3) + "\n";
  EXPECT_NE(details.find("attempt_by_serial"), std::string::npos) << details;
}

TEST(ProductionLog, CsvQuotesWhatNeedsIt) {
  auto a = sample_attempt("SN,1", "2026-12-07T10:00:00.000Z", false);
  a.error_message = "the camera said \"no\"\nand left";
  const auto line = csv_line(csv_fields(a));
  EXPECT_NE(line.find("\"SN,1\""), std::string::npos) << line;
  EXPECT_NE(line.find("\"the camera said \"\"no\"\"\nand left\""), std::string::npos) << line;
  EXPECT_EQ(csv_header().size(), csv_fields(a).size());
}

TEST(ProductionLog, RefusesAFileThatIsNotADatabase) {
  LogDir dir;
  const auto file = dir / "notes.txt";
  const std::string text = std::string("these are my notes, not a database\n") + std::string(4096, 'x');
  write_bytes(file, text);
  for (auto purpose : {ProductionLog::Purpose::record, ProductionLog::Purpose::read}) {
    auto e = error_of([&] { ProductionLog log(file, purpose); });
    EXPECT_EQ(e.kind(), ErrorKind::bad_file);
    EXPECT_NE(std::string(e.what()).find(file.string()), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("not a database"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
    EXPECT_FALSE(e.hint().empty());
  }
  EXPECT_EQ(read_bytes(file), text);  // left as it was
}

TEST(ProductionLog, RefusesACorruptLog) {
  LogDir dir;
  const auto file = dir / "log.sqlite3";
  {
    ProductionLog log(file, ProductionLog::Purpose::record);
    for (int i = 0; i < 50; ++i) log.record(sample_attempt("SN" + std::to_string(i), "2026-12-07T10:00:00.000Z"));
  }
  // Garbage over the schema's page, past the 100-byte header.
  auto bytes = read_bytes(file);
  ASSERT_GT(bytes.size(), 8192u);
  for (size_t i = 100; i < 4096; ++i) bytes[i] = static_cast<char>(i * 7);
  write_bytes(file, bytes);
  for (auto purpose : {ProductionLog::Purpose::record, ProductionLog::Purpose::read}) {
    auto e = error_of([&] { ProductionLog log(file, purpose); log.query({}); });
    EXPECT_EQ(e.kind(), ErrorKind::bad_file) << e.what();
    EXPECT_NE(std::string(e.what()).find(file.string()), std::string::npos) << e.what();
    EXPECT_NE(e.hint().find(".recover"), std::string::npos) << e.hint();
  }
}

TEST(ProductionLog, RefusesAnotherProgramsDatabase) {
  LogDir dir;
  const auto file = dir / "other.sqlite3";
  {
    SqliteDb db(file, SqliteDb::Access::read_write_create, std::chrono::milliseconds(1000));
    db.exec("CREATE TABLE inventory (item TEXT)", "testing");
  }
  auto e = error_of([&] { ProductionLog log(file, ProductionLog::Purpose::record); });
  EXPECT_EQ(e.kind(), ErrorKind::bad_file);
  EXPECT_NE(std::string(e.what()).find("not an omv production log"), std::string::npos) << e.what();
  EXPECT_EQ(sql_text(file, "SELECT group_concat(name) FROM sqlite_schema"), "inventory");
}

TEST(ProductionLog, MigratesStepByStepAndRefusesANewerSchema) {
  LogDir dir;
  const auto file = dir / "log.sqlite3";
  {
    ProductionLog log(file, ProductionLog::Purpose::record);
    log.record(sample_attempt("SN1", "2026-12-07T10:00:00.000Z"));
  }
  EXPECT_EQ(sql_text(file, "PRAGMA user_version"), std::to_string(schema_version()));
  {
    // A later omv's step, applied to this omv's log: the row is kept and the version moves on.
    std::vector<std::string_view> steps(migrations().begin(), migrations().end());
    steps.push_back("ALTER TABLE attempt ADD COLUMN operator TEXT");
    SqliteDb db(file, SqliteDb::Access::read_write_create, std::chrono::milliseconds(1000));
    migrate(db, steps);
    migrate(db, steps);  // nothing left to do
  }
  EXPECT_EQ(sql_text(file, "PRAGMA user_version"), std::to_string(schema_version() + 1));
  EXPECT_EQ(sql_text(file, "SELECT serial FROM attempt"), "SN1");
  EXPECT_EQ(sql_text(file, "SELECT count(*) FROM pragma_table_info('attempt') WHERE name = 'operator'"), "1");
  for (auto purpose : {ProductionLog::Purpose::record, ProductionLog::Purpose::read}) {
    auto e = error_of([&] { ProductionLog log(file, purpose); });
    EXPECT_EQ(e.kind(), ErrorKind::unsupported);
    EXPECT_NE(std::string(e.what()).find("newer omv"), std::string::npos) << e.what();
  }
}

TEST(ProductionLog, ReadingNeitherCreatesNorChangesAFile) {
  LogDir dir;
  auto e = error_of([&] { ProductionLog log(dir / "missing.sqlite3", ProductionLog::Purpose::read); });
  EXPECT_EQ(e.kind(), ErrorKind::io);
  EXPECT_NE(std::string(e.what()).find("missing.sqlite3"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir / "missing.sqlite3"));
}

TEST(ProductionLog, FolderOfAnExplicitFileMustExist) {
  LogDir dir;
  auto e = error_of([&] { ProductionLog log(dir / "not-mounted/log.sqlite3", ProductionLog::Purpose::record); });
  EXPECT_EQ(e.kind(), ErrorKind::io);
  EXPECT_NE(std::string(e.what()).find("does not exist"), std::string::npos) << e.what();
  EXPECT_FALSE(std::filesystem::exists(dir / "not-mounted"));
  // The default file's folder is created.
  ProductionLog log(dir / "share/omv/production.sqlite3", ProductionLog::Purpose::record, true);
  EXPECT_TRUE(std::filesystem::exists(dir / "share/omv/production.sqlite3"));
  auto folder = error_of([&] { ProductionLog l(dir.path(), ProductionLog::Purpose::record); });
  EXPECT_EQ(folder.kind(), ErrorKind::io);
}

TEST(SqliteError, EachCauseHasItsKind) {
  const std::filesystem::path f = "/x/log.sqlite3";
  const std::chrono::milliseconds t(5000);
  EXPECT_EQ(sqlite_error(f, 26, "file is not a database", "opening it", t).kind(), ErrorKind::bad_file);
  EXPECT_EQ(sqlite_error(f, 11, "database disk image is malformed", "x", t).kind(), ErrorKind::bad_file);
  EXPECT_EQ(sqlite_error(f, 5, "database is locked", "x", t).kind(), ErrorKind::timeout);
  EXPECT_EQ(sqlite_error(f, 13, "database or disk is full", "x", t).kind(), ErrorKind::io);
  EXPECT_EQ(sqlite_error(f, 8, "attempt to write a readonly database", "x", t).kind(), ErrorKind::permission);
  EXPECT_EQ(sqlite_error(f, 10 | (4 << 8), "disk I/O error", "x", t).kind(), ErrorKind::io);  // SQLITE_IOERR_READ
  const std::string locked = sqlite_error(f, 5, "database is locked", "recording an attempt", t).what();
  EXPECT_NE(locked.find("/x/log.sqlite3"), std::string::npos);
  EXPECT_NE(locked.find("5.0 s"), std::string::npos) << locked;
}

}  // namespace
}  // namespace omv::production
