#pragma once
// Times in the production log: UTC, ISO-8601 with milliseconds ("2026-12-07T21:30:01.123Z"), a
// fixed-width form whose text order is time order, so SQLite compares them as strings.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace omv::production {

using Clock = std::chrono::system_clock;

std::string iso8601_utc(Clock::time_point time);

// "2026-12-07", "2026-12-07T10:00", "2026-12-07 10:00:05", each optionally with fractional
// seconds and "Z" or an offset ("+02:00", "-0500"); without a zone the time is UTC.
std::optional<Clock::time_point> parse_iso8601(std::string_view text);

// --since: an ISO-8601 time as above, or an age before `now` ("90s", "30m", "12h", "7d").
// Throws Error{usage} naming the text.
Clock::time_point parse_since(std::string_view text, Clock::time_point now);

}  // namespace omv::production
