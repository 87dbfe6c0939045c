// omv read TARGET --partition NAME -o FILE [--length N] [--serial SN]: read a partition back.
#include <fmt/format.h>

#include <fstream>

#include "cli/command.h"
#include "cli/flash_options.h"
#include "core/error.h"
#include "core/numbers.h"
#include "core/text.h"
#include "flash/connect.h"

namespace omv::cli::cmd_read {
namespace {

struct Options {
  std::string target, partition, output, length;
  DeviceOptions device;
};

void run(Context& ctx, const Options& opt) {
  const auto& board = ctx.boards().get(opt.target);
  const auto* part = board.partition(opt.partition);
  if (!part) {
    std::vector<std::string> names;
    for (const auto& p : board.partitions) names.push_back(p.name);
    fail(ErrorKind::usage, fmt::format("{} has no partition {}", board.target, opt.partition), "partitions: " + join(names, ", "));
  }
  uint64_t length = part->size();
  if (!opt.length.empty()) {
    auto n = parse_u64(opt.length);
    if (!n || *n == 0 || *n > part->size())
      fail(ErrorKind::usage, fmt::format("--length {} must be 1..{} for {}", opt.length, part->size(), part->name));
    length = *n;
  }
  auto rep = ctx.reporter();
  auto conn = flash::connect(board, opt.device.connect(ctx), rep);
  if (!conn.session->capabilities().can_read)
    fail(ErrorKind::unsupported, board.target + "'s bootloader cannot read memory back");
  rep.begin("read", length, "reading " + part->name);
  auto data = conn.session->read(*part, part->start, length, [&](size_t n) { rep.progress(n); });
  rep.end();
  std::ofstream out(opt.output, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
  out.close();
  if (!out) fail(ErrorKind::io, "cannot write " + opt.output);
  rep.result(fmt::format("read {} of {} into {}", human_size(data.size()), part->name, opt.output),
             {{"partition", part->name}, {"bytes", data.size()}, {"file", opt.output}});
}

void setup(CLI::App& parent, Context& ctx) {
  auto opt = std::make_shared<Options>();
  auto* cmd = parent.add_subcommand("read", "Read a partition back from the camera into a file");
  cmd->add_option("TARGET", opt->target, "Board TARGET")->required();
  cmd->add_option("--partition", opt->partition, "Partition name (omv board TARGET lists them)")->required();
  cmd->add_option("-o,--output", opt->output, "File to write")->required();
  cmd->add_option("--length", opt->length, "Bytes to read from the partition start (default: all of it)");
  opt->device.add(cmd);
  cmd->callback([&ctx, opt] { run(ctx, *opt); });
}

const Register registered{{"read", "Read a partition back from the camera", setup, Group::flash, 33,
                                    "  omv read OPENMV4 --partition FIRMWARE -o firmware-backup.bin\n"}};

}  // namespace
}  // namespace omv::cli::cmd_read
