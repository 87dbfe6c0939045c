#include "build/docker_build.h"

#include <fmt/format.h>

#include <csignal>

#include "build/process.h"
#include "core/error.h"
#include "core/text.h"
#include "sdk/sdk_status.h"

namespace omv::build {
namespace fs = std::filesystem;

DockerEngine probe_docker(const std::string& path) {
  DockerEngine e;
  auto docker = find_on_path("docker", path);
  if (!docker) {
    e.detail = "docker is not installed (no 'docker' on PATH)";
    return e;
  }
  ProcessOptions o;
  o.capture = true;
  o.timeout = std::chrono::seconds(20);
  o.env["PATH"] = path;
  auto r = run_process({docker->string(), "info", "--format", "{{.ServerVersion}}"}, o);
  std::string first(trim(r.output.substr(0, r.output.find('\n'))));
  if (r.timed_out) {
    e.detail = "'docker info' did not answer within 20 s";
  } else if (r.exit_code != 0) {
    e.detail = fmt::format("the Docker engine does not answer: {}", first.empty() ? "docker info failed" : first);
  } else {
    e.usable = true;
    e.detail = first.empty() ? "Docker engine" : "Docker engine " + first;
  }
  return e;
}

void docker_build(const boards::Checkout& checkout, const std::string& target, const BuildOptions& options,
                  Reporter& reporter, bool json) {
  const std::string path = current_path_env();
  auto engine = probe_docker(path);
  if (!engine.usable)
    fail(ErrorKind::unsupported, fmt::format("cannot build {} in Docker: {}", target, engine.detail),
         "install and start Docker (https://docs.docker.com/engine/install/), or build natively: omv build " + target);
  const fs::path docker_dir = checkout.root / "docker";
  std::error_code ec;
  if (!fs::is_regular_file(docker_dir / "Makefile", ec))
    fail(ErrorKind::unsupported, fmt::format("{} has no docker/Makefile: this checkout has no Docker build", checkout.root.string()),
         "build natively: omv build " + target);
  // The dev target mounts the host's SDK into the container, so it must be installed here.
  auto status = sdk::sdk_status(checkout.sdk_version);
  if (!status.system_toolchain) sdk::require_sdk(status, "omv sdk install");
  reporter.info(engine.detail);
  std::vector<std::string> argv{"make", "-C", docker_dir.string(), "build-firmware-dev", "TARGET=" + target};
  if (!status.system_toolchain) argv.push_back("SDK_DIR=" + status.dir.string());
  const std::string opts = build_opts_string(options);
  if (!opts.empty()) argv.push_back("BUILD_OPTS=" + opts);
  ProcessOptions o;
  o.cwd = checkout.root;
  o.stdout_to_stderr = json;
  o.unset = {"MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES"};
  if (!opts.empty()) o.env["BUILD_OPTS"] = opts;
  reporter.begin("docker", 0, command_line(argv), "");
  auto r = run_process(argv, o);
  if (r.signal == SIGINT) fail(ErrorKind::interrupted, "Docker build interrupted");
  if (r.exit_code != 0)
    fail(ErrorKind::failure, fmt::format("the Docker build of {} failed (make exit {})", target, r.exit_code),
         "see the output above");
  reporter.end(fmt::format("{} built in Docker", target));
}

}  // namespace omv::build
