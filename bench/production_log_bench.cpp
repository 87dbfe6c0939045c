// The production log at production-line size, from one run:
//  (a) `omv log --serial X` over a log of 100,000 attempts (the whole command, process start
//      included, as an operator runs it), against the goal of 100 ms; beside it `omv --version`,
//      the cost of starting omv at all, and the query alone inside this process;
//  (b) per camera, the time recording its attempt adds (one WAL transaction into that
//      100,000-row log), against the goal of 2 ms; beside it the same with an fsync per commit,
//      and the once-per-command costs (open, and the sync at close).
// Usage: production_log_bench [ROWS (default 100000)]. Nothing here is pass/fail.
#include <fmt/format.h>
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "omv_run.h"
#include "production/production_log.h"
#include "production/sqlite_db.h"
#include "production/utc_time.h"

namespace {

namespace fs = std::filesystem;
using omv::production::Attempt;
using omv::production::ProductionLog;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

// Rows as omv writes them, inserted in one transaction (a line takes months to write 100,000).
void fill(const fs::path& file, long rows) {
  { ProductionLog create(file, ProductionLog::Purpose::record); }
  omv::production::SqliteDb db(file, omv::production::SqliteDb::Access::read_write_create, std::chrono::seconds(5));
  const std::string sql = fmt::format(R"sql(
    BEGIN;
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {0})
    INSERT INTO attempt (time, station, board, serial, port, bootloader_version, bytes_written, bytes_skipped,
                         bytes_erased, verify, seconds, result, error_kind, error_message, omv_version)
    SELECT strftime('%Y-%m-%dT%H:%M:%fZ', '2026-01-01', '+' || (i * 60) || ' seconds'), 'line-' || (i % 4),
           'OPENMV4', printf('SN%08d', i % ({0} / 5)), '1-4.' || (i % 7), '4.0.1', 1703936, 65536, 0,
           'passed', 12.5, CASE WHEN i % 50 = 0 THEN 'failed' ELSE 'ok' END,
           CASE WHEN i % 50 = 0 THEN 'no_device' END, CASE WHEN i % 50 = 0 THEN 'camera vanished' END, '0.1.0'
    FROM n;
    INSERT INTO attempt_image (attempt_id, position, partition, sha256, bytes)
    SELECT id, 0, 'FIRMWARE', printf('%064d', 7), 1703936 FROM attempt;
    COMMIT;
  )sql", rows);
  db.exec(sql.c_str(), "filling the benchmark log");
}

Attempt camera_attempt(int i) {
  Attempt a;
  a.time = omv::production::iso8601_utc(omv::production::Clock::now());
  a.station = "bench";
  a.board = "OPENMV4";
  a.serial = fmt::format("NEW{:06}", i);
  a.port = "1-4.2";
  a.bootloader_version = "4.0.1";
  a.images = {{"FIRMWARE", std::string(64, 'a'), 1703936}, {"ROMFS0", std::string(64, 'b'), 65536}};
  a.bytes_written = 1703936;
  a.bytes_skipped = 65536;
  a.bytes_erased = 0;
  a.verify = omv::production::Verify::passed;
  a.seconds = 12.5;
  a.ok = true;
  a.omv_version = "0.1.0";
  return a;
}

}  // namespace

int main(int argc, char** argv) {
  const long rows = argc > 1 ? std::atol(argv[1]) : 100000;
  std::string pattern = (fs::temp_directory_path() / "omv-log-bench-XXXXXX").string();
  if (!mkdtemp(pattern.data())) return 1;
  const fs::path dir = pattern;
  const fs::path file = dir / "production.sqlite3";

  auto t0 = std::chrono::steady_clock::now();
  fill(file, rows);
  const double fill_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("log: %ld attempts (%ld cameras, 5 attempts each), %.1f MiB, filled in %.1f s\n", rows, rows / 5,
              static_cast<double>(fs::file_size(file)) / 1048576.0, fill_s);

  // (a) omv log --serial, the whole process.
  constexpr int kRuns = 15;
  std::vector<double> lookup, startup, query_only;
  bool agree = true;
  for (int i = 0; i < kRuns; ++i) {
    const std::string serial = fmt::format("SN{:08}", (i * 7919) % (rows / 5));
    const auto r = omv::bench::run_omv({"log", "--log", file.string(), "--serial", serial, "--json"});
    if (r.exit_code != 0) {
      std::fprintf(stderr, "omv log failed (exit %d)\n", r.exit_code);
      return 1;
    }
    const auto rows_out = nlohmann::json::parse(r.out, nullptr, false);
    lookup.push_back(r.wall_s * 1000);
    startup.push_back(omv::bench::run_omv({"--version"}).wall_s * 1000);
    ProductionLog log(file, ProductionLog::Purpose::read);
    omv::production::LogFilter f;
    f.serial = serial;
    t0 = std::chrono::steady_clock::now();
    const size_t matches = log.query(f).size();
    query_only.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    agree = agree && rows_out.is_array() && rows_out.size() == matches && matches == 5;
  }
  const double lookup_ms = median(lookup);
  std::printf("\n(a) omv log --serial SN over %ld rows, median of %d runs:\n", rows, kRuns);
  std::printf("    omv log --serial X --json  %7.1f ms   goal <= 100 ms   ratio %.2f of the goal\n", lookup_ms,
              lookup_ms / 100.0);
  std::printf("    omv --version (start-up)   %7.1f ms\n", median(startup));
  std::printf("    the query alone            %7.2f ms   (ProductionLog::query in this process)\n", median(query_only));
  std::printf("    rows found: %s\n", agree ? "5 per serial, the same from omv log and the query" : "DISAGREE (check the log)");

  // (b) recording one camera's attempt, as omv flash does (synced at close), and with an fsync
  // per commit for comparison.
  constexpr int kCameras = 300;
  std::printf("\n(b) recording one camera's attempt (one WAL transaction) into that log, %d cameras:\n", kCameras);
  for (bool sync_each : {false, true}) {
    t0 = std::chrono::steady_clock::now();
    auto log = std::make_unique<ProductionLog>(file, ProductionLog::Purpose::record, false, ProductionLog::kBusyTimeout,
                                               sync_each);
    const double open_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    std::vector<double> record_ms;
    for (int i = 0; i < kCameras; ++i) {
      const auto a = camera_attempt(i);
      t0 = std::chrono::steady_clock::now();
      log->record(a);
      record_ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    t0 = std::chrono::steady_clock::now();
    log.reset();
    const double close_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    const double per_camera = median(record_ms);
    std::printf("    %s\n", sync_each ? "fsync per commit (sync_each_attempt; not what omv flash does):"
                                     : "as omv flash --log records (synced once, when the log is closed):");
    std::printf("      per camera: median %.3f ms, p95 %.3f ms, max %.3f ms   goal <= 2 ms   ratio %.2f of the goal\n",
                per_camera, percentile(record_ms, 0.95), percentile(record_ms, 1.0), per_camera / 2.0);
    std::printf("      once per command: open %.1f ms, close with its sync %.1f ms\n", open_ms, close_ms);
  }

  std::error_code ec;
  fs::remove_all(dir, ec);
  return 0;
}
