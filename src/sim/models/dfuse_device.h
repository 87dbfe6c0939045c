#pragma once
// The device side of ST DfuSe (DFU 1.1a), shared by the ST system bootloader and the Arduino
// DFU bootloader models: one alt setting per memory that has a DfuSe layout in the board data
// (named by that layout string), commands on DNLOAD block 0, data at address pointer +
// (block - 2) x wLength, page erase only on request (programming is AND, so a host that skips
// the erase corrupts data), pages outside the layout or not writable/erasable → errTARGET,
// a zero-length DNLOAD leaves (dfuMANIFEST, then the device is gone).
#include "sim/models/dfu_device.h"
#include "protocol/dfu/dfuse_layout.h"

namespace omv::sim {

struct DfuseIdentity {
  UsbId id;
  uint16_t bcd_device = 0x0200;
  std::string manufacturer, product;
  uint8_t attributes = 0x0B;      // can download, can upload, will detach; not manifestation tolerant
  uint16_t detach_timeout = 255;
  uint16_t transfer_size = 2048;
};

class DfuseDeviceModel : public DfuDeviceModel {
 public:
  DfuseDeviceModel(ModelContext& ctx, const DfuseIdentity& identity);
  std::optional<transport::UsbDeviceInfo> identity() const override { return id_; }

 protected:
  Result download(uint16_t block, std::span<const uint8_t> data) override;
  uint32_t poll_timeout(uint16_t block, std::span<const uint8_t> data) override;
  dfu::Status upload(uint16_t block, uint16_t length, std::vector<uint8_t>& data) override;
  bool end_of_download() override { return true; }
  bool manifestation_tolerant() const override { return false; }
  bool short_upload_ends() const override { return false; }
  // Hook for loader quirks after a successful page erase (the H7 ROM's stuck dnBUSY).
  virtual bool stays_busy_after_erase(uint64_t /*page*/) const { return false; }

 private:
  struct Alt {
    FlashMemory* memory = nullptr;
    dfu::MemoryLayout layout;
  };
  const Alt* current() const;
  bool range_ok(const Alt& a, uint64_t addr, uint64_t length, bool (dfu::LayoutSegment::*attr)() const) const;

  transport::UsbDeviceInfo id_;
  std::map<uint8_t, Alt> alts_;
  uint32_t transfer_size_;
  uint64_t pointer_ = 0;
};

}  // namespace omv::sim
