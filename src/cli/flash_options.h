#pragma once
// Command-line options shared by flash, verify, erase-fs, read and recover.
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "cli/command.h"
#include "flash/connect.h"
#include "flash/images.h"

namespace omv::cli {

struct FlashImageOptions {
  std::string firmware, romfs, build_dir;
  std::vector<std::string> images;
  bool erase_fs = false;

  void add(CLI::App* cmd) {
    cmd->add_option("--firmware", firmware, "Firmware image (bin, or an ELF/DfuSe/UF2 with its own addresses)");
    cmd->add_option("--romfs", romfs, "ROMFS image for the romfs0 partition");
    cmd->add_option("--image", images, "PARTITION=FILE: an image for any partition (repeatable)");
    cmd->add_option("--build-dir", build_dir, "Take the build files from DIR (default: build/TARGET/bin of the checkout)");
  }

  flash::ImageOptions resolve(Context& ctx, const boards::Board& board) const {
    flash::ImageOptions o;
    o.firmware = firmware;
    o.romfs = romfs;
    o.images = images;
    o.erase_fs = erase_fs;
    if (!build_dir.empty()) {
      std::filesystem::path d = build_dir;
      o.bin_dir = std::filesystem::exists(d / "bin") && !std::filesystem::exists(d / "firmware.bin") ? d / "bin" : d;
    } else if (firmware.empty() && romfs.empty() && images.empty()) {
      if (const auto* co = ctx.checkout()) o.bin_dir = co->root / "build" / board.target / "bin";
    }
    return o;
  }
};

struct DeviceOptions {
  std::string serial;
  double wait_s = 0;

  void add(CLI::App* cmd) {
    cmd->add_option("--serial", serial, "USB serial number of the camera (when several are connected)");
    cmd->add_option("--wait", wait_s, "Wait up to SECONDS for the camera to appear in its bootloader");
  }

  flash::ConnectOptions connect(Context& ctx, std::string mode = "bootloader", std::string session_type = {}) const {
    flash::ConnectOptions c;
    c.sim = ctx.globals.sim;
    c.serial = serial;
    c.mode = std::move(mode);
    c.session_type = std::move(session_type);
    c.wait = std::chrono::milliseconds(static_cast<int64_t>(wait_s * 1000));
    return c;
  }
};

}  // namespace omv::cli
