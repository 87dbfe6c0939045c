#pragma once
// mpy-cross (lib/micropython/mpy-cross) must exist and match the MicroPython tree before a
// firmware build: the frozen modules are compiled with it. omv remembers which MicroPython
// revision built it and rebuilds it (clean first) when the tree moved.
#include <filesystem>
#include <string>

namespace omv::build {

struct MpyCrossPlan {
  std::filesystem::path dir;   // lib/micropython/mpy-cross
  bool exists = false;         // the folder is there at all
  bool build = false;
  bool clean_first = false;
  std::string reason;          // why it is (re)built
  std::string revision;        // MicroPython's HEAD ("" when not a git checkout)
};

std::filesystem::path mpy_cross_binary(const std::filesystem::path& mpy_cross_dir);
MpyCrossPlan plan_mpy_cross(const std::filesystem::path& checkout_root);
// After a successful build: remember the revision it was built from.
void record_mpy_cross(const MpyCrossPlan& plan);

}  // namespace omv::build
