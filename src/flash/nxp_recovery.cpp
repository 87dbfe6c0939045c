#include "flash/nxp_recovery.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "core/error.h"
#include "core/numbers.h"
#include "flash/nxp_device.h"
#include "image/file_io.h"
#include "protocol/nxp/mboot_client.h"
#include "protocol/nxp/sdp_client.h"
#include "transport/bus_factory.h"

namespace omv::flash {
namespace mb = protocol::nxp::mboot;
namespace sdp = protocol::nxp::sdp;

namespace {

constexpr uint64_t kSector = 4096;

const boards::Partition& partition(const boards::Board& board, const char* role) {
  const auto* p = board.partition_by_role(role);
  if (!p) fail(ErrorKind::bad_board_data, fmt::format("{}: no partition with role '{}' in its board data", board.target, role));
  return *p;
}

void check_fits(const boards::Board& board, const RecoveryImage& image, const boards::Partition& part) {
  if (image.bytes.empty()) fail(ErrorKind::bad_file, image.name + ": the file is empty");
  if (image.bytes.size() > part.size())
    fail(ErrorKind::refused,
         fmt::format("{} is {} bytes but {} {} holds {} bytes ({}-{}); nothing was written", image.name, image.bytes.size(),
                     board.target, part.name, part.size(), hex32(part.start), hex32(part.end)),
         "check that the file is the right one for " + board.target);
}

bool has_ivt(const std::vector<uint8_t>& b) {
  return b.size() >= 32 && b[0] == 0xD1 && b[1] == 0x00 && b[2] == 0x20 && (b[3] & 0xF0) == 0x40;
}

// Stages the flashloader through the ROM and waits for it to come up as the MCU bootloader.
void stage_flashloader(NxpRecoveryRequest& req, const transport::HidDeviceInfo& rom_info, const NxpLoaderParams& params) {
  auto& r = req.reporter;
  auto rom = req.hid.open(rom_info);
  sdp::ClientOptions options;
  options.timeout = params.command_timeout;
  sdp::Client client(*rom, options);
  const auto& image = req.flashloader.bytes;
  r.begin("stage", image.size(), fmt::format("loading {} into RAM at {}", req.flashloader.name, hex32(params.flashloader_address)));
  client.write_file(params.flashloader_address, image, [&](uint64_t done) { r.progress(done); });
  r.end(sdp::hab_name(client.last_hab()));
  r.info(fmt::format("starting the flashloader at {}", hex32(params.flashloader_address)));
  client.jump_address(params.flashloader_address);
}

struct Region {
  const char* label;          // "bootloader", "firmware"
  const RecoveryImage* image;
  const boards::Partition* part;
};

// Reads what is there; erases and writes only when it differs; reads back to verify.
std::string write_region(mb::Client& client, Reporter& r, const Region& region) {
  const auto& data = region.image->bytes;
  const auto address = static_cast<uint32_t>(region.part->start);
  const auto length = static_cast<uint32_t>(data.size());
  r.begin("read", length, fmt::format("reading {} at {} to compare", region.part->name, hex32(address)));
  auto current = client.read_memory(address, length, 0, [&](uint64_t done) { r.progress(done); });
  bool same = current == data;
  r.end(same ? "unchanged" : "differs");
  if (same) return "unchanged";

  uint64_t erase_len = (data.size() + kSector - 1) / kSector * kSector;
  r.begin("erase", erase_len, fmt::format("erasing {} {}+{}", region.part->name, hex32(address), erase_len));
  for (uint64_t at = 0; at < erase_len; at += kNxpEraseStep) {
    uint64_t n = std::min(kNxpEraseStep, erase_len - at);
    client.flash_erase_region(static_cast<uint32_t>(address + at), static_cast<uint32_t>(n), 0);
    r.progress(at + n);
  }
  r.end();
  r.begin("write", length, fmt::format("writing {} ({}) to {}", region.image->name, human_size(length), hex32(address)));
  client.write_memory(address, data, 0, [&](uint64_t done) { r.progress(done); });
  r.end();
  r.begin("verify", length, fmt::format("reading {} back", region.part->name));
  auto back = client.read_memory(address, length, 0, [&](uint64_t done) { r.progress(done); });
  r.end();
  if (back != data) {
    auto diff = std::mismatch(back.begin(), back.end(), data.begin());
    fail(ErrorKind::verify_failed,
         fmt::format("{}: read-back differs at {}", region.part->name, hex32(address + static_cast<uint64_t>(diff.first - back.begin()))),
         "run the recovery again; if it keeps failing the flash may be damaged");
  }
  return "written";
}

}  // namespace

void check_recovery_images(const NxpRecoveryRequest& req) {
  const auto& b = req.board;
  if (req.flashloader.bytes.empty()) fail(ErrorKind::bad_file, req.flashloader.name + ": the file is empty");
  if (!has_ivt(req.flashloader.bytes))
    fail(ErrorKind::bad_file,
         req.flashloader.name + ": not an i.MX RT image (no image vector table at offset 0)",
         "use the RAM flashloader OpenMV IDE ships (sdphost_flash_loader.bin in its imx folder)");
  check_fits(b, req.bootloader, partition(b, "bootloader"));
  if (req.firmware) check_fits(b, *req.firmware, partition(b, "firmware"));
}

nlohmann::json recover_nxp(NxpRecoveryRequest& req) {
  check_recovery_images(req);
  const auto& board = req.board;
  auto& r = req.reporter;
  const auto params = nxp_loader_params(board);
  const auto& fcb_part = partition(board, "fcb");
  nlohmann::json done = nlohmann::json::object();

  // 1. The ROM (SBL jumper fitted), or a flashloader still running from an earlier attempt.
  const UsbId rom_id = board.usb_id("rom").value_or(UsbId{0x1FC9, 0x0135});
  const UsbId loader_id = board.usb_id("flashloader").value_or(UsbId{0x15A2, 0x0073});
  auto rom = find_hid(req.hid, rom_id, req.serial);
  auto loader = rom ? std::nullopt : find_hid(req.hid, loader_id, req.serial);
  if (!rom && !loader && req.wait.count() > 0) {
    r.begin("wait", 0, fmt::format("waiting for the {} in its serial-download ROM ({})", board.name, format_usb_id(rom_id)), "");
    auto found = req.hid.wait_for([&](const transport::HidDeviceInfo& d) { return d.id == rom_id || d.id == loader_id; }, req.wait);
    r.end(found ? "found " + format_usb_id(found->id) : "gave up");
    rom = find_hid(req.hid, rom_id, req.serial);
    if (!rom) loader = find_hid(req.hid, loader_id, req.serial);
  }
  if (!rom && !loader)
    fail(ErrorKind::no_device,
         fmt::format("no {} in its serial-download ROM ({}) or flashloader ({}) found", board.name, format_usb_id(rom_id),
                     format_usb_id(loader_id)),
         "disconnect the camera, fit the jumper between SBL and 3.3V, reconnect it, and run this again (or pass --wait SECONDS)");

  if (rom) {
    stage_flashloader(req, *rom, params);
    done["flashloader"] = "staged";
  } else {
    r.info(fmt::format("a flashloader is already running ({}): resuming", format_usb_id(loader_id)));
    done["flashloader"] = "already running";
  }
  ClaimedLoader claimed;
  try {
    claimed = claim_mcu_bootloader(board, req.hid, req.serial, r, rom ? params.flashloader_boot : std::chrono::milliseconds(0));
  } catch (const Error& e) {
    if (!rom || e.kind() != ErrorKind::no_device) throw;
    fail(ErrorKind::timeout,
         fmt::format("the flashloader never answered: nothing came up as {} within {} ms after the jump to {}",
                     format_usb_id(loader_id), params.flashloader_boot.count(), hex32(params.flashloader_address)),
         fmt::format("check that {} is the RT1062 RAM flashloader (OpenMV IDE ships it as sdphost_flash_loader.bin), then "
                     "power-cycle the camera with the SBL jumper fitted and run this again",
                     req.flashloader.name));
  }
  auto& client = *claimed.client;
  done["flashloader_version"] = version_string(claimed.version);

  // 2. External flash, then the fuse decision, before anything is written.
  ensure_flexspi_configured(client, params, r);
  uint32_t fuse = client.efuse_read_once(params.efuse_boot_index);
  bool fuse_set = (fuse & params.efuse_boot_value) == params.efuse_boot_value;
  if (!fuse_set && !req.burn_efuse)
    fail(ErrorKind::refused,
         fmt::format("the boot fuse is not burned: recovery would run efuse-program-once 0x{:02X} {:08X} (fuse word 0x{:02X} "
                     "now 0x{:08X}, bit 0x{:X} makes the chip boot from external flash). It is one-time and irreversible; "
                     "nothing was written",
                     params.efuse_boot_index, params.efuse_boot_value, params.efuse_boot_index, fuse, params.efuse_boot_value),
         "run again with --burn-efuse to burn it");

  // 3. The flash configuration block.
  auto fcb = client.read_memory(static_cast<uint32_t>(fcb_part.start), 512);
  bool fcb_ok = fcb.size() >= 8 && fcb[0] == 'F' && fcb[1] == 'C' && fcb[2] == 'F' && fcb[3] == 'B';
  if (fcb_ok) {
    r.info(fmt::format("flash configuration block at {} is present: kept", hex32(fcb_part.start)));
    done["fcb"] = "kept";
  } else {
    r.begin("fcb", 0, fmt::format("writing the flash configuration block at {}", hex32(fcb_part.start)), "");
    client.flash_erase_region(static_cast<uint32_t>(fcb_part.start), static_cast<uint32_t>(std::min<uint64_t>(fcb_part.size(), kSector)), 0);
    client.fill_memory(params.config_address, 4, params.fcb_config_word);
    client.configure_memory(params.memory_id, params.config_address);
    auto back = client.read_memory(static_cast<uint32_t>(fcb_part.start), 8);
    r.end();
    if (!(back[0] == 'F' && back[1] == 'C' && back[2] == 'F' && back[3] == 'B'))
      fail(ErrorKind::device_error, fmt::format("the flashloader wrote no flash configuration block at {}", hex32(fcb_part.start)),
           "check that the flashloader file matches the RT1062");
    done["fcb"] = "written";
  }

  // 4. Secure bootloader and firmware.
  done["bootloader"] = write_region(client, r, Region{"bootloader", &req.bootloader, &partition(board, "bootloader")});
  if (req.firmware) done["firmware"] = write_region(client, r, Region{"firmware", &*req.firmware, &partition(board, "firmware")});

  // 5. The boot fuse.
  if (fuse_set) {
    done["efuse"] = "already set";
  } else {
    r.info(fmt::format("burning fuse word 0x{:02X} with {:08X} (boot from external flash)", params.efuse_boot_index, params.efuse_boot_value));
    client.efuse_program_once(params.efuse_boot_index, params.efuse_boot_value);
    uint32_t now = client.efuse_read_once(params.efuse_boot_index);
    if ((now & params.efuse_boot_value) != params.efuse_boot_value)
      fail(ErrorKind::device_error, fmt::format("fuse word 0x{:02X} reads 0x{:08X} after burning", params.efuse_boot_index, now));
    done["efuse"] = "burned";
  }

  if (req.reset) {
    client.reset();
    done["reset"] = true;
  }
  return done;
}

namespace {

std::string loader_text(const boards::Board& board, const char* key, const char* fallback) {
  auto it = board.loader.find(key);
  return it == board.loader.end() ? fallback : it->second;
}

RecoveryImage read_image(const std::string& path, const char* what) {
  try {
    return RecoveryImage{std::filesystem::path(path).filename().string(), image::read_file(path)};
  } catch (const Error& e) {
    fail(e.kind(), fmt::format("{}: {}", what, e.what()), e.hint());
  }
}

}  // namespace

void recover_nxp_command(const boards::Board& board, const NxpRecoveryOptions& o, Reporter& reporter) {
  const std::string fl_name = loader_text(board, "flashloader_file", "sdphost_flash_loader.bin");
  const std::string sbl_name = loader_text(board, "sbl_file", "blhost_flash_loader.bin");
  if (o.flashloader.empty() || o.bootloader.empty()) {
    std::vector<std::string> missing;
    if (o.flashloader.empty()) missing.push_back("--flashloader " + fl_name);
    if (o.bootloader.empty()) missing.push_back("--sbl " + sbl_name);
    fail(ErrorKind::usage,
         fmt::format("recovering {} needs the RAM flashloader and the secure bootloader images: {}", board.target,
                     fmt::join(missing, " and ")),
         fmt::format("OpenMV IDE ships both with its firmware files for {} ({} and {}); pass their paths", board.target,
                     fl_name, sbl_name));
  }
  auto hid = transport::make_hid_bus(o.sim);
  NxpRecoveryRequest req(board, *hid, reporter);
  req.serial = o.serial;
  req.wait = o.wait;
  req.burn_efuse = o.burn_efuse;
  req.reset = o.reset;
  req.flashloader = read_image(o.flashloader, "the flashloader");
  req.bootloader = read_image(o.bootloader, "the secure bootloader");
  if (!o.firmware.empty()) req.firmware = read_image(o.firmware, "the firmware");
  check_recovery_images(req);
  if (o.dry_run) {
    nlohmann::json plan = {{"flashloader", {{"file", req.flashloader.name}, {"bytes", req.flashloader.bytes.size()}}},
                           {"bootloader", {{"file", req.bootloader.name}, {"bytes", req.bootloader.bytes.size()}}},
                           {"burn_efuse", o.burn_efuse},
                           {"dry_run", true}};
    if (req.firmware) plan["firmware"] = {{"file", req.firmware->name}, {"bytes", req.firmware->bytes.size()}};
    reporter.result(fmt::format("dry run: the images fit {}; nothing was written", board.target), plan);
    return;
  }
  if (!req.firmware)
    reporter.warn("no firmware given (--firmware, or build/" + board.target +
                  "/bin/firmware.bin in the checkout): only the bootloader is restored; flash the firmware afterwards");
  auto done = recover_nxp(req);
  std::string summary = fmt::format("{} recovered: FCB {}, bootloader {}", board.target, done.value("fcb", "?"),
                                    done.value("bootloader", "?"));
  if (done.contains("firmware")) summary += ", firmware " + done["firmware"].get<std::string>();
  summary += ", boot fuse " + done.value("efuse", std::string("?"));
  if (done.contains("reset")) reporter.info("next: remove the SBL jumper and power-cycle the camera");
  reporter.result(summary, done);
}

}  // namespace omv::flash
