// The SDK tarball is extracted while it downloads, before its hash can be checked: the extractor
// sees untrusted bytes. It must never crash, hang, or write outside the folder it was given.
#include <stdlib.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/error.h"
#include "sdk/byte_queue.h"
#include "sdk/tar_extractor.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace fs = std::filesystem;
  std::string pattern = (fs::temp_directory_path() / "omv-fuzz-XXXXXX").string();
  if (!mkdtemp(pattern.data())) return 0;
  const fs::path root = pattern;
  const fs::path dest = root / "sdk";
  fs::create_directory(dest);
  omv::sdk::ByteQueue queue(1 << 20);
  queue.push(std::vector<char>(reinterpret_cast<const char*>(data), reinterpret_cast<const char*>(data) + size));
  queue.finish(true);
  try {
    omv::sdk::extract_tar_xz(queue, dest, "fuzz.tar.xz");
    omv::sdk::check_links_stay_inside(dest, "fuzz.tar.xz");
  } catch (const omv::Error&) {
  }
  // Nothing may appear beside the destination.
  for (const auto& entry : fs::directory_iterator(root))
    if (entry.path() != dest) __builtin_trap();
  std::error_code ec;
  fs::remove_all(root, ec);
  return 0;
}
