#pragma once
// Faults a virtual camera can be told to commit once, for the fault tests:
//   omv sim start ... --fault KIND@BYTES      or      omv sim fault --bus DIR --serial SN KIND@BYTES
// BYTES counts the data the host sent (control and bulk OUT) from the moment the fault is armed;
// the fault fires once, at the first chance after that many bytes. Kinds:
//   disconnect    the camera drops off the bus mid-transfer and comes back (re-enumerates)
//   stall         the next download request is stalled (device goes to its error state)
//   err_write     the next write fails (DFU errWRITE)
//   busy_forever  the next write never finishes: the device reports "busy" until cleared
//   wrong_phase   the next GetPhase (ST's DFU phase protocol) asks for phase 0x07, which no layout has
// and for the virtual probe (its GDB server; BYTES counts what debuggers sent it):
//   probe_drop     the server closes the connection at the next flash write, committing nothing staged
//   probe_error    the next flash write is answered E01
//   probe_silent   the server stops answering until the debugger connects again
//   probe_bad_crc  the next qCRC answer is wrong
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace omv::sim {

class FaultPlan {
 public:
  // Parses "KIND@BYTES" (BYTES may be omitted = 0, and takes K/M suffixes); Error{usage} if bad.
  void arm(const std::string& spec);
  void count_out_bytes(uint64_t bytes) { out_bytes_ += bytes; }
  // True exactly once for an armed fault of this kind whose byte threshold has passed.
  bool fire(std::string_view kind);
  bool pending(std::string_view kind) const;
  nlohmann::json stats() const;
  static const std::vector<std::string>& kinds();

 private:
  struct Fault {
    std::string kind;
    uint64_t at_bytes = 0;
    bool fired = false;
  };
  std::vector<Fault> faults_;
  uint64_t out_bytes_ = 0;
};

}  // namespace omv::sim
