#include <cstdio>

#include "cli/command.h"
#include "core/error.h"

namespace omv::cli {

std::vector<Command>& registry() {
  static std::vector<Command> commands;
  return commands;
}

const boards::BoardDb& Context::boards() {
  if (!boards_)
    boards_ = globals.boards_dir.empty() ? boards::BoardDb::built_in() : boards::BoardDb::from_directory(globals.boards_dir);
  return *boards_;
}

const boards::Checkout* Context::checkout() {
  if (!checkout_searched_) {
    checkout_searched_ = true;
    if (!globals.repo.empty()) {
      checkout_ = boards::read_checkout(globals.repo);
    } else if (auto root = boards::find_checkout_root(std::filesystem::current_path())) {
      checkout_ = boards::read_checkout(*root);
    }
  }
  return checkout_ ? &*checkout_ : nullptr;
}

const boards::Checkout& Context::require_checkout() {
  if (const auto* co = checkout()) return *co;
  fail(ErrorKind::usage, "not inside a firmware checkout",
       "cd into an openmv checkout or pass --repo DIR ('omv clone' fetches one)");
}

EventSink& Context::events() {
  if (!sink_) sink_ = make_renderer(detect_render_mode(globals.json));
  return *sink_;
}

void print_json(const nlohmann::json& doc) {
  std::fputs(doc.dump(2).c_str(), stdout);
  std::fputc('\n', stdout);
}

}  // namespace omv::cli
