#include "production/attempt.h"

#include <fmt/format.h>

namespace omv::production {
namespace {

nlohmann::json optional_number(const std::optional<uint64_t>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

std::string optional_text(const std::optional<uint64_t>& value) { return value ? std::to_string(*value) : ""; }

}  // namespace

const char* verify_name(Verify verify) {
  switch (verify) {
    case Verify::off: return "off";
    case Verify::passed: return "passed";
    case Verify::failed: return "failed";
    case Verify::not_reached: return "not reached";
  }
  return "off";
}

std::optional<Verify> parse_verify(std::string_view name) {
  for (Verify v : {Verify::off, Verify::passed, Verify::failed, Verify::not_reached})
    if (name == verify_name(v)) return v;
  return std::nullopt;
}

nlohmann::json to_json(const Attempt& a) {
  nlohmann::json images = nlohmann::json::array();
  for (const auto& image : a.images)
    images.push_back({{"partition", image.partition},
                      {"sha256", image.sha256.empty() ? nlohmann::json(nullptr) : nlohmann::json(image.sha256)},
                      {"bytes", image.bytes}});
  nlohmann::json j = {{"id", a.id},
                      {"time", a.time},
                      {"station", a.station},
                      {"board", a.board},
                      {"serial", a.serial},
                      {"port", a.port},
                      {"bootloader_version", a.bootloader_version},
                      {"images", images},
                      {"bytes_written", optional_number(a.bytes_written)},
                      {"bytes_skipped", optional_number(a.bytes_skipped)},
                      {"bytes_erased", optional_number(a.bytes_erased)},
                      {"verify", verify_name(a.verify)},
                      {"seconds", a.seconds},
                      {"result", a.ok ? "ok" : "failed"},
                      {"omv_version", a.omv_version}};
  j["error"] = a.ok ? nlohmann::json(nullptr) : nlohmann::json{{"kind", a.error_kind}, {"message", a.error_message}};
  return j;
}

std::vector<std::string> csv_header() {
  return {"id", "time", "station", "board", "serial", "port", "bootloader_version", "result", "bytes_written",
          "bytes_skipped", "bytes_erased", "verify", "seconds", "error_kind", "error_message", "images", "omv_version"};
}

std::vector<std::string> csv_fields(const Attempt& a) {
  std::string images;
  for (const auto& image : a.images)
    images += fmt::format("{}{}={}:{}", images.empty() ? "" : ";", image.partition, image.sha256, image.bytes);
  return {std::to_string(a.id), a.time, a.station, a.board, a.serial, a.port, a.bootloader_version,
          a.ok ? "ok" : "failed", optional_text(a.bytes_written), optional_text(a.bytes_skipped),
          optional_text(a.bytes_erased), verify_name(a.verify), fmt::format("{:.3f}", a.seconds), a.error_kind,
          a.error_message, images, a.omv_version};
}

}  // namespace omv::production
