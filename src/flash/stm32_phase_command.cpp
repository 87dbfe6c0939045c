#include "flash/stm32_phase_command.h"

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>

#include "build/process.h"
#include "core/error.h"
#include "core/numbers.h"
#include "core/scratch_dir.h"
#include "debug/tools.h"
#include "flash/stm32_phase_recovery.h"
#include "image/file_io.h"
#include "transport/bus_factory.h"

namespace omv::flash {
namespace {

namespace fs = std::filesystem;

bool layout_names_its_files(const PhasePlan& plan) {
  for (const auto& img : plan.images)
    if (const auto* line = plan.layout.line_for(img.phase); !line || line->binary_path != img.file) return false;
  return true;
}

}  // namespace

void run_cubeprogrammer(const PhasePlan& plan, const PhaseRecoveryOptions& o, Reporter& r) {
  const auto tool = debug::find_cubeprogrammer_cli(o.sdk_version);
  std::optional<ScratchDir> scratch;
  fs::path layout = plan.layout.file;
  if (o.inputs.layout.empty() || !layout_names_its_files(plan)) {
    scratch.emplace("omv-n6-layout");
    std::string tsv = "#Opt\tId\tName\tType\tIP\tOffset\tBinary\n";
    for (const auto& line : plan.layout.lines) {
      if (!line.selected()) continue;
      const auto* img = plan.image_for(line.id);
      std::string binary = img ? img->file.filename().string() : line.binary;
      if (img) image::write_file(scratch->path() / binary, img->bytes);
      tsv += fmt::format("{}\t0x{:X}\t{}\t{}\t{}\t{}\t{}\n", line.opt, line.id, line.name, line.type, line.ip,
                         line.offset_text, binary);
    }
    layout = scratch->path() / "FlashLayout.tsv";
    image::write_file(layout, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(tsv.data()), tsv.size()));
  }
  std::vector<std::string> argv = {tool.path.string(), "-c", "port=USB1", "-d", layout.string()};
  r.info(fmt::format("running {} ({})", build::command_line(argv), tool.origin));
  build::ProcessOptions po;
  po.stdout_to_stderr = true;  // stdout stays for JSON lines
  auto result = build::run_process(argv, po);
  if (result.exit_code != 0)
    fail(ErrorKind::device_error, fmt::format("STM32_Programmer_CLI failed (exit {})", result.exit_code),
         "its output above says why; the native path is 'omv recover OPENMV_N6' without --with-cubeprogrammer");
  r.result("STM32_Programmer_CLI finished: bootloader restored", {{"tool", tool.path.string()}, {"layout", layout.string()}});
}

void recover_phase_command(const boards::Board& board, const PhaseRecoveryOptions& o, Reporter& r) {
  auto plan = make_phase_plan(board, o.inputs);
  for (const auto& w : plan.warnings) r.warn(w);
  if (o.dry_run) {
    for (const auto& img : plan.images)
      r.info(fmt::format("phase 0x{:02X} ({}): {} ({}) to {}", img.phase, img.role, img.file.string(),
                         human_size(img.bytes.size()), img.role == "nor" ? "NOR offset " + hex32(img.target) : "RAM " + hex32(img.target)));
    auto data = plan.to_json();
    data["dry_run"] = true;
    data["with_cubeprogrammer"] = o.with_cubeprogrammer;
    r.result(fmt::format("dry run: the ROM takes {}, then ST's OpenBootloader takes the layout ({} bytes) and {} more "
                         "file(s); nothing was sent",
                         plan.images.front().file.filename().string(), plan.layout_blob.size(), plan.images.size() - 1),
             data);
    return;
  }
  if (o.with_cubeprogrammer) return run_cubeprogrammer(plan, o, r);
  auto bus = transport::make_usb_bus(o.sim);
  PhaseRecoveryRequest req(board, *bus, plan, r);
  req.serial = o.serial;
  req.wait = o.wait;
  const auto started = std::chrono::steady_clock::now();
  auto done = recover_with_phases(req);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const auto* nor = plan.images.back().role == "nor" ? &plan.images.back() : nullptr;
  r.info("next: set the boot switch back (BOOT0 off), reset the camera, then flash the firmware: omv flash " + board.target);
  done["seconds"] = seconds;
  r.result(fmt::format("bootloader restored: {} written to {} offset {} through the boot ROM and ST's OpenBootloader "
                       "({} phases, {:.1f} s)",
                       human_size(done.value("nor_bytes", uint64_t{0})), phase_board_params(board).nor->name,
                       nor ? hex32(nor->target) : std::string("?"), done["phases"].size(), seconds),
           done);
}

}  // namespace omv::flash
