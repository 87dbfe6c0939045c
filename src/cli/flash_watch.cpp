#include "cli/flash_watch.h"

#include <fmt/format.h>
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <cstdlib>
#include <map>
#include <thread>

#include "core/error.h"
#include "core/text.h"
#include "discovery/fleet_progress.h"
#include "discovery/watch.h"

namespace omv::cli {
namespace {

std::atomic<bool> watch_stop{false};

// Ctrl-C (or SIGTERM) is taken by a thread of its own through sigwait, with the signals blocked
// in every other thread: a flash in progress never sees an interrupted system call, and the
// first signal only asks the watch to stop. A second one ends omv at once (committed log rows
// are kept: each is its own transaction).
void take_interrupts() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread([set] {
    int sig = 0;
    sigwait(&set, &sig);
    watch_stop = true;
    sigwait(&set, &sig);
    std::_Exit(130);
  }).detach();
}

}  // namespace

void run_watch(Context& ctx, const boards::Board& board, const discovery::FleetJob& job, const WatchCliOptions& options) {
  take_interrupts();  // before any thread is started, so that all of them inherit the mask
  const auto sources = discovery::open_sources(ctx.globals.sim);
  const discovery::IdentityTable table(ctx.boards());
  const auto mode = detect_render_mode(ctx.globals.json);
  auto sink = discovery::fleet_sink(mode, {}, ctx.events());
  auto* table_sink = dynamic_cast<discovery::FleetProgressSink*>(sink.get());
  Reporter rep(*sink);
  discovery::WatchOptions wo;
  wo.max = options.max;
  wo.again = options.again;
  const discovery::WatchArrival arrival = [&](const std::string& label, const discovery::Device& camera) {
    if (table_sink) table_sink->add_row(label, camera.location());
  };
  auto result = discovery::watch_fleet(board, table, sources, wo, job, *sink, rep, arrival, watch_stop);
  sink.reset();

  size_t flashed = 0, same = 0, failed = 0;
  std::map<std::string, bool> last_ok;  // by camera: a camera flashed on a later attempt is not a failure
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& o : result.outcomes) {
    rows.push_back(discovery::to_json(o));
    last_ok[o.camera] = o.ok;
    if (!o.ok)
      ++failed;
    else if (discovery::already_identical(o))
      ++same;
    else
      ++flashed;
  }
  std::vector<std::string> not_flashed;
  for (const auto& [camera, ok] : last_ok)
    if (!ok) not_flashed.push_back(camera);
  not_flashed.insert(not_flashed.end(), result.refused.begin(), result.refused.end());
  std::string message = fmt::format("watch{}: {} flashed, {} failed, {} skipped as already identical",
                                    result.interrupted ? " stopped" : "", flashed, failed, same);
  if (!result.ignored.empty()) message += fmt::format(", {} other device(s) ignored", result.ignored.size());
  if (!result.refused.empty())
    message += fmt::format(", refused (serial on two ports): {}", join(result.refused, ", "));
  if (!result.outcomes.empty()) message += "\n" + discovery::fleet_table(result.outcomes);
  auto out = ctx.reporter();
  out.result(message, {{"target", board.target},
                       {"flashed", flashed},
                       {"failed", failed},
                       {"identical", same},
                       {"cameras", rows},
                       {"ignored", result.ignored},
                       {"refused", result.refused},
                       {"interrupted", result.interrupted}});
  if (!not_flashed.empty())
    fail(ErrorKind::partial,
         fmt::format("watch: {} of {} camera(s) not flashed: {}", not_flashed.size(),
                     last_ok.size() + result.refused.size(), join(not_flashed, ", ")),
         "the table above has each camera's error; plug a failed camera in again with --again to retry it");
  if (result.interrupted && result.outcomes.empty())
    fail(ErrorKind::interrupted, fmt::format("watch stopped (Ctrl-C) before any {} camera was flashed", board.target));
}

}  // namespace omv::cli
