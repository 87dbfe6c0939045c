#pragma once
// Host engine for the Alif Ensemble Secure Enclave's serial ISP (alif-isp.md §2-§5), over any
// SerialPort: START with its drain rule, one reply per command (PRINT_DATA text before it is
// collected, not mistaken for the reply), the 921600-baud switch and back, the SES queries,
// soft maintenance, the hard-maintenance handshake, MRAM burns and reset. It knows no boards:
// addresses are absolute MRAM addresses from the caller.
#include <chrono>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "protocol/alif_isp/packets.h"
#include "protocol/alif_isp/replies.h"
#include "transport/serial.h"

namespace omv::protocol::alif_isp {

struct ClientOptions {
  transport::Millis reply_timeout{500};     // the toolkit's RX timeout
  transport::Millis start_gap{500};         // START: bytes are drained until a gap this long
  transport::Millis burn_timeout{20000};    // BURN_MRAM's reply (the SES prepares the region)
  transport::Millis baud_settle{1000};      // after a baud switch, before the input is purged
  transport::Millis handshake_poll{100};    // hard maintenance: the read timeout between ALIFs
};

using Progress = std::function<void(uint64_t done)>;

class Client {
 public:
  Client(transport::SerialPort& port, uint32_t baud, ClientOptions options = {});

  // START_ISP: true when a 0xFE byte came back (everything else, boot text included, is
  // drained until the line is quiet for start_gap).
  bool start();
  void stop();
  Revision revision();
  Enquiry enquiry();
  std::string banner();
  std::vector<TocEntry> toc();
  // SET_BAUD_RATE at the current rate; the device switches after its reply, then the host.
  void set_baud(uint32_t baud);
  uint32_t baud() const { return baud_; }
  void set_maintenance_flag();
  // RESET_DEVICE: no reply; whatever the device prints while it reboots is drained.
  void reset();
  // BURN_MRAM, DOWNLOAD_DATA chunks (240 bytes; 16 for a file of at most 240 bytes, as the
  // toolkit does), DOWNLOAD_DONE. `data` is padded with zeros to a multiple of 16 in memory.
  // A NAK or a missing ACK fails naming the address reached (the toolkit ignores both).
  void burn_mram(uint32_t address, std::span<const uint8_t> data, const Progress& progress = {});
  // Hard maintenance: sends "ALIF" until the device answers "SEPCTL" (the user presses RESET
  // meanwhile), then "ALIF" once more. False when `give_up` says so first.
  bool hard_maintenance_handshake(const std::function<bool()>& give_up);

  const std::vector<std::string>& printed() const { return printed_; }
  struct Counters {
    uint64_t packets_out = 0, bytes_out = 0, packets_in = 0, bytes_in = 0;
  };
  const Counters& counters() const { return counters_; }

 private:
  void send(const std::vector<uint8_t>& packet);
  // The next packet that is not PRINT_DATA, or Error{timeout} naming `what`.
  Packet reply(const std::string& what, transport::Millis timeout);
  void expect_ack(const std::string& what, transport::Millis timeout);
  void drain(transport::Millis gap);

  transport::SerialPort& port_;
  uint32_t baud_;
  ClientOptions options_;
  PacketReader reader_;
  std::vector<std::string> printed_;
  Counters counters_;
};

}  // namespace omv::protocol::alif_isp
