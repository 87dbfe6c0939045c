// omv flash on virtual cameras started running their firmware: the reset into the bootloader
// is part of the flash, in both debug protocols, and the camera runs its firmware again after.
#include <random>

#include "discovery_support.h"

namespace omv::test::discovery_flash_test {
namespace {

std::string random_image(size_t size, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string data(size, '\0');
  for (auto& c : data) c = static_cast<char>(rng() & 0xFF);
  return data;
}

// OPENMV4's FIRMWARE partition starts 0x40000 into its internal flash.
constexpr size_t kFirmwareOffset = 0x40000;

void flash_and_check(const std::string& target, const nlohmann::json& firmware, const std::string& expect_command) {
  SimBus bus;
  TempDir work;
  bus.start_app(target, "CAM", firmware, "0");
  const std::string image = random_image(96 * 1024, 7);
  write_file(work / "firmware.bin", image);
  auto r = omv({"flash", target, "--sim", bus.path(), "--firmware", (work / "firmware.bin").string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_NE(r.out.find(expect_command), std::string::npos) << r.out;
  const std::string flash = read_file(bus.camera("CAM") / "internal.bin");
  ASSERT_GE(flash.size(), kFirmwareOffset + image.size());
  EXPECT_EQ(flash.substr(kFirmwareOffset, image.size()), image);
  // The flash ends with a reset: the camera leaves its bootloader and runs the firmware again.
  EXPECT_TRUE(bus.wait_mode("CAM", "app", std::chrono::seconds(10)));
}

TEST(DiscoveryFlash, OpenmvProtocolCameraIsResetAndFlashed) {
  flash_and_check("OPENMV4", nlohmann::json(), "SYS_BOOT");
}

TEST(DiscoveryFlash, LegacyProtocolCameraIsResetAndFlashed) {
  flash_and_check("OPENMV4", {{"protocol", "legacy"}}, "USBDBG SYS_RESET_TO_BL");
}

}  // namespace
}  // namespace omv::test::discovery_flash_test
