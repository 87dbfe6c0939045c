// The planner and executor over a GDB server (an in-memory one): units compared by qCRC or by
// reading, only differing units erased and written, vFlash* on flash and X/M elsewhere.
#include <gtest/gtest.h>

#include "core/error.h"
#include "flash/executor.h"
#include "flash/gdb_session.h"
#include "flash/gdb_target_view.h"
#include "protocol/gdb/fake_server_for_tests.h"

namespace omv::flash::gdb_deploy_test {
namespace {

using protocol::gdb::testing::FakeServer;

boards::Board small_board() {
  boards::Board b;
  b.target = "TEST_BOARD";
  boards::Memory m;
  m.name = "internal";
  m.kind = "flash";
  m.base = 0x08000000;
  m.size = 0x10000;
  m.erase_layout = {{16, 0x1000}};
  b.memories.push_back(m);
  b.partitions.push_back({"BOOTLOADER", {}, "internal", 0x08000000, 0x08002000, true, "bootloader", ""});
  b.partitions.push_back({"FIRMWARE", {}, "internal", 0x08002000, 0x08010000, false, "firmware", ""});
  return b;
}

struct Rig {
  boards::Board board = small_board();
  FakeServer server;
  RecordingSink sink;
  Reporter reporter{sink};
  std::vector<Image> images;

  explicit Rig(size_t image_bytes = 0x5800) {
    Image img;
    img.label = "firmware.bin";
    img.partition = board.partition("FIRMWARE");
    img.address = 0x08002000;
    img.data.resize(image_bytes);
    for (size_t i = 0; i < image_bytes; ++i) img.data[i] = static_cast<uint8_t>(i * 13 + (i >> 9));
    images.push_back(img);
  }

  std::optional<protocol::gdb::MemoryMap> map(protocol::gdb::Client& client) {
    auto xml = client.memory_map_xml();
    if (!xml) return std::nullopt;
    return protocol::gdb::parse_memory_map(*xml);
  }

  // One deploy as `omv deploy` runs it; returns the outcome.
  Outcome deploy(bool reset = false) {
    protocol::gdb::ClientOptions o;
    o.reply_timeout = o.flash_timeout = protocol::gdb::Millis(50);
    server.acks = true;  // every connection starts in ack mode
    protocol::gdb::Client client(server, o);
    client.connect();
    auto view = make_gdb_target_view(board, images, map(client), client.server());
    GdbSession session(client, view, reporter);
    auto plan = make_plan(view.board, images, &session, PlanOptions{}, reporter);
    ExecuteOptions eo;
    eo.reset = reset;
    eo.verify = true;
    return execute(view.board, plan, session, eo, reporter);
  }

  bool memory_holds_image() const {
    const auto& img = images[0];
    const size_t off = img.address - server.base;
    return std::equal(img.data.begin(), img.data.end(), server.memory.begin() + static_cast<std::ptrdiff_t>(off));
  }

