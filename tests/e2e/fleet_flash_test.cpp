// omv flash --all: four virtual cameras running their firmware, flashed in parallel, one of them
// made to fail; the others finish, the table names each, the exit code says some failed.
#include <random>

#include "discovery_support.h"

namespace omv::test::fleet_flash_test {
namespace {

constexpr size_t kFirmwareOffset = 0x40000;  // OPENMV4 FIRMWARE partition in internal.bin

TEST(FleetFlash, FourCamerasOneFailing) {
  SimBus bus;
  TempDir work;
  for (const char* serial : {"F1", "F2", "F4"}) bus.start_app("OPENMV4", serial, nlohmann::json(), "0");
  {
    // F3's bootloader fails a write once 64 KiB have been downloaded.
    std::filesystem::create_directories(bus.camera("F3"));
    auto r = omv({"sim", "start", "OPENMV4", "--bus", bus.path(), "--serial", "F3", "--app", "--time-scale", "0",
                  "--fault", "err_write@64K"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  std::mt19937 rng(3);
  std::string image(192 * 1024, '\0');
  for (auto& c : image) c = static_cast<char>(rng() & 0xFF);
  write_file(work / "firmware.bin", image);

  auto r = omv({"flash", "OPENMV4", "--all", "--sim", bus.path(), "--firmware", (work / "firmware.bin").string(), "--json"});
  EXPECT_EQ(r.exit_code, 16) << r.err << r.out;

  nlohmann::json result;
  bool f3_error = false;
  size_t start = 0;
  while (start < r.out.size()) {
    size_t end = r.out.find('\n', start);
    if (end == std::string::npos) end = r.out.size();
    auto j = nlohmann::json::parse(r.out.substr(start, end - start), nullptr, false);
    if (!j.is_discarded() && j.value("event", "") == "result") result = j;
    if (!j.is_discarded() && j.value("event", "") == "error" && j.value("source", "") == "F3") f3_error = true;
    start = end + 1;
  }
  EXPECT_TRUE(f3_error) << r.out;
  ASSERT_TRUE(result.is_object()) << r.out;
  EXPECT_EQ(result["data"]["ok"], 3);
  EXPECT_EQ(result["data"]["failed"], 1);
  ASSERT_EQ(result["data"]["cameras"].size(), 4u);
  for (const auto& cam : result["data"]["cameras"]) {
    const std::string serial = cam["camera"];
    EXPECT_EQ(cam["ok"].get<bool>(), serial != "F3") << cam;
  }
  for (const char* serial : {"F1", "F2", "F4"}) {
    const std::string flash = read_file(bus.camera(serial) / "internal.bin");
    ASSERT_GE(flash.size(), kFirmwareOffset + image.size());
    EXPECT_EQ(flash.substr(kFirmwareOffset, image.size()), image) << serial;
  }
  EXPECT_NE(read_file(bus.camera("F3") / "internal.bin").substr(kFirmwareOffset, image.size()), image);

  // Human output: a table with a row per camera.
  for (const char* serial : {"F1", "F2", "F4"}) bus.wait_mode(serial, "app", std::chrono::seconds(10));
  auto human = omv({"flash", "OPENMV4", "--all", "--sim", bus.path(), "--firmware", (work / "firmware.bin").string()});
  EXPECT_NE(human.err.find("CAMERA"), std::string::npos) << human.err;
  for (const char* serial : {"F1", "F2", "F3", "F4"}) EXPECT_NE(human.err.find(serial), std::string::npos) << serial;
}

TEST(FleetFlash, NoCameraIsNoDevice) {
  SimBus bus;
  TempDir work;
  write_file(work / "firmware.bin", std::string(1024, 'x'));
  auto r = omv({"flash", "OPENMV4", "--all", "--sim", bus.path(), "--firmware", (work / "firmware.bin").string()});
  EXPECT_EQ(r.exit_code, 5) << r.err;
}

}  // namespace
}  // namespace omv::test::fleet_flash_test
