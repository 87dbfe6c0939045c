#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <sstream>
#include <string>

#include "core/events.h"

namespace omv {
namespace {

// Renders a fixed sequence of events into a temporary stream and returns the text.
std::string render(RenderMode mode) {
  FILE* f = std::tmpfile();
  {
    auto sink = make_renderer(mode, f);
    Reporter r(*sink, "cam1");
    r.begin("write", 8192, "FIRMWARE");
    r.progress(8192);
    r.end("8 KiB written");
    r.warn("the ELF has no DWARF");
    r.result("done", {{"written", 8192}});
  }
  std::rewind(f);
  std::string text;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
  std::fclose(f);
  return text;
}

}  // namespace

TEST(Renderers, PlainWritesOneLinePerPhaseEdgeAndNoEscapes) {
  std::string text = render(RenderMode::plain);
  EXPECT_NE(text.find("[cam1] write: FIRMWARE\n"), std::string::npos) << text;
  EXPECT_NE(text.find("[cam1] write done: 8 KiB written ("), std::string::npos) << text;
  EXPECT_NE(text.find("[cam1] warning: the ELF has no DWARF\n"), std::string::npos) << text;
  EXPECT_EQ(text.find('\033'), std::string::npos);
}

TEST(Renderers, JsonWritesOneParsableObjectPerLine) {
  std::istringstream lines(render(RenderMode::json));
  std::string line;
  std::vector<std::string> kinds;
  double last_t = 0;
  while (std::getline(lines, line)) {
    auto j = nlohmann::json::parse(line);
    kinds.push_back(j["event"]);
    ASSERT_TRUE(j["t"].is_number()) << line;  // seconds since the command started
    EXPECT_GE(j["t"].get<double>(), last_t);
    last_t = j["t"].get<double>();
  }
  EXPECT_EQ(kinds, (std::vector<std::string>{"phase_begin", "progress", "phase_end", "warning", "result"}));
}

TEST(Renderers, TtyDrawsABarAndEndsThePhaseWithATick) {
  std::string text = render(RenderMode::tty);
  EXPECT_NE(text.find("100%"), std::string::npos) << text;
  EXPECT_NE(text.find("\xE2\x9C\x93 write: 8 KiB written"), std::string::npos) << text;
  // Colour only when writing to a terminal that allows it.
  EXPECT_EQ(text.find("\033[3"), std::string::npos);
}

}  // namespace omv
