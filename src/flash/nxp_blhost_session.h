#pragma once
// The flash executor's session over the NXP MCU bootloader (the RT1062's secure bootloader or
// RAM flashloader): read-memory, flash-erase-region and write-memory at the partitions'
// addresses, reset at the end.
#include <memory>
#include <string>

#include "flash/nxp_device.h"
#include "flash/session.h"

namespace omv::flash {

class BlhostSession : public Session {
 public:
  BlhostSession(const boards::Board& board, ClaimedLoader loader, Reporter reporter);

  Capabilities capabilities() const override;
  std::string describe() const override;
  SessionIdentity identity() const override;
  std::vector<uint8_t> read(const boards::Partition& part, uint64_t address, size_t length,
                            const std::function<void(size_t)>& on_progress) override;
  void erase(const boards::Partition& part, uint64_t address, uint64_t length) override;
  void write(const boards::Partition& part, uint64_t address, std::span<const uint8_t> data) override;
  void finish(const boards::Partition& part) override;
  void reset() override;

  protocol::nxp::mboot::Client& client() { return *loader_.client; }

 private:
  void check_range(const boards::Partition& part, uint64_t address, uint64_t length, const char* what) const;

  const boards::Board& board_;
  ClaimedLoader loader_;
  Reporter reporter_;
  NxpLoaderParams params_;
};

}  // namespace omv::flash
