#pragma once
// `omv recover OPENMV_AE3`: the seed's Secure Enclave ISP procedure as one guided command
// (seed 10.8.4; how OpenMV IDE drives it: openmv-ide.md §6.8; the protocol: alif-isp.md).
//  1. the plan, checked before the port is opened: bootloader.bin for the BOOTLOADER partition
//     and the 8 KiB TOC pad for the TOC partition (made from firmware.toc when that is what was
//     given, as `omv image toc-pad` does), each inside its partition;
//  2. the ISP port: --port, else the debug adapter's UART by USB identity (the board's isp and
//     isp_alt ids);
//  3. START; a Secure Enclave that does not answer is walked through hard maintenance (the steps
//     are printed, then omv waits for the handshake itself, not for a key);
//  4. revision, stage, banner and TOC reported; a SEROM (recovery) stage is refused, naming what
//     it needs;
//  5. soft maintenance (flag + reset), the 921600-baud switch, each burn announced before it
//     starts, the baud back, reset;
//  6. a wait for the camera's OpenMV bootloader (37C5:96E3) and the next step.
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <string>

#include "boards/board.h"
#include "core/events.h"
#include "transport/usb.h"

namespace omv::flash {

struct AlifRecoveryRequest {
  AlifRecoveryRequest(const boards::Board& b, transport::UsbBus& u, Reporter& r) : board(b), usb(u), reporter(r) {}
  const boards::Board& board;
  transport::UsbBus& usb;
  Reporter& reporter;
  std::string port;                  // --port; empty: found by USB identity
  std::filesystem::path bootloader;  // bootloader.bin
  std::filesystem::path toc;         // firmware_pad.toc, or firmware.toc (padded in memory)
  bool dry_run = false;
  std::chrono::milliseconds handshake_wait{120000};  // hard maintenance: how long to wait for the user
  std::chrono::milliseconds bootloader_wait{10000};  // after the reset: for the OpenMV bootloader
  // After a baud switch, before the input is purged. Alif's toolkit waits 1 s; the SE switches as
  // soon as its reply is out, so a quarter of that is ample.
  std::chrono::milliseconds baud_settle{250};
};

nlohmann::json recover_alif(AlifRecoveryRequest& request);

}  // namespace omv::flash
