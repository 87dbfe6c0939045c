#include "debug/vscode_config.h"

#include <fmt/format.h>

namespace omv::debug {

using ojson = nlohmann::ordered_json;

std::string launch_name(const std::string& target) { return fmt::format("omv {} launch", target); }
std::string attach_name(const std::string& target) { return fmt::format("omv {} attach", target); }
std::string build_task_label(const std::string& target) { return fmt::format("omv build {} --debug", target); }
std::string serve_task_label(const std::string& target) { return fmt::format("omv debug {} --no-gdb", target); }

namespace {

ojson common(const VscodeInputs& in, const std::string& name, const char* request) {
  ojson c;
  c["name"] = name;
  c["type"] = "cortex-debug";
  c["request"] = request;
  c["cwd"] = "${workspaceFolder}";
  c["executable"] = in.executable;
  return c;
}

void add_tools(ojson& c, const VscodeInputs& in) {
  c["armToolchainPath"] = in.toolchain_dir;
  c["gdbPath"] = in.gdb_path;
  if (in.svd_file) c["svdFile"] = *in.svd_file;
}

void add_probe(ojson& c, const VscodeInputs& in) {
  c["servertype"] = in.server;
  c["device"] = in.device;
  c["interface"] = "swd";
  if (in.server == "stlink") {
    if (!in.cubeprogrammer_dir.empty()) c["stm32cubeprogrammer"] = in.cubeprogrammer_dir;
    ojson args = ojson::array();
    if (!in.external_loader.empty()) {
      args.push_back("--extload");
      args.push_back(in.external_loader);
    }
    if (in.access_port != 0) {
      args.push_back("--apid");
      args.push_back(std::to_string(in.access_port));
    }
    if (!args.empty()) c["serverArgs"] = args;
  }
  if (in.rtt && in.server == "jlink")
    c["rttConfig"] = {{"enabled", true},
                      {"address", "auto"},
                      {"decoders", ojson::array({{{"label", "RTT"}, {"port", 0}, {"type", "console"}}})}};
  // SWO's baud is a divisor of the core clock, so Cortex-Debug needs it; on when there is no RTT
  // block (then SWO is the firmware's printf without halting), ready to switch on otherwise.
  if (in.core_clock_hz)
    c["swoConfig"] = {{"enabled", !in.rtt},
                      {"cpuFrequency", *in.core_clock_hz},
                      {"swoFrequency", 2000000},
                      {"source", "probe"},
                      {"decoders", ojson::array({{{"label", "SWO"}, {"port", 0}, {"type", "console"}}})}};
}

ojson probe_launch(const VscodeInputs& in) {
  ojson c = common(in, launch_name(in.target), "launch");
  add_probe(c, in);
  c["runToEntryPoint"] = "main";
  add_tools(c, in);
  c["preLaunchTask"] = build_task_label(in.target);
  return c;
}

ojson probe_attach(const VscodeInputs& in) {
  ojson c = common(in, attach_name(in.target), "attach");
  add_probe(c, in);
  add_tools(c, in);
  return c;
}

// QEMU started by Cortex-Debug itself, from the ELF.
ojson qemu_launch(const VscodeInputs& in) {
  ojson c = common(in, launch_name(in.target), "launch");
  c["servertype"] = "qemu";
  c["machine"] = in.qemu_machine;
  c["cpu"] = in.qemu_cpu;
  c["runToEntryPoint"] = "main";
  add_tools(c, in);
  c["preLaunchTask"] = build_task_label(in.target);
  return c;
}

// The virtual camera's own bytes under QEMU, served by `omv debug --no-gdb`.
ojson qemu_attach(const VscodeInputs& in) {
  ojson c = common(in, attach_name(in.target), "attach");
  c["servertype"] = "external";
  c["gdbTarget"] = fmt::format("127.0.0.1:{}", in.qemu_port);
  add_tools(c, in);
  c["preLaunchTask"] = serve_task_label(in.target);
  return c;
}

}  // namespace

std::vector<ojson> launch_configurations(const VscodeInputs& in) {
  ojson launch = in.server == "qemu" ? qemu_launch(in) : probe_launch(in);
  ojson attach = in.server == "qemu" ? qemu_attach(in) : probe_attach(in);
  if (in.attach_first) return {attach, launch};
  return {launch, attach};
}

std::vector<ojson> tasks(const VscodeInputs& in) {
  std::vector<ojson> out;
  ojson build;
  build["label"] = build_task_label(in.target);
  build["type"] = "process";
  build["command"] = in.omv_command;
  build["args"] = ojson::array({"build", in.target, "--debug"});
  build["options"] = {{"cwd", "${workspaceFolder}"}};
  build["group"] = "build";
  build["problemMatcher"] = ojson::array({"$gcc"});
  out.push_back(build);
  if (in.server == "qemu") {
    ojson serve;
    serve["label"] = serve_task_label(in.target);
    serve["type"] = "process";
    serve["command"] = in.omv_command;
    ojson args = ojson::array();
    for (const auto& a : in.omv_global_args) args.push_back(a);
    args.push_back("debug");
    args.push_back(in.target);
    args.push_back("--no-gdb");
    args.push_back("--attach");
    args.push_back("--port");
    args.push_back(std::to_string(in.qemu_port));
    serve["args"] = args;
    serve["options"] = {{"cwd", "${workspaceFolder}"}};
    serve["isBackground"] = true;
    serve["problemMatcher"] = {
        {"owner", "omv"},
        {"pattern", {{"regexp", "^omv: error: (.*)$"}, {"message", 1}}},
        {"background", {{"activatesOnStart", true}, {"beginsPattern", "started QEMU"}, {"endsPattern", "listening on 127\\.0\\.0\\.1:"}}}};
    out.push_back(serve);
  }
  return out;
}

std::vector<std::string> recommended_extensions(bool wsl) {
  std::vector<std::string> out;
  out.emplace_back("ms-vscode.cpptools");
  out.emplace_back("marus25.cortex-debug");
  if (wsl) out.emplace_back("ms-vscode-remote.remote-wsl");
  return out;
}

ojson cpp_configuration(const VscodeInputs& in) {
  ojson c;
  c["name"] = fmt::format("omv {}", in.target);
  if (!in.compiler_path.empty()) c["compilerPath"] = in.compiler_path;
  c["intelliSenseMode"] = "linux-gcc-arm";
  c["cStandard"] = "gnu11";
  c["cppStandard"] = "gnu++17";
  if (in.compile_commands) c["compileCommands"] = *in.compile_commands;
  else c["includePath"] = ojson::array({"${workspaceFolder}/**"});
  return c;
}

}  // namespace omv::debug
