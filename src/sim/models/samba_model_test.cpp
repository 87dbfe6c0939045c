#include "sim/models/samba_model.h"

#include <gtest/gtest.h>

#include <deque>
#include <filesystem>
#include <fstream>
#include <random>

#include "boards/board_db.h"
#include "protocol/samba/client.h"
#include "protocol/samba/crc16.h"

namespace omv::sim {
namespace {

namespace fs = std::filesystem;
using transport::Millis;

// The host side of a serial port whose other end is the model, in-process.
class ModelPort : public transport::SerialPort {
 public:
  explicit ModelPort(SambaModel& m) : model_(m) {}
  const std::string& path() const override { return path_; }
  void set_baud(uint32_t) override {}
  void set_dtr(bool) override {}
  void set_rts(bool) override {}
  void write(std::span<const uint8_t> data) override {
    auto out = model_.receive(data, 921600);
    rx_.insert(rx_.end(), out.begin(), out.end());
  }
  size_t read(std::span<uint8_t> data, Millis) override {
    size_t n = 0;
    while (n < data.size() && !rx_.empty()) {
      data[n++] = rx_.front();
      rx_.pop_front();
    }
    return n;
  }
  void drain() override {}

 private:
  SambaModel& model_;
  std::string path_ = "/dev/pts/model";
  std::deque<uint8_t> rx_;
};

class SambaModelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("omv-samba-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    board_ = db_.get("ARDUINO_NANO_33_BLE_SENSE");
    seed_samba_flash_of_camera(board_, dir_);
    bank_ = std::make_unique<MemoryBank>(board_, dir_);
    model_ = std::make_unique<SambaModel>(SambaModelConfig::from_board(board_, "SN1"), *bank_->find("flash"));
  }
  void TearDown() override {
    model_.reset();
    bank_.reset();
    fs::remove_all(dir_);
  }
  std::string say(const std::string& command) {
    auto out = model_->receive(std::span(reinterpret_cast<const uint8_t*>(command.data()), command.size()), 921600);
    return std::string(out.begin(), out.end());
  }
  std::vector<uint8_t> flash(uint64_t addr, size_t n) { return bank_->find("flash")->read(addr, n); }

