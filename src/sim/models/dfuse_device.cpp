#include "sim/models/dfuse_device.h"

#include "core/error.h"
#include "core/numbers.h"

namespace omv::sim {

using dfu::Status;

DfuseDeviceModel::DfuseDeviceModel(ModelContext& ctx, const DfuseIdentity& identity)
    : DfuDeviceModel(ctx), transfer_size_(identity.transfer_size) {
  id_.id = identity.id;
  id_.bcd_device = identity.bcd_device;
  id_.manufacturer = identity.manufacturer;
  id_.product = identity.product;
  id_.serial = ctx.serial;
  id_.generation = 1;
  dfu::FunctionalDescriptor fd;
  fd.attributes = identity.attributes;
  fd.detach_timeout_ms = identity.detach_timeout;
  fd.transfer_size = identity.transfer_size;
  fd.dfu_version = 0x011A;
  for (const auto& m : ctx.board.memories) {
    if (!m.dfuse_alt || m.dfuse_layout.empty()) continue;
    std::string why;
    auto layout = dfu::parse_memory_layout(m.dfuse_layout, &why);
    if (!layout)
      fail(ErrorKind::bad_board_data, ctx.board.target + ": memory " + m.name + " has a bad DfuSe layout: " + why);
    alts_[static_cast<uint8_t>(*m.dfuse_alt)] = Alt{ctx.memories.find(m.name), *layout};
    transport::UsbInterfaceInfo itf;
    itf.alt = static_cast<uint8_t>(*m.dfuse_alt);
    itf.cls = dfu::kDfuClass;
    itf.subclass = dfu::kDfuSubclass;
    itf.protocol = dfu::kDfuModeProtocol;
    itf.name = m.dfuse_layout;
    itf.extra = fd.encode();
    id_.interfaces.push_back(std::move(itf));
  }
  if (alts_.empty())
    fail(ErrorKind::unsupported, ctx.board.target + " has no memory with a DfuSe layout in its board data",
         "this board's ROM bootloader is not a DfuSe device omv can simulate");
  pointer_ = alts_.begin()->second.layout.segments.front().start;
}

const DfuseDeviceModel::Alt* DfuseDeviceModel::current() const {
  auto it = alts_.find(alt());
  return it == alts_.end() ? nullptr : &it->second;
}

bool DfuseDeviceModel::range_ok(const Alt& a, uint64_t addr, uint64_t length,
                                bool (dfu::LayoutSegment::*attr)() const) const {
  if (!a.memory || !a.memory->contains(addr, length)) return false;
  for (uint64_t p = addr; p < addr + length;) {
    const auto* s = a.layout.find(p);
    if (!s || !(s->*attr)()) return false;
    p = s->end;
  }
  return true;
}

DfuDeviceModel::Result DfuseDeviceModel::download(uint16_t block, std::span<const uint8_t> data) {
  const Alt* a = current();
  if (!a) return {Status::errTARGET};
  if (block == 0) {
    auto address = [&] {
      return uint64_t{data[1]} | uint64_t{data[2]} << 8 | uint64_t{data[3]} << 16 | uint64_t{data[4]} << 24;
    };
    if (data[0] == 0x21 && data.size() == 5) {
      counters_["cmd_set_address"]++;
      pointer_ = address();
      return {};
    }
    if (data[0] == 0x41 && data.size() == 5) {
      counters_["cmd_erase"]++;
      uint64_t addr = address();
      if (!range_ok(*a, addr, 1, &dfu::LayoutSegment::erasable)) return {Status::errTARGET};
      auto unit = a->memory->erase_unit(addr);
      return {Status::OK, stays_busy_after_erase(unit.start)};
    }
    if (data[0] == 0x41 && data.size() == 1) {
      counters_["cmd_mass_erase"]++;
      for (const auto& s : a->layout.segments)
        if (s.erasable())
          for (uint64_t p = s.start; p < s.end; p += s.page_size) a->memory->erase_unit(p);
      return {};
    }
    if (data[0] == 0x92 && data.size() == 1) {
      counters_["cmd_read_unprotect"]++;
      a->memory->erase_all();
      request_mode(ctx().mode);  // it resets itself afterwards
      return {};
    }
    counters_["cmd_unknown"]++;
    return {Status::errSTALLEDPKT};
  }
  if (block == 1) return {Status::errTARGET};
  const uint64_t addr = pointer_ + uint64_t{block - 2u} * transfer_size_;
  if (!range_ok(*a, addr, data.size(), &dfu::LayoutSegment::writable)) return {Status::errTARGET};
  a->memory->program(addr, data);
  counters_["blocks_written"]++;
  return {};
}

uint32_t DfuseDeviceModel::poll_timeout(uint16_t block, std::span<const uint8_t> data) {
  const Alt* a = current();
  if (!a || !a->memory) return 0;
  std::chrono::nanoseconds t{0};
  if (block == 0 && !data.empty() && data[0] == 0x41) {
    if (data.size() == 5) {
      uint64_t addr = uint64_t{data[1]} | uint64_t{data[2]} << 8 | uint64_t{data[3]} << 16 | uint64_t{data[4]} << 24;
      auto unit = a->memory->memory().erase_unit_at(addr);
      t = a->memory->erase_cost(unit ? unit->size : 0);
    } else {
      for (const auto& seg : a->layout.segments)
        if (seg.erasable()) t += a->memory->erase_cost(seg.page_size) * static_cast<int64_t>((seg.end - seg.start) / seg.page_size);
    }
  } else if (block >= 2) {
    t = a->memory->program_cost(data.size());
  }
  return static_cast<uint32_t>(ctx().scaled(t).count());
}

Status DfuseDeviceModel::upload(uint16_t block, uint16_t length, std::vector<uint8_t>& data) {
  const Alt* a = current();
  if (!a) return Status::errTARGET;
  if (block == 0) {
    data = {0x00, 0x21, 0x41, 0x92};
    if (data.size() > length) data.resize(length);
    return Status::OK;
  }
  if (block == 1) return Status::errSTALLEDPKT;
  // ST's address arithmetic uses the transfer size, so a short last block still reads its own place.
  const uint64_t addr = pointer_ + uint64_t{block - 2u} * transfer_size_;
  if (!range_ok(*a, addr, length, &dfu::LayoutSegment::readable)) return Status::errTARGET;
  data = a->memory->read(addr, length);
  return Status::OK;
}

}  // namespace omv::sim
