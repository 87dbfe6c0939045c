#include "protocol/dfu/clock.h"

#include <thread>

namespace omv::dfu {
namespace {

class RealClock : public Clock {
 public:
  std::chrono::steady_clock::time_point now() override { return std::chrono::steady_clock::now(); }
  void sleep_for(std::chrono::milliseconds d) override {
    if (d.count() > 0) std::this_thread::sleep_for(d);
  }
};

}  // namespace

Clock& Clock::real() {
  static RealClock clock;
  return clock;
}

}  // namespace omv::dfu
