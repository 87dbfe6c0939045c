#include "debug/jsonc.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace omv::debug::jsonc {
namespace {

using ojson = nlohmann::ordered_json;

const char* kLaunch = R"({
    // Use IntelliSense to learn about possible attributes.
    "version": "0.2.0",
    "configurations": [
        /* my own probe */
        {
            "name": "My OpenOCD", // keep me
            "type": "cortex-debug",
            "configFiles": ["interface/stlink.cfg",],
        },
    ]
}
)";

std::string error_of(std::string_view text) {
  try {
    parse(text, "launch.json");
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_file);
    return e.what();
  }
  return "";
}

}  // namespace

TEST(Jsonc, ParsesCommentsAndTrailingCommas) {
  Node root = parse(kLaunch, "launch.json");
  ASSERT_EQ(root.kind, Node::Kind::object);
  ojson j = to_json(root);
  EXPECT_EQ(j["version"], "0.2.0");
  ASSERT_EQ(j["configurations"].size(), 1u);
  EXPECT_EQ(j["configurations"][0]["name"], "My OpenOCD");
  EXPECT_EQ(j["configurations"][0]["configFiles"], ojson::array({"interface/stlink.cfg"}));
  const Node* configs = root.member("configurations");
  ASSERT_NE(configs, nullptr);
  EXPECT_EQ(std::string_view(kLaunch).substr(configs->begin, 1), "[");
  EXPECT_EQ(std::string_view(kLaunch).substr(configs->end - 1, 1), "]");
}

TEST(Jsonc, ScalarsAndEscapes) {
  ojson j = to_json(parse(R"({"a": -1.5e3, "b": true, "c": null, "d": "x\"\u00e9\n", "e": false})", "x.json"));
  EXPECT_EQ(j["a"], -1500.0);
  EXPECT_EQ(j["b"], true);
  EXPECT_TRUE(j["c"].is_null());
  EXPECT_EQ(j["d"], "x\"\xC3\xA9\n");
  EXPECT_EQ(j["e"], false);
}

TEST(Jsonc, ErrorsNameFileLineAndColumn) {
  EXPECT_NE(error_of("{\n  \"a\": 1\n  \"b\": 2\n}").find("launch.json: line 3, column 3: expected ',' or '}'"),
            std::string::npos);
  EXPECT_NE(error_of("{ /* open").find("unterminated /* comment"), std::string::npos);
  EXPECT_NE(error_of("{\"a\": \"b").find("unterminated string"), std::string::npos);
  EXPECT_NE(error_of("[1, 2").find("unterminated array"), std::string::npos);
  EXPECT_NE(error_of("{} x").find("unexpected text after the JSON value"), std::string::npos);
  EXPECT_NE(error_of("{\"a\": tru}").find("expected true, false or null"), std::string::npos);
  EXPECT_NE(error_of("{\"a\": 01}").find("bad number"), std::string::npos);
  EXPECT_NE(error_of("").find("found the end of the file"), std::string::npos);
  EXPECT_NE(error_of(std::string(1000, '[')).find("nested too deeply"), std::string::npos);
}

TEST(Jsonc, AppendKeepsCommentsAndIndentation) {
  Node root = parse(kLaunch, "launch.json");
  Style style = detect_style(kLaunch);
  EXPECT_EQ(style.unit, "    ");
  std::string out = append_item(kLaunch, *root.member("configurations"), ojson{{"name", "omv X"}, {"x", 1}}, style);
  for (const char* kept : {"// Use IntelliSense", "/* my own probe */", "// keep me", "\"My OpenOCD\""})
    EXPECT_NE(out.find(kept), std::string::npos) << kept << "\n" << out;
  ojson j = to_json(parse(out, "launch.json"));
  ASSERT_EQ(j["configurations"].size(), 2u);
  EXPECT_EQ(j["configurations"][1]["name"], "omv X");
  // Indented like its sibling.
  EXPECT_NE(out.find("\n        {\n            \"name\": \"omv X\",\n            \"x\": 1\n        }"), std::string::npos) << out;
}

TEST(Jsonc, AppendToEmptyAndOneLineArrays) {
  std::string text = "{\n  \"a\": [ // none yet\n  ],\n  \"b\": [\"x\"]\n}\n";
  Style style = detect_style(text);
  EXPECT_EQ(style.unit, "  ");
  Node root = parse(text, "t.json");
  std::string out = append_item(text, *root.member("a"), "first", style);
  EXPECT_NE(out.find("// none yet"), std::string::npos);
  root = parse(out, "t.json");
  out = append_item(out, *root.member("b"), "y", style);
  EXPECT_NE(out.find("[\"x\", \"y\"]"), std::string::npos) << out;
  ojson j = to_json(parse(out, "t.json"));
  EXPECT_EQ(j["a"], ojson::array({"first"}));
  EXPECT_EQ(j["b"], ojson::array({"x", "y"}));
}

TEST(Jsonc, ReplaceAndAddMember) {
  std::string text = "{\r\n\t\"keep\": 1, // one\r\n\t\"list\": [{\"name\": \"a\", \"v\": 1}]\r\n}\r\n";
  Style style = detect_style(text);
  EXPECT_EQ(style.unit, "\t");
  EXPECT_EQ(style.newline, "\r\n");
  Node root = parse(text, "t.json");
  std::string out = replace_value(text, root.member("list")->items[0], ojson{{"name", "a"}, {"v", 2}}, style);
  EXPECT_NE(out.find("// one"), std::string::npos);
  root = parse(out, "t.json");
  out = add_member(out, root, "new", ojson::array({1}), style);
  ojson j = to_json(parse(out, "t.json"));
  EXPECT_EQ(j["list"][0]["v"], 2);
  EXPECT_EQ(j["new"], ojson::array({1}));
  EXPECT_EQ(j["keep"], 1);
  EXPECT_EQ(out.find("\n\""), std::string::npos) << "every added line is indented";
  EXPECT_EQ(out.find("\r\r"), std::string::npos);
}

TEST(Jsonc, ByteOrderMarkIsSkipped) {
  EXPECT_EQ(to_json(parse("\xEF\xBB\xBF{\"a\": 1}", "t.json"))["a"], 1);
}

}  // namespace omv::debug::jsonc
