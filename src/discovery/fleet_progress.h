#pragma once
// On a terminal, one live line per camera while several work at once (the single-bar renderer
// would make them overwrite each other). Other events are printed above the block. Off a
// terminal the events go to the normal renderer unchanged (plain lines and JSON already carry
// the camera as their source).
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/events.h"

namespace omv::discovery {

class FleetProgressSink : public EventSink {
 public:
  FleetProgressSink(std::vector<std::string> sources, FILE* out);
  ~FleetProgressSink() override;
  void emit(const Event& event) override;

 private:
  struct Line {
    std::string phase, label, unit;
    uint64_t done = 0, total = 0;
    std::string state;  // "", "done", "FAILED"
  };
  void redraw();
  std::string render(const std::string& source, const Line& line) const;

  std::vector<std::string> sources_;
  FILE* out_;
  std::mutex mutex_;
  std::map<std::string, Line> lines_;
  bool drawn_ = false;
};

// The sink to use for a fleet: a FleetProgressSink on a terminal, else `fallback`.
std::unique_ptr<EventSink> fleet_sink(RenderMode mode, std::vector<std::string> sources, EventSink& fallback);

}  // namespace omv::discovery
