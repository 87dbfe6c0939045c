#include "discovery/watch.h"

#include <fmt/format.h>

#include <algorithm>
#include <list>
#include <map>
#include <memory>
#include <set>
#include <thread>

#include "core/text.h"
#include "discovery/scan.h"
#include "discovery/select.h"

namespace omv::discovery {
namespace {

using Clock = std::chrono::steady_clock;

// What the session knows about one serial number.
struct Tracked {
  bool working = false;
  bool ok = false;
  bool settled = false;  // back from the resets of its own flash: an absence now is an unplug
  bool gone = false;     // unplugged after it settled
  bool told = false;     // "plugged in again" said once
  Clock::time_point ended{};
};

struct Job {
  Device camera;
  std::string key;
  std::thread thread;
  std::atomic<bool> done{false};
  FleetOutcome outcome;
};

// What changes between two looks at the bus that the loop must react to.
std::set<std::string> fingerprint(const std::vector<Device>& devices) {
  std::set<std::string> out;
  for (const auto& d : devices) out.insert(camera_key(d) + "|" + d.mode() + "|" + d.location());
  return out;
}

class Watch {
 public:
  Watch(const boards::Board& board, const WatchOptions& options, const FleetJob& job, EventSink& sink,
        Reporter& reporter, const WatchArrival& arrival, const std::atomic<bool>& stop)
      : board_(board), options_(options), job_(job), sink_(sink), reporter_(reporter), arrival_(arrival), stop_(stop) {}

  bool stopping() const { return stop_.load() || (options_.max && started_ >= options_.max); }
  bool finished() const { return stop_.load() || (options_.max && ended_ >= options_.max); }
  bool job_ended() { return job_ended_.exchange(false); }

  void look(const std::vector<Device>& devices) {
    reap();
    const auto now = Clock::now();
    std::map<std::string, std::vector<const Device*>> mine;
    for (const auto& d : devices) {
      const bool ours = !cameras_of({d}, board_, "").empty();
      if (!ours) {
        ignore(d, d.is_board(board_.target) ? fmt::format("it is in a mode omv cannot flash ({})", d.mode())
                                            : fmt::format("another board ({}), not {}", d.board_label(), board_.target));
        continue;
      }
      if (d.serial.empty()) {
        ignore(d, "it reports no USB serial number, so it cannot be told apart from the others");
        continue;
      }
      mine[camera_key(d)].push_back(&d);
    }
    for (auto& [key, t] : tracked_) {
      if (t.working) continue;
      if (!t.settled && now - t.ended >= options_.settle) t.settled = true;
      if (t.settled && !mine.count(key)) t.gone = true;
    }
    for (const auto& [key, found] : mine) arrived(key, found);
  }

  // Waits for every camera in progress, then takes in their outcomes.
  void drain() {
    size_t working = 0;
    for (const auto& j : jobs_) working += j->done ? 0 : 1;
    if (working)
      reporter_.info(fmt::format("finishing {} camera(s) in progress; no new camera is started", working),
                     {{"in_progress", working}});
    for (auto& j : jobs_) j->thread.join();
    reap_all();
  }

  WatchResult result;

 private:
  void ignore(const Device& d, const std::string& why) {
    const auto key = camera_key(d);
    if (tracked_.count(key)) return;  // a camera of this session passing through another identity
    if (!said_.insert("ignored " + key).second) return;
    result.ignored.push_back(d.describe());
    reporter_.for_source(fleet_label(d)).warn(fmt::format("ignoring {}: {}", d.describe(), why),
                   {{"ignored", fleet_label(d)}, {"board", d.board_label()}, {"mode", d.mode()},
                    {"location", d.location()}});
  }

  void arrived(const std::string& key, const std::vector<const Device*>& found) {
    auto it = tracked_.find(key);
    if (it != tracked_.end() && it->second.working) return;  // re-enumerating during its own flash
    const Device& d = *found.front();
    const bool wanted = it == tracked_.end() || (it->second.gone && options_.again);
    if (wanted && twice(key, found)) return;
    if (it == tracked_.end()) {
      start(key, d);
      return;
    }
    Tracked& t = it->second;
    const bool running = std::all_of(found.begin(), found.end(), [](const Device* f) { return f->kind() == ModeKind::running; });
    if (!t.settled && (running || !t.ok)) t.settled = true;
    if (!t.gone) return;
    if (options_.again) {
      if (!stopping()) start(key, d);
      return;
    }
    t.gone = false;
    if (t.told) return;
    t.told = true;
    reporter_.for_source(fleet_label(d))
        .info(fmt::format("{} was plugged in again: already {} in this session, not flashed again (--again flashes it)",
                          fleet_label(d), t.ok ? "flashed" : "attempted"),
              {{"camera", fleet_label(d)}, {"replugged", true}});
  }

