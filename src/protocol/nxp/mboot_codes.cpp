#include "protocol/nxp/mboot_codes.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <utility>

namespace omv::protocol::nxp::mboot {
namespace {

struct Named {
  uint32_t code;
  const char* name;
};

// The status codes a flashloader on i.MX RT can answer with (NXP's MCU bootloader numbering).
constexpr std::array kStatuses{
    Named{0, "Success"},
    Named{1, "Fail"},
    Named{2, "ReadOnly"},
    Named{3, "OutOfRange"},
    Named{4, "InvalidArgument"},
    Named{5, "Timeout"},
    Named{6, "NoTransferInProgress"},
    Named{100, "FlashSizeError"},
    Named{101, "FlashAlignmentError"},
    Named{102, "FlashAddressError"},
    Named{103, "FlashAccessError"},
    Named{104, "FlashProtectionViolation"},
    Named{105, "FlashCommandFailure"},
    Named{106, "FlashUnknownProperty"},
    Named{111, "FlashCommandNotSupported"},
    Named{400, "QspiFlashSizeError"},
    Named{401, "QspiFlashAlignmentError"},
    Named{402, "QspiFlashAddressError"},
    Named{403, "QspiFlashCommandFailure"},
    Named{405, "QspiNotConfigured"},
    Named{407, "QspiCommandTimeout"},
    Named{408, "QspiWriteFailure"},
    Named{7000, "FlexSPI_SequenceExecutionTimeout"},
    Named{7001, "FlexSPI_InvalidSequence"},
    Named{7002, "FlexSPI_DeviceTimeout"},
    Named{10000, "UnknownCommand"},
    Named{10001, "SecurityViolation"},
    Named{10002, "AbortDataPhase"},
    Named{10003, "PingError"},
    Named{10004, "NoResponse"},
    Named{10005, "NoResponseExpected"},
    Named{10006, "UnsupportedCommand"},
    Named{10100, "RomLdrSectionOverrun"},
    Named{10101, "RomLdrSignature"},
    Named{10102, "RomLdrSectionLength"},
    Named{10104, "RomLdrEOFReached"},
    Named{10105, "RomLdrChecksum"},
    Named{10106, "RomLdrCrc32Error"},
    Named{10107, "RomLdrUnknownCommand"},
    Named{10200, "MemoryRangeInvalid"},
    Named{10201, "MemoryReadFailed"},
    Named{10202, "MemoryWriteFailed"},
    Named{10203, "MemoryCumulativeWrite"},
    Named{10205, "MemoryNotConfigured"},
    Named{10206, "MemoryAlignmentError"},
    Named{10207, "MemoryVerifyFailed"},
    Named{10208, "MemoryWriteProtected"},
    Named{10209, "MemoryAddressError"},
    Named{10210, "MemoryBlankCheckFailed"},
    Named{10214, "MemoryUnsupportedCommand"},
    Named{10300, "UnknownProperty"},
    Named{10301, "ReadOnlyProperty"},
    Named{10302, "InvalidPropertyValue"},
    Named{10400, "AppCrcCheckPassed"},
    Named{10401, "AppCrcCheckFailed"},
    Named{10402, "AppCrcCheckInactive"},
    Named{10403, "AppCrcCheckInvalid"},
    Named{10404, "AppCrcCheckOutOfRange"},
    Named{10700, "SerialNorEepromAddressInvalid"},
    Named{10701, "SerialNorEepromTransferError"},
    Named{20100, "FlexSPINOR_ProgramFail"},
    Named{20101, "FlexSPINOR_EraseSectorFail"},
    Named{20102, "FlexSPINOR_EraseAllFail"},
    Named{20103, "FlexSPINOR_WaitTimeout"},
    Named{20104, "FlexSPINOR_PageSizeTooLarge"},
    Named{20105, "FlexSPINOR_WriteAlignmentError"},
    Named{20106, "FlexSPINOR_CommandFailure"},
    Named{20107, "FlexSPINOR_SfdpNotFound"},
    Named{20108, "FlexSPINOR_UnsupportedSfdpVersion"},
    Named{20109, "FlexSPINOR_FlashNotFound"},
    Named{20110, "FlexSPINOR_DtrReadDummyProbeFailed"},
    Named{20200, "OCOTP_ReadFailure"},
    Named{20201, "OCOTP_ProgramFailure"},
    Named{20202, "OCOTP_ReloadFailure"},
    Named{20203, "OCOTP_WaitTimeout"},
    Named{52801, "OTP_InvalidAddress"},
    Named{52802, "OTP_ProgrammingFail"},
    Named{52806, "OTP_FieldLocked"},
    Named{52807, "OTP_Timeout"},
};

constexpr std::array kCommands{
    Named{0x01, "flash-erase-all"},        Named{0x02, "flash-erase-region"},
    Named{0x03, "read-memory"},            Named{0x04, "write-memory"},
    Named{0x05, "fill-memory"},            Named{0x06, "flash-security-disable"},
    Named{0x07, "get-property"},           Named{0x08, "receive-sb-file"},
    Named{0x09, "execute"},                Named{0x0A, "call"},
    Named{0x0B, "reset"},                  Named{0x0C, "set-property"},
    Named{0x0D, "flash-erase-all-unsecure"}, Named{0x0E, "efuse-program-once"},
    Named{0x0F, "efuse-read-once"},        Named{0x10, "flash-read-resource"},
    Named{0x11, "configure-memory"},
};

constexpr std::array kProperties{
    Named{0x01, "CurrentVersion"},   Named{0x02, "AvailablePeripherals"},
    Named{0x03, "FlashStartAddress"}, Named{0x04, "FlashSize"},
    Named{0x05, "FlashSectorSize"},  Named{0x06, "FlashBlockCount"},
    Named{0x07, "AvailableCommands"}, Named{0x08, "CrcCheckStatus"},
    Named{0x09, "LastError"},        Named{0x0A, "VerifyWrites"},
    Named{0x0B, "MaxPacketSize"},    Named{0x0C, "ReservedRegions"},
    Named{0x0E, "RamStartAddress"},  Named{0x0F, "RamSize"},
    Named{0x10, "SystemDeviceId"},   Named{0x11, "SecurityState"},
    Named{0x12, "UniqueDeviceId"},   Named{0x19, "ExternalMemoryAttributes"},
};

template <size_t N>
const char* lookup(const std::array<Named, N>& table, uint32_t code) {
  auto it = std::find_if(table.begin(), table.end(), [code](const Named& n) { return n.code == code; });
  return it == table.end() ? nullptr : it->name;
}

}  // namespace

std::string status_name(uint32_t code) {
  if (const char* name = lookup(kStatuses, code)) return name;
  return fmt::format("status {}", code);
}

std::string describe_status(uint32_t code) {
  if (const char* name = lookup(kStatuses, code)) return fmt::format("status {} ({})", name, code);
  return fmt::format("unknown status {} (0x{:X})", code, code);
}

std::string command_name(uint8_t tag) {
  if (const char* name = lookup(kCommands, tag)) return name;
  return fmt::format("command 0x{:02X}", tag);
}

std::string property_name(uint32_t tag) {
  if (const char* name = lookup(kProperties, tag)) return name;
  return fmt::format("property 0x{:X}", tag);
}

}  // namespace omv::protocol::nxp::mboot
