#include "core/events.h"

namespace omv {

const char* event_type_name(Event::Type type) {
  switch (type) {
    case Event::Type::phase_begin: return "phase_begin";
    case Event::Type::progress: return "progress";
    case Event::Type::phase_end: return "phase_end";
    case Event::Type::info: return "info";
    case Event::Type::warning: return "warning";
    case Event::Type::result: return "result";
    case Event::Type::error: return "error";
  }
  return "info";
}

nlohmann::json to_json(const Event& event) {
  nlohmann::json j;
  j["event"] = event_type_name(event.type);
  if (!event.source.empty()) j["source"] = event.source;
  if (!event.phase.empty()) j["phase"] = event.phase;
  if (!event.message.empty()) j["message"] = event.message;
  if (event.type == Event::Type::progress || event.type == Event::Type::phase_begin) {
    j["done"] = event.done;
    j["total"] = event.total;
    j["unit"] = event.unit;
  }
  if (!event.data.is_null()) j["data"] = event.data;
  return j;
}

void RecordingSink::emit(const Event& event) {
  std::lock_guard lock(mutex_);
  events_.push_back(event);
}

std::vector<Event> RecordingSink::events() const {
  std::lock_guard lock(mutex_);
  return events_;
}

void Reporter::begin(std::string phase, uint64_t total, std::string message, std::string unit) {
  phase_ = std::move(phase);
  total_ = total;
  unit_ = std::move(unit);
  last_progress_ = {};
  Event e;
  e.type = Event::Type::phase_begin;
  e.source = source_;
  e.phase = phase_;
  e.message = std::move(message);
  e.total = total_;
  e.unit = unit_;
  sink_->emit(e);
}

void Reporter::progress(uint64_t done) {
  // Rate-limit to ~20 events/s so fast loops do not drown the renderer; the last one always goes.
  auto now = std::chrono::steady_clock::now();
  if (done < total_ && now - last_progress_ < std::chrono::milliseconds(50)) return;
  last_progress_ = now;
  Event e;
  e.type = Event::Type::progress;
  e.source = source_;
  e.phase = phase_;
  e.done = done;
  e.total = total_;
  e.unit = unit_;
  sink_->emit(e);
}

void Reporter::end(std::string message, nlohmann::json data) {
  Event e;
  e.type = Event::Type::phase_end;
  e.source = source_;
  e.phase = phase_;
  e.message = std::move(message);
  e.data = std::move(data);
  sink_->emit(e);
}

void Reporter::info(std::string message, nlohmann::json data) {
  Event e;
  e.type = Event::Type::info;
  e.source = source_;
  e.message = std::move(message);
  e.data = std::move(data);
  sink_->emit(e);
}

void Reporter::warn(std::string message, nlohmann::json data) {
  Event e;
  e.type = Event::Type::warning;
  e.source = source_;
  e.message = std::move(message);
  e.data = std::move(data);
  sink_->emit(e);
}

void Reporter::result(std::string message, nlohmann::json data) {
  Event e;
  e.type = Event::Type::result;
  e.source = source_;
  e.message = std::move(message);
  e.data = std::move(data);
  sink_->emit(e);
}

}  // namespace omv
