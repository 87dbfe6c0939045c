#include "boards/checkout.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "core/error.h"
#include "core/text.h"

namespace omv::boards {
namespace fs = std::filesystem;

namespace {

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(ErrorKind::io, fmt::format("{}: cannot read", path.string()));
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// "STM32H743xx" and "STM32H743" name the same part; so do "NRF52840" and "nrf52840".
std::string normalise_mcu(std::string mcu) {
  mcu = to_upper(mcu);
  while (mcu.size() > 2 && mcu.substr(mcu.size() - 2) == "XX") mcu.resize(mcu.size() - 2);
  return mcu;
}

std::string jlink_device_of(const std::string& args) {
  auto pos = args.find("--device");
  if (pos == std::string::npos) return {};
  std::string rest(trim(args.substr(pos + 8)));
  if (!rest.empty() && rest.front() == '=') rest = std::string(trim(rest.substr(1)));
  return rest.substr(0, rest.find_first_of(" \t"));
}

}  // namespace

const CheckoutBoard* Checkout::board(const std::string& target) const {
  for (const auto& b : boards)
    if (iequals(b.target, target)) return &b;
  return nullptr;
}

bool looks_like_checkout(const fs::path& dir) {
  std::error_code ec;
  return fs::is_regular_file(dir / "SDK_VERSION", ec) && fs::is_directory(dir / "boards", ec) &&
         fs::is_regular_file(dir / "Makefile", ec);
}

std::optional<fs::path> find_checkout_root(fs::path start) {
  std::error_code ec;
  start = fs::absolute(start, ec);
  for (fs::path dir = start; !dir.empty(); dir = dir.parent_path()) {
    if (looks_like_checkout(dir)) return dir;
    if (dir == dir.root_path()) break;
  }
  return std::nullopt;
}

Checkout read_checkout(const fs::path& root) {
  if (!looks_like_checkout(root))
    fail(ErrorKind::usage, fmt::format("{}: not a firmware checkout (needs SDK_VERSION, boards/ and Makefile)", root.string()),
         "run omv inside an openmv checkout, or pass --repo DIR ('omv clone' fetches one)");
  Checkout co;
  co.root = root;
  co.sdk_version = std::string(trim(read_text(root / "SDK_VERSION")));
  std::vector<fs::path> dirs;
  for (const auto& entry : fs::directory_iterator(root / "boards"))
    if (entry.is_directory() && fs::exists(entry.path() / "board_config.mk")) dirs.push_back(entry.path());
  std::sort(dirs.begin(), dirs.end());
  for (const auto& dir : dirs) {
    CheckoutBoard b;
    b.target = dir.filename().string();
    b.config_file = dir / "board_config.mk";
    b.make = read_make(read_text(b.config_file), {{"TARGET", b.target}});
    if (b.make.error) {
      b.supported = false;
      b.unsupported_reason = *b.make.error;
    }
    co.boards.push_back(std::move(b));
  }
  return co;
}

std::vector<Disagreement> compare_with(const Checkout& checkout, const BoardDb& db) {
  std::vector<Disagreement> out;
  for (const auto& cb : checkout.boards) {
    const Board* b = db.find(cb.target);
    if (!b || !cb.supported) continue;
    auto check = [&](const std::string& field, const std::string& variable, const std::string& built_in,
                     const std::string& value, bool equal) {
      if (!equal) out.push_back({cb.target, field, variable, built_in, value});
    };
    if (const auto* mcu = cb.var("MCU"))
      check("mcu", "MCU", b->mcu, *mcu, normalise_mcu(*mcu).rfind(normalise_mcu(b->mcu), 0) == 0 ||
                                          normalise_mcu(b->mcu).rfind(normalise_mcu(*mcu), 0) == 0);
    if (const auto* port = cb.var("PORT")) check("port", "PORT", b->port, *port, *port == b->port);
    if (const auto* cpu = cb.var("CPU")) check("core", "CPU", b->core, *cpu, iequals(*cpu, b->core));
    const auto* vid = cb.var("OMV_USB_VID");
    const auto* pid = cb.var("OMV_USB_PID");
    if (vid && pid) {
      auto v = parse_u64(*vid), p = parse_u64(*pid);
      auto app = b->usb_id("app");
      if (v && p && app) {
        UsbId id{static_cast<uint16_t>(*v), static_cast<uint16_t>(*p)};
        check("usb.app", "OMV_USB_VID/PID", format_usb_id(*app), format_usb_id(id), id == *app);
      }
    }
    if (const auto* addr = cb.var("OMV_FIRM_ADDR")) {
      auto a = parse_u64(*addr);
      const Partition* fw = b->partition_by_role("firmware");
      if (a && fw) {
        const Memory* m = b->memory(fw->memory);
        uint64_t cpu_view = fw->start - m->base + m->xip_base.value_or(m->base);
        // Address-based loaders may be offset from the CPU view (SAM-BA); only compare when both are CPU addresses.
        check("partitions.FIRMWARE.start", "OMV_FIRM_ADDR", hex32(cpu_view), *addr, *a == cpu_view);
      }
    }
    if (const auto* args = cb.var("OMV_JLINK_ARGS")) {
      std::string dev = jlink_device_of(*args);
      if (!dev.empty()) check("debug.jlink_device", "OMV_JLINK_ARGS", b->debug.jlink_device, dev, dev == b->debug.jlink_device);
    }
    if (const auto* elf = cb.var("OMV_DEBUG_ELF"))
      check("debug.elf", "OMV_DEBUG_ELF", b->debug.elf, *elf + ".elf", *elf + ".elf" == b->debug.elf);
  }
  return out;
}

}  // namespace omv::boards
