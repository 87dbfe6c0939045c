#pragma once
// The RT1062 boot ROM in serial-download mode (1FC9:0135), device side of SDP over HID. It
// takes WRITE_FILE into on-chip RAM and, on JUMP_ADDRESS, checks for an image vector table
// (IVT) there and starts the image: a flashloader whose entry point lies inside what was loaded
// comes up as the MCU flashloader (mode "flashloader"); an image whose entry point is elsewhere
// runs off into nothing and the camera never answers again until it is power-cycled.
#include <nlohmann/json.hpp>

#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "protocol/nxp/sdp_frame.h"
#include "sim/model.h"
#include "sim/model_registry.h"
#include "sim/models/nxp_ram.h"

namespace omv::sim {

class NxpRomModel final : public HidDeviceModel {
 public:
  explicit NxpRomModel(ModelContext& ctx);

  std::optional<transport::HidDeviceInfo> identity() const override;
  void write(std::span<const uint8_t> report) override;
  std::optional<std::vector<uint8_t>> read(transport::Millis timeout) override;
  nlohmann::json stats() const override;
  std::optional<std::string> take_mode_change() override;

  // Parses an IVT at `address` in RAM; the entry point if it is one.
  std::optional<uint32_t> ivt_entry(uint32_t address);

 private:
  void command(const protocol::nxp::sdp::Command& c);
  void file_data(std::span<const uint8_t> payload);
  void jump(uint32_t address);
  void answer(uint32_t status_word);

  ModelContext& ctx_;
  NxpRam ram_;
  std::deque<std::vector<uint8_t>> out_;
  // WRITE_FILE in progress
  bool receiving_ = false;
  uint32_t file_address_ = 0, file_left_ = 0, file_at_ = 0;
  bool file_ok_ = true;
  // Loaded images: start -> length, for the entry-point check
  std::map<uint32_t, uint32_t> loaded_;
  uint32_t last_error_ = protocol::nxp::sdp::kHabSuccess;
  enum class After { stay, jump_to_flashloader, hang } after_ = After::stay;
  bool hung_ = false;
  bool mode_change_taken_ = false;
  std::map<std::string, uint64_t> counters_;
  uint64_t bytes_received_ = 0;
};

}  // namespace omv::sim
