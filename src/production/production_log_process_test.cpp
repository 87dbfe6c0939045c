// The production log shared by real processes: concurrent writers, a writer killed with
// SIGKILL mid-stream, a file locked by another process, a read-only file, a full file system.
#include <gtest/gtest.h>
#include <signal.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <functional>
#include <set>
#include <thread>

#include "production/log_test_support.h"
#include "production/production_log.h"

namespace omv::production {
namespace {

using testing::LogDir;
using testing::sample_attempt;
using testing::sql_text;

// Runs `body` in a forked process; its return value is the exit status. Nothing but the file
// is shared: each process opens its own connection after the fork.
pid_t spawn(const std::function<int()>& body) {
  const pid_t pid = fork();
  if (pid == 0) {
    int status = 1;
    try {
      status = body();
    } catch (...) {
      status = 99;
    }
    _exit(status);
  }
  return pid;
}

int wait_exit(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

TEST(ProductionLogProcesses, TwoProcessesRecordingAtOnceLoseNothing) {
  LogDir dir;
  const auto file = dir / "log.sqlite3";
  constexpr int kRows = 300;
  std::vector<pid_t> writers;
  for (const char* serial : {"LEFT", "RIGHT"})
    writers.push_back(spawn([&, serial] {
      ProductionLog log(file, ProductionLog::Purpose::record);
      for (int i = 0; i < kRows; ++i) log.record(sample_attempt(serial, "2026-12-07T10:00:00.000Z", i % 10 != 0));
      return 0;
    }));
  for (pid_t pid : writers) EXPECT_EQ(wait_exit(pid), 0);
  EXPECT_EQ(sql_text(file, "PRAGMA integrity_check"), "ok");
  ProductionLog log(file, ProductionLog::Purpose::read);
  for (const char* serial : {"LEFT", "RIGHT"}) {
    LogFilter f;
    f.serial = serial;
    EXPECT_EQ(log.query(f).size(), static_cast<size_t>(kRows)) << serial;
  }
  EXPECT_EQ(sql_text(file, "SELECT count(*) FROM attempt_image"), std::to_string(2 * kRows * 2));
}

TEST(ProductionLogProcesses, ThreadsOfOneProcessShareALog) {
  LogDir dir;
  ProductionLog log(dir / "log.sqlite3", ProductionLog::Purpose::record);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) log.record(sample_attempt("T" + std::to_string(t), "2026-12-07T10:00:00.000Z"));
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(log.query({}).size(), 200u);
}

TEST(ProductionLogProcesses, KilledWriterLosesNoCommittedRow) {
  LogDir dir;
  const auto file = dir / "log.sqlite3";
  { ProductionLog create(file, ProductionLog::Purpose::record); }
  int ids[2];
  ASSERT_EQ(pipe(ids), 0);
  const pid_t writer = spawn([&] {
    close(ids[0]);
    ProductionLog log(file, ProductionLog::Purpose::record);
    for (int i = 0;; ++i) {
      const int64_t id = log.record(sample_attempt("K" + std::to_string(i), "2026-12-07T10:00:00.000Z"));
      // Told only after the commit returned: every id the parent reads must survive.
      if (write(ids[1], &id, sizeof id) != sizeof id) return 2;
    }
  });
  close(ids[1]);
  std::set<int64_t> committed;
  int64_t id = 0;
  while (committed.size() < 200 && read(ids[0], &id, sizeof id) == sizeof id) committed.insert(id);
  kill(writer, SIGKILL);
  EXPECT_EQ(wait_exit(writer), 128 + SIGKILL);
  while (read(ids[0], &id, sizeof id) == sizeof id) committed.insert(id);
  close(ids[0]);
  ASSERT_GE(committed.size(), 200u);

  // The next opener recovers the WAL the killed process left.
  ProductionLog log(file, ProductionLog::Purpose::record);
  std::set<int64_t> stored;
  for (const auto& a : log.query({})) stored.insert(a.id);
  for (int64_t c : committed) EXPECT_TRUE(stored.count(c)) << "committed row " << c << " lost";
  EXPECT_LE(stored.size(), committed.size() + 1);  // at most the one whose id was not yet told
  EXPECT_EQ(sql_text(file, "PRAGMA integrity_check"), "ok");
  EXPECT_GT(log.record(sample_attempt("AFTER", "2026-12-07T11:00:00.000Z")), 0);
}

TEST(ProductionLogProcesses, LockedPastTheBusyTimeoutIsATimeoutNamingTheFile) {
  LogDir dir;
  const auto file = dir / "log.sqlite3";
  ProductionLog log(file, ProductionLog::Purpose::record, false, std::chrono::milliseconds(300));
  int ready[2], release[2];
  ASSERT_EQ(pipe(ready), 0);
  ASSERT_EQ(pipe(release), 0);
  const pid_t holder = spawn([&] {
    SqliteDb db(file, SqliteDb::Access::read_write_create, std::chrono::milliseconds(1000));
    db.exec("BEGIN IMMEDIATE", "holding the lock");
    char c = 'r';
    if (write(ready[1], &c, 1) != 1) return 2;
    if (read(release[0], &c, 1) < 0) return 3;  // until the parent says so, or closes the pipe
    db.exec("ROLLBACK", "releasing the lock");
    return 0;
  });
  char c = 0;
  ASSERT_EQ(read(ready[0], &c, 1), 1);
  try {
    log.record(sample_attempt("LOCKED", "2026-12-07T10:00:00.000Z"));
    ADD_FAILURE() << "recorded while another process held the write lock";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::timeout);
    EXPECT_NE(std::string(e.what()).find(file.string()), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("locked"), std::string::npos) << e.what();
  }
  // Readers are not held up by a writer (WAL).
  ProductionLog reader(file, ProductionLog::Purpose::read);
  EXPECT_TRUE(reader.query({}).empty());
  EXPECT_EQ(write(release[1], &c, 1), 1);
  EXPECT_EQ(wait_exit(holder), 0);
  EXPECT_GT(log.record(sample_attempt("UNLOCKED", "2026-12-07T10:00:01.000Z")), 0);
  for (int fd : {ready[0], ready[1], release[0], release[1]}) close(fd);
}

TEST(ProductionLogProcesses, ReadOnlyFileIsAPermissionError) {
  LogDir dir;
  const auto file = dir / "log.sqlite3";
  {
    ProductionLog log(file, ProductionLog::Purpose::record);
    log.record(sample_attempt("SN1", "2026-12-07T10:00:00.000Z"));
  }
  chmod(dir.path().c_str(), 0755);
  chmod(file.c_str(), 0444);
  int report[2];
  ASSERT_EQ(pipe(report), 0);
  const pid_t child = spawn([&] {
    // root writes any file; the check needs a user the file is read-only for.
    if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0)) return 3;
    try {
      ProductionLog log(file, ProductionLog::Purpose::record);
    } catch (const Error& e) {
      const std::string text = std::to_string(static_cast<int>(e.kind())) + "|" + e.what();
      return write(report[1], text.data(), text.size()) > 0 ? 0 : 2;
    }
    return 1;
  });
  close(report[1]);
  EXPECT_EQ(wait_exit(child), 0);
  char buf[512] = {};
  const auto n = read(report[0], buf, sizeof buf - 1);
  close(report[0]);
  const std::string text(buf, n > 0 ? static_cast<size_t>(n) : 0);
  EXPECT_EQ(text.substr(0, text.find('|')), std::to_string(static_cast<int>(ErrorKind::permission))) << text;
  EXPECT_NE(text.find(file.string()), std::string::npos) << text;
  EXPECT_EQ(sql_text(file, "SELECT count(*) FROM attempt"), "1");
}