  // One serial number on two devices at once (two USB sockets, or two listings of the same USB ID,
  // which one camera never has) for 500 ms or more: refused (named once) while it lasts, since a
  // flash by serial could reach either. A camera changing modes is briefly listed twice, but in
  // one socket and under two IDs (its old serial port beside its new USB identity).
  bool twice(const std::string& key, const std::vector<const Device*>& found) {
    bool two = false;
    for (size_t i = 0; i < found.size(); ++i)
      for (size_t j = i + 1; j < found.size(); ++j) {
        const Device& a = *found[i];
        const Device& b = *found[j];
        const bool sockets = !a.bus_port.empty() && !b.bus_port.empty();
        if ((sockets && a.bus_port != b.bus_port) || a.id == b.id) two = true;
      }
    if (!two) {
      twice_since_.erase(key);
      said_.erase("twice " + key);
      return false;
    }
    const auto since = twice_since_.emplace(key, Clock::now()).first->second;
    if (Clock::now() - since < std::chrono::milliseconds(500)) return true;
    if (said_.insert("twice " + key).second) {
      std::set<std::string> where;
      for (const auto* d : found) where.insert(d->location());
      const auto serial = found.front()->serial;
      if (std::find(result.refused.begin(), result.refused.end(), serial) == result.refused.end())
        result.refused.push_back(serial);
      reporter_.for_source(serial).warn(
          fmt::format("serial number {} is on two ports at once ({}): flashing neither", serial,
                      join(std::vector<std::string>(where.begin(), where.end()), " and ")),
          {{"refused", serial}, {"locations", where}});
    }
    return true;
  }

  void start(const std::string& key, const Device& d) {
    if (stopping()) return;
    tracked_[key] = Tracked{true};
    ++started_;
    auto job = std::make_unique<Job>();
    job->camera = d;
    job->key = key;
    const auto label = fleet_label(d);
    arrival_(label, d);
    reporter_.for_source(label).info(
        fmt::format("{} arrived ({}, {}): flashing", label, d.mode(), d.location()),
        {{"camera", label}, {"arrived", true}, {"mode", d.mode()}, {"location", d.location()}});
    Job* j = job.get();
    job->thread = std::thread([this, j] {
      j->outcome = run_fleet_job(j->camera, job_, sink_);
      j->done = true;
      job_ended_ = true;
    });
    jobs_.push_back(std::move(job));
  }

  void reap() {
    for (auto it = jobs_.begin(); it != jobs_.end();) {
      if (!(*it)->done) {
        ++it;
        continue;
      }
      (*it)->thread.join();
      take((*it)->key, std::move((*it)->outcome));
      it = jobs_.erase(it);
    }
  }

  void reap_all() {
    for (auto& j : jobs_) take(j->key, std::move(j->outcome));
    jobs_.clear();
  }

  void take(const std::string& key, FleetOutcome outcome) {
    Tracked& t = tracked_[key];
    t = Tracked{};
    t.ok = outcome.ok;
    t.ended = Clock::now();
    ++ended_;
    const std::string row = !outcome.ok ? "failed" : already_identical(outcome) ? "identical" : "flashed";
    reporter_.for_source(outcome.camera)
        .info(fmt::format("{}: {}", row, outcome.message),
              {{"row_result", row}, {"camera", outcome.camera}, {"ok", outcome.ok}, {"detail", outcome.message}});
    result.outcomes.push_back(std::move(outcome));
  }

  const boards::Board& board_;
  const WatchOptions& options_;
  const FleetJob& job_;
  EventSink& sink_;
  Reporter& reporter_;
  const WatchArrival& arrival_;
  const std::atomic<bool>& stop_;
  std::map<std::string, Tracked> tracked_;
  std::set<std::string> said_;
  std::map<std::string, Clock::time_point> twice_since_;
  std::list<std::unique_ptr<Job>> jobs_;
  std::atomic<bool> job_ended_{false};
  size_t started_ = 0, ended_ = 0;
};

}  // namespace

bool already_identical(const FleetOutcome& o) {
  return o.ok && o.data.is_object() && o.data.value("written_bytes", uint64_t{1}) == 0 &&
         o.data.value("erased_bytes", uint64_t{0}) == 0;
}

WatchResult watch_fleet(const boards::Board& board, const IdentityTable& table, const Sources& sources,
                        const WatchOptions& options, const FleetJob& job, EventSink& sink, Reporter& reporter,
                        const WatchArrival& arrival, const std::atomic<bool>& stop) {
  Watch watch(board, options, job, sink, reporter, arrival, stop);
  reporter.info(fmt::format("watching for {} cameras{}; Ctrl-C finishes the cameras in progress and stops",
                            board.target, options.max ? fmt::format(" (until {} are done)", options.max) : ""),
                {{"watching", board.target}, {"max", options.max}});
  auto devices = scan(table, sources);
  while (true) {
    watch.look(devices);
    if (watch.finished()) break;
    // The bus is watched with inotify (a sim bus's camera folders, or /dev and /dev/bus/usb), so a
    // camera plugged in is seen at once; the 200 ms limit only re-evaluates the settle clocks
    // and the stop flag.
    const auto before = fingerprint(devices);
    sources.wait_until(
        [&] {
          if (stop.load() || watch.job_ended()) return true;
          devices = scan(table, sources);
          return fingerprint(devices) != before;
        },
        std::chrono::milliseconds(200));
  }
  watch.result.interrupted = stop.load();
  watch.drain();
  return std::move(watch.result);
}

}  // namespace omv::discovery
