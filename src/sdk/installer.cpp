#include "sdk/installer.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/error.h"
#include "core/numbers.h"
#include "platform/dir_swap.h"
#include "sdk/byte_queue.h"
#include "sdk/http.h"
#include "sdk/sha256.h"

namespace omv::sdk {
namespace fs = std::filesystem;

namespace {

constexpr size_t block_size = 1 << 20;       // bytes handed to the extractor at once
constexpr size_t queue_capacity = 32 << 20;  // bytes in flight between download and extraction

std::string read_small(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

[[noreturn]] void io_failure(const std::string& what, const fs::path& path, int err) {
  if (err == ENOSPC || err == EDQUOT)
    fail(ErrorKind::io, fmt::format("disk full while {} {}", what, path.string()),
         "free some space there and run the same command again; the download resumes");
  fail(ErrorKind::io, fmt::format("{} {}: {}", what, path.string(), std::strerror(err)));
}

// Held for the whole install: two installs into the same folder would trample each other.
class InstallLock {
 public:
  explicit InstallLock(const fs::path& path) {
    fd_ = ::open(path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644);
    if (fd_ < 0) io_failure("cannot create", path, errno);
    if (flock(fd_, LOCK_EX | LOCK_NB) != 0)
      fail(ErrorKind::refused, fmt::format("another 'omv sdk install' is installing into {}", path.parent_path().string()),
           "wait for it to finish");
  }
  ~InstallLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  InstallLock(const InstallLock&) = delete;
  InstallLock& operator=(const InstallLock&) = delete;

 private:
  int fd_ = -1;
};

// Removes the work folder unless the install reached the rename.
class WorkFolder {
 public:
  explicit WorkFolder(const fs::path& parent, const std::string& prefix) {
    std::string pattern = (parent / (prefix + "XXXXXX")).string();
    if (!mkdtemp(pattern.data())) io_failure("cannot create a work folder in", parent, errno);
    path_ = fs::canonical(pattern);
  }
  ~WorkFolder() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  WorkFolder(const WorkFolder&) = delete;
  WorkFolder& operator=(const WorkFolder&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

void remove_stale_work_folders(const fs::path& parent, const std::string& prefix, Reporter& reporter) {
  std::error_code ec;
  std::vector<fs::path> stale;
  for (fs::directory_iterator it(parent, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().filename().string().rfind(prefix, 0) == 0) stale.push_back(it->path());
  for (const auto& p : stale) {
    reporter.info(fmt::format("removing {} left by an interrupted install", p.string()));
    fs::remove_all(p, ec);
  }
}

// The tarball's bytes go to the hash, to the extractor and (for downloads) to the partial file.
class Feed {
 public:
  Feed(ByteQueue& queue, Reporter& reporter) : queue_(queue), reporter_(reporter) {}

  void bytes(const char* data, size_t size) {
    hash_.update(data, size);
    while (size > 0) {
      size_t n = std::min(size, block_size - block_.size());
      block_.insert(block_.end(), data, data + n);
      data += n;
      size -= n;
      if (block_.size() == block_size) flush();
    }
  }
  void flush() {
    if (block_.empty()) return;
    done_ += block_.size();
    std::vector<char> out;
    out.swap(block_);
    block_.reserve(block_size);
    if (!queue_.push(std::move(out))) throw Stop{};
    reporter_.progress(done_);
  }
  void restart() {  // the server sent the whole file after all: nothing was fed yet
    hash_.reset();
    block_.clear();
    done_ = 0;
  }
  uint64_t done() const { return done_ + block_.size(); }
  std::string digest() { return hash_.hex_digest(); }

  struct Stop {};  // the extractor gave up; its error is the one to report

 private:
  ByteQueue& queue_;
  Reporter& reporter_;
  Sha256 hash_;
  std::vector<char> block_;
  uint64_t done_ = 0;
};

void feed_file(const fs::path& path, Feed& feed, uint64_t limit, const std::atomic<bool>* cancel) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) io_failure("cannot read", path, errno);
  std::vector<char> buf(block_size);
  uint64_t left = limit;
  while (left > 0) {
    if (cancel && cancel->load()) {
      std::fclose(f);
      fail(ErrorKind::interrupted, "install interrupted");
    }
    size_t n = std::fread(buf.data(), 1, static_cast<size_t>(std::min<uint64_t>(buf.size(), left)), f);
    if (n == 0) break;
    feed.bytes(buf.data(), n);
    left -= n;
  }
  bool error = std::ferror(f) != 0;
  std::fclose(f);
  if (error) io_failure("cannot read", path, EIO);
}

struct PartialMeta {
  std::string url, sha256, etag, last_modified;
};

std::optional<PartialMeta> read_meta(const fs::path& path) {
  try {
    auto j = nlohmann::json::parse(read_small(path));
    return PartialMeta{j.value("url", ""), j.value("sha256", ""), j.value("etag", ""), j.value("last_modified", "")};
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

void write_meta(const fs::path& path, const PartialMeta& m) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << nlohmann::json{{"url", m.url}, {"sha256", m.sha256}, {"etag", m.etag}, {"last_modified", m.last_modified}}.dump()
      << "\n";
}

void remove_partial(const fs::path& partial) {
  std::error_code ec;
  fs::remove(partial, ec);
  fs::remove(partial.string() + ".json", ec);
}

// Streams the download into the feed, appending it to the partial file as it comes.
class DownloadSink : public HttpSink {
 public:
  DownloadSink(Feed& feed, fs::path partial, fs::path meta_path, PartialMeta meta, uint64_t have, Reporter& reporter,
               std::string label, const std::atomic<bool>* cancel)
      : feed_(feed), partial_(std::move(partial)), meta_path_(std::move(meta_path)), meta_(std::move(meta)),
        have_(have), reporter_(reporter), label_(std::move(label)), cancel_(cancel) {}
  ~DownloadSink() override {
    if (out_) std::fclose(out_);
  }

  void start(const HttpResponse& r) override {
    uint64_t body = r.content_length > 0 ? static_cast<uint64_t>(r.content_length) : 0;
    if (r.status == 206 && have_ > 0) {
      if (r.range_start != static_cast<int64_t>(have_)) {
        remove_partial(partial_);
        fail(ErrorKind::network, fmt::format("the server resumed at byte {} instead of {}", r.range_start, have_),
             "run the same command again (the partial download was discarded)");
      }
      resumed_ = have_;
      reporter_.begin("install", have_ + body, label_);
      reporter_.info(fmt::format("resuming the download at {} ({} already here)", human_size(have_), human_size(have_)));
      feed_file(partial_, feed_, have_, cancel_);
      out_ = std::fopen(partial_.c_str(), "ab");
    } else {
      feed_.restart();
      reporter_.begin("install", body, label_);
      out_ = std::fopen(partial_.c_str(), "wb");
    }
    if (!out_) io_failure("cannot write", partial_, errno);
    meta_.etag = r.etag;
    meta_.last_modified = r.last_modified;
    write_meta(meta_path_, meta_);
  }

  void data(const char* bytes, size_t size) override {
    if (std::fwrite(bytes, 1, size, out_) != size) io_failure("cannot write", partial_, errno);
    feed_.bytes(bytes, size);
  }

  void close() {
    if (out_ && std::fclose(out_) != 0) {
      out_ = nullptr;
      io_failure("cannot write", partial_, errno);
    }
    out_ = nullptr;
  }
  uint64_t resumed() const { return resumed_; }

 private:
  Feed& feed_;
  fs::path partial_, meta_path_;
  PartialMeta meta_;
  uint64_t have_;
  Reporter& reporter_;
  std::string label_;
  const std::atomic<bool>* cancel_;
  FILE* out_ = nullptr;
  uint64_t resumed_ = 0;
};

std::string expected_hash(const InstallOptions& o, const std::string& url, const HttpOptions& http) {
  if (o.sha256) {
    auto h = normalise_sha256(*o.sha256);
    if (!h) fail(ErrorKind::usage, fmt::format("--sha256 '{}' is not 64 hex digits", *o.sha256));
    return *h;
  }
  if (o.from_file) {
    fs::path side = o.from_file->string() + ".sha256";
    std::error_code ec;
    if (!fs::exists(side, ec))
      fail(ErrorKind::usage, fmt::format("no checksum for {}: {} does not exist", o.from_file->string(), side.string()),
           "pass --sha256 HEX (from download.openmv.io/sdk/<tarball>.sha256) or put the .sha256 file beside it");
    auto h = parse_sha256_file(read_small(side));
    if (!h) fail(ErrorKind::bad_file, fmt::format("{}: not a sha256sum file (expected '<64 hex digits>  <name>')", side.string()));
    return *h;
  }
  auto text = http_get_text(url + ".sha256", http);
  auto h = parse_sha256_file(text);
  if (!h)
    fail(ErrorKind::network, fmt::format("{}.sha256: not a sha256sum file (expected '<64 hex digits>  <name>')", url),
         "check --base-url");
  return *h;
}

void move_into_place(const fs::path& work, const fs::path& target) {
  const char* what = "create";
  if (int err = platform::os::replace_folder(work, target, what)) io_failure(fmt::format("cannot {}", what), target, err);
}

}  // namespace

fs::path partial_download_path(const fs::path& sdk_dir, const std::string& tarball) {
  return sdk_dir.parent_path() / ("." + tarball + ".part");
}

std::string work_folder_prefix(const fs::path& sdk_dir) { return "." + sdk_dir.filename().string() + ".tmp-"; }

InstallResult install_sdk(const InstallOptions& o, Reporter& reporter) {
  InstallResult result;
  const fs::path target = fs::absolute(o.sdk_dir).lexically_normal();
  result.dir = target;
  result.version = o.version;
  if (target.filename().empty()) fail(ErrorKind::usage, fmt::format("{}: not a usable SDK folder", o.sdk_dir.string()));
  if (read_stamp(target) == o.version) {
    result.already_installed = true;
    return result;
  }
  const fs::path parent = target.parent_path();
  std::error_code ec;
  fs::create_directories(parent, ec);
  if (ec) io_failure("cannot create", parent, ec.value());
  InstallLock lock(parent / ("." + target.filename().string() + ".lock"));
  platform::os::recover_swap(target);  // a crash in an earlier swap
  if (read_stamp(target) == o.version) {  // another install finished while we waited
    result.already_installed = true;
    return result;
  }
  const std::string prefix = work_folder_prefix(target);
  remove_stale_work_folders(parent, prefix, reporter);

  const std::string tarball = tarball_name(o.version, o.host);
  const std::string url = tarball_url(o.base_url, o.version, o.host);
  const HttpOptions http{o.insecure, o.cancel};
  if (o.insecure && !o.from_file)
    reporter.warn("TLS certificate verification is OFF (--insecure): anyone on the network path can replace the SDK, "
                  "and the checksum comes from the same server, so it cannot catch that");
  result.source = o.from_file ? o.from_file->string() : url;
  result.sha256 = expected_hash(o, url, http);

  WorkFolder work(parent, prefix);
  ByteQueue queue(queue_capacity);
  Feed feed(queue, reporter);
  ExtractStats stats;
  std::exception_ptr extract_error;
  std::thread extractor([&] {
    try {
      stats = extract_tar_xz(queue, work.path(), result.source);
    } catch (...) {
      extract_error = std::current_exception();
    }
  });

  const fs::path partial = partial_download_path(target, tarball);
  const fs::path meta_path = partial.string() + ".json";
  std::exception_ptr feed_error;
  try {
    if (o.from_file) {
      std::error_code size_ec;
      auto size = fs::file_size(*o.from_file, size_ec);
      if (size_ec) fail(ErrorKind::io, fmt::format("{}: {}", o.from_file->string(), size_ec.message()));
      reporter.begin("install", size, fmt::format("{} -> {}", o.from_file->filename().string(), target.string()));
      feed_file(*o.from_file, feed, size, o.cancel);
    } else {
      uint64_t have = 0;
      auto meta = read_meta(meta_path);
      // The expected SHA-256 names the bytes, whichever server (or port) sent them; the hash
      // at the end checks the joined file, and If-Range makes a changed file come whole.
      if (meta && meta->sha256 == result.sha256 && fs::exists(partial, ec))
        have = fs::file_size(partial, ec);
      else
        remove_partial(partial);
      PartialMeta fresh{url, result.sha256, meta ? meta->etag : "", meta ? meta->last_modified : ""};
      DownloadSink sink(feed, partial, meta_path, fresh, have, reporter, fmt::format("{} -> {}", tarball, target.string()),
                        o.cancel);
      StreamRequest request{url, have, have > 0 ? (!fresh.etag.empty() ? fresh.etag : fresh.last_modified) : ""};
      auto response = http_stream(request, http, sink);
      sink.close();
      if (response.status == 416) {
        // The partial file already holds the whole tarball (the last run stopped after the download).
        reporter.begin("install", have, fmt::format("{} (already downloaded) -> {}", tarball, target.string()));
        result.resumed_from = have;
        feed_file(partial, feed, have, o.cancel);
      } else {
        result.resumed_from = sink.resumed();
      }
    }
    feed.flush();
    queue.finish(true);
  } catch (const Feed::Stop&) {
    queue.finish(false);
  } catch (...) {
    feed_error = std::current_exception();
    queue.finish(false);
    queue.abandon();
  }
  extractor.join();
  result.tarball_bytes = feed.done();

  if (feed_error) std::rethrow_exception(feed_error);
  if (!extract_error || queue.input_complete()) {
    // The whole tarball went through the hash: a wrong hash explains any extraction error too.
    std::string got = feed.digest();
    if (got != result.sha256) {
      if (!o.from_file) remove_partial(partial);
      fail(ErrorKind::checksum,
           fmt::format("{}: SHA-256 mismatch (expected {}, got {}); nothing was installed", result.source, result.sha256, got),
           o.from_file ? "the file is damaged or not the one the checksum belongs to; download it again"
                       : "the download was damaged or replaced; run the same command again to download it afresh");
    }
  }
  if (extract_error) {
    try {
      std::rethrow_exception(extract_error);
    } catch (const Error& e) {
      if ((e.kind() == ErrorKind::refused || e.kind() == ErrorKind::bad_file) && !o.from_file) remove_partial(partial);
      throw;
    }
  }

  auto stamp = read_stamp(work.path());
  if (!stamp)
    fail(ErrorKind::bad_file, fmt::format("{}: no sdk.version inside; not an OpenMV SDK bundle", result.source));
  if (*stamp != o.version)
    fail(ErrorKind::bad_file, fmt::format("{}: its sdk.version says {}, not {}", result.source, *stamp, o.version),
         "check --version, or the file given with --from");
  check_links_stay_inside(work.path(), result.source);
  // mkdtemp made the work folder private; the SDK folder gets the usual permissions.
  mode_t mask = umask(0);
  umask(mask);
  fs::permissions(work.path(), static_cast<fs::perms>(0777 & ~mask), ec);
  move_into_place(work.path(), target);
  if (!o.from_file) remove_partial(partial);
  reporter.end(fmt::format("OpenMV SDK {} installed in {}", o.version, target.string()));
  result.extracted = stats;
  return result;
}

}  // namespace omv::sdk
