#include "sim/gadget/descriptors.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace omv::sim::gadget {
namespace {

constexpr uint8_t kDeviceType = 0x01, kConfigType = 0x02, kStringType = 0x03, kInterfaceType = 0x04,
                  kEndpointType = 0x05;
constexpr size_t kMaxStringUnits = (255 - 2) / 2;

void put16(std::vector<uint8_t>& out, uint16_t v) {
  out.push_back(static_cast<uint8_t>(v & 0xFF));
  out.push_back(static_cast<uint8_t>(v >> 8));
}

// Strings get indices in first-use order; identical strings share one index.
class StringTable {
 public:
  uint8_t index_of(const std::string& s) {
    if (s.empty()) return 0;
    auto it = std::find(strings_.begin(), strings_.end(), s);
    if (it != strings_.end()) return static_cast<uint8_t>(it - strings_.begin() + 1);
    if (strings_.size() >= 255) fail(ErrorKind::failure, "gadget: more than 255 distinct USB strings");
    strings_.push_back(s);
    return static_cast<uint8_t>(strings_.size());
  }
  std::vector<std::string> take() { return std::move(strings_); }

 private:
  std::vector<std::string> strings_;
};

void check_extra(const transport::UsbInterfaceInfo& itf) {
  size_t at = 0;
  while (at < itf.extra.size()) {
    const size_t len = itf.extra[at];
    if (len < 2 || at + len > itf.extra.size())
      fail(ErrorKind::failure, fmt::format("gadget: interface {} alt {}: class-specific descriptor at byte {} has "
                                           "length {} but {} bytes remain",
                                           itf.number, itf.alt, at, len, itf.extra.size() - at));
    at += len;
  }
}

// Decodes UTF-8 into UTF-16 code units; bytes that are not valid UTF-8 become '?'.
std::vector<uint16_t> utf16(const std::string& s) {
  std::vector<uint16_t> units;
  size_t i = 0;
  while (i < s.size()) {
    const auto b0 = static_cast<uint8_t>(s[i]);
    uint32_t cp = '?';
    size_t n = 1;
    if (b0 < 0x80) {
      cp = b0;
    } else {
      const size_t need = (b0 & 0xE0) == 0xC0 ? 2 : (b0 & 0xF0) == 0xE0 ? 3 : (b0 & 0xF8) == 0xF0 ? 4 : 0;
      bool ok = need != 0 && i + need <= s.size();
      uint32_t v = need == 2 ? (b0 & 0x1Fu) : need == 3 ? (b0 & 0x0Fu) : (b0 & 0x07u);
      for (size_t k = 1; ok && k < need; ++k) {
        const auto b = static_cast<uint8_t>(s[i + k]);
        ok = (b & 0xC0) == 0x80;
        v = (v << 6) | (b & 0x3Fu);
      }
      if (ok) {
        cp = v;
        n = need;
      }
    }
    if (cp >= 0x10000) {
      cp -= 0x10000;
      units.push_back(static_cast<uint16_t>(0xD800 + (cp >> 10)));
      units.push_back(static_cast<uint16_t>(0xDC00 + (cp & 0x3FF)));
    } else {
      units.push_back(static_cast<uint16_t>(cp));
    }
    i += n;
  }
  return units;
}

}  // namespace

Descriptors build_descriptors(const transport::UsbDeviceInfo& info, uint8_t max_packet0) {
  StringTable strings;
  Descriptors d;

  const uint8_t i_manufacturer = strings.index_of(info.manufacturer);
  const uint8_t i_product = strings.index_of(info.product);
  const uint8_t i_serial = strings.index_of(info.serial);

  // Interfaces in number order, alt settings in alt order, as hosts expect them.
  std::vector<transport::UsbInterfaceInfo> alts = info.interfaces;
  std::stable_sort(alts.begin(), alts.end(), [](const auto& a, const auto& b) {
    return a.number != b.number ? a.number < b.number : a.alt < b.alt;
  });
  std::map<uint8_t, int> per_number;
  for (const auto& itf : alts) {
    if (++per_number[itf.number] > 1 && itf.alt == 0)
      fail(ErrorKind::failure, fmt::format("gadget: interface {} has two alt settings numbered 0", itf.number));
  }
  if (per_number.size() > 32) fail(ErrorKind::failure, "gadget: more than 32 interfaces in one configuration");

  std::vector<uint8_t> body;
  for (const auto& itf : alts) {
    check_extra(itf);
    if (itf.endpoints.size() > 30)
      fail(ErrorKind::failure, fmt::format("gadget: interface {} alt {} has {} endpoints", itf.number, itf.alt,
                                           itf.endpoints.size()));
    body.insert(body.end(), {9, kInterfaceType, itf.number, itf.alt, static_cast<uint8_t>(itf.endpoints.size()),
                             itf.cls, itf.subclass, itf.protocol, strings.index_of(itf.name)});
    body.insert(body.end(), itf.extra.begin(), itf.extra.end());
    for (const auto& ep : itf.endpoints) {
      body.insert(body.end(), {7, kEndpointType, ep.address, ep.attributes});
      put16(body, ep.max_packet);
      // Interrupt endpoints poll every frame; bulk and control ignore the interval.
      body.push_back((ep.attributes & 0x03) == 0x03 ? 1 : 0);
    }
  }
  const size_t total = 9 + body.size();
  if (total > 0xFFFF) fail(ErrorKind::failure, "gadget: configuration descriptor longer than 65535 bytes");

  d.config = {9, kConfigType};
  put16(d.config, static_cast<uint16_t>(total));
  d.config.insert(d.config.end(), {static_cast<uint8_t>(per_number.size()), 1, 0, 0x80, 50});
  d.config.insert(d.config.end(), body.begin(), body.end());

  d.device = {18, kDeviceType};
  put16(d.device, 0x0200);
  d.device.insert(d.device.end(), {0, 0, 0, max_packet0});
  put16(d.device, info.id.vid);
  put16(d.device, info.id.pid);
  put16(d.device, info.bcd_device);
  d.device.insert(d.device.end(), {i_manufacturer, i_product, i_serial, 1});

  d.strings = strings.take();
  return d;
}

std::optional<std::vector<uint8_t>> string_descriptor(const Descriptors& d, uint8_t index) {
  if (index == 0) return std::vector<uint8_t>{4, kStringType, 0x09, 0x04};
  if (index > d.strings.size()) return std::nullopt;
  auto units = utf16(d.strings[index - 1]);
  if (units.size() > kMaxStringUnits) {
    units.resize(kMaxStringUnits);
    if (units.back() >= 0xD800 && units.back() < 0xDC00) units.pop_back();  // no half surrogate pair
  }
  std::vector<uint8_t> out{static_cast<uint8_t>(2 + 2 * units.size()), kStringType};
  for (uint16_t u : units) put16(out, u);
  return out;
}

}  // namespace omv::sim::gadget
