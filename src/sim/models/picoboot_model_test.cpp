#include "sim/models/picoboot_model.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "boards/board_db.h"
#include "image/uf2.h"
#include "protocol/picoboot/client.h"

namespace omv::sim {
namespace {

namespace fs = std::filesystem;
namespace pb = protocol::picoboot;
using transport::Millis;

// The host side of the USB device, in-process: what the sim backend does over its socket.
class ModelDevice : public transport::UsbDevice {
 public:
  explicit ModelDevice(PicobootModel& m) : model_(m), info_(*m.identity()) {}
  const transport::UsbDeviceInfo& info() const override { return info_; }
  size_t control_in(uint8_t rt, uint8_t rq, uint16_t value, uint16_t index, std::span<uint8_t> data,
                    Millis) override {
    auto r = model_.control({rt, rq, value, index, static_cast<uint16_t>(data.size())}, {});
    if (r.stall) throw transport::UsbStall("control stall");
    const size_t n = std::min(data.size(), r.data.size());
    std::copy_n(r.data.begin(), n, data.begin());
    return n;
  }
  size_t control_out(uint8_t rt, uint8_t rq, uint16_t value, uint16_t index, std::span<const uint8_t> data,
                     Millis) override {
    if (model_.control({rt, rq, value, index, static_cast<uint16_t>(data.size())}, data).stall)
      throw transport::UsbStall("control stall");
    return data.size();
  }
  size_t bulk_in(uint8_t ep, std::span<uint8_t> data, Millis) override {
    auto r = model_.bulk_in(ep, data.size());
    if (r.stall) throw transport::UsbStall("bulk in stall");
    std::copy(r.data.begin(), r.data.end(), data.begin());
    return r.data.size();
  }
  size_t bulk_out(uint8_t ep, std::span<const uint8_t> data, Millis) override {
    if (model_.bulk_out(ep, data).stall) throw transport::UsbStall("bulk out stall");
    return data.size();
  }
  void claim_interface(uint8_t) override {}
  void set_alt_setting(uint8_t, uint8_t) override {}
  std::string string_descriptor(uint8_t) override { return {}; }
  void reset() override {}

