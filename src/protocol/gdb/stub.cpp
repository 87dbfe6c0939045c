#include "protocol/gdb/stub.h"

#include <fmt/format.h>

#include <algorithm>

#include "protocol/gdb/crc32.h"

namespace omv::protocol::gdb {
namespace {

constexpr uint32_t kThumbState = 0x01000000;  // xPSR after reset: the T bit

struct Span {
  uint64_t address = 0, length = 0;
};

// "ADDR,LENGTH" in hex.
std::optional<Span> parse_span(std::string_view text) {
  auto comma = text.find(',');
  if (comma == std::string_view::npos) return std::nullopt;
  auto a = parse_hex_number(text.substr(0, comma));
  auto n = parse_hex_number(text.substr(comma + 1));
  if (!a || !n) return std::nullopt;
  return Span{*a, *n};
}

std::string command_name(const std::string& p) {
  if (p.empty()) return "";
  const char c = p[0];
  if (c == 'm' || c == 'M' || c == 'X' || c == 'g' || c == 'G' || c == 'p' || c == 'P' || c == 'c' || c == 's' ||
      c == 'H' || c == 'T' || c == 'Z' || c == 'z' || c == 'D' || c == 'k' || c == '?')
    return std::string(1, c);
  return p.substr(0, p.find_first_of(":,;"));
}

bool one_of(const std::vector<std::string>& words, const std::string& w) {
  return std::find(words.begin(), words.end(), w) != words.end();
}

std::string le32_hex(uint32_t v) {
  const uint8_t b[4] = {static_cast<uint8_t>(v), static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v >> 16),
                        static_cast<uint8_t>(v >> 24)};
  return to_hex(std::span<const uint8_t>(b, 4));
}

std::optional<uint32_t> parse_le32_hex(std::string_view hex) {
  auto bytes = from_hex(hex);
  if (!bytes || bytes->size() != 4) return std::nullopt;
  return static_cast<uint32_t>((*bytes)[0] | (*bytes)[1] << 8 | (*bytes)[2] << 16 | static_cast<uint32_t>((*bytes)[3]) << 24);
}

}  // namespace

std::string m_profile_target_xml() {
  std::string regs;
  for (int i = 0; i < 13; ++i) regs += fmt::format("<reg name=\"r{}\" bitsize=\"32\"/>", i);
  regs += "<reg name=\"sp\" bitsize=\"32\" type=\"data_ptr\"/><reg name=\"lr\" bitsize=\"32\"/>"
          "<reg name=\"pc\" bitsize=\"32\" type=\"code_ptr\"/><reg name=\"xpsr\" bitsize=\"32\"/>";
  return "<?xml version=\"1.0\"?><!DOCTYPE target SYSTEM \"gdb-target.dtd\"><target><architecture>arm</architecture>"
         "<feature name=\"org.gnu.gdb.arm.m-profile\">" + regs + "</feature></target>";
}

Stub::Stub(StubTarget& target, const StubFlavour& flavour)
    : target_(target), flavour_(flavour), regions_(target.regions()) {
  core_reset();
}

const MemoryRegion* Stub::region_at(uint64_t address) const {
  for (const auto& r : regions_)
    if (r.contains(address)) return &r;
  return nullptr;
}

void Stub::core_reset() {
  // The vector table sits at the start of the first flash region: initial SP, then the reset handler.
  registers_.assign(17, 0);
  registers_[16] = kThumbState;
  for (const auto& r : regions_) {
    if (r.type != MemoryRegion::Type::flash) continue;
    uint8_t v[8] = {};
    if (target_.read(r.start, v, StubTarget::Access::on_chip)) {
      registers_[13] = static_cast<uint32_t>(v[0] | v[1] << 8 | v[2] << 16 | static_cast<uint32_t>(v[3]) << 24);
      registers_[15] = static_cast<uint32_t>(v[4] | v[5] << 8 | v[6] << 16 | static_cast<uint32_t>(v[7]) << 24) & ~1u;
    }
    break;
  }
}

void Stub::connected() {
  reader_ = PacketReader();
  acks_ = true;
  running_ = false;  // halts on connect
  silent_ = false;
  last_reply_.clear();
  staged_.clear();
  erased_blocks_.clear();
  erase_seen_ = false;
  download_.clear();
}

