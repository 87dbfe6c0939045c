#pragma once
// The one event stream. Library code reports what it does through a Reporter; the CLI
// picks a renderer: progress bars on a TTY, plain lines otherwise, JSON lines with --json.
// No library code prints.
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

namespace omv {

struct Event {
  enum class Type { phase_begin, progress, phase_end, info, warning, result, error };
  Type type = Type::info;
  std::string source;   // which camera/device, when several run at once ("" otherwise)
  std::string phase;    // "wait", "read", "erase", "write", "verify", "download", ...
  std::string message;  // human text
  uint64_t done = 0;    // progress: units done so far
  uint64_t total = 0;   // progress: units in the phase (0 = unknown)
  std::string unit = "B";
  nlohmann::json data;  // structured payload (results, error details)
};

const char* event_type_name(Event::Type type);
nlohmann::json to_json(const Event& event);

class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void emit(const Event& event) = 0;
};

// Keeps every event: for tests and for commands that summarise afterwards.
class RecordingSink : public EventSink {
 public:
  void emit(const Event& event) override;
  std::vector<Event> events() const;

 private:
  mutable std::mutex mutex_;
  std::vector<Event> events_;
};

class NullSink : public EventSink {
 public:
  void emit(const Event&) override {}
};

enum class RenderMode { tty, plain, json };

// Picks tty/plain from isatty(stderr) unless --json; NO_COLOR turns colour off.
RenderMode detect_render_mode(bool json);
// Human renderers write to stderr (stdout stays for data); JSON lines go to stdout.
// `out` overrides the stream (tests).
std::unique_ptr<EventSink> make_renderer(RenderMode mode, FILE* out = nullptr);

// A thin, copyable front to a sink that remembers the source and the current phase.
class Reporter {
 public:
  explicit Reporter(EventSink& sink, std::string source = {}) : sink_(&sink), source_(std::move(source)) {}
  Reporter for_source(std::string source) const { return Reporter(*sink_, std::move(source)); }

  void begin(std::string phase, uint64_t total = 0, std::string message = {}, std::string unit = "B");
  void progress(uint64_t done);
  void end(std::string message = {}, nlohmann::json data = {});
  void info(std::string message, nlohmann::json data = {});
  void warn(std::string message, nlohmann::json data = {});
  void result(std::string message, nlohmann::json data);
  EventSink& sink() const { return *sink_; }
  const std::string& source() const { return source_; }

 private:
  EventSink* sink_;
  std::string source_;
  std::string phase_;
  uint64_t total_ = 0;
  std::string unit_ = "B";
  std::chrono::steady_clock::time_point last_progress_{};
};

}  // namespace omv
