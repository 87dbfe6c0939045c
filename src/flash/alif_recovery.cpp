#include "flash/alif_recovery.h"

#include <fmt/format.h>

#include "core/error.h"
#include "core/numbers.h"
#include "flash/alif_isp_link.h"
#include "image/ae3_toc.h"
#include "image/file_io.h"
#include "protocol/alif_isp/client.h"
#include "transport/serial.h"

namespace omv::flash {
namespace {

namespace isp = protocol::alif_isp;
using Millis = std::chrono::milliseconds;

const boards::Partition& partition_with_role(const boards::Board& board, const std::string& role) {
  const auto* p = board.partition_by_role(role);
  if (!p) fail(ErrorKind::bad_board_data, fmt::format("{}: no partition with role {} in its board data", board.target, role));
  return *p;
}

// The image for the partition with `role`, checked to fit it (the TOC padded in memory).
MramBurn read_burn(const boards::Board& board, const std::string& role, const std::filesystem::path& file,
                   const std::string& what) {
  if (file.empty())
    fail(ErrorKind::usage, fmt::format("no {} given", what),
         role == "toc" ? "pass --toc build/OPENMV_AE3/bin/firmware_pad.toc (or firmware.toc)"
                       : "pass --bootloader build/OPENMV_AE3/bin/bootloader.bin");
  const auto& part = partition_with_role(board, role);
  MramBurn b{part.name, static_cast<uint32_t>(part.start), image::read_file(file), file};
  if (role == "toc" && !image::looks_like_ae3_toc_pad(b.bytes)) b.bytes = image::pad_ae3_toc(b.bytes, file.string());
  if (b.bytes.size() > part.size())
    fail(ErrorKind::refused,
         fmt::format("{} is {}, larger than the {} partition ({} at {}); nothing was written", file.string(),
                     human_size(b.bytes.size()), part.name, human_size(part.size()), hex32(part.start)),
         role == "bootloader" ? "pass bootloader.bin, not the firmware" : "pass firmware_pad.toc or firmware.toc");
  return b;
}

void hard_maintenance(AlifRecoveryRequest& r, isp::Client& client) {
  r.reporter.warn("the Secure Enclave does not answer ISP START: entering hard maintenance");
  r.reporter.info(
      "1. keep the camera connected to the debug adapter; 2. press and release the camera's RESET button now; "
      "omv keeps sending the maintenance request and goes on as soon as the Secure Enclave answers");
  r.reporter.begin("handshake", 0, "waiting for the Secure Enclave's maintenance answer (SEPCTL)", "");
  const auto deadline = std::chrono::steady_clock::now() + r.handshake_wait;
  if (!client.hard_maintenance_handshake([&] { return std::chrono::steady_clock::now() > deadline; })) {
    r.reporter.end("gave up");
    fail(ErrorKind::timeout,
         fmt::format("the Secure Enclave did not answer the hard-maintenance request within {} s",
                     r.handshake_wait.count() / 1000),
         "check the port (--port), press RESET on the camera while omv waits, and run this again");
  }
  r.reporter.end("in hard maintenance");
  if (!client.start())
    fail(ErrorKind::device_error, "the Secure Enclave answered the maintenance request but not ISP START afterwards",
         "power-cycle the camera and run this again");
}

}  // namespace

nlohmann::json recover_alif(AlifRecoveryRequest& r) {
  auto& rep = r.reporter;
  std::vector<MramBurn> burns;
  burns.push_back(read_burn(r.board, "bootloader", r.bootloader, "bootloader image"));
  burns.push_back(read_burn(r.board, "toc", r.toc, "TOC pad"));
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& b : burns)
    steps.push_back({{"file", b.file.string()}, {"partition", b.label}, {"address", hex32(b.address)},
                     {"bytes", b.bytes.size()}});
  if (r.dry_run) {
    for (const auto& b : burns)
      rep.info(fmt::format("would burn {} ({}) to {} at {}", b.file.filename().string(), human_size(b.bytes.size()),
                           b.label, hex32(b.address)));
    return {{"dry_run", true}, {"steps", steps}};
  }

  const std::string path = find_isp_port(r.board, r.usb, rep, r.port);
  auto port = transport::open_serial_port(path, kAlifIspBaud);
  isp::ClientOptions options;
  options.baud_settle = r.baud_settle;
  isp::Client client(*port, kAlifIspBaud, options);
  if (!client.start()) hard_maintenance(r, client);
  auto revision = client.revision();
  auto stage = client.enquiry();
  rep.info(fmt::format("Secure Enclave: part {}, revision {}, {}, serial {}, stage {}{}", revision.part,
                       revision.revision_name(), revision.lifecycle_name(), revision.serial_hex(), isp::to_string(stage.stage),
                       stage.maintenance ? " (maintenance)" : ""));
  if (stage.stage != isp::Stage::seram)
    fail(ErrorKind::unsupported,
         fmt::format("the Secure Enclave runs its ROM (SEROM, error 0x{:X}): its system package must be restored before "
                     "the bootloader; omv does not write SE system packages yet",
                     stage.error),
         "restore it with Alif's updateSystemPackage tool (the firmware's tools/alif), then run this again");
  const auto banner = client.banner();
  auto toc = client.toc();
  bool hp_boot = false;
  std::vector<std::string> names;
  for (const auto& e : toc) {
    names.push_back(e.name);
    hp_boot = hp_boot || e.name == "HP_BOOT";
  }
  rep.info(fmt::format("{}; TOC: {}{}", banner, names.empty() ? "(empty)" : fmt::format("{}", fmt::join(names, " ")),
                       hp_boot ? "" : " (no HP_BOOT: the bootloader is missing)"));
  client.stop();

  const uint64_t written = burn_over_isp(client, stage.maintenance, burns, rep);
  const auto isp_counters = client.counters();
  port.reset();  // the port stays free for whoever needs it next

  rep.begin("bootloader", 0, "waiting for the camera's OpenMV bootloader", "");
  const auto dfu_id = r.board.usb_id("bootloader");
  std::optional<transport::UsbDeviceInfo> dfu;
  if (dfu_id) dfu = r.usb.wait_for([&](const transport::UsbDeviceInfo& d) { return d.id == *dfu_id; }, r.bootloader_wait);
  rep.end(dfu ? format_usb_id(dfu->id) + " is up" : "not seen");
  if (dfu)
    rep.info("next: put the firmware on it: omv flash " + r.board.target);
  else
    rep.warn(fmt::format("the OpenMV bootloader ({}) did not show up within {} s: connect the camera's own USB port, "
                         "then run: omv flash {}",
                         dfu_id ? format_usb_id(*dfu_id) : std::string("?"), r.bootloader_wait.count() / 1000, r.board.target));
  return {{"port", path},       {"part", revision.part},      {"revision", revision.revision_name()},
          {"banner", banner},   {"hp_boot_before", hp_boot}, {"steps", steps},
          {"bytes", written},   {"bootloader_seen", dfu.has_value()},
          {"isp", {{"packets_out", isp_counters.packets_out}, {"bytes_out", isp_counters.bytes_out}}}};
}

}  // namespace omv::flash
