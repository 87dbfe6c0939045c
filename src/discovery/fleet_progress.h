#pragma once
// On a terminal, one live line per camera (rows can be added as cameras arrive) while several work at once (the single-bar renderer
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
  // A row for a camera that arrived after the block was first drawn (watch mode), with where it
  // is (port or USB path) beside its name.
  void add_row(const std::string& source, const std::string& location);

 private:
  struct Line {
    std::string phase, label, unit;
    uint64_t done = 0, total = 0;
    std::string state;  // "", "FAILED", or the result an info event with `row_result` set
    std::string location;
  };
  void redraw();
  std::string render(const std::string& source, const Line& line) const;

  std::vector<std::string> sources_;
  FILE* out_;
  std::mutex mutex_;
  std::map<std::string, Line> lines_;
  bool drawn_ = false;
  size_t drawn_rows_ = 0;
};

// The sink to use for a fleet: a FleetProgressSink on a terminal, else `fallback`.
std::unique_ptr<EventSink> fleet_sink(RenderMode mode, std::vector<std::string> sources, EventSink& fallback);

}  // namespace omv::discovery