 private:
  PicobootModel& model_;
  transport::UsbDeviceInfo info_;
};

class PicobootModelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("omv-picoboot-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    board_ = db_.get("ARDUINO_NANO_RP2040_CONNECT");
    bank_ = std::make_unique<MemoryBank>(board_, dir_);
    model_ = std::make_unique<PicobootModel>(PicobootModelConfig::from_board(board_, "E660", dir_),
                                             *bank_->find("flash"), &faults_);
    device_ = std::make_unique<ModelDevice>(*model_);
    auto itf = pb::find_interface(device_->info());
    ASSERT_TRUE(itf);
    EXPECT_EQ(itf->number, 1);
    EXPECT_EQ(itf->ep_out, 0x03);
    EXPECT_EQ(itf->ep_in, 0x84);
    client_ = std::make_unique<pb::Client>(*device_, *itf);
  }
  void TearDown() override {
    client_.reset();
    device_.reset();
    model_.reset();
    bank_.reset();
    fs::remove_all(dir_);
  }
  std::vector<uint8_t> flash(uint64_t addr, size_t n) { return bank_->find("flash")->read(addr, n); }
  static std::vector<uint8_t> random_bytes(size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    std::vector<uint8_t> v(n);
    for (auto& b : v) b = static_cast<uint8_t>(rng());
    return v;
  }
  void drop(const std::string& name, const std::vector<uint8_t>& bytes) {
    std::ofstream(dir_ / "drive" / name, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  }

  boards::BoardDb db_ = boards::BoardDb::built_in();
  boards::Board board_;
  fs::path dir_;
  FaultPlan faults_;
  std::unique_ptr<MemoryBank> bank_;
  std::unique_ptr<PicobootModel> model_;
  std::unique_ptr<ModelDevice> device_;
  std::unique_ptr<pb::Client> client_;
};

TEST_F(PicobootModelTest, EraseWriteReadLikePicotool) {
  client_->exclusive_access(pb::Exclusive::exclusive);
  client_->exit_xip();
  const auto data = random_bytes(8192, 1);
  client_->flash_erase(0x10000000, 0x2000, Millis(1000));
  client_->write(0x10000000, data, Millis(1000));
  EXPECT_EQ(flash(0x10000000, data.size()), data);
  EXPECT_EQ(client_->read(0x10000000, 8192), data);
  EXPECT_EQ(client_->read(0x10000100, 0x10), std::vector<uint8_t>(data.begin() + 0x100, data.begin() + 0x110));
  EXPECT_EQ(client_->status().code, 0u);
  EXPECT_EQ(model_->stats()["commands"]["WRITE"], 1);
}

TEST_F(PicobootModelTest, WithoutExitXipNothingChanges) {
  const auto data = random_bytes(256, 2);
  client_->flash_erase(0x10000000, 0x1000, Millis(1000));
  client_->write(0x10000000, data, Millis(1000));
  EXPECT_EQ(flash(0x10000000, 256), std::vector<uint8_t>(256, 0xFF));
  EXPECT_EQ(model_->stats()["ignored_without_exit_xip"], 0x1000 + 256);
}

TEST_F(PicobootModelTest, RejectedCommandsFailWithTheStatusByName) {
  client_->exit_xip();
  try {
    client_->flash_erase(0x10000100, 0x1000, Millis(1000));
    FAIL();
  } catch (const pb::StatusError& e) {
    EXPECT_EQ(e.code(), 5u);
    EXPECT_NE(std::string(e.what()).find("BAD_ALIGNMENT"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("FLASH_ERASE"), std::string::npos);
    EXPECT_NE(std::string(e.hint()).find("4 KiB"), std::string::npos);
  }
  try {
    client_->write(0x30000000, random_bytes(256, 3), Millis(1000));
    FAIL();
  } catch (const pb::StatusError& e) {
    EXPECT_EQ(e.code(), 4u);
    EXPECT_NE(std::string(e.what()).find("INVALID_ADDRESS"), std::string::npos);
  }
  // The interface was reset: the next command works.
  client_->flash_erase(0x10001000, 0x1000, Millis(1000));
  EXPECT_EQ(model_->stats()["failures"]["BAD_ALIGNMENT"], 1);
}

TEST_F(PicobootModelTest, MalformedCommandsStallUntilInterfaceReset) {
  auto packet = pb::encode(pb::exit_xip(9));
  packet[9] = 4;  // bCmdSize must be 0 for EXIT_XIP
  device_->bulk_out(0x03, packet, Millis(100));
  uint8_t ack[1];
  EXPECT_THROW(device_->bulk_in(0x84, ack, Millis(100)), transport::UsbStall);
  EXPECT_EQ(client_->status().code, static_cast<uint32_t>(pb::Status::invalid_cmd_length));
  client_->interface_reset();
  client_->exit_xip();
}

TEST_F(PicobootModelTest, InjectedWriteErrorIsReported) {
  faults_.arm("err_write");
  client_->exit_xip();
  EXPECT_THROW(client_->write(0x10000000, random_bytes(256, 4), Millis(1000)), pb::StatusError);
}

TEST_F(PicobootModelTest, RebootLeavesBootsel) {
  client_->reboot(0, 0x20042000, 500);
  EXPECT_FALSE(model_->identity());
  EXPECT_EQ(model_->take_mode_change(), std::optional<std::string>("app"));
  EXPECT_FALSE(fs::exists(dir_ / "drive"));
}

TEST_F(PicobootModelTest, DriveShowsInfoUf2AndFlashesDroppedFiles) {
  std::ifstream in(dir_ / "drive" / "INFO_UF2.TXT");
  std::string info((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(info.find("Board-ID: RPI-RP2"), std::string::npos);
  const auto data = random_bytes(5000, 5);
  auto uf2 = image::build_uf2({{0x10000000, data, std::nullopt}}, image::kUf2FamilyRp2040);
  drop("FIRMWARE.UF2", uf2);
  model_->poll_drive();
  EXPECT_EQ(flash(0x10000000, data.size()), data);
  EXPECT_EQ(flash(0x10000000 + data.size(), 100), std::vector<uint8_t>(100, 0xFF));
  EXPECT_EQ(model_->take_mode_change(), std::optional<std::string>("app"));
}

TEST_F(PicobootModelTest, DriveIgnoresAnotherFamily) {
  const auto data = random_bytes(1024, 6);
  drop("RP2350.UF2", image::build_uf2({{0x10000000, data, std::nullopt}}, 0xE48BFF59));
  model_->poll_drive();
  EXPECT_EQ(flash(0x10000000, 16), std::vector<uint8_t>(16, 0xFF));
  EXPECT_FALSE(model_->take_mode_change());
  EXPECT_EQ(model_->stats()["uf2_blocks_ignored"], 4);
}

TEST_F(PicobootModelTest, DriveRefusesWritesDuringExclusiveAccess) {
  client_->exclusive_access(pb::Exclusive::exclusive);
  drop("X.UF2", image::build_uf2({{0x10000000, random_bytes(256, 7), std::nullopt}}, image::kUf2FamilyRp2040));
  model_->poll_drive();
  EXPECT_EQ(flash(0x10000000, 16), std::vector<uint8_t>(16, 0xFF));
  EXPECT_EQ(model_->stats()["drive_refused"], 1);
}

}  // namespace
}  // namespace omv::sim
