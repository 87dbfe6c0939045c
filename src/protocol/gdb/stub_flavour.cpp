#include "protocol/gdb/stub_flavour.h"

#include <map>

#include "core/error.h"
#include "core/text.h"

namespace omv::protocol::gdb {
namespace {

std::map<std::string, StubFlavour> make_flavours() {
  std::map<std::string, StubFlavour> all;
  StubFlavour openocd;
  openocd.name = "openocd";
  openocd.serves_memory_while_running = true;
  openocd.reset_words = {"reset", "reset run", "reset halt", "reset init"};
  openocd.halt_words = {"halt"};
  openocd.resume_words = {"resume"};
  all[openocd.name] = openocd;

  StubFlavour pyocd;
  pyocd.name = "pyocd";
  pyocd.erase = StubFlavour::Erase::ignored;
  pyocd.done = StubFlavour::Done::smart_sectors;
  pyocd.crc = StubFlavour::Crc::thread_id;
  pyocd.offers_non_stop = true;
  pyocd.reset_words = {"reset", "reset halt"};
  pyocd.halt_words = {"halt"};
  pyocd.resume_words = {"continue", "go", "c"};
  all[pyocd.name] = pyocd;

  StubFlavour probe_rs;
  probe_rs.name = "probe-rs";
  probe_rs.map_with_literal_newlines = true;
  probe_rs.run_length_replies = true;
  probe_rs.lone_done_is_error = true;
  probe_rs.done = StubFlavour::Done::program_erasing_if_needed;
  probe_rs.crc = StubFlavour::Crc::none;
  probe_rs.reset_words = {"reset", "reset halt"};
  all[probe_rs.name] = probe_rs;

  StubFlavour jlink;
  jlink.name = "jlink";
  jlink.memory_map = false;
  jlink.flash_through_x = true;
  jlink.caches_downloaded_reads = true;
  jlink.crc = StubFlavour::Crc::none;
  jlink.reset_words = {"reset"};
  jlink.halt_words = {"halt"};
  jlink.resume_words = {"go"};
  all[jlink.name] = jlink;

  StubFlavour stlink;
  stlink.name = "stlink";
  stlink.erase = StubFlavour::Erase::deferred;
  stlink.done = StubFlavour::Done::program_erasing_if_needed;
  stlink.crc = StubFlavour::Crc::none;
  stlink.reset_words = {"reset"};
  stlink.halt_words = {"halt"};
  all[stlink.name] = stlink;
  return all;
}

const std::map<std::string, StubFlavour>& flavours() {
  static const auto all = make_flavours();
  return all;
}

}  // namespace

const std::vector<std::string>& stub_flavour_names() {
  static const auto names = [] {
    std::vector<std::string> out;
    for (const auto& [name, f] : flavours()) out.push_back(name);
    return out;
  }();
  return names;
}

const StubFlavour& stub_flavour(const std::string& name) {
  auto it = flavours().find(name);
  if (it == flavours().end())
    fail(ErrorKind::usage, "unknown GDB server flavour \"" + name + "\"", "flavours: " + join(stub_flavour_names(), ", "));
  return it->second;
}

}  // namespace omv::protocol::gdb
