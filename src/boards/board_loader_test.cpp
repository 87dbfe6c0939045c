#include "boards/board_loader.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace omv::boards {
namespace {

const char* kValid = R"({
  "target": "TESTBOARD", "name": "Test", "mcu": "STM32H743", "port": "stm32", "core": "cortex-m7",
  "bootloader_type": "openmv_dfu", "usb": {"bootloader": "37C5:9204"},
  "memories": [{"name": "internal", "kind": "flash", "base": "0x08000000", "size": "256K",
                "erase_layout": [{"count": 2, "size": "128K"}],
                "timing": {"erase_typ_ms": 1, "erase_max_ms": 2, "source": "test"}}],
  "partitions": [
    {"name": "BOOTLOADER", "alt": 0, "memory": "internal", "start": "0x08000000", "end": "0x08020000", "read_only": true, "role": "bootloader"},
    {"name": "FIRMWARE", "alt": 1, "memory": "internal", "start": "0x08020000", "end": "0x08040000", "role": "firmware"}],
  "files": [{"file": "firmware.bin", "partition": "FIRMWARE"}],
  "erase_fs": {"method": "none"},
  "debug": {"server": "jlink"}
})";

std::string error_of(const std::string& text) {
  try {
    load_board("boards/TESTBOARD.json", text);
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_board_data);
    return e.what();
  }
  return "";
}

std::string replace(std::string s, const std::string& from, const std::string& to) {
  auto pos = s.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  return s.replace(pos, from.size(), to);
}

}  // namespace

TEST(BoardLoader, LoadsAValidBoard) {
  Board b = load_board("boards/TESTBOARD.json", kValid);
  EXPECT_EQ(b.target, "TESTBOARD");
  EXPECT_EQ(b.partitions.size(), 2u);
  EXPECT_EQ(b.memories[0].size, 256u * 1024);
}

TEST(BoardLoader, NamesFileBoardAndFieldForEveryProblem) {
  // Missing field.
  auto msg = error_of(replace(kValid, R"("mcu": "STM32H743", )", ""));
  EXPECT_NE(msg.find("boards/TESTBOARD.json: TESTBOARD: mcu: missing field"), std::string::npos) << msg;
  // Bad number.
  msg = error_of(replace(kValid, R"("end": "0x08040000")", R"("end": "0x0804zz00")"));
  EXPECT_NE(msg.find("partitions[1].end: bad number '0x0804zz00'"), std::string::npos) << msg;
  // Unknown bootloader type.
  msg = error_of(replace(kValid, R"("openmv_dfu")", R"("kermit")"));
  EXPECT_NE(msg.find("bootloader_type: unknown bootloader type 'kermit'"), std::string::npos) << msg;
  // Partition outside its memory.
  msg = error_of(replace(kValid, R"("end": "0x08040000")", R"("end": "0x08060000")"));
  EXPECT_NE(msg.find("lies outside memory 'internal'"), std::string::npos) << msg;
  // Overlapping partitions.
  msg = error_of(replace(kValid, R"("start": "0x08020000")", R"("start": "0x08010000")"));
  EXPECT_NE(msg.find("overlaps partition 'BOOTLOADER'"), std::string::npos) << msg;
  // Duplicate alt.
  msg = error_of(replace(kValid, R"("alt": 1)", R"("alt": 0)"));
  EXPECT_NE(msg.find("alt 0 used twice"), std::string::npos) << msg;
  // Erase layout that does not cover the memory.
  msg = error_of(replace(kValid, R"("count": 2)", R"("count": 3)"));
  EXPECT_NE(msg.find("erase_layout: covers"), std::string::npos) << msg;
  // A file naming a partition that does not exist.
  msg = error_of(replace(kValid, R"("partition": "FIRMWARE")", R"("partition": "NOPE")"));
  EXPECT_NE(msg.find("files[0].partition: no partition named 'NOPE'"), std::string::npos) << msg;
  // Not JSON at all.
  msg = error_of("{ this is not json");
  EXPECT_NE(msg.find("not valid JSON"), std::string::npos) << msg;
  // Wrong type.
  msg = error_of(replace(kValid, R"("read_only": true)", R"("read_only": "yes")"));
  EXPECT_NE(msg.find("partitions[0].read_only: expected true or false"), std::string::npos) << msg;
}

TEST(BoardLoader, DebugAccessPortDefaultsToZeroAndIsChecked) {
  EXPECT_EQ(load_board("boards/TESTBOARD.json", kValid).debug.access_port, 0);
  auto with_ap = replace(kValid, R"("server": "jlink")", R"("server": "stlink", "access_port": 1)");
  EXPECT_EQ(load_board("boards/TESTBOARD.json", with_ap).debug.access_port, 1);
  auto msg = error_of(replace(kValid, R"("server": "jlink")", R"("server": "stlink", "access_port": 300)"));
  EXPECT_NE(msg.find("debug.access_port: 300 is not an access port number"), std::string::npos) << msg;
}

TEST(BoardLoader, DeployProbeIsDataAndFallsBackToTheDebugServer) {
  Board plain = load_board("boards/TESTBOARD.json", kValid);
  EXPECT_TRUE(plain.deploy.probe.empty());
  EXPECT_EQ(plain.default_deploy_probe(), "jlink");  // debug.server
  EXPECT_EQ(load_board("boards/TESTBOARD.json", replace(kValid, R"("server": "jlink")", R"("server": "qemu")"))
                .default_deploy_probe(),
            "gdb");
  EXPECT_EQ(load_board("boards/TESTBOARD.json", replace(kValid, R"("server": "jlink")", R"("server": "none")"))
                .default_deploy_probe(),
            "");

  auto with_deploy = [](const std::string& block) {
    return replace(kValid, R"("debug": {"server": "jlink"})",
                   R"("debug": {"server": "jlink", "jlink_device": "STM32H743VI"}, "deploy": )" + block);
  };
  Board b = load_board("boards/TESTBOARD.json", with_deploy(R"({"probe": "stlink", "note": "why"})"));
  EXPECT_EQ(b.default_deploy_probe(), "stlink");
  EXPECT_EQ(b.deploy.note, "why");

  auto msg = error_of(with_deploy(R"({"probe": "openocd"})"));
  EXPECT_NE(msg.find("TESTBOARD: deploy.probe: unknown probe 'openocd'"), std::string::npos) << msg;
  msg = error_of(with_deploy(R"({"note": "no probe"})"));
  EXPECT_NE(msg.find("deploy.probe: missing field"), std::string::npos) << msg;
  msg = error_of(with_deploy(R"({"probe": "isp"})"));
  EXPECT_NE(msg.find("deploy.probe: isp needs a usb.isp id"), std::string::npos) << msg;
  msg = error_of(replace(kValid, R"("debug": {"server": "jlink"})", R"("debug": {"server": "jlink"}, "deploy": {"probe": "jlink"})"));
  EXPECT_NE(msg.find("deploy.probe: jlink needs debug.jlink_device"), std::string::npos) << msg;
}

TEST(BoardLoader, NestedPartitionsAreAllowed) {
  // OPENMV4P's SPI_FLASH spans the whole QSPI and contains ROMFS0.
  auto text = replace(kValid, R"("start": "0x08020000", "end": "0x08040000")", R"("start": "0x08000000", "end": "0x08040000")");
  EXPECT_NO_THROW(load_board("boards/TESTBOARD.json", text));
}

}  // namespace omv::boards
