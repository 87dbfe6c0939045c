// omv rtt against real servers: QEMU's gdbstub running the demo firmware (no background reads:
// omv halts, reads and resumes for each poll), and a stand-in for the RTT port of SEGGER's J-Link
// GDB server (closed; it cannot run here), which records what omv sent it.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <regex>
#include <sstream>

#include "debug_support.h"
#include "qemu_support.h"
#include "support/run.h"

namespace omv::test::debugloop::rtt_test {
namespace {

struct Events {
  std::vector<std::string> lines;
  nlohmann::json result;
};

Events events_of(const RunResult& r) {
  Events e;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded()) continue;
    if (j.value("event", "") == "result") e.result = j["data"];
    if (j.contains("data") && j["data"].contains("rtt")) e.lines.push_back(j["data"]["rtt"]["text"]);
  }
  return e;
}

std::vector<unsigned long> frame_numbers(const std::vector<std::string>& lines) {
  std::vector<unsigned long> out;
  const std::regex frame("^frame ([0-9]+): ");
  for (const auto& l : lines) {
    std::smatch m;
    if (std::regex_search(l, m, frame)) out.push_back(std::stoul(m[1]));
  }
  return out;
}

TEST(RttQemu, PrintsTheDemoFramesInOrderWithNoneLostAndReadsOnFromWhereItStopped) {
  const fs::path elf = elf_of(built_firmware(), "MPS2_AN500");
  TempDir tmp;
  const uint16_t port = free_port();
  Qemu qemu(port, tmp / "uart.log", {}, elf);
  ASSERT_TRUE(qemu.wait_listening());
  const std::string gdb = "127.0.0.1:" + std::to_string(port);

  auto first = omv({"--json", "rtt", "MPS2_AN500", "--gdb", gdb, "--elf", elf.string(), "--seconds", "1.5"});
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  auto a = events_of(first);
  auto frames = frame_numbers(a.lines);
  ASSERT_GE(frames.size(), 5u) << first.out;
  for (size_t i = 1; i < frames.size(); ++i) EXPECT_EQ(frames[i], frames[i - 1] + 1) << first.out;
  EXPECT_EQ(a.result["halting"], true);  // QEMU cannot be read while it runs
  EXPECT_GE(a.result["halted_fraction"].get<double>(), 0.0);
  EXPECT_LT(a.result["halted_fraction"].get<double>(), 1.0);
  // The same frames went to the UART.
  EXPECT_NE(read_file(tmp / "uart.log").find(a.lines.back()), std::string::npos);

  // A second reader (no ELF: it scans RAM) starts where the first left off: nothing twice, nothing lost.
  auto second = omv({"--json", "rtt", "MPS2_AN500", "--gdb", gdb, "--seconds", "1"});
  ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
  auto more = frame_numbers(events_of(second).lines);
  ASSERT_FALSE(more.empty()) << second.out;
  EXPECT_EQ(more.front(), frames.back() + 1);
}

TEST(RttQemu, SaysWhereItLookedWhenThereIsNoControlBlock) {
  const fs::path elf = elf_of(built_firmware(), "MPS2_AN500");
  TempDir tmp;
  const uint16_t port = free_port();
  Qemu qemu(port, tmp / "uart.log", {}, elf);
  ASSERT_TRUE(qemu.wait_listening());
  auto r = omv({"rtt", "MPS2_AN500", "--gdb", "127.0.0.1:" + std::to_string(port), "--scan", "0x20100000:4K", "--wait", "0"});
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_NE(r.err.find("no \"SEGGER RTT\" ID in RAM 0x20100000..0x20101000"), std::string::npos) << r.err;
  auto bad = omv({"rtt", "MPS2_AN500", "--gdb", "127.0.0.1:" + std::to_string(port), "--scan", "banana"});
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
}

TEST(RttJLink, ReadsTheRttPortAndSelectsTheChannel) {
  TempDir tmp;
  const uint16_t port = free_port();
  const fs::path record = tmp / "jlink-rtt.json";
  // Stand-in for JLinkGDBServer's RTT telnet port: greets, sends three lines, records what it got.
  write_file(tmp / "rtt_port.py",
             "import json, socket, sys, time\n"
             "s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
             "s.bind(('127.0.0.1', int(sys.argv[1]))); s.listen(1)\n"
             "c, _ = s.accept(); c.settimeout(0.3)\n"
             "try:\n    got = c.recv(200)\nexcept socket.timeout:\n    got = b''\n"
             "for i in range(3):\n    c.sendall(b'line %d\\n' % i)\n"
             "time.sleep(0.3)\n"
             "json.dump({'received': got.decode()}, open(sys.argv[2], 'w'))\n"
             "c.close()\n");
  pid_t server = fork();
  if (server == 0) {
    execlp("python3", "python3", (tmp / "rtt_port.py").c_str(), std::to_string(port).c_str(), record.c_str(), nullptr);
    _exit(127);
  }
  for (int i = 0; i < 200 && !listening(port); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  auto r = omv({"--json", "rtt", "OPENMV4", "--telnet", "127.0.0.1:" + std::to_string(port), "--channel", "1", "--seconds", "3"});
  waitpid(server, nullptr, 0);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  auto e = events_of(r);
  EXPECT_EQ(e.lines, (std::vector<std::string>{"line 0", "line 1", "line 2"})) << r.out;
  auto got = nlohmann::json::parse(read_file(record));
  EXPECT_EQ(got["received"], "$$SEGGER_TELNET_ConfigStr=RTTCh;1$$");
}

}  // namespace
}  // namespace omv::test::debugloop::rtt_test
