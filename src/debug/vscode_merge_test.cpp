#include "debug/vscode_merge.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "debug/jsonc.h"

namespace omv::debug {
namespace {

using ojson = nlohmann::ordered_json;

const char* kExisting = R"({
  // hand-written: keep
  "version": "0.2.0",
  "configurations": [
    {
      "name": "Python: Current File", /* another extension's */
      "type": "python",
      "request": "launch"
    },
    {
      "name": "omv OPENMV4 launch",
      "type": "cortex-debug",
      "device": "OLD"
    }
  ]
}
)";

ojson entry(const std::string& name, const std::string& device) {
  return ojson{{"name", name}, {"type", "cortex-debug"}, {"device", device}};
}

ojson parsed(const std::string& text) { return jsonc::to_json(jsonc::parse(text, "launch.json")); }

}  // namespace

TEST(VscodeMerge, NewFileHasSkeletonAndEntries) {
  auto r = merge_entries(std::nullopt, "launch.json", ojson{{"version", "0.2.0"}}, "configurations", "name",
                         {entry("a", "X"), entry("b", "Y")}, false);
  ojson j = parsed(r.text);
  EXPECT_EQ(j["version"], "0.2.0");
  EXPECT_EQ(j["configurations"].size(), 2u);
  EXPECT_EQ(r.added, (std::vector<std::string>{"a", "b"}));
}

TEST(VscodeMerge, ConflictWithoutForceChangesNothing) {
  auto r = merge_entries(std::string(kExisting), "launch.json", ojson{{"version", "0.2.0"}}, "configurations", "name",
                         {entry("omv OPENMV4 launch", "STM32H743VI"), entry("omv OPENMV4 attach", "STM32H743VI")}, false);
  EXPECT_EQ(r.conflicts, std::vector<std::string>{"omv OPENMV4 launch"});
  EXPECT_EQ(r.added, std::vector<std::string>{"omv OPENMV4 attach"});
  ojson j = parsed(r.text);
  EXPECT_EQ(j["configurations"][1]["device"], "OLD");
}

TEST(VscodeMerge, ForceReplacesOnlyOursAndKeepsComments) {
  auto r = merge_entries(std::string(kExisting), "launch.json", ojson{{"version", "0.2.0"}}, "configurations", "name",
                         {entry("omv OPENMV4 launch", "STM32H743VI"), entry("omv OPENMV4 attach", "STM32H743VI")}, true);
  EXPECT_TRUE(r.conflicts.empty());
  EXPECT_EQ(r.replaced, std::vector<std::string>{"omv OPENMV4 launch"});
  EXPECT_NE(r.text.find("// hand-written: keep"), std::string::npos);
  EXPECT_NE(r.text.find("/* another extension's */"), std::string::npos);
  ojson j = parsed(r.text);
  ASSERT_EQ(j["configurations"].size(), 3u);
  EXPECT_EQ(j["configurations"][0]["name"], "Python: Current File");
  EXPECT_EQ(j["configurations"][1]["device"], "STM32H743VI");
  EXPECT_EQ(j["configurations"][2]["name"], "omv OPENMV4 attach");
}

TEST(VscodeMerge, SameContentInAnotherOrderIsUnchanged) {
  std::string text = R"({"configurations": [{"device": "D", "type": "cortex-debug", "name": "n"}]})";
  auto r = merge_entries(text, "launch.json", ojson::object(), "configurations", "name", {entry("n", "D")}, false);
  EXPECT_EQ(r.unchanged, std::vector<std::string>{"n"});
  EXPECT_FALSE(r.changed());
  EXPECT_EQ(r.text, text);
}

TEST(VscodeMerge, MissingArrayIsAddedWrongTypesAreRefused) {
  auto r = merge_entries(std::string("{\n  \"version\": \"2.0.0\" // tasks\n}\n"), "tasks.json", ojson::object(), "tasks",
                         "label", {ojson{{"label", "t"}}}, false);
  EXPECT_EQ(parsed(r.text)["tasks"][0]["label"], "t");
  EXPECT_NE(r.text.find("// tasks"), std::string::npos);
  EXPECT_THROW(merge_entries(std::string("{\"tasks\": {}}"), "tasks.json", ojson::object(), "tasks", "label",
                             {ojson{{"label", "t"}}}, false),
               Error);
  EXPECT_THROW(merge_entries(std::string("[]"), "tasks.json", ojson::object(), "tasks", "label", {ojson{{"label", "t"}}},
                             false),
               Error);
  EXPECT_THROW(merge_entries(std::string("{,}"), "tasks.json", ojson::object(), "tasks", "label", {ojson{{"label", "t"}}},
                             false),
               Error);
}

TEST(VscodeMerge, RecommendationsAreAddedOnce) {
  std::string text = "{\n  \"recommendations\": [\n    \"ms-python.python\", // mine\n    \"marus25.cortex-debug\"\n  ]\n}\n";
  auto r = merge_strings(text, "extensions.json", "recommendations", {"ms-vscode.cpptools", "marus25.cortex-debug"});
  EXPECT_EQ(r.added, std::vector<std::string>{"ms-vscode.cpptools"});
  EXPECT_EQ(r.unchanged, std::vector<std::string>{"marus25.cortex-debug"});
  ojson j = parsed(r.text);
  EXPECT_EQ(j["recommendations"], ojson::array({"ms-python.python", "marus25.cortex-debug", "ms-vscode.cpptools"}));
  EXPECT_NE(r.text.find("// mine"), std::string::npos);
}

}  // namespace omv::debug
