#pragma once
// A private folder under the system's temporary directory for files a child process reads
// (command files, converted images); removed with everything in it when the object goes.
#include <filesystem>
#include <string>

namespace omv {

class ScratchDir {
 public:
  // "omv-n6-layout" gives /tmp/omv-n6-layout-XXXXXX. Throws Error{io} if it cannot be made.
  explicit ScratchDir(const std::string& prefix);
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace omv
