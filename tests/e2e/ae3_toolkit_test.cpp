// Alif's own host tools against the virtual AE3 Secure Enclave: the real toolkit's
// app-write-mram.py (Debian's python3 + python3-serial) burns an image set into one virtual
// camera over its ISP port, omv deploy burns the same set into another, and the two MRAM files
// must be byte-identical. Skipped when the toolkit (../shared/third_party) is not on this machine.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include "dfu_support.h"
#include "support/run.h"
#include "support/sim_bus.h"

namespace omv::test::ae3_toolkit_test {
namespace {

namespace fs = std::filesystem;

fs::path toolkit_source() { return fs::path(OMV_SOURCE_DIR) / ".." / "shared" / "third_party" / "alif-security-toolkit"; }

bool python_has_pyserial() { return run({"/usr/bin/python3", "-c", "import serial"}).exit_code == 0; }

// A private copy: the toolkit writes its settings (the part, the port) into its own folder.
fs::path toolkit_copy(const TempDir& tmp) {
  const fs::path dir = tmp / "toolkit";
  fs::copy(toolkit_source(), dir, fs::copy_options::recursive);
  auto cfg = nlohmann::json::parse(read_file(dir / "utils" / "global-cfg.db"));
  cfg["DEVICE"] = {{"Revision", "B4"}, {"Part#", "E3 (AE302F80F55D5AE) - 5.5 MRAM / 13.5 SRAM"}};
  write_file(dir / "utils" / "global-cfg.db", cfg.dump(4));
  return dir;
}

TEST(Ae3Toolkit, AppWriteMramAndOmvDeployLeaveByteIdenticalMram) {
  if (!fs::exists(toolkit_source() / "app-write-mram.py")) GTEST_SKIP() << "no Alif toolkit at " << toolkit_source();
  if (!python_has_pyserial()) GTEST_SKIP() << "Debian's python3-serial is not installed";
  TempDir tmp;
  const fs::path toolkit = toolkit_copy(tmp);
  const std::string boot = random_bytes(40000, 71), hp = random_bytes(200001, 72), toc = random_bytes(4096, 73);
  // The same images twice: the toolkit's --pad appends the padding to the file itself, omv pads
  // in memory only.
  auto image_list = [&](const fs::path& dir) {
    fs::create_directories(dir);
    write_file(dir / "bootloader.bin", boot);
    write_file(dir / "firmware_M55_HP.bin", hp);  // not a multiple of 16
    write_file(dir / "toc.bin", toc);
    return (dir / "bootloader.bin").string() + " 0x80000000 " + (dir / "firmware_M55_HP.bin").string() + " 0x80020000 " +
           (dir / "toc.bin").string() + " 0x8057E000";
  };
  const std::string for_toolkit = image_list(tmp / "for_toolkit"), images = image_list(tmp / "for_omv");

  SimBus by_toolkit, by_omv;
  by_toolkit.start_mode("OPENMV_AE3", "TOOLKIT", "isp");
  by_omv.start_mode("OPENMV_AE3", "NATIVE", "isp");
  const std::string tty = nlohmann::json::parse(read_file(by_toolkit.camera("TOOLKIT") / "serial.json"))["tty"];
  RunOptions in_toolkit;
  in_toolkit.cwd = toolkit;
  // As upstream's `make deploy` runs it: app-write-mram.py --pad --images ...
  auto alif = run({"/usr/bin/python3", "app-write-mram.py", "--port", tty, "--pad", "-i", for_toolkit}, in_toolkit);
  ASSERT_EQ(alif.exit_code, 0) << alif.out << alif.err;
  EXPECT_NE(alif.out.find("Done"), std::string::npos) << alif.out;

  write_file(tmp / "application_package.ds", "set semihosting args " + images + "\ncontinue\n");
  auto native = by_omv.run({"deploy", "OPENMV_AE3", "--ds", (tmp / "application_package.ds").string()});
  ASSERT_EQ(native.exit_code, 0) << native.out << native.err;

  const std::string a = by_toolkit.memory("TOOLKIT", "mram"), b = by_omv.memory("NATIVE", "mram");
  ASSERT_EQ(a.size(), b.size());
  EXPECT_TRUE(a == b) << "first difference at byte "
                      << (std::mismatch(a.begin(), a.end(), b.begin()).first - a.begin());
  EXPECT_TRUE(a.substr(0x20000, hp.size()) == hp);
  EXPECT_EQ(fs::file_size(tmp / "for_toolkit" / "firmware_M55_HP.bin"), 200016u);  // padded on disk by the toolkit
  EXPECT_EQ(fs::file_size(tmp / "for_omv" / "firmware_M55_HP.bin"), 200001u);      // not by omv
  // Both rebooted the Secure Enclave into the camera's bootloader at the end.
  EXPECT_TRUE(by_toolkit.wait_mode("TOOLKIT", "bootloader", std::chrono::seconds(10)));
  EXPECT_TRUE(by_omv.wait_mode("NATIVE", "bootloader", std::chrono::seconds(10)));
}

}  // namespace
}  // namespace omv::test::ae3_toolkit_test
