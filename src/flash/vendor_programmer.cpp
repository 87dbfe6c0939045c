#include "flash/vendor_programmer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <csignal>
#include <set>
#include <span>

#include "build/process.h"
#include "core/error.h"
#include "core/numbers.h"
#include "core/scratch_dir.h"
#include "core/text.h"
#include "debug/tools.h"
#include "image/file_io.h"

namespace omv::flash {
namespace {

namespace fs = std::filesystem;

// Formats whose bytes are the image as it is written (load_image takes them unchanged).
bool raw_format(image::Format f) {
  return f == image::Format::bin || f == image::Format::openmv_bin || f == image::Format::romfs ||
         f == image::Format::ae3_toc;
}

const boards::Memory& image_memory(const boards::Board& board, const Image& img) {
  if (const auto* m = img.partition ? board.memory(img.partition->memory) : nullptr) return *m;
  fail(ErrorKind::bad_board_data, fmt::format("{}: {} has no memory in the board data", board.target, img.label));
}

std::string quoted_for_jlink(const fs::path& path) {
  const std::string s = path.string();
  if (s.find_first_of("\"\n\r") != std::string::npos)
    fail(ErrorKind::usage, fmt::format("{}: J-Link Commander cannot take a path with a quote or a line break", s),
         "copy the file to a plainer path");
  return "\"" + s + "\"";
}

// STM32CubeProgrammer keeps its external loaders in bin/ExternalLoader beside the CLI; a CLI on
// PATH may be a link into that folder.
fs::path loader_bin_dir(const fs::path& cli) {
  std::error_code ec;
  if (fs::is_directory(cli.parent_path() / "ExternalLoader", ec)) return cli.parent_path();
  fs::path real = fs::canonical(cli, ec);
  return ec ? cli.parent_path() : real.parent_path();
}

// Nothing runs for an image the probe cannot reach.
void check_probe_reach(const boards::Board& board, const std::vector<Image>& images, const VendorDeployOptions& o) {
  require_vendor_probe(board, o.probe);
  if (o.probe != VendorProbe::stlink || !board.debug.stlink_external_loader.empty()) return;
  for (const auto& img : images) {
    const auto& m = image_memory(board, img);
    if (m.kind == "nor")
      fail(ErrorKind::refused,
           fmt::format("{} goes to {} at {}, external flash that STM32_Programmer_CLI writes only through an external "
                       "loader, and {} names none (debug.stlink_external_loader); nothing was written",
                       img.label, m.name, hex32(m.cpu_address(img.address)), board.target),
           fmt::format("deploy the firmware alone (--firmware build/{}/bin/firmware.bin), or use --probe jlink",
                       board.target));
  }
}

struct LocatedProgrammer {
  debug::Tool tool;
  fs::path external_loader;
};

LocatedProgrammer locate_programmer(const boards::Board& board, const VendorDeployOptions& o) {
  if (o.probe == VendorProbe::jlink) return {debug::find_jlink_commander(), {}};
  LocatedProgrammer l{debug::find_cubeprogrammer_cli(o.sdk_version), {}};
  if (board.debug.stlink_external_loader.empty()) return l;
  l.external_loader = loader_bin_dir(l.tool.path) / "ExternalLoader" / board.debug.stlink_external_loader;
  std::error_code ec;
  if (!fs::is_regular_file(l.external_loader, ec))
    fail(ErrorKind::missing_tool, fmt::format("external loader {} not found", l.external_loader.string()),
         fmt::format("{} needs it to reach its external flash; install the OpenMV SDK ('omv sdk install'), whose "
                     "stcubeprog/bin/ExternalLoader holds it, or an STM32CubeProgrammer that ships it",
                     board.target));
  return l;
}

std::string programmer_file_line(const ProgrammerFile& f) {
  const Image& img = *f.image;
  return fmt::format("{} -> {} at {} ({}){}", img.label, img.partition->name,
                     f.address ? hex32(*f.address) : std::string("its ELF addresses"), human_size(img.data.size()),
                     f.converted ? ", converted to " + f.path.filename().string() : "");
}

// The line that says what went wrong: the last error line, else the last line that is not a
// command JLinkExe echoed.
std::string tool_failure_line(const std::vector<std::string>& lines, VendorProbe probe) {
  for (auto it = lines.rbegin(); it != lines.rend(); ++it)
    if (probe == VendorProbe::jlink ? is_segger_error_line(*it) : to_lower(*it).find("error") != std::string::npos) return *it;
  for (auto it = lines.rbegin(); it != lines.rend(); ++it)
    if (!it->starts_with("J-Link>")) return *it;
  return "no output";
}

}  // namespace

void require_vendor_probe(const boards::Board& board, VendorProbe probe) {
  if (probe == VendorProbe::jlink && board.debug.jlink_device.empty())
    fail(ErrorKind::usage,
         fmt::format("{} has no J-Link device in its board data (debug.jlink_device): --probe jlink cannot name its chip",
                     board.target),
         fmt::format("deploy through a GDB server instead: omv deploy {} --gdb HOST:PORT", board.target));
  if (probe == VendorProbe::stlink && board.port != "stm32")
    fail(ErrorKind::usage,
         fmt::format("STM32_Programmer_CLI programs STM32 chips; {} is a {} ({} port)", board.target, board.mcu, board.port),
         fmt::format("use --probe jlink, or a GDB server: omv deploy {} --gdb HOST:PORT", board.target));
}

const char* to_string(VendorProbe probe) { return probe == VendorProbe::jlink ? "jlink" : "stlink"; }
const char* tool_name(VendorProbe probe) { return probe == VendorProbe::jlink ? "JLinkExe" : "STM32_Programmer_CLI"; }

std::vector<ProgrammerFile> programmer_files(const boards::Board& board, const std::vector<Image>& images,
                                             const fs::path& scratch) {
  std::vector<ProgrammerFile> out;
  std::set<std::string> names;
  for (const auto& img : images) {
    if (img.erase_only)
      fail(ErrorKind::unsupported, fmt::format("{}: an erase without data cannot go through a vendor programmer", img.label));
    ProgrammerFile f;
    f.image = &img;
    if (!img.file.empty() && img.file_format == image::Format::elf) {
      f.path = fs::absolute(img.file);
    } else {
      f.address = image_memory(board, img).cpu_address(img.address);
      if (!img.file.empty() && raw_format(img.file_format)) {
        f.path = fs::absolute(img.file);
      } else {
        std::string name = img.label + ".bin";
        if (!names.insert(name).second) name = fmt::format("{}-{}", out.size(), name);
        f.path = scratch / name;
        f.converted = true;
        image::write_file(f.path, img.data);
      }
    }
    out.push_back(std::move(f));
  }
  return out;
}

std::vector<std::string> stm32_programmer_argv(const StlinkCommand& c, const std::vector<ProgrammerFile>& files) {
  std::vector<std::string> argv = {c.exe.string(), "-c", "port=SWD", "mode=HOTPLUG", fmt::format("ap={}", c.access_port)};
  if (!c.serial.empty()) argv.push_back("sn=" + c.serial);
  if (!c.external_loader.empty()) {
    argv.push_back("-el");
    argv.push_back(c.external_loader.string());
  }
  for (const auto& f : files) {
    argv.push_back("-w");
    argv.push_back(f.path.string());
    if (f.address) argv.push_back(hex32(*f.address));
    if (c.verify) argv.push_back("-v");
  }
  if (c.reset) argv.push_back("-hardRst");
  return argv;
}

std::vector<std::string> jlink_commander_argv(const JLinkCommand& c) {
  std::vector<std::string> argv = {c.exe.string()};
  if (!c.serial.empty()) argv.insert(argv.end(), {"-SelectEmuBySN", c.serial});
  argv.insert(argv.end(), {"-device", c.device, "-if", "SWD", "-speed", std::to_string(c.speed_khz), "-autoconnect",
                           "1", "-NoGui", "1", "-CommandFile", c.command_file.string()});
  return argv;
}

std::string jlink_command_file(const std::vector<ProgrammerFile>& files, bool verify, bool reset) {
  // ExitOnError makes a failed command end JLinkExe with a non-zero status instead of going on.
  std::string out = "ExitOnError 1\nr\n";
  for (const auto& f : files)
    out += "loadfile " + quoted_for_jlink(f.path) + (f.address ? " " + hex32(*f.address) : "") + "\n";
  if (verify)
    for (const auto& f : files)
      if (f.address) out += "verifybin " + quoted_for_jlink(f.path) + " " + hex32(*f.address) + "\n";
  if (reset) out += "r\ng\n";
  out += "exit\n";
  return out;
}

bool is_segger_error_line(std::string_view line) {
  if (line.starts_with("J-Link>")) return false;  // a command echoed back, paths and all
  for (std::string_view marker : {"ERROR", "Cannot connect", "Could not connect", "Failed"})
    if (line.find(marker) != std::string_view::npos) return true;
  return false;
}

std::optional<int> progress_percent(std::string_view line) {
  while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.remove_suffix(1);
  if (line.empty() || line.back() != '%' || line.find('[') == std::string_view::npos) return std::nullopt;
  line.remove_suffix(1);
  size_t digits = 0;
  while (digits < line.size() && digits < 3 && std::isdigit(static_cast<unsigned char>(line[line.size() - 1 - digits])))
    ++digits;
  if (digits == 0) return std::nullopt;
  int pct = std::stoi(std::string(line.substr(line.size() - digits)));
  if (pct > 100) return std::nullopt;
  return pct;
}

std::string VendorDeployment::summary() const {
  std::vector<std::string> parts;
  for (const auto& f : files)
    parts.push_back(f.address ? fmt::format("{} at {}", f.image->label, hex32(*f.address)) : f.image->label);
  return fmt::format("{} ({}) written by {} in {:.1f} s{}{}", fmt::join(parts, ", "), human_size(bytes), tool, seconds,
                     verify ? ", verified" : "", reset ? ", then reset" : "");
}

nlohmann::json VendorDeployment::to_json() const {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& f : files)
    list.push_back({{"image", f.image->label},
                    {"partition", f.image->partition->name},
                    {"file", f.path.string()},
                    {"address", f.address ? nlohmann::json(hex32(*f.address)) : nlohmann::json(nullptr)},
                    {"bytes", f.image->data.size()},
                    {"converted", f.converted}});
  nlohmann::json j = {{"tool", tool},   {"tool_origin", origin}, {"argv", argv}, {"files", list},
                      {"bytes", bytes}, {"verify", verify},      {"reset", reset}};
  if (!command_file.empty()) j["command_file"] = command_file;
  return j;
}

