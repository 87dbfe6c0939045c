#include "flash/alif_deploy.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.h"
#include "core/numbers.h"
#include "flash/alif_isp_link.h"
#include "image/alif_ds.h"
#include "image/file_io.h"
#include "transport/serial.h"

namespace omv::flash {
namespace {

namespace isp = protocol::alif_isp;

std::filesystem::path resolve(const AlifDeployRequest& r, const std::string& listed) {
  const std::filesystem::path p(listed);
  std::error_code ec;
  if (p.is_absolute()) {
    if (std::filesystem::exists(p, ec)) return p;
  } else {
    for (const auto& dir : r.search_dirs)
      if (std::filesystem::exists(dir / p, ec)) return dir / p;
  }
  std::vector<std::string> places;
  for (const auto& dir : r.search_dirs) places.push_back(dir.string());
  fail(ErrorKind::usage,
       fmt::format("{}: {} is listed but does not exist{}", r.script.string(), listed,
                   p.is_absolute() ? "" : fmt::format(" (looked in {})", fmt::join(places, ", "))),
       "build it first (omv build " + r.board.target + "), or pass --ds for the package script of another build");
}

const boards::Memory& mram_of(const boards::Board& board) {
  const auto* m = board.memory("mram");
  if (!m) fail(ErrorKind::bad_board_data, board.target + ": its board data has no memory named mram");
  return *m;
}

}  // namespace

nlohmann::json deploy_alif(AlifDeployRequest& r) {
  auto& rep = r.reporter;
  if (r.script.empty())
    fail(ErrorKind::usage, "no package script given", "pass --ds build/" + r.board.target + "/application_package.ds");
  const auto bytes = image::read_file(r.script);
  const auto listed = image::parse_alif_ds(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()),
                                           r.script.string());
  const auto& mram = mram_of(r.board);
  std::vector<MramBurn> burns;
  for (const auto& item : listed) {
    MramBurn b;
    b.file = resolve(r, item.file);
    b.bytes = image::read_file(b.file);
    b.address = item.address;
    b.label = b.file.filename().string();
    const uint64_t padded = (b.bytes.size() + 15) / 16 * 16;
    if (b.address % 16)
      fail(ErrorKind::refused, fmt::format("{}: {} goes to {}, which is not 16-byte aligned (MRAM lines are 16 bytes); "
                                           "nothing was written",
                                           r.script.string(), item.file, hex32(b.address)));
    if (b.address < mram.base || b.address + padded > mram.base + mram.size)
      fail(ErrorKind::refused,
           fmt::format("{}: {} ({}) at {} lies outside the application MRAM {}-{}{}; nothing was written",
                       r.script.string(), item.file, human_size(b.bytes.size()), hex32(b.address), hex32(mram.base),
                       hex32(mram.base + mram.size),
                       b.address + padded > mram.base + mram.size && b.address < mram.base + mram.size
                           ? " (it would reach the Secure Enclave's area)"
                           : ""));
    for (const auto& other : burns)
      if (b.address < other.address + other.bytes.size() && other.address < b.address + padded)
        fail(ErrorKind::refused, fmt::format("{}: {} at {} overlaps {} at {}; nothing was written", r.script.string(),
                                             item.file, hex32(b.address), other.label, hex32(other.address)));
    burns.push_back(std::move(b));
  }
  uint64_t total = 0;
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& b : burns) {
    total += b.bytes.size();
    steps.push_back({{"file", b.file.string()}, {"address", hex32(b.address)}, {"bytes", b.bytes.size()}});
  }
  const double line_s = isp_line_seconds(total, kAlifFastBaud);
  rep.info(fmt::format("{} image(s), {}: about {:.1f} s on the serial line at {} baud", burns.size(), human_size(total),
                       line_s, kAlifFastBaud));
  if (r.dry_run) {
    for (const auto& b : burns)
      rep.info(fmt::format("would burn {} ({}) at {}", b.file.string(), human_size(b.bytes.size()), hex32(b.address)));
    return {{"dry_run", true}, {"steps", steps}, {"line_seconds", line_s}};
  }

  const std::string path = find_isp_port(r.board, r.usb, rep, r.port);
  auto port = transport::open_serial_port(path, kAlifIspBaud);
  isp::ClientOptions options;
  options.baud_settle = r.baud_settle;
  isp::Client client(*port, kAlifIspBaud, options);
  if (!client.start())
    fail(ErrorKind::timeout, fmt::format("{}: the Secure Enclave does not answer ISP START", path),
         "omv recover " + r.board.target + " walks you through hard maintenance when the firmware keeps it busy");
  const auto stage = client.enquiry();
  if (stage.stage != isp::Stage::seram)
    fail(ErrorKind::unsupported, "the Secure Enclave runs its ROM (SEROM): it takes no application images",
         "restore its system package first (Alif's updateSystemPackage), then run this again");
  client.stop();
  const uint64_t written = burn_over_isp(client, stage.maintenance, burns, rep);
  return {{"port", path}, {"steps", steps}, {"bytes", written}, {"line_seconds", line_s}};
}

}  // namespace omv::flash
