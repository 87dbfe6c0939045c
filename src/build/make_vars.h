#pragma once
// omv build's options and the make variables the firmware Makefile reads for each
// (seed §10.5, Makefile lines 105-150).
#include <optional>
#include <string>
#include <vector>

namespace omv::build {

struct BuildOptions {
  bool debug = false;           // DEBUG=1: -Og -ggdb3, no ROM text compression
  bool verbose = false;         // V=1
  bool debug_printf = false;    // DEBUG_PRINTF=1
  bool profile = false;         // PROFILE_ENABLE=1
  std::optional<unsigned> profile_hash;  // PROFILE_HASH=N (power of two)
  bool profile_irq = false;     // PROFILE_IRQ=1
  bool stack_protector = false; // STACK_PROTECTOR=1
  bool fb_alloc_stats = false;  // FB_ALLOC_STATS=1
  std::string debugger;         // DEBUGGER=NAME
  unsigned jobs = 0;            // -j N (0: the number of cores)
  std::vector<std::string> make_args;  // after --
};

// Throws Error{usage} for combinations make would silently misread.
void validate(const BuildOptions& options);

// The VAR=value arguments for make, TARGET first, then the options in the order above.
std::vector<std::string> make_variables(const std::string& target, const BuildOptions& options);

// The same options as one string for upstream's docker build (BUILD_OPTS), without TARGET.
std::string build_opts_string(const BuildOptions& options);

unsigned default_jobs();

}  // namespace omv::build
