// omv boards [--json]: one line per board.
#include <fmt/format.h>

#include "boards/board_json.h"
#include "cli/command.h"
#include "cli/table.h"

namespace omv::cli::cmd_boards {
namespace {

std::string usb_of(const boards::Board& b, const char* mode) {
  auto id = b.usb_id(mode);
  return id ? format_usb_id(*id) : "-";
}

void run(Context& ctx) {
  const auto& db = ctx.boards();
  const auto* co = ctx.checkout();
  if (ctx.globals.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& b : db.all()) out.push_back(boards::to_json(b));
    if (co)
      for (const auto& cb : co->boards) {
        if (db.find(cb.target)) continue;
        auto var = [&](const char* n) { const auto* v = cb.var(n); return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
        out.push_back({{"target", cb.target}, {"name", cb.target}, {"mcu", var("MCU")}, {"port", var("PORT")},
                       {"core", var("CPU")}, {"supported", cb.supported}, {"bootloader_type", "none"},
                       {"usb", nlohmann::json::object()}, {"partitions", nlohmann::json::array()},
                       {"debug", {{"jlink_device", nullptr}}}, {"checkout_only", true},
                       {"source", cb.config_file.string()}});
      }
    print_json(out);
    return;
  }
  Table t({"TARGET", "NAME", "MCU", "CORE", "BOOTLOADER", "APP USB", "BOOT USB"});
  for (const auto& b : db.all()) {
    std::string boot = b.usb_id("bootloader") ? usb_of(b, "bootloader")
                       : b.usb_id("flashloader") ? usb_of(b, "flashloader") : usb_of(b, "rom");
    t.add({b.target + (b.supported ? "" : " (unsupported)"), b.name, b.mcu, b.core, to_string(b.bootloader_type),
           usb_of(b, "app"), boot});
  }
  std::fputs(t.render().c_str(), stdout);
  if (co) {
    Table extra({"TARGET", "MCU", "PORT", "NOTE"});
    for (const auto& cb : co->boards) {
      if (db.find(cb.target)) continue;
      const auto* mcu = cb.var("MCU");
      const auto* port = cb.var("PORT");
      extra.add({cb.target, mcu ? *mcu : "?", port ? *port : "?",
                 cb.supported ? "build and debug only (no built-in flash data)" : "unsupported: " + cb.unsupported_reason});
    }
    if (!extra.empty())
      fmt::print("\nOnly in the checkout at {} (usable for building and debugging):\n{}", co->root.string(), extra.render("  "));
  }
}

void setup(CLI::App& parent, Context& ctx) {
  auto* cmd = parent.add_subcommand("boards", "List every board omv knows (one line each)");
  cmd->callback([&ctx] { run(ctx); });
}

const Register registered{{"boards", "List every board", setup, Group::set_up, 5,
                                    "  omv boards\n" "  omv boards --json\n"}};

}  // namespace
}  // namespace omv::cli::cmd_boards
