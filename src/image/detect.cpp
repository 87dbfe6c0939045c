#include "image/detect.h"

#include "core/text.h"
#include "image/ae3_toc.h"
#include "image/dfu_suffix.h"
#include "image/dfuse.h"
#include "image/elf.h"
#include "image/openmv_bin.h"
#include "image/romfs.h"
#include "image/uf2.h"

namespace omv::image {

const char* format_name(Format format) {
  switch (format) {
    case Format::elf: return "elf";
    case Format::dfuse: return "dfuse";
    case Format::uf2: return "uf2";
    case Format::romfs: return "romfs";
    case Format::openmv_bin: return "openmv_bin";
    case Format::ae3_toc: return "ae3_toc";
    case Format::dfu_suffix: return "dfu_suffix";
    case Format::bin: return "bin";
  }
  return "bin";
}

Format detect_format(std::span<const uint8_t> bytes, const std::filesystem::path& name) {
  const std::string ext = to_lower(name.extension().string());
  const std::string base = to_lower(name.filename().string());
  if (looks_like_elf(bytes)) return Format::elf;
  if (looks_like_dfuse(bytes)) return Format::dfuse;
  if (looks_like_uf2(bytes) || (ext == ".uf2" && !bytes.empty())) return Format::uf2;
  if (looks_like_romfs(bytes)) return Format::romfs;
  if (looks_like_ae3_toc_pad(bytes) || ext == ".toc") return Format::ae3_toc;
  if (read_boot_header(bytes) || (base.rfind("openmv", 0) == 0 && ext == ".bin")) return Format::openmv_bin;
  if (has_dfu_signature(bytes)) return Format::dfu_suffix;
  return Format::bin;
}

}  // namespace omv::image