  bool warned(const std::string& text) const {
    for (const auto& e : sink.events())
      if (e.type == Event::Type::warning && e.message.find(text) != std::string::npos) return true;
    return false;
  }
};

TEST(GdbDeploy, WritesOnceThenSkipsEveryUnitByCrc) {
  Rig rig;
  auto first = rig.deploy();
  EXPECT_TRUE(rig.memory_holds_image());
  EXPECT_EQ(first.written_bytes, 0x6000u);  // the last block's tail is written as 0xFF
  EXPECT_EQ(first.skipped_bytes, 0u);
  EXPECT_EQ(rig.server.counts["vFlashErase"], 6);  // 0x5800 bytes span six 4 KiB blocks
  EXPECT_EQ(rig.server.counts["vFlashDone"], 1);
  EXPECT_EQ(rig.server.memory[0x2000 + 0x5800], 0xFF);  // the rest of the last block erased

  rig.server.counts.clear();
  auto second = rig.deploy();
  EXPECT_EQ(second.written_bytes, 0u);
  EXPECT_EQ(second.skipped_bytes, 0x6000u);
  EXPECT_EQ(rig.server.counts["vFlashErase"], 0);
  EXPECT_EQ(rig.server.counts["vFlashWrite"], 0);
  EXPECT_EQ(rig.server.counts["vFlashDone"], 0);
  EXPECT_EQ(rig.server.counts["m"], 1);  // only the qCRC check read
  EXPECT_EQ(rig.server.counts["qCRC"], 7);  // the check, then one per unit
}

TEST(GdbDeploy, OneChangedUnitIsTheOnlyOneWritten) {
  Rig rig;
  rig.deploy();
  rig.images[0].data[0x3001] ^= 0xFF;  // in the image's second block
  rig.server.counts.clear();
  auto again = rig.deploy();
  EXPECT_TRUE(rig.memory_holds_image());
  EXPECT_EQ(again.written_bytes, 0x1000u);
  EXPECT_EQ(rig.server.counts["vFlashErase"], 1);
  EXPECT_EQ(rig.server.counts["vFlashDone"], 1);
}

TEST(GdbDeploy, AWrongCrcIsWarnedAndUnitsAreReadInstead) {
  Rig rig;
  rig.deploy();
  rig.server.crc = FakeServer::Crc::wrong;
  rig.server.counts.clear();
  auto again = rig.deploy();
  EXPECT_EQ(again.written_bytes, 0u);
  EXPECT_EQ(again.skipped_bytes, 0x6000u);
  EXPECT_TRUE(rig.warned("its qCRC is wrong"));
  EXPECT_EQ(rig.server.counts["qCRC"], 1);
  EXPECT_GE(rig.server.counts["m"], 7);
}

TEST(GdbDeploy, WithoutAMapItWritesWithXOrMAndErasesNothing) {
  Rig rig;
  rig.server.offer_map = false;
  rig.server.flash = false;
  rig.server.crc = FakeServer::Crc::unsupported;
  rig.server.accept_x = false;  // QEMU: M only
  auto first = rig.deploy();
  EXPECT_TRUE(rig.memory_holds_image());
  EXPECT_EQ(first.written_bytes, 0x5800u);
  EXPECT_EQ(rig.server.counts["vFlashErase"], 0);
  EXPECT_GT(rig.server.counts["M"], 0);
  rig.server.counts.clear();
  auto second = rig.deploy();
  EXPECT_EQ(second.written_bytes, 0u);
  EXPECT_EQ(second.skipped_bytes, 0x5800u);  // 4 KiB compare units, the last one short
  EXPECT_EQ(rig.server.counts["M"], 0);
  EXPECT_FALSE(rig.warned("qCRC"));
}

TEST(GdbDeploy, ResetGoesThroughTheMonitorThenDetaches) {
  Rig rig;
  rig.deploy(true);
  ASSERT_EQ(rig.server.monitor_log.size(), 1u);
  EXPECT_EQ(rig.server.monitor_log[0], "reset");
  EXPECT_EQ(rig.server.counts["D"], 1);
}

TEST(GdbDeploy, AnImageOutsideTheMapIsRefusedBeforeAnything) {
  Rig rig;
  rig.server.memory.resize(0x4000);  // the map's flash ends before the image does
  protocol::gdb::ClientOptions o;
  o.reply_timeout = o.flash_timeout = protocol::gdb::Millis(50);
  protocol::gdb::Client client(rig.server, o);
  client.connect();
  try {
    make_gdb_target_view(rig.board, rig.images, rig.map(client), client.server());
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::refused);
    EXPECT_NE(std::string(e.what()).find("is not inside one region of the memory map"), std::string::npos) << e.what();
  }
  EXPECT_EQ(rig.server.counts["vFlashErase"], 0);
}

TEST(GdbDeploy, RomAndMixedRegionsAreRefused) {
  Rig rig;
  protocol::gdb::MemoryMap rom;
  rom.regions.push_back({protocol::gdb::MemoryRegion::Type::rom, 0x08000000, 0x10000, 0});
  try {
    make_gdb_target_view(rig.board, rig.images, rom, "GDB server at test:1");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::refused);
    EXPECT_NE(std::string(e.what()).find("is read-only memory (rom 0x08000000..0x08010000)"), std::string::npos) << e.what();
  }
  // A flash region that starts inside the memory: units follow the region's blocks.
  protocol::gdb::MemoryMap offset;
  offset.regions.push_back({protocol::gdb::MemoryRegion::Type::flash, 0x08002000, 0xE000, 0x2000});
  auto view = make_gdb_target_view(rig.board, rig.images, offset, "GDB server at test:1");
  const auto* m = view.board.memory("internal");
  ASSERT_TRUE(m->erase_unit_at(0x08004000));
  EXPECT_EQ(m->erase_unit_at(0x08004000)->start, 0x08004000u);
  EXPECT_EQ(m->erase_unit_at(0x08005000)->size, 0x2000u);
  EXPECT_TRUE(view.of(*rig.images[0].partition).flash_packets);
}

TEST(GdbDeploy, ADroppedConnectionFailsClearlyAndARerunCompletes) {
  Rig rig;
  std::fill(rig.server.memory.begin(), rig.server.memory.end(), 0x00);  // an old image everywhere
  rig.server.drop_after_writes = 3;
  try {
    rig.deploy();
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::no_device);
    EXPECT_NE(std::string(e.what()).find("closed the connection"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(rig.memory_holds_image());
  rig.server.drop_after_writes = -1;
  rig.deploy();
  EXPECT_TRUE(rig.memory_holds_image());
  // Outside the image's blocks nothing was touched.
  EXPECT_EQ(rig.server.memory[0x1FFF], 0x00);
  EXPECT_EQ(rig.server.memory[0x8000], 0x00);
}

TEST(GdbDeploy, ServerBlocksizeDecidesTheUnits) {
  Rig rig;
  rig.server.blocksize = 0x2000;
  rig.deploy();
  EXPECT_TRUE(rig.memory_holds_image());
  EXPECT_EQ(rig.server.counts["vFlashErase"], 3);  // 0x5800 bytes from 0x2000: three 8 KiB blocks
}

}  // namespace
}  // namespace omv::flash::gdb_deploy_test
