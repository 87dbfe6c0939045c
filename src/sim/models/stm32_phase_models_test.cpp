// The virtual STM32N6 boot ROM and ST's OpenBootloader against omv's phase-protocol host
// engine, in-process; and the OpenBootloader's layout parser with ST's quirks.
#include <gtest/gtest.h>

#include <filesystem>

#include "boards/board_db.h"
#include "core/test_pattern.h"
#include "image/stm32_header.h"
#include "image/stm32_test_images.h"
#include "protocol/dfu/clock.h"
#include "protocol/dfu/stm32_phase_client.h"
#include "sim/local_device.h"
#include "sim/models/openbl_layout.h"
#include "sim/models/stm32_n6_models.h"

namespace omv::sim::stm32_phase_models_test {
namespace {

namespace ph = dfu::phases;
using test_data::pattern;

std::vector<uint8_t> blob(const std::string& tsv) {
  return image::wrap_in_stm32_v1(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(tsv.data()), tsv.size()));
}

const char* const kOpenmvTsv =
    "P\t0x1\tfsbl-openbl\tBinary\tnone\t0x0\n"
    "P\t0x3\tfsbl-extfl\tBinary\tnone\t0x0\n"
    "P\t0x4\tfsbl-app\tBinary\tnor0\t0x00000000\n";

TEST(OpenblLayout, ReadsIdsAndOffsetsOfEveryLfTerminatedLine) {
  auto r = parse_openbl_layout(blob(kOpenmvTsv));
  ASSERT_TRUE(r.ok()) << r.error;
  ASSERT_EQ(r.partitions.size(), 3u);
  EXPECT_EQ(r.partitions[1].id, 3u);
  EXPECT_EQ(r.partitions[2].id, 4u);
  EXPECT_EQ(r.partitions[2].offset, 0u);
  EXPECT_EQ(r.partitions[2].name, "fsbl-app");
}

TEST(OpenblLayout, KeepsSTsQuirks) {
  // A last line without LF never counts.
  auto r = parse_openbl_layout(blob("P\t0x1\ta\tBinary\tnone\t0x0\nP\t0x4\tb\tBinary\tnor0\t0x10000"));
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.partitions.size(), 1u);
  // An empty column keeps the previous line's value (the buffers are only overwritten by characters).
  r = parse_openbl_layout(blob("P\t0x4\ta\tBinary\tnor0\t0x20000\nP\t0x5\tb\tBinary\tnor0\t\n"));
  ASSERT_TRUE(r.ok()) << r.error;
  ASSERT_EQ(r.partitions.size(), 2u);
  EXPECT_EQ(r.partitions[1].offset, 0x20000u);
  // A header line at the very start is parsed as a line, and its Id is no number.
  r = parse_openbl_layout(blob("#Opt\tId\tName\tType\tIP\tOffset\nP\t0x1\ta\tBinary\tnone\t0x0\n"));
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.error.find("Id \"Id\""), std::string::npos) << r.error;
  // A comment line after an LF and a seventh column would stop ST's parser for good.
  EXPECT_FALSE(parse_openbl_layout(blob("P\t0x1\ta\tBinary\tnone\t0x0\n# note\n")).ok());
  EXPECT_FALSE(parse_openbl_layout(blob("P\t0x1\ta\tBinary\tnone\t0x0\tfile.bin\n")).ok());
  // At most 15 lines.
  std::string many;
  for (int i = 0; i < 16; ++i) many += "P\t0x4\tp\tBinary\tnor0\t0x0\n";
  EXPECT_FALSE(parse_openbl_layout(blob(many)).ok());
  EXPECT_FALSE(parse_openbl_layout(std::vector<uint8_t>(256, 0)).ok());
}

class NoWaitClock : public dfu::Clock {
 public:
  std::chrono::steady_clock::time_point now() override { return t_; }
  void sleep_for(std::chrono::milliseconds d) override { t_ += d; }

 private:
  std::chrono::steady_clock::time_point t_{};
};

struct N6Camera {
  boards::BoardDb db = boards::BoardDb::built_in();
  const boards::Board& board = db.get("OPENMV_N6");
  std::filesystem::path dir;
  std::unique_ptr<MemoryBank> memories;
  FaultPlan faults;
  std::unique_ptr<ModelContext> ctx;
  std::unique_ptr<UsbDeviceModel> model;

  explicit N6Camera(const std::string& mode) {
    std::string p = (std::filesystem::temp_directory_path() / "omv-n6-model-XXXXXX").string();
    dir = mkdtemp(p.data());
    memories = std::make_unique<MemoryBank>(board, dir);
    start(mode);
  }
  void start(const std::string& mode) {
    model.reset();
    ctx = std::make_unique<ModelContext>(ModelContext{board, mode, "N6UNIT", dir, *memories, faults, 0});
    model = mode == "rom" ? make_stm32_n6_rom(*ctx) : make_stm32_openbl(*ctx);
  }
  ~N6Camera() { std::filesystem::remove_all(dir); }
  FlashMemory& nor() { return *memories->find("xspi2"); }
};

