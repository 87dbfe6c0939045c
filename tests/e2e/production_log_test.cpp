// omv flash --log and omv log: virtual cameras flashed with a production log, then the rows
// read back as JSON, CSV (parsed by Python's csv module) and a table; failed attempts recorded
// with their reason; a log that cannot take rows stops the flash before any camera is touched.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <set>

#include "dfu_support.h"
#include "production/sqlite_db.h"
#include "sdk/sha256.h"

namespace omv::test::production_log_test {
namespace {

constexpr size_t kFirmwareOffset = 0x40000;  // OPENMV4 FIRMWARE in internal.bin

nlohmann::json log_rows(const std::vector<std::string>& args, const RunOptions& options = {}) {
  std::vector<std::string> argv{"log", "--json"};
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = omv(argv, options);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto doc = nlohmann::json::parse(r.out, nullptr, false);
  EXPECT_TRUE(doc.is_array()) << r.out;
  return doc.is_array() ? doc : nlohmann::json::array();
}

std::string error_line(const RunResult& r) {
  auto at = r.err.find("omv: error: ");
  return at == std::string::npos ? std::string() : r.err.substr(at, r.err.find('\n', at) - at);
}

TEST(ProductionLog, FleetFlashRecordsOneRowPerCamera) {
  SimBus bus;
  TempDir work;
  for (const char* serial : {"P1", "P2", "P4"}) bus.start_app("OPENMV4", serial, nlohmann::json(), "0");
  {
    std::filesystem::create_directories(bus.camera("P3"));
    auto r = omv({"sim", "start", "OPENMV4", "--bus", bus.path(), "--serial", "P3", "--app", "--time-scale", "0",
                  "--fault", "err_write@64K"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  const std::string image = random_bytes(192 * 1024, 7);
  write_file(work / "firmware.bin", image);
  const auto db = (work / "line.sqlite3").string();
  auto flash = bus.run({"flash", "OPENMV4", "--all", "--verify", "--firmware", (work / "firmware.bin").string(), "--log", db});
  EXPECT_EQ(flash.exit_code, 16) << flash.err;
  EXPECT_NE(flash.err.find("logging each camera's attempt to " + db), std::string::npos) << flash.err;

  const auto rows = log_rows({"--log", db});
  ASSERT_EQ(rows.size(), 4u) << rows.dump(1);
  std::set<std::string> serials;
  for (const auto& row : rows) {
    const std::string serial = row["serial"];
    serials.insert(serial);
    EXPECT_EQ(row["board"], "OPENMV4");
    EXPECT_FALSE(row["station"].get<std::string>().empty());
    EXPECT_FALSE(row["time"].get<std::string>().empty());
    ASSERT_EQ(row["images"].size(), 1u);
    EXPECT_EQ(row["images"][0]["partition"], "FIRMWARE");
    EXPECT_EQ(row["images"][0]["sha256"], sdk::sha256_hex(image));
    EXPECT_EQ(row["images"][0]["bytes"], image.size());
    if (serial == "P3") {
      EXPECT_EQ(row["result"], "failed");
      EXPECT_EQ(row["error"]["kind"], "device_error") << row;
      EXPECT_FALSE(row["error"]["message"].get<std::string>().empty());
      EXPECT_TRUE(row["bytes_written"].is_null());
      EXPECT_EQ(row["verify"], "not reached");
    } else {
      EXPECT_EQ(row["result"], "ok") << row;
      EXPECT_TRUE(row["error"].is_null());
      EXPECT_EQ(row["bytes_written"], image.size());
      EXPECT_EQ(row["bytes_skipped"], 0);
      EXPECT_EQ(row["verify"], "passed");
      EXPECT_FALSE(row["bootloader_version"].get<std::string>().empty()) << row;
      EXPECT_EQ(read_file(bus.camera(serial) / "internal.bin").substr(kFirmwareOffset, image.size()), image);
    }
  }
  EXPECT_EQ(serials, (std::set<std::string>{"P1", "P2", "P3", "P4"}));

  const auto failed = log_rows({"--log", db, "--failed"});
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0]["serial"], "P3");
  EXPECT_EQ(log_rows({"--log", db, "--serial", "P2"}).size(), 1u);
  EXPECT_EQ(log_rows({"--log", db, "--board", "OPENMV_RT1060"}).size(), 0u);
  EXPECT_EQ(log_rows({"--log", db, "--since", "1h"}).size(), 4u);
  EXPECT_EQ(log_rows({"--log", db, "--since", "2099-01-01"}).size(), 0u);
  EXPECT_EQ(log_rows({"--log", db, "--limit", "2"}).size(), 2u);

  // CSV, read back by an independent parser, says what the JSON says.
  auto csv = omv({"log", "--log", db, "--csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  RunOptions py;
  py.stdin_text = csv.out;
  auto parsed = run({"python3", "-c",
                     "import csv, json, sys; print(json.dumps(list(csv.DictReader(sys.stdin))))"},
                    py);
  ASSERT_EQ(parsed.exit_code, 0) << parsed.err;
  const auto csv_rows = nlohmann::json::parse(parsed.out);
  ASSERT_EQ(csv_rows.size(), rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(csv_rows[i]["serial"], rows[i]["serial"]);
    EXPECT_EQ(csv_rows[i]["result"], rows[i]["result"]);
    EXPECT_EQ(csv_rows[i]["error_message"], rows[i]["error"].is_null() ? "" : rows[i]["error"]["message"]);
  }

  // The table, for people.
  auto table = omv({"log", "--log", db});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("SERIAL"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("FAILED"), std::string::npos) << table.out;
  for (const char* serial : {"P1", "P2", "P3", "P4"}) EXPECT_NE(table.out.find(serial), std::string::npos) << serial;
}

TEST(ProductionLog, RefusedImageAndVanishedCameraAreFailedRows) {
  SimBus bus;
  bus.start("OPENMV4", "H7");
  TempDir work;
  const auto db = (work / "log.sqlite3").string();
  write_file(work / "huge.bin", random_bytes(2 * 1024 * 1024, 8));  // FIRMWARE holds 1.625 MiB
  auto refused = bus.run({"flash", "--no-reset", "OPENMV4", "--serial", "H7", "--firmware",
                          (work / "huge.bin").string(), "--log", db});
  EXPECT_EQ(refused.exit_code, 9) << refused.err;
  EXPECT_EQ(bus.stats("H7")["bytes_programmed"], 0);

  const std::string image = random_bytes(3 * 128 * 1024, 9);
  write_file(work / "firmware.bin", image);
  auto arm = omv({"sim", "fault", "--bus", bus.path(), "--serial", "H7", "disconnect@130K"});
  ASSERT_EQ(arm.exit_code, 0) << arm.err;
  auto vanished = bus.run({"flash", "--no-reset", "OPENMV4", "--firmware", (work / "firmware.bin").string(), "--log", db});
  EXPECT_EQ(vanished.exit_code, 5) << vanished.err;
  auto ok = bus.run({"flash", "--no-reset", "OPENMV4", "--firmware", (work / "firmware.bin").string(), "--log", db});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;

  const auto rows = log_rows({"--log", db});
  ASSERT_EQ(rows.size(), 3u) << rows.dump(1);
  EXPECT_EQ(rows[0]["result"], "failed");
  EXPECT_EQ(rows[0]["serial"], "H7");
  EXPECT_EQ(rows[0]["error"]["kind"], "refused");
  EXPECT_NE(rows[0]["error"]["message"].get<std::string>().find("huge.bin"), std::string::npos) << rows[0];
  EXPECT_EQ(rows[1]["result"], "failed");
  EXPECT_EQ(rows[1]["serial"], "H7");
  EXPECT_EQ(rows[1]["error"]["kind"], "no_device");
  EXPECT_EQ(rows[2]["result"], "ok");
  EXPECT_EQ(rows[2]["serial"], "H7");
  EXPECT_EQ(rows[2]["bytes_written"].get<uint64_t>() + rows[2]["bytes_skipped"].get<uint64_t>(), image.size());
  EXPECT_EQ(rows[2]["images"][0]["sha256"], sdk::sha256_hex(image));
  EXPECT_EQ(bus.memory("H7", "internal").substr(kFirmwareOffset, image.size()), image);
}

TEST(ProductionLog, ALogThatCannotTakeRowsStopsTheFlashFirst) {
  SimBus bus;
  bus.start("OPENMV4", "H7");
  TempDir work;
  write_file(work / "firmware.bin", random_bytes(128 * 1024, 10));
  const auto fw = (work / "firmware.bin").string();

  const std::string notes = "shopping list: not a database\n" + std::string(5000, '-');
  write_file(work / "notes.sqlite3", notes);
  auto garbage = bus.run({"flash", "--no-reset", "OPENMV4", "--firmware", fw, "--log", (work / "notes.sqlite3").string()});
  EXPECT_EQ(garbage.exit_code, 3) << garbage.err;
  EXPECT_NE(error_line(garbage).find((work / "notes.sqlite3").string()), std::string::npos) << garbage.err;
  EXPECT_NE(error_line(garbage).find("not a database"), std::string::npos) << garbage.err;
  EXPECT_NE(garbage.err.find("hint: "), std::string::npos) << garbage.err;
  EXPECT_EQ(read_file(work / "notes.sqlite3"), notes);
  auto read_garbage = omv({"log", "--log", (work / "notes.sqlite3").string()});
  EXPECT_EQ(read_garbage.exit_code, 3) << read_garbage.err;

  // Another process holds the write lock past the busy timeout.
  const auto locked_db = work / "locked.sqlite3";
  ASSERT_EQ(bus.run({"flash", "--no-reset", "OPENMV4", "--firmware", fw, "--log", locked_db.string()}).exit_code, 0);
  const auto programmed = bus.stats("H7")["bytes_programmed"];
  int ready[2], release[2];
  ASSERT_EQ(pipe(ready), 0);
  ASSERT_EQ(pipe(release), 0);
  const pid_t holder = fork();
  if (holder == 0) {
    production::SqliteDb db(locked_db, production::SqliteDb::Access::read_write_create, std::chrono::milliseconds(1000));
    db.exec("BEGIN IMMEDIATE", "holding the lock");
    char c = 'r';
    if (write(ready[1], &c, 1) != 1 || read(release[0], &c, 1) < 0) _exit(2);
    _exit(0);
  }
  char c = 0;
  ASSERT_EQ(read(ready[0], &c, 1), 1);
  auto locked = bus.run({"flash", "--no-reset", "OPENMV4", "--firmware", fw, "--log", locked_db.string()});
  EXPECT_EQ(write(release[1], &c, 1), 1);
  int status = 0;
  waitpid(holder, &status, 0);
  for (int fd : {ready[0], ready[1], release[0], release[1]}) close(fd);
  EXPECT_EQ(locked.exit_code, 14) << locked.err;
  EXPECT_NE(error_line(locked).find(locked_db.string()), std::string::npos) << locked.err;
  EXPECT_NE(error_line(locked).find("locked"), std::string::npos) << locked.err;
  EXPECT_EQ(bus.stats("H7")["bytes_programmed"], programmed);
  EXPECT_EQ(log_rows({"--log", locked_db.string()}).size(), 1u);

  auto both = bus.run({"flash", "OPENMV4", "--firmware", fw, "--log", "x.sqlite3", "--no-log"});
  EXPECT_EQ(both.exit_code, 2) << both.err;
}

TEST(ProductionLog, AFullFileSystemStopsTheFlashFirst) {
  if (run({"unshare", "-m", "--propagation", "private", "true"}).exit_code != 0)
    GTEST_SKIP() << "cannot make a mount namespace here (needs CAP_SYS_ADMIN)";
  SimBus bus;
  bus.start("OPENMV4", "H7");
  TempDir work;
  write_file(work / "firmware.bin", random_bytes(128 * 1024, 12));
  std::filesystem::create_directories(work / "small");
  const auto db = (work / "small/log.sqlite3").string();
  // A 48 KiB tmpfs over work/small, seen only by this omv: too small for a new log.
  auto full = run({"unshare", "-m", "--propagation", "private", "sh", "-c",
                   "mount -t tmpfs -o size=48k tmpfs \"$0\" || exit 77; shift; exec \"$@\"", (work / "small").string(),
                   "--", OMV_BINARY, "--sim", bus.path(), "flash", "--no-reset", "OPENMV4", "--firmware",
                   (work / "firmware.bin").string(), "--log", db});
  if (full.exit_code == 77) GTEST_SKIP() << "cannot mount a tmpfs here";
  EXPECT_EQ(full.exit_code, 10) << full.err;
  EXPECT_NE(error_line(full).find(db), std::string::npos) << full.err;
  EXPECT_NE(error_line(full).find("full"), std::string::npos) << full.err;
  EXPECT_EQ(bus.stats("H7")["bytes_programmed"], 0);
}

TEST(ProductionLog, DefaultFileIsInTheUsersDataFolder) {
  SimBus bus;
  bus.start("OPENMV4", "H7");
  TempDir work;
  write_file(work / "firmware.bin", random_bytes(64 * 1024, 11));
  RunOptions env;
  env.env["XDG_DATA_HOME"] = (work / "data").string();
  auto r = omv({"--sim", bus.path(), "flash", "--no-reset", "OPENMV4", "--firmware", (work / "firmware.bin").string(),
                "--log"},
               env);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::filesystem::exists(work / "data/omv/production.sqlite3"));
  const auto rows = log_rows({}, env);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["serial"], "H7");

  auto nothing = omv({"--sim", bus.path(), "flash", "--no-reset", "OPENMV4", "--firmware",
                      (work / "firmware.bin").string(), "--no-log"},
                     env);
  ASSERT_EQ(nothing.exit_code, 0) << nothing.err;
  EXPECT_EQ(log_rows({}, env).size(), 1u);
}

TEST(ProductionLog, LogCommandInputErrors) {
  TempDir work;
  auto missing = omv({"log", "--log", (work / "none.sqlite3").string()});
  EXPECT_EQ(missing.exit_code, 10) << missing.err;
  EXPECT_NE(missing.err.find("none.sqlite3"), std::string::npos) << missing.err;
  EXPECT_FALSE(std::filesystem::exists(work / "none.sqlite3"));
  auto since = omv({"log", "--log", (work / "none.sqlite3").string(), "--since", "yesterday"});
  EXPECT_EQ(since.exit_code, 2) << since.err;
  EXPECT_NE(since.err.find("yesterday"), std::string::npos) << since.err;
  auto formats = omv({"log", "--csv", "--json"});
  EXPECT_EQ(formats.exit_code, 2) << formats.err;
}

}  // namespace
}  // namespace omv::test::production_log_test
