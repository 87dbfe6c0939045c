// omv debug under QEMU and gdb-multiarch, as a user runs it: the demo firmware on both emulated
// cores, from the bytes on a virtual camera, breaking at a C line, stepping, watching a variable.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "debug_support.h"
#include "platform/tcp_listen.h"
#include "support/run.h"

namespace omv::test::debugloop::debug_qemu_test {
namespace {

struct Core {
  const char* target;
  const char* memory;
  size_t memory_size;
  const char* machine;
};

const Core kCores[] = {{"MPS2_AN500", "code", 4u << 20, "mps2-an500"}, {"MPS3_AN547", "itcm", 512u << 10, "mps3-an547"}};

std::string batch_file(const TempDir& dir, const std::string& text) {
  write_file(dir / "cmds.gdb", text);
  return (dir / "cmds.gdb").string();
}

class DebugQemu : public ::testing::TestWithParam<Core> {};

TEST_P(DebugQemu, BreaksStepsAndWatchesOnTheCamerasBytes) {
  const Core& core = GetParam();
  const fs::path& fw = built_firmware();
  TempDir tmp;
  fs::path bus = tmp / "bus";
  fs::path bin = fw / "build" / core.target / "bin" / "firmware.bin";
  write_camera(bus, "SN0001", core.target, core.memory, core.memory_size, bin);
  int count_line = line_of(fw / "src" / "main.c", "// @count");
  auto cmds = batch_file(tmp, "break main.c:" + std::to_string(count_line) +
                                  "\ncontinue\nprint frame_count\nnext\nprint frame_count\nprint brightness\n"
                                  "print frame->width\nprint sensor.frame_interval_ms\nwatch frame_count\ndelete 1\ncontinue\n"
                                  "print frame_count\n");
  auto r = omv({"debug", core.target, "--repo", fw.string(), "--sim", bus.string(), "--batch", cmds});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  // Stopped at the reset handler first, then at the C line.
  EXPECT_NE(r.out.find("Reset_Handler ()"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Breakpoint 1, main () at " + (fw / "src" / "main.c").string() + ":" + std::to_string(count_line)),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("$1 = 0\n"), std::string::npos) << r.out;   // before the first increment
  EXPECT_NE(r.out.find("$2 = 1\n"), std::string::npos) << r.out;   // one step later
  EXPECT_NE(r.out.find("$3 = 108\n"), std::string::npos) << r.out; // mean brightness of frame 1
  EXPECT_NE(r.out.find("$4 = 32\n"), std::string::npos) << r.out;  // SENSOR_WIDTH
  EXPECT_NE(r.out.find("$5 = 50\n"), std::string::npos) << r.out; // 1000 / 20 fps
  EXPECT_NE(r.out.find("watchpoint 2: frame_count"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Old value = 1\nNew value = 2"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("$6 = 2\n"), std::string::npos) << r.out;
  // The camera's bytes, not the ELF, were loaded, and they matched the ELF.
  EXPECT_NE(r.err.find(std::string("-M ") + core.machine), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("loader,file=" + (bus / "SN0001" / (std::string(core.memory) + ".bin")).string()), std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("-kernel"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("the ELF matches the bytes on virtual camera SN0001"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("debug build (-Og)"), std::string::npos) << r.err;
  // Nothing left running.
  pid_t qemu = started_pid(r.err);
  ASSERT_GT(qemu, 0) << r.err;
  EXPECT_FALSE(process_alive(qemu));
}

INSTANTIATE_TEST_SUITE_P(BothCores, DebugQemu, ::testing::ValuesIn(kCores),
                         [](const auto& param_info) { return std::string(param_info.param.target); });

TEST(DebugQemuServer, NoGdbServesAnIdeUntilCtrlC) {
  const fs::path& fw = built_firmware();
  TempDir tmp;
  fs::path bus = tmp / "bus";
  write_camera(bus, "SN1", "MPS2_AN500", "code", 4u << 20, fw / "build/MPS2_AN500/bin/firmware.bin");
  Background omv_bg({"debug", "MPS2_AN500", "--repo", fw.string(), "--sim", bus.string(), "--no-gdb"});
  auto ready = omv_bg.await(R"(listening on 127\.0\.0\.1:(\d+))");
  ASSERT_TRUE(ready) << omv_bg.err();
  std::string port = (*ready)[1];
  pid_t qemu = started_pid(omv_bg.err());
  ASSERT_TRUE(process_alive(qemu)) << omv_bg.err();
  // An IDE (here gdb-multiarch itself) connects and debugs.
  write_file(tmp / "ide.gdb", "set pagination off\ntarget remote 127.0.0.1:" + port +
                                  "\nbreak sensor_snapshot\ncontinue\nprint sensor->frames_captured\ndetach\n");
  auto g = run({"gdb-multiarch", "-q", "-nx", "-batch", "-x", (tmp / "ide.gdb").string(),
                elf_of(fw, "MPS2_AN500").string()});
  EXPECT_NE(g.out.find("Breakpoint 1, sensor_snapshot"), std::string::npos) << g.out << g.err;
  EXPECT_NE(g.out.find("$1 = 0"), std::string::npos) << g.out;
  // Ctrl-C stops QEMU and omv.
  omv_bg.signal(SIGINT);
  EXPECT_EQ(omv_bg.wait(), 0) << omv_bg.err();
  EXPECT_NE(omv_bg.err().find("stopped QEMU"), std::string::npos) << omv_bg.err();
  EXPECT_FALSE(process_alive(qemu));
}

TEST(DebugQemuServer, NoGdbNeedsNoElfWhenQemuRunsTheCamerasBytes) {
  const fs::path& fw = built_firmware();
  TempDir tmp;
  fs::path bus = tmp / "bus";
  write_camera(bus, "SN1", "MPS2_AN500", "code", 4u << 20, fw / "build/MPS2_AN500/bin/firmware.bin");
  // No checkout and no --elf: the IDE brings the ELF, QEMU runs the camera's flashed bytes.
  Background omv_bg({"debug", "MPS2_AN500", "--sim", bus.string(), "--no-gdb"});
  auto ready = omv_bg.await(R"(listening on 127\.0\.0\.1:(\d+))");
  ASSERT_TRUE(ready) << omv_bg.err();
  pid_t qemu = started_pid(omv_bg.err());
  EXPECT_TRUE(process_alive(qemu)) << omv_bg.err();
  omv_bg.signal(SIGINT);
  EXPECT_EQ(omv_bg.wait(), 0) << omv_bg.err();
  EXPECT_FALSE(process_alive(qemu));
  // Without a camera QEMU would have to run the ELF itself: that one is refused, naming the fix.
  auto r = omv({"debug", "MPS2_AN500", "--no-gdb"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("pass --elf FILE"), std::string::npos) << r.err;
}

TEST(DebugQemuServer, CtrlCDuringABatchStopsEverything) {
  const fs::path& fw = built_firmware();
  TempDir tmp;
  fs::path bus = tmp / "bus";
  write_camera(bus, "SN1", "MPS2_AN500", "code", 4u << 20, fw / "build/MPS2_AN500/bin/firmware.bin");
  write_file(tmp / "forever.gdb", "continue\n");  // no breakpoint: runs until stopped
  Background omv_bg({"debug", "MPS2_AN500", "--repo", fw.string(), "--sim", bus.string(), "--batch",
                     (tmp / "forever.gdb").string()});
  ASSERT_TRUE(omv_bg.await("running .*gdb")) << omv_bg.err();
  pid_t qemu = started_pid(omv_bg.err());
  omv_bg.signal(SIGTERM);
  EXPECT_EQ(omv_bg.wait(), 130) << omv_bg.err();
  EXPECT_FALSE(process_alive(qemu));
}

TEST(DebugQemuServer, BatchTimeoutEndsTheSession) {
  const fs::path& fw = built_firmware();
  TempDir tmp;
  auto cmds = batch_file(tmp, "continue\n");
  auto r = omv({"debug", "MPS2_AN500", "--repo", fw.string(), "--batch", cmds, "--timeout", "2"});
  EXPECT_EQ(r.exit_code, 14) << r.err;
  EXPECT_NE(r.err.find("did not finish within 2 s"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("no virtual camera given (--sim): QEMU runs"), std::string::npos) << r.err;
  EXPECT_FALSE(process_alive(started_pid(r.err)));
}

TEST(DebugQemuChecks, ReleaseBuildMismatchAndMissingDwarfAreWarned) {
  const fs::path& fw = built_firmware();
  TempDir tmp;
  fs::path release = tmp / "release";
  copy_firmware(release);
  build_firmware(release, "MPS2_AN500", false);
  fs::path bus = tmp / "bus";
  // The camera holds the debug build; the release ELF is what we point gdb at.
  write_camera(bus, "SN1", "MPS2_AN500", "code", 4u << 20, fw / "build/MPS2_AN500/bin/firmware.bin");
  auto cmds = batch_file(tmp, "info registers pc\n");
  auto r = omv({"debug", "MPS2_AN500", "--repo", release.string(), "--sim", bus.string(), "--batch", cmds});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("warning: " + elf_of(release, "MPS2_AN500").string() + " is an optimised build (-O2"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("omv build MPS2_AN500 --debug"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("warning: the ELF does not match what is on virtual camera SN1"), std::string::npos) << r.err;

  // Without DWARF.
  fs::path stripped = tmp / "stripped.elf";
  auto s = run({"arm-none-eabi-strip", "--strip-debug", "-o", stripped.string(), elf_of(fw, "MPS2_AN500").string()});
  ASSERT_EQ(s.exit_code, 0) << s.err;
  r = omv({"debug", "MPS2_AN500", "--repo", fw.string(), "--sim", bus.string(), "--elf", stripped.string(), "--batch", cmds});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("has no DWARF debug information"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("the ELF matches the bytes"), std::string::npos) << r.err;  // same code, no debug info

  // An erased camera.
  write_camera(bus, "SN1", "MPS2_AN500", "code", 4u << 20, "");
  r = omv({"debug", "MPS2_AN500", "--repo", fw.string(), "--sim", bus.string(), "--batch", cmds});
  EXPECT_NE(r.err.find("is erased where the ELF loads"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("omv flash MPS2_AN500 --sim"), std::string::npos) << r.err;
}

TEST(DebugQemuChecks, SourcesOfAMovedCheckoutAreFound) {
  TempDir tmp;
  fs::path built_at = tmp / "built-here";
  copy_firmware(built_at);
  build_firmware(built_at, "MPS2_AN500", true);
  fs::path moved = tmp / "elsewhere" / "fw";
  fs::create_directories(moved.parent_path());
  fs::rename(built_at, moved);  // the ELF's DW_AT_comp_dir no longer exists
  int line = line_of(moved / "src" / "main.c", "// @count");
  auto cmds = batch_file(tmp, "break main.c:" + std::to_string(line) + "\ncontinue\nlist " + std::to_string(line) + "," +
                                  std::to_string(line) + "\n");
  auto r = omv({"debug", "MPS2_AN500", "--repo", moved.string(), "--batch", cmds});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.err.find("the ELF was built in " + built_at.string() + "; gdb will find its sources in " + moved.string()),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.out.find(std::to_string(line) + "\t        frame_count++;"), std::string::npos) << r.out;
}

TEST(DebugQemuBadInput, MissingToolsNameTheirPackage) {
  const fs::path& fw = built_firmware();
  TempDir tmp;
  auto cmds = batch_file(tmp, "info registers pc\n");
  fs::create_directories(tmp / "empty-path");
  RunOptions no_tools;
  no_tools.env["PATH"] = (tmp / "empty-path").string();
  auto r = omv({"debug", "MPS2_AN500", "--repo", fw.string(), "--batch", cmds}, no_tools);
  EXPECT_EQ(r.exit_code, 13) << r.err;
  EXPECT_NE(r.err.find("apt-get install gdb-multiarch"), std::string::npos) << r.err;

  fs::create_directories(tmp / "gdb-only");
  fs::create_symlink("/usr/bin/gdb-multiarch", tmp / "gdb-only" / "gdb-multiarch");
  RunOptions gdb_only;
  gdb_only.env["PATH"] = (tmp / "gdb-only").string();
  r = omv({"debug", "MPS2_AN500", "--repo", fw.string(), "--batch", cmds}, gdb_only);
  EXPECT_EQ(r.exit_code, 13) << r.err;
  EXPECT_NE(r.err.find("qemu-system-arm not found"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("apt-get install qemu-system-arm"), std::string::npos) << r.err;

  r = omv({"debug", "MPS2_AN500", "--repo", fw.string(), "--gdb", "/nonexistent/gdb", "--batch", cmds});
  EXPECT_EQ(r.exit_code, 13) << r.err;
}

TEST(DebugQemuBadInput, PortInUseIsNamedOrAvoided) {
  const fs::path& fw = built_firmware();
  TempDir tmp;
  auto cmds = batch_file(tmp, "info registers pc\n");
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(fd, 1), 0);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  std::string port = std::to_string(ntohs(addr.sin_port));
  auto r = omv({"debug", "MPS2_AN500", "--repo", fw.string(), "--port", port, "--batch", cmds});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const std::string in_use = omv::platform::os::kNamesPortOwners
                                 ? "port " + port + " is in use (by pid " + std::to_string(getpid())
                                 : "port " + port + " is in use";
  EXPECT_NE(r.err.find(in_use), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--port"), std::string::npos) << r.err;
  close(fd);

  // The default port taken: omv says so and uses another.
  int fd2 = socket(AF_INET, SOCK_STREAM, 0);
  addr.sin_port = htons(3333);
  bool holding = bind(fd2, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 && listen(fd2, 1) == 0;
  r = omv({"debug", "MPS2_AN500", "--repo", fw.string(), "--batch", cmds});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  if (holding) {
    EXPECT_NE(r.err.find("port 3333 is in use"), std::string::npos) << r.err;
  }
  EXPECT_EQ(r.err.find("-gdb tcp:127.0.0.1:3333 "), std::string::npos) << r.err;
  close(fd2);
}

TEST(DebugQemuBadInput, BoardsWithoutDebugAndMissingThings) {
  const fs::path& fw = built_firmware();
  TempDir tmp;
  auto r = omv({"debug", "OPENMV1", "--elf", elf_of(fw, "MPS2_AN500").string()});
  EXPECT_EQ(r.exit_code, 15) << r.err;
  EXPECT_NE(r.err.find("OPENMV1 is not supported"), std::string::npos) << r.err;

  // A checkout whose board sets DEBUGGER=NONE (as upstream's MPS3_AN547 does).
  fs::path none = tmp / "none";
  copy_firmware(none);
  write_file(none / "boards/MPS3_AN547/board_config.mk", "PORT = qemu\nCPU = cortex-m55\nDEBUGGER = NONE\n");
  r = omv({"debug", "MPS3_AN547", "--repo", none.string()});
  EXPECT_EQ(r.exit_code, 15) << r.err;
  EXPECT_NE(r.err.find("MPS3_AN547 does not support debugging"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("DEBUGGER=NONE"), std::string::npos) << r.err;

  // Not built yet.
  r = omv({"debug", "MPS2_AN500", "--repo", none.string()});
  EXPECT_EQ(r.exit_code, 10) << r.err;
  EXPECT_NE(r.err.find("build the firmware first"), std::string::npos) << r.err;

  // No camera on the bus.
  fs::create_directories(tmp / "empty-bus");
  r = omv({"debug", "MPS2_AN500", "--repo", fw.string(), "--sim", (tmp / "empty-bus").string()});
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_NE(r.err.find("omv sim start MPS2_AN500"), std::string::npos) << r.err;

  // Not an ELF.
  write_file(tmp / "junk.elf", "not an elf at all");
  r = omv({"debug", "MPS2_AN500", "--elf", (tmp / "junk.elf").string()});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("not an ELF file"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace omv::test::debugloop::debug_qemu_test
