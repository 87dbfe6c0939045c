#pragma once
// qemu-system-arm with its gdbstub on 127.0.0.1 for the debug-loop end-to-end tests: held at
// reset (-S) until a debugger continues it, the UART in a file.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "debug/ports.h"
#include "debug_support.h"

namespace omv::test::debugloop {

inline uint16_t free_port() {
  for (uint16_t port = static_cast<uint16_t>(41000 + getpid() % 8000);; ++port)
    if (omv::debug::port_is_free(port)) return port;
}

inline bool listening(uint16_t port) { return omv::platform::os::tcp_port_listening(port); }

// qemu-system-arm (MPS2-AN500) held at reset with its gdbstub on 127.0.0.1:port, with nothing
// loaded, one raw image at address 0 (as `omv debug` runs a virtual camera's bytes), or an ELF.
class Qemu {
 public:
  Qemu(uint16_t port, const fs::path& uart, const fs::path& loaded = {}, const fs::path& elf = {}) : port_(port) {
    pid_ = fork();
    if (pid_ == 0) {
      std::vector<std::string> argv = {"qemu-system-arm", "-M", "mps2-an500", "-nographic", "-monitor", "none", "-S",
                                       "-gdb", "tcp:127.0.0.1:" + std::to_string(port), "-serial", "file:" + uart.string()};
      if (!loaded.empty()) {
        argv.push_back("-device");
        argv.push_back("loader,file=" + loaded.string() + ",addr=0x0,force-raw=on");
      }
      if (!elf.empty()) {
        argv.push_back("-kernel");
        argv.push_back(elf.string());
      }
      std::vector<char*> cargs;
      for (auto& a : argv) cargs.push_back(a.data());
      cargs.push_back(nullptr);
      execvp(cargs[0], cargs.data());
      _exit(127);
    }
  }
  ~Qemu() {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  // Polls for a listener without connecting (that would attach a debugger) until the stub listens.
  bool wait_listening() const {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      if (listening(port_)) return true;
      if (!process_alive(pid_)) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

 private:
  uint16_t port_;
  pid_t pid_ = -1;
};

}  // namespace omv::test::debugloop
