#include "flash/alif_isp_link.h"

#include <fmt/format.h>

#include "core/error.h"
#include "core/numbers.h"
#include "transport/serial_lookup.h"

namespace omv::flash {

std::string find_isp_port(const boards::Board& board, transport::UsbBus& usb, Reporter& reporter, const std::string& port) {
  if (!port.empty()) return port;
  std::vector<UsbId> ids;
  for (const char* key : {"isp", "isp_alt"})
    if (auto id = board.usb_id(key)) ids.push_back(*id);
  for (const auto& d : usb.enumerate())
    for (const auto& id : ids)
      if (d.id == id)
        if (auto tty = transport::serial_port_of(d)) {
          reporter.info(fmt::format("Secure Enclave ISP port: {} ({} {})", *tty, format_usb_id(d.id), d.product));
          return *tty;
        }
  std::vector<std::string> names;
  for (const auto& id : ids) names.push_back(format_usb_id(id));
  fail(ErrorKind::no_device, fmt::format("no Secure Enclave ISP port ({}) is connected", fmt::join(names, " or ")),
       "connect the AE3's debug adapter by USB (its FTDI/CH340 UART), or pass --port /dev/ttyUSB0");
}

double isp_line_seconds(uint64_t bytes, uint32_t baud) {
  const uint64_t chunks = (bytes + protocol::alif_isp::kDownloadChunk - 1) / protocol::alif_isp::kDownloadChunk;
  return static_cast<double>((bytes + chunks * (5 + 3)) * 10) / baud;
}

uint64_t burn_over_isp(protocol::alif_isp::Client& client, bool maintenance, const std::vector<MramBurn>& burns,
                       Reporter& reporter) {
  if (!maintenance) {
    reporter.info("soft maintenance: setting the maintenance flag and resetting the Secure Enclave");
    if (!client.start()) fail(ErrorKind::device_error, "the Secure Enclave stopped answering ISP START");
    client.set_maintenance_flag();
    client.stop();
    client.reset();
  }
  if (!client.start())
    fail(ErrorKind::device_error, "the Secure Enclave did not answer ISP START after its maintenance reset",
         "power-cycle the camera and run this again");
  client.set_baud(kAlifFastBaud);
  uint64_t written = 0;
  for (const auto& b : burns) {
    reporter.begin(b.label, b.bytes.size(),
                   fmt::format("burning {} ({}) at {}, about {:.1f} s at {} baud", b.file.filename().string(),
                               human_size(b.bytes.size()), hex32(b.address), isp_line_seconds(b.bytes.size(), kAlifFastBaud),
                               kAlifFastBaud));
    client.burn_mram(b.address, b.bytes, [&](uint64_t n) { reporter.progress(n); });
    reporter.end();
    written += b.bytes.size();
  }
  client.set_baud(kAlifIspBaud);
  client.stop();
  client.reset();
  return written;
}

}  // namespace omv::flash
