// omv deploy --probe gdb against a real GDB server: QEMU's gdbstub on an emulated MPS2-AN500
// (no memory map, no X, no qCRC, acks always on). The demo firmware is deployed into the board's
// code memory (RAM under QEMU), read back by gdb-multiarch byte for byte, deployed again (every
// unit skipped), changed in one unit (only that unit written), then reset through QEMU's monitor
// so that it runs and prints on its UART.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <string_view>
#include <thread>

#include "debug/ports.h"
#include "debug_support.h"
#include "qemu_support.h"
#include "support/run.h"

namespace omv::test::debugloop::deploy_qemu_test {
namespace {

nlohmann::json result_of(const RunResult& r) {
  nlohmann::json result;
  size_t start = 0;
  while (start < r.out.size()) {
    size_t end = r.out.find('\n', start);
    if (end == std::string::npos) end = r.out.size();
    auto j = nlohmann::json::parse(r.out.substr(start, end - start), nullptr, false);
    if (!j.is_discarded() && j.value("event", "") == "result") result = j;
    start = end + 1;
  }
  return result;
}

size_t units_with(const nlohmann::json& result, const std::string& action) {
  size_t n = 0;
  for (const auto& image : result["data"]["plan"])
    for (const auto& unit : image["units"]) n += unit["action"] == action;
  return n;
}

std::string dump_with_gdb(const TempDir& tmp, uint16_t port, size_t length) {
  const fs::path out = tmp / "dump.bin";
  write_file(tmp / "dump.gdb", "set pagination off\ntarget remote 127.0.0.1:" + std::to_string(port) +
                                   "\ndump binary memory " + out.string() + " 0 " + std::to_string(length) +
                                   "\ndisconnect\n");
  auto g = run({"gdb-multiarch", "-q", "-nx", "-batch", "-x", (tmp / "dump.gdb").string()});
  EXPECT_EQ(g.exit_code, 0) << g.out << g.err;
  return fs::exists(out) ? read_file(out) : std::string();
}

bool uart_says(const fs::path& uart, const std::string& text) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    if (fs::exists(uart) && read_file(uart).find(text) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

TEST(DeployQemu, WritesReadsBackSkipsAndRuns) {
  const fs::path& fw = built_firmware();
  const fs::path bin = fw / "build/MPS2_AN500/bin/firmware.bin";
  const std::string image = read_file(bin);
  ASSERT_GT(image.size(), 4096u);
  TempDir tmp;
  const uint16_t port = free_port();
  Qemu qemu(port, tmp / "uart.log");
  ASSERT_TRUE(qemu.wait_listening());
  const std::string gdb = "127.0.0.1:" + std::to_string(port);

  // First deploy: every unit written (with M: QEMU has no X), except any 4 KiB unit of zeros,
  // which the emulated RAM already holds.
  size_t zero_bytes = 0;
  for (size_t at = 0; at < image.size(); at += 4096) {
    const auto unit = std::string_view(image).substr(at, 4096);
    if (unit.find_first_not_of('\0') == std::string_view::npos) zero_bytes += unit.size();
  }
  auto first = omv({"--json", "deploy", "MPS2_AN500", "--gdb", gdb, "--firmware", bin.string(), "--no-reset"});
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  auto r1 = result_of(first);
  EXPECT_EQ(r1["data"]["written_bytes"], image.size() - zero_bytes) << r1;
  EXPECT_EQ(r1["data"]["skipped_bytes"], zero_bytes) << r1;
  EXPECT_EQ(r1["data"]["gdb"]["memory_map"], false) << r1;
  EXPECT_EQ(r1["data"]["gdb"]["compared_by"], "reading") << r1;

  // An independent client reads back exactly the image.
  EXPECT_TRUE(dump_with_gdb(tmp, port, image.size()) == image) << "gdb-multiarch read back other bytes";

  // Second deploy of the same image: every unit identical, nothing written.
  auto second = omv({"--json", "deploy", "MPS2_AN500", "--gdb", gdb, "--firmware", bin.string(), "--no-reset"});
  ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
  auto r2 = result_of(second);
  EXPECT_EQ(r2["data"]["written_bytes"], 0) << r2;
  EXPECT_EQ(r2["data"]["skipped_bytes"], image.size()) << r2;
  EXPECT_EQ(units_with(r2, "write"), 0u) << r2;
  EXPECT_EQ(units_with(r2, "skip"), (image.size() + 4095) / 4096) << r2;

  // One byte changed in the second 4 KiB unit: only that unit is written, and --dry-run before
  // it says so without writing.
  std::string changed = image;
  changed[4096 + 17] = static_cast<char>(changed[4096 + 17] ^ 0x5A);
  write_file(tmp / "changed.bin", changed);
  auto dry = omv({"--json", "deploy", "MPS2_AN500", "--gdb", gdb, "--firmware", (tmp / "changed.bin").string(), "--dry-run"});
  ASSERT_EQ(dry.exit_code, 0) << dry.out << dry.err;
  EXPECT_EQ(units_with(result_of(dry), "write"), 1u) << dry.out;
  EXPECT_TRUE(dump_with_gdb(tmp, port, image.size()) == image) << "--dry-run wrote something";
  auto third = omv({"--json", "deploy", "MPS2_AN500", "--gdb", gdb, "--firmware", (tmp / "changed.bin").string(), "--no-reset",
                    "--verify"});
  ASSERT_EQ(third.exit_code, 0) << third.out << third.err;
  auto r3 = result_of(third);
  const size_t second_unit = std::min<size_t>(4096, image.size() - 4096);
  EXPECT_EQ(r3["data"]["written_bytes"], second_unit) << r3;
  EXPECT_EQ(units_with(r3, "write"), 1u) << r3;
  EXPECT_EQ(r3["data"]["verified_bytes"], second_unit) << r3;  // --verify reads back what changed
  EXPECT_TRUE(dump_with_gdb(tmp, port, image.size()) == changed) << "the changed unit did not land";

  // The original again, with the reset: QEMU's monitor resets the core, which boots the deployed
  // vector table and prints on the UART.
  auto fourth = omv({"deploy", "MPS2_AN500", "--gdb", gdb, "--firmware", bin.string()});
  ASSERT_EQ(fourth.exit_code, 0) << fourth.out << fourth.err;
  EXPECT_NE(fourth.err.find("reset the target"), std::string::npos) << fourth.err;
  EXPECT_NE(fourth.err.find(", skipped 4 KiB,"), std::string::npos) << fourth.err;
  EXPECT_TRUE(uart_says(tmp / "uart.log", "omv demo firmware on")) << read_file(tmp / "uart.log");
}

// QEMU copies its loader images again on a reset: a deploy that a reset would undo says so.
TEST(DeployQemu, AResetThatRestoresQemusImageIsWarned) {
  const fs::path& fw = built_firmware();
  const fs::path bin = fw / "build/MPS2_AN500/bin/firmware.bin";
  TempDir tmp;
  std::string changed = read_file(bin);
  changed[100] = static_cast<char>(changed[100] ^ 0x01);
  write_file(tmp / "changed.bin", changed);
  const uint16_t port = free_port();
  Qemu qemu(port, tmp / "uart.log", bin);
  ASSERT_TRUE(qemu.wait_listening());
  auto r = omv({"deploy", "MPS2_AN500", "--gdb", "127.0.0.1:" + std::to_string(port), "--firmware",
                (tmp / "changed.bin").string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("QEMU copied its -kernel/loader images there again"), std::string::npos) << r.err;
}

TEST(DeployQemuBadInput, RefusedConnectionSaysStartTheServer) {
  const uint16_t port = free_port();
  TempDir tmp;
  write_file(tmp / "fw.bin", std::string(64, 'x'));
  auto r = omv({"deploy", "MPS2_AN500", "--gdb", "127.0.0.1:" + std::to_string(port), "--firmware",
                (tmp / "fw.bin").string()});
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_NE(r.err.find("no GDB server at 127.0.0.1:" + std::to_string(port) + ": connection refused"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("omv debug --no-gdb"), std::string::npos) << r.err;
}

// A server that takes the connection and never answers: the timeout names host:port.
TEST(DeployQemuBadInput, SilentServerIsATimeoutNamingIt) {
  const uint16_t port = free_port();
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(fd, 1), 0);  // the kernel completes the handshake; nobody ever reads
  TempDir tmp;
  write_file(tmp / "fw.bin", std::string(64, 'x'));
  auto r = omv({"deploy", "MPS2_AN500", "--gdb", "127.0.0.1:" + std::to_string(port), "--firmware",
                (tmp / "fw.bin").string()});
  close(fd);
  EXPECT_EQ(r.exit_code, 14) << r.err;
  EXPECT_NE(r.err.find("GDB server at 127.0.0.1:" + std::to_string(port) + " did not answer qSupported"), std::string::npos)
      << r.err;
}

TEST(DeployQemuBadInput, AnImageTooLargeIsRefusedBeforeConnecting) {
  TempDir tmp;
  write_file(tmp / "fw.bin", std::string(4u << 20, 'x'));  // FIRMWARE is 3 MiB
  // Nothing listens on the port: the refusal must come before any connection.
  auto r = omv({"deploy", "MPS2_AN500", "--gdb", "127.0.0.1:" + std::to_string(free_port()), "--firmware",
                (tmp / "fw.bin").string()});
  EXPECT_EQ(r.exit_code, 9) << r.err;
  EXPECT_NE(r.err.find("does not fit partition FIRMWARE"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("connection refused"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace omv::test::debugloop::deploy_qemu_test
