#include "flash/op_budget.h"

#include <cmath>

namespace omv::flash {
namespace {

// Transfers, scheduling and a loaded host: added to every flash-work estimate.
constexpr double kMarginMs = 1000;
// Board data gives typical program times only; datasheets put the maximum at 2-4x typical.
constexpr double kProgramMaxFactor = 4;

Millis ms(double v) { return Millis(static_cast<int64_t>(std::ceil(v))); }

}  // namespace

Millis erase_budget(const boards::Memory& m, uint64_t unit_size) {
  const auto& t = m.timing;
  double typ = t.erase_ms_per_kib > 0 ? t.erase_ms_per_kib * static_cast<double>(unit_size) / 1024.0 : t.erase_typ_ms;
  double max = t.erase_max_ms > 0 && t.erase_ms_per_kib <= 0 ? t.erase_max_ms : 2 * typ;
  if (t.erase_ms_per_kib > 0 && t.erase_typ_ms > 0 && t.erase_max_ms > 0) max = typ * t.erase_max_ms / t.erase_typ_ms;
  return ms(max + kMarginMs);
}

Millis write_budget(const boards::Memory& m, uint64_t length, uint64_t erased_unit) {
  uint64_t unit = m.program_unit ? m.program_unit : 1;
  double program = static_cast<double>((length + unit - 1) / unit) * m.timing.program_us_per_unit / 1000.0 * kProgramMaxFactor;
  double total = program + kMarginMs;
  if (erased_unit) total += static_cast<double>(erase_budget(m, erased_unit).count());
  return ms(total);
}

}  // namespace omv::flash
