#include "sim/flash_memory.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bit>
#include <cerrno>
#include <cmath>
#include <cstring>

#include "core/error.h"
#include "core/numbers.h"

namespace omv::sim {
namespace {

[[noreturn]] void io_fail(const std::string& what, const std::filesystem::path& file) {
  fail(ErrorKind::io, what + " " + file.string() + ": " + std::strerror(errno));
}

void fill_erased(int fd, size_t size, const std::filesystem::path& file) {
  std::vector<uint8_t> ff(1 << 20, 0xFF);
  size_t done = 0;
  while (done < size) {
    size_t n = std::min(ff.size(), size - done);
    ssize_t w = ::pwrite(fd, ff.data(), n, static_cast<off_t>(done));
    if (w <= 0) io_fail("cannot write", file);
    done += static_cast<size_t>(w);
  }
}

std::chrono::nanoseconds from_ms(double ms) {
  return std::chrono::nanoseconds(static_cast<int64_t>(std::llround(ms * 1e6)));
}

}  // namespace

FlashMemory::FlashMemory(const boards::Memory& memory, const std::filesystem::path& file)
    : memory_(memory), file_(file), size_(static_cast<size_t>(memory.size)) {
  fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) io_fail("cannot open", file);
  struct stat st {};
  if (::fstat(fd_, &st) != 0) io_fail("cannot stat", file);
  if (static_cast<uint64_t>(st.st_size) != memory.size) {
    // A new camera (or a memory file of another size): start erased.
    if (::ftruncate(fd_, 0) != 0 || ::ftruncate(fd_, static_cast<off_t>(size_)) != 0) io_fail("cannot size", file);
    fill_erased(fd_, size_, file);
  }
  void* map = ::mmap(nullptr, size_, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, 0);
  if (map == MAP_FAILED) io_fail("cannot map", file);
  data_ = static_cast<uint8_t*>(map);
}

FlashMemory::~FlashMemory() {
  if (data_) {
    ::msync(data_, size_, MS_ASYNC);
    ::munmap(data_, size_);
  }
  if (fd_ >= 0) ::close(fd_);
}

bool FlashMemory::contains(uint64_t addr, uint64_t length) const {
  return addr >= memory_.base && length <= memory_.size && addr - memory_.base <= memory_.size - length;
}

std::vector<uint8_t> FlashMemory::read(uint64_t addr, size_t length) {
  if (!contains(addr, length))
    fail(ErrorKind::failure, "virtual memory " + memory_.name + ": read outside " + hex32(addr));
  counters_.bytes_read += length;
  const uint8_t* p = at(addr);
  return std::vector<uint8_t>(p, p + length);
}

bool FlashMemory::is_unit_start(uint64_t addr) const {
  if (!has_erase()) return false;
  auto unit = memory_.erase_unit_at(addr);
  return unit && unit->start == addr;
}

std::chrono::nanoseconds FlashMemory::erase_cost(uint64_t unit_size) const {
  const auto& t = memory_.timing;
  if (t.erase_ms_per_kib > 0) return from_ms(t.erase_ms_per_kib * static_cast<double>(unit_size) / 1024.0);
  return from_ms(t.erase_typ_ms);
}

std::chrono::nanoseconds FlashMemory::program_cost(uint64_t length) const {
  uint64_t unit = memory_.program_unit ? memory_.program_unit : 1;
  uint64_t units = (length + unit - 1) / unit;
  return from_ms(static_cast<double>(units) * memory_.timing.program_us_per_unit / 1000.0);
}

boards::Memory::Unit FlashMemory::erase_unit(uint64_t addr) {
  auto unit = memory_.erase_unit_at(addr);
  if (!unit) fail(ErrorKind::failure, "virtual memory " + memory_.name + ": erase outside " + hex32(addr));
  if (!has_erase()) return *unit;
  std::memset(at(unit->start), 0xFF, static_cast<size_t>(unit->size));
  counters_.erases++;
  counters_.bytes_erased += unit->size;
  auto cost = erase_cost(unit->size);
  counters_.erase_time += cost;
  pending_ += cost;
  return *unit;
}

void FlashMemory::erase_all() {
  if (!has_erase()) return;
  uint64_t addr = memory_.base;
  while (addr < memory_.end()) addr += erase_unit(addr).size;
}

void FlashMemory::program(uint64_t addr, std::span<const uint8_t> data) {
  if (!contains(addr, data.size()))
    fail(ErrorKind::failure, "virtual memory " + memory_.name + ": program outside " + hex32(addr));
  uint8_t* p = at(addr);
  if (has_erase()) {
    for (size_t i = 0; i < data.size(); ++i) {
      uint8_t result = static_cast<uint8_t>(p[i] & data[i]);
      counters_.bits_not_erased += static_cast<uint64_t>(std::popcount(static_cast<uint8_t>(data[i] & ~p[i])));
      p[i] = result;
    }
  } else {
    std::memcpy(p, data.data(), data.size());
  }
  counters_.program_ops++;
  counters_.bytes_programmed += data.size();
  auto cost = program_cost(data.size());
  counters_.program_time += cost;
  pending_ += cost;
}

std::chrono::nanoseconds FlashMemory::take_busy_time() {
  auto t = pending_;
  pending_ = {};
  return t;
}

nlohmann::json FlashMemory::stats() const {
  return {{"file", file_.filename().string()},
          {"erases", counters_.erases},
          {"bytes_erased", counters_.bytes_erased},
          {"program_ops", counters_.program_ops},
          {"bytes_programmed", counters_.bytes_programmed},
          {"bytes_read", counters_.bytes_read},
          {"bits_not_erased", counters_.bits_not_erased},
          {"erase_ns", counters_.erase_time.count()},
          {"program_ns", counters_.program_time.count()}};
}

MemoryBank::MemoryBank(const boards::Board& board, const std::filesystem::path& state_dir) {
  for (const auto& m : board.memories)
    memories_.push_back(std::make_unique<FlashMemory>(m, state_dir / (m.name + ".bin")));
}

FlashMemory* MemoryBank::find(const std::string& name) {
  for (auto& m : memories_)
    if (m->memory().name == name) return m.get();
  return nullptr;
}

FlashMemory* MemoryBank::at(uint64_t addr, uint64_t length) {
  for (auto& m : memories_)
    if (m->contains(addr, length)) return m.get();
  return nullptr;
}

std::chrono::nanoseconds MemoryBank::take_busy_time() {
  std::chrono::nanoseconds t{0};
  for (auto& m : memories_) t += m->take_busy_time();
  return t;
}

nlohmann::json MemoryBank::stats() const {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& m : memories_) j[m->memory().name] = m->stats();
  return j;
}

std::map<std::string, FlashCounters> MemoryBank::counters() const {
  std::map<std::string, FlashCounters> out;
  for (const auto& m : memories_) out[m->memory().name] = m->counters();
  return out;
}

void MemoryBank::carry_counters(const std::map<std::string, FlashCounters>& counters) {
  for (auto& m : memories_)
    if (auto it = counters.find(m->memory().name); it != counters.end()) m->carry_counters(it->second);
}

}  // namespace omv::sim
