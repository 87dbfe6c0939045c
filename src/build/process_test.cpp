// run_process with on_line: a child's output arrives line by line, '\r' ending a line as '\n'
// does, while the whole output is still captured.
#include "build/process.h"

#include <gtest/gtest.h>

namespace omv::build::process_test {
namespace {

TEST(RunProcess, OnLineSplitsAtNewlinesAndCarriageReturns) {
  std::vector<std::string> lines;
  ProcessOptions o;
  o.capture = true;
  o.on_line = [&](const std::string& line) { lines.push_back(line); };
  auto r = run_process({"sh", "-c", "printf 'first\\n[==   ] 40%%\\r[=====] 100%%\\n\\nlast'; exit 3"}, o);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(lines, (std::vector<std::string>{"first", "[==   ] 40%", "[=====] 100%", "last"}));
  EXPECT_EQ(r.output, "first\n[==   ] 40%\r[=====] 100%\n\nlast");
}

TEST(RunProcess, OnLinePassesAnEndlessLineOnInPieces) {
  std::vector<std::string> lines;
  ProcessOptions o;
  o.capture = true;
  o.on_line = [&](const std::string& line) { lines.push_back(line); };
  auto r = run_process({"sh", "-c", "head -c 10000 /dev/zero | tr '\\0' x"}, o);
  EXPECT_EQ(r.exit_code, 0);
  std::string joined;
  for (const auto& l : lines) {
    EXPECT_LE(l.size(), 4096u);
    joined += l;
  }
  EXPECT_EQ(joined, std::string(10000, 'x'));
}

}  // namespace
}  // namespace omv::build::process_test
