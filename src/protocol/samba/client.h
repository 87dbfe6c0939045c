#pragma once
// Host engine for the SAM-BA monitor as the Arduino Nano 33 BLE bootloader speaks it (the
// command set bossac uses with it): binary mode, version and chip id, a RAM buffer loaded with
// `S` and copied to flash with `Y`, erase-to-end with `X`, CRC-16 with `Z`, reads with `R`, reset
// with `K`. Addresses are the bootloader's own (the caller maps flash addresses to them).
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "protocol/samba/frames.h"
#include "transport/serial.h"

namespace omv::protocol::samba {

struct ClientOptions {
  transport::Millis reply_timeout{2000};  // any short command (N, V, I, S, Y source)
  // Reads are split into chunks of this size: bossac does the same with every Arduino SAM-BA
  // bootloader on USB (a USB packet bug in the SAMD ones); nothing is known to be safe above it.
  uint32_t read_chunk = 63;
  // Where `S` puts data in the bootloader's buffer and where `Y` copies from: bossac's address
  // for this bootloader (right after its 0x34-byte word-copy applet).
  uint32_t buffer_address = 0x34;
  uint32_t buffer_size = 4096;            // largest `S`/`Y` transfer
};

using Progress = std::function<void(uint64_t done)>;

class Client {
 public:
  explicit Client(transport::SerialPort& port, ClientOptions options = {});

  // Drops stale input, switches to binary mode and reads the version (and the chip id when the
  // bootloader has `I`). Fails with device_error on garbage and timeout on silence.
  const Version& connect();
  const Version& version() const { return version_; }
  const std::string& chip() const { return chip_; }  // "nRF52840-QIAA"; empty without `I`

  // X: erases from `address` to the end of the application area. Slow: one page erase per page.
  void erase_from(uint32_t address, transport::Millis timeout);
  // S + Y + Y per buffer-sized chunk. The flash must have been erased.
  void write(uint32_t address, std::span<const uint8_t> data, transport::Millis per_chunk_timeout,
             const Progress& progress = {});
  // Z: CRC-16/XMODEM of `size` bytes of flash, computed by the device.
  uint16_t checksum(uint32_t address, uint32_t size, transport::Millis timeout);
  std::vector<uint8_t> read(uint32_t address, uint32_t size, const Progress& progress = {});
  uint32_t read_word(uint32_t address);
  // K (or the Cortex-M AIRCR reset word when the bootloader lacks K). The device goes away.
  void reset();

  struct Counters {
    uint64_t commands = 0, bytes_out = 0, bytes_in = 0;
  };
  const Counters& counters() const { return counters_; }

 private:
  void send(const std::string& command);
  void send_data(std::span<const uint8_t> data);
  // Exactly `n` bytes, or timeout/no_device.
  std::vector<uint8_t> receive(size_t n, transport::Millis timeout, const char* what);
  // Up to and including "\n\r".
  std::vector<uint8_t> receive_line(transport::Millis timeout, const char* what);
  void expect_ack(char letter, transport::Millis timeout, const char* what);
  [[noreturn]] void garbage(const char* what, std::span<const uint8_t> got) const;

  transport::SerialPort& port_;
  ClientOptions options_;
  Version version_;
  std::string chip_;
  Counters counters_;
};

}  // namespace omv::protocol::samba
