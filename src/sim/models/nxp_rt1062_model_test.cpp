// The virtual RT1062 driven by the host engines, in-process.
#include <gtest/gtest.h>

#include <fstream>

#include "protocol/nxp/mboot_client.h"
#include "protocol/nxp/mboot_codes.h"
#include "protocol/nxp/sdp_client.h"
#include "sim/models/nxp_mboot_target.h"
#include "sim/models/nxp_rt1062_test_rig.h"
#include "core/test_pattern.h"

namespace omv::sim {
namespace {

namespace mb = protocol::nxp::mboot;
namespace sdp = protocol::nxp::sdp;
using testing::flashloader_image;
using testing::RigHid;
using testing::Rt1062Rig;

uint32_t status_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const mb::StatusError& e) {
    return e.status();
  }
  return mb::status::success;
}

using omv::test_data::pattern;

void stage_flashloader(Rt1062Rig& rig) {
  RigHid rom(rig);
  sdp::Client client(rom);
  client.write_file(0x20001C00, flashloader_image(0x20001C00, 0x8000));
  client.jump_address(0x20001C00);
}

TEST(NxpRomModel, StagesAndJumpsToTheFlashloader) {
  Rt1062Rig rig("rom");
  EXPECT_EQ(rig.model().identity()->id, (UsbId{0x1FC9, 0x0135}));
  stage_flashloader(rig);
  EXPECT_EQ(rig.mode(), "flashloader");
  EXPECT_EQ(rig.model().identity()->id, (UsbId{0x15A2, 0x0073}));
  RigHid fl(rig);
  mb::Client client(fl);
  EXPECT_EQ(client.current_version(), 0x4B020800u);
}

TEST(NxpRomModel, RefusesToJumpToSomethingWithoutAnIvt) {
  Rt1062Rig rig("rom");
  RigHid rom(rig);
  sdp::Client client(rom);
  client.write_file(0x20001C00, std::vector<uint8_t>(4096, 0x11));
  try {
    client.jump_address(0x20001C00);
    FAIL();
  } catch (const sdp::RomError& e) {
    EXPECT_EQ(e.word(), sdp::kNotAnIvt);
  }
  EXPECT_EQ(rig.mode(), "rom");
  EXPECT_EQ(client.error_status(), sdp::kNotAnIvt);
}

TEST(NxpRomModel, AnImageThatRunsOffIntoNothingNeverAnswers) {
  Rt1062Rig rig("rom");
  RigHid rom(rig);
  sdp::Client client(rom);
  client.write_file(0x20001C00, flashloader_image(0x20001C00, 0x4000, true));
  client.jump_address(0x20001C00);  // the ROM said nothing against it
  EXPECT_EQ(rig.mode(), "rom");
  EXPECT_FALSE(rig.model().identity().has_value());
}

TEST(NxpRomModel, WriteFileOutsideRamFails) {
  Rt1062Rig rig("rom");
  RigHid rom(rig);
  sdp::Client client(rom);
  EXPECT_THROW(client.write_file(0x60000000, std::vector<uint8_t>(64, 1)), sdp::RomError);
  // and the ROM is ready for the next command
  client.write_file(0x20001C00, std::vector<uint8_t>(64, 1));
}

TEST(NxpFlashloaderModel, FlashNeedsConfigurationFirst) {
  Rt1062Rig rig("flashloader");
  RigHid dev(rig);
  mb::Client client(dev);
  EXPECT_EQ(status_of([&] { client.flash_erase_region(0x60040000, 0x1000); }), mb::status::memory_not_configured);
  EXPECT_EQ(status_of([&] { client.write_memory(0x60040000, pattern(16, 1)); }), mb::status::memory_not_configured);
  EXPECT_EQ(status_of([&] { client.read_memory(0x60040000, 16); }), mb::status::memory_not_configured);
  client.fill_memory(0x2000, 4, 0xC0000008);
  client.configure_memory(9, 0x2000);
  client.flash_erase_region(0x60040000, 0x1000);
}

