#include "image/load.h"

#include <fmt/format.h>

#include "image/ae3_toc.h"
#include "image/dfu_suffix.h"
#include "image/dfuse.h"
#include "image/elf_to_bin.h"
#include "image/file_io.h"
#include "image/romfs.h"
#include "image/uf2.h"

namespace omv::image {

LoadedImage load_image(const std::filesystem::path& file, const LoadOptions& options) {
  return load_image(read_file(file), file.string(), options);
}

LoadedImage load_image(std::vector<uint8_t> bytes, const std::string& name, const LoadOptions& options) {
  LoadedImage out;
  out.format = detect_format(bytes, name);
  auto raw = [&](std::vector<uint8_t> data) {
    out.addresses_known = options.base.has_value();
    out.segments.push_back({options.base.value_or(0), std::move(data), std::nullopt});
  };
  switch (out.format) {
    case Format::elf:
      out.segments = elf_load_segments(parse_elf(std::move(bytes), name));
      out.addresses_known = true;
      break;
    case Format::dfuse: {
      ByteView view(bytes, {name, "DfuSe"});
      auto file = parse_dfuse(view);
      out.segments = coalesce(dfuse_segments(file, bytes));
      out.addresses_known = true;
      break;
    }
    case Format::uf2: {
      ByteView view(bytes, {name, "UF2"});
      out.segments = uf2_segments(view, parse_uf2(view), options.uf2_family);
      out.addresses_known = true;
      break;
    }
    case Format::dfu_suffix: {
      ByteView view(bytes, {name, "DFU suffix"});
      auto suffix = find_dfu_suffix(view);
      bytes.resize(static_cast<size_t>(suffix->payload_size));
      out.notes.push_back(fmt::format("DFU suffix removed ({} bytes)", suffix->suffix.length));
      raw(std::move(bytes));
      break;
    }
    case Format::romfs:
      parse_romfs(ByteView(bytes, {name, "ROMFS"}));  // refuse a broken image before anyone flashes it
      raw(std::move(bytes));
      break;
    case Format::ae3_toc:
      parse_ae3_toc_pad(ByteView(bytes, {name, "AE3 TOC"}));
      raw(std::move(bytes));
      break;
    case Format::openmv_bin:
    case Format::bin:
      raw(std::move(bytes));
      break;
  }
  return out;
}

}  // namespace omv::image
