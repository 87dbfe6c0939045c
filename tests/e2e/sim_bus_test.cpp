// The sim bus: virtual camera processes started, inspected and stopped through the omv binary.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/run.h"

namespace omv::test::sim_bus_test {
namespace {

nlohmann::json stats(const TempDir& bus, const std::string& serial) {
  auto r = omv({"sim", "stats", "--bus", bus.path().string(), "--serial", serial, "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return nlohmann::json::parse(r.out);
}

TEST(SimBus, StartPublishesTheCameraAndStopRemovesIt) {
  TempDir bus;
  auto r = omv({"sim", "start", "OPENMV4", "--bus", bus.path().string(), "--serial", "CAM1", "--time-scale", "0"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto dir = bus.path() / "CAM1";
  auto device = nlohmann::json::parse(read_file(dir / "device.json"));
  EXPECT_EQ(device["target"], "OPENMV4");
  EXPECT_EQ(device["mode"], "bootloader");
  EXPECT_EQ(device["usb"]["id"], "37C5:9204");
  EXPECT_EQ(device["usb"]["interfaces"].size(), 4u);
  EXPECT_EQ(device["usb"]["interfaces"][2]["name"], "FIRMWARE");
  // The memory is a plain file, erased.
  auto mem = read_file(dir / "internal.bin");
  ASSERT_EQ(mem.size(), 2u * 1024 * 1024);
  EXPECT_EQ(mem.find_first_not_of('\xFF'), std::string::npos);

  auto s = stats(bus, "CAM1");
  EXPECT_EQ(s["erases"], 0);
  EXPECT_EQ(s["bytes_programmed"], 0);

  // A second camera with the same serial is refused while the first runs.
  auto again = omv({"sim", "start", "OPENMV4", "--bus", bus.path().string(), "--serial", "CAM1"});
  EXPECT_EQ(again.exit_code, 9) << again.err;

  auto list = omv({"sim", "list", "--bus", bus.path().string(), "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(nlohmann::json::parse(list.out).size(), 1u);

  auto stop = omv({"sim", "stop", "--bus", bus.path().string(), "--serial", "CAM1"});
  ASSERT_EQ(stop.exit_code, 0) << stop.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "device.json"));
  EXPECT_TRUE(std::filesystem::exists(dir / "internal.bin"));  // the camera's flash persists
  auto gone = omv({"sim", "stats", "--bus", bus.path().string(), "--serial", "CAM1", "--json"});
  EXPECT_EQ(gone.exit_code, 5);
}

TEST(SimBus, BadInputIsAUsageError) {
  TempDir bus;
  EXPECT_EQ(omv({"sim", "start", "OPENMV99", "--bus", bus.path().string()}).exit_code, 2);
  EXPECT_EQ(omv({"sim", "start", "OPENMV4", "--bus", bus.path().string(), "--fault", "melt@1"}).exit_code, 2);
  EXPECT_EQ(omv({"sim", "start", "OPENMV4", "--bus", bus.path().string(), "--fault", "stall@x"}).exit_code, 2);
  // A mode without a model says so instead of pretending.
  auto r = omv({"sim", "start", "OPENMV_N6", "--bus", bus.path().string(), "--mode", "nonsense"});
  EXPECT_EQ(r.exit_code, 15) << r.err;
  // ...and names the modes there are.
  EXPECT_NE(r.err.find("its modes: bootloader, openbl, rom, app (without"), std::string::npos) << r.err;
  // A mode only another board of the same type has is not offered.
  auto isp = omv({"sim", "start", "OPENMV4", "--bus", bus.path().string(), "--mode", "isp"});
  EXPECT_EQ(isp.exit_code, 15) << isp.err;
  EXPECT_NE(isp.err.find("its modes: bootloader, rom, app (without"), std::string::npos) << isp.err;
  EXPECT_NE(r.err.find("without --mode: bootloader"), std::string::npos) << r.err;
  EXPECT_TRUE(omv({"sim", "list", "--bus", bus.path().string(), "--json"}).out.find("serial") == std::string::npos);
}

TEST(SimBus, WithoutAModeACameraStartsInItsOwnBootloaderAndStopsByPositionalSerial) {
  TempDir bus;
  // The RT1060's ROM boots its secure bootloader: that is its bootloader mode.
  auto r = omv({"sim", "start", "OPENMV_RT1060", "--bus", bus.path().string(), "--serial", "RT1", "--time-scale", "0",
                "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto device = nlohmann::json::parse(read_file(bus.path() / "RT1" / "device.json"));
  EXPECT_EQ(device["mode"], "sbl");
  EXPECT_EQ(device["hid"]["id"], "15A2:0073");
  auto s = omv({"sim", "stats", "RT1", "--bus", bus.path().string(), "--json"});
  EXPECT_EQ(s.exit_code, 0) << s.err;
  // The serial as users type it, without --serial.
  auto stop = omv({"sim", "stop", "RT1", "--bus", bus.path().string()});
  ASSERT_EQ(stop.exit_code, 0) << stop.err;
  EXPECT_FALSE(std::filesystem::exists(bus.path() / "RT1" / "device.json"));
  EXPECT_EQ(omv({"sim", "stop", "RT1", "--bus", bus.path().string()}).exit_code, 5);
}

TEST(SimBus, EmulatedBoardsGetAVirtualBootloader) {
  TempDir bus;
  for (const char* target : {"MPS2_AN500", "MPS3_AN547"}) {
    auto r = omv({"sim", "start", target, "--bus", bus.path().string(), "--time-scale", "0", "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  auto list = nlohmann::json::parse(omv({"sim", "list", "--bus", bus.path().string(), "--json"}).out);
  ASSERT_EQ(list.size(), 2u);
  for (const auto& cam : list) EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(cam["dir"].get<std::string>()) /
                                                                   (cam["target"] == "MPS2_AN500" ? "code.bin" : "itcm.bin")));
  EXPECT_EQ(omv({"sim", "stop", "--bus", bus.path().string()}).exit_code, 0);
}

}  // namespace
}  // namespace omv::test::sim_bus_test