void Stub::disconnected() {
  // Staged vFlash data without its vFlashDone is dropped, as the servers do; a J-Link download
  // in progress is still programmed (the DLL finishes what it was given).
  commit_download();
  staged_.clear();
  erased_blocks_.clear();
  running_ = true;
}

void Stub::reply(Output& out, std::string payload) {
  if (flavour_.run_length_replies) payload = encode_runs(payload);
  last_reply_ = frame(payload);
  out.bytes += last_reply_;
}

Stub::Output Stub::feed(std::span<const uint8_t> bytes) {
  Output out;
  reader_.feed(bytes);
  while (auto in = reader_.next()) {
    if (silent_) continue;
    if (in->kind == Incoming::Kind::nak) {
      out.bytes += last_reply_;
      continue;
    }
    if (in->kind == Incoming::Kind::ack) continue;
    if (in->kind == Incoming::Kind::interrupt) {
      counters_.packets["\\x03"]++;
      if (running_) {
        running_ = false;
        reply(out, "S02");
      }
      continue;
    }
    if (!in->checksum_ok) {
      counters_.checksum_errors++;
      if (acks_) out.bytes += '-';
      continue;
    }
    if (fault_ && fault_("probe_silent")) {
      silent_ = true;  // until the next connection
      continue;
    }
    if (acks_) out.bytes += '+';
    auto expanded = expand_runs(in->payload);
    if (!expanded) {
      reply(out, "E01");
      continue;
    }
    handle(*expanded, out);
    if (out.close) break;
  }
  return out;
}

void Stub::handle(const std::string& p, Output& out) {
  const std::string name = command_name(p);
  counters_.packets[name]++;
  const bool memory_packet = name == "m" || name == "M" || name == "X";
  if (running_ && !(flavour_.serves_memory_while_running && memory_packet)) {
    // The core runs: a server in all-stop mode only listens for the interrupt byte.
    counters_.ignored_while_running++;
    return;
  }
  if (!download_.empty() && !memory_packet) commit_download();

  if (p.starts_with("qSupported")) {
    std::string f = fmt::format("PacketSize={:x};qXfer:features:read+", flavour_.packet_size);
    f += flavour_.memory_map ? ";qXfer:memory-map:read+" : ";qXfer:memory-map:read-";
    if (flavour_.no_ack_mode) f += ";QStartNoAckMode+";
    if (flavour_.offers_non_stop) f += ";QNonStop+";
    return reply(out, f);
  }
  if (p == "QStartNoAckMode" && flavour_.no_ack_mode) {
    reply(out, "OK");
    acks_ = false;
    return;
  }
  if (p.starts_with("qXfer:")) return handle_xfer(p, out);
  if (p == "?") return reply(out, "S05");
  if (p == "qAttached") return reply(out, "1");
  if (p == "qC") return reply(out, "QC1");
  if (p == "qfThreadInfo") return reply(out, "m1");
  if (p == "qsThreadInfo") return reply(out, "l");
  if (p[0] == 'H' || p[0] == 'T') return reply(out, "OK");
  if (p == "vCont?") return reply(out, "vCont;c;C;s;S");
  if (p == "vMustReplyEmpty") return reply(out, "");
  if (p[0] == 'm') return handle_memory_read(p.substr(1), out);
  if (p[0] == 'M' || p[0] == 'X') {
    if (p[0] == 'X' && !flavour_.binary_writes) return reply(out, "");
    return handle_memory_write(p[0], p, out);
  }
  if (p.starts_with("vFlash")) return handle_flash(p, out);
  if (p.starts_with("qCRC:")) return handle_crc(p.substr(5), out);
  if (p.starts_with("qRcmd,")) {
    auto text = from_hex(p.substr(6));
    if (!text) return reply(out, "E01");
    return handle_monitor(std::string(text->begin(), text->end()), out);
  }
  if (p == "g") {
    std::string hex;
    for (uint32_t r : registers_) hex += le32_hex(r);
    return reply(out, hex);
  }
  if (p[0] == 'G') {
    const std::string hex = p.substr(1);
    for (size_t i = 0; i < registers_.size() && (i + 1) * 8 <= hex.size(); ++i)
      if (auto v = parse_le32_hex(std::string_view(hex).substr(i * 8, 8))) registers_[i] = *v;
    return reply(out, "OK");
  }
  if (p[0] == 'p' || p[0] == 'P') {
    const auto eq = p.find('=');
    auto n = parse_hex_number(std::string_view(p).substr(1, eq == std::string::npos ? std::string::npos : eq - 1));
    if (!n || *n >= registers_.size()) return reply(out, "E00");
    if (p[0] == 'p') return reply(out, le32_hex(registers_[*n]));
    auto v = eq == std::string::npos ? std::nullopt : parse_le32_hex(std::string_view(p).substr(eq + 1));
    if (!v) return reply(out, "E00");
    registers_[*n] = *v;
    return reply(out, "OK");
  }
  if (p[0] == 'Z' || p[0] == 'z') return reply(out, p.size() > 1 && (p[1] == '0' || p[1] == '1') ? "OK" : "");
  if (p == "s" || p.starts_with("vCont;s")) return reply(out, "S05");
  if (p == "c" || p.starts_with("vCont;c")) {
    running_ = true;  // the stop reply comes when the core stops (an interrupt)
    return;
  }
  if (p[0] == 'D') {
    reply(out, "OK");
    running_ = true;
    return;
  }
  if (p == "k") {
    running_ = true;
    out.close = true;
    return;
  }
  reply(out, "");
}