TEST(NxpFlashloaderModel, ProbingTheFlashAsTheWrongTypeFails) {
  Rt1062Rig rig("flashloader");
  RigHid dev(rig);
  mb::Client client(dev);
  client.fill_memory(0x2000, 4, 0xC0100007);  // QuadSPI DDR
  EXPECT_EQ(status_of([&] { client.configure_memory(9, 0x2000); }), mb::status::flexspi_nor_flash_not_found);
  client.fill_memory(0x2000, 4, 0x12345678);
  EXPECT_EQ(status_of([&] { client.configure_memory(9, 0x2000); }), mb::status::invalid_argument);
}

TEST(NxpFlashloaderModel, EraseRegionsStartOnSectors) {
  Rt1062Rig rig("sbl");
  RigHid dev(rig);
  mb::Client client(dev);
  EXPECT_EQ(status_of([&] { client.flash_erase_region(0x60040100, 0x1000); }), mb::status::memory_alignment_error);
  EXPECT_EQ(status_of([&] { client.flash_erase_region(0x61000000, 0x1000); }), mb::status::memory_range_invalid);
  auto before = rig.flash().counters().erases;
  client.flash_erase_region(0x60400000, 0x1001);  // rounded up to two sectors
  EXPECT_EQ(rig.flash().counters().erases - before, 2u);
}

TEST(NxpFlashloaderModel, WriteReadBackAndProgramWithoutErase) {
  Rt1062Rig rig("sbl");
  RigHid dev(rig);
  mb::Client client(dev);
  auto data = pattern(10000, 3);
  client.flash_erase_region(0x60040000, 0x3000);
  client.write_memory(0x60040000, data);
  EXPECT_EQ(client.read_memory(0x60040000, 10000), data);
  // Writing again over programmed flash only clears bits: the data is visibly wrong.
  client.write_memory(0x60040000, pattern(10000, 9));
  EXPECT_NE(client.read_memory(0x60040000, 10000), pattern(10000, 9));
  EXPECT_GT(rig.flash().counters().bits_not_erased, 0u);
}

TEST(NxpFlashloaderModel, FaultAbortsTheDataPhaseWithItsStatus) {
  Rt1062Rig rig("sbl");
  RigHid dev(rig);
  mb::ClientOptions o;
  o.abort_poll_every = 1;
  mb::Client client(dev, o);
  client.flash_erase_region(0x60040000, 0x10000);
  rig.faults().arm("err_write@2000");
  EXPECT_EQ(status_of([&] { client.write_memory(0x60040000, pattern(0x8000, 1)); }), mb::status::flexspi_nor_program_fail);
  client.fill_memory(0x2000, 4, 1);  // the device is fine afterwards
}

TEST(NxpFlashloaderModel, FcbOptionProgramsTheConfigurationBlock) {
  Rt1062Rig rig("flashloader");
  RigHid dev(rig);
  mb::Client client(dev);
  client.fill_memory(0x2000, 4, 0xF000000F);
  EXPECT_EQ(status_of([&] { client.configure_memory(9, 0x2000); }), mb::status::memory_not_configured);
  client.fill_memory(0x2000, 4, 0xC0000008);
  client.configure_memory(9, 0x2000);
  client.flash_erase_region(0x60000000, 0x1000);
  client.fill_memory(0x2000, 4, 0xF000000F);
  client.configure_memory(9, 0x2000);
  auto fcb = client.read_memory(0x60000000, 512);
  EXPECT_TRUE(NxpMbootTarget::looks_like_fcb(fcb));
  EXPECT_EQ(fcb[0], 'F');
  EXPECT_EQ(fcb[3], 'B');
}

