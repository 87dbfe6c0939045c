#pragma once
// The seed's Docker path: upstream's docker/Makefile `build-firmware-dev` target, which mounts the
// checkout and the SDK at the same absolute paths inside the container so debug paths resolve.
#include <filesystem>
#include <string>

#include "boards/checkout.h"
#include "build/make_vars.h"
#include "core/events.h"

namespace omv::build {

struct DockerEngine {
  bool usable = false;
  std::string detail;  // the server version, or why it is not usable
};

// `docker info` answers: a client and a running engine. `path` is the PATH to look in.
DockerEngine probe_docker(const std::string& path);

// Throws Error{unsupported} without a working engine or without docker/Makefile in the checkout,
// Error{missing_tool} without the SDK, Error{failure} when the build fails.
void docker_build(const boards::Checkout& checkout, const std::string& target, const BuildOptions& options,
                  Reporter& reporter, bool json);

}  // namespace omv::build
