// omv board TARGET [--json]: everything omv knows about one board.
#include <fmt/format.h>

#include "boards/board_json.h"
#include "cli/command.h"
#include "cli/table.h"
#include "core/text.h"

namespace omv::cli::cmd_board {
namespace {

struct Options {
  std::string target;
};

nlohmann::json checkout_json(const boards::CheckoutBoard& cb, const std::vector<boards::Disagreement>& diffs) {
  nlohmann::json issues = nlohmann::json::array();
  for (const auto& i : cb.make.issues) issues.push_back({{"line", i.line}, {"message", i.message}});
  nlohmann::json d = nlohmann::json::array();
  for (const auto& x : diffs)
    d.push_back({{"field", x.field}, {"variable", x.variable}, {"built_in", x.built_in}, {"checkout", x.checkout}});
  nlohmann::json j = {{"file", cb.config_file.string()}, {"variables", cb.make.variables},
                      {"unreadable", issues},           {"disagreements", d},
                      {"supported", cb.supported}};
  if (!cb.supported) j["unsupported_reason"] = cb.unsupported_reason;
  return j;
}

void print_checkout(const boards::CheckoutBoard& cb, const std::vector<boards::Disagreement>& diffs) {
  fmt::print("\nCheckout ({}):\n", cb.config_file.string());
  if (!cb.supported) fmt::print("  unsupported: {}\n", cb.unsupported_reason);
  for (const char* v : {"MCU", "CPU", "PORT", "OMV_USB_VID", "OMV_USB_PID", "OMV_FIRM_BASE", "OMV_FIRM_ADDR",
                        "OMV_BOOT_ADDR", "OMV_ENABLE_BL", "OMV_JLINK_ARGS", "DEBUGGER", "OMV_DEBUG_ELF"})
    if (const auto* value = cb.var(v)) fmt::print("  {:<15} {}\n", v, *value);
  for (const auto& i : cb.make.issues) fmt::print("  line {}: {}\n", i.line, i.message);
  for (const auto& d : diffs)
    fmt::print("  disagrees: {} = {} but built-in {} = {}\n", d.variable, d.checkout, d.field, d.built_in);
}

void run(Context& ctx, const Options& opt) {
  const auto& db = ctx.boards();
  const auto* co = ctx.checkout();
  const boards::Board* b = db.find(opt.target);
  const boards::CheckoutBoard* cb = co ? co->board(opt.target) : nullptr;
  if (!b && !cb) db.get(opt.target);  // throws with suggestions
  std::vector<boards::Disagreement> diffs;
  if (co && b)
    for (auto& d : boards::compare_with(*co, db))
      if (d.target == b->target) diffs.push_back(d);

  if (ctx.globals.json) {
    nlohmann::json j = b ? boards::to_json(*b) : nlohmann::json{{"target", cb->target}, {"checkout_only", true}};
    if (cb) j["checkout"] = checkout_json(*cb, diffs);
    print_json(j);
    return;
  }
  if (!b) {
    fmt::print("{} exists only in the checkout; omv has no flash data for it.\n", cb->target);
    print_checkout(*cb, diffs);
    return;
  }
  fmt::print("{} - {}\n", b->target, b->name);
  if (!b->supported) fmt::print("  UNSUPPORTED: {}\n", b->unsupported_reason);
  fmt::print("  MCU {}  core {}  port {}\n", b->mcu, b->core, b->port);
  fmt::print("  bootloader {}  USB {} speed", to_string(b->bootloader_type), b->usb_speed);
  if (b->dfu_transfer_size) fmt::print("  wTransferSize {}", b->dfu_transfer_size);
  if (b->bootloader_magic_address) fmt::print("  magic @ {}", hex32(*b->bootloader_magic_address));
  fmt::print("\n\nUSB\n");
  Table usb({"MODE", "VID:PID"});
  for (const auto& [mode, id] : b->usb) usb.add({mode, format_usb_id(id)});
  std::fputs(usb.render("  ").c_str(), stdout);

  fmt::print("\nMemories\n");
  Table mem({"NAME", "KIND", "RANGE", "SIZE", "ERASE UNITS", "TIMING"});
  for (const auto& m : b->memories) {
    std::vector<std::string> runs;
    for (const auto& r : m.erase_layout) runs.push_back(fmt::format("{}x{}", r.count, human_size(r.size)));
    mem.add({m.name, m.kind, hex32(m.base) + "-" + hex32(m.end()), human_size(m.size),
             runs.empty() ? "none" : join(runs, ","),
             fmt::format("erase {}/{} ms, program {} us/{} B", m.timing.erase_typ_ms, m.timing.erase_max_ms,
                         m.timing.program_us_per_unit, m.program_unit)});
  }
  std::fputs(mem.render("  ").c_str(), stdout);

  fmt::print("\nPartitions\n");
  Table parts({"NAME", "ALT", "MEMORY", "START", "END", "SIZE", "RO", "ROLE"});
  for (const auto& p : b->partitions)
    parts.add({p.name, p.alt ? std::to_string(*p.alt) : "-", p.memory, hex32(p.start), hex32(p.end),
               human_size(p.size()), p.read_only ? "yes" : "", p.role});
  std::fputs(parts.render("  ").c_str(), stdout);

  if (!b->files.empty()) {
    fmt::print("\nBuild files (build/{}/bin)\n", b->target);
    Table files({"FILE", "PARTITION", "DEFAULT", "PURPOSE"});
    for (const auto& f : b->files)
      files.add({f.file, f.partition + (f.address ? " @ " + hex32(*f.address) : ""), f.flash_by_default ? "yes" : "no", f.purpose});
    std::fputs(files.render("  ").c_str(), stdout);
  }
  fmt::print("\nErase filesystem: {}", b->erase_fs.method);
  if (!b->erase_fs.partitions.empty())
    fmt::print(" ({} zero bytes at the start of {})", b->erase_fs.bytes, join(b->erase_fs.partitions, ", "));
  fmt::print("\nDebug: server {}", b->debug.server);
  if (!b->debug.jlink_device.empty()) fmt::print(", J-Link device {}", b->debug.jlink_device);
  if (!b->debug.qemu_machine.empty()) fmt::print(", QEMU machine {}", b->debug.qemu_machine);
  fmt::print(", ELF {}", b->debug.elf);
  if (!b->debug.svd.empty()) fmt::print(", SVD {}", b->debug.svd);
  if (b->debug.attach_by_default) fmt::print(", attach by default");
  if (auto probe = b->default_deploy_probe(); !probe.empty()) fmt::print("\nDeploy: --probe {}", probe);
  if (!b->deploy.note.empty()) fmt::print("\n  {}", b->deploy.note);
  fmt::print("\n");
  if (!b->loader.empty()) {
    fmt::print("\nBootloader parameters\n");
    for (const auto& [k, v] : b->loader) fmt::print("  {:<24} {}\n", k, v);
  }
  if (!b->notes.empty()) {
    fmt::print("\nNotes\n");
    for (const auto& n : b->notes) fmt::print("  - {}\n", n);
  }
  fmt::print("\nTiming sources\n");
  for (const auto& m : b->memories) fmt::print("  {}: {}\n", m.name, m.timing.source);
  if (cb) print_checkout(*cb, diffs);
}

void setup(CLI::App& parent, Context& ctx) {
  auto opt = std::make_shared<Options>();
  auto* cmd = parent.add_subcommand("board", "Show everything omv knows about one board");
  cmd->add_option("TARGET", opt->target, "Board TARGET (case-insensitive), e.g. OPENMV4")->required();
  cmd->callback([&ctx, opt] { run(ctx, *opt); });
}

const Register registered{{"board", "Show one board: USB IDs, memories, partitions, debug data", setup, Group::set_up, 6,
                                    "  omv board OPENMV4\n" "  omv board OPENMV_RT1060 --json\n"}};

}  // namespace
}  // namespace omv::cli::cmd_board