void Stub::handle_xfer(const std::string& p, Output& out) {
  // qXfer:OBJECT:read:ANNEX:OFFSET,LENGTH
  std::string document;
  std::string rest;
  if (p.starts_with("qXfer:memory-map:read::") && flavour_.memory_map) {
    document = memory_map_xml();
    rest = p.substr(23);
  } else if (p.starts_with("qXfer:features:read:target.xml:")) {
    document = m_profile_target_xml();
    rest = p.substr(31);
  } else {
    return reply(out, "");
  }
  auto span = parse_span(rest);
  if (!span) return reply(out, "E00");
  if (span->address >= document.size()) return reply(out, "l");
  const auto piece = document.substr(span->address, span->length);
  const bool last = span->address + piece.size() >= document.size();
  reply(out, (last ? "l" : "m") + escape_binary(std::span<const uint8_t>(
                                      reinterpret_cast<const uint8_t*>(piece.data()), piece.size())));
}

std::string Stub::memory_map_xml() const {
  const char* sep = flavour_.map_with_literal_newlines ? "\\n" : "\n";
  std::string xml = std::string("<?xml version=\"1.0\"?>") + sep +
                    "<!DOCTYPE memory-map PUBLIC \"+//IDN gnu.org//DTD GDB Memory Map V1.0//EN\" "
                    "\"http://sourceware.org/gdb/gdb-memory-map.dtd\">" + sep + "<memory-map>" + sep;
  for (const auto& r : regions_) {
    if (r.type == MemoryRegion::Type::flash)
      xml += fmt::format("<memory type=\"flash\" start=\"0x{:08x}\" length=\"0x{:08x}\"><property name=\"blocksize\">0x{:x}"
                         "</property></memory>{}",
                         r.start, r.length, r.blocksize, sep);
    else
      xml += fmt::format("<memory type=\"{}\" start=\"0x{:08x}\" length=\"0x{:08x}\"/>{}", to_string(r.type), r.start,
                         r.length, sep);
  }
  return xml + "</memory-map>";
}

void Stub::handle_memory_read(const std::string& args, Output& out) {
  auto span = parse_span(args);
  if (!span) return reply(out, "E01");
  // A reply longer than the packet is cut; the client asks for the rest.
  const uint64_t n = std::min<uint64_t>(span->length, (flavour_.packet_size - 8) / 2);
  std::vector<uint8_t> bytes(n);
  if (!target_.read(span->address, bytes, StubTarget::Access::probe)) return reply(out, "E01");
  // J-Link answers from what it downloaded (or is about to program) rather than from the chip.
  for (const auto* source : {&read_cache_, &download_})
    for (const auto& [block, content] : *source)
      for (uint64_t i = 0; i < n; ++i) {
        const uint64_t a = span->address + i;
        if (a >= block && a - block < content.size()) bytes[i] = content[a - block];
      }
  counters_.bytes_read += n;
  reply(out, to_hex(bytes));
}

