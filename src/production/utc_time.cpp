#include "production/utc_time.h"

#include <fmt/format.h>

#include <charconv>
#include <ctime>

#include "core/error.h"

namespace omv::production {
namespace {

// Reads exactly `digits` decimal digits at `pos`.
std::optional<int> read_number(std::string_view text, size_t& pos, size_t digits) {
  if (pos + digits > text.size()) return std::nullopt;
  int value = 0;
  auto [end, ec] = std::from_chars(text.data() + pos, text.data() + pos + digits, value);
  if (ec != std::errc() || end != text.data() + pos + digits) return std::nullopt;
  pos += digits;
  return value;
}

bool take(std::string_view text, size_t& pos, char c) {
  if (pos < text.size() && text[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool valid_date(int y, int m, int d) {
  if (m < 1 || m > 12 || d < 1) return false;
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= days[m - 1] + (m == 2 && leap ? 1 : 0);
}

}  // namespace

std::string iso8601_utc(Clock::time_point time) {
  const auto ms = std::chrono::floor<std::chrono::milliseconds>(time).time_since_epoch().count();
  const std::time_t seconds = static_cast<std::time_t>(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                     tm.tm_hour, tm.tm_min, tm.tm_sec, ((ms % 1000) + 1000) % 1000);
}

std::optional<Clock::time_point> parse_iso8601(std::string_view text) {
  size_t pos = 0;
  auto year = read_number(text, pos, 4);
  if (!year || !take(text, pos, '-')) return std::nullopt;
  auto month = read_number(text, pos, 2);
  if (!month || !take(text, pos, '-')) return std::nullopt;
  auto day = read_number(text, pos, 2);
  if (!day || !valid_date(*year, *month, *day)) return std::nullopt;
  int hour = 0, minute = 0, second = 0;
  int64_t millis = 0;
  int64_t offset_minutes = 0;
  if (take(text, pos, 'T') || take(text, pos, 't') || take(text, pos, ' ')) {
    auto h = read_number(text, pos, 2);
    if (!h || !take(text, pos, ':')) return std::nullopt;
    auto m = read_number(text, pos, 2);
    if (!m) return std::nullopt;
    hour = *h;
    minute = *m;
    if (take(text, pos, ':')) {
      auto s = read_number(text, pos, 2);
      if (!s) return std::nullopt;
      second = *s;
      if (take(text, pos, '.') || take(text, pos, ',')) {
        int64_t scale = 100;
        size_t digits = 0;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
          millis += (text[pos] - '0') * scale;
          scale /= 10;
          ++pos;
          ++digits;
        }
        if (!digits) return std::nullopt;
      }
    }
    if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
    if (take(text, pos, 'Z') || take(text, pos, 'z')) {
    } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
      const int sign = text[pos++] == '-' ? -1 : 1;
      auto oh = read_number(text, pos, 2);
      if (!oh) return std::nullopt;
      take(text, pos, ':');
      auto om = read_number(text, pos, 2);
      if (!om || *oh > 23 || *om > 59) return std::nullopt;
      offset_minutes = sign * (*oh * 60 + *om);
    }
  }
  if (pos != text.size()) return std::nullopt;
  const int64_t seconds = days_from_civil(*year, static_cast<unsigned>(*month), static_cast<unsigned>(*day)) * 86400 +
                          hour * 3600 + minute * 60 + second - offset_minutes * 60;
  return Clock::time_point(std::chrono::duration_cast<Clock::duration>(std::chrono::milliseconds(seconds * 1000 + millis)));
}

Clock::time_point parse_since(std::string_view text, Clock::time_point now) {
  if (auto t = parse_iso8601(text)) return *t;
  if (text.size() >= 2) {
    int64_t amount = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size() - 1, amount);
    if (ec == std::errc() && end == text.data() + text.size() - 1 && amount >= 0) {
      const char unit = text.back();
      const int64_t unit_seconds = unit == 's' ? 1 : unit == 'm' ? 60 : unit == 'h' ? 3600 : unit == 'd' ? 86400 : 0;
      if (unit_seconds) return now - std::chrono::seconds(amount * unit_seconds);
    }
  }
  fail(ErrorKind::usage, fmt::format("--since {}: not a time or an age", text),
       "give a UTC time such as 2026-12-07 or 2026-12-07T14:30 (an offset like +02:00 may follow), or an age: 90s, 30m, 12h, 7d");
}

}  // namespace omv::production
