// The host engines against the device models, in-process (no sockets, no sleeps).
#include <gtest/gtest.h>

#include <numeric>

#include "boards/board_db.h"
#include "protocol/dfu/dfu_interface.h"
#include "protocol/dfu/dfuse.h"
#include "sim/local_device.h"
#include "sim/model_registry.h"
#include "core/test_pattern.h"

namespace omv::sim {
namespace {

class FakeClock : public dfu::Clock {
 public:
  std::chrono::steady_clock::time_point now() override { return t_; }
  void sleep_for(std::chrono::milliseconds d) override {
    t_ += d;
    slept += d;
  }
  void advance(std::chrono::milliseconds d) { t_ += d; }
  std::chrono::milliseconds slept{0};

 private:
  std::chrono::steady_clock::time_point t_{};
};

// A clock whose time passes with every poll, so "forever" ends quickly.
class TickingClock : public FakeClock {
 public:
  std::chrono::steady_clock::time_point now() override {
    advance(std::chrono::milliseconds(50));
    return FakeClock::now();
  }
};

struct Camera {
  std::string dir;
  boards::BoardDb db = boards::BoardDb::built_in();
  const boards::Board& board;
  std::unique_ptr<MemoryBank> memories;
  FaultPlan faults;
  std::unique_ptr<ModelContext> ctx;
  std::unique_ptr<UsbDeviceModel> model;

