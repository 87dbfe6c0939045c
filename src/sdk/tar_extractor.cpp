#include "sdk/tar_extractor.h"

#include <archive.h>
#include <archive_entry.h>
#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>
#include <vector>

#include "core/error.h"
#include "sdk/entry_path.h"

namespace omv::sdk {
namespace fs = std::filesystem;

namespace {

struct ReadState {
  ByteQueue* input;
  std::vector<char> current;
};

la_ssize_t read_block(archive* a, void* opaque, const void** buffer) {
  auto* state = static_cast<ReadState*>(opaque);
  auto block = state->input->pop();
  if (!block) {
    if (state->input->input_complete()) return 0;
    archive_set_error(a, ECANCELED, "the download stopped before the end of the tarball");
    return ARCHIVE_FATAL;
  }
  state->current = std::move(*block);
  *buffer = state->current.data();
  return static_cast<la_ssize_t>(state->current.size());
}

struct ArchiveFree {
  void operator()(archive* a) const { archive_read_free(a); }
};
struct DiskFree {
  void operator()(archive* a) const { archive_write_free(a); }
};

[[noreturn]] void write_failure(archive* disk, const fs::path& dest, const std::string& what) {
  int err = archive_errno(disk);
  if (err == ENOSPC || err == EDQUOT)
    fail(ErrorKind::io, fmt::format("disk full while extracting the SDK into {}", dest.parent_path().string()),
         "free some space there (the SDK needs a few GiB) and run the same command again; the download resumes");
  const char* text = archive_error_string(disk);
  fail(ErrorKind::io, fmt::format("cannot write {}: {}", what, text ? text : std::strerror(err)));
}

[[noreturn]] void read_failure(archive* a, const std::string& source) {
  if (archive_errno(a) == ECANCELED)
    fail(ErrorKind::interrupted, fmt::format("{}: extraction stopped: the input was cut off", source));
  const char* text = archive_error_string(a);
  fail(ErrorKind::bad_file, fmt::format("{}: not a valid .tar.xz SDK bundle: {}", source, text ? text : "read error"));
}

[[noreturn]] void refuse(const std::string& source, const std::string& entry, const std::string& why) {
  fail(ErrorKind::refused, fmt::format("{}: entry '{}' {}: refused, nothing was installed", source, entry, why),
       "the tarball is damaged or not an OpenMV SDK; get it again from download.openmv.io");
}

}  // namespace

ExtractStats extract_tar_xz(ByteQueue& input, const fs::path& dest, const std::string& source) {
  struct AbandonOnExit {
    ByteQueue& q;
    ~AbandonOnExit() { q.abandon(); }
  } abandon_guard{input};

  ExtractStats stats;
  ReadState state{&input, {}};
  std::unique_ptr<archive, ArchiveFree> in(archive_read_new());
  std::unique_ptr<archive, DiskFree> disk(archive_write_disk_new());
  if (!in || !disk) throw std::bad_alloc();
  archive_read_support_filter_xz(in.get());
  archive_read_support_format_tar(in.get());
  archive_read_support_format_gnutar(in.get());
  // Our own checks come first; libarchive's refuse writes through on-disk symlinks and `..` as well.
  archive_write_disk_set_options(disk.get(), ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_SECURE_SYMLINKS |
                                                 ARCHIVE_EXTRACT_SECURE_NODOTDOT);
  if (archive_read_open(in.get(), &state, nullptr, read_block, nullptr) != ARCHIVE_OK) read_failure(in.get(), source);

  archive_entry* entry = nullptr;
  int r = ARCHIVE_OK;
  while ((r = archive_read_next_header(in.get(), &entry)) == ARCHIVE_OK) {
    const std::string name = archive_entry_pathname(entry) ? archive_entry_pathname(entry) : "";
    auto checked = check_entry_path(name, stats.top);
    if (checked.verdict != PathVerdict::inside && checked.verdict != PathVerdict::top_folder)
      refuse(source, name, std::string("is ") + describe(checked.verdict));
    if (stats.top.empty()) stats.top = checked.top;
    if (checked.verdict == PathVerdict::top_folder) {
      archive_read_data_skip(in.get());
      continue;
    }
    const auto type = archive_entry_filetype(entry);
    const char* hardlink = archive_entry_hardlink(entry);
    if (hardlink) {
      auto target = check_entry_path(hardlink, stats.top);
      if (target.verdict != PathVerdict::inside)
        refuse(source, name, fmt::format("is a hard link to '{}', outside the SDK folder", hardlink));
      archive_entry_set_hardlink(entry, (dest / target.inside).c_str());
      ++stats.links;
    } else if (type == AE_IFLNK) {
      const char* target = archive_entry_symlink(entry);
      if (!target || !link_stays_inside(checked.inside, target))
        refuse(source, name, fmt::format("is a link to '{}', outside the SDK folder", target ? target : ""));
      ++stats.links;
    } else if (type == AE_IFDIR) {
      ++stats.dirs;
    } else if (type == AE_IFREG) {
      ++stats.files;
    } else {
      refuse(source, name, "is a device, FIFO or socket");
    }
    archive_entry_set_perm(entry, archive_entry_perm(entry) & 0777);  // never set-uid/gid or sticky
    archive_entry_set_pathname(entry, (dest / checked.inside).c_str());
    if (archive_write_header(disk.get(), entry) != ARCHIVE_OK) write_failure(disk.get(), dest, checked.inside);
    if (archive_entry_size(entry) > 0 && !hardlink) {
      const void* block = nullptr;
      size_t size = 0;
      la_int64_t offset = 0;
      int d = ARCHIVE_OK;
      while ((d = archive_read_data_block(in.get(), &block, &size, &offset)) == ARCHIVE_OK) {
        if (archive_write_data_block(disk.get(), block, size, offset) < ARCHIVE_OK)
          write_failure(disk.get(), dest, checked.inside);
        stats.bytes += size;
      }
      if (d != ARCHIVE_EOF) read_failure(in.get(), source);
    }
    if (archive_write_finish_entry(disk.get()) < ARCHIVE_OK) write_failure(disk.get(), dest, checked.inside);
  }
  if (r != ARCHIVE_EOF) read_failure(in.get(), source);
  if (archive_write_close(disk.get()) != ARCHIVE_OK) write_failure(disk.get(), dest, "folder times");
  if (stats.top.empty()) fail(ErrorKind::bad_file, fmt::format("{}: the tarball is empty", source));
  return stats;
}

void check_links_stay_inside(const fs::path& root, const std::string& source) {
  const fs::path base = fs::canonical(root);
  const std::string prefix = base.string() + "/";
  std::error_code ec;
  for (fs::recursive_directory_iterator it(base, fs::directory_options::none, ec), end; !ec && it != end;
       it.increment(ec)) {
    if (!it->is_symlink(ec)) continue;
    fs::path resolved = fs::weakly_canonical(it->path(), ec);
    if (ec) {
      ec.clear();  // a loop of links: cannot resolve, so it cannot be trusted either
      refuse(source, fs::relative(it->path(), base).string(), "is a link that does not resolve");
    }
    const std::string r = resolved.string();
    if (r != base.string() && r.rfind(prefix, 0) != 0)
      refuse(source, fs::relative(it->path(), base).string(),
             fmt::format("resolves to '{}', outside the SDK folder", fs::read_symlink(it->path()).string()));
  }
}

}  // namespace omv::sdk