TEST(NxpFlashloaderModel, FusesAreOneTimeProgrammable) {
  Rt1062Rig rig("flashloader");
  {
    RigHid dev(rig);
    mb::Client client(dev);
    EXPECT_EQ(client.efuse_read_once(0x06), 0u);
    client.efuse_program_once(0x06, 0x10);
    client.efuse_program_once(0x06, 0x01);
    EXPECT_EQ(client.efuse_read_once(0x06), 0x11u);  // bits only ever get set
    client.efuse_program_once(0x07, 0x2, true);
    EXPECT_EQ(status_of([&] { client.efuse_program_once(0x07, 0x4); }), mb::status::ocotp_program_failure);
    EXPECT_EQ(status_of([&] { client.efuse_program_once(0x400, 0x4); }), mb::status::out_of_range);
  }
  // The fuses outlive the model (a reset, a restart of the camera process).
  rig.boot("flashloader");
  RigHid dev(rig);
  mb::Client client(dev);
  EXPECT_EQ(client.efuse_read_once(0x06), 0x11u);
  auto stats = rig.model().stats();
  EXPECT_EQ(stats["fuses"]["burns"]["0x06"], 2);
}

TEST(NxpFlashloaderModel, UnknownCommandAndPropertyByStatus) {
  Rt1062Rig rig("flashloader");
  RigHid dev(rig);
  mb::Client client(dev);
  EXPECT_EQ(status_of([&] { client.get_property(0x42); }), mb::status::unknown_property);
  EXPECT_EQ(client.max_data_payload(), 1012u);
}

TEST(NxpFlashloaderModel, ResetBootsTheRomUntilTheChipIsFusedAndFlashed) {
  Rt1062Rig rig("rom");
  stage_flashloader(rig);
  {
    RigHid dev(rig);
    mb::Client(dev).reset();
  }
  EXPECT_EQ(rig.mode(), "rom");  // nothing to boot from flash yet
}

TEST(NxpFlashloaderModel, FullRecoveryBootsTheSecureBootloader) {
  Rt1062Rig rig("rom");
  stage_flashloader(rig);
  auto sbl = pattern(0x5000, 5), firmware = pattern(0x23456, 6);
  {
    RigHid dev(rig);
    mb::Client client(dev);
    client.fill_memory(0x2000, 4, 0xC0000008);
    client.configure_memory(9, 0x2000);
    client.flash_erase_region(0x60000000, 0x1000);
    client.fill_memory(0x2000, 4, 0xF000000F);
    client.configure_memory(9, 0x2000);
    client.flash_erase_region(0x60001000, 0x5000);
    client.write_memory(0x60001000, sbl);
    client.flash_erase_region(0x60040000, 0x24000);
    client.write_memory(0x60040000, firmware);
    client.efuse_program_once(0x06, 0x10);
    client.reset();
  }
  EXPECT_EQ(rig.mode(), "sbl");
  EXPECT_EQ(rig.flash().read(0x60001000, sbl.size()), sbl);
  EXPECT_EQ(rig.flash().read(0x60040000, firmware.size()), firmware);
  RigHid dev(rig);
  mb::Client client(dev);
  EXPECT_EQ(client.read_memory(0x60040000, 64), std::vector<uint8_t>(firmware.begin(), firmware.begin() + 64));
}

TEST(NxpFlashloaderModel, SecureBootloaderLeavesAfterItsWindow) {
  Rt1062Rig rig("sbl");
  {
    RigHid dev(rig);
    mb::Client client(dev);
    client.flash_erase_region(0x60040000, 0x1000);
    client.write_memory(0x60040000, pattern(256, 1));  // a firmware to start
  }
  {
    std::ofstream(rig.dir() / "rt1062.json") << R"({"sbl_window_ms": 0})";
  }
  rig.boot("sbl");
  EXPECT_FALSE(rig.model().identity().has_value());
  rig.after_request();
  EXPECT_EQ(rig.mode(), "app");  // it started the firmware
  // With a window, a host that speaks in time keeps it.
  std::filesystem::remove(rig.dir() / "rt1062.json");
  rig.boot("sbl");
  RigHid dev(rig);
  mb::Client client(dev);
  client.current_version();
  EXPECT_TRUE(rig.model().identity().has_value());
  EXPECT_EQ(rig.model().stats()["claimed"], true);
}

}  // namespace
}  // namespace omv::sim
