#include <fcntl.h>
#include <pty.h>
#include <termios.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <string>

#include "core/error.h"
#include "platform/custom_baud.h"
#include "transport/serial.h"
#include "transport/serial_errors.h"

namespace omv::transport {
namespace {

struct Pty {
  int master = -1, slave = -1;
  std::string name;
  Pty() {
    char buf[128];
    if (openpty(&master, &slave, buf, nullptr, nullptr) != 0) throw std::runtime_error("openpty");
    name = buf;
  }
  ~Pty() {
    close(master);
    close(slave);
  }
};

TEST(SerialTermios, ReadsWhatTheOtherSideWrites) {
  Pty pty;
  auto port = open_serial_port(pty.name, 921600);
  ASSERT_EQ(::write(pty.master, "hello", 5), 5);
  uint8_t buf[16];
  size_t got = 0;
  while (got < 5) {
    const size_t n = port->read(std::span<uint8_t>(buf + got, sizeof buf - got), Millis(1000));
    ASSERT_GT(n, 0u);
    got += n;
  }
  EXPECT_EQ(std::string(reinterpret_cast<char*>(buf), 5), "hello");
}

TEST(SerialTermios, WritesReachTheOtherSideUnchanged) {
  Pty pty;
  auto port = open_serial_port(pty.name, 115200);
  const uint8_t data[] = {'N', '#', 0x00, 0x0A, 0x0D, 0xFF, 0x11, 0x13};  // raw: no CR/LF or XON/XOFF mangling
  port->write(data);
  port->drain();
  uint8_t got[sizeof data];
  size_t n = 0;
  while (n < sizeof data) {
    const ssize_t r = ::read(pty.master, got + n, sizeof got - n);
    ASSERT_GT(r, 0);
    n += static_cast<size_t>(r);
  }
  EXPECT_EQ(0, memcmp(got, data, sizeof data));
}

TEST(SerialTermios, ReadTimesOutWithZero) {
  Pty pty;
  auto port = open_serial_port(pty.name, 115200);
  uint8_t buf[4];
  EXPECT_EQ(port->read(buf, Millis(20)), 0u);
}

TEST(SerialTermios, SetsTheBaudRateTheDeviceSees) {
  Pty pty;
  auto port = open_serial_port(pty.name, 921600);
  termios tio{};
  ASSERT_EQ(tcgetattr(pty.slave, &tio), 0);
  EXPECT_EQ(cfgetospeed(&tio), static_cast<speed_t>(B921600));
  port->set_baud(1200);
  ASSERT_EQ(tcgetattr(pty.slave, &tio), 0);
  EXPECT_EQ(cfgetospeed(&tio), static_cast<speed_t>(B1200));
  port->set_dtr(false);  // no modem lines on a pty: accepted silently
  port->set_rts(true);
}

TEST(SerialTermios, SecondOpenOfTheSamePortIsBusy) {
  Pty pty;
  auto first = open_serial_port(pty.name, 115200);
  try {
    open_serial_port(pty.name, 115200);
    FAIL() << "second open succeeded";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(pty.name), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("busy"), std::string::npos);
  }
}

TEST(SerialTermios, MissingPortIsNoDevice) {
  try {
    open_serial_port("/dev/omv-no-such-tty", 115200);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::no_device);
    EXPECT_NE(std::string(e.what()).find("/dev/omv-no-such-tty"), std::string::npos);
  }
}

TEST(SerialTermios, RegularFileIsNotASerialPort) {
  char name[] = "/tmp/omv-serial-XXXXXX";
  const int fd = mkstemp(name);
  ASSERT_GE(fd, 0);
  close(fd);
  EXPECT_THROW(open_serial_port(name, 115200), Error);
  unlink(name);
}

TEST(SerialTermios, ARateWithoutATermiosConstantIsSetAsACustomRate) {
  // The Alif Secure Enclave's ISP runs at 55000 baud; termios has no constant for it.
  Pty pty;
  if (!platform::os::kAnyBaudRate) {
    try {
      open_serial_port(pty.name, 55000);
      FAIL() << "expected the POSIX layer to refuse 55000 baud";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::unsupported);
      EXPECT_NE(std::string(e.what()).find(pty.name), std::string::npos) << e.what();
    }
    return;
  }
  auto port = open_serial_port(pty.name, 55000);
  termios tio{};
  ASSERT_EQ(tcgetattr(pty.master, &tio), 0);
  EXPECT_EQ(cfgetospeed(&tio), static_cast<speed_t>(0010000));  // BOTHER: the rate is given in numbers
  port->set_baud(115200);
  ASSERT_EQ(tcgetattr(pty.master, &tio), 0);
  EXPECT_EQ(cfgetospeed(&tio), static_cast<speed_t>(B115200));
  port->set_baud(123457);
  ASSERT_EQ(tcgetattr(pty.master, &tio), 0);
  EXPECT_EQ(cfgetospeed(&tio), static_cast<speed_t>(0010000));
  const uint8_t hello[] = {'h', 'i'};
  port->write(hello);
  char got[2] = {};
  ASSERT_EQ(read(pty.master, got, 2), 2);
  EXPECT_EQ(std::string(got, 2), "hi");
}

TEST(SerialTermios, PeerGoneIsNoDevice) {
  auto* pty = new Pty;
  auto port = open_serial_port(pty->name, 115200);
  close(pty->master);
  pty->master = open("/dev/null", O_RDONLY);
  uint8_t buf[4];
  try {
    port->read(buf, Millis(500));
    FAIL() << "read after hang-up returned";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::no_device);
  }
  delete pty;
}

TEST(SerialErrors, NameThePortAndTheCause) {
  const auto busy = serial_open_error("/dev/ttyACM0", EBUSY);
  EXPECT_NE(std::string(busy.what()).find("/dev/ttyACM0"), std::string::npos);
  EXPECT_NE(busy.hint().find("ModemManager"), std::string::npos);
  const auto denied = serial_open_error("/dev/ttyACM1", EACCES);
  EXPECT_EQ(denied.kind(), ErrorKind::permission);
  EXPECT_NE(std::string(denied.what()).find("/dev/ttyACM1"), std::string::npos);
  EXPECT_NE(denied.hint().find("dialout"), std::string::npos);
  EXPECT_EQ(serial_open_error("/dev/x", ENOENT).kind(), ErrorKind::no_device);
}

TEST(SerialEnumerate, RunsWithoutDevices) {
  // No USB serial devices on a build machine; the call must still work and list no USB identity
  // it cannot back up.
  for (const auto& p : enumerate_serial_ports()) EXPECT_FALSE(p.path.empty());
}

}  // namespace
}  // namespace omv::transport
