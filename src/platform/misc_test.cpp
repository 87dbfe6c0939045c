// The small platform functions on both implementations: the executable's path, a tty's USB
// port, the holders of a busy tty, udev, unix socket addresses and custom baud rates.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/error.h"
#include "platform/impls_test.h"

namespace omv::platform::misc_test {

template <class T>
class Platform : public ::testing::Test {};
TYPED_TEST_SUITE(Platform, impls_test::Impls, impls_test::ImplName);

TYPED_TEST(Platform, ExecutablePathIsThisTestBinary) {
  auto self = TypeParam::executable_path();
  ASSERT_TRUE(self);
  EXPECT_TRUE(self->is_absolute());
  EXPECT_EQ(self->filename(), "omv_unit_tests");
  EXPECT_TRUE(std::filesystem::exists(*self));
}

TYPED_TEST(Platform, UdevIsAssumedOnLinuxAndLookedForElsewhere) {
  std::error_code ec;
  const bool folders = std::filesystem::exists("/etc/udev", ec) || std::filesystem::exists("/run/udev", ec);
  EXPECT_EQ(TypeParam::has_udev(), TypeParam::is_linux || folders);
}

TYPED_TEST(Platform, TheHolderOfABusyTtyIsNamedWhereTheOsCanTell) {
  const int master = ::posix_openpt(O_RDWR | O_NOCTTY);
  ASSERT_GE(master, 0);
  ASSERT_EQ(::grantpt(master), 0);
  ASSERT_EQ(::unlockpt(master), 0);
  const std::string tty = ::ptsname(master);
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  const pid_t holder = ::fork();
  if (holder == 0) {
    const int fd = ::open(tty.c_str(), O_RDWR | O_NOCTTY);
    ssize_t ignored = ::write(ready[1], "x", 1);
    (void)ignored;
    (void)fd;
    ::pause();
    ::_exit(0);
  }
  char byte;
  ASSERT_EQ(::read(ready[0], &byte, 1), 1);
  const auto holders = TypeParam::device_holders(tty);
  if (TypeParam::is_linux) {
    ASSERT_TRUE(holders);
    bool named = false;
    for (const auto& h : *holders) named = named || h.pid == holder;
    EXPECT_TRUE(named);
  } else {
    EXPECT_FALSE(holders);  // cannot tell, which is not "nobody"
  }
  ::kill(holder, SIGKILL);
  ::waitpid(holder, nullptr, 0);
  ::close(ready[0]);
  ::close(ready[1]);
  ::close(master);
}

TYPED_TEST(Platform, FdsAreCloseOnExecAndSendsDoNotRaiseSigpipe) {
  int fds[2];
  ASSERT_EQ(TypeParam::pipe_cloexec(fds), 0);
  EXPECT_TRUE(::fcntl(fds[0], F_GETFD) & FD_CLOEXEC);
  EXPECT_TRUE(::fcntl(fds[1], F_GETFD) & FD_CLOEXEC);
  ::close(fds[0]);
  ::close(fds[1]);
  const int s = TypeParam::socket_cloexec(AF_INET, SOCK_STREAM, 0, true);
  ASSERT_GE(s, 0);
  EXPECT_TRUE(::fcntl(s, F_GETFD) & FD_CLOEXEC);
  EXPECT_TRUE(::fcntl(s, F_GETFL) & O_NONBLOCK);
  ::close(s);
  int pair[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, pair), 0);
  ::close(pair[1]);
  EXPECT_EQ(TypeParam::send_no_sigpipe(pair[0], "x", 1), -1);  // still alive: no SIGPIPE
  EXPECT_EQ(errno, EPIPE);
  ::close(pair[0]);
}

TYPED_TEST(Platform, ANonUsbTtyHasNoUsbPort) { EXPECT_EQ(TypeParam::usb_port_of_tty("/dev/ttyNOPE0"), ""); }

TYPED_TEST(Platform, UnixAddressesShortAndLong) {
  UnixAddress a;
  TypeParam::make_unix_address("/tmp/omv.sock", a);
  EXPECT_STREQ(a.addr.sun_path, "/tmp/omv.sock");

  const std::string long_path = "/tmp/" + std::string(120, 'x') + "/camera.sock";
  UnixAddress b;
  if (TypeParam::is_linux) {
    std::filesystem::create_directories(std::filesystem::path(long_path).parent_path());
    TypeParam::make_unix_address(long_path, b);
    EXPECT_NE(std::string(b.addr.sun_path).find("/proc/self/fd/"), std::string::npos);
    std::filesystem::remove_all(std::filesystem::path(long_path).parent_path());
    return;
  }
  try {
    TypeParam::make_unix_address(long_path, b);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("at most"), std::string::npos) << e.what();
  }
}

TYPED_TEST(Platform, CustomBaudOnAnythingButATty) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  try {
    TypeParam::set_custom_baud(fd, 55000, "/dev/ttyTEST");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    // Linux tries and fails on a socket; POSIX says it cannot at all.
    EXPECT_EQ(e.kind(), TypeParam::is_linux ? ErrorKind::io : ErrorKind::unsupported);
    EXPECT_NE(std::string(e.what()).find("/dev/ttyTEST"), std::string::npos);
  }
  ::close(fd);
}

}  // namespace omv::platform::misc_test
