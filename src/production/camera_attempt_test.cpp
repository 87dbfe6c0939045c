// One camera's attempt becoming a row: what the session and the outcome say, the error of a
// failure, and a log that will not take the row (the camera's own result is not hidden).
#include "production/camera_attempt.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "boards/board_db.h"
#include "production/log_test_support.h"
#include "sdk/sha256.h"

namespace omv::production {
namespace {

using testing::LogDir;

// Only who answered matters here.
class IdentifiedSession : public flash::Session {
 public:
  flash::Capabilities capabilities() const override { return {}; }
  std::string describe() const override { return "test bootloader"; }
  flash::SessionIdentity identity() const override { return {"SN42", "1-4.2", "4.0.1"}; }
  std::vector<uint8_t> read(const boards::Partition&, uint64_t, size_t, const std::function<void(size_t)>&) override {
    return {};
  }
  void erase(const boards::Partition&, uint64_t, uint64_t) override {}
  void write(const boards::Partition&, uint64_t, std::span<const uint8_t>) override {}
  void finish(const boards::Partition&) override {}
  void reset() override {}
};

struct AttemptRig {
  boards::BoardDb db = boards::BoardDb::built_in();
  const boards::Board& board = db.get("OPENMV4");
  std::vector<flash::Image> images{
      flash::Image{"firmware.bin", board.partition_by_role("firmware"), 0x08040000, std::vector<uint8_t>(1000, 0x5A)}};
};

TEST(CameraAttempt, SuccessRecordsTheSessionsIdentityAndTheOutcome) {
  LogDir dir;
  AttemptRig rig;
  ProductionLog log(dir / "log.sqlite3", ProductionLog::Purpose::record);
  const auto run = describe_run(rig.board, rig.images, true);
  ASSERT_EQ(run.images.size(), 1u);
  EXPECT_EQ(run.images[0].sha256, sdk::sha256_hex(std::string(1000, 'Z')));
  EXPECT_EQ(run.images[0].partition, "FIRMWARE");

  CameraAttempt attempt(&log, run, "", "");
  attempt.connected(IdentifiedSession());
  flash::Outcome outcome;
  outcome.written_bytes = 1024;
  outcome.skipped_bytes = 4096;
  attempt.succeeded(outcome);
  EXPECT_TRUE(attempt.finished());
  const auto rows = log.query({});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].serial, "SN42");
  EXPECT_EQ(rows[0].port, "1-4.2");
  EXPECT_EQ(rows[0].bootloader_version, "4.0.1");
  EXPECT_EQ(rows[0].board, "OPENMV4");
  EXPECT_EQ(rows[0].bytes_written, 1024u);
  EXPECT_EQ(rows[0].bytes_skipped, 4096u);
  EXPECT_EQ(rows[0].verify, Verify::passed);
  EXPECT_TRUE(rows[0].ok);
}

TEST(CameraAttempt, FailureRecordsTheErrorAndWhetherVerifyWasReached) {
  LogDir dir;
  AttemptRig rig;
  ProductionLog log(dir / "log.sqlite3", ProductionLog::Purpose::record);
  const auto run = describe_run(rig.board, rig.images, true);
  {
    CameraAttempt vanished(&log, run, "SN1", "1-1");
    const Error e = vanished.failed(Error(ErrorKind::no_device, "camera SN1 vanished", "plug it in again"));
    EXPECT_STREQ(e.what(), "camera SN1 vanished");
    EXPECT_EQ(e.hint(), "plug it in again");
  }
  CameraAttempt differs(&log, run, "SN2", "1-2");
  differs.failed(Error(ErrorKind::verify_failed, "read-back differs at 0x08040010"));
  const auto no_verify = describe_run(rig.board, rig.images, false);
  CameraAttempt refused(&log, no_verify, "SN3", "");
  refused.failed(Error(ErrorKind::refused, "firmware.bin does not fit FIRMWARE"));

  const auto rows = log.query({});
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].error_kind, "no_device");
  EXPECT_EQ(rows[0].verify, Verify::not_reached);
  EXPECT_FALSE(rows[0].bytes_written.has_value());
  EXPECT_EQ(rows[1].error_kind, "verify_failed");
  EXPECT_EQ(rows[1].verify, Verify::failed);
  EXPECT_EQ(rows[2].error_kind, "refused");
  EXPECT_EQ(rows[2].verify, Verify::off);
  EXPECT_EQ(rows[2].error_message, "firmware.bin does not fit FIRMWARE");
}

TEST(CameraAttempt, WithoutALogNothingIsRecordedAndErrorsPassThrough) {
  AttemptRig rig;
  CameraAttempt attempt(nullptr, describe_run(rig.board, rig.images, false), "SN1", "");
  attempt.succeeded(flash::Outcome{});
  const Error e = attempt.failed(Error(ErrorKind::timeout, "no answer"));
  EXPECT_EQ(e.kind(), ErrorKind::timeout);
}

TEST(CameraAttempt, ALogThatRefusesTheRowSaysSoWithoutHidingTheCamerasResult) {
  LogDir dir;
  AttemptRig rig;
  const auto file = dir / "log.sqlite3";
  ProductionLog log(file, ProductionLog::Purpose::record, false, std::chrono::milliseconds(200));
  int ready[2], release[2];
  ASSERT_EQ(pipe(ready), 0);
  ASSERT_EQ(pipe(release), 0);
  const pid_t holder = fork();
  if (holder == 0) {
    SqliteDb db(file, SqliteDb::Access::read_write_create, std::chrono::milliseconds(1000));
    db.exec("BEGIN IMMEDIATE", "holding the lock");
    char c = 'r';
    if (write(ready[1], &c, 1) != 1 || read(release[0], &c, 1) < 0) _exit(2);
    _exit(0);
  }
  char c = 0;
  ASSERT_EQ(read(ready[0], &c, 1), 1);
  const auto run = describe_run(rig.board, rig.images, false);

  CameraAttempt flashed(&log, run, "SN1", "");
  try {
    flashed.succeeded(flash::Outcome{});
    ADD_FAILURE() << "no error for a row that was not written";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::timeout);
    EXPECT_NE(std::string(e.what()).find("SN1 was flashed, but not logged"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(file.string()), std::string::npos) << e.what();
  }
  CameraAttempt failed(&log, run, "SN2", "");
  const Error e = failed.failed(Error(ErrorKind::no_device, "camera SN2 vanished", "plug it in again"));
  EXPECT_EQ(e.kind(), ErrorKind::no_device);  // the camera's failure stays what the command reports
  EXPECT_NE(std::string(e.what()).find("camera SN2 vanished; and it was not logged"), std::string::npos) << e.what();
  EXPECT_EQ(e.hint(), "plug it in again");

  EXPECT_EQ(write(release[1], &c, 1), 1);
  int status = 0;
  waitpid(holder, &status, 0);
  for (int fd : {ready[0], ready[1], release[0], release[1]}) close(fd);
  EXPECT_TRUE(log.query({}).empty());
}

}  // namespace
}  // namespace omv::production
