#include "discovery/fleet.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "core/text.h"

namespace omv::discovery {

std::string fleet_label(const Device& camera) {
  if (!camera.serial.empty()) return camera.serial;
  if (!camera.bus_port.empty()) return camera.bus_port;
  return camera.location();
}

FleetOutcome run_fleet_job(const Device& camera, const FleetJob& job, EventSink& sink) {
  FleetOutcome out;
  out.camera = fleet_label(camera);
  out.location = camera.location();
  Reporter reporter(sink, out.camera);
  const auto start = std::chrono::steady_clock::now();
  try {
    out.data = job(camera, reporter);
    out.ok = true;
    out.message = out.data.is_object() ? out.data.value("summary", std::string("ok")) : std::string("ok");
  } catch (const Error& e) {
    out.kind = e.kind();
    out.message = e.what();
    out.hint = e.hint();
  } catch (const std::exception& e) {
    out.message = e.what();
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!out.ok) {
    Event failed;
    failed.type = Event::Type::error;
    failed.source = out.camera;
    failed.message = out.message;
    failed.data = {{"kind", kind_name(out.kind)}, {"exit_code", exit_code(out.kind)}};
    if (!out.hint.empty()) failed.data["hint"] = out.hint;
    sink.emit(failed);
  }
  return out;
}

std::vector<FleetOutcome> run_fleet(const std::vector<Device>& cameras, const FleetJob& job, EventSink& sink) {
  std::vector<FleetOutcome> outcomes(cameras.size());
  std::vector<std::thread> threads;
  threads.reserve(cameras.size());
  for (size_t i = 0; i < cameras.size(); ++i)
    threads.emplace_back([&, i] { outcomes[i] = run_fleet_job(cameras[i], job, sink); });
  for (auto& t : threads) t.join();
  return outcomes;
}

std::string fleet_table(const std::vector<FleetOutcome>& outcomes) {
  const std::vector<std::string> header = {"CAMERA", "LOCATION", "RESULT", "TIME", "DETAILS"};
  std::vector<std::vector<std::string>> rows;
  for (const auto& o : outcomes)
    rows.push_back({o.camera, o.location, o.ok ? "ok" : fmt::format("FAILED ({})", kind_name(o.kind)),
                    fmt::format("{:.2f} s", o.seconds), o.message});
  std::vector<size_t> width(header.size());
  for (size_t c = 0; c < header.size(); ++c) {
    width[c] = header[c].size();
    for (const auto& r : rows) width[c] = std::max(width[c], r[c].size());
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string s;
    for (size_t c = 0; c < cells.size(); ++c)
      s += c + 1 == cells.size() ? cells[c] : fmt::format("{:<{}}  ", cells[c], width[c]);
    return s + "\n";
  };
  std::string out = line(header);
  for (const auto& r : rows) out += line(r);
  return out;
}

nlohmann::json to_json(const FleetOutcome& o) {
  nlohmann::json j = {{"camera", o.camera}, {"location", o.location}, {"ok", o.ok},
                      {"message", o.message}, {"seconds", o.seconds}};
  if (!o.ok) {
    j["kind"] = kind_name(o.kind);
    j["exit_code"] = exit_code(o.kind);
    if (!o.hint.empty()) j["hint"] = o.hint;
  }
  if (!o.data.is_null()) j["data"] = o.data;
  return j;
}

void report_fleet(const std::vector<FleetOutcome>& outcomes, const std::string& what, Reporter& reporter) {
  nlohmann::json rows = nlohmann::json::array();
  std::vector<std::string> failed;
  for (const auto& o : outcomes) {
    rows.push_back(to_json(o));
    if (!o.ok) failed.push_back(o.camera);
  }
  const size_t ok = outcomes.size() - failed.size();
  reporter.result(fmt::format("{} on {} camera(s): {} ok, {} failed\n{}", what, outcomes.size(), ok, failed.size(),
                              fleet_table(outcomes)),
                  {{"cameras", rows}, {"ok", ok}, {"failed", failed.size()}});
  if (failed.empty()) return;
  if (outcomes.size() == 1) throw Error(outcomes.front().kind, outcomes.front().message, outcomes.front().hint);
  fail(ErrorKind::partial,
       fmt::format("{} failed on {} of {} cameras: {}", what, failed.size(), outcomes.size(), join(failed, ", ")),
       "the table above has each camera's error; re-run with --serial to retry one");
}

}  // namespace omv::discovery
