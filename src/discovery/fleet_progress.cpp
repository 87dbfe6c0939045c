#include "discovery/fleet_progress.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/numbers.h"

namespace omv::discovery {
namespace {

class Forward : public EventSink {
 public:
  explicit Forward(EventSink& to) : to_(to) {}
  void emit(const Event& e) override { to_.emit(e); }

 private:
  EventSink& to_;
};

}  // namespace

FleetProgressSink::FleetProgressSink(std::vector<std::string> sources, FILE* out) : sources_(std::move(sources)), out_(out) {}

FleetProgressSink::~FleetProgressSink() {
  std::lock_guard lock(mutex_);
  if (drawn_) std::fflush(out_);
}

std::string FleetProgressSink::render(const std::string& source, const Line& l) const {
  size_t width = 0, where = 0;
  for (const auto& s : sources_) width = std::max(width, s.size());
  for (const auto& [s, line] : lines_) where = std::max(where, line.location.size());
  std::string head = where ? fmt::format("[{:<{}}] {:<{}} {:<7}", source, width, l.location, where,
                                         l.phase.empty() ? "waiting" : l.phase)
                           : fmt::format("[{:<{}}] {:<7}", source, width, l.phase.empty() ? "waiting" : l.phase);
  if (!l.state.empty()) return fmt::format("{} {} {}", head, l.state, l.label);
  if (l.total == 0) return fmt::format("{} {}", head, l.label);
  const double frac = std::min(1.0, static_cast<double>(l.done) / static_cast<double>(l.total));
  const int filled = static_cast<int>(frac * 24);
  const std::string bar = std::string(static_cast<size_t>(filled), '#') + std::string(static_cast<size_t>(24 - filled), '.');
  const std::string amount = l.unit == "B" ? fmt::format("{}/{}", human_size(l.done), human_size(l.total))
                                           : fmt::format("{}/{} {}", l.done, l.total, l.unit);
  return fmt::format("{} [{}] {:3.0f}% {}", head, bar, frac * 100.0, amount);
}

void FleetProgressSink::redraw() {
  if (drawn_ && drawn_rows_) fmt::print(out_, "\033[{}F", drawn_rows_);
  for (const auto& s : sources_) fmt::print(out_, "\033[2K{}\n", render(s, lines_[s]));
  drawn_ = true;
  drawn_rows_ = sources_.size();
  std::fflush(out_);
}

void FleetProgressSink::add_row(const std::string& source, const std::string& location) {
  std::lock_guard lock(mutex_);
  if (std::find(sources_.begin(), sources_.end(), source) == sources_.end()) sources_.push_back(source);
  lines_[source] = Line{};
  lines_[source].location = location;
  redraw();
}

void FleetProgressSink::emit(const Event& e) {
  std::lock_guard lock(mutex_);
  const bool known = std::find(sources_.begin(), sources_.end(), e.source) != sources_.end();
  if (known && e.type == Event::Type::info && e.data.is_object() && e.data.contains("row_result")) {
    Line& l = lines_[e.source];
    l.state = e.data["row_result"].get<std::string>();
    l.label = e.data.value("detail", e.message);
    redraw();
    return;
  }
  if (!known || e.type == Event::Type::info || e.type == Event::Type::warning || e.type == Event::Type::result) {
    // A line above the block: erase the block, print, draw it again below.
    if (drawn_ && drawn_rows_) {
      fmt::print(out_, "\033[{}F\033[J", drawn_rows_);
      drawn_ = false;
    }
    const std::string tag = e.type == Event::Type::warning ? "warning: " : e.type == Event::Type::error ? "error: " : "";
    fmt::print(out_, "{}{}{}\n", e.source.empty() ? "" : "[" + e.source + "] ", tag, e.message);
    if (e.type != Event::Type::result) redraw();
    std::fflush(out_);
    return;
  }
  Line& l = lines_[e.source];
  switch (e.type) {
    case Event::Type::phase_begin:
      l = Line{e.phase, e.message, e.unit, 0, e.total, "", l.location};
      break;
    case Event::Type::progress:
      l.done = e.done;
      l.total = e.total;
      break;
    case Event::Type::phase_end:
      l.label = e.message;
      l.done = l.total;
      break;
    case Event::Type::error:
      l.state = "FAILED";
      l.label = e.message;
      break;
    default:
      break;
  }
  redraw();
}

std::unique_ptr<EventSink> fleet_sink(RenderMode mode, std::vector<std::string> sources, EventSink& fallback) {
  if (mode == RenderMode::tty) return std::make_unique<FleetProgressSink>(std::move(sources), stderr);
  return std::make_unique<Forward>(fallback);
}

}  // namespace omv::discovery