void Stub::handle_memory_write(char kind, const std::string& p, Output& out) {
  const auto colon = p.find(':');
  if (colon == std::string::npos) return reply(out, "E01");
  auto span = parse_span(std::string_view(p).substr(1, colon - 1));
  if (!span) return reply(out, "E01");
  auto data = kind == 'X' ? unescape_binary(std::string_view(p).substr(colon + 1)) : from_hex(std::string_view(p).substr(colon + 1));
  if (!data || data->size() != span->length) return reply(out, "E01");
  if (data->empty()) return reply(out, "OK");  // gdb's probe for X support
  const auto* r = region_at(span->address);
  if (r && r->type == MemoryRegion::Type::flash) {
    if (!flavour_.flash_through_x) return reply(out, "E01");  // flash takes vFlash* only
    if (!r->contains(span->address + span->length - 1)) return reply(out, "E01");
    if (fault_ && fault_("probe_drop")) {
      out.close = true;
      return;
    }
    if (fault_ && fault_("probe_error")) return reply(out, "E01");
    stage_download(span->address, *data);
    return reply(out, "OK");
  }
  if (!target_.write(span->address, *data)) return reply(out, "E01");
  counters_.bytes_written_ram += data->size();
  reply(out, "OK");
}

void Stub::handle_flash(const std::string& p, Output& out) {
  if (!flavour_.memory_map) return reply(out, "");  // a server without a map has no vFlash*
  if (p.starts_with("vFlashErase:")) {
    auto span = parse_span(std::string_view(p).substr(12));
    if (!span) return reply(out, "E01");
    const auto* r = region_at(span->address);
    if (!r || r->type != MemoryRegion::Type::flash || (span->address - r->start) % r->blocksize ||
        span->length % r->blocksize || !r->contains(span->address + span->length - 1))
      return reply(out, "E01");
    erase_seen_ = true;
    for (uint64_t a = span->address; a < span->address + span->length; a += r->blocksize) {
      if (flavour_.erase == StubFlavour::Erase::ignored) continue;
      if (flavour_.erase == StubFlavour::Erase::immediate) {
        if (!target_.erase_block(a)) return reply(out, "E01");
        counters_.blocks_erased++;
      }
      erased_blocks_.push_back(a);
    }
    return reply(out, "OK");
  }
  if (p.starts_with("vFlashWrite:")) {
    const auto colon = p.find(':', 12);
    if (colon == std::string::npos) return reply(out, "E01");
    auto address = parse_hex_number(std::string_view(p).substr(12, colon - 12));
    auto data = unescape_binary(std::string_view(p).substr(colon + 1));
    if (!address || !data) return reply(out, "E01");
    const auto* r = region_at(*address);
    if (!r || r->type != MemoryRegion::Type::flash || (!data->empty() && !r->contains(*address + data->size() - 1)))
      return reply(out, "E01");
    if (!staged_.empty() && *address < staged_.back().first + staged_.back().second.size())
      return reply(out, "E02");  // writes must ascend without overlapping
    if (fault_ && fault_("probe_drop")) {
      out.close = true;
      return;
    }
    if (fault_ && fault_("probe_error")) return reply(out, "E01");
    staged_.emplace_back(*address, std::move(*data));
    return reply(out, "OK");
  }
  if (p == "vFlashDone") return reply(out, flash_done() ? "OK" : "E01");
  reply(out, "");
}

