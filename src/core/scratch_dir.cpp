#include "core/scratch_dir.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "core/error.h"

namespace omv {

namespace fs = std::filesystem;

ScratchDir::ScratchDir(const std::string& prefix) {
  std::string tmpl = (fs::temp_directory_path() / (prefix + "-XXXXXX")).string();
  if (!::mkdtemp(tmpl.data()))
    fail(ErrorKind::io, "cannot create a folder under " + fs::temp_directory_path().string() + ": " + std::strerror(errno));
  path_ = tmpl;
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

}  // namespace omv
