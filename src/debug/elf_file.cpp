#include "debug/elf_file.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <fmt/format.h>
#include <gelf.h>
#include <libelf.h>

#include <fstream>
#include <iterator>
#include <memory>

#include "core/error.h"

namespace omv::debug {
namespace {

struct ElfCloser {
  void operator()(Elf* e) const { elf_end(e); }
};
struct DwarfCloser {
  void operator()(Dwarf* d) const { dwarf_end(d); }
};

[[noreturn]] void bad(const std::string& name, const std::string& what) {
  fail(ErrorKind::bad_file, fmt::format("{}: ELF: {}", name, what),
       "give the firmware ELF the build produced (build/<TARGET>/bin/firmware.elf)");
}

std::string attr_string(Dwarf_Die* die, unsigned int name) {
  Dwarf_Attribute attr;
  if (!dwarf_attr(die, name, &attr)) return {};
  const char* s = dwarf_formstring(&attr);
  return s ? s : "";
}

void read_symbols(Elf* elf, const std::vector<std::string>& wanted, ElfInfo& info) {
  Elf_Scn* scn = nullptr;
  while ((scn = elf_nextscn(elf, scn)) != nullptr) {
    GElf_Shdr shdr;
    if (!gelf_getshdr(scn, &shdr) || shdr.sh_type != SHT_SYMTAB || shdr.sh_entsize == 0) continue;
    Elf_Data* data = elf_getdata(scn, nullptr);
    if (!data) continue;
    size_t count = shdr.sh_size / shdr.sh_entsize;
    for (size_t i = 0; i < count; ++i) {
      GElf_Sym sym;
      if (!gelf_getsym(data, static_cast<int>(i), &sym)) break;
      const char* name = elf_strptr(elf, shdr.sh_link, sym.st_name);
      if (!name || !*name) continue;
      for (const auto& w : wanted)
        if (w == name && sym.st_shndx != SHN_UNDEF) info.symbols[w] = sym.st_value;
    }
  }
}

void read_dwarf(Elf* elf, ElfInfo& info) {
  std::unique_ptr<Dwarf, DwarfCloser> dbg(dwarf_begin_elf(elf, DWARF_C_READ, nullptr));
  if (!dbg) return;
  std::vector<Dwarf_Off> die_offsets;
  Dwarf_Off off = 0, next = 0;
  size_t header_size = 0;
  while (dwarf_nextcu(dbg.get(), off, &next, &header_size, nullptr, nullptr, nullptr) == 0) {
    Dwarf_Die die;
    if (dwarf_offdie(dbg.get(), off + header_size, &die)) {
      CompileUnit cu;
      const char* name = dwarf_diename(&die);
      cu.name = name ? name : "";
      cu.comp_dir = attr_string(&die, DW_AT_comp_dir);
      cu.producer = attr_string(&die, DW_AT_producer);
      info.units.push_back(std::move(cu));
      die_offsets.push_back(off + header_size);
    }
    if (next <= off) break;
    off = next;
  }
  info.has_dwarf = !info.units.empty();
  auto main = info.symbols.find("main");
  if (main != info.symbols.end()) {
    Dwarf_Die cu_die;
    // Thumb functions have bit 0 set in the symbol; the code starts one byte lower.
    if (dwarf_addrdie(dbg.get(), main->second & ~uint64_t{1}, &cu_die)) {
      Dwarf_Off cu_off = dwarf_dieoffset(&cu_die);
      for (size_t i = 0; i < die_offsets.size(); ++i)
        if (die_offsets[i] == cu_off) info.main_unit = i;
    }
  }
}

}  // namespace

const std::vector<std::string>& default_symbols() {
  static const std::vector<std::string> names = {"main", "Reset_Handler", "_SEGGER_RTT"};
  return names;
}

ElfInfo read_elf_bytes(std::span<const uint8_t> bytes, const std::string& name, const std::vector<std::string>& wanted) {
  elf_version(EV_CURRENT);
  // libelf wants a mutable buffer; it only reads from it.
  std::vector<char> buffer(bytes.begin(), bytes.end());
  if (buffer.empty()) bad(name, "empty file");
  std::unique_ptr<Elf, ElfCloser> elf(elf_memory(buffer.data(), buffer.size()));
  if (!elf || elf_kind(elf.get()) != ELF_K_ELF) bad(name, "not an ELF file");
  GElf_Ehdr ehdr;
  if (!gelf_getehdr(elf.get(), &ehdr)) bad(name, fmt::format("unreadable ELF header ({})", elf_errmsg(-1)));

  ElfInfo info;
  info.file = name;
  info.machine = ehdr.e_machine;
  info.entry = ehdr.e_entry;
  size_t phnum = 0;
  if (elf_getphdrnum(elf.get(), &phnum) != 0) bad(name, fmt::format("unreadable program headers ({})", elf_errmsg(-1)));
  for (size_t i = 0; i < phnum; ++i) {
    GElf_Phdr ph;
    if (!gelf_getphdr(elf.get(), static_cast<int>(i), &ph)) bad(name, fmt::format("program header {} unreadable", i));
    if (ph.p_type != PT_LOAD || ph.p_filesz == 0) continue;
    if (ph.p_offset > bytes.size() || ph.p_filesz > bytes.size() - ph.p_offset)
      bad(name, fmt::format("program header {}: {} bytes at offset {} lie past the end of the file ({} bytes)", i,
                            ph.p_filesz, ph.p_offset, bytes.size()));
    LoadSegment seg;
    seg.paddr = ph.p_paddr;
    seg.vaddr = ph.p_vaddr;
    seg.memsz = ph.p_memsz;
    seg.data.assign(bytes.begin() + static_cast<std::ptrdiff_t>(ph.p_offset),
                    bytes.begin() + static_cast<std::ptrdiff_t>(ph.p_offset + ph.p_filesz));
    info.segments.push_back(std::move(seg));
  }
  read_symbols(elf.get(), wanted, info);
  read_dwarf(elf.get(), info);
  return info;
}

ElfInfo read_elf(const std::filesystem::path& path, const std::vector<std::string>& wanted) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
      fail(ErrorKind::io, fmt::format("{}: no such file", path.string()),
           "build the firmware first (omv build TARGET --debug, or make TARGET=... DEBUG=1), or pass --elf FILE");
    fail(ErrorKind::io, fmt::format("{}: cannot read", path.string()));
  }
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return read_elf_bytes(bytes, path.string(), wanted);
}

}  // namespace omv::debug
