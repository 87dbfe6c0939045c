#include "flash/alif_recovery.h"

#include <fmt/format.h>

#include <thread>

#include "core/error.h"
#include "core/numbers.h"
#include "image/ae3_toc.h"
#include "image/file_io.h"
#include "protocol/alif_isp/client.h"
#include "transport/serial.h"
#include "transport/serial_lookup.h"

namespace omv::flash {
namespace {

namespace isp = protocol::alif_isp;
using Millis = std::chrono::milliseconds;

constexpr uint32_t kIspBaud = 55000;      // Fusion B4's ISP rate (the toolkit's featuresDB)
constexpr uint32_t kFastBaud = 921600;    // the toolkit's dynamic switch

struct Burn {
  std::string what;
  const boards::Partition* partition = nullptr;
  std::vector<uint8_t> bytes;
  std::filesystem::path file;
};

const boards::Partition& partition_with_role(const boards::Board& board, const std::string& role) {
  const auto* p = board.partition_by_role(role);
  if (!p) fail(ErrorKind::bad_board_data, fmt::format("{}: no partition with role {} in its board data", board.target, role));
  return *p;
}

Burn read_burn(const boards::Board& board, const std::string& role, const std::filesystem::path& file, const std::string& what) {
  if (file.empty())
    fail(ErrorKind::usage, fmt::format("no {} given", what),
         role == "toc" ? "pass --toc build/OPENMV_AE3/bin/firmware_pad.toc (or firmware.toc)"
                       : "pass --bootloader build/OPENMV_AE3/bin/bootloader.bin");
  Burn b{what, &partition_with_role(board, role), image::read_file(file), file};
  if (role == "toc" && !image::looks_like_ae3_toc_pad(b.bytes)) b.bytes = image::pad_ae3_toc(b.bytes, file.string());
  if (b.bytes.size() > b.partition->size())
    fail(ErrorKind::refused,
         fmt::format("{} is {}, larger than the {} partition ({} at {}); nothing was written", file.string(),
                     human_size(b.bytes.size()), b.partition->name, human_size(b.partition->size()), hex32(b.partition->start)),
         role == "bootloader" ? "pass bootloader.bin, not the firmware" : "pass firmware_pad.toc or firmware.toc");
  return b;
}

std::string find_port(AlifRecoveryRequest& r) {
  if (!r.port.empty()) return r.port;
  std::vector<UsbId> ids;
  for (const char* key : {"isp", "isp_alt"})
    if (auto id = r.board.usb_id(key)) ids.push_back(*id);
  for (const auto& d : r.usb.enumerate())
    for (const auto& id : ids)
      if (d.id == id)
        if (auto tty = transport::serial_port_of(d)) {
          r.reporter.info(fmt::format("Secure Enclave ISP port: {} ({} {})", *tty, format_usb_id(d.id), d.product));
          return *tty;
        }
  std::vector<std::string> names;
  for (const auto& id : ids) names.push_back(format_usb_id(id));
  fail(ErrorKind::no_device, fmt::format("no Secure Enclave ISP port ({}) is connected", fmt::join(names, " or ")),
       "connect the AE3's debug adapter by USB (its FTDI/CH340 UART), or pass --port /dev/ttyUSB0");
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
  std::vector<Burn> burns;
  burns.push_back(read_burn(r.board, "bootloader", r.bootloader, "bootloader image"));
  burns.push_back(read_burn(r.board, "toc", r.toc, "TOC pad"));
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& b : burns)
    steps.push_back({{"file", b.file.string()}, {"partition", b.partition->name}, {"address", hex32(b.partition->start)},
                     {"bytes", b.bytes.size()}});
  if (r.dry_run) {
    for (const auto& b : burns)
      rep.info(fmt::format("would burn {} ({}) to {} at {}", b.file.filename().string(), human_size(b.bytes.size()),
                           b.partition->name, hex32(b.partition->start)));
    return {{"dry_run", true}, {"steps", steps}};
  }

  const std::string path = find_port(r);
  auto port = transport::open_serial_port(path, kIspBaud);
  isp::ClientOptions options;
  options.baud_settle = r.baud_settle;
  isp::Client client(*port, kIspBaud, options);
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

  if (!stage.maintenance) {
    rep.info("soft maintenance: setting the maintenance flag and resetting the Secure Enclave");
    if (!client.start()) fail(ErrorKind::device_error, "the Secure Enclave stopped answering ISP START");
    client.set_maintenance_flag();
    client.stop();
    client.reset();
  }
  if (!client.start()) fail(ErrorKind::device_error, "the Secure Enclave did not answer ISP START after its maintenance reset",
                            "power-cycle the camera and run this again");
  client.set_baud(kFastBaud);
  uint64_t written = 0;
  for (const auto& b : burns) {
    rep.begin(b.partition->name, b.bytes.size(),
              fmt::format("burning {} ({}) to {} at {}", b.file.filename().string(), human_size(b.bytes.size()),
                          b.partition->name, hex32(b.partition->start)));
    client.burn_mram(static_cast<uint32_t>(b.partition->start), b.bytes, [&](uint64_t n) { rep.progress(n); });
    rep.end();
    written += b.bytes.size();
  }
  client.set_baud(kIspBaud);
  client.stop();
  client.reset();
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
