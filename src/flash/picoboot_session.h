#pragma once
// The flash executor's session over the RP2040 boot ROM's PICOBOOT interface (BOOTSEL mode):
// exclusive access (the RPI-RP2 drive stops accepting writes), EXIT_XIP, 4 KiB sector erases,
// 256-byte-page writes, reads for skip-unchanged and verify, and a REBOOT into the flash image.
#include <memory>

#include "flash/session.h"
#include "protocol/picoboot/client.h"
#include "transport/usb.h"

namespace omv::flash {

class PicobootSession : public Session {
 public:
  PicobootSession(const boards::Board& board, transport::UsbDeviceInfo info, std::unique_ptr<transport::UsbDevice> device,
                  Reporter reporter);
  ~PicobootSession() override;

  Capabilities capabilities() const override;
  std::string describe() const override;
  SessionIdentity identity() const override;
  void check_writable(const boards::Partition& part, uint64_t address, uint64_t length) override;
  std::vector<uint8_t> read(const boards::Partition& part, uint64_t address, size_t length,
                            const std::function<void(size_t)>& on_progress) override;
  void erase(const boards::Partition& part, uint64_t address, uint64_t length) override;
  void write(const boards::Partition& part, uint64_t address, std::span<const uint8_t> data) override;
  void finish(const boards::Partition&) override {}
  void reset() override;

  protocol::picoboot::Client& client() { return *client_; }

 private:
  void check_range(const boards::Partition& part, uint64_t address, uint64_t length, const char* what) const;
  const boards::Memory& memory(const boards::Partition& part) const;

  const boards::Board& board_;
  transport::UsbDeviceInfo info_;
  std::unique_ptr<transport::UsbDevice> device_;
  Reporter reporter_;
  protocol::picoboot::InterfaceInfo interface_;
  std::unique_ptr<protocol::picoboot::Client> client_;
  bool rebooted_ = false;
};

}  // namespace omv::flash
