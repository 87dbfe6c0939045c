// .vscode files are written by hand and by other extensions: the JSONC parser and omv's merge
// must never crash, and whatever omv writes into a file it accepted must parse again.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/error.h"
#include "debug/jsonc.h"
#include "debug/vscode_merge.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    omv::debug::jsonc::parse(text, "fuzz.json");
  } catch (const omv::Error&) {
    return 0;
  }
  nlohmann::ordered_json entry = {{"name", "omv X launch"}, {"type", "cortex-debug"}};
  try {
    auto merged = omv::debug::merge_entries(text, "fuzz.json", nlohmann::ordered_json::object(), "configurations", "name",
                                            {entry}, true);
    omv::debug::jsonc::parse(merged.text, "merged.json");  // throws (and so aborts below) if omv broke it
    auto strings = omv::debug::merge_strings(text, "fuzz.json", "recommendations", {"marus25.cortex-debug"});
    omv::debug::jsonc::parse(strings.text, "merged.json");
  } catch (const omv::Error& e) {
    // Refusing a file whose root or array has the wrong type is fine; breaking a file is not.
    if (std::string(e.what()).rfind("merged.json", 0) == 0) std::abort();
  }
  return 0;
}
