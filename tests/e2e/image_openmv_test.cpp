// openmv.bin (combine / split / info) and the AE3 TOC pad.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstring>

#include "image_support.h"

namespace omv::test::image_openmv_test {
namespace {

using nlohmann::json;

// A bootloader image with a vector table into 0x08000000 and the boot header at 0x1000.
Bytes bootloader(size_t size, uint8_t major, uint8_t minor, uint8_t patch, uint32_t base = 0x08000000) {
  Bytes b = pattern(size, 51);
  put_le32(b, 0, 0x20020000);
  put_le32(b, 4, base + 0x201);
  put_le32(b, 0x1000, 0xB00710AD);
  b[0x1004] = major;
  b[0x1005] = minor;
  b[0x1006] = patch;
  b.back() = 0x42;  // not 0xFF, so the split can find the end
  return b;
}

Bytes firmware(size_t size, uint32_t base) {
  Bytes f = pattern(size, 52);
  put_le32(f, 0, 0x20020000);
  put_le32(f, 4, base + 0x401);
  return f;
}

TEST(ImageOpenmv, CombineIsTheMakefilesObjcopyPadAndCat) {
  TempDir d;
  write_bytes(d / "bootloader.bin", bootloader(0x6000, 1, 0, 3));
  write_bytes(d / "firmware.bin", firmware(300000, 0x08040000));
  auto r = omv({"image", "combine", "--board", "OPENMV4", "--bootloader", (d / "bootloader.bin").string(), "--firmware",
                (d / "firmware.bin").string(), "-o", (d / "openmv.bin").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // What ports/stm32 does: objcopy --pad-to (FIRM_ADDR - FIRM_BASE) --gap-fill 0xFF, then cat.
  must({"arm-none-eabi-objcopy", "-I", "binary", "-O", "binary", "--pad-to", "0x40000", "--gap-fill", "0xFF",
        (d / "bootloader.bin").string(), (d / "padded.bin").string()});
  EXPECT_EQ(read_bytes(d / "openmv.bin"), concat(read_bytes(d / "padded.bin"), read_bytes(d / "firmware.bin")));

  auto info = json::parse(omv({"image", "info", (d / "openmv.bin").string(), "--json"}).out);
  EXPECT_EQ(info["format"], "openmv_bin");
  EXPECT_EQ(info["kind"], "combined");
  EXPECT_EQ(info["boot_header"]["version"], "1.0.3");
  EXPECT_EQ(info["firmware_offset"], 0x40000);
  EXPECT_EQ(info["bootloader_size"], 0x6000);
  EXPECT_EQ(info["firmware_size"], 300000);
  auto boot = json::parse(omv({"image", "info", (d / "bootloader.bin").string(), "--board", "OPENMV4", "--json"}).out);
  EXPECT_EQ(boot["format"], "bootloader_bin");
  EXPECT_EQ(boot["boot_header"]["version"], "1.0.3");

  auto s = omv({"image", "split", (d / "openmv.bin").string(), "--board", "OPENMV4", "-o", (d / "split").string()});
  ASSERT_EQ(s.exit_code, 0) << s.err;
  EXPECT_EQ(read_bytes(d / "split" / "bootloader.bin"), read_bytes(d / "bootloader.bin"));
  EXPECT_EQ(read_bytes(d / "split" / "firmware.bin"), read_bytes(d / "firmware.bin"));
}

TEST(ImageOpenmv, FirmwareOffsetComesFromTheBoard) {
  TempDir d;
  // N6: BOOTLOADER 0x0..0x80000 and FIRMWARE from 0x80000 in XSPI (XIP at 0x70000000).
  write_bytes(d / "bootloader.bin", bootloader(0x3000, 1, 0, 3, 0x70000000));
  write_bytes(d / "firmware.bin", firmware(4096, 0x70080000));
  ASSERT_EQ(omv({"image", "combine", "--board", "OPENMV_N6", "--bootloader", (d / "bootloader.bin").string(), "--firmware",
                 (d / "firmware.bin").string(), "-o", (d / "openmv.bin").string()})
                .exit_code,
            0);
  auto out = read_bytes(d / "openmv.bin");
  ASSERT_EQ(out.size(), 0x80000u + 4096);
  EXPECT_EQ(out[0x7FFFF], 0xFF);
  EXPECT_EQ(Bytes(out.begin() + 0x80000, out.end()), read_bytes(d / "firmware.bin"));
  // A board without an OpenMV bootloader has no openmv.bin.
  auto rt = omv({"image", "combine", "--board", "OPENMV_RT1060", "--bootloader", (d / "bootloader.bin").string(), "--firmware",
                 (d / "firmware.bin").string(), "-o", (d / "rt.bin").string()});
  EXPECT_EQ(rt.exit_code, 15) << rt.err;
}

TEST(ImageOpenmv, RefusesABootloaderLargerThanTheGap) {
  TempDir d;
  write_bytes(d / "bootloader.bin", bootloader(0x40001, 1, 0, 3));
  write_bytes(d / "firmware.bin", firmware(1000, 0x08040000));
  auto r = omv({"image", "combine", "--board", "OPENMV4", "--bootloader", (d / "bootloader.bin").string(), "--firmware",
                (d / "firmware.bin").string(), "-o", (d / "openmv.bin").string()});
  EXPECT_EQ(r.exit_code, 9) << r.err;
  EXPECT_NE(r.err.find("1 more than the 262144 bytes"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(d / "openmv.bin"));
}

TEST(ImageOpenmv, TruncatedOpenmvBinNamesTheOffset) {
  TempDir d;
  write_bytes(d / "bootloader.bin", bootloader(0x6000, 1, 0, 3));
  write_bytes(d / "firmware.bin", firmware(1000, 0x08040000));
  ASSERT_EQ(omv({"image", "combine", "--board", "OPENMV4", "--bootloader", (d / "bootloader.bin").string(), "--firmware",
                 (d / "firmware.bin").string(), "-o", (d / "openmv.bin").string()})
                .exit_code,
            0);
  auto full = read_bytes(d / "openmv.bin");
  for (size_t cut : {size_t{3000}, size_t{0x20000}}) {
    write_bytes(d / "openmv_cut.bin", Bytes(full.begin(), full.begin() + static_cast<long>(cut)));
    auto r = omv({"image", "info", (d / "openmv_cut.bin").string()});
    EXPECT_EQ(r.exit_code, 3) << cut << r.out;
    EXPECT_NE(r.err.find("openmv.bin: offset " + std::to_string(cut)), std::string::npos) << r.err;
  }
  auto s = omv({"image", "split", (d / "openmv_cut.bin").string(), "--board", "OPENMV4", "-o", (d / "s").string()});
  EXPECT_EQ(s.exit_code, 3);
  EXPECT_NE(s.err.find("offset 131072"), std::string::npos) << s.err;
}

// A TOC package laid out as Alif's app-gen-toc writes it (content certificates, then the
// 32-byte header "OEMTOC01", 32-byte entries, and the 16-byte tail).
Bytes toc_package(uint32_t end_address) {
  const uint32_t certs = 3 * 880;
  const uint32_t toc_size = 32 + 3 * 32 + 16;
  const uint32_t size = certs + toc_size;
  Bytes p = pattern(certs, 61);
  Bytes toc(32, 0);
  std::memcpy(toc.data(), "OEMTOC01", 8);
  toc[8] = 32;
  toc[10] = 3;
  toc[12] = 32;
  toc[14] = 2;
  std::memcpy(toc.data() + 16, "AE302F80F55D5XX", 15);
  struct E {
    const char* id;
    uint32_t addr, len, type, flags;
  } entries[] = {{"HP_BOOT", 0x80000000, 0x6000, 4, 0x40 | 2}, {"HP_APP", 0x80020000, 0x200000, 4, 0x100 | 2}, {"DEVICE", 0, 0x30, 3, 0xF}};
  for (const auto& e : entries) {
    Bytes x(32, 0);
    put_le32(x, 0, e.addr);
    put_le32(x, 4, e.len);
    put_le32(x, 8, e.type);
    put_le32(x, 12, e.flags);
    put_le32(x, 16, 0x01000300);
    std::memcpy(x.data() + 20, e.id, std::strlen(e.id));
    toc = concat(toc, x);
  }
  // zlib CRC-32 of header + entries.
  uint32_t crc = 0xFFFFFFFF;
  for (uint8_t b : toc) {
    crc ^= b;
    for (int k = 0; k < 8; ++k) crc = (crc & 1) ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
  }
  Bytes tail(16, 0);
  put_le32(tail, 0, ~crc);
  put_le32(tail, 4, end_address - toc_size);
  put_le32(tail, 8, end_address - size);
  put_le32(tail, 12, size);
  return concat(concat(p, toc), tail);
}

TEST(ImageOpenmv, Ae3TocPadIsDescribedAndChecked) {
  TempDir d;
  write_bytes(d / "firmware.toc", toc_package(0x80580000));
  auto r = omv({"image", "toc-pad", (d / "firmware.toc").string(), "-o", (d / "firmware_pad.toc").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto pad = read_bytes(d / "firmware_pad.toc");
  ASSERT_EQ(pad.size(), 8192u);
  auto info = omv({"image", "info", (d / "firmware_pad.toc").string(), "--board", "OPENMV_AE3", "--json"});
  ASSERT_EQ(info.exit_code, 0) << info.err;
  auto j = json::parse(info.out);
  EXPECT_EQ(j["format"], "ae3_toc");
  EXPECT_EQ(j["crc_ok"], true);
  EXPECT_EQ(j["identifier"], "OEMTOC01");
  ASSERT_EQ(j["entries"].size(), 3u);
  EXPECT_EQ(j["entries"][1]["identifier"], "HP_APP");
  EXPECT_EQ(j["entries"][1]["cpu"], "M55_HP");
  EXPECT_EQ(j["entries"][1]["version"], "1.0.3");
  EXPECT_EQ(j["package_end"], 0x80580000);
  EXPECT_EQ(j["board"]["partition"], "TOC");
  EXPECT_EQ(j["board"]["package_ends_at_partition_end"], true);

  pad[8192 - 16] ^= 1;  // the CRC
  write_bytes(d / "crc_pad.toc", pad);
  EXPECT_EQ(json::parse(omv({"image", "info", (d / "crc_pad.toc").string(), "--json"}).out)["crc_ok"], false);
  write_bytes(d / "cut.toc", Bytes(pad.begin(), pad.begin() + 5000));
  auto cut = omv({"image", "info", (d / "cut.toc").string()});
  EXPECT_EQ(cut.exit_code, 3);
  EXPECT_NE(cut.err.find("AE3 TOC: offset 5000"), std::string::npos) << cut.err;
  write_bytes(d / "big.toc", pattern(9000, 3));
  EXPECT_EQ(omv({"image", "toc-pad", (d / "big.toc").string(), "-o", (d / "x.toc").string()}).exit_code, 9);
}

}  // namespace
}  // namespace omv::test::image_openmv_test