TEST(ProductionLogProcesses, DiskFullWhileRecordingNamesTheFileAndKeepsEarlierRows) {
  LogDir dir;
  const auto small = dir / "small";
  std::filesystem::create_directories(small);
  const auto file = small / "log.sqlite3";
  int report[2];
  ASSERT_EQ(pipe(report), 0);
  const pid_t child = spawn([&] {
    // A 256 KiB tmpfs of its own, in a private mount namespace that ends with this process.
    if (unshare(CLONE_NEWNS) != 0 || mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
        mount("tmpfs", small.c_str(), "tmpfs", 0, "size=256k") != 0)
      return 77;
    int64_t recorded = 0;
    std::string text;
    {
      ProductionLog log(file, ProductionLog::Purpose::record);
      try {
        for (;; ++recorded) log.record(sample_attempt("FULL" + std::to_string(recorded), "2026-12-07T10:00:00.000Z"));
      } catch (const Error& e) {
        text = std::to_string(static_cast<int>(e.kind())) + "|" + e.what();
      }
    }
    // What the full disk kept, read back before the file system goes away with this process.
    ProductionLog reader(file, ProductionLog::Purpose::read);
    text = std::to_string(recorded) + "|" + std::to_string(reader.query({}).size()) + "|" +
           sql_text(file, "PRAGMA integrity_check") + "|" + text;
    return write(report[1], text.data(), text.size()) > 0 ? 0 : 2;
  });
  close(report[1]);
  const int status = wait_exit(child);
  char buf[1024] = {};
  const auto n = read(report[0], buf, sizeof buf - 1);
  close(report[0]);
  if (status == 77) GTEST_SKIP() << "cannot mount a small tmpfs here (needs CAP_SYS_ADMIN)";
  ASSERT_EQ(status, 0);
  std::vector<std::string> fields;
  std::string text(buf, n > 0 ? static_cast<size_t>(n) : 0);
  for (size_t at = 0, bar; fields.size() < 4 && (bar = text.find('|', at)) != std::string::npos; at = bar + 1) {
    fields.push_back(text.substr(at, bar - at));
    if (fields.size() == 4) fields.push_back(text.substr(bar + 1));
  }
  ASSERT_EQ(fields.size(), 5u) << text;
  EXPECT_GT(std::stoll(fields[0]), 0) << text;
  EXPECT_EQ(fields[1], fields[0]) << "rows committed before the disk filled up are kept";
  EXPECT_EQ(fields[2], "ok");
  EXPECT_EQ(fields[3], std::to_string(static_cast<int>(ErrorKind::io))) << text;
  EXPECT_NE(fields[4].find(file.string()), std::string::npos) << text;
  EXPECT_NE(fields[4].find("full"), std::string::npos) << text;
}

}  // namespace
}  // namespace omv::production
