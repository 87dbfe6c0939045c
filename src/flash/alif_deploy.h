#pragma once
// `omv deploy OPENMV_AE3`: upstream's `make deploy` (app-write-mram.py --pad --images
// file:build/OPENMV_AE3/application_package.ds) natively. The package script lists each image and
// its MRAM address; every image is checked to lie inside the MRAM below the Secure Enclave's area
// and not to overlap another before the port is opened, then burned over the SE's ISP (padded to
// 16 bytes in memory, never on disk), with the line-rate time announced before each burn.
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "boards/board.h"
#include "core/events.h"
#include "transport/usb.h"

namespace omv::flash {

struct AlifDeployRequest {
  AlifDeployRequest(const boards::Board& b, transport::UsbBus& u, Reporter& r) : board(b), usb(u), reporter(r) {}
  const boards::Board& board;
  transport::UsbBus& usb;
  Reporter& reporter;
  std::string port;                                // --port; empty: found by USB identity
  std::filesystem::path script;                    // application_package.ds
  std::vector<std::filesystem::path> search_dirs;  // where relative image paths are looked for, in order
  bool dry_run = false;
  std::chrono::milliseconds baud_settle{250};
};

nlohmann::json deploy_alif(AlifDeployRequest& request);

}  // namespace omv::flash
