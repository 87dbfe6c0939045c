#include "flash/uf2_drive.h"

#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/error.h"
#include "core/numbers.h"
#include "core/text.h"
#include "image/uf2.h"

namespace omv::flash {
namespace {

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == '\n' || s.back() == ' ')) s.pop_back();
  size_t i = 0;
  while (i < s.size() && s[i] == ' ') ++i;
  return s.substr(i);
}

}  // namespace

Uf2DriveInfo read_uf2_drive(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    fail(ErrorKind::no_device, fmt::format("drive folder {} does not exist", dir.string()),
         "hold BOOTSEL while plugging the board in, and pass the folder the RPI-RP2 drive is mounted on");
  std::ifstream in(dir / "INFO_UF2.TXT");
  if (!in)
    fail(ErrorKind::refused, fmt::format("{} is not a UF2 bootloader drive: it has no INFO_UF2.TXT; nothing was written", dir.string()),
         "pass the folder where the RPI-RP2 drive is mounted (e.g. /media/$USER/RPI-RP2)");
  Uf2DriveInfo info;
  std::string line;
  bool first = true;
  while (std::getline(in, line)) {
    line = trim(line);
    if (first) {
      info.banner = line;
      first = false;
    }
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    const auto key = trim(line.substr(0, colon)), value = trim(line.substr(colon + 1));
    if (key == "Model") info.model = value;
    if (key == "Board-ID") info.board_id = value;
  }
  if (info.banner.rfind("UF2 Bootloader", 0) != 0 || info.board_id.empty())
    fail(ErrorKind::refused,
         fmt::format("{}/INFO_UF2.TXT is not a UF2 bootloader's (no \"UF2 Bootloader\" banner or Board-ID); nothing was written",
                     dir.string()));
  return info;
}

Uf2CopyResult copy_to_uf2_drive(const boards::Board& board, const std::vector<Image>& images,
                                const std::filesystem::path& dir, Reporter& reporter) {
  const auto family = board.loader_number("uf2_family");
  if (!family)
    fail(ErrorKind::unsupported, board.target + " has no UF2 bootloader drive (no loader.uf2_family in its board data)");
  const auto it = board.loader.find("uf2_board_id");
  const std::string wanted = it == board.loader.end() ? "RPI-RP2" : it->second;
  const auto info = read_uf2_drive(dir);
  if (!iequals(info.board_id, wanted))
    fail(ErrorKind::refused,
         fmt::format("{} is the UF2 drive of a {} ({}), not of {} ({}); nothing was written", dir.string(),
                     info.board_id, info.model.empty() ? "unknown model" : info.model, board.target, wanted),
         "check the TARGET and the drive folder");

  std::vector<image::Segment> segments;
  for (const auto& img : images) {
    if (img.erase_only)
      fail(ErrorKind::unsupported, fmt::format("{}: a UF2 drive cannot erase ({}); use PICOBOOT (omit --drive)", board.target,
                                               img.label));
    const auto* memory = board.memory(img.partition->memory);
    if (!memory || img.address < memory->base || img.address + img.data.size() > memory->end())
      fail(ErrorKind::refused, fmt::format("{} at {} is outside the flash; nothing was written", img.label, hex32(img.address)));
    segments.push_back({img.address, img.data, std::nullopt});
  }
  if (segments.empty()) fail(ErrorKind::usage, "nothing to copy onto the drive");
  const auto uf2 = image::build_uf2(std::move(segments), static_cast<uint32_t>(*family));

  Uf2CopyResult result;
  result.file = dir / "OMV.UF2";
  result.bytes = uf2.size();
  result.blocks = uf2.size() / image::kUf2BlockSize;
  reporter.begin("write", uf2.size(), fmt::format("copying {} UF2 blocks onto {}", result.blocks, dir.string()));
  const int fd = ::open(result.file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    fail(errno == EACCES ? ErrorKind::permission : ErrorKind::io,
         fmt::format("cannot write {}: {}", result.file.string(), std::strerror(errno)));
  size_t done = 0;
  while (done < uf2.size()) {
    // Whole blocks per write, as the drive takes them sector by sector.
    const size_t n = std::min<size_t>(64 * image::kUf2BlockSize, uf2.size() - done);
    const ssize_t w = ::write(fd, uf2.data() + done, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      const int err = errno;
      ::close(fd);
      fail(ErrorKind::io, fmt::format("writing {}: {}", result.file.string(), std::strerror(err)),
           "the board may have rebooted early; put it back into BOOTSEL and copy again");
    }
    done += static_cast<size_t>(w);
    reporter.progress(done);
  }
  // The data must reach the device before omv says it is done.
  if (::fsync(fd) != 0 && errno != EINVAL) {
    const int err = errno;
    ::close(fd);
    fail(ErrorKind::io, fmt::format("flushing {}: {}", result.file.string(), std::strerror(err)));
  }
  ::close(fd);
  reporter.end();
  return result;
}

}  // namespace omv::flash
