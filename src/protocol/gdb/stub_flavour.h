#pragma once
// How the GDB servers of debug probes differ, as data for the stub (stub.h). Each flavour is the
// documented behaviour of one server (facts and sources: the GDB RSP reference, "per-server
// support matrix"): whether it sends a memory map, when it erases, what it does at vFlashDone,
// how it answers qCRC, which monitor words it knows.
#include <string>
#include <vector>

namespace omv::protocol::gdb {

struct StubFlavour {
  enum class Erase {
    immediate,  // vFlashErase erases at once (OpenOCD, probe-rs)
    ignored,    // vFlashErase is a no-op answered OK; vFlashDone erases what it needs (pyOCD)
    deferred,   // erases are collected and done at vFlashDone (ST-LINK_gdbserver via CubeProgrammer)
  };
  enum class Done {
    program,        // program the staged writes as they are (OpenOCD: erase=false)
    smart_sectors,  // per sector: skip when unchanged, else erase and program it; bytes not
                    // written in a touched sector are left erased (pyOCD smart_flash, keep_unwritten off)
    program_erasing_if_needed,  // erase covering sectors unless an erase came (probe-rs, ST-LINK)
  };
  enum class Crc {
    computed,   // C<crc> over target memory (OpenOCD)
    thread_id,  // answers qCRC as if it were qC: "QC1" (pyOCD before 0.37)
    none,       // empty reply (probe-rs, QEMU, and what J-Link and ST-LINK are assumed to do)
  };

  std::string name;
  bool memory_map = true;
  bool map_with_literal_newlines = false;  // probe-rs writes "\n" (two characters) between elements
  bool no_ack_mode = true;
  bool offers_non_stop = false;            // pyOCD lists QNonStop+ (omv does not use non-stop mode)
  bool binary_writes = true;               // X
  bool run_length_replies = false;         // probe-rs
  bool lone_done_is_error = false;         // probe-rs: vFlashDone without a vFlashWrite
  bool flash_through_x = false;            // J-Link: X into flash is programmed by the server
  bool caches_downloaded_reads = false;    // J-Link: reads of downloaded ranges come from its cache until a reset
  bool serves_memory_while_running = false;  // OpenOCD answers m/M after `c`
  Erase erase = Erase::immediate;
  Done done = Done::program;
  Crc crc = Crc::computed;
  std::vector<std::string> reset_words;    // monitor commands that reset (and leave the core running or halted)
  std::vector<std::string> halt_words;
  std::vector<std::string> resume_words;
  size_t packet_size = 0x4000;
};

const StubFlavour& stub_flavour(const std::string& name);  // throws Error{usage} naming the known ones
const std::vector<std::string>& stub_flavour_names();

}  // namespace omv::protocol::gdb
