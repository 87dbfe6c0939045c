#include "flash/nxp_recovery.h"

#include <gtest/gtest.h>

#include <fstream>

#include "core/error.h"
#include "flash/nxp_blhost_session.h"
#include "sim/models/nxp_fuse_bank.h"
#include "sim/models/nxp_rt1062_test_rig.h"
#include "core/test_pattern.h"

namespace omv::flash {
namespace {

using sim::testing::flashloader_image;
using sim::testing::RigBus;
using sim::testing::Rt1062Rig;

using omv::test_data::pattern;

struct Fixture {
  Rt1062Rig rig{"rom"};
  RigBus bus{rig};
  RecordingSink events;
  NxpRecoveryRequest request() {
    NxpRecoveryRequest r{rig.board(), bus, Reporter(events)};
    r.flashloader = {"sdphost_flash_loader.bin", flashloader_image(0x20001C00, 0x6000)};
    r.bootloader = {"blhost_flash_loader.bin", pattern(0x9000, 1)};
    r.firmware = RecoveryImage{"firmware.bin", pattern(0x31000, 2)};
    return r;
  }
  uint32_t burns() { return sim::NxpFuseBank(rig.dir() / "fuses.json").burns(0x06); }
};

TEST(NxpRecovery, FromAnEmptyFlashWritesEverythingAtItsAddress) {
  Fixture f;
  auto req = f.request();
  req.burn_efuse = true;
  auto done = recover_nxp(req);
  EXPECT_EQ(done["fcb"], "written");
  EXPECT_EQ(done["bootloader"], "written");
  EXPECT_EQ(done["firmware"], "written");
  EXPECT_EQ(done["efuse"], "burned");
  EXPECT_EQ(f.rig.mode(), "sbl");  // the reset booted the new secure bootloader
  auto fcb = f.rig.flash().read(0x60000000, 4);
  EXPECT_EQ(std::string(fcb.begin(), fcb.end()), "FCFB");
  EXPECT_EQ(f.rig.flash().read(0x60001000, req.bootloader.bytes.size()), req.bootloader.bytes);
  EXPECT_EQ(f.rig.flash().read(0x60040000, req.firmware->bytes.size()), req.firmware->bytes);
  EXPECT_EQ(f.burns(), 1u);
}

TEST(NxpRecovery, RefusesTheFuseWithoutTheFlagAndWritesNothing) {
  Fixture f;
  auto req = f.request();
  try {
    recover_nxp(req);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::refused);
    std::string m = e.what();
    EXPECT_NE(m.find("efuse-program-once 0x06 00000010"), std::string::npos) << m;
    EXPECT_NE(m.find("irreversible"), std::string::npos) << m;
    EXPECT_NE(e.hint().find("--burn-efuse"), std::string::npos);
  }
  EXPECT_EQ(f.rig.flash().counters().erases, 0u);
  EXPECT_EQ(f.rig.flash().counters().bytes_programmed, 0u);
  EXPECT_EQ(f.burns(), 0u);
}

TEST(NxpRecovery, ASecondRecoveryKeepsWhatIsThereAndBurnsNothing) {
  Fixture f;
  auto req = f.request();
  req.burn_efuse = true;
  req.reset = false;
  recover_nxp(req);
  auto programmed = f.rig.flash().counters().bytes_programmed;
  // Resumed from the flashloader that is still running; the fuse flag is not needed any more.
  auto again = f.request();
  auto done = recover_nxp(again);
  EXPECT_EQ(done["flashloader"], "already running");
  EXPECT_EQ(done["fcb"], "kept");
  EXPECT_EQ(done["bootloader"], "unchanged");
  EXPECT_EQ(done["firmware"], "unchanged");
  EXPECT_EQ(done["efuse"], "already set");
  EXPECT_EQ(f.rig.flash().counters().bytes_programmed, programmed);
  EXPECT_EQ(f.burns(), 1u);
}

TEST(NxpRecovery, HalfDoneRecoveryIsResumed) {
  Fixture f;
  auto req = f.request();
  req.burn_efuse = true;
  req.firmware.reset();
  req.reset = false;
  recover_nxp(req);  // stopped before the firmware
  auto again = f.request();
  auto done = recover_nxp(again);
  EXPECT_EQ(done["bootloader"], "unchanged");
  EXPECT_EQ(done["firmware"], "written");
  EXPECT_EQ(f.rig.flash().read(0x60040000, again.firmware->bytes.size()), again.firmware->bytes);
}

TEST(NxpRecovery, AFlashloaderThatNeverAnswers) {
  Fixture f;
  auto req = f.request();
  req.flashloader.bytes = flashloader_image(0x20001C00, 0x6000, true);
  try {
    recover_nxp(req);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::timeout);
    EXPECT_NE(std::string(e.what()).find("never answered"), std::string::npos) << e.what();
  }
}

