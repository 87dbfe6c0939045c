#pragma once
// Finding the RT1062's bootloaders on the HID bus: the MCU bootloader on 15A2:0073 (the secure
// bootloader, or the RAM flashloader during a recovery) and the serial-download ROM on
// 1FC9:0135. The secure bootloader holds the USB device for only about a second after a reset,
// so the device is claimed (a first command sent) the moment it appears.
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "boards/board.h"
#include "core/events.h"
#include "protocol/nxp/mboot_client.h"
#include "transport/hid.h"

namespace omv::flash {

// One MCU-bootloader erase command covers at most this much, so a long erase reports progress as
// it goes and no single command comes near the erase timeout.
inline constexpr uint64_t kNxpEraseStep = 256 * 1024;

// Per-board numbers from the board's `loader` map.
struct NxpLoaderParams {
  uint32_t flashloader_address = 0x20001C00;  // where the ROM stages the RAM flashloader
  uint32_t config_address = 0x2000;           // RAM word configure-memory reads
  uint32_t flexspi_config_word = 0xC0000008;  // option word: quad SPI SDR NOR, 133 MHz
  uint32_t fcb_config_word = 0xF000000F;      // option word: program the FCB
  uint32_t memory_id = 9;                     // FlexSPI NOR
  uint32_t efuse_boot_index = 0x06;
  uint32_t efuse_boot_value = 0x10;
  std::chrono::milliseconds erase_timeout{120000};
  std::chrono::milliseconds sbl_window{1000};
  std::chrono::milliseconds command_timeout{5000};
  std::chrono::milliseconds flashloader_boot{10000};  // jump -> 15A2:0073 on the bus
};
NxpLoaderParams nxp_loader_params(const boards::Board& board);

protocol::nxp::mboot::ClientOptions nxp_client_options(const NxpLoaderParams& params);

std::optional<transport::HidDeviceInfo> find_hid(transport::HidBus& bus, UsbId id, const std::string& serial);

// An opened, claimed MCU bootloader.
struct ClaimedLoader {
  std::unique_ptr<transport::HidDevice> device;
  std::unique_ptr<protocol::nxp::mboot::Client> client;
  uint32_t version = 0;
};

// Waits up to `wait` for 15A2:0073 (returns at once when present) and claims it. A device that
// appears and leaves before it answers was a secure bootloader whose window closed:
// Error{no_device} saying so, with the jumper path as the hint. Nothing found: Error{no_device}
// naming what is on the bus instead (the ROM, when the SBL jumper is fitted).
ClaimedLoader claim_mcu_bootloader(const boards::Board& board, transport::HidBus& bus, const std::string& serial,
                                   Reporter& reporter, std::chrono::milliseconds wait);

// The external flash is configured (the secure bootloader runs from it; the RAM flashloader
// needs configure-memory first): configures it when the device says it is not.
void ensure_flexspi_configured(protocol::nxp::mboot::Client& client, const NxpLoaderParams& params, Reporter& reporter);

std::string version_string(uint32_t version);  // 0x4B020800 -> "K2.8.0"

}  // namespace omv::flash
