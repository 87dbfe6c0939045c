#pragma once
// RTT's memory access through a GDB server. Servers that answer memory packets while the core
// runs (OpenOCD) are read in the background; the others (QEMU's gdbstub, where any byte pauses
// the machine; pyOCD in all-stop mode; J-Link's GDB server, whose RTT has its own port) are
// halted for each poll: interrupt, read, continue. The time the core spent halted is kept.
#include <chrono>

#include "debug/rtt/rtt_reader.h"
#include "protocol/gdb/client.h"

namespace omv::debug::rtt {

// Whether this server must halt the core to read memory, judged by its qSupported reply:
// no-ack mode and a memory map mark OpenOCD-like servers; QNonStop (pyOCD) means all-stop
// reads are blocked while running.
bool must_halt_to_read(const protocol::gdb::Features& features);

class GdbMemoryPort : public MemoryPort {
 public:
  GdbMemoryPort(protocol::gdb::Client& client, bool halt_to_read);
  std::vector<uint8_t> read(uint64_t address, size_t length) override;
  void write(uint64_t address, std::span<const uint8_t> data) override;
  void begin() override;
  void end() override;

  // The core runs from now on (servers halt it on connect).
  void run();
  // Stops the core and lets the server go (it resumes the core as it detaches).
  void finish();
  bool halts_to_read() const { return halt_to_read_; }
  // Time the core spent halted for reads (begin to end).
  std::chrono::nanoseconds halted_time() const { return halted_; }

 private:
  protocol::gdb::Client& client_;
  bool halt_to_read_;
  bool running_ = false;
  bool halted_for_read_ = false;  // begin() halted the core (not the server's halt on connect)
  std::chrono::steady_clock::time_point halted_at_{};
  std::chrono::nanoseconds halted_{0};
};

}  // namespace omv::debug::rtt
