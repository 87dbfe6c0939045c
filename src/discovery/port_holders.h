#pragma once
// Which other processes have a device node open: the usual reason a camera's serial port is
// silent or busy (ModemManager probing it, a serial terminal, the IDE, another omv).
#include <string>
#include <vector>

namespace omv::discovery {

struct PortHolder {
  int pid = 0;
  std::string name;  // /proc/PID/comm
};

// Every process except this one with `path` open (the ones /proc lets us see).
std::vector<PortHolder> port_holders(const std::string& path);
// "ModemManager (pid 812), screen (pid 4242)"; "" when there are none.
std::string describe_holders(const std::vector<PortHolder>& holders);

}  // namespace omv::discovery
