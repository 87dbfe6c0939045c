#include "build/make_vars.h"

#include <fmt/format.h>
#include <sched.h>

#include <cctype>
#include <unistd.h>

#include "core/error.h"
#include "core/text.h"

namespace omv::build {

void validate(const BuildOptions& o) {
  if ((o.profile_hash || o.profile_irq) && !o.profile)
    fail(ErrorKind::usage, "--profile-hash and --profile-irq need --profile");
  if (o.profile_hash && (*o.profile_hash == 0 || (*o.profile_hash & (*o.profile_hash - 1)) != 0))
    fail(ErrorKind::usage, fmt::format("--profile-hash {} is not a power of two", *o.profile_hash),
         "the profiler's hash table size must be a power of two, e.g. 64 or 256 (the default)");
  for (char c : o.debugger)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_'))
      fail(ErrorKind::usage, fmt::format("--debugger '{}': expected a name such as JLINK, STLINK, QEMU or NONE", o.debugger));
}

static std::vector<std::string> option_variables(const BuildOptions& o) {
  std::vector<std::string> v;
  if (o.debug) v.push_back("DEBUG=1");
  if (o.verbose) v.push_back("V=1");
  if (o.debug_printf) v.push_back("DEBUG_PRINTF=1");
  if (o.profile) v.push_back("PROFILE_ENABLE=1");
  if (o.profile_hash) v.push_back(fmt::format("PROFILE_HASH={}", *o.profile_hash));
  if (o.profile_irq) v.push_back("PROFILE_IRQ=1");
  if (o.stack_protector) v.push_back("STACK_PROTECTOR=1");
  if (o.fb_alloc_stats) v.push_back("FB_ALLOC_STATS=1");
  if (!o.debugger.empty()) v.push_back("DEBUGGER=" + to_upper(o.debugger));
  return v;
}

std::vector<std::string> make_variables(const std::string& target, const BuildOptions& o) {
  std::vector<std::string> v{"TARGET=" + target};
  for (auto& x : option_variables(o)) v.push_back(std::move(x));
  return v;
}

std::string build_opts_string(const BuildOptions& o) {
  auto v = option_variables(o);
  for (const auto& a : o.make_args) v.push_back(a);
  return join(v, " ");
}

unsigned default_jobs() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0) {
    int n = CPU_COUNT(&set);
    if (n > 0) return static_cast<unsigned>(n);
  }
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? static_cast<unsigned>(n) : 1u;
}

}  // namespace omv::build
