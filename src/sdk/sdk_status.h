#pragma once
// Is the SDK a checkout needs installed? The same verdicts as the firmware Makefile ("not found",
// "version mismatch (installed: X, required: Y)"), with omv's fixing command.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "sdk/sdk_location.h"

namespace omv::sdk {

struct SdkStatus {
  std::string required;                 // the version asked for
  bool system_toolchain = false;        // SDK_VERSION says "system": no SDK needed
  std::filesystem::path dir;            // where it must be
  bool dir_from_env = false;            // SDK_DIR chose `dir`
  std::optional<std::string> installed; // the stamp in `dir`
  std::vector<InstalledSdk> others;     // other openmv-sdk-* folders beside the default location

  bool ok() const { return system_toolchain || installed == required; }
  // One line: what is wrong ("" when ok).
  std::string problem() const;
};

SdkStatus sdk_status(const std::string& required);

// Throws Error{missing_tool} naming the problem, with `fix` ("omv sdk install") as the hint.
void require_sdk(const SdkStatus& status, const std::string& fix);

}  // namespace omv::sdk
