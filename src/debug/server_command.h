#pragma once
// The GDB servers' command lines, built from board data. Pure functions: the session runs them,
// tests read them.
#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace omv::debug {

enum class ServerKind { jlink, stlink, qemu };
const char* to_string(ServerKind kind);

// SEGGER's JLinkGDBServer: the board's J-Link device over SWD. GDB on `port`, SWO on port+1,
// telnet on port+2.
struct JLinkParams {
  std::filesystem::path exe;
  std::string device;          // "STM32H743VI"
  uint16_t port = 2331;
  bool attach = false;         // leave the core running: no halt, no register init
  bool rtt = false;            // RTT telnet port at port + 3 (SWO port + 1, telnet + 2 before it)
};
std::vector<std::string> jlink_command(const JLinkParams& p);

// ST's ST-LINK_gdbserver over SWD, with an external loader for boards whose firmware lives in
// external flash (the N6's XSPI NOR).
struct StlinkParams {
  std::filesystem::path exe;
  std::filesystem::path cubeprogrammer_bin;  // STM32CubeProgrammer's bin folder
  std::filesystem::path external_loader;     // full path of the .stldr, or empty
  uint16_t port = 61234;
  int access_port = 0;                       // the core's AP (--apid)
  bool attach = false;
};
std::vector<std::string> stlink_command(const StlinkParams& p);

// qemu-system-arm running the camera's bytes: each raw memory image is loaded at its CPU
// address, and the core boots from the vector table at address 0 as the silicon would.
struct RawImage {
  std::filesystem::path file;
  uint64_t address = 0;
};
struct QemuParams {
  std::filesystem::path exe;
  std::string machine;                      // "mps2-an500"
  uint16_t port = 3333;
  bool attach = false;                      // running (no -S) instead of held at reset
  std::vector<RawImage> images;             // the camera's memories
  std::filesystem::path kernel;             // an ELF to load instead, when there is no camera
  std::filesystem::path uart_log;           // the UART, written to a file
};
std::vector<std::string> qemu_command(const QemuParams& p);

// A command line as a shell would take it (for messages and `--no-gdb` instructions).
std::string shell_join(const std::vector<std::string>& argv);

}  // namespace omv::debug
