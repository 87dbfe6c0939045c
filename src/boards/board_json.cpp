#include "boards/board_json.h"

namespace omv::boards {

nlohmann::json to_json(const Board& b) {
  using nlohmann::json;
  json j;
  j["target"] = b.target;
  j["name"] = b.name;
  j["mcu"] = b.mcu;
  j["port"] = b.port;
  j["core"] = b.core;
  j["supported"] = b.supported;
  if (!b.supported) j["unsupported_reason"] = b.unsupported_reason;
  j["bootloader_type"] = to_string(b.bootloader_type);
  json usb = json::object();
  for (const auto& [mode, id] : b.usb) usb[mode] = format_usb_id(id);
  j["usb"] = usb;
  j["usb_speed"] = b.usb_speed;
  j["dfu_transfer_size"] = b.dfu_transfer_size ? json(b.dfu_transfer_size) : json(nullptr);
  j["bootloader_magic_address"] = b.bootloader_magic_address ? json(*b.bootloader_magic_address) : json(nullptr);
  json memories = json::array();
  for (const auto& m : b.memories) {
    json layout = json::array();
    for (const auto& r : m.erase_layout) layout.push_back({{"count", r.count}, {"size", r.size}});
    memories.push_back({{"name", m.name},
                        {"kind", m.kind},
                        {"base", m.base},
                        {"size", m.size},
                        {"xip_base", m.xip_base ? json(*m.xip_base) : json(nullptr)},
                        {"erase_layout", layout},
                        {"program_unit", m.program_unit},
                        {"dfuse_layout", m.dfuse_layout.empty() ? json(nullptr) : json(m.dfuse_layout)},
                        {"dfuse_alt", m.dfuse_alt ? json(*m.dfuse_alt) : json(nullptr)},
                        {"timing",
                         {{"erase_typ_ms", m.timing.erase_typ_ms},
                          {"erase_max_ms", m.timing.erase_max_ms},
                          {"erase_ms_per_kib", m.timing.erase_ms_per_kib},
                          {"program_us_per_unit", m.timing.program_us_per_unit},
                          {"source", m.timing.source}}}});
  }
  j["memories"] = memories;
  json partitions = json::array();
  for (const auto& p : b.partitions) {
    json pj = {{"name", p.name},
               {"alt", p.alt ? json(*p.alt) : json(nullptr)},
               {"memory", p.memory},
               {"start", p.start},
               {"end", p.end},
               {"size", p.size()},
               {"read_only", p.read_only},
               {"role", p.role}};
    if (!p.note.empty()) pj["note"] = p.note;
    partitions.push_back(pj);
  }
  j["partitions"] = partitions;
  json files = json::array();
  for (const auto& f : b.files) {
    json fj = {{"file", f.file}, {"partition", f.partition}, {"purpose", f.purpose}, {"flash_by_default", f.flash_by_default}};
    fj["address"] = f.address ? json(*f.address) : json(nullptr);
    files.push_back(fj);
  }
  j["files"] = files;
  j["erase_fs"] = {{"method", b.erase_fs.method}, {"partitions", b.erase_fs.partitions}, {"bytes", b.erase_fs.bytes}};
  if (!b.erase_fs.note.empty()) j["erase_fs"]["note"] = b.erase_fs.note;
  j["debug"] = {{"jlink_device", b.debug.jlink_device.empty() ? json(nullptr) : json(b.debug.jlink_device)},
                {"server", b.debug.server},
                {"elf", b.debug.elf},
                {"svd", b.debug.svd.empty() ? json(nullptr) : json(b.debug.svd)},
                {"stlink_external_loader",
                 b.debug.stlink_external_loader.empty() ? json(nullptr) : json(b.debug.stlink_external_loader)},
                {"qemu_machine", b.debug.qemu_machine.empty() ? json(nullptr) : json(b.debug.qemu_machine)},
                {"access_port", b.debug.access_port},
                {"attach_by_default", b.debug.attach_by_default}};
  j["deploy"] = {{"probe", b.default_deploy_probe().empty() ? json(nullptr) : json(b.default_deploy_probe())}};
  if (!b.deploy.note.empty()) j["deploy"]["note"] = b.deploy.note;
  j["loader"] = b.loader;
  j["notes"] = b.notes;
  j["source"] = b.source;
  return j;
}

}  // namespace omv::boards
