// omv flash TARGET [--firmware F] [--romfs R] [--image PART=FILE]... [--erase-fs] [--verify]
//   [--no-skip] [--serial SN] [--no-reset] [--dry-run] [--build-dir DIR] [--wait S] [--drive DIR]
//   [--log [DB] | --no-log] [--all | --watch [--max N] [--again]]
#include <fmt/format.h>

#include "cli/command.h"
#include "cli/flash_options.h"
#include "cli/flash_watch.h"
#include "core/error.h"
#include "core/numbers.h"
#include "discovery/fleet.h"
#include "discovery/fleet_progress.h"
#include "discovery/scan.h"
#include "discovery/select.h"
#include "flash/connect.h"
#include "flash/executor.h"
#include "flash/images.h"
#include "flash/plan.h"
#include "flash/uf2_drive.h"
#include "production/camera_attempt.h"
#include "production/log_path.h"
#include "production/production_log.h"

namespace omv::cli::cmd_flash {
namespace {

struct Options {
  std::string target;
  FlashImageOptions images;
  DeviceOptions device;
  bool verify = false;
  bool no_skip = false;
  bool no_reset = false;
  bool dry_run = false;
  bool all = false;
  bool watch = false;
  WatchCliOptions watching;
  std::string drive;
  std::string log;                     // --log DB; empty with --log alone: the default file
  CLI::Option* log_option = nullptr;   // whether --log was given at all
  bool no_log = false;
};

// Opened before anything else: a log that cannot take rows stops the command before any image
// is read or camera touched.
std::unique_ptr<production::ProductionLog> open_log(const Options& opt, Reporter& rep) {
  if (!opt.log_option || opt.log_option->count() == 0 || opt.dry_run) return nullptr;
  if (!opt.drive.empty())
    fail(ErrorKind::usage, "--log with --drive: the production log records cameras by serial, and a UF2 drive has none",
         "flash the camera through its bootloader (without --drive) to log it");
  const bool default_file = opt.log.empty();
  const auto file = default_file ? production::default_log_path() : std::filesystem::path(opt.log);
  auto log = std::make_unique<production::ProductionLog>(file, production::ProductionLog::Purpose::record, default_file);
  rep.info(fmt::format("logging each camera's attempt to {}", file.string()), {{"log", file.string()}});
  return log;
}

// Runs one camera's flash as an attempt of the production log, when there is one: `flash`
// reports the connection and the outcome to `attempt`, and a failure is recorded here.
template <class Flash>
auto logged(production::CameraAttempt& attempt, bool logging, Flash&& flash) {
  try {
    return flash();
  } catch (const Error& e) {
    if (!logging || attempt.finished()) throw;
    throw attempt.failed(e);
  } catch (const std::exception& e) {
    if (!logging || attempt.finished()) throw;
    throw attempt.failed(Error(ErrorKind::failure, e.what()));
  }
}

void print_plan(Context& ctx, const flash::Plan& plan, bool dry_run) {
  auto rep = ctx.reporter();
  for (const auto& ip : plan.images) {
    std::map<std::string, int> counts;
    for (const auto& u : ip.units) counts[flash::action_name(u.action)]++;
    std::string parts;
    for (const auto& [k, v] : counts) parts += fmt::format("{}{} {}", parts.empty() ? "" : ", ", v, k);
    rep.info(fmt::format("{}{} -> {} at {} ({}): {} erase unit(s): {}", dry_run ? "plan: " : "", ip.image->label,
                         ip.image->partition->name, hex32(ip.image->address),
                         human_size(ip.image->erase_only ? ip.image->erase_length : ip.image->data.size()),
                         ip.units.size(), parts),
             {{"image", ip.image->label}, {"partition", ip.image->partition->name}});
  }
}

// One camera's flash as --all and --watch run it on the camera's thread: connect by its serial
// (resetting it into its bootloader when it runs its firmware), plan against what it holds,
// write, and record the attempt in the production log.
discovery::FleetJob camera_job(Context& ctx, const boards::Board& board, const std::vector<flash::Image>& images,
                               const flash::PlanOptions& po, const Options& opt, production::ProductionLog* log,
                               const production::FlashRun& flash_run) {
  flash::ExecuteOptions eo;
  eo.verify = opt.verify;
  eo.reset = !opt.no_reset;
  return [&ctx, &board, &images, po, &opt, log, &flash_run, eo](const discovery::Device& camera, Reporter& rep) {
    production::CameraAttempt attempt(log, flash_run, camera.serial, camera.location());
    return logged(attempt, log != nullptr, [&] {
      auto connect = opt.device.connect(ctx);
      connect.serial = camera.serial;
      auto conn = flash::connect(board, connect, rep);
      attempt.connected(*conn.session);
      auto plan = flash::make_plan(board, images, conn.session.get(), po, rep);
      auto outcome = flash::execute(board, plan, *conn.session, eo, rep);
      attempt.succeeded(outcome);
      auto data = outcome.to_json();
      data["summary"] = outcome.summary();
      return data;
    });
  };
}

// --all: every camera of the board at once, one thread each (the plan is made per camera, against
// what that camera holds); one failing does not stop the others.
void run_all(Context& ctx, const boards::Board& board, const discovery::FleetJob& job, const Options& opt) {
  const auto sources = discovery::open_sources(ctx.globals.sim);
  const discovery::IdentityTable table(ctx.boards());
  const auto cameras = discovery::select_all(discovery::scan(table, sources), board, opt.device.serial);
  std::vector<std::string> labels;
  for (const auto& c : cameras) {
    if (c.serial.empty())
      fail(ErrorKind::unsupported, fmt::format("{} reports no USB serial number, so --all cannot tell it apart", c.describe()),
           "flash it alone, without --all");
    labels.push_back(discovery::fleet_label(c));
  }
  auto sink = discovery::fleet_sink(detect_render_mode(ctx.globals.json), labels, ctx.events());
  auto outcomes = discovery::run_fleet(cameras, job, *sink);
  sink.reset();
  auto rep = ctx.reporter();
  discovery::report_fleet(outcomes, "flash", rep);
}

void run(Context& ctx, const Options& opt) {
  const auto& board = ctx.boards().get(opt.target);
  auto rep = ctx.reporter();
  const auto log = open_log(opt, rep);
  flash::PlanOptions po;
  po.skip_unchanged = !opt.no_skip;
  std::vector<flash::Image> images;
  {
    // Images refused before any camera is touched are one failed attempt in the log.
    production::CameraAttempt refused(log.get(), production::describe_run(board, {}, opt.verify), opt.device.serial, "");
    logged(refused, log != nullptr, [&] {
      images = flash::collect_images(board, opt.images.resolve(ctx, board), rep);
      flash::validate(board, images, po);  // refuse bad images before touching any device
    });
  }
  const auto flash_run = log ? production::describe_run(board, images, opt.verify) : production::FlashRun{};

  if (!opt.drive.empty()) {
    auto copied = flash::copy_to_uf2_drive(board, images, opt.drive, rep);
    rep.result(fmt::format("copied {} ({} UF2 blocks) onto {}: the board flashes it and restarts",
                           human_size(copied.bytes), copied.blocks, opt.drive),
               {{"target", board.target}, {"drive", opt.drive}, {"file", copied.file.string()},
                {"uf2_bytes", copied.bytes}, {"blocks", copied.blocks}});
    return;
  }

  if (opt.dry_run) {
    std::optional<flash::Connection> conn;
    try {
      conn = flash::connect(board, opt.device.connect(ctx), rep);
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::no_device) throw;
      rep.warn(std::string("no device to compare with (") + e.what() + "): the plan writes every unit");
    }
    auto plan = flash::make_plan(board, images, conn ? conn->session.get() : nullptr, po, rep);
    print_plan(ctx, plan, true);
    rep.result(fmt::format("dry run: would write {} and skip {} ({} unit(s) to write, {} to erase, {} identical); nothing was written",
                           human_size(plan.bytes(flash::Action::write)), human_size(plan.bytes(flash::Action::skip)),
                           plan.count(flash::Action::write), plan.count(flash::Action::erase_only),
                           plan.count(flash::Action::skip)),
               {{"dry_run", true}, {"plan", plan.to_json()}});
    return;
  }

