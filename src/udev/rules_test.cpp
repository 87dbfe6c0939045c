#include "udev/rules.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "udev/access_hint.h"

namespace omv::udev {
namespace {

TEST(UdevRules, EveryModeOfEveryBoardIsCoveredWithGroupAccess) {
  const auto db = boards::BoardDb::built_in();
  const std::string rules = generate_rules(db, "plugdev");
  for (const auto& b : db.all())
    for (const auto& [mode, id] : b.usb) {
      const std::string vid = fmt::format("{:04x}", id.vid), pid = fmt::format("{:04x}", id.pid);
      EXPECT_NE(rules.find("ATTR{idVendor}==\"" + vid + "\", ATTR{idProduct}==\"" + pid + "\""), std::string::npos)
          << b.target << " " << mode;
      EXPECT_NE(rules.find("ATTRS{idVendor}==\"" + vid + "\", ATTRS{idProduct}==\"" + pid + "\""), std::string::npos);
    }
  EXPECT_EQ(rules.find("0666"), std::string::npos);  // never world-writable
  EXPECT_NE(rules.find("GROUP=\"plugdev\""), std::string::npos);
  EXPECT_NE(rules.find("ID_MM_DEVICE_IGNORE"), std::string::npos);
  EXPECT_NE(rules.find("SUBSYSTEM==\"hidraw\""), std::string::npos);
  // The camera running firmware is kept away from ModemManager on its tty.
  std::istringstream lines(rules);
  std::string line;
  bool tty_rule = false;
  while (std::getline(lines, line))
    if (line.find("SUBSYSTEM==\"tty\"") != std::string::npos && line.find("\"37c5\"") != std::string::npos &&
        line.find("\"1204\"") != std::string::npos && line.find("ID_MM_DEVICE_IGNORE}=\"1\"") != std::string::npos)
      tty_rule = true;
  EXPECT_TRUE(tty_rule);
}

TEST(UdevRules, InstallToAFileWithoutReload) {
  const auto db = boards::BoardDb::built_in();
  const auto dir = std::filesystem::temp_directory_path() / ("omv-udev-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  RecordingSink sink;
  Reporter reporter(sink);
  InstallOptions options;
  options.group = "plugdev";
  options.path = dir / "60-omv.rules";
  options.reload = false;
  options.user = "nobody";
  auto r = install_rules(db, options, reporter);
  std::ifstream in(options.path);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), generate_rules(db, "plugdev"));
  EXPECT_FALSE(r.user_in_group);
  ASSERT_FALSE(r.next_steps.empty());
  EXPECT_NE(r.next_steps.front().find("usermod -aG plugdev nobody"), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(UdevRules, BadGroupNameIsUsage) {
  const auto db = boards::BoardDb::built_in();
  RecordingSink sink;
  Reporter reporter(sink);
  InstallOptions options;
  options.group = "a\"b";
  options.path = "/nonexistent/x.rules";
  EXPECT_THROW(install_rules(db, options, reporter), Error);
}

TEST(AccessHint, PointsAtTheFix) {
  const std::string hint = access_hint();
  EXPECT_TRUE(hint.find("omv udev install") != std::string::npos || hint.find("usermod") != std::string::npos ||
              hint.find("re-plug") != std::string::npos);
  auto e = permission_denied("cannot open /dev/ttyACM0");
  EXPECT_EQ(e.kind(), ErrorKind::permission);
  EXPECT_EQ(e.hint(), hint);
}

}  // namespace
}  // namespace omv::udev