  boards::BoardDb db_ = boards::BoardDb::built_in();
  boards::Board board_;
  fs::path dir_;
  std::unique_ptr<MemoryBank> bank_;
  std::unique_ptr<SambaModel> model_;
};

TEST_F(SambaModelTest, AnswersLikeTheNano33Bootloader) {
  EXPECT_EQ(say("N#"), "\n\r");
  EXPECT_EQ(say("V#"), "Arduino Bootloader (SAM-BA extended) 2.0 [Arduino:IKXYZ]\n\r");
  EXPECT_EQ(say("I#"), "nRF52840-QIAA\n\r");
  EXPECT_EQ(say("wE000ED00,4#"), std::string("\x41\xC2\x0F\x41", 4));
  EXPECT_EQ(model_->identity().id, (UsbId{0x2341, 0x805A}));
}

TEST_F(SambaModelTest, FreshFlashHasItsProtectedContentsAndIsErasedElsewhere) {
  auto sd = flash(0x1000, 32);
  EXPECT_EQ(std::string(sd.begin(), sd.begin() + 19), "SOFTDEVICE@00001000");
  auto bl = flash(0xE0000, 32);
  EXPECT_EQ(std::string(bl.begin(), bl.begin() + 19), "BOOTLOADER@000E0000");
  EXPECT_EQ(flash(0x26000, 4), std::vector<uint8_t>(4, 0xFF));
}

TEST_F(SambaModelTest, ClientWritesAtTheOffsetAboveTheSoftDevice) {
  ModelPort port(*model_);
  protocol::samba::Client client(port);
  client.connect();
  std::vector<uint8_t> image(10000);
  std::mt19937 rng(7);
  for (auto& b : image) b = static_cast<uint8_t>(rng());
  image.resize(10000 + (4 - 10000 % 4) % 4, 0xFF);
  const auto sd_before = flash(0, 0x26000);
  const auto bl_before = flash(0xE0000, 0x20000);
  client.erase_from(0x16000, Millis(100));
  client.write(0x16000, image, Millis(100));
  EXPECT_EQ(flash(0x26000, image.size()), image);
  EXPECT_EQ(client.checksum(0x16000, static_cast<uint32_t>(image.size()), Millis(100)),
            protocol::samba::crc16_xmodem(image));
  EXPECT_EQ(client.read(0x16000, 200), std::vector<uint8_t>(image.begin(), image.begin() + 200));
  EXPECT_EQ(flash(0, 0x26000), sd_before);
  EXPECT_EQ(flash(0xE0000, 0x20000), bl_before);
  EXPECT_EQ(model_->stats()["refused"], 0);
}

TEST_F(SambaModelTest, EraseStopsBelowTheBootloader) {
  const auto bl_before = flash(0xE0000, 0x20000);
  EXPECT_EQ(say("X00016000#"), "X\n\r");
  EXPECT_EQ(flash(0xE0000, 0x20000), bl_before);
  EXPECT_EQ(bank_->find("flash")->counters().erases, (0xE0000u - 0x26000u) / 4096u);
}

TEST_F(SambaModelTest, WritesIntoProtectedRegionsAreRefused) {
  const auto before = flash(0, 0x100000);
  say("S00000034,00000010#");
  say(std::string(16, '\0'));
  EXPECT_EQ(say("Y00000034,0#"), "Y\n\r");
  EXPECT_EQ(say("Y00000000,00000010#"), "E\n\r");   // flash 0x10000: SoftDevice
  EXPECT_EQ(say("Y00015FF8,00000010#"), "E\n\r");   // straddles into the application start
  EXPECT_EQ(say("Y000D0000,00000010#"), "E\n\r");   // flash 0xE0000: bootloader
  EXPECT_EQ(say("Y000F0000,00000010#"), "E\n\r");   // past the flash
  EXPECT_EQ(say("X00000000#"), "E\n\r");            // erase from inside the SoftDevice
  EXPECT_EQ(say("X000D0000#"), "E\n\r");            // erase inside the bootloader
  EXPECT_EQ(say("X00016100#"), "E\n\r");            // not on a page
  EXPECT_EQ(say("Y00016002,00000010#"), "E\n\r");   // not word-aligned
  EXPECT_EQ(flash(0, 0x100000), before);
  EXPECT_EQ(model_->stats()["refused"], 8);
  EXPECT_EQ(bank_->find("flash")->counters().bytes_programmed, 0u);
}

TEST_F(SambaModelTest, ProgramsWithoutErasingLikeRealFlash) {
  say("X00016000#");
  say("S00000034,00000004#");
  say(std::string("\x0F\x0F\x0F\x0F", 4));
  say("Y00000034,0#");
  say("Y00016000,00000004#");
  say("S00000034,00000004#");
  say(std::string("\xF0\xFF\xFF\xFF", 4));
  say("Y00016000,00000004#");
  EXPECT_EQ(flash(0x26000, 4), (std::vector<uint8_t>{0x00, 0x0F, 0x0F, 0x0F}));
  EXPECT_GT(bank_->find("flash")->counters().bits_not_erased, 0u);
}

TEST_F(SambaModelTest, DataMaySplitAcrossReads) {
  say("X00016000#");
  say("S20004034,00000008#AB");
  say("CDEFGH");
  EXPECT_EQ(say("Y20004034,0#"), "Y\n\r");
  EXPECT_EQ(say("Y00016000,00000008#"), "Y\n\r");
  auto got = flash(0x26000, 8);
  EXPECT_EQ(std::string(got.begin(), got.end()), "ABCDEFGH");
}

TEST_F(SambaModelTest, ResetLeavesTheBootloader) {
  EXPECT_FALSE(model_->take_mode_change());
  say("K#");
  EXPECT_EQ(model_->take_mode_change(), std::optional<std::string>("app"));
  EXPECT_FALSE(model_->take_mode_change());
  EXPECT_EQ(say("N#"), "");  // gone
}

TEST_F(SambaModelTest, AircrWriteResetsToo) {
  say("WE000ED0C,05FA0004#");
  EXPECT_TRUE(model_->reset_requested());
}

TEST_F(SambaModelTest, UnknownAndStrayBytesAreIgnored) {
  EXPECT_EQ(say("Q#"), "");
  EXPECT_EQ(say("#"), "");
  EXPECT_EQ(say("\xff\xff"), "");
  EXPECT_EQ(say("N#"), "\n\r");
}

}  // namespace
}  // namespace omv::sim
