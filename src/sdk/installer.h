#pragma once
// `omv sdk install`: one pass over the tarball (download -> SHA-256 + xz/tar extraction at once)
// into a hidden folder beside the target, renamed into place only when the hash matched, the
// extraction finished and the stamp inside says the right version. A partial download is kept
// beside the target and resumed with an HTTP range request next time.
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "core/events.h"
#include "sdk/sdk_location.h"
#include "sdk/tar_extractor.h"

namespace omv::sdk {

struct InstallOptions {
  std::string version;
  std::string base_url = default_base_url;
  std::filesystem::path sdk_dir;                // where it goes
  std::optional<std::filesystem::path> from_file;  // offline install from this tarball
  std::optional<std::string> sha256;            // expected hash; else <url>.sha256 / <file>.sha256
  bool insecure = false;
  Host host = current_host();
  const std::atomic<bool>* cancel = nullptr;
};

struct InstallResult {
  bool already_installed = false;
  std::filesystem::path dir;
  std::string version;
  std::string sha256;
  std::string source;            // URL or file
  uint64_t tarball_bytes = 0;
  uint64_t resumed_from = 0;     // bytes taken from the partial download of an earlier run
  ExtractStats extracted;
};

InstallResult install_sdk(const InstallOptions& options, Reporter& reporter);

// The hidden files and folders an install keeps beside `sdk_dir` while it works.
std::filesystem::path partial_download_path(const std::filesystem::path& sdk_dir, const std::string& tarball);
std::string work_folder_prefix(const std::filesystem::path& sdk_dir);

}  // namespace omv::sdk
