#pragma once
// Time for the protocol engines, injectable so unit tests run engines against models without
// waiting: the real clock sleeps; a test clock only advances.
#include <chrono>

namespace omv::dfu {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::steady_clock::time_point now() = 0;
  virtual void sleep_for(std::chrono::milliseconds duration) = 0;
  static Clock& real();
};

}  // namespace omv::dfu