  Camera(const std::string& target, const std::string& mode, const std::string& type)
      : board(db.get(target)) {
    std::string p = (std::filesystem::temp_directory_path() / "omv-model-XXXXXX").string();
    dir = mkdtemp(p.data());
    memories = std::make_unique<MemoryBank>(board, dir);
    ctx = std::make_unique<ModelContext>(ModelContext{board, mode, "TESTSERIAL", dir, *memories, faults, 0});
    model = (*find_usb_model(type, mode))(*ctx);
  }
  ~Camera() { std::filesystem::remove_all(dir); }
  FlashMemory& mem(const std::string& name) { return *memories->find(name); }
};

using omv::test_data::pattern;

dfu::FunctionalDescriptor descriptor_of(const transport::UsbDeviceInfo& info) {
  return *dfu::find_functional_descriptor(info.interfaces.front().extra);
}

TEST(OpenmvDfuModel, BlocksLandAtPartitionStartPlusBlockTimesTransferSize) {
  Camera cam("OPENMV4", "bootloader", "openmv_dfu");
  LocalUsbDevice dev(*cam.model);
  FakeClock clock;
  dfu::DfuInterface dfu(dev, 0, descriptor_of(dev.info()), clock);
  EXPECT_EQ(dfu.transfer_size(), 4096);
  dev.set_alt_setting(0, 2);  // FIRMWARE at 0x08040000
  dfu.ensure_idle(std::chrono::milliseconds(100));
  auto b0 = pattern(4096, 1), b3 = pattern(4096, 9);
  dfu.download_and_wait(0, b0, std::chrono::milliseconds(3000), "block 0");
  dfu.download_and_wait(3, b3, std::chrono::milliseconds(3000), "block 3");
  dfu.dnload(4, {}, "end");
  dfu.wait_for_state({dfu::State::dfuIDLE}, std::chrono::milliseconds(1000), "manifest");
  EXPECT_EQ(cam.mem("internal").read(0x08040000, 4096), b0);
  EXPECT_EQ(cam.mem("internal").read(0x08040000 + 3 * 4096, 4096), b3);
  EXPECT_EQ(cam.mem("internal").counters().erases, 1u);  // only block 0 starts a sector
  EXPECT_EQ(clock.slept.count(), 0);                      // bwPollTimeout 0: polled at once
  // Upload reads the same addresses; past the limit a 4-byte zero frame ends it.
  std::vector<uint8_t> buf(4096);
  EXPECT_EQ(dfu.upload(3, buf, std::chrono::milliseconds(100), "up"), 4096u);
  EXPECT_EQ(buf, b3);
  dfu.abort();
  dev.set_alt_setting(0, 3);  // ROMFS0: 0x081E0000..0x08200000 = 32 blocks
  EXPECT_EQ(dfu.upload(32, buf, std::chrono::milliseconds(100), "up"), 4u);
}

TEST(OpenmvDfuModel, ReadOnlyAndPastTheLimitAreErrorsNamedByTheDevice) {
  Camera cam("OPENMV4", "bootloader", "openmv_dfu");
  LocalUsbDevice dev(*cam.model);
  FakeClock clock;
  dfu::DfuInterface dfu(dev, 0, descriptor_of(dev.info()), clock);
  auto block = pattern(4096, 3);
  dev.set_alt_setting(0, 0);  // BOOTLOADER
  try {
    dfu.download_and_wait(0, block, std::chrono::milliseconds(3000), "bootloader write");
    FAIL();
  } catch (const dfu::DfuStatusError& e) {
    EXPECT_EQ(e.status(), static_cast<uint8_t>(dfu::Status::errWRITE));
    EXPECT_NE(std::string(e.what()).find("errWRITE"), std::string::npos);
  }
  EXPECT_EQ(cam.mem("internal").counters().bytes_programmed, 0u);
  dev.set_alt_setting(0, 3);  // ROMFS0, 32 blocks
  dfu.ensure_idle(std::chrono::milliseconds(100));
  try {
    dfu.download_and_wait(32, block, std::chrono::milliseconds(3000), "past the end");
    FAIL();
  } catch (const dfu::DfuStatusError& e) {
    EXPECT_EQ(e.status(), static_cast<uint8_t>(dfu::Status::errADDRESS));
  }
  // The error was cleared: the interface works again.
  dfu.ensure_idle(std::chrono::milliseconds(100));
  dfu.download_and_wait(0, block, std::chrono::milliseconds(3000), "ok");
}

TEST(OpenmvDfuModel, WrongStateRequestsStallAndMoveToError) {
  Camera cam("OPENMV4", "bootloader", "openmv_dfu");
  LocalUsbDevice dev(*cam.model);
  EXPECT_THROW(dev.control_out(dfu::kOut, dfu::CLRSTATUS, 0, 0, {}, std::chrono::milliseconds(10)), transport::UsbStall);
  uint8_t st[6];
  dev.control_in(dfu::kIn, dfu::GETSTATUS, 0, 0, st, std::chrono::milliseconds(10));
  EXPECT_EQ(st[4], static_cast<uint8_t>(dfu::State::dfuERROR));
  EXPECT_THROW(dev.control_out(0x21, 0x77, 0, 0, {}, std::chrono::milliseconds(10)), transport::UsbStall);
}

TEST(OpenmvDfuModel, MramNeedsBlockZeroFirst) {
  Camera cam("OPENMV_AE3", "bootloader", "openmv_dfu");
  LocalUsbDevice dev(*cam.model);
  FakeClock clock;
  dfu::DfuInterface dfu(dev, 0, descriptor_of(dev.info()), clock);
  dev.set_alt_setting(0, 1);  // HP in MRAM
  auto block = pattern(4096, 5);
  EXPECT_THROW(dfu.download_and_wait(5, block, std::chrono::milliseconds(3000), "locked"), dfu::DfuStatusError);
  dfu.ensure_idle(std::chrono::milliseconds(100));
  dfu.download_and_wait(0, block, std::chrono::milliseconds(3000), "unlock");
  dfu.download_and_wait(5, block, std::chrono::milliseconds(3000), "now fine");
  EXPECT_EQ(cam.mem("mram").read(0x80020000 + 5 * 4096, 4096), block);
}

TEST(OpenmvDfuModel, BusyForeverIsATimeoutThenTwoClrstatusRecover) {
  Camera cam("MPS2_AN500", "bootloader", "openmv_dfu");
  LocalUsbDevice dev(*cam.model);
  TickingClock clock;
  dfu::DfuInterface dfu(dev, 0, descriptor_of(dev.info()), clock);
  cam.faults.arm("busy_forever@0");
  auto block = pattern(4096, 5);
  try {
    dfu.download_and_wait(0, block, std::chrono::milliseconds(2000), "stuck write");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::timeout);
    EXPECT_NE(std::string(e.what()).find("dfuDNBUSY"), std::string::npos);
  }
  dfu.ensure_idle(std::chrono::milliseconds(500));
  dfu.download_and_wait(0, block, std::chrono::milliseconds(2000), "after recovery");
  EXPECT_EQ(cam.mem("code").read(0, 4096), block);
}

TEST(StRomModel, DfuseEraseWriteReadAndTheH7StuckBusyQuirk) {
  Camera cam("OPENMV4", "rom", "openmv_dfu");
  cam.ctx->time_scale = 1;  // real poll timeouts: the fake clock only advances by what is asked
  LocalUsbDevice dev(*cam.model);
  ASSERT_EQ(dev.info().id, (UsbId{0x0483, 0xDF11}));
  EXPECT_EQ(dev.info().interfaces.front().name, "@Internal Flash  /0x08000000/16*128Kg");
  FakeClock clock;
  dfu::DfuOptions opt;
  opt.clear_stuck_busy = true;
  dfu::DfuInterface dfu(dev, 0, descriptor_of(dev.info()), clock, opt);
  EXPECT_EQ(dfu.transfer_size(), 2048);
  dfu::DfuseTarget st(dfu);
  dfu.ensure_idle(std::chrono::milliseconds(100));
  EXPECT_EQ(st.get_commands(), (std::vector<uint8_t>{0x00, 0x21, 0x41, 0x92}));
  auto data = pattern(2048 * 3 + 100, 11);
  st.erase_page(0x08000000, std::chrono::milliseconds(3000));
  EXPECT_GT(clock.slept.count(), 0);  // it asked for the erase time as bwPollTimeout
  for (size_t off = 0; off < data.size(); off += 2048) {
    size_t n = std::min<size_t>(2048, data.size() - off);
    st.write_chunk(static_cast<uint32_t>(0x08000000 + off), std::span(data).subspan(off, n), std::chrono::milliseconds(3000));
  }
  std::vector<uint8_t> back(data.size());
  st.read(0x08000000, back, std::chrono::milliseconds(1000));
  EXPECT_EQ(back, data);
  // Erasing above 1 MiB leaves this ROM in dfuDNBUSY; the engine clears it and carries on.
  st.erase_page(0x08100000, std::chrono::milliseconds(3000));
  st.write_chunk(0x08100000, std::span(data).subspan(0, 2048), std::chrono::milliseconds(3000));
  EXPECT_EQ(cam.mem("internal").read(0x08100000, 2048), std::vector<uint8_t>(data.begin(), data.begin() + 2048));
}

TEST(StRomModel, WriteWithoutEraseCorruptsVisibly) {
  Camera cam("OPENMV4", "rom", "openmv_dfu");
  LocalUsbDevice dev(*cam.model);
  FakeClock clock;
  dfu::DfuInterface dfu(dev, 0, descriptor_of(dev.info()), clock);
  dfu::DfuseTarget st(dfu);
  dfu.ensure_idle(std::chrono::milliseconds(100));
  auto a = pattern(2048, 1), b = pattern(2048, 2);
  st.erase_page(0x08020000, std::chrono::milliseconds(3000));
  st.write_chunk(0x08020000, a, std::chrono::milliseconds(3000));
  st.write_chunk(0x08020000, b, std::chrono::milliseconds(3000));  // no erase in between
  auto got = cam.mem("internal").read(0x08020000, 2048);
  EXPECT_NE(got, b);
  EXPECT_GT(cam.mem("internal").counters().bits_not_erased, 0u);
}

TEST(ArduinoModel, BootloaderSectorIsNotWritable) {
  Camera cam("ARDUINO_PORTENTA_H7", "bootloader", "arduino_dfuse");
  LocalUsbDevice dev(*cam.model);
  EXPECT_EQ(dev.info().interfaces.size(), 2u);
  FakeClock clock;
  dfu::DfuInterface dfu(dev, 0, descriptor_of(dev.info()), clock);
  dfu::DfuseTarget st(dfu);
  dfu.ensure_idle(std::chrono::milliseconds(100));
  try {
    st.erase_page(0x08000000, std::chrono::milliseconds(3000));
    FAIL();
  } catch (const dfu::DfuStatusError& e) {
    EXPECT_EQ(e.status(), static_cast<uint8_t>(dfu::Status::errTARGET));
  }
  dev.set_alt_setting(0, 1);  // QSPI
  dfu.ensure_idle(std::chrono::milliseconds(100));
  auto blob = pattern(4096, 4);
  st.erase_page(0x90F00000, std::chrono::milliseconds(3000));
  st.write_chunk(0x90F00000, blob, std::chrono::milliseconds(3000));
  EXPECT_EQ(cam.mem("qspi").read(0x90F00000, 4096), blob);
  st.leave(std::nullopt);
  EXPECT_EQ(cam.model->take_mode_change(), std::optional<std::string>("app"));
}

}  // namespace
}  // namespace omv::sim