  if (opt.all || opt.watch) {
    const auto job = camera_job(ctx, board, images, po, opt, log.get(), flash_run);
    if (opt.watch)
      run_watch(ctx, board, job, opt.watching);
    else
      run_all(ctx, board, job, opt);
    return;
  }
  production::CameraAttempt attempt(log.get(), flash_run, opt.device.serial, "");
  logged(attempt, log != nullptr, [&] {
    auto conn = flash::connect(board, opt.device.connect(ctx), rep);
    attempt.connected(*conn.session);
    auto plan = flash::make_plan(board, images, conn.session.get(), po, rep);
    print_plan(ctx, plan, false);
    flash::ExecuteOptions eo;
    eo.verify = opt.verify;
    eo.reset = !opt.no_reset;
    auto outcome = flash::execute(board, plan, *conn.session, eo, rep);
    attempt.succeeded(outcome);
    auto data = outcome.to_json();
    data["target"] = board.target;
    data["plan"] = plan.to_json();
    rep.result(outcome.summary(), data);
  });
}

void setup(CLI::App& parent, Context& ctx) {
  auto opt = std::make_shared<Options>();
  auto* cmd = parent.add_subcommand("flash", "Flash a build onto a camera through its bootloader");
  cmd->add_option("TARGET", opt->target, "Board TARGET, e.g. OPENMV4")->required();
  opt->images.add(cmd);
  opt->device.add(cmd);
  cmd->add_flag("--erase-fs", opt->images.erase_fs, "Also erase the internal filesystem");
  cmd->add_flag("--verify", opt->verify, "Read back what was written and compare");
  cmd->add_flag("--no-skip", opt->no_skip, "Write every erase unit, even those already identical on the device");
  cmd->add_flag("--no-reset", opt->no_reset, "Stay in the bootloader afterwards");
  auto* dry_run = cmd->add_flag("--dry-run", opt->dry_run, "Print the plan; write nothing");
  auto* all = cmd->add_flag("--all", opt->all,
                "Flash every attached camera of this board in parallel (a line per camera, a table at the end)");
  auto* watch = cmd->add_flag("--watch", opt->watch,
                              "Wait for cameras of this board (in any mode) and flash each as it is plugged in, in "
                              "parallel, once per camera (by serial) until Ctrl-C or --max; a live table, a summary at the end");
  watch->excludes(all)->excludes(dry_run)->excludes(cmd->get_option("--serial"));
  cmd->add_option("--max", opt->watching.max, "With --watch: stop once N cameras are done (flashed or failed)")
      ->needs(watch)
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--again", opt->watching.again,
                "With --watch: flash a camera again when it is unplugged and plugged back in (a new attempt)")
      ->needs(watch);
  auto* drive = cmd->add_option("--drive", opt->drive,
                  "Copy the images as one UF2 onto this mounted UF2 bootloader drive (RPI-RP2) instead");
  drive->excludes(watch);
  opt->log_option =
      cmd->add_option("--log", opt->log,
                      "Record each camera's attempt (serial, bootloader, image SHA-256, bytes, result) in this SQLite "
                      "production log; --log alone: $XDG_DATA_HOME/omv/production.sqlite3. Nothing is logged without "
                      "--log, nor with --dry-run")
          ->expected(0, 1);
  cmd->add_flag("--no-log", opt->no_log, "Record nothing (the default; for scripts that want to say so)")->excludes(opt->log_option);
  cmd->callback([&ctx, opt] { run(ctx, *opt); });
}

const Register registered{{"flash", "Flash firmware/ROMFS images through the bootloader (skips identical erase units)", setup, Group::flash, 30,
                                    "  omv flash OPENMV4                      # the build of the checkout\n" "  omv flash OPENMV4 --firmware firmware.bin --erase-fs --verify\n" "  omv flash OPENMV4 --all --dry-run         # what would be written, nothing sent\n"
                                    "  omv flash OPENMV4 --all --verify --log line1.sqlite3   # one row per camera; see omv log\n"
                                    "  omv flash OPENMV4 --watch --verify --log line1.sqlite3 # flash each camera as it is plugged in\n"}};

}  // namespace
}  // namespace omv::cli::cmd_flash
