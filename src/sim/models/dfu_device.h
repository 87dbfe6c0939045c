#pragma once
// The device side of the DFU 1.1 class state machine (DFU 1.1 appendix A, as TinyUSB and ST's
// loaders implement it), shared by the three DFU bootloader models. A subclass supplies what the
// bootloader does with a block (download), where uploads come from, what manifestation and
// DETACH mean, and its identity. Faults from the FaultPlan are committed here, once for all:
// stall (a DNLOAD is stalled), err_write (a block fails with errWRITE), busy_forever (the
// device stays in dfuDNBUSY until cleared).
#include <map>
#include <string>

#include "protocol/dfu/dfu_types.h"
#include "sim/model.h"
#include "sim/model_registry.h"

namespace omv::sim {

class DfuDeviceModel : public UsbDeviceModel {
 public:
  explicit DfuDeviceModel(ModelContext& ctx);

  Reply control(const SetupPacket& setup, std::span<const uint8_t> out_data) override;
  void set_alt_setting(uint8_t interface, uint8_t alt) override;
  void bus_reset() override;
  nlohmann::json stats() const override;
  std::optional<std::string> take_mode_change() override;

 protected:
  struct Result {
    dfu::Status status = dfu::Status::OK;
    bool stuck_busy = false;  // the loader stays in dfuDNBUSY afterwards (a ROM quirk)
  };
  // A downloaded block, executed on the GETSTATUS that follows it.
  virtual Result download(uint16_t block, std::span<const uint8_t> data) = 0;
  // The bwPollTimeout reported with dfuDNBUSY for this block (already scaled), in ms.
  virtual uint32_t poll_timeout(uint16_t block, std::span<const uint8_t> data) = 0;
  // An UPLOAD: data (may be short), or a status to fail with (then the request stalls).
  virtual dfu::Status upload(uint16_t block, uint16_t length, std::vector<uint8_t>& data) = 0;
  // A zero-length DNLOAD in dfuIDLE (nothing downloaded): true when the loader takes it as
  // "done" (DfuSe leave), false → errNOTDONE (plain DFU).
  virtual bool end_of_download() { return false; }
  virtual void manifest() {}
  virtual bool manifestation_tolerant() const = 0;
  // DfuSe: a short UPLOAD frame does not end the upload (the host ABORTs).
  virtual bool short_upload_ends() const { return true; }
  virtual void detach() { request_mode("app"); }
  // Session boundaries (manifest, reset): loaders that keep per-download state clear it.
  virtual void end_session() {}

  void request_mode(std::string mode) { next_mode_ = std::move(mode); }
  uint8_t alt() const { return alt_; }
  ModelContext& ctx() { return ctx_; }
  const ModelContext& ctx() const { return ctx_; }
  std::map<std::string, uint64_t> counters_;

 private:
  Reply status_reply();
  Reply stall_with(dfu::Status status);
  void enter_error(dfu::Status status);

  ModelContext& ctx_;
  dfu::State state_ = dfu::State::dfuIDLE;
  dfu::Status status_ = dfu::Status::OK;
  uint8_t alt_ = 0;
  bool pending_ = false;
  bool stuck_ = false;
  bool manifest_done_ = false;
  uint16_t pending_block_ = 0;
  std::vector<uint8_t> pending_data_;
  std::optional<std::string> next_mode_;
};

}  // namespace omv::sim
