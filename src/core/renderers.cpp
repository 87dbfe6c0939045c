// The three renderers of the event stream.
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>

#include "core/events.h"
#include "core/numbers.h"

namespace omv {
namespace {

bool colour_enabled() {
  const char* no_color = std::getenv("NO_COLOR");
  return (no_color == nullptr || *no_color == '\0') && isatty(STDERR_FILENO);
}

std::string rate_text(uint64_t bytes, double seconds) {
  if (seconds <= 0.0) return "";
  return fmt::format("{:.0f} KB/s", static_cast<double>(bytes) / 1000.0 / seconds);
}

std::string prefix(const Event& e) { return e.source.empty() ? std::string() : "[" + e.source + "] "; }

// Plain lines, for logs and pipes: one line per phase start/end, warnings and info.
class PlainRenderer : public EventSink {
 public:
  explicit PlainRenderer(FILE* out) : out_(out) {}
  void emit(const Event& e) override {
    std::lock_guard lock(mutex_);
    switch (e.type) {
      case Event::Type::phase_begin:
        started_[e.source + "/" + e.phase] = std::chrono::steady_clock::now();
        fmt::print(out_, "{}{}{}\n", prefix(e), e.phase, e.message.empty() ? "..." : ": " + e.message);
        break;
      case Event::Type::progress: break;
      case Event::Type::phase_end: {
        auto it = started_.find(e.source + "/" + e.phase);
        double secs = it == started_.end() ? 0.0
                        : std::chrono::duration<double>(std::chrono::steady_clock::now() - it->second).count();
        fmt::print(out_, "{}{} done{} ({:.2f} s)\n", prefix(e), e.phase, e.message.empty() ? "" : ": " + e.message, secs);
        break;
      }
      case Event::Type::info: fmt::print(out_, "{}{}\n", prefix(e), e.message); break;
      case Event::Type::warning: fmt::print(out_, "{}warning: {}\n", prefix(e), e.message); break;
      case Event::Type::result: fmt::print(out_, "{}{}\n", prefix(e), e.message); break;
      case Event::Type::error: fmt::print(out_, "{}error: {}\n", prefix(e), e.message); break;
    }
    std::fflush(out_);
  }

 protected:
  FILE* out_;
  std::mutex mutex_;
  std::map<std::string, std::chrono::steady_clock::time_point> started_;
};

// A progress bar per source that redraws in place; everything else as plain lines above it.
class TtyRenderer : public EventSink {
 public:
  TtyRenderer(FILE* out, bool colour) : out_(out), colour_(colour) {}
  void emit(const Event& e) override {
    std::lock_guard lock(mutex_);
    auto& bar = bars_[e.source];
    switch (e.type) {
      case Event::Type::phase_begin:
        bar = Bar{e.phase, e.message, e.total, 0, e.unit, std::chrono::steady_clock::now(), true};
        draw(e.source, bar);
        break;
      case Event::Type::progress:
        bar.done = e.done;
        bar.total = e.total;
        draw(e.source, bar);
        break;
      case Event::Type::phase_end: {
        double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - bar.started).count();
        clear_line();
        std::string what = e.message.empty() ? bar.label : e.message;
        fmt::print(out_, "{}{}{} {}{} ({:.2f} s)\n", prefix(e), paint("32", "✓"), "", bar.phase,
                   what.empty() ? "" : ": " + what, secs);
        bar.active = false;
        break;
      }
      case Event::Type::info: line(e, "", e.message); break;
      case Event::Type::warning: line(e, paint("33", "warning: "), e.message); break;
      case Event::Type::result: line(e, "", e.message); break;
      case Event::Type::error: line(e, paint("31", "error: "), e.message); break;
    }
    std::fflush(out_);
  }

 private:
  struct Bar {
    std::string phase, label;
    uint64_t total = 0, done = 0;
    std::string unit = "B";
    std::chrono::steady_clock::time_point started;
    bool active = false;
  };
  std::string paint(const char* code, const std::string& s) const {
    return colour_ ? fmt::format("\033[{}m{}\033[0m", code, s) : s;
  }
  void clear_line() { fmt::print(out_, "\r\033[2K"); }
  void line(const Event& e, const std::string& tag, const std::string& text) {
    clear_line();
    fmt::print(out_, "{}{}{}\n", prefix(e), tag, text);
    auto it = bars_.find(e.source);
    if (it != bars_.end() && it->second.active) draw(e.source, it->second);
  }
  void draw(const std::string& source, const Bar& bar) {
    clear_line();
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - bar.started).count();
    std::string head = (source.empty() ? "" : "[" + source + "] ") + bar.phase;
    if (bar.total == 0) {
      fmt::print(out_, "{} {}", head, bar.label);
      return;
    }
    const int width = 30;
    double frac = std::min(1.0, static_cast<double>(bar.done) / static_cast<double>(bar.total));
    int filled = static_cast<int>(frac * width);
    std::string cells = std::string(static_cast<size_t>(filled), '#') + std::string(static_cast<size_t>(width - filled), '.');
    std::string amount = bar.unit == "B" ? fmt::format("{}/{}", human_size(bar.done), human_size(bar.total))
                                         : fmt::format("{}/{} {}", bar.done, bar.total, bar.unit);
    std::string rate = bar.unit == "B" ? rate_text(bar.done, secs) : "";
    std::string eta;
    if (bar.done > 0 && bar.done < bar.total && secs > 0.2)
      eta = fmt::format(" {:.0f} s left", secs * static_cast<double>(bar.total - bar.done) / static_cast<double>(bar.done));
    fmt::print(out_, "{} [{}] {:3.0f}% {} {}{}", head, cells, frac * 100.0, amount, rate, eta);
  }

  FILE* out_;
  bool colour_;
  std::mutex mutex_;
  std::map<std::string, Bar> bars_;
};

class JsonRenderer : public EventSink {
 public:
  explicit JsonRenderer(FILE* out) : out_(out), started_(std::chrono::steady_clock::now()) {}
  void emit(const Event& e) override {
    std::lock_guard lock(mutex_);
    auto j = to_json(e);
    // Seconds since the command started, to the microsecond: a log shows what each step took.
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started_);
    j["t"] = static_cast<double>(us.count()) / 1e6;
    std::fputs(j.dump().c_str(), out_);
    std::fputc('\n', out_);
    std::fflush(out_);
  }

 private:
  FILE* out_;
  std::chrono::steady_clock::time_point started_;
  std::mutex mutex_;
};

}  // namespace

RenderMode detect_render_mode(bool json) {
  if (json) return RenderMode::json;
  return isatty(STDERR_FILENO) ? RenderMode::tty : RenderMode::plain;
}

std::unique_ptr<EventSink> make_renderer(RenderMode mode, FILE* out) {
  switch (mode) {
    case RenderMode::tty: return std::make_unique<TtyRenderer>(out ? out : stderr, out == nullptr && colour_enabled());
    case RenderMode::plain: return std::make_unique<PlainRenderer>(out ? out : stderr);
    case RenderMode::json: return std::make_unique<JsonRenderer>(out ? out : stdout);
  }
  return std::make_unique<PlainRenderer>(out ? out : stderr);
}

}  // namespace omv
