// The live per-camera block on a terminal: rows added as cameras arrive (watch mode), with their
// port, and a row's result set by an info event carrying row_result.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "discovery/fleet_progress.h"

namespace omv::test::fleet_progress_test {
namespace {

struct Captured {
  char* data = nullptr;
  size_t size = 0;
  FILE* file = open_memstream(&data, &size);
  ~Captured() {
    if (file) std::fclose(file);
    std::free(data);
  }
  std::string text() {
    std::fflush(file);
    return std::string(data, size);
  }
};

Event event(Event::Type type, const std::string& source, const std::string& message = {}) {
  Event e;
  e.type = type;
  e.source = source;
  e.message = message;
  return e;
}

TEST(FleetProgress, RowsAddedAsCamerasArriveShowTheirPortAndResult) {
  Captured out;
  {
    discovery::FleetProgressSink sink({}, out.file);
    sink.add_row("CAM1", "/dev/ttyACM0");
    auto begin = event(Event::Type::phase_begin, "CAM1", "erasing and writing");
    begin.phase = "write";
    begin.total = 1000;
    sink.emit(begin);
    auto progress = event(Event::Type::progress, "CAM1");
    progress.done = 500;
    progress.total = 1000;
    sink.emit(progress);
    sink.add_row("CAM2", "/dev/ttyACM1");
    auto done = event(Event::Type::info, "CAM1", "flashed: wrote 1000 B");
    done.data = {{"row_result", "flashed"}, {"detail", "wrote 1000 B"}};
    sink.emit(done);
  }
  const std::string text = out.text();
  EXPECT_NE(text.find("[CAM1] /dev/ttyACM0 write"), std::string::npos) << text;
  EXPECT_NE(text.find(" 50%"), std::string::npos) << text;
  EXPECT_NE(text.find("[CAM2] /dev/ttyACM1 waiting"), std::string::npos) << text;
  EXPECT_NE(text.find("flashed wrote 1000 B"), std::string::npos) << text;
  // The block was two rows high when it was last redrawn: the cursor goes up two lines.
  EXPECT_NE(text.rfind("\033[2F"), std::string::npos) << text;
}

}  // namespace
}  // namespace omv::test::fleet_progress_test
