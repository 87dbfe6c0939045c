#pragma once
// The device side of one USB port: what the gadget host needs to put a device on a real USB
// stack. VhciPort (vhci_port.h) implements it with Linux's USB/IP virtual host controller;
// tests use a scripted stand-in.
#include <cstdint>
#include <span>
#include <vector>

#include "sim/gadget/descriptors.h"
#include "sim/model.h"
#include "transport/usb.h"

namespace omv::sim::gadget {

class DeviceController {
 public:
  virtual ~DeviceController() = default;
  // Connects a device with these descriptors to the port: the cable goes in.
  virtual void plug(const Descriptors& descriptors) = 0;
  // The cable comes out. Does nothing when nothing is plugged.
  virtual void unplug() = 0;
  // False also when the host side went away by itself (the port was detached).
  virtual bool plugged() const = 0;
  // Control requests (endpoint 0) that arrive within `timeout`; none when unplugged.
  virtual std::vector<SetupPacket> wait(transport::Millis timeout) = 0;

  // Completing the last request from wait(). An OUT request with a data stage: receive(), then
  // acknowledge() or stall(). Otherwise exactly one of send(), acknowledge(), stall().
  virtual std::vector<uint8_t> receive(size_t length) = 0;  // OUT data stage
  virtual void send(std::span<const uint8_t> data) = 0;       // IN data stage
  virtual void acknowledge() = 0;                             // status stage: done
  virtual void stall() = 0;                                   // refuse the request
};

}  // namespace omv::sim::gadget
