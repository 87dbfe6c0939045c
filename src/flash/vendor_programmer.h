#pragma once
// omv deploy through a probe vendor's own programmer, run as a subprocess: ST's
// STM32_Programmer_CLI over an ST-LINK, SEGGER's J-Link Commander over a J-Link. The images are
// the ones every deploy collects (flash::collect_images); each reaches the tool as a file with the
// address the probe sees it at. The command lines and the J-Link command file are built by pure
// functions; deploy_with_vendor_programmer checks, runs and reports.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "boards/board.h"
#include "core/events.h"
#include "flash/plan.h"

namespace omv::flash {

enum class VendorProbe { stlink, jlink };
const char* to_string(VendorProbe probe);   // "stlink", "jlink"
const char* tool_name(VendorProbe probe);   // "STM32_Programmer_CLI", "JLinkExe"

// Error{usage} when the board data cannot serve the probe: no debug.jlink_device for J-Link, a
// chip other than an STM32 for STM32_Programmer_CLI.
void require_vendor_probe(const boards::Board& board, VendorProbe probe);

// One file for the programmer: a raw binary at the CPU address its bytes belong at, or an ELF,
// which carries its own addresses.
struct ProgrammerFile {
  std::filesystem::path path;
  std::optional<uint64_t> address;  // absent for an ELF
  const Image* image = nullptr;     // what the file holds
  bool converted = false;           // written from the image's bytes (UF2, DfuSe: formats the tools do not read)
};

// The files for `images`: raw binaries and ELFs as they are; anything else is written as a raw
// binary into `scratch`, which may be empty when nothing needs converting.
std::vector<ProgrammerFile> programmer_files(const boards::Board& board, const std::vector<Image>& images,
                                             const std::filesystem::path& scratch);

// STM32_Programmer_CLI -c port=SWD mode=HOTPLUG ap=N [sn=SN] [-el LOADER] {-w FILE [ADDR] [-v]} [-hardRst]
struct StlinkCommand {
  std::filesystem::path exe;
  std::filesystem::path external_loader;  // the .stldr; empty: the chip's own flash only
  int access_port = 0;
  std::string serial;                     // the ST-LINK's serial number; empty: the only one attached
  bool verify = false;
  bool reset = true;
};
std::vector<std::string> stm32_programmer_argv(const StlinkCommand& command, const std::vector<ProgrammerFile>& files);

// JLinkExe [-SelectEmuBySN SN] -device D -if SWD -speed KHZ -autoconnect 1 -NoGui 1 -CommandFile F
constexpr unsigned kJLinkSpeedKhz = 4000;  // SWD clock; the J-Link probes all reach it
struct JLinkCommand {
  std::filesystem::path exe;
  std::string device;                     // debug.jlink_device
  unsigned speed_khz = kJLinkSpeedKhz;
  std::string serial;                     // the J-Link's serial number; empty: the only one attached
  std::filesystem::path command_file;
};
std::vector<std::string> jlink_commander_argv(const JLinkCommand& command);

// ExitOnError 1, r (reset and halt), loadfile per file, verifybin per raw binary with `verify`,
// then r and g unless !reset, exit. Throws Error{usage} for a path the file cannot quote.
std::string jlink_command_file(const std::vector<ProgrammerFile>& files, bool verify, bool reset);

// A line of J-Link Commander's output that reports a failure ("Cannot connect to target.",
// "ERROR: ...", "Failed to ..."): JLinkExe exits 0 after some of them.
bool is_segger_error_line(std::string_view line);
// The percentage of a progress line ("[=====     ]  50%"), if it is one.
std::optional<int> progress_percent(std::string_view line);

struct VendorDeployOptions {
  VendorProbe probe = VendorProbe::stlink;
  std::string sdk_version;   // the checkout's SDK_VERSION: the SDK's STM32_Programmer_CLI comes first
  std::string serial;
  bool verify = false;
  bool reset = true;
  bool dry_run = false;      // print the command (and command file); run nothing
};

struct VendorDeployment {
  std::string tool;                   // "STM32_Programmer_CLI"
  std::string origin;                 // where it was found: "SDK 1.6.0", "PATH", ...
  std::vector<std::string> argv;
  std::string command_file;           // J-Link's, as run
  std::vector<ProgrammerFile> files;  // their paths may be gone (converted files live in a scratch folder)
  uint64_t bytes = 0;
  double seconds = 0;
  bool verify = false;
  bool reset = false;
  std::string summary() const;        // for the result line
  nlohmann::json to_json() const;     // tool, argv, command file, files
};

// Checks the board and images against the probe (nothing runs when they do not fit), finds the
// tool (Error{missing_tool} with where to get it), runs it with its output streamed to `reporter`
// line by line, and fails with Error{device_error} naming its error line when it exits non-zero
// or, for JLinkExe, prints one.
VendorDeployment deploy_with_vendor_programmer(const boards::Board& board, const std::vector<Image>& images,
                                               const VendorDeployOptions& options, Reporter& reporter);

}  // namespace omv::flash
