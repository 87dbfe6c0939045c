#pragma once
// A bootloader session as the flash executor sees it: read, erase and write over the addresses
// of the board's partitions, plus what the bootloader can do. One adapter per bootloader family
// (openmv_dfu, st_rom_dfuse, arduino_dfuse here; NXP blhost, SAM-BA, PICOBOOT elsewhere)
// registers a factory keyed by the board's bootloader type:
//
//   static const omv::flash::RegisterSession reg{"nxp_sdp_blhost", [](omv::flash::SessionRequest& r) {
//       return std::make_unique<BlhostSession>(r); }};
//
// Every address is in the partition's memory addressing (Partition::start..end); the partition
// is passed along because memories may share an address space (QSPI offsets from 0).
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "boards/board.h"
#include "core/events.h"
#include "transport/hid.h"
#include "transport/usb.h"

namespace omv::flash {

struct Capabilities {
  bool can_read = false;         // read-back: skip-unchanged, --verify, omv read
  bool erase_on_write = false;   // a write that starts an erase unit erases it (openmv_dfu)
  bool explicit_erase = false;   // erase() erases whole erase units (DfuSe, blhost)
  uint32_t write_alignment = 1;  // writes start at partition start + k x this
  uint32_t max_chunk = 4096;     // largest write() the executor sends at once
  // erase() clears everything from its address to the end of the writable area (SAM-BA `X`):
  // the planner then rewrites every unit after the first one it changes.
  bool erase_to_end = false;
  // read(), erase() and write() each take a run of many erase units as one command (blhost):
  // adjacent units are joined into runs of up to max_chunk, so a command's round trips are paid
  // per run instead of per unit.
  bool spans_units = false;
};

// Who answered: what the production log records of each camera. Empty fields are unknown.
struct SessionIdentity {
  std::string serial;
  std::string location;            // USB bus-port, or the serial port
  std::string bootloader_version;  // as the bootloader reports it
};

class Session {
 public:
  virtual ~Session() = default;
  virtual Capabilities capabilities() const = 0;
  // "OpenMV Cam H7 bootloader 37C5:9204 serial ..., bootloader 1.0.3".
  virtual std::string describe() const = 0;
  virtual SessionIdentity identity() const { return {}; }
  // Writes to this partition must begin at its start in every session (the OpenMV bootloader
  // unlocks memory-mapped partitions only on block 0).
  virtual bool writes_start_at_partition_start(const boards::Partition&) const { return false; }
  // Throws Error{refused} when the device will not let [address, address+length) be written
  // (e.g. a DfuSe layout marks it read-only). Called for every image before anything is written.
  virtual void check_writable(const boards::Partition&, uint64_t /*address*/, uint64_t /*length*/) {}
  virtual std::vector<uint8_t> read(const boards::Partition& part, uint64_t address, size_t length,
                                    const std::function<void(size_t)>& on_progress) = 0;
  // Whether the device holds exactly `expected` at `address`, decided on the device (a checksum
  // command) instead of reading it back; nullopt when the bootloader cannot (the caller reads).
  virtual std::optional<bool> device_compare(const boards::Partition&, uint64_t /*address*/,
                                             std::span<const uint8_t> /*expected*/) {
    return std::nullopt;
  }
  virtual void erase(const boards::Partition& part, uint64_t address, uint64_t length) = 0;
  virtual void write(const boards::Partition& part, uint64_t address, std::span<const uint8_t> data) = 0;
  // Ends the writes to a partition (DFU manifestation).
  virtual void finish(const boards::Partition& part) = 0;
  // Leaves the bootloader and starts the firmware.
  virtual void reset() = 0;
};

// What an adapter needs to find and open its device.
struct SessionRequest {
  const boards::Board& board;
  std::string mode = "bootloader";   // usb-id key of the board: bootloader, rom, flashloader...
  std::string serial;                // --serial; empty = the only matching device
  transport::UsbBus* usb = nullptr;
  transport::HidBus* hid = nullptr;
  Reporter reporter;
  std::chrono::milliseconds wait{0}; // how long to wait for the device to appear
};

using SessionFactory = std::function<std::unique_ptr<Session>(SessionRequest&)>;

void register_session(const std::string& bootloader_type, SessionFactory factory);
const SessionFactory* find_session(const std::string& bootloader_type);
// The session for the board's bootloader type (or `type_override`, e.g. st_rom_dfuse for recovery).
std::unique_ptr<Session> open_session(SessionRequest& request, const std::string& type_override = {});

struct RegisterSession {
  RegisterSession(const std::string& type, SessionFactory f) { register_session(type, std::move(f)); }
};

}  // namespace omv::flash
