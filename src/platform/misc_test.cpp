// The small platform functions on both implementations: the executable's path, a tty's USB
// port, unix socket addresses and custom baud rates.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

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
