#pragma once
// The Alif Ensemble Secure Enclave's serial ISP packets (SE-UART; what Alif's Security Toolkit
// sends as isp_protocol.py / isp_core.py define it). Facts and test vectors:
// ../shared/reference/alif-isp.md §2, §4.
//  - a packet is [LEN][CMD][payload…][CHK]; LEN counts every byte (payload + 3, so at most 255);
//    integers are 4-byte little-endian; CHK makes the byte sum of the whole packet 0 mod 256;
//  - replies: ACK 0xFE, NAK 0xFF (byte 2 the error code, then an optional extended text),
//    DATA_RESPONSE 0xFD (payload from byte 2), PRINT_DATA 0x0C (unsolicited NUL-terminated text);
//  - the toolkit never checks a reply's checksum; omv does, and names the offset.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace omv::protocol::alif_isp {

enum class Command : uint8_t {
  start = 0x00,
  stop = 0x01,
  download_data = 0x04,
  download_done = 0x05,
  burn_mram = 0x08,
  reset = 0x09,
  mram_write = 0x0D,  // SEROM recovery: MRAM-relative offset + 16 bytes
  enquiry = 0x0F,
  get_baud_rate = 0x10,
  set_baud_rate = 0x11,
  verify_image = 0x12,
  get = 0x14,
  erase_mram = 0x15,
  set_maintenance_flag = 0x16,
  mram_read = 0x19,
  set = 0x1A,
};

enum class GetObject : uint32_t { toc_info = 0x01, revision = 0x02, baud_rate = 0x03, banner = 0x04, cpu_status = 0x05 };

constexpr uint8_t kAck = 0xFE;
constexpr uint8_t kNak = 0xFF;
constexpr uint8_t kDataResponse = 0xFD;
constexpr uint8_t kPrintData = 0x0C;
constexpr size_t kMaxPacket = 255;
constexpr size_t kDownloadChunk = 240;  // data bytes per DOWNLOAD_DATA (after its two 0x55 pad bytes)
constexpr uint8_t kTocEntryMarker = 0xA7;

// The byte that makes the sum of `bytes` + it 0 mod 256.
uint8_t checksum(std::span<const uint8_t> bytes);

// A command with 32-bit arguments and raw bytes after them.
std::vector<uint8_t> encode(Command command, std::span<const uint32_t> words = {}, std::span<const uint8_t> raw = {});
std::vector<uint8_t> encode_get(GetObject object);
// DOWNLOAD_DATA: 0x55 0x55 then the data (at most kDownloadChunk bytes).
std::vector<uint8_t> encode_download_data(std::span<const uint8_t> data);

std::string command_name(uint8_t command);
std::string error_name(uint8_t code);  // "BAD_PACKET_SIZE (0xF8)"

struct Packet {
  uint8_t length = 0;
  uint8_t kind = 0;                 // the CMD byte: ACK, NAK, DATA_RESPONSE, PRINT_DATA or a command
  std::vector<uint8_t> bytes;       // the whole packet as received
  std::span<const uint8_t> payload() const { return std::span<const uint8_t>(bytes).subspan(2, bytes.size() - 3); }
};

// Splits a byte stream into packets. A LEN under 3 or a wrong checksum is a framing error
// (`error()` says which byte), after which the reader stays failed: the ISP has no resync.
class PacketReader {
 public:
  void feed(std::span<const uint8_t> bytes);
  std::optional<Packet> next();
  const std::string& error() const { return error_; }
  size_t buffered() const { return buffer_.size(); }

 private:
  std::vector<uint8_t> buffer_;
  uint64_t consumed_ = 0;  // stream offset of buffer_[0]
  std::string error_;
};

// NAK: the error code and any extended text.
struct Nak {
  uint8_t code = 0;
  std::string extended;
};
Nak parse_nak(const Packet& packet);
// PRINT_DATA and banner text: up to the first NUL, printable ASCII only.
std::string payload_text(std::span<const uint8_t> payload);

}  // namespace omv::protocol::alif_isp
