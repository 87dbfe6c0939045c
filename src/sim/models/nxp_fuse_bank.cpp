#include "sim/models/nxp_fuse_bank.h"

#include <fmt/format.h>

#include <fstream>

#include "core/numbers.h"

namespace omv::sim {
namespace {

std::string key(uint32_t index) { return fmt::format("0x{:02X}", index); }

}  // namespace

NxpFuseBank::NxpFuseBank(std::filesystem::path file) : file_(std::move(file)) {
  std::ifstream in(file_);
  if (!in) return;
  auto j = nlohmann::json::parse(in, nullptr, false);
  if (!j.is_object()) return;
  auto load = [&](const char* name, auto& into) {
    if (!j.contains(name) || !j[name].is_object()) return;
    for (auto& [k, v] : j[name].items())
      if (auto index = parse_u64(k); index && *index < kWords && v.is_number_unsigned())
        into[static_cast<uint32_t>(*index)] = v.template get<uint32_t>();
  };
  load("words", words_);
  load("burns", burns_);
  if (j.contains("locked") && j["locked"].is_array())
    for (auto& v : j["locked"])
      if (v.is_string())
        if (auto index = parse_u64(v.get<std::string>()); index && *index < kWords) locked_[static_cast<uint32_t>(*index)] = true;
}

NxpFuseBank::Result NxpFuseBank::program(uint32_t index, uint32_t value, bool lock) {
  if (index >= kWords) return Result::out_of_range;
  if (locked_.count(index)) return Result::locked;
  words_[index] |= value;
  ++burns_[index];
  if (lock) locked_[index] = true;
  save();
  return Result::ok;
}

std::optional<uint32_t> NxpFuseBank::read(uint32_t index) const {
  if (index >= kWords) return std::nullopt;
  auto it = words_.find(index);
  return it == words_.end() ? 0u : it->second;
}

uint32_t NxpFuseBank::burns(uint32_t index) const {
  auto it = burns_.find(index);
  return it == burns_.end() ? 0u : it->second;
}

nlohmann::json NxpFuseBank::to_json() const {
  nlohmann::json words = nlohmann::json::object(), burns = nlohmann::json::object(), locked = nlohmann::json::array();
  for (auto [i, v] : words_) words[key(i)] = v;
  for (auto [i, n] : burns_) burns[key(i)] = n;
  for (auto [i, l] : locked_)
    if (l) locked.push_back(key(i));
  return {{"words", words}, {"burns", burns}, {"locked", locked}};
}

void NxpFuseBank::save() const {
  auto tmp = file_;
  tmp += ".tmp";
  {
    std::ofstream out(tmp);
    out << to_json().dump(2) << "\n";
  }
  std::error_code ec;
  std::filesystem::rename(tmp, file_, ec);
}

}  // namespace omv::sim
