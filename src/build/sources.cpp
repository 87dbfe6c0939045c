#include "build/sources.h"

#include <fmt/format.h>

#include <csignal>

#include "build/process.h"
#include "core/error.h"
#include "core/text.h"

namespace omv::build {
namespace fs = std::filesystem;

namespace {

void step(const std::vector<std::string>& argv, const fs::path& cwd, Reporter& reporter, bool json, ErrorKind kind,
          const std::string& hint) {
  reporter.info("$ " + command_line(argv));
  ProcessOptions o;
  o.cwd = cwd;
  o.stdout_to_stderr = json;
  o.unset = {"MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES"};
  auto r = run_process(argv, o);
  if (r.signal == SIGINT) fail(ErrorKind::interrupted, "interrupted");
  if (r.exit_code != 0) fail(kind, fmt::format("'{}' failed (exit {})", command_line(argv), r.exit_code), hint);
}

bool micropython_present(const fs::path& root) {
  std::error_code ec;
  return fs::exists(root / "lib" / "micropython" / "py", ec) || fs::exists(root / "lib" / "micropython" / "ports", ec);
}

}  // namespace

void fetch_board_submodules(const boards::Checkout& checkout, const boards::CheckoutBoard& board, Reporter& reporter,
                            bool json) {
  const fs::path root = checkout.root;
  if (!micropython_present(root))
    step({"git", "-C", root.string(), "submodule", "update", "--init", "--depth=1", "lib/micropython"}, root, reporter,
         json, ErrorKind::network, "check the network and that this is a git checkout");
  const auto* port = board.var("PORT");
  if (!port || port->empty())
    fail(ErrorKind::bad_board_data, fmt::format("{}: no PORT, so its MicroPython port is unknown", board.config_file.string()));
  const fs::path port_dir = root / "lib" / "micropython" / "ports" / *port;
  std::error_code ec;
  if (!fs::is_directory(port_dir, ec))
    fail(ErrorKind::bad_file, fmt::format("{}: no such MicroPython port", port_dir.string()),
         "is lib/micropython complete? 'git submodule update --init lib/micropython'");
  step({"make", "-C", port_dir.string(), "BOARD=" + board.target, "submodules"}, root, reporter, json, ErrorKind::network,
       "check the network; 'git submodule status' shows what is missing");
}

void clone_checkout(const CloneOptions& o, Reporter& reporter) {
  std::error_code ec;
  if (fs::exists(o.dir, ec) && !fs::is_empty(o.dir, ec))
    fail(ErrorKind::refused, fmt::format("{} already exists and is not empty", o.dir.string()),
         "pick another folder: omv clone DIR");
  const fs::path dir = fs::absolute(o.dir);
  const fs::path cwd = dir.parent_path();
  fs::create_directories(cwd, ec);
  const std::string hint = "check the URL and the network";
  if (o.full) {
    step({"git", "clone", "--recursive", o.url, dir.string()}, cwd, reporter, o.json, ErrorKind::network, hint);
  } else {
    step({"git", "clone", "--depth=1", o.url, dir.string()}, cwd, reporter, o.json, ErrorKind::network, hint);
    if (o.board.empty()) {
      step({"git", "-C", dir.string(), "submodule", "update", "--init", "--depth=1", "--no-single-branch"}, dir, reporter,
           o.json, ErrorKind::network, hint);
      step({"git", "-C", (dir / "lib" / "micropython").string(), "submodule", "update", "--init", "--depth=1"}, dir,
           reporter, o.json, ErrorKind::network, hint);
    }
  }
  if (!o.board.empty()) {
    if (!boards::looks_like_checkout(dir))
      fail(ErrorKind::bad_file, fmt::format("{} does not look like a firmware checkout (no SDK_VERSION, boards/ or Makefile)",
                                            dir.string()));
    auto checkout = boards::read_checkout(dir);
    const auto* board = checkout.board(o.board);
    if (!board) {
      std::vector<std::string> names;
      for (const auto& b : checkout.boards) names.push_back(b.target);
      auto near = nearest(o.board, names);
      fail(ErrorKind::usage, fmt::format("unknown TARGET '{}' in {} (the clone is there, without submodules)", o.board,
                                         dir.string()),
           near.empty() ? "see boards/ in the clone" : "did you mean " + join(near, ", ") + "?");
    }
    fetch_board_submodules(checkout, *board, reporter, o.json);
  }
  reporter.result(fmt::format("cloned {} into {}", o.url, dir.string()),
                  {{"dir", dir.string()}, {"url", o.url}, {"full", o.full}, {"board", o.board}});
}

}  // namespace omv::build