TEST(NxpRecovery, ImagesAreCheckedBeforeTheDeviceIsTouched) {
  Fixture f;
  auto req = f.request();
  req.bootloader.bytes.assign(0x3F001, 0xAA);  // one byte more than the SBL partition
  try {
    recover_nxp(req);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::refused);
    EXPECT_NE(std::string(e.what()).find("SBL"), std::string::npos) << e.what();
  }
  auto bad = f.request();
  bad.flashloader.bytes.assign(4096, 0);
  try {
    recover_nxp(bad);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_file);
  }
  EXPECT_EQ(f.bus.opens, 0);
}

TEST(NxpRecovery, NoCameraSaysWhichJumper) {
  Fixture f;
  f.rig.boot("sbl");
  f.rig.boot("rom");
  auto req = f.request();
  req.flashloader.bytes = flashloader_image(0x20001C00, 0x6000, true);
  EXPECT_THROW(recover_nxp(req), Error);
  // Now nothing is on the bus (the image ran off into nothing).
  auto again = f.request();
  try {
    recover_nxp(again);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::no_device);
    EXPECT_NE(e.hint().find("jumper"), std::string::npos);
  }
}

TEST(NxpBlhostSession, ClaimsTheSecureBootloaderAndFlashes) {
  Rt1062Rig rig("sbl");
  RigBus bus(rig);
  RecordingSink events;
  Reporter reporter(events);
  auto claimed = claim_mcu_bootloader(rig.board(), bus, "", reporter, std::chrono::milliseconds(0));
  EXPECT_EQ(version_string(claimed.version), "K2.8.0");
  BlhostSession session(rig.board(), std::move(claimed), reporter);
  EXPECT_NE(session.describe().find("15A2:0073"), std::string::npos);
  const auto& fw = *rig.board().partition("FIRMWARE");
  auto data = pattern(0x12345, 4);
  session.erase(fw, fw.start, 0x13000);
  session.write(fw, fw.start, data);
  EXPECT_EQ(session.read(fw, fw.start, data.size(), {}), data);
  EXPECT_THROW(session.write(fw, fw.end - 4, data), Error);
}

TEST(NxpBlhostSession, ConfiguresARamFlashloaderFirst) {
  Rt1062Rig rig("flashloader");
  RigBus bus(rig);
  RecordingSink events;
  Reporter reporter(events);
  BlhostSession session(rig.board(), claim_mcu_bootloader(rig.board(), bus, "", reporter, {}), reporter);
  const auto& fs = *rig.board().partition("FILESYSTEM");
  session.erase(fs, fs.start, 4096);  // would be MemoryNotConfigured without the configuration
}

TEST(NxpBlhostSession, MissedWindow) {
  Rt1062Rig rig("sbl");
  {
    RigBus bus(rig);
    RecordingSink events;
    Reporter reporter(events);
    BlhostSession session(rig.board(), claim_mcu_bootloader(rig.board(), bus, "", reporter, {}), reporter);
    const auto& fw = *rig.board().partition("FIRMWARE");
    session.erase(fw, fw.start, 4096);
    session.write(fw, fw.start, pattern(256, 1));  // a firmware for the bootloader to start
  }
  std::ofstream(rig.dir() / "rt1062.json") << R"({"sbl_window_ms": 0})";
  rig.boot("sbl");
  RigBus bus(rig);
  RecordingSink events;
  Reporter reporter(events);
  try {
    claim_mcu_bootloader(rig.board(), bus, "", reporter, {});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::no_device);
  }
}

}  // namespace
}  // namespace omv::flash
