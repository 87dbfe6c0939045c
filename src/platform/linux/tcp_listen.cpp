#include <unistd.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "platform/linux/proc_net_tcp.h"
#include "platform/tcp_listen.h"

namespace omv::platform::linux_impl {
namespace fs = std::filesystem;
namespace {

std::string read_all(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string_view> fields(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

template <typename T>
bool parse_int(std::string_view text, T& out, int base) {
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out, base);
  return ec == std::errc() && ptr == text.data() + text.size();
}

// The inode of a "socket:[12345]" fd link.
std::optional<uint64_t> socket_inode(const fs::path& fd_link) {
  std::error_code ec;
  auto target = fs::read_symlink(fd_link, ec).string();
  if (ec || target.rfind("socket:[", 0) != 0 || target.back() != ']') return std::nullopt;
  uint64_t inode = 0;
  if (!parse_int(std::string_view(target).substr(8, target.size() - 9), inode, 10)) return std::nullopt;
  return inode;
}

}  // namespace

std::vector<Listener> parse_proc_net_tcp(std::string_view text) {
  std::vector<Listener> out;
  size_t pos = 0;
  bool header = true;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (header) {  // "  sl  local_address rem_address   st ..."
      header = false;
      continue;
    }
    auto f = fields(line);
    // sl local rem st tx:rx tr:when retrnsmt uid timeout inode
    if (f.size() < 10 || f[3] != "0A") continue;
    auto colon = f[1].rfind(':');
    if (colon == std::string_view::npos) continue;
    unsigned port = 0;
    uint64_t inode = 0;
    if (!parse_int(f[1].substr(colon + 1), port, 16) || port > 0xFFFF) continue;
    if (!parse_int(f[9], inode, 10)) continue;
    out.push_back({static_cast<uint16_t>(port), inode});
  }
  return out;
}

std::vector<Listener> listening_sockets() {
  auto out = parse_proc_net_tcp(read_all("/proc/net/tcp"));
  auto v6 = parse_proc_net_tcp(read_all("/proc/net/tcp6"));
  out.insert(out.end(), v6.begin(), v6.end());
  return out;
}

std::vector<uint64_t> socket_inodes_of_group(pid_t pgid) {
  std::vector<uint64_t> out;
  std::error_code ec;
  for (const auto& proc : fs::directory_iterator("/proc", ec)) {
    pid_t pid = 0;
    std::string name = proc.path().filename().string();
    if (!parse_int(std::string_view(name), pid, 10)) continue;
    if (pid != pgid && getpgid(pid) != pgid) continue;
    std::error_code ec2;
    for (const auto& fd : fs::directory_iterator(proc.path() / "fd", ec2))
      if (auto inode = socket_inode(fd.path())) out.push_back(*inode);
  }
  return out;
}

std::optional<PortOwner> tcp_port_owner(uint16_t port) {
  std::set<uint64_t> inodes;
  for (const auto& l : listening_sockets())
    if (l.port == port) inodes.insert(l.inode);
  if (inodes.empty()) return std::nullopt;
  std::error_code ec;
  for (const auto& proc : fs::directory_iterator("/proc", ec)) {
    pid_t pid = 0;
    std::string name = proc.path().filename().string();
    if (!parse_int(std::string_view(name), pid, 10)) continue;
    std::error_code ec2;
    for (const auto& fd : fs::directory_iterator(proc.path() / "fd", ec2)) {
      auto inode = socket_inode(fd.path());
      if (inode && inodes.count(*inode)) {
        std::string comm = read_all(proc.path() / "comm");
        while (!comm.empty() && (comm.back() == '\n' || comm.back() == ' ')) comm.pop_back();
        return PortOwner{pid, comm};
      }
    }
  }
  return PortOwner{};
}

bool tcp_port_listening(uint16_t port) {
  for (const auto& l : listening_sockets())
    if (l.port == port) return true;
  return false;
}

bool tcp_port_listening_in_group(uint16_t port, pid_t pgid) {
  std::set<uint64_t> ours;
  for (const auto& l : listening_sockets())
    if (l.port == port) {
      if (ours.empty())
        for (auto inode : socket_inodes_of_group(pgid)) ours.insert(inode);
      if (ours.count(l.inode)) return true;
    }
  return false;
}

}  // namespace omv::platform::linux_impl