TEST(Stm32N6Rom, TakesTheFsblChecksItAndAsksForDetach) {
  N6Camera cam("rom");
  LocalUsbDevice dev(*cam.model);
  EXPECT_EQ(ph::parse_stage(dev.info().product).stage, ph::Stage::rom);
  EXPECT_EQ(ph::parse_stage(dev.info().product).device_id, 0x486u);
  NoWaitClock clock;
  ph::PhaseClient client(dev, clock);
  ASSERT_NE(client.alt_for(ph::kFsbl), nullptr);
  EXPECT_EQ(client.transfer_size(), 1024);
  auto first = client.get_phase();
  EXPECT_EQ(first.phase, ph::kFsbl);
  EXPECT_EQ(first.address, 0x34180000u);

  // A corrupt FSBL is dropped and asked for again; DETACH before a good one does nothing.
  auto bad = test_data::test_openbl_stm32();
  bad[0x500] ^= 1;
  client.download(ph::kFsbl, bad, {});
  EXPECT_EQ(client.get_phase().phase, ph::kFsbl);
  client.detach();
  EXPECT_FALSE(cam.model->take_mode_change());
  EXPECT_EQ(cam.model->stats()["fsbl_rejected"], 1);

  client.download(ph::kFsbl, test_data::test_openbl_stm32(), {});
  auto next = client.get_phase();
  EXPECT_EQ(next.phase, ph::kFlashLayout);
  EXPECT_EQ(next.address, ph::kUndefinedAddress);
  EXPECT_TRUE(next.detach_requested);
  client.detach();
  EXPECT_EQ(cam.model->take_mode_change(), "openbl");
}

TEST(Stm32N6Rom, RefusesAnFsblOverItsBuffer) {
  N6Camera cam("rom");
  LocalUsbDevice dev(*cam.model);
  NoWaitClock clock;
  ph::PhaseClient client(dev, clock);
  EXPECT_THROW(client.download(ph::kFsbl, pattern(512 * 1024 + 1024, 3), {}), Error);
  EXPECT_EQ(cam.model->stats()["fsbl_over_limit"], 1);
}

TEST(Stm32Openbl, WalksTheLayoutInFileOrderAndWritesTheNor) {
  N6Camera cam("openbl");
  LocalUsbDevice dev(*cam.model);
  EXPECT_EQ(ph::parse_stage(dev.info().product).stage, ph::Stage::openbl);
  NoWaitClock clock;
  ph::PhaseClient client(dev, clock);
  ASSERT_EQ(client.alts().size(), 5u);
  EXPECT_EQ(client.alts()[2].text, "@FSBL-APP /0x04/1*128Me");
  // Phase read, then start read, for every partition.
  auto p = client.get_phase();
  EXPECT_EQ(p.phase, ph::kFlashLayout);
  EXPECT_EQ(p.address, 0x341FFC00u);
  client.download(ph::kFlashLayout, blob(kOpenmvTsv), {});
  EXPECT_EQ(client.get_phase().phase, ph::kFlashLayout);
  p = client.get_phase();
  EXPECT_EQ(p.phase, 0x03);
  EXPECT_EQ(p.address, 0x38000000u);
  client.download(0x03, test_data::test_extfl_loader(), {});
  EXPECT_EQ(client.get_phase().phase, 0x03);
  p = client.get_phase();
  EXPECT_EQ(p.phase, 0x04);
  EXPECT_EQ(p.address, 0x70000000u);
  const auto boot = pattern(100 * 1024, 9);
  client.download(0x04, boot, {});
  EXPECT_EQ(client.get_phase().phase, 0x04);
  EXPECT_EQ(client.get_phase().phase, ph::kEnd);
  EXPECT_EQ(cam.nor().read(0, boot.size()), boot);
  EXPECT_EQ(cam.nor().counters().erases, 2u);  // two 64 KiB sectors
  auto s = cam.model->stats();
  EXPECT_EQ(s["layout_header"], "v1");
  EXPECT_EQ(s["external_memory_ready"], true);
  EXPECT_EQ(s.value("verify_failed", 0), 0);
}

TEST(Stm32Openbl, RoutesDataByTheLastPhaseAndFailsSilently) {
  N6Camera cam("openbl");
  LocalUsbDevice dev(*cam.model);
  NoWaitClock clock;
  ph::PhaseClient client(dev, clock);
  // A layout it cannot parse: the walk ends right after it, and nothing says why.
  client.get_phase();
  client.download(ph::kFlashLayout, blob("#Opt\tId\tName\tType\tIP\tOffset\n"), {});
  EXPECT_EQ(client.get_phase().phase, ph::kFlashLayout);
  EXPECT_EQ(client.get_phase().phase, ph::kEnd);
  EXPECT_EQ(cam.model->stats()["layout_parse_error"], 1);

  // After a restart: a loader whose table points outside its RAM never initialises the NOR.
  cam.start("openbl");
  LocalUsbDevice dev2(*cam.model);
  ph::PhaseClient again(dev2, clock);
  again.get_phase();
  again.download(ph::kFlashLayout, blob(kOpenmvTsv), {});
  again.get_phase();
  again.get_phase();
  auto loader = test_data::test_extfl_loader();
  image::store_le32(&loader[4], 0x24000001);
  // Sent on the FSBL-APP alt: OpenBL ignores the alt and writes to the phase it last announced.
  again.download(0x04, loader, {});
  EXPECT_EQ(cam.model->stats()["loader_bytes"], loader.size());
  again.get_phase();
  again.get_phase();
  again.download(0x04, pattern(4096, 1), {});
  EXPECT_EQ(cam.model->stats()["external_init_failed"], 4);
  EXPECT_EQ(cam.nor().counters().bytes_programmed, 0u);
}

}  // namespace
}  // namespace omv::sim::stm32_phase_models_test
