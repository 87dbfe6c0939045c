#include "protocol/gdb/memory_map.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace omv::protocol::gdb::memory_map_test {
namespace {

// As OpenOCD prints it for an STM32H743 (two banks of 128 KiB sectors, RAM gaps).
constexpr const char* kOpenOcdH7 = R"(<?xml version="1.0"?>
<!DOCTYPE memory-map PUBLIC "+//IDN gnu.org//DTD GDB Memory Map V1.0//EN" "http://sourceware.org/gdb/gdb-memory-map.dtd">
<memory-map>
<!-- a comment -->
<memory type="ram" start="0x00000000" length="0x08000000"/>
<memory type="flash" start="0x08000000" length="0x100000">
<property name="blocksize">0x20000</property>
</memory>
<memory type="flash" start="0x08100000" length="0x100000">
<property name="blocksize">0x20000</property>
</memory>
<memory type="rom" start="0x1ff00000" length="0x20000"/>
</memory-map>
)";

TEST(GdbMemoryMap, ReadsOpenOcdsMap) {
  auto map = parse_memory_map(kOpenOcdH7);
  ASSERT_EQ(map.regions.size(), 4u);
  EXPECT_EQ(map.regions[1].type, MemoryRegion::Type::flash);
  EXPECT_EQ(map.regions[1].start, 0x08000000u);
  EXPECT_EQ(map.regions[1].length, 0x100000u);
  EXPECT_EQ(map.regions[1].blocksize, 0x20000u);
  EXPECT_EQ(map.regions[3].type, MemoryRegion::Type::rom);
  ASSERT_TRUE(map.region_at(0x08100004));
  EXPECT_EQ(map.region_at(0x08100004)->start, 0x08100000u);
  EXPECT_EQ(map.region_at(0x30000000), nullptr);
}

TEST(GdbMemoryMap, IgnoresProbeRsLiteralBackslashN) {
  auto map = parse_memory_map(
      R"(<?xml version="1.0"?>\n<memory-map>\n<memory type="flash" start="134217728" length="01000000">\n)"
      R"(<property name="blocksize">2048</property></memory>\n<memory type="ram" start="0x20000000" length="0x8000"></memory>\n</memory-map>)");
  ASSERT_EQ(map.regions.size(), 2u);
  EXPECT_EQ(map.regions[0].start, 0x08000000u);    // decimal
  EXPECT_EQ(map.regions[0].length, 01000000u);     // a leading 0 is octal, as strtoul base 0 reads it
  EXPECT_EQ(map.regions[0].blocksize, 2048u);
}

void expect_refused(const char* xml, const std::string& says) {
  try {
    parse_memory_map(xml);
    FAIL() << "accepted " << xml;
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::device_error);
    EXPECT_NE(std::string(e.what()).find(says), std::string::npos) << e.what();
  }
}

TEST(GdbMemoryMap, RefusesWhatGdbWouldRefuse) {
  expect_refused(R"(<memory-map><memory type="flash" start="0" length="0x100"/></memory-map>)", "without a blocksize");
  expect_refused(R"(<memory-map><memory type="eeprom" start="0" length="0x100"/></memory-map>)", "unknown memory type");
  expect_refused(R"(<memory-map><memory type="ram" start="0x1g" length="0x100"/></memory-map>)", "not a number");
  expect_refused(R"(<memory-map><memory type="ram" start="0" length="0x100"/><memory type="ram" start="0x80" length="4"/></memory-map>)",
                 "overlaps");
  expect_refused(R"(<memory-map><memory type="ram" start="0" length="0x100">)", "not closed");
  expect_refused(R"(<memory type="ram" start="0" length="0x100"/>)", "no <memory-map>");
  expect_refused(R"(<memory-map><memory type="ram" start="0xffffffffffffff00" length="0x1000"/></memory-map>)",
                 "past the end");
  expect_refused(R"(<memory-map><memory type="ram" start="0" length="99999999999999999999999"/></memory-map>)", "too large");
}

}  // namespace
}  // namespace omv::protocol::gdb::memory_map_test
