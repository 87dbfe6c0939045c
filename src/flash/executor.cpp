#include "flash/executor.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "core/error.h"
#include "core/numbers.h"

namespace omv::flash {
namespace {

bool all_ff(std::span<const uint8_t> b) {
  return std::all_of(b.begin(), b.end(), [](uint8_t x) { return x == 0xFF; });
}

}  // namespace

nlohmann::json Outcome::to_json() const {
  double rate = seconds > 0 ? static_cast<double>(image_bytes) / 1024.0 / seconds : 0;
  return {{"written_bytes", written_bytes}, {"erased_bytes", erased_bytes}, {"skipped_bytes", skipped_bytes},
          {"verified_bytes", verified_bytes}, {"image_bytes", image_bytes}, {"seconds", seconds},
          {"rate_kib_s", rate}};
}

std::string Outcome::summary() const {
  double rate = seconds > 0 ? static_cast<double>(image_bytes) / 1024.0 / seconds : 0;
  std::string s = fmt::format("wrote {}, skipped {}", human_size(written_bytes), human_size(skipped_bytes));
  if (erased_bytes) s += fmt::format(", erased {}", human_size(erased_bytes));
  s += fmt::format(", verified {} in {:.1f} s ({:.0f} KiB/s effective)", human_size(verified_bytes), seconds, rate);
  return s;
}

uint64_t verify_images(const Plan& plan, Session& session, Reporter& reporter, bool only_changed) {
  uint64_t total = 0;
  for (const auto& ip : plan.images)
    for (const auto& u : ip.units)
      if (!only_changed || u.action != Action::skip) total += expected_unit(ip, u).size();
  if (!total) return 0;
  reporter.begin("verify", total, "reading back");
  uint64_t done = 0;
  const auto caps = session.capabilities();
  for (const auto& ip : plan.images) {
    // Runs of units with one action: a skipped unit is not joined to a changed one.
    for (const auto& u : command_units(ip.units, caps, true)) {
      if (only_changed && u.action == Action::skip) continue;
      auto expected = expected_unit(ip, u);
      // A device-side comparison that agrees saves the read-back; a disagreement is read to name
      // the first differing address.
      if (session.device_compare(*ip.image->partition, u.start, expected) == true) {
        done += expected.size();
        reporter.progress(done);
        continue;
      }
      auto actual = session.read(*ip.image->partition, u.start, expected.size(),
                                 [&](size_t n) { reporter.progress(done + n); });
      auto diff = std::mismatch(expected.begin(), expected.end(), actual.begin(), actual.end());
      if (diff.first != expected.end()) {
        uint64_t at = u.start + static_cast<uint64_t>(diff.first - expected.begin());
        std::string got = diff.second != actual.end() ? fmt::format("0x{:02X}", *diff.second) : "nothing";
        fail(ErrorKind::verify_failed,
             fmt::format("verify failed: {} differs at {} in {} (device has {}, expected 0x{:02X})", ip.image->label,
                         hex32(at), ip.image->partition->name, got, *diff.first),
             "run the same command again; if it keeps failing the flash may be worn or protected");
      }
      done += expected.size();
      reporter.progress(done);
    }
  }
  reporter.end();
  return done;
}

Outcome execute(const boards::Board&, const Plan& plan, Session& session, const ExecuteOptions& options,
                Reporter& reporter) {
  const auto t0 = std::chrono::steady_clock::now();
  const auto caps = session.capabilities();
  Outcome out;
  for (const auto& ip : plan.images) {
    out.image_bytes += ip.image->erase_only ? ip.image->erase_length : ip.image->data.size();
    session.check_writable(*ip.image->partition, ip.image->address,
                           ip.image->erase_only ? ip.image->erase_length : ip.image->data.size());
  }
  const uint64_t total = plan.bytes(Action::write) + plan.bytes(Action::erase_only);
  out.skipped_bytes = plan.bytes(Action::skip);
  if (total) reporter.begin("write", total, "erasing and writing");
  uint64_t done = 0;
  for (const auto& ip : plan.images) {
    const auto& part = *ip.image->partition;
    const bool erasable = !ip.memory->erase_layout.empty();
    bool touched = false;
    for (const auto& u : command_units(ip.units, caps, true)) {
      if (u.action == Action::skip) continue;
      touched = true;
      const auto expected = expected_unit(ip, u);
      if (caps.explicit_erase && erasable) session.erase(part, u.start, u.size);
      if (u.action == Action::erase_only && caps.explicit_erase) {
        out.erased_bytes += u.size;
      } else {
        // Chunks on the device's write grid; after an erase, all-0xFF chunks need not be sent,
        // except the one that makes an erase-on-write loader erase the unit.
        const uint64_t align = std::max<uint64_t>(caps.write_alignment, 1);
        const uint64_t chunk = std::max<uint64_t>(caps.max_chunk / align * align, align);
        for (uint64_t off = 0; off < expected.size();) {
          uint64_t addr = u.start + off;
          uint64_t grid = (addr - part.start) % chunk;
          uint64_t len = std::min<uint64_t>(chunk - grid, expected.size() - off);
          std::span<const uint8_t> bytes(expected.data() + off, len);
          bool first = off == 0;
          if (!erasable || !all_ff(bytes) || (first && caps.erase_on_write)) {
            session.write(part, addr, bytes);
            out.written_bytes += len;
          }
          off += len;
          reporter.progress(done + off);
        }
        if (u.action == Action::erase_only) out.erased_bytes += u.size;
      }
      done += u.size;
      reporter.progress(done);
    }
    if (touched) session.finish(part);
  }
  if (total) reporter.end();
  if (options.verify) out.verified_bytes = verify_images(plan, session, reporter, true);
  if (options.reset) session.reset();
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

}  // namespace omv::flash
