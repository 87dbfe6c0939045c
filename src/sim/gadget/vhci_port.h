#pragma once
// A port of Linux's USB/IP virtual host controller (vhci-hcd) as a DeviceController. Plugging
// attaches one end of a Unix socket pair to a free port (sysfs `attach`); the kernel then
// enumerates the device like any other and sends every URB for it over the socket as a USB/IP
// CMD_SUBMIT, which this class turns into control requests and answers with RET_SUBMIT.
// Closing the socket is the cable coming out. Everything above the host controller (usbcore,
// usbfs, /dev/bus/usb, libusb) is the real Linux USB stack; no network is involved.
//
// Why not a gadget on dummy_hcd: in Linux 6.1 (Debian 12) FunctionFS rejects the DFU
// functional descriptor and cannot select alt settings > 0, and gadgetfs limits endpoint-0
// transfers to 256 bytes, while DFU bootloaders move 2048- and 4096-byte blocks.
#include <filesystem>
#include <string>

#include "sim/gadget/controller.h"

namespace omv::sim::gadget {

class VhciPort : public DeviceController {
 public:
  // `vhci`: the controller's sysfs folder. `high_speed`: attach as a high-speed device
  // (480 Mbit/s) instead of full speed.
  explicit VhciPort(std::filesystem::path vhci = "/sys/devices/platform/vhci_hcd.0", bool high_speed = false);
  ~VhciPort() override;
  VhciPort(const VhciPort&) = delete;
  VhciPort& operator=(const VhciPort&) = delete;

  void plug(const Descriptors& descriptors) override;
  void unplug() override;
  bool plugged() const override { return fd_ >= 0; }
  std::vector<SetupPacket> wait(transport::Millis timeout) override;
  std::vector<uint8_t> receive(size_t length) override;
  void send(std::span<const uint8_t> data) override;
  void acknowledge() override;
  void stall() override;

  // The root-hub port the device is attached to (0-based, as in vhci's status file); -1 if none.
  int port() const { return port_; }
  const std::filesystem::path& controller() const { return vhci_; }

 private:
  void reply(int32_t status, std::span<const uint8_t> in_data);
  void lost();

  std::filesystem::path vhci_;
  bool high_speed_ = false;
  int fd_ = -1;
  int port_ = -1;
  uint32_t devid_ = 0;
  // The request being answered.
  uint32_t seqnum_ = 0;
  bool pending_ = false;
  std::vector<uint8_t> out_data_;
};

// USB/IP wire format (big-endian 48-byte headers), exposed for tests.
namespace usbip {
constexpr uint32_t kCmdSubmit = 1, kCmdUnlink = 2, kRetSubmit = 3, kRetUnlink = 4;
constexpr size_t kHeaderSize = 48;

struct Command {
  uint32_t command = 0, seqnum = 0, devid = 0, direction = 0, endpoint = 0;
  uint32_t transfer_length = 0;          // CMD_SUBMIT
  uint32_t number_of_packets = 0;        // CMD_SUBMIT (isochronous)
  uint32_t unlink_seqnum = 0;            // CMD_UNLINK
  uint8_t setup[8] = {};                 // CMD_SUBMIT, endpoint 0
};
Command parse_command(std::span<const uint8_t, kHeaderSize> header);
std::vector<uint8_t> ret_submit(uint32_t seqnum, int32_t status, std::span<const uint8_t> in_data,
                                uint32_t actual_length);
std::vector<uint8_t> ret_unlink(uint32_t seqnum, int32_t status);
// The first free high-speed-capable port in vhci's status text, or -1.
int free_port(const std::string& status_text);
}  // namespace usbip

}  // namespace omv::sim::gadget
