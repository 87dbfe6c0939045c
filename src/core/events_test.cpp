#include "core/events.h"

#include <gtest/gtest.h>

namespace omv {

TEST(Events, ReporterEmitsPhasesInOrder) {
  RecordingSink sink;
  Reporter r(sink, "cam1");
  r.begin("write", 100, "FIRMWARE");
  r.progress(50);
  r.progress(100);
  r.end("ok", {{"bytes", 100}});
  r.warn("careful");
  auto events = sink.events();
  ASSERT_GE(events.size(), 4u);
  EXPECT_EQ(events.front().type, Event::Type::phase_begin);
  EXPECT_EQ(events.front().source, "cam1");
  EXPECT_EQ(events.front().total, 100u);
  EXPECT_EQ(events.back().type, Event::Type::warning);
  // The final progress event of a phase is never dropped by rate limiting.
  bool saw_complete = false;
  for (const auto& e : events)
    if (e.type == Event::Type::progress && e.done == 100) saw_complete = true;
  EXPECT_TRUE(saw_complete);
}

TEST(Events, JsonShape) {
  Event e;
  e.type = Event::Type::progress;
  e.phase = "erase";
  e.done = 4096;
  e.total = 8192;
  auto j = to_json(e);
  EXPECT_EQ(j["event"], "progress");
  EXPECT_EQ(j["phase"], "erase");
  EXPECT_EQ(j["done"], 4096);
  EXPECT_EQ(j["total"], 8192);
  EXPECT_FALSE(j.contains("source"));
}

}  // namespace omv