VendorDeployment deploy_with_vendor_programmer(const boards::Board& board, const std::vector<Image>& images,
                                               const VendorDeployOptions& o, Reporter& rep) {
  validate(board, images, PlanOptions{});
  check_probe_reach(board, images, o);
  LocatedProgrammer located = locate_programmer(board, o);

  VendorDeployment d;
  d.tool = tool_name(o.probe);
  d.origin = located.tool.origin;
  d.verify = o.verify;
  d.reset = o.reset;
  ScratchDir scratch(std::string("omv-deploy-") + to_string(o.probe));
  d.files = programmer_files(board, images, scratch.path());
  for (const auto& img : images) d.bytes += img.data.size();
  if (o.probe == VendorProbe::stlink) {
    StlinkCommand c;
    c.exe = located.tool.path;
    c.external_loader = located.external_loader;
    c.access_port = board.debug.access_port;
    c.serial = o.serial;
    c.verify = o.verify;
    c.reset = o.reset;
    d.argv = stm32_programmer_argv(c, d.files);
  } else {
    JLinkCommand c;
    c.exe = located.tool.path;
    c.device = board.debug.jlink_device;
    c.serial = o.serial;
    c.command_file = scratch.path() / "deploy.jlink";
    d.command_file = jlink_command_file(d.files, o.verify, o.reset);
    image::write_file(c.command_file, std::span(reinterpret_cast<const uint8_t*>(d.command_file.data()), d.command_file.size()));
    d.argv = jlink_commander_argv(c);
  }

  for (const auto& f : d.files) rep.info((o.dry_run ? "plan: " : "") + programmer_file_line(f), {{"file", f.path.string()}});
  if (o.probe == VendorProbe::jlink && o.verify && std::any_of(d.files.begin(), d.files.end(), [](const auto& f) { return !f.address; }))
    rep.info("J-Link verifies what loadfile programs into flash; an ELF gets no verifybin of its own");
  const std::string command = build::command_line(d.argv);
  if (o.dry_run) {
    rep.info("would run: " + command, {{"argv", d.argv}});
    if (!d.command_file.empty()) rep.info("with the command file:\n" + d.command_file, {{"command_file", d.command_file}});
    return d;
  }
  rep.info(fmt::format("running {} ({})", command, d.origin), {{"argv", d.argv}});

  std::vector<std::string> lines;
  build::ProcessOptions po;
  po.capture = true;
  rep.begin("program", 100, d.tool, "%");
  po.on_line = [&](const std::string& line) {
    if (auto pct = progress_percent(line)) return rep.progress(static_cast<uint64_t>(*pct));
    lines.push_back(line);
    rep.info(line, {{"tool", d.tool}});
  };
  const auto start = std::chrono::steady_clock::now();
  auto result = build::run_process(d.argv, po);
  d.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  if (result.signal == SIGINT)
    fail(ErrorKind::interrupted, fmt::format("{} interrupted; the target may hold part of the images", d.tool),
         "deploy again");
  const std::string hint = o.probe == VendorProbe::jlink
                               ? "check the J-Link's cable, the target's power and debug.jlink_device; JLinkExe's output is above"
                               : "check the ST-LINK's cable and the target's power; STM32_Programmer_CLI's output is above";
  if (result.exit_code != 0)
    fail(ErrorKind::device_error, fmt::format("{} failed (exit {}): {}", d.tool, result.exit_code, tool_failure_line(lines, o.probe)),
         hint);
  if (o.probe == VendorProbe::jlink)
    for (const auto& line : lines)
      if (is_segger_error_line(line))
        fail(ErrorKind::device_error, fmt::format("JLinkExe reported a failure (although it exited 0): {}",
                                                  tool_failure_line(lines, o.probe)),
             hint);
  rep.end(d.tool + " exited 0");
  return d;
}

}  // namespace omv::flash
