// omv recover TARGET [--bootloader FILE] [--serial SN]: restore the OpenMV bootloader of an
// STM32 camera through the ST system bootloader (BOOT-RST jumper set): bootloader.bin only, at
// the bootloader partition, never the combined image (which would also erase the filesystem).
// The RT1062 (nxp_sdp_blhost) goes through its NXP ROM instead: flash/nxp_recovery.h.
#include <fmt/format.h>

#include <algorithm>

#include "cli/command.h"
#include "cli/flash_options.h"
#include "core/error.h"
#include "core/numbers.h"
#include "flash/alif_recovery.h"
#include "flash/connect.h"
#include "flash/executor.h"
#include "flash/ide_recovery_files.h"
#include "flash/images.h"
#include "flash/nxp_recovery.h"
#include "flash/plan.h"
#include "flash/stm32_phase_command.h"
#include "image/file_io.h"
#include "transport/bus_factory.h"

namespace omv::cli::cmd_recover {
namespace {

struct Options {
  std::string target, bootloader, build_dir;
  DeviceOptions device;
  bool dry_run = false;
  // NXP (RT1062): the ROM stages a RAM flashloader, which writes the secure bootloader.
  std::string flashloader, sbl, firmware;
  bool burn_efuse = false, no_reset = false;
  // STM32N6 (boot ROM + ST's OpenBootloader): a FlashLayout.tsv, or its two ST files.
  std::string layout, openbl, extfl;
  bool with_cubeprogrammer = false;
  // AE3 (Secure Enclave ISP): the debug adapter's UART and the TOC pad.
  std::string port, toc, key;
  int handshake_wait_s = 0;
  bool ospi = false, yes = false;
};

std::filesystem::path build_bin_dir(Context& ctx, const boards::Board& board, const Options& opt) {
  std::filesystem::path dir = opt.build_dir;
  if (dir.empty())
    if (const auto* co = ctx.checkout()) dir = co->root / "build" / board.target / "bin";
  return dir;
}

void run_phases(Context& ctx, const boards::Board& board, const Options& opt) {
  flash::PhaseRecoveryOptions o;
  o.inputs.layout = opt.layout;
  o.inputs.openbl = opt.openbl;
  o.inputs.extfl = opt.extfl;
  o.inputs.bootloader = opt.bootloader;
  auto rep = ctx.reporter();
  if (opt.layout.empty() && opt.openbl.empty() && opt.extfl.empty()) {
    if (auto ide = flash::find_ide_recovery_files(board.target)) {
      o.inputs.layout = ide->layout;
      rep.info("using OpenMV IDE's recovery files: " + ide->layout.string());
    }
  }
  if (o.inputs.bootloader.empty()) {
    // The checkout's own build wins over the IDE's release bootloader.bin.
    auto dir = build_bin_dir(ctx, board, opt);
    std::error_code ec;
    if (!dir.empty() && (o.inputs.layout.empty() || std::filesystem::exists(dir / "bootloader.bin", ec)))
      o.inputs.bootloader = dir / "bootloader.bin";
  }
  o.sim = ctx.globals.sim;
  o.serial = opt.device.serial;
  o.wait = std::chrono::milliseconds(static_cast<int64_t>(opt.device.wait_s * 1000));
  o.dry_run = opt.dry_run;
  o.with_cubeprogrammer = opt.with_cubeprogrammer;
  if (const auto* co = ctx.checkout()) o.sdk_version = co->sdk_version;
  flash::recover_phase_command(board, o, rep);
}

void run_nxp(Context& ctx, const boards::Board& board, const Options& opt) {
  flash::NxpRecoveryOptions o;
  o.flashloader = opt.flashloader;
  o.bootloader = opt.sbl;
  o.firmware = opt.firmware;
  if (o.firmware.empty()) {
    std::filesystem::path dir = opt.build_dir;
    if (dir.empty())
      if (const auto* co = ctx.checkout()) dir = co->root / "build" / board.target / "bin";
    if (!dir.empty() && std::filesystem::exists(dir / "firmware.bin")) o.firmware = (dir / "firmware.bin").string();
  }
  o.sim = ctx.globals.sim;
  o.serial = opt.device.serial;
  o.wait = std::chrono::milliseconds(static_cast<int64_t>(opt.device.wait_s * 1000));
  o.burn_efuse = opt.burn_efuse;
  o.reset = !opt.no_reset;
  o.dry_run = opt.dry_run;
  auto rep = ctx.reporter();
  flash::recover_nxp_command(board, o, rep);
}

// The AE3's RECOVERY alt: the bootloader's 16-byte key (upstream's tools/flash_recovery_key.py
// writes it as key.bin: the key and 4080 zeros) makes it re-initialise and erase the octal flash.
void run_octal_flash_recovery(Context& ctx, const boards::Board& board, const Options& opt) {
  auto rep = ctx.reporter();
  const auto* part = board.partition_by_role("recovery");
  if (!part) fail(ErrorKind::bad_board_data, board.target + ": no partition with role recovery in its board data");
  if (opt.key.empty())
    fail(ErrorKind::usage, "--ospi needs the bootloader's recovery key file",
         "make it with the firmware's tools/flash_recovery_key.py (it writes key.bin), then pass --key key.bin");
  auto key = image::read_file(opt.key);
  if (key.size() < 16 || key.size() > part->size())
    fail(ErrorKind::bad_file, fmt::format("{}: {} bytes; a recovery key file is the 16-byte key, then zeros up to {}",
                                          opt.key, key.size(), part->size()));
  if (std::all_of(key.begin(), key.begin() + 16, [](uint8_t b) { return b == 0; }))
    fail(ErrorKind::bad_file, opt.key + ": the first 16 bytes (the key) are all zero");
  key.resize(static_cast<size_t>(part->size()), 0);
  std::string octal;
  for (const auto& m : board.memories)
    if (m.kind == "nor") octal = m.name;
  if (opt.dry_run)
    return rep.result(fmt::format("dry run: would send the recovery key to {} (alt {}); the bootloader would then erase "
                                  "the whole octal flash ({}); nothing was sent",
                                  part->name, part->alt.value_or(-1), octal),
                      {{"dry_run", true}, {"partition", part->name}});
  if (!opt.yes)
    fail(ErrorKind::refused,
         fmt::format("recovering the octal flash erases all of it ({}: the filesystem and ROMFS0); nothing was sent", octal),
         "run it again with --yes to go ahead, then re-flash romfs0.img; the filesystem reformats itself on the next boot");
  auto conn = flash::connect(board, opt.device.connect(ctx), rep);
  rep.begin("recovery", key.size(), fmt::format("sending the recovery key to {} (alt {})", part->name, part->alt.value_or(-1)));
  conn.session->write(*part, part->start, key);
  conn.session->finish(*part);
  rep.end();
  rep.info("next: re-flash the ROMFS (omv flash " + board.target + " --romfs romfs0.img); the filesystem reformats itself");
  rep.result("octal flash re-initialised and erased by the bootloader", {{"partition", part->name}, {"memory", octal}});
}

void run_alif(Context& ctx, const boards::Board& board, const Options& opt) {
  if (opt.ospi) return run_octal_flash_recovery(ctx, board, opt);
  auto rep = ctx.reporter();
  auto usb = transport::make_usb_bus(ctx.globals.sim);
  flash::AlifRecoveryRequest r{board, *usb, rep};
  r.port = opt.port;
  const auto dir = build_bin_dir(ctx, board, opt);
  r.bootloader = !opt.bootloader.empty() ? std::filesystem::path(opt.bootloader)
                 : dir.empty()           ? std::filesystem::path()
                                         : dir / "bootloader.bin";
  r.toc = !opt.toc.empty() ? std::filesystem::path(opt.toc) : dir.empty() ? std::filesystem::path() : dir / "firmware_pad.toc";
  r.dry_run = opt.dry_run;
  if (opt.handshake_wait_s > 0) r.handshake_wait = std::chrono::milliseconds(opt.handshake_wait_s * 1000);
  auto data = flash::recover_alif(r);
  if (opt.dry_run)
    return rep.result("dry run: the bootloader and the TOC pad would be burned through the Secure Enclave; nothing was written",
                      data);
  rep.result(fmt::format("bootloader restored through the Secure Enclave ISP ({} written)", human_size(data["bytes"].get<uint64_t>())),
             data);
}

void run(Context& ctx, const Options& opt) {
  const auto& board = ctx.boards().get(opt.target);
  if (board.bootloader_type == boards::BootloaderType::nxp_sdp_blhost) return run_nxp(ctx, board, opt);
  if (board.usb_id("isp")) return run_alif(ctx, board, opt);
  if (flash::uses_phase_protocol(board)) return run_phases(ctx, board, opt);
  if (!opt.layout.empty() || !opt.openbl.empty() || !opt.extfl.empty() || opt.with_cubeprogrammer)
    fail(ErrorKind::usage, "--layout, --openbl, --extfl and --with-cubeprogrammer are for the OpenMV N6 (" + board.target +
                               " is recovered through " + (board.usb_id("rom") ? "the ST system bootloader)" : "its own tools)"));
  const auto* part = board.partition_by_role("bootloader");
  bool has_rom_dfuse = false;
  for (const auto& m : board.memories) has_rom_dfuse = has_rom_dfuse || (m.dfuse_alt && !m.dfuse_layout.empty());
  if (!part || !board.usb_id("rom") || !has_rom_dfuse || board.bootloader_type == boards::BootloaderType::arduino_dfuse) {
    std::string how = board.bootloader_type == boards::BootloaderType::arduino_dfuse
                          ? "Arduino bootloaders are factory-locked; use Arduino's own tools"
                          : "see the notes of 'omv board " + board.target + "' for this board's recovery procedure";
    fail(ErrorKind::unsupported, board.target + " cannot be recovered through the ST system bootloader", how);
  }
  std::filesystem::path file = opt.bootloader;
  if (file.empty()) {
    std::filesystem::path dir = build_bin_dir(ctx, board, opt);
    if (dir.empty())
      fail(ErrorKind::usage, "no bootloader image given", "pass --bootloader bootloader.bin (or run inside a checkout)");
    file = dir / "bootloader.bin";
  }
  if (std::filesystem::exists(file) && std::filesystem::file_size(file) > part->size())
    fail(ErrorKind::refused,
         fmt::format("{} is {}, larger than the {} bootloader partition ({}); nothing was written", file.string(),
                     human_size(std::filesystem::file_size(file)), board.target, human_size(part->size())),
         "flash bootloader.bin, not the combined openmv.bin/firmware image (that would also erase the filesystem)");
  std::vector<flash::Image> images{flash::load_image_for(board, *part, part->start, file)};
  flash::PlanOptions po;
  po.allow_read_only = true;  // the ROM writes what the OpenMV bootloader protects
  flash::validate(board, images, po);
  auto rep = ctx.reporter();
  if (opt.dry_run) {
    auto plan = flash::make_plan(board, images, nullptr, po, rep);
    rep.result(fmt::format("dry run: would write {} to {} at {} through the ST system bootloader; nothing was written",
                           human_size(images.front().data.size()), part->name, hex32(part->start)),
               {{"dry_run", true}, {"plan", plan.to_json()}});
    return;
  }
  auto conn = flash::connect(board, opt.device.connect(ctx, "rom", "st_rom_dfuse"), rep);
  auto plan = flash::make_plan(board, images, conn.session.get(), po, rep);
  flash::ExecuteOptions eo;
  eo.verify = true;
  eo.reset = false;  // with the jumper set, a reset only comes back to the ROM
  auto outcome = flash::execute(board, plan, *conn.session, eo, rep);
  rep.info("next: remove the BOOT-RST jumper, reconnect the camera, then flash it normally: omv flash " + board.target);
  auto data = outcome.to_json();
  data["file"] = file.string();
  rep.result("bootloader restored: " + outcome.summary(), data);
}

void setup(CLI::App& parent, Context& ctx) {
  auto opt = std::make_shared<Options>();
  auto* cmd = parent.add_subcommand("recover", "Restore a camera's bootloader through its ROM loader (jumper set)");
  cmd->add_option("TARGET", opt->target, "Board TARGET (OPENMV2, OPENMV3, OPENMV4, OPENMV4P, OPENMVPT, OPENMV_RT1060, OPENMV_N6, OPENMV_AE3)")->required();
  cmd->add_option("--bootloader", opt->bootloader, "bootloader.bin (default: build/TARGET/bin/bootloader.bin)");
  cmd->add_option("--build-dir", opt->build_dir, "Folder with bootloader.bin");
  cmd->add_flag("--dry-run", opt->dry_run, "Check the image; write nothing");
  cmd->add_option("--flashloader", opt->flashloader, "RT1062: the RAM flashloader (OpenMV IDE's sdphost_flash_loader.bin)");
  cmd->add_option("--sbl", opt->sbl, "RT1062: the secure bootloader (OpenMV IDE's blhost_flash_loader.bin)");
  cmd->add_option("--firmware", opt->firmware, "RT1062: firmware.bin to write after it (default: the build's)");
  cmd->add_flag("--burn-efuse", opt->burn_efuse,
                "RT1062: allow burning the boot fuse (efuse-program-once 0x06 00000010) if it is not set; irreversible");
  cmd->add_flag("--no-reset", opt->no_reset, "RT1062: stay in the flashloader afterwards");
  cmd->add_option("--layout", opt->layout, "N6: FlashLayout.tsv (its Binary files beside it; --bootloader replaces the NOR file)");
  cmd->add_option("--openbl", opt->openbl, "N6: ST's OpenBootloader (OpenBootloader_STM32N6570-DK-trusted.stm32) instead of --layout");
  cmd->add_option("--extfl", opt->extfl, "N6: the external-flash loader (MX66UW1G45G_STM32N6570-DK-OBL.bin) instead of --layout");
  cmd->add_flag("--with-cubeprogrammer", opt->with_cubeprogrammer,
                "N6: run STM32_Programmer_CLI -c port=USB1 -d FlashLayout.tsv instead of omv's own USB code");
  cmd->add_option("--port", opt->port, "AE3: the Secure Enclave's UART (default: the debug adapter's FTDI/CH340 port)");
  cmd->add_option("--toc", opt->toc, "AE3: firmware_pad.toc, or firmware.toc (padded to 8 KiB in memory)");
  cmd->add_flag("--ospi", opt->ospi, "AE3: re-initialise a bricked octal flash through the bootloader's RECOVERY alt (erases it)");
  cmd->add_option("--key", opt->key, "AE3 --ospi: the recovery key file (key.bin from the firmware's tools/flash_recovery_key.py)");
  cmd->add_flag("--yes", opt->yes, "AE3 --ospi: go ahead with erasing the whole octal flash");
  cmd->add_option("--handshake-wait", opt->handshake_wait_s, "AE3: seconds to wait for the hard-maintenance answer (default 120)");
  opt->device.add(cmd);
  cmd->callback([&ctx, opt] { run(ctx, *opt); });
}

const Register registered{{"recover", "Restore a damaged bootloader (STM32: BOOT-RST jumper; RT1062: SBL jumper; N6: boot switch; AE3: Secure Enclave ISP)", setup, Group::recover, 35,
                                    "  omv recover OPENMV4 --dry-run              # show the steps first\n"
                                    "  omv recover OPENMV_RT1060 --sbl sbl.bin\n"
                                    "  omv recover OPENMV_N6 --layout OPENMV_N6/FlashLayout.tsv\n"
                                    "  omv recover OPENMV_AE3 --bootloader bootloader.bin --toc firmware_pad.toc\n"
                                    "  omv recover OPENMV_AE3 --ospi --key key.bin --yes\n"}};

}  // namespace
}  // namespace omv::cli::cmd_recover
