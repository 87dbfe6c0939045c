#pragma once
// The platform implementations the unit tests run side by side: posix_impl always, linux_impl
// where it is compiled in (Linux builds with OMV_PLATFORM=linux).
#include <gtest/gtest.h>

#include <string>

#include "platform/custom_baud.h"
#include "platform/device_holders.h"
#include "platform/dir_swap.h"
#include "platform/fds.h"
#include "platform/exe_path.h"
#include "platform/folder_watch.h"
#include "platform/parent_death.h"
#include "platform/process_exit.h"
#include "platform/signal_watch.h"
#include "platform/tcp_listen.h"
#include "platform/udev.h"
#include "platform/unix_address.h"
#include "platform/usb_tty_port.h"

namespace omv::platform::impls_test {

#define OMV_PLATFORM_IMPL_MEMBERS(ns)                                                \
  using SignalWatch = ns::SignalWatch;                                               \
  static constexpr auto wait_for_folder_change = &ns::wait_for_folder_change;        \
  static constexpr auto exit_fd = &ns::exit_fd;                                      \
  static constexpr auto wait_for_pid_exit = &ns::wait_for_pid_exit;                  \
  static constexpr auto open_lifeline = &ns::open_lifeline;                          \
  static constexpr auto die_with_parent = &ns::die_with_parent;                      \
  static constexpr auto after_fork_in_parent = &ns::after_fork_in_parent;            \
  static constexpr auto tcp_port_listening = &ns::tcp_port_listening;                \
  static constexpr auto tcp_port_listening_in_group = &ns::tcp_port_listening_in_group; \
  static constexpr auto tcp_port_owner = &ns::tcp_port_owner;                        \
  static constexpr auto replace_folder = &ns::replace_folder;                        \
  static constexpr auto recover_swap = &ns::recover_swap;                            \
  static constexpr auto executable_path = &ns::executable_path;                      \
  static constexpr auto usb_port_of_tty = &ns::usb_port_of_tty;                      \
  static constexpr auto make_unix_address = &ns::make_unix_address;                  \
  static constexpr auto set_custom_baud = &ns::set_custom_baud;                      \
  static constexpr auto has_udev = &ns::has_udev;                                    \
  static constexpr auto device_holders = &ns::device_holders;                        \
  static constexpr auto pipe_cloexec = &ns::pipe_cloexec;                            \
  static constexpr auto socket_cloexec = &ns::socket_cloexec;                        \
  static constexpr auto send_no_sigpipe = &ns::send_no_sigpipe;

struct Posix {
  static constexpr bool is_linux = false;
  OMV_PLATFORM_IMPL_MEMBERS(posix_impl)
};
#if OMV_PLATFORM_HAS_LINUX
struct Linux {
  static constexpr bool is_linux = true;
  OMV_PLATFORM_IMPL_MEMBERS(linux_impl)
};
using Impls = ::testing::Types<Linux, Posix>;
#else
using Impls = ::testing::Types<Posix>;
#endif
#undef OMV_PLATFORM_IMPL_MEMBERS

struct ImplName {
  template <class T>
  static std::string GetName(int) {
    return T::is_linux ? "linux" : "posix";
  }
};

}  // namespace omv::platform::impls_test
