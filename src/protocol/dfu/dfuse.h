#pragma once
// ST DfuSe (DFU 1.1a) on top of a DfuInterface: commands are DNLOAD block 0 (0x21 set address,
// 0x41 erase page / mass erase, 0x92 read unprotect), executed on the GETSTATUS that follows
// (dfuDNBUSY, then dfuDNLOAD-IDLE); data blocks are DNLOAD/UPLOAD block n >= 2 at
// address pointer + (n - 2) x wLength. Writes set the address before every chunk (as dfu-util),
// so the device's block arithmetic only matters for uploads.
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "protocol/dfu/dfu_interface.h"

namespace omv::dfu {

class DfuseTarget {
 public:
  explicit DfuseTarget(DfuInterface& dfu) : dfu_(dfu) {}

  void set_address(uint32_t address, Millis budget);
  void erase_page(uint32_t address, Millis budget);
  void mass_erase(Millis budget);
  // The supported command bytes (UPLOAD block 0).
  std::vector<uint8_t> get_commands();
  // One chunk (<= wTransferSize) at address; budget covers programming it.
  void write_chunk(uint32_t address, std::span<const uint8_t> data, Millis budget);
  // Reads out.size() bytes from address; `on_progress(done)` after each transfer.
  void read(uint32_t address, std::span<uint8_t> out, Millis per_transfer,
            const std::function<void(size_t)>& on_progress = {});
  // Leave DFU and run from `address` (or the address pointer). The device disconnects.
  void leave(std::optional<uint32_t> address);

 private:
  void command(std::span<const uint8_t> bytes, Millis budget, const std::string& what);
  DfuInterface& dfu_;
};

}  // namespace omv::dfu
