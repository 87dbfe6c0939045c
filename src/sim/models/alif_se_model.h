#pragma once
// The Alif Ensemble Secure Enclave's serial ISP as a device model (`omv sim start OPENMV_AE3
// --mode isp`): the SE-UART of the AE3's debug adapter (FTDI 0403:6015), over the camera's own
// MRAM file, so a recovery here and `omv flash` in bootloader mode are one camera's life.
// What it does follows the reference's checklist (alif-isp.md §7):
//  - START gets ACK (03 FE FF) and nothing after it; every other command exactly one reply, never
//    an echo; a packet whose checksum is wrong gets NAK CHECKSUM_ERROR;
//  - GET REVISION is 136 bytes (SoC version 00 B4 00 00, the part, serial, LCS); ENQUIRY says
//    SERAM (0x02) with the maintenance flag, or SEROM (0x01) with error 0x26 in recovery; GET
//    BANNER "SES B4 v1.103.0 …"; GET TOC streams 0xA7 entries (SERAM0/1, DEVICE, and HP_BOOT when
//    the bootloader's first word in MRAM is programmed; app entries are absent in maintenance),
//    then ACK;
//  - SET_BAUD_RATE is answered at the old rate, then the device switches: bytes that arrive at
//    another baud are noise and are dropped (counted);
//  - SET_MAINTENANCE_FLAG survives RESET (kept in the camera's folder); RESET answers nothing;
//  - BURN_MRAM (absolute address, size) opens a burn: inside the MRAM and 16-byte aligned, else
//    NAK ERROR_ILLEGAL_ADDRESS / ERROR_MISALIGNED; DOWNLOAD_DATA strips its 55 55 prefix and
//    writes in 16-byte lines (the MRAM's timing from the board data), past the burn's size NAK
//    BAD_PACKET_SIZE; DOWNLOAD_DONE closes it;
//  - in recovery (SEROM) only START, ENQUIRY, GET REVISION, MRAM_WRITE (MRAM-relative offset + 16
//    bytes) and RESET are served;
//  - "ALIF" written repeatedly (hard maintenance) is answered with "SEPCTL", a byte per ALIF.
// The SES's real checks behind each NAK code are not public (§8): the codes chosen are the
// table's plausible ones.
#include <memory>

#include "sim/models/serial_model.h"

namespace omv::sim {

std::unique_ptr<SerialDeviceModel> make_alif_se_model(ModelContext& ctx);

}  // namespace omv::sim
