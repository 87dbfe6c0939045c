#include "debug/rtt/gdb_memory_port.h"

namespace omv::debug::rtt {
namespace {

constexpr protocol::gdb::Millis kStopTimeout{3000};

}  // namespace

bool must_halt_to_read(const protocol::gdb::Features& features) {
  return !features.supports("QStartNoAckMode") || !features.supports("qXfer:memory-map:read") ||
         features.supports("QNonStop");
}

GdbMemoryPort::GdbMemoryPort(protocol::gdb::Client& client, bool halt_to_read)
    : client_(client), halt_to_read_(halt_to_read) {}

std::vector<uint8_t> GdbMemoryPort::read(uint64_t address, size_t length) { return client_.read_memory(address, length); }

void GdbMemoryPort::write(uint64_t address, std::span<const uint8_t> data) { client_.write_memory(address, data); }

void GdbMemoryPort::begin() {
  if (!halt_to_read_ || !running_) return;
  client_.interrupt(kStopTimeout);
  running_ = false;
  halted_for_read_ = true;
  halted_at_ = std::chrono::steady_clock::now();
}

void GdbMemoryPort::end() {
  if (!halt_to_read_ || running_) return;
  client_.resume();
  running_ = true;
  if (halted_for_read_) halted_ += std::chrono::steady_clock::now() - halted_at_;
  halted_for_read_ = false;
}

void GdbMemoryPort::run() {
  if (running_) return;
  client_.resume();
  running_ = true;
}

void GdbMemoryPort::finish() {
  if (running_) client_.interrupt(kStopTimeout);
  running_ = false;
  client_.detach();
}

}  // namespace omv::debug::rtt
