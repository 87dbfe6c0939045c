#include "build/elf_sections.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <cstring>
#include <memory>
#include <mutex>

#include "core/error.h"

namespace omv::build {
namespace fs = std::filesystem;

namespace {

void init_libelf() {
  static std::once_flag once;
  std::call_once(once, [] { elf_version(EV_CURRENT); });
}

struct ElfEnd {
  void operator()(Elf* e) const { elf_end(e); }
};

[[noreturn]] void bad(const std::string& name, const std::string& what) {
  fail(ErrorKind::bad_file, fmt::format("{}: {}", name, what), "rebuild it, or point at the right file");
}

const char* machine_name(unsigned machine) {
  switch (machine) {
    case EM_ARM: return "ARM";
    case EM_AARCH64: return "AArch64";
    case EM_X86_64: return "x86-64";
    case EM_386: return "x86";
    case EM_RISCV: return "RISC-V";
    default: return "other";
  }
}

ElfImage read(Elf* elf, const std::string& name) {
  if (elf_kind(elf) != ELF_K_ELF) bad(name, "not an ELF file");
  GElf_Ehdr eh;
  if (!gelf_getehdr(elf, &eh)) bad(name, fmt::format("unreadable ELF header: {}", elf_errmsg(-1)));
  ElfImage img;
  img.machine = machine_name(eh.e_machine);
  img.is_64 = gelf_getclass(elf) == ELFCLASS64;
  img.entry = eh.e_entry;

  size_t phnum = 0;
  if (elf_getphdrnum(elf, &phnum) != 0) bad(name, fmt::format("unreadable program headers: {}", elf_errmsg(-1)));
  std::vector<GElf_Phdr> loads;
  for (size_t i = 0; i < phnum && i < 4096; ++i) {
    GElf_Phdr ph;
    if (!gelf_getphdr(elf, static_cast<int>(i), &ph)) bad(name, fmt::format("program header {} unreadable", i));
    if (ph.p_type == PT_LOAD) loads.push_back(ph);
  }
  size_t shstrndx = 0;
  if (elf_getshdrstrndx(elf, &shstrndx) != 0) bad(name, "no section name table");
  Elf_Scn* scn = nullptr;
  size_t count = 0;
  while ((scn = elf_nextscn(elf, scn)) != nullptr) {
    if (++count > 65536) bad(name, "too many sections");
    GElf_Shdr sh;
    if (!gelf_getshdr(scn, &sh)) bad(name, fmt::format("section header {} unreadable", count));
    if (!(sh.sh_flags & SHF_ALLOC) || sh.sh_size == 0) continue;
    ElfSection s;
    const char* n = elf_strptr(elf, shstrndx, sh.sh_name);
    s.name = n ? n : fmt::format("section{}", count);
    s.vma = sh.sh_addr;
    s.lma = sh.sh_addr;
    s.size = sh.sh_size;
    s.has_bytes = sh.sh_type != SHT_NOBITS;
    s.writable = (sh.sh_flags & SHF_WRITE) != 0;
    s.executable = (sh.sh_flags & SHF_EXECINSTR) != 0;
    // The segment whose file bytes hold this section gives its load address.
    for (const auto& ph : loads) {
      bool in_file = s.has_bytes && sh.sh_offset >= ph.p_offset && sh.sh_offset - ph.p_offset < ph.p_filesz;
      bool in_memory = sh.sh_addr >= ph.p_vaddr && sh.sh_addr - ph.p_vaddr < ph.p_memsz;
      if (in_file && in_memory) {
        s.lma = sh.sh_addr - ph.p_vaddr + ph.p_paddr;
        break;
      }
    }
    img.sections.push_back(s);
  }
  return img;
}

}  // namespace

ElfImage read_elf(const fs::path& file) {
  init_libelf();
  int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail(ErrorKind::io, fmt::format("{}: {}", file.string(), std::strerror(errno)));
  std::unique_ptr<Elf, ElfEnd> elf(elf_begin(fd, ELF_C_READ, nullptr));
  if (!elf) {
    ::close(fd);
    bad(file.string(), fmt::format("not an ELF file ({})", elf_errmsg(-1)));
  }
  try {
    auto img = read(elf.get(), file.string());
    elf.reset();
    ::close(fd);
    return img;
  } catch (...) {
    elf.reset();
    ::close(fd);
    throw;
  }
}

ElfImage read_elf_bytes(const void* data, size_t size, const std::string& name) {
  init_libelf();
  // libelf wants a writable buffer for elf_memory; it does not change it in read mode.
  std::vector<char> copy(static_cast<const char*>(data), static_cast<const char*>(data) + size);
  std::unique_ptr<Elf, ElfEnd> elf(elf_memory(copy.data(), copy.size()));
  if (!elf) bad(name, fmt::format("not an ELF file ({})", elf_errmsg(-1)));
  return read(elf.get(), name);
}

}  // namespace omv::build
