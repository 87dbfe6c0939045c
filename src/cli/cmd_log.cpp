// omv log [--log DB] [--since T] [--serial SN] [--board B] [--failed] [--json|--csv] [--limit N]:
// the attempts of the production log that `omv flash --log` records, oldest first.
#include <fmt/format.h>

#include <cstdio>

#include "cli/command.h"
#include "cli/table.h"
#include "core/csv.h"
#include "core/error.h"
#include "core/numbers.h"
#include "production/log_path.h"
#include "production/production_log.h"
#include "production/utc_time.h"

namespace omv::cli::cmd_log {
namespace {

struct Options {
  std::string log;
  std::string since;
  std::string serial;
  std::string board;
  bool failed = false;
  bool csv = false;
  size_t limit = 0;
};

std::string size_or_dash(const std::optional<uint64_t>& bytes) { return bytes ? human_size(*bytes) : "-"; }

// "2026-12-07T21:30:01.123Z" -> "2026-12-07 21:30:01": the table is read by people.
std::string table_time(const std::string& iso) {
  if (iso.size() < 19) return iso;
  std::string t = iso.substr(0, 19);
  t[10] = ' ';
  return t;
}

void print_table(const std::vector<production::Attempt>& attempts, const std::filesystem::path& file) {
  if (attempts.empty()) {
    std::fputs("no attempts match\n", stdout);
    std::fprintf(stderr, "hint: the log is %s; omv log with no filter lists every attempt in it\n", file.c_str());
    return;
  }
  Table t({"TIME (UTC)", "BOARD", "SERIAL", "RESULT", "WRITTEN", "SKIPPED", "VERIFY", "SECONDS", "BOOTLOADER", "STATION",
           "ERROR"});
  for (const auto& a : attempts)
    t.add({table_time(a.time), a.board, a.serial.empty() ? "-" : a.serial, a.ok ? "ok" : "FAILED",
           size_or_dash(a.bytes_written), size_or_dash(a.bytes_skipped), production::verify_name(a.verify),
           fmt::format("{:.2f}", a.seconds), a.bootloader_version.empty() ? "-" : a.bootloader_version, a.station,
           a.ok ? "" : fmt::format("{}: {}", a.error_kind, a.error_message)});
  std::fputs(t.render().c_str(), stdout);
}

void print_csv(const std::vector<production::Attempt>& attempts) {
  std::string out = csv_line(production::csv_header());
  for (const auto& a : attempts) out += csv_line(production::csv_fields(a));
  std::fwrite(out.data(), 1, out.size(), stdout);
}

void run(Context& ctx, const Options& opt) {
  if (opt.csv && ctx.globals.json) fail(ErrorKind::usage, "--csv and --json both given", "choose one output format");
  production::LogFilter filter;
  if (!opt.since.empty())
    filter.since = production::iso8601_utc(production::parse_since(opt.since, production::Clock::now()));
  filter.serial = opt.serial;
  filter.board = opt.board;
  filter.failed_only = opt.failed;
  filter.limit = opt.limit;

  const auto file = opt.log.empty() ? production::default_log_path() : std::filesystem::path(opt.log);
  production::ProductionLog log(file, production::ProductionLog::Purpose::read);
  const auto attempts = log.query(filter);
  if (ctx.globals.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& a : attempts) out.push_back(production::to_json(a));
    print_json(out);
  } else if (opt.csv) {
    print_csv(attempts);
  } else {
    print_table(attempts, file);
  }
}

void setup(CLI::App& parent, Context& ctx) {
  auto opt = std::make_shared<Options>();
  auto* cmd = parent.add_subcommand("log", "Show the production log: every flash attempt recorded with --log");
  cmd->add_option("--log", opt->log,
                  "The log file (default: $XDG_DATA_HOME/omv/production.sqlite3, else ~/.local/share/omv/production.sqlite3)");
  cmd->add_option("--since", opt->since,
                  "Only attempts from this UTC time (2026-12-07, 2026-12-07T14:30, +02:00 offsets) or this age (30m, 12h, 7d)");
  cmd->add_option("--serial", opt->serial, "Only this camera's attempts");
  cmd->add_option("--board", opt->board, "Only attempts on this board TARGET");
  cmd->add_flag("--failed", opt->failed, "Only failed attempts");
  cmd->add_flag("--csv", opt->csv, "CSV on stdout, a header line first (--json: one JSON array)");
  cmd->add_option("--limit", opt->limit, "Only the newest N matching attempts");
  cmd->callback([&ctx, opt] { run(ctx, *opt); });
}

const Register registered{{"log", "Show the production log of flash attempts (filter, JSON, CSV)", setup, Group::flash, 35,
                           "  omv log --serial 3A0032000F51323532363931\n"
                           "  omv log --since 12h --failed\n"
                           "  omv log --log line1.sqlite3 --since 2026-12-07 --csv > today.csv\n"}};

}  // namespace
}  // namespace omv::cli::cmd_log
