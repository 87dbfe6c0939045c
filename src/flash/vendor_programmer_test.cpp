// The command lines and the J-Link command file omv deploy builds for vendor programmers, from the
// built-in board data, compared with hand-written ones.
#include "flash/vendor_programmer.h"

#include <gtest/gtest.h>

#include "boards/board_db.h"
#include "core/error.h"
#include "image/file_io.h"

namespace omv::flash::vendor_programmer_test {
namespace {

namespace fs = std::filesystem;

// A build file of `board` as collect_images leaves it: loaded from `file` into `partition`.
Image build_image(const boards::Board& board, const std::string& partition, const fs::path& file,
                  image::Format format = image::Format::bin, size_t bytes = 1024) {
  Image img;
  img.label = file.filename().string();
  img.partition = board.partition(partition);
  img.address = img.partition->start;
  img.data.assign(bytes, 0x5A);
  img.file = file;
  img.file_format = format;
  return img;
}

const boards::BoardDb& db() {
  static const auto built_in = boards::BoardDb::built_in();
  return built_in;
}

TEST(VendorProgrammer, N6WritesEachBuildFileAtItsXipAddressThroughTheExternalLoaderOnAp1) {
  const auto& n6 = db().get("OPENMV_N6");
  std::vector<Image> images = {build_image(n6, "FIRMWARE", "/b/bin/firmware.bin"),
                               build_image(n6, "ROMFS0", "/b/bin/romfs0.img", image::Format::romfs)};
  auto files = programmer_files(n6, images, {});
  StlinkCommand c;
  c.exe = "/sdk/stcubeprog/bin/STM32_Programmer_CLI";
  c.external_loader = "/sdk/stcubeprog/bin/ExternalLoader/" + n6.debug.stlink_external_loader;
  c.access_port = n6.debug.access_port;
  // Upstream's line, with its one combined openmv.bin at OMV_FIRM_BASE replaced by the two build files.
  std::vector<std::string> expected = {"/sdk/stcubeprog/bin/STM32_Programmer_CLI",
                                       "-c", "port=SWD", "mode=HOTPLUG", "ap=1",
                                       "-el", "/sdk/stcubeprog/bin/ExternalLoader/MX25UM51245G_STM32N6570-NUCLEO.stldr",
                                       "-w", "/b/bin/firmware.bin", "0x70080000",
                                       "-w", "/b/bin/romfs0.img", "0x70800000",
                                       "-hardRst"};
  EXPECT_EQ(stm32_programmer_argv(c, files), expected);

  c.serial = "0029001D3234510C33353533";
  c.verify = true;
  c.reset = false;
  expected = {"/sdk/stcubeprog/bin/STM32_Programmer_CLI",
              "-c", "port=SWD", "mode=HOTPLUG", "ap=1", "sn=0029001D3234510C33353533",
              "-el", "/sdk/stcubeprog/bin/ExternalLoader/MX25UM51245G_STM32N6570-NUCLEO.stldr",
              "-w", "/b/bin/firmware.bin", "0x70080000", "-v",
              "-w", "/b/bin/romfs0.img", "0x70800000", "-v"};
  EXPECT_EQ(stm32_programmer_argv(c, files), expected);
}

TEST(VendorProgrammer, OpenMv4HasNoExternalLoaderAndTheDefaultAccessPort) {
  const auto& b = db().get("OPENMV4");
  EXPECT_TRUE(b.debug.stlink_external_loader.empty());
  std::vector<Image> images = {build_image(b, "FIRMWARE", "/b/firmware.bin"), build_image(b, "ROMFS0", "/b/romfs0.img")};
  StlinkCommand c;
  c.exe = "STM32_Programmer_CLI";
  c.access_port = b.debug.access_port;
  std::vector<std::string> expected = {"STM32_Programmer_CLI", "-c", "port=SWD", "mode=HOTPLUG", "ap=0",
                                       "-w", "/b/firmware.bin", "0x08040000", "-w", "/b/romfs0.img", "0x081E0000",
                                       "-hardRst"};
  EXPECT_EQ(stm32_programmer_argv(c, programmer_files(b, images, {})), expected);
}

TEST(VendorProgrammer, AnElfGoesByItsOwnAddresses) {
  const auto& b = db().get("OPENMV4");
  std::vector<Image> images = {build_image(b, "FIRMWARE", "/b/firmware.elf", image::Format::elf)};
  auto files = programmer_files(b, images, {});
  ASSERT_EQ(files.size(), 1u);
  EXPECT_FALSE(files[0].address);
  StlinkCommand c;
  c.exe = "STM32_Programmer_CLI";
  std::vector<std::string> expected = {"STM32_Programmer_CLI", "-c", "port=SWD", "mode=HOTPLUG", "ap=0",
                                       "-w", "/b/firmware.elf", "-hardRst"};
  EXPECT_EQ(stm32_programmer_argv(c, files), expected);
  EXPECT_EQ(jlink_command_file(files, true, true), "ExitOnError 1\nr\nloadfile \"/b/firmware.elf\"\nr\ng\nexit\n");
}

TEST(VendorProgrammer, JLinkCommandLineAndCommandFileForTheRt1060) {
  const auto& b = db().get("OPENMV_RT1060");
  std::vector<Image> images = {build_image(b, "FIRMWARE", "/b/firmware.bin"), build_image(b, "ROMFS0", "/b/romfs0.img")};
  auto files = programmer_files(b, images, {});
  JLinkCommand c;
  c.exe = "/opt/SEGGER/JLink/JLinkExe";
  c.device = b.debug.jlink_device;
  c.command_file = "/tmp/x/deploy.jlink";
  std::vector<std::string> expected = {"/opt/SEGGER/JLink/JLinkExe", "-device", "MIMXRT1062xxx6A", "-if", "SWD",
                                       "-speed", "4000", "-autoconnect", "1", "-NoGui", "1",
                                       "-CommandFile", "/tmp/x/deploy.jlink"};
  EXPECT_EQ(jlink_commander_argv(c), expected);
  c.serial = "801012345";
  expected.insert(expected.begin() + 1, {"-SelectEmuBySN", "801012345"});
  EXPECT_EQ(jlink_commander_argv(c), expected);

  EXPECT_EQ(jlink_command_file(files, false, true),
            "ExitOnError 1\n"
            "r\n"
            "loadfile \"/b/firmware.bin\" 0x60040000\n"
            "loadfile \"/b/romfs0.img\" 0x60800000\n"
            "r\n"
            "g\n"
            "exit\n");
  EXPECT_EQ(jlink_command_file(files, true, false),
            "ExitOnError 1\n"
            "r\n"
            "loadfile \"/b/firmware.bin\" 0x60040000\n"
            "loadfile \"/b/romfs0.img\" 0x60800000\n"
            "verifybin \"/b/firmware.bin\" 0x60040000\n"
            "verifybin \"/b/romfs0.img\" 0x60800000\n"
            "exit\n");
}

TEST(VendorProgrammer, FormatsTheToolsCannotReadAreWrittenAsRawBinaries) {
  const auto& b = db().get("RPI_PICO");
  char tmpl[] = "/tmp/omv-vendor-test-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const fs::path scratch = tmpl;
  std::vector<Image> images = {build_image(b, "FIRMWARE", "/b/firmware.uf2", image::Format::uf2, 300)};
  auto files = programmer_files(b, images, scratch);
  ASSERT_EQ(files.size(), 1u);
  EXPECT_TRUE(files[0].converted);
  EXPECT_EQ(files[0].path, scratch / "firmware.uf2.bin");
  EXPECT_EQ(files[0].address, b.partition("FIRMWARE")->start);
  EXPECT_EQ(image::read_file(files[0].path), images[0].data);
  fs::remove_all(scratch);
}

TEST(VendorProgrammer, AQuoteInAPathIsRefusedForTheCommandFile) {
  const auto& b = db().get("OPENMV4");
  std::vector<Image> images = {build_image(b, "FIRMWARE", "/b/fw\".bin")};
  EXPECT_THROW(jlink_command_file(programmer_files(b, images, {}), false, true), Error);
}

TEST(VendorProgrammer, SeggerErrorLinesButNotTheEchoedCommands) {
  EXPECT_TRUE(is_segger_error_line("Cannot connect to target."));
  EXPECT_TRUE(is_segger_error_line("****** Error: Failed to download RAMCode."));
  EXPECT_TRUE(is_segger_error_line("ERROR: Could not find device"));
  EXPECT_FALSE(is_segger_error_line("J-Link>ExitOnError 1"));
  EXPECT_FALSE(is_segger_error_line("J-Link>loadfile \"/home/me/Failed builds/firmware.bin\" 0x08040000"));
  EXPECT_FALSE(is_segger_error_line("Downloading file [firmware.bin]..."));
  EXPECT_FALSE(is_segger_error_line("O.K."));
}

TEST(VendorProgrammer, ProgressBarsGiveTheirPercentage) {
  EXPECT_EQ(progress_percent("[==========                                        ]  20%"), 20);
  EXPECT_EQ(progress_percent("[==================================================] 100% "), 100);
  EXPECT_EQ(progress_percent("[] 0%"), 0);
  EXPECT_FALSE(progress_percent("Download in Progress:"));
  EXPECT_FALSE(progress_percent("50%"));
  EXPECT_FALSE(progress_percent("[x] 250%"));
}

}  // namespace
}  // namespace omv::flash::vendor_programmer_test
