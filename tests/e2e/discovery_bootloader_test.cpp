// omv bootloader against virtual cameras running their firmware: both debug protocols, old
// bootloaders (plain reset, 1.5 s window), and the ways it goes wrong.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <thread>

#include "discovery_support.h"
#include "platform/device_holders.h"

namespace omv::test::discovery_bootloader_test {
namespace {

// The last JSON line of an action command: its result (or error) event.
nlohmann::json last_event(const std::string& out) {
  nlohmann::json last;
  size_t start = 0;
  while (start < out.size()) {
    size_t end = out.find('\n', start);
    if (end == std::string::npos) end = out.size();
    auto j = nlohmann::json::parse(out.substr(start, end - start), nullptr, false);
    if (!j.is_discarded()) last = j;
    start = end + 1;
  }
  return last;
}

bool has_warning(const std::string& out, const std::string& text) {
  size_t start = 0;
  while (start < out.size()) {
    size_t end = out.find('\n', start);
    if (end == std::string::npos) end = out.size();
    auto j = nlohmann::json::parse(out.substr(start, end - start), nullptr, false);
    if (!j.is_discarded() && j.value("event", "") == "warning" && j.value("message", "").find(text) != std::string::npos)
      return true;
    start = end + 1;
  }
  return false;
}

TEST(DiscoveryBootloader, ProtocolFirmwareGetsSysBootAndStaysInTheBootloader) {
  SimBus bus;
  bus.start_app("OPENMV4", "APP1");
  auto r = omv({"bootloader", "OPENMV4", "--sim", bus.path(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  auto result = last_event(r.out);
  ASSERT_EQ(result["event"], "result") << r.out;
  EXPECT_TRUE(result["data"]["entered"].get<bool>());
  EXPECT_TRUE(result["data"]["forced"].get<bool>());
  EXPECT_EQ(result["data"]["details"]["command"], "SYS_BOOT");
  EXPECT_EQ(result["data"]["details"]["protocol"], "openmv");
  EXPECT_EQ(result["data"]["details"]["firmware_version"], "5.0.0");
  EXPECT_EQ(result["data"]["device"]["mode"], "bootloader");
  EXPECT_EQ(result["data"]["device"]["serial"], "APP1");  // the same camera, matched by serial
  auto d = bus.device("APP1");
  EXPECT_EQ(d["mode"], "bootloader");
  EXPECT_EQ(d["usb"]["id"], "37C5:9204");
  // Entered through the magic value: no 1.5 s timeout (150 ms at this time scale).
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  EXPECT_EQ(bus.device("APP1")["mode"], "bootloader");
  // Already there: used at once.
  auto again = omv({"bootloader", "OPENMV4", "--sim", bus.path(), "--json"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_FALSE(last_event(again.out)["data"]["entered"].get<bool>());
}

TEST(DiscoveryBootloader, LegacyFirmwareGetsTheUsbDebugCommand) {
  SimBus bus;
  bus.start_app("OPENMV3", "OLD1", {{"protocol", "legacy"}, {"firmware_version", "4.5.9"}});
  auto r = omv({"bootloader", "OPENMV3", "--sim", bus.path(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  auto result = last_event(r.out);
  EXPECT_EQ(result["data"]["details"]["protocol"], "legacy");
  EXPECT_EQ(result["data"]["details"]["command"], "USBDBG SYS_RESET_TO_BL");
  EXPECT_EQ(result["data"]["details"]["firmware_version"], "4.5.9");
  EXPECT_EQ(bus.device("OLD1")["mode"], "bootloader");
}

TEST(DiscoveryBootloader, OldBootloaderGetsAPlainResetAndLeavesAfterItsWindow) {
  SimBus bus;
  bus.start_app("OPENMV4", "APP2", {{"bootloader_version", "1.0.1"}});
  auto r = omv({"bootloader", "OPENMV4", "--sim", bus.path(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  auto result = last_event(r.out);
  EXPECT_EQ(result["data"]["details"]["command"], "SYS_RESET");
  EXPECT_FALSE(result["data"]["forced"].get<bool>());
  EXPECT_TRUE(has_warning(r.out, "1.5 s")) << r.out;
  // Nobody talks DFU to it: after its window it runs the firmware again.
  EXPECT_TRUE(bus.wait_mode("APP2", "app", std::chrono::seconds(10)));
  auto list = bus.list();
  const auto* cam = find_serial(list, "APP2");
  ASSERT_NE(cam, nullptr);
  EXPECT_EQ((*cam)["mode"], "app");
}

TEST(DiscoveryBootloader, ACameraThatNeverComesBackIsNamed) {
  SimBus bus;
  bus.start_app("OPENMV4", "LOST", {{"behaviour", "no_bootloader"}});
  auto r = omv({"bootloader", "OPENMV4", "--sim", bus.path(), "--timeout", "1500"});
  EXPECT_EQ(r.exit_code, 14) << r.err;
  EXPECT_NE(r.err.find("LOST"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("did not appear in its bootloader"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("still running its firmware"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("hint:"), std::string::npos);
}

TEST(DiscoveryBootloader, SilenceAndGarbageNameThePort) {
  SimBus bus;
  bus.start_app("OPENMV4", "MUTE", {{"behaviour", "silent"}});
  bus.start_app("OPENMV4P", "NOISE", {{"behaviour", "garbage"}});
  const std::string mute_port = std::filesystem::read_symlink(bus.camera("MUTE") / "tty").string();
  const std::string noise_port = std::filesystem::read_symlink(bus.camera("NOISE") / "tty").string();
  auto silent = omv({"bootloader", "OPENMV4", "--sim", bus.path()});
  EXPECT_EQ(silent.exit_code, 14) << silent.err;
  EXPECT_NE(silent.err.find(mute_port), std::string::npos) << silent.err;
  EXPECT_NE(silent.err.find("no answer"), std::string::npos) << silent.err;
  auto garbage = omv({"bootloader", "OPENMV4P", "--sim", bus.path()});
  EXPECT_EQ(garbage.exit_code, 6) << garbage.err;
  EXPECT_NE(garbage.err.find(noise_port), std::string::npos) << garbage.err;
  EXPECT_NE(garbage.err.find("15 15 45 52 52"), std::string::npos) << garbage.err;
  EXPECT_EQ(bus.device("MUTE")["mode"], "app");
}

TEST(DiscoveryBootloader, ADifferentCameraAppearingIsNotTakenForIt) {
  SimBus bus;
  bus.start_app("OPENMV4", "AAA", {{"behaviour", "no_bootloader"}});
  std::thread other([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(700));
    bus.start_mode("OPENMV4", "BBB", "bootloader");
  });
  auto r = omv({"bootloader", "OPENMV4", "--serial", "AAA", "--sim", bus.path(), "--timeout", "4000"});
  other.join();
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_NE(r.err.find("different camera"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("BBB"), std::string::npos) << r.err;
  EXPECT_EQ(bus.device("BBB")["mode"], "bootloader");  // and it was left alone
}

TEST(DiscoveryBootloader, APortHeldByAnotherProcessIsNamed) {
  SimBus bus;
  bus.start_app("OPENMV4", "HELD");
  const std::string port = std::filesystem::read_symlink(bus.camera("HELD") / "tty").string();
  const int fd = ::open(port.c_str(), O_RDWR | O_NOCTTY);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);
  auto r = omv({"bootloader", "OPENMV4", "--sim", bus.path()});
  ::close(fd);
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find(port), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("busy"), std::string::npos) << r.err;
  if (omv::platform::os::kNamesHolders)
    EXPECT_NE(r.err.find(std::to_string(::getpid())), std::string::npos) << r.err;  // who holds it
  else
    EXPECT_NE(r.err.find("cannot tell which other program"), std::string::npos) << r.err;
  EXPECT_EQ(bus.device("HELD")["mode"], "app");
}

TEST(DiscoveryBootloader, TwoCamerasWithoutSerialListsBoth) {
  SimBus bus;
  bus.start_app("OPENMV4", "CAM_A");
  bus.start_app("OPENMV4", "CAM_B");
  auto r = omv({"bootloader", "OPENMV4", "--sim", bus.path()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("CAM_A"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("CAM_B"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--serial"), std::string::npos) << r.err;
  auto one = omv({"bootloader", "OPENMV4", "--serial", "CAM_B", "--sim", bus.path()});
  EXPECT_EQ(one.exit_code, 0) << one.err;
  EXPECT_EQ(bus.device("CAM_A")["mode"], "app");
  EXPECT_EQ(bus.device("CAM_B")["mode"], "bootloader");
}

}  // namespace
}  // namespace omv::test::discovery_bootloader_test
