#include "image/elf.h"

#include <gelf.h>
#include <libelf.h>

#include <fmt/format.h>

#include <memory>

#include "core/error.h"
#include "core/numbers.h"
#include "image/file_io.h"

namespace omv::image {
namespace {

constexpr const char* kFormat = "ELF";

// The header fields that locate the tables, read straight from the bytes in the file's order.
struct RawHeader {
  uint64_t phoff = 0, shoff = 0;
  uint16_t phentsize = 0, phnum = 0, shentsize = 0, shnum = 0;
};

class Field {
 public:
  Field(const ByteView& view, bool big) : view_(view), big_(big) {}
  uint64_t get(uint64_t offset, unsigned width, std::string_view what) const {
    view_.need(offset, width, what);
    uint64_t v = 0;
    for (unsigned i = 0; i < width; ++i) {
      uint64_t b = view_.data()[offset + (big_ ? i : width - 1 - i)];
      v = (v << 8) | b;
    }
    return v;
  }

 private:
  const ByteView& view_;
  bool big_;
};

RawHeader check_header(const ByteView& view) {
  view.need(0, 16, "the ELF identification (e_ident)");
  auto d = view.data();
  if (!looks_like_elf(d)) view.fail(0, "expected the ELF magic 7F 45 4C 46");
  if (d[4] != 1 && d[4] != 2) view.fail(4, fmt::format("expected EI_CLASS 1 (32-bit) or 2 (64-bit), found {}", d[4]));
  if (d[5] != 1 && d[5] != 2) view.fail(5, fmt::format("expected EI_DATA 1 (little) or 2 (big endian), found {}", d[5]));
  const bool is64 = d[4] == 2;
  Field f(view, d[5] == 2);
  view.need(0, is64 ? 64 : 52, "the ELF header");
  RawHeader h;
  h.phoff = f.get(is64 ? 32 : 28, is64 ? 8 : 4, "e_phoff");
  h.shoff = f.get(is64 ? 40 : 32, is64 ? 8 : 4, "e_shoff");
  h.phentsize = static_cast<uint16_t>(f.get(is64 ? 54 : 42, 2, "e_phentsize"));
  h.phnum = static_cast<uint16_t>(f.get(is64 ? 56 : 44, 2, "e_phnum"));
  h.shentsize = static_cast<uint16_t>(f.get(is64 ? 58 : 46, 2, "e_shentsize"));
  h.shnum = static_cast<uint16_t>(f.get(is64 ? 60 : 48, 2, "e_shnum"));
  const uint16_t want_ph = is64 ? 56 : 32, want_sh = is64 ? 64 : 40;
  if (h.phnum != 0 && h.phentsize != want_ph)
    view.fail(is64 ? 54 : 42, fmt::format("expected e_phentsize {}, found {}", want_ph, h.phentsize));
  if ((h.shnum != 0 || h.shoff != 0) && h.shentsize != want_sh)
    view.fail(is64 ? 58 : 46, fmt::format("expected e_shentsize {}, found {}", want_sh, h.shentsize));
  if (h.phnum != 0 && h.phnum != 0xFFFF)
    view.need(h.phoff, uint64_t{h.phnum} * want_ph, fmt::format("{} program headers", h.phnum));
  if (h.shoff != 0) view.need(h.shoff, uint64_t{want_sh} * (h.shnum == 0 ? 1 : h.shnum), fmt::format("the section header table"));
  return h;
}

struct ElfCloser {
  void operator()(Elf* e) const { elf_end(e); }
};

[[noreturn]] void libelf_failed(const ByteView& view, std::string_view what) {
  view.fail(0, fmt::format("{}: {}", what, elf_errmsg(-1)));
}

// binutils: an allocated section with contents gets the LMA of the first PT_LOAD segment that
// holds it (by file offset and address): p_paddr + (sh_offset - p_offset). When every p_paddr
// is zero and there are several PT_LOADs, LMA stays equal to VMA.
void assign_lmas(ElfFile& elf) {
  size_t loads = 0;
  bool any_paddr = false;
  for (const auto& p : elf.program_headers) {
    if (p.paddr != 0) any_paddr = true;
    if (p.type == PT_LOAD && p.memsz != 0) ++loads;
  }
  const bool keep_vma = !any_paddr && loads > 1;
  for (auto& s : elf.sections) {
    s.lma = s.addr;
    if (keep_vma || (s.flags & SHF_ALLOC) == 0) continue;
    const bool tls = (s.flags & SHF_TLS) != 0;
    const bool nobits = s.type == SHT_NOBITS;
    for (const auto& p : elf.program_headers) {
      if (!((p.type == PT_LOAD && !tls) || p.type == PT_TLS)) continue;
      const bool offset_inside = nobits || (s.offset >= p.offset && s.offset - p.offset <= p.filesz &&
                                            s.size <= p.filesz - (s.offset - p.offset));
      const bool address_inside = s.addr >= p.vaddr && s.addr - p.vaddr <= p.memsz && s.size <= p.memsz - (s.addr - p.vaddr);
      if (!offset_inside || !address_inside) continue;
      s.lma = nobits ? p.paddr + (s.addr - p.vaddr) : p.paddr + (s.offset - p.offset);
      break;
    }
  }
}

}  // namespace

bool ElfSection::loadable() const { return (flags & SHF_ALLOC) != 0 && type != SHT_NOBITS && type != SHT_NULL; }

std::span<const uint8_t> ElfFile::contents(const ElfSection& section) const {
  if (section.type == SHT_NOBITS) return {};
  return std::span<const uint8_t>(bytes).subspan(section.offset, section.size);
}

bool ElfFile::has_dwarf() const {
  for (const auto& s : sections)
    if (s.name == ".debug_info" || s.name == ".zdebug_info") return true;
  return false;
}

std::vector<std::string> ElfFile::debug_sections() const {
  std::vector<std::string> names;
  for (const auto& s : sections)
    if (s.name.rfind(".debug_", 0) == 0 || s.name.rfind(".zdebug_", 0) == 0) names.push_back(s.name);
  return names;
}

std::string ElfFile::machine_name() const {
  switch (machine) {
    case EM_ARM: return "ARM";
    case EM_AARCH64: return "AArch64";
    case EM_RISCV: return "RISC-V";
    case EM_386: return "x86";
    case EM_X86_64: return "x86-64";
    case EM_XTENSA: return "Xtensa";
    default: return fmt::format("machine {}", machine);
  }
}

std::string ElfFile::abi_note() const {
  if (machine != EM_ARM) return {};
  std::string note = fmt::format("EABI{}", (flags & EF_ARM_EABIMASK) >> 24);
  if (flags & 0x400) note += ", hard-float";  // EF_ARM_ABI_FLOAT_HARD
  if (flags & 0x200) note += ", soft-float";  // EF_ARM_ABI_FLOAT_SOFT
  return note;
}

bool looks_like_elf(std::span<const uint8_t> bytes) {
  return bytes.size() >= 4 && bytes[0] == 0x7F && bytes[1] == 'E' && bytes[2] == 'L' && bytes[3] == 'F';
}

ElfFile parse_elf(std::vector<uint8_t> bytes, const std::string& file_name) {
  static const unsigned version = elf_version(EV_CURRENT);
  (void)version;
  ElfFile elf;
  elf.source = {file_name, kFormat};
  elf.bytes = std::move(bytes);
  ByteView view(elf.bytes, elf.source);
  const RawHeader raw = check_header(view);
  elf.is64 = elf.bytes[4] == 2;
  elf.big_endian = elf.bytes[5] == 2;

  std::unique_ptr<Elf, ElfCloser> e(elf_memory(reinterpret_cast<char*>(elf.bytes.data()), elf.bytes.size()));
  if (!e) libelf_failed(view, "libelf cannot read the file");
  if (elf_kind(e.get()) != ELF_K_ELF) view.fail(0, "expected an ELF object");
  GElf_Ehdr eh;
  if (!gelf_getehdr(e.get(), &eh)) libelf_failed(view, "cannot read the ELF header");
  elf.type = eh.e_type;
  elf.machine = eh.e_machine;
  elf.flags = eh.e_flags;
  elf.entry = eh.e_entry;

  size_t phnum = 0;
  if (elf_getphdrnum(e.get(), &phnum) != 0) libelf_failed(view, "cannot count the program headers");
  const uint64_t phentsize = elf.is64 ? 56 : 32;
  if (phnum) view.need(raw.phoff, phnum * phentsize, fmt::format("{} program headers", phnum));
  for (size_t i = 0; i < phnum; ++i) {
    GElf_Phdr ph;
    if (!gelf_getphdr(e.get(), static_cast<int>(i), &ph)) libelf_failed(view, fmt::format("cannot read program header {}", i));
    ElfProgramHeader p{ph.p_type, ph.p_flags, ph.p_offset, ph.p_vaddr, ph.p_paddr, ph.p_filesz, ph.p_memsz};
    if (p.type == PT_LOAD)
      view.need(p.offset, p.filesz, fmt::format("the {} bytes of loadable segment {} (load address {})", p.filesz, i, hex32(p.paddr)));
    elf.program_headers.push_back(p);
  }

  size_t shnum = 0, shstrndx = 0;
  if (elf_getshdrnum(e.get(), &shnum) != 0) libelf_failed(view, "cannot count the sections");
  const uint64_t shentsize = elf.is64 ? 64 : 40;
  if (shnum) view.need(raw.shoff, shnum * shentsize, fmt::format("{} section headers", shnum));
  const bool names = shnum && elf_getshdrstrndx(e.get(), &shstrndx) == 0;
  for (Elf_Scn* scn = elf_nextscn(e.get(), nullptr); scn; scn = elf_nextscn(e.get(), scn)) {
    GElf_Shdr sh;
    if (!gelf_getshdr(scn, &sh)) libelf_failed(view, fmt::format("cannot read section header {}", elf_ndxscn(scn)));
    ElfSection s;
    const char* name = names ? elf_strptr(e.get(), shstrndx, sh.sh_name) : nullptr;
    s.name = name ? name : fmt::format("section{}", elf_ndxscn(scn));
    s.type = sh.sh_type;
    s.flags = sh.sh_flags;
    s.addr = sh.sh_addr;
    s.offset = sh.sh_offset;
    s.size = sh.sh_size;
    if (s.type != SHT_NOBITS && s.type != SHT_NULL && s.size > 0)
      view.need(s.offset, s.size, fmt::format("the contents of section {}", s.name));
    elf.sections.push_back(std::move(s));
  }
  assign_lmas(elf);
  return elf;
}

ElfFile read_elf(const std::filesystem::path& path) { return parse_elf(read_file(path), path.string()); }

}  // namespace omv::image
