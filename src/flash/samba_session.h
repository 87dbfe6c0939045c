#pragma once
// The flash executor's session over the SAM-BA bootloader of the Arduino Nano 33 BLE: the
// board's flash addresses mapped into the bootloader's own (minus loader.samba_address_base),
// `X` erase-to-end, buffered `S`+`Y` writes, `Z` checksums to compare and verify on the device,
// `R` reads, `K` reset. The bootloader itself refuses anything in its protected regions; the
// session refuses them earlier, before anything is sent.
#include <memory>
#include <optional>
#include <string>

#include "flash/session.h"
#include "protocol/samba/client.h"
#include "transport/serial.h"

namespace omv::flash {

class SambaSession : public Session {
 public:
  SambaSession(const boards::Board& board, transport::UsbDeviceInfo device, std::unique_ptr<transport::SerialPort> port,
               Reporter reporter);

  Capabilities capabilities() const override;
  std::string describe() const override;
  SessionIdentity identity() const override;
  void check_writable(const boards::Partition& part, uint64_t address, uint64_t length) override;
  std::vector<uint8_t> read(const boards::Partition& part, uint64_t address, size_t length,
                            const std::function<void(size_t)>& on_progress) override;
  std::optional<bool> device_compare(const boards::Partition& part, uint64_t address,
                                     std::span<const uint8_t> expected) override;
  void erase(const boards::Partition& part, uint64_t address, uint64_t length) override;
  void write(const boards::Partition& part, uint64_t address, std::span<const uint8_t> data) override;
  void finish(const boards::Partition&) override {}
  void reset() override;

  protocol::samba::Client& client() { return client_; }

 private:
  uint32_t loader_address(const boards::Partition& part, uint64_t address, uint64_t length, const char* what) const;
  uint64_t erase_end(uint64_t from) const;  // where the bootloader's X stops

  const boards::Board& board_;
  transport::UsbDeviceInfo device_;
  std::unique_ptr<transport::SerialPort> port_;
  Reporter reporter_;
  protocol::samba::Client client_;
  uint64_t base_ = 0;
  std::optional<uint64_t> erased_from_;   // everything from here up was erased in this session
  uint64_t written_end_ = 0;              // end of the highest write of this session
};

}  // namespace omv::flash
