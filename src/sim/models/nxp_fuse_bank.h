#pragma once
// The RT1062's one-time-programmable fuse words (OCOTP) as the virtual camera keeps them:
// programming can only set bits, a locked word refuses further programming, and every burn is
// counted. Kept in BUS/<serial>/fuses.json so it survives mode changes and restarts, as fuses do.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>

namespace omv::sim {

class NxpFuseBank {
 public:
  static constexpr uint32_t kWords = 0x90;  // OCOTP word indices 0x00..0x8F

  explicit NxpFuseBank(std::filesystem::path file);

  enum class Result { ok, out_of_range, locked };
  Result program(uint32_t index, uint32_t value, bool lock);
  std::optional<uint32_t> read(uint32_t index) const;
  uint32_t burns(uint32_t index) const;
  nlohmann::json to_json() const;

 private:
  void save() const;

  std::filesystem::path file_;
  std::map<uint32_t, uint32_t> words_;
  std::map<uint32_t, uint32_t> burns_;
  std::map<uint32_t, bool> locked_;
};

}  // namespace omv::sim
