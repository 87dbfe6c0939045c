#pragma once
// Helpers for the image-format end-to-end tests: byte files, deterministic data, and test ELFs
// made with the real cross compiler.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "support/run.h"

namespace omv::test {

using Bytes = std::vector<uint8_t>;

inline Bytes read_bytes(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  return Bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

inline void write_bytes(const std::filesystem::path& p, const Bytes& b) {
  std::ofstream f(p, std::ios::binary);
  f.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}

// Deterministic pseudo-random bytes (xorshift), different per seed.
inline Bytes pattern(size_t n, uint32_t seed) {
  Bytes b(n);
  uint32_t x = seed * 2654435761u + 1;
  for (auto& v : b) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    v = static_cast<uint8_t>(x >> 24);
  }
  return b;
}

inline Bytes concat(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

inline void put_le32(Bytes& b, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + static_cast<size_t>(i)] = static_cast<uint8_t>(v >> (8 * i));
}

// Runs a tool and fails the test with its output when it does not succeed.
inline RunResult must(const std::vector<std::string>& argv) {
  auto r = run(argv);
  EXPECT_EQ(r.exit_code, 0) << argv[0] << ": " << r.out << r.err;
  return r;
}

// A Cortex-M ELF from C source and a linker script, built by arm-none-eabi-gcc.
inline std::filesystem::path make_elf(const TempDir& dir, const std::string& name, const std::string& c, const std::string& ld,
                                      const std::vector<std::string>& flags = {"-g"}) {
  write_file(dir / (name + ".c"), c);
  write_file(dir / (name + ".ld"), ld);
  std::vector<std::string> argv{"arm-none-eabi-gcc", "-mcpu=cortex-m7", "-mthumb", "-O1", "-nostdlib", "-T", (dir / (name + ".ld")).string(),
                                (dir / (name + ".c")).string(), "-o", (dir / (name + ".elf")).string()};
  argv.insert(argv.begin() + 1, flags.begin(), flags.end());
  must(argv);
  return dir / (name + ".elf");
}

// A firmware-like program: vector table, code, read-only data, initialised data copied from
// flash (AT>), zeroed data.
inline const char* kFirmwareC = R"(
const unsigned char table[300] = {1, 2, 3, 4};
int counter = 42;
int zeroed;
void reset(void);
__attribute__((section(".isr_vector"))) void (*const vectors[4])(void) = {(void (*)(void))0x20001000, reset, 0, 0};
int work(int x) { return counter + table[x & 3] + zeroed; }
void reset(void) { for (;;) counter = work(counter); }
)";

inline std::string firmware_ld(const std::string& flash, const std::string& extra_sections = "") {
  return "MEMORY { FLASH (rx) : ORIGIN = " + flash +
         ", LENGTH = 512K\n RAM (rwx) : ORIGIN = 0x20000000, LENGTH = 64K }\nENTRY(reset)\nSECTIONS {\n"
         "  .isr_vector : { KEEP(*(.isr_vector)) } > FLASH\n"
         "  .text : { . = ALIGN(32); *(.text*) } > FLASH\n"
         "  .rodata : { . = ALIGN(256); *(.rodata*) } > FLASH\n"
         "  .data : { *(.data*) } > RAM AT> FLASH\n"
         "  .bss : { *(.bss*) *(COMMON) } > RAM\n" +
         extra_sections + "}\n";
}

}  // namespace omv::test
