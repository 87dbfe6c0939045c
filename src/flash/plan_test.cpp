#include "flash/plan.h"

#include <gtest/gtest.h>

#include <map>

#include "boards/board_db.h"
#include "flash/executor.h"
#include "core/test_pattern.h"

namespace omv::flash {
namespace {

constexpr uint64_t kBase = 0x60040000;  // OPENMV_RT1060 FIRMWARE, 4 KiB erase units

// A device of plain bytes that records every command it is given.
class MemorySession : public Session {
 public:
  explicit MemorySession(bool spans_units) : spans_(spans_units) {}
  std::map<uint64_t, uint8_t> flash;  // absent = erased
  std::vector<std::pair<uint64_t, uint64_t>> reads, erases, writes;

  Capabilities capabilities() const override {
    Capabilities c;
    c.can_read = true;
    c.explicit_erase = true;
    c.max_chunk = 64 * 1024;
    c.spans_units = spans_;
    return c;
  }
  std::string describe() const override { return "memory"; }
  std::vector<uint8_t> read(const boards::Partition&, uint64_t address, size_t length,
                            const std::function<void(size_t)>&) override {
    reads.emplace_back(address, length);
    std::vector<uint8_t> out(length);
    for (size_t i = 0; i < length; ++i) out[i] = byte(address + i);
    return out;
  }
  void erase(const boards::Partition&, uint64_t address, uint64_t length) override {
    erases.emplace_back(address, length);
    for (uint64_t a = address; a < address + length; ++a) flash.erase(a);
  }
  void write(const boards::Partition&, uint64_t address, std::span<const uint8_t> data) override {
    writes.emplace_back(address, data.size());
    for (size_t i = 0; i < data.size(); ++i) flash[address + i] = data[i];
  }
  void finish(const boards::Partition&) override {}
  void reset() override {}
  uint8_t byte(uint64_t a) const {
    auto it = flash.find(a);
    return it == flash.end() ? 0xFF : it->second;
  }
  void forget_commands() { reads.clear(), erases.clear(), writes.clear(); }

 private:
  bool spans_;
};

using omv::test_data::pattern;

struct Rig {
  boards::BoardDb db = boards::BoardDb::built_in();
  const boards::Board& board = db.get("OPENMV_RT1060");
  RecordingSink events;
  Reporter reporter{events};
  Image image(std::vector<uint8_t> data) {
    return Image{"firmware.bin", board.partition_by_role("firmware"), kBase, std::move(data)};
  }
  void flash(Session& session, const Image& img) {
    std::vector<Image> images{img};
    auto plan = make_plan(board, images, &session, PlanOptions{}, reporter);
    execute(board, plan, session, ExecuteOptions{true, false}, reporter);
  }
};

using Range = std::pair<uint64_t, uint64_t>;

void expect_holds(const MemorySession& session, const std::vector<uint8_t>& data) {
  for (size_t i = 0; i < data.size(); ++i) ASSERT_EQ(session.byte(kBase + i), data[i]) << "at offset " << i;
}

Unit unit(uint64_t start, uint64_t size, Action action = Action::write) { return Unit{start, size, action, ""}; }

TEST(JoinUnits, AdjacentUnitsJoinUpToTheLimit) {
  std::vector<Unit> units{unit(0, 4), unit(4, 4), unit(8, 4), unit(12, 4), unit(16, 4)};
  auto runs = join_units(units, 8, true);
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_EQ(runs[0].start, 0u);
  EXPECT_EQ(runs[0].size, 8u);
  EXPECT_EQ(runs[1].start, 8u);
  EXPECT_EQ(runs[2].start, 16u);
  EXPECT_EQ(runs[2].size, 4u);
}

TEST(JoinUnits, GapsAndActionsSplitRuns) {
  std::vector<Unit> units{unit(0, 4), unit(8, 4), unit(12, 4, Action::skip), unit(16, 4, Action::skip)};
  auto by_action = join_units(units, 100, true);
  ASSERT_EQ(by_action.size(), 3u);
  EXPECT_EQ(by_action[2].start, 12u);
  EXPECT_EQ(by_action[2].size, 8u);
  EXPECT_EQ(by_action[2].action, Action::skip);
  auto any_action = join_units(units, 100, false);
  ASSERT_EQ(any_action.size(), 2u);
  EXPECT_EQ(any_action[1].size, 12u);
}

TEST(JoinUnits, AUnitLargerThanTheLimitStaysWhole) {
  auto runs = join_units({unit(0, 16), unit(16, 4)}, 8, true);
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].size, 16u);
}

TEST(PlanRuns, ASessionThatSpansUnitsIsAskedOncePerRun) {
  Rig rig;
  MemorySession session(true);
  auto data = pattern(160 * 1024, 1);  // 40 units of 4 KiB: runs of 64 KiB
  rig.flash(session, rig.image(data));
  EXPECT_EQ(session.reads.size(), 3u * 2);  // compare, then --verify
  EXPECT_EQ(session.erases.size(), 3u);
  EXPECT_EQ(session.writes.size(), 3u);
  EXPECT_EQ(session.erases[1], (Range{kBase + 0x10000, 0x10000}));
  expect_holds(session, data);
}

TEST(PlanRuns, EachUnitOfARunIsJudgedOnItsOwnBytes) {
  Rig rig;
  MemorySession session(true);
  auto data = pattern(64 * 1024, 2);
  rig.flash(session, rig.image(data));
  // One byte changes in unit 5 and one in unit 7: only those two are erased and written.
  data[5 * 4096 + 100] ^= 0x5A;
  data[7 * 4096 + 4095] ^= 0x01;
  session.forget_commands();
  rig.flash(session, rig.image(data));
  ASSERT_EQ(session.erases.size(), 2u);
  EXPECT_EQ(session.erases[0], (Range{kBase + 5 * 4096, 4096}));
  EXPECT_EQ(session.erases[1], (Range{kBase + 7 * 4096, 4096}));
  EXPECT_EQ(session.writes.size(), 2u);
  EXPECT_EQ(session.reads.front(), (Range{kBase, 64 * 1024}));
  expect_holds(session, data);
}

TEST(PlanRuns, OtherSessionsStillWorkUnitByUnit) {
  Rig rig;
  MemorySession session(false);
  auto data = pattern(32 * 1024, 3);
  rig.flash(session, rig.image(data));
  EXPECT_EQ(session.erases.size(), 8u);
  EXPECT_EQ(session.reads.size(), 16u);
  expect_holds(session, data);
}

}  // namespace
}  // namespace omv::flash
