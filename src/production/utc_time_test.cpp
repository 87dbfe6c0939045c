#include "production/utc_time.h"

#include <gtest/gtest.h>

#include <map>

#include "core/error.h"
#include "production/log_path.h"

namespace omv::production {
namespace {

Clock::time_point at(int64_t unix_ms) {
  return Clock::time_point(std::chrono::duration_cast<Clock::duration>(std::chrono::milliseconds(unix_ms)));
}

TEST(UtcTime, FormatsFixedWidthUtcWithMilliseconds) {
  EXPECT_EQ(iso8601_utc(at(0)), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(iso8601_utc(at(1796679001123)), "2026-12-07T21:30:01.123Z");
}

TEST(UtcTime, ParsesDatesTimesAndOffsets) {
  EXPECT_EQ(parse_iso8601("2026-12-07"), at(1796601600000));
  EXPECT_EQ(parse_iso8601("2026-12-07T21:30"), at(1796679000000));
  EXPECT_EQ(parse_iso8601("2026-12-07 21:30:01"), at(1796679001000));
  EXPECT_EQ(parse_iso8601("2026-12-07T21:30:01.123Z"), at(1796679001123));
  EXPECT_EQ(parse_iso8601("2026-12-07T23:30:01+02:00"), at(1796679001000));
  EXPECT_EQ(parse_iso8601("2026-12-07T16:30:01-0500"), at(1796679001000));
  EXPECT_EQ(parse_iso8601("2024-02-29"), at(1709164800000));
  for (const char* bad : {"", "2026", "2026-13-01", "2026-02-30", "2025-02-29", "2026-12-07T25:00", "2026-12-07T10",
                          "2026-12-07X", "2026-12-07T10:00:00.Z", "yesterday"})
    EXPECT_FALSE(parse_iso8601(bad)) << bad;
  // Formatting and parsing agree, so stored times compare as the times they are.
  EXPECT_EQ(parse_iso8601(iso8601_utc(at(1796679001123))), at(1796679001123));
}

TEST(UtcTime, SinceTakesATimeOrAnAge) {
  const auto now = at(1796679001000);
  EXPECT_EQ(parse_since("90s", now), at(1796679001000 - 90000));
  EXPECT_EQ(parse_since("30m", now), at(1796679001000 - 1800000));
  EXPECT_EQ(parse_since("12h", now), at(1796679001000 - 43200000));
  EXPECT_EQ(parse_since("7d", now), at(1796679001000 - 604800000));
  EXPECT_EQ(parse_since("2026-12-07", now), at(1796601600000));
  for (const char* bad : {"7", "d", "-3d", "3w", "12 h", "soon"}) {
    try {
      parse_since(bad, now);
      ADD_FAILURE() << bad;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::usage);
      EXPECT_NE(std::string(e.what()).find(bad), std::string::npos) << e.what();
      EXPECT_FALSE(e.hint().empty());
    }
  }
}

TEST(LogPath, XdgDataHomeThenHome) {
  auto env = [](std::map<std::string, std::string> vars) {
    return [vars](const char* name) -> std::optional<std::string> {
      auto it = vars.find(name);
      return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
  };
  EXPECT_EQ(default_log_path(env({{"XDG_DATA_HOME", "/data"}, {"HOME", "/home/u"}})), "/data/omv/production.sqlite3");
  EXPECT_EQ(default_log_path(env({{"HOME", "/home/u"}})), "/home/u/.local/share/omv/production.sqlite3");
  // A relative XDG_DATA_HOME is invalid by the specification and ignored.
  EXPECT_EQ(default_log_path(env({{"XDG_DATA_HOME", "data"}, {"HOME", "/home/u"}})),
            "/home/u/.local/share/omv/production.sqlite3");
  EXPECT_THROW(default_log_path(env({})), Error);
}

}  // namespace
}  // namespace omv::production