bool Stub::flash_done() {
  if (staged_.empty() && flavour_.lone_done_is_error) return false;
  bool ok = true;
  if (flavour_.erase == StubFlavour::Erase::deferred)
    for (uint64_t block : erased_blocks_) {
      ok = ok && target_.erase_block(block);
      counters_.blocks_erased++;
    }
  // The blocks the staged writes touch.
  std::vector<uint64_t> blocks;
  for (const auto& [address, data] : staged_) {
    const auto* r = region_at(address);
    for (uint64_t a = address - (address - r->start) % r->blocksize; a < address + data.size(); a += r->blocksize)
      if (blocks.empty() || blocks.back() != a) blocks.push_back(a);
  }
  switch (flavour_.done) {
    case StubFlavour::Done::program:
      for (const auto& [address, data] : staged_) {
        ok = ok && target_.program(address, data);
        counters_.bytes_programmed += data.size();
      }
      break;
    case StubFlavour::Done::program_erasing_if_needed:
      if (!erase_seen_)
        for (uint64_t block : blocks) {
          ok = ok && target_.erase_block(block);
          counters_.blocks_erased++;
        }
      for (const auto& [address, data] : staged_) {
        ok = ok && target_.program(address, data);
        counters_.bytes_programmed += data.size();
      }
      break;
    case StubFlavour::Done::smart_sectors:
      for (uint64_t block : blocks) {
        const auto* r = region_at(block);
        std::vector<uint8_t> content(r->blocksize, 0xFF);
        for (const auto& [address, data] : staged_)
          for (uint64_t i = 0; i < data.size(); ++i)
            if (address + i >= block && address + i - block < content.size()) content[address + i - block] = data[i];
        ok = ok && write_block(block, content, true);
      }
      break;
  }
  staged_.clear();
  erased_blocks_.clear();
  erase_seen_ = false;
  return ok;
}

bool Stub::write_block(uint64_t block, const std::vector<uint8_t>& content, bool skip_if_same) {
  if (skip_if_same) {
    std::vector<uint8_t> now(content.size());
    if (target_.read(block, now, StubTarget::Access::on_chip) && now == content) {
      counters_.blocks_skipped++;
      return true;
    }
  }
  if (!target_.erase_block(block)) return false;
  counters_.blocks_erased++;
  counters_.bytes_programmed += content.size();
  return target_.program(block, content);
}

void Stub::stage_download(uint64_t address, std::span<const uint8_t> data) {
  for (uint64_t i = 0; i < data.size();) {
    const auto* r = region_at(address + i);
    const uint64_t block = address + i - (address + i - r->start) % r->blocksize;
    auto it = download_.find(block);
    if (it == download_.end()) {
      std::vector<uint8_t> content(r->blocksize);
      target_.read(block, content, StubTarget::Access::on_chip);
      it = download_.emplace(block, std::move(content)).first;
    }
    const uint64_t n = std::min<uint64_t>(data.size() - i, block + r->blocksize - (address + i));
    std::copy_n(data.begin() + static_cast<std::ptrdiff_t>(i), n,
                it->second.begin() + static_cast<std::ptrdiff_t>(address + i - block));
    i += n;
  }
}

void Stub::commit_download() {
  for (auto& [block, content] : download_) {
    write_block(block, content, true);  // the DLL compares before it programs
    read_cache_[block] = std::move(content);
  }
  download_.clear();
  if (!flavour_.caches_downloaded_reads) read_cache_.clear();
}

void Stub::handle_crc(const std::string& args, Output& out) {
  if (flavour_.crc == StubFlavour::Crc::none) return reply(out, "");
  if (flavour_.crc == StubFlavour::Crc::thread_id) return reply(out, "QC1");
  auto span = parse_span(args);
  const auto* r = span ? region_at(span->address) : nullptr;
  if (!r || span->length == 0 || !r->contains(span->address + span->length - 1)) return reply(out, "E01");
  std::vector<uint8_t> bytes(span->length);
  if (!target_.read(span->address, bytes, StubTarget::Access::on_chip)) return reply(out, "E01");
  uint32_t crc = gdb_crc32(bytes);
  if (fault_ && fault_("probe_bad_crc")) crc ^= 0x5a5a5a5a;
  reply(out, fmt::format("C{:08x}", crc));
}

void Stub::handle_monitor(const std::string& command, Output& out) {
  std::string said;
  if (one_of(flavour_.reset_words, command)) {
    target_.reset();
    core_reset();
    counters_.resets++;
    read_cache_.clear();
    said = "Resetting target\n";
  } else if (one_of(flavour_.halt_words, command)) {
    said = "target halted\n";
  } else if (one_of(flavour_.resume_words, command)) {
    said = "target running\n";
  } else {
    said = "unknown command: " + command + "\n";
  }
  out.bytes += frame("O" + to_hex(said));
  reply(out, "OK");
}

}  // namespace omv::protocol::gdb
