// omv list against virtual cameras in different modes.
#include <unistd.h>

#include "discovery_support.h"

namespace omv::test::discovery_list_test {
namespace {

TEST(DiscoveryList, EveryModeWithItsPortOrPath) {
  SimBus bus;
  bus.start_app("OPENMV4", "APP1");
  bus.start_mode("OPENMV4P", "BOOT1", "bootloader");
  bus.start_mode("OPENMV3", "ROM1", "rom");
  auto list = bus.list();
  ASSERT_TRUE(list.is_array()) << list;
  ASSERT_EQ(list.size(), 3u) << list.dump(2);

  const auto* app = find_serial(list, "APP1");
  ASSERT_NE(app, nullptr);
  EXPECT_EQ((*app)["board"], "OPENMV4");
  EXPECT_EQ((*app)["mode"], "app");
  EXPECT_EQ((*app)["kind"], "running");
  EXPECT_EQ((*app)["usb_id"], "37C5:1204");
  // Its port is the camera's pseudo-terminal, the one the bus folder links to.
  const std::string port = (*app)["port"].get<std::string>();
  EXPECT_EQ(port.rfind("/dev/pts/", 0), 0u) << port;
  EXPECT_EQ(std::filesystem::read_symlink(bus.camera("APP1") / "tty").string(), port);
  EXPECT_EQ(::access(port.c_str(), R_OK | W_OK), 0);

  const auto* boot = find_serial(list, "BOOT1");
  ASSERT_NE(boot, nullptr);
  EXPECT_EQ((*boot)["board"], "OPENMV4P");
  EXPECT_EQ((*boot)["mode"], "bootloader");
  EXPECT_EQ((*boot)["usb_id"], "37C5:924A");
  EXPECT_TRUE((*boot)["port"].is_null());
  EXPECT_NE((*boot)["path"].get<std::string>().find("BOOT1"), std::string::npos);

  // The ST ROM's ID belongs to every STM32 camera: all are named, none is guessed.
  const auto* rom = find_serial(list, "ROM1");
  ASSERT_NE(rom, nullptr);
  EXPECT_EQ((*rom)["usb_id"], "0483:DF11");
  EXPECT_EQ((*rom)["kind"], "rom");
  EXPECT_TRUE((*rom)["board"].is_null());
  EXPECT_GE((*rom)["boards"].size(), 5u);

  auto human = omv({"list", "--sim", bus.path()});
  ASSERT_EQ(human.exit_code, 0) << human.err;
  for (const char* text : {"BOARD", "MODE", "VID:PID", "SERIAL", "PORT/PATH", "BUS-PORT", "APP1", "37C5:1204", "/dev/pts/"})
    EXPECT_NE(human.out.find(text), std::string::npos) << text << "\n" << human.out;
}

TEST(DiscoveryList, EmptyBus) {
  SimBus bus;
  auto list = bus.list();
  EXPECT_TRUE(list.is_array() && list.empty());
  auto human = omv({"list", "--sim", bus.path()});
  EXPECT_EQ(human.exit_code, 0);
  EXPECT_NE(human.out.find("no cameras found"), std::string::npos);
}

}  // namespace
}  // namespace omv::test::discovery_list_test
